"""Enforcement cases (执法办案): clues, cases through the administrative-penalty procedure, evidence,
documents, payments, police transfers and the publication of decisions (行政处罚信息公示).

Data and constraints only; every status is written by a service after ``enforcement.transitions``."""

from __future__ import annotations

import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Enterprise, ProductType, Region

MONEY = {"max_digits": 14, "decimal_places": 2}


class CaseStatus(models.TextChoices):
    REGISTERED = "registered", _("线索登记")
    CHECKING = "checking", _("核查")
    FILING_APPROVAL = "filing_approval", _("立案审批")
    NOT_FILED = "not_filed", _("不予立案")
    INVESTIGATING = "investigating", _("调查取证")
    LEGAL_REVIEW = "legal_review", _("法制审核")
    NOTIFIED = "notified", _("告知")
    DEFENCE = "defence", _("陈述申辩")
    HEARING = "hearing", _("听证")
    DISCUSSION = "discussion", _("集体讨论")
    TRANSFERRED = "transferred", _("移送司法机关（待回复）")
    DECIDED = "decided", _("决定")
    SERVED = "served", _("送达（执行中）")
    EXECUTED = "executed", _("执行完毕")
    CLOSED = "closed", _("结案")
    CANCELLED = "cancelled", _("撤销")
    MERGED = "merged", _("已并案")


class ClueSource(models.TextChoices):
    SAMPLE = "sample", _("监督抽查不合格")
    COMPLAINT = "complaint", _("投诉举报")
    INSPECTION = "inspection", _("监督检查")
    REFERRAL = "referral", _("其他机关移送")


class Channel(models.TextChoices):
    HOTLINE_12315 = "12315", _("12315 热线")
    HOTLINE_12365 = "12365", _("12365 热线")
    WEB = "web", _("网上投诉举报")
    LETTER = "letter", _("来信")


class Procedure(models.TextChoices):
    GENERAL = "general", _("普通程序")
    SIMPLE = "simple", _("简易程序")


class Outcome(models.TextChoices):
    NONE = "", _("未决定")
    PENALTY = "penalty", _("给予行政处罚")
    NO_PENALTY = "no_penalty", _("不予行政处罚")


class PartyType(models.TextChoices):
    ORGANISATION = "organisation", _("法人或其他组织")
    PERSON = "person", _("自然人（含个体工商户）")


class ReviewOpinion(models.TextChoices):
    AGREE = "agree", _("同意")
    SUPPLEMENT = "supplement", _("退回补充调查")
    DISAGREE = "disagree", _("不同意")


class PenaltyType(models.TextChoices):
    WARNING = "warning", _("警告")
    CRITICISM = "criticism", _("通报批评")
    FINE = "fine", _("罚款")
    CONFISCATE_GAINS = "confiscate_gains", _("没收违法所得")
    CONFISCATE_PROPERTY = "confiscate_property", _("没收非法财物")
    SUSPEND_LICENCE = "suspend_licence", _("暂扣许可证件")
    LOWER_QUALIFICATION = "lower_qualification", _("降低资质等级")
    REVOKE_LICENCE = "revoke_licence", _("吊销许可证件")
    RESTRICT_ACTIVITY = "restrict_activity", _("限制开展生产经营活动")
    STOP_BUSINESS = "stop_business", _("责令停产停业")
    CLOSE_DOWN = "close_down", _("责令关闭")
    RESTRICT_EMPLOYMENT = "restrict_employment", _("限制从业")


# Penalties that cannot be repaired by credit repair (Order 45 art. 14(3); 信用修复管理办法 art. 6).
UNREPAIRABLE_PENALTIES = frozenset(
    {
        PenaltyType.SUSPEND_LICENCE,
        PenaltyType.LOWER_QUALIFICATION,
        PenaltyType.REVOKE_LICENCE,
        PenaltyType.RESTRICT_ACTIVITY,
        PenaltyType.STOP_BUSINESS,
        PenaltyType.CLOSE_DOWN,
        PenaltyType.RESTRICT_EMPLOYMENT,
    }
)


class EvidenceKind(models.TextChoices):
    DOCUMENTARY = "documentary", _("书证")
    PHYSICAL = "physical", _("物证")
    AUDIOVISUAL = "audiovisual", _("视听资料")
    ELECTRONIC = "electronic", _("电子数据")
    WITNESS = "witness", _("证人证言")
    PARTY_STATEMENT = "party_statement", _("当事人的陈述")
    APPRAISAL = "appraisal", _("鉴定意见")
    RECORD = "record", _("勘验笔录、现场笔录")


class DocumentKind(models.TextChoices):
    FILING = "filing", _("立案审批表")
    NOTICE = "notice", _("行政处罚告知书")
    HEARING_NOTICE = "hearing_notice", _("听证告知书")
    HEARING_RECORD = "hearing_record", _("听证笔录")
    DECISION = "decision", _("行政处罚决定书")
    SERVICE = "service", _("送达回证")
    CLOSING = "closing", _("结案审批表")


class PauseReason(models.TextChoices):
    TESTING = "testing", _("检测、检验")
    APPRAISAL = "appraisal", _("鉴定")
    HEARING = "hearing", _("听证")
    PUBLIC_NOTICE = "public_notice", _("公告")
    SUSPENSION = "suspension", _("中止调查")


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent())
class LegalBasis(models.Model):
    """A law and article that a penalty may rest on (产品质量法第四十九条 …), maintained by administrators."""

    law = models.CharField(_("法律法规"), max_length=128)
    article = models.CharField(_("条款"), max_length=64)
    summary = models.CharField(_("违法行为"), max_length=255)
    penalty_text = models.TextField(_("处罚规定"), blank=True)
    violation_type = models.CharField(_("违法类型"), max_length=64, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("处罚依据")
        verbose_name_plural = _("处罚依据")
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["law", "article"], name="legal_basis_law_article_unique")]

    def __str__(self) -> str:
        return f"{self.law}{self.article}"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent())
class Bureau(models.Model):
    """The enforcement authority of a region: its name on documents and the abbreviation of its numbers
    (湘长市监处罚〔2026〕12号). Created with defaults on first use; administrators correct them."""

    region = models.OneToOneField(Region, verbose_name=_("地区"), on_delete=models.PROTECT, primary_key=True)
    name = models.CharField(_("机关名称"), max_length=128)
    abbreviation = models.CharField(_("文号简称"), max_length=32)
    address = models.CharField(_("地址"), max_length=255, blank=True)
    phone = models.CharField(_("联系电话"), max_length=32, blank=True)
    review_body = models.CharField(_("行政复议机关"), max_length=128, blank=True)
    court = models.CharField(_("管辖人民法院"), max_length=128, blank=True)

    class Meta:
        verbose_name = _("执法机关")
        verbose_name_plural = _("执法机关")

    def __str__(self) -> str:
        return self.name


class DocumentSequence(models.Model):
    """The last number issued per bureau, year and document word; numbers are never reused."""

    bureau = models.ForeignKey(Bureau, on_delete=models.PROTECT, related_name="sequences")
    year = models.PositiveSmallIntegerField()
    word = models.CharField(max_length=16)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["bureau", "year", "word"], name="document_sequence_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.bureau_id} {self.year} {self.word} {self.last}"


class Sector(models.TextChoices):
    """The field a penalty belongs to: food, drugs and special equipment wait 1 年 before credit repair
    (市场监督管理信用修复管理办法 art. 6), other products 6 个月."""

    GENERAL = "", _("一般工业产品")
    FOOD = "food", _("食品（含食品相关产品）")
    DRUG = "drug", _("药品、医疗器械、化妆品")
    SPECIAL_EQUIPMENT = "special_equipment", _("特种设备")


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent())
class Case(models.Model):
    """A case from its first clue (线索登记) to closure (结案), in one status column."""

    case_no = models.CharField(_("案件编号"), max_length=64, unique=True)
    title = models.CharField(_("案由"), max_length=255)
    status = models.CharField(_("状态"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.REGISTERED)
    procedure = models.CharField(_("程序"), max_length=8, choices=Procedure.choices, default=Procedure.GENERAL)
    source = models.CharField(_("线索来源"), max_length=12, choices=ClueSource.choices)
    region = models.ForeignKey(Region, verbose_name=_("管辖地区"), on_delete=models.PROTECT, related_name="+")
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("当事人"), on_delete=models.PROTECT, null=True, blank=True, related_name="cases"
    )
    party_name = models.CharField(_("当事人名称"), max_length=200)
    party_type = models.CharField(
        _("当事人类型"), max_length=12, choices=PartyType.choices, default=PartyType.ORGANISATION
    )
    party_id_no = models.CharField(_("统一社会信用代码/身份证号"), max_length=18, blank=True)
    party_representative = models.CharField(_("法定代表人/负责人"), max_length=64, blank=True)
    party_address = models.CharField(_("住所"), max_length=255, blank=True)
    party_phone = models.CharField(_("联系电话"), max_length=32, blank=True)
    product_type = models.ForeignKey(
        ProductType, verbose_name=_("涉案产品"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    product = models.CharField(_("产品名称"), max_length=128, blank=True)
    violation_type = models.CharField(_("违法类型"), max_length=64, blank=True)
    sector = models.CharField(_("领域"), max_length=24, choices=Sector.choices, blank=True, default="")
    # Order 45 art. 10: a party registered in another province — the decision is pushed to its registration
    # authority, which publishes it on the 国家企业信用信息公示系统.
    publication_pushed_on = models.DateField(_("推送登记地日期"), null=True, blank=True)
    publication_pushed_to = models.CharField(_("推送至"), max_length=128, blank=True)
    facts = models.TextField(_("违法事实"), blank=True)
    handlers = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("承办人"), related_name="cases")
    # Money in yuan with two decimals (涉案货值, 违法所得, 罚款, 没收).
    goods_value = models.DecimalField(_("涉案货值（元）"), null=True, blank=True, **MONEY)
    illegal_gains = models.DecimalField(_("违法所得（元）"), null=True, blank=True, **MONEY)
    fine = models.DecimalField(_("罚款（元）"), null=True, blank=True, **MONEY)
    confiscation = models.DecimalField(_("没收违法所得（元）"), null=True, blank=True, **MONEY)
    confiscated_goods = models.CharField(_("没收非法财物"), max_length=255, blank=True)
    # Which reviews the law requires (行政处罚法 arts. 57, 58, 63), set when the case is investigated.
    major_case = models.BooleanField(_("重大、复杂案件（需集体讨论）"), default=False)
    legal_review_required = models.BooleanField(_("需法制审核"), default=False)
    hearing_eligible = models.BooleanField(_("适用听证"), default=False)
    # Dates of the procedure.
    discovered_on = models.DateField(_("发现线索日期"))
    filing_requested_on = models.DateField(_("提请立案日期"), null=True, blank=True)
    filed_on = models.DateField(_("立案日期"), null=True, blank=True)
    filing_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("立案批准人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    not_filed_reason = models.TextField(_("不予立案理由"), blank=True)
    investigation_report = models.TextField(_("调查终结报告"), blank=True)
    notified_on = models.DateField(_("告知日期"), null=True, blank=True)
    defence_text = models.TextField(_("陈述申辩意见"), blank=True)
    defence_on = models.DateField(_("陈述申辩日期"), null=True, blank=True)
    hearing_requested_on = models.DateField(_("申请听证日期"), null=True, blank=True)
    hearing_notice_on = models.DateField(_("听证通知日期"), null=True, blank=True)
    hearing_on = models.DateField(_("听证日期"), null=True, blank=True)
    hearing_place = models.CharField(_("听证地点"), max_length=255, blank=True)
    hearing_host = models.CharField(_("听证主持人"), max_length=64, blank=True)
    hearing_record = models.TextField(_("听证记录"), blank=True)
    outcome = models.CharField(_("处理结果"), max_length=12, choices=Outcome.choices, blank=True, default="")
    penalty_types = models.JSONField(_("处罚种类"), default=list, blank=True)
    legal_bases = models.ManyToManyField(LegalBasis, verbose_name=_("处罚依据"), blank=True, related_name="cases")
    decision_reason = models.TextField(_("处罚理由"), blank=True)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("决定人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decision_no = models.CharField(_("决定书文号"), max_length=64, blank=True)
    served_on = models.DateField(_("送达日期"), null=True, blank=True)
    served_how = models.CharField(_("送达方式"), max_length=64, blank=True)
    paid_total = models.DecimalField(_("已缴罚没款（元）"), default=0, **MONEY)
    fine_paid_on = models.DateField(_("罚款缴清日期"), null=True, blank=True)
    executed_on = models.DateField(_("执行完毕日期"), null=True, blank=True)
    closed_on = models.DateField(_("结案日期"), null=True, blank=True)
    closing_summary = models.TextField(_("结案报告"), blank=True)
    cancelled_on = models.DateField(_("撤销日期"), null=True, blank=True)
    cancel_reason = models.TextField(_("撤销理由"), blank=True)
    status_before_cancel = models.CharField(_("撤销前状态"), max_length=16, blank=True)
    merged_into = models.ForeignKey(
        "self", verbose_name=_("并入案件"), on_delete=models.PROTECT, null=True, blank=True, related_name="merged_cases"
    )
    # The next due date of the running clocks, kept by the services so that lists filter and sort in SQL.
    next_due_on = models.DateField(_("最近期限"), null=True, blank=True)
    next_due_label = models.CharField(_("最近期限事项"), max_length=128, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("案件")
        verbose_name_plural = _("案件")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=CaseStatus.values), name="case_status_known"),
            models.CheckConstraint(condition=Q(source__in=ClueSource.values), name="case_source_known"),
            models.CheckConstraint(condition=Q(procedure__in=Procedure.values), name="case_procedure_known"),
            models.CheckConstraint(condition=Q(outcome__in=["", *Outcome.values]), name="case_outcome_known"),
            models.CheckConstraint(condition=Q(fine__isnull=True) | Q(fine__gte=0), name="case_fine_not_negative"),
            models.CheckConstraint(
                condition=Q(goods_value__isnull=True) | Q(goods_value__gte=0), name="case_goods_value_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(illegal_gains__isnull=True) | Q(illegal_gains__gte=0), name="case_gains_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(confiscation__isnull=True) | Q(confiscation__gte=0),
                name="case_confiscation_not_negative",
            ),
            models.CheckConstraint(condition=Q(paid_total__gte=0), name="case_paid_not_negative"),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | ~Q(cancel_reason=""), name="case_cancel_has_reason"
            ),
        ]
        indexes = [
            # Jurisdiction scoping of the staff lists (region_id LIKE 'prefix%'); status and next due date
            # included so that the lists' counts are index-only scans.
            models.Index(
                fields=["region", "status", "next_due_on"],
                name="case_scope_idx",
                opclasses=["varchar_pattern_ops", "varchar_ops", "date_ops"],
            ),
            # The case list: newest first, LIMIT 50 read in index order and filtered by region.
            models.Index(fields=["-created_at", "-id"], name="case_created_idx"),
            # The overdue / due-soon lists: open cases by their next due date.
            models.Index(fields=["next_due_on"], name="case_next_due_idx", condition=Q(next_due_on__isnull=False)),
            # Reports by decision date.
            models.Index(fields=["decided_on"], name="case_decided_idx"),
            # The case list's search (case number, party or decision number, icontains = UPPER(col) LIKE
            # UPPER('%q%')): trigram indexes on the same expressions, so a search does not read every case.
            GinIndex(OpClass(Upper("case_no"), name="gin_trgm_ops"), name="case_no_trgm"),
            GinIndex(OpClass(Upper("party_name"), name="gin_trgm_ops"), name="case_party_name_trgm"),
            GinIndex(OpClass(Upper("decision_no"), name="gin_trgm_ops"), name="case_decision_no_trgm"),
        ]

    def __str__(self) -> str:
        return f"{self.case_no} {self.title}"

    @property
    def history_region_code(self) -> str:
        return self.region_id

    @property
    def is_open(self) -> bool:
        return self.status not in TERMINAL_STATES

    def status_tone_on(self, today) -> str:
        """The status badge's CSS class: done (pass), ended without a decision (pending), a deadline passed
        (overdue), running (due). The case list computes it per row with one date; the case page uses status_tone."""
        if self.status in (CaseStatus.CLOSED, CaseStatus.EXECUTED):
            return "pass"
        if self.status in (CaseStatus.CANCELLED, CaseStatus.NOT_FILED, CaseStatus.MERGED):
            return "pending"
        if self.next_due_on and self.next_due_on < today:
            return "overdue"
        return "due"

    @property
    def status_tone(self) -> str:
        return self.status_tone_on(timezone.localdate())

    @property
    def amount_due(self):
        return (self.fine or 0) + (self.confiscation or 0)

    @property
    def outstanding_total(self):
        return max(self.amount_due - (self.paid_total or 0), 0)


TERMINAL_STATES = frozenset({CaseStatus.NOT_FILED, CaseStatus.CLOSED, CaseStatus.CANCELLED, CaseStatus.MERGED})
DECIDED_STATES = frozenset({CaseStatus.DECIDED, CaseStatus.SERVED, CaseStatus.EXECUTED, CaseStatus.CLOSED})


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent())
class Clue(models.Model):
    """One incoming clue (线索): a failed sample, a complaint or report, an inspection finding or a referral.
    Every clue belongs to a case (registered with it); merging moves clues onto the case that keeps them."""

    clue_no = models.CharField(_("线索编号"), max_length=32, unique=True)
    case = models.ForeignKey(Case, verbose_name=_("案件"), on_delete=models.PROTECT, related_name="clues")
    source = models.CharField(_("线索来源"), max_length=12, choices=ClueSource.choices)
    channel = models.CharField(_("渠道"), max_length=8, choices=Channel.choices, blank=True)
    region = models.ForeignKey(Region, verbose_name=_("地区"), on_delete=models.PROTECT, related_name="+")
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("涉及企业"), on_delete=models.PROTECT, null=True, blank=True, related_name="clues"
    )
    enterprise_name = models.CharField(_("被投诉举报对象"), max_length=200)
    product = models.CharField(_("产品名称"), max_length=128, blank=True)
    product_type = models.ForeignKey(
        ProductType, verbose_name=_("产品种类"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    brand = models.CharField(_("商标"), max_length=128, blank=True)
    model_spec = models.CharField(_("规格型号"), max_length=128, blank=True)
    description = models.TextField(_("线索内容"))
    received_on = models.DateField(_("收到日期"))
    # A failed sample or the post-processing step 移送立案查处 it came from.
    sample = models.ForeignKey(
        "sampling.Sample",
        verbose_name=_("抽样单"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    followup = models.ForeignKey(
        "sampling.FollowUp",
        verbose_name=_("后处理环节"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    referred_by = models.CharField(_("移送机关"), max_length=128, blank=True)
    referral_no = models.CharField(_("移送文号"), max_length=64, blank=True)
    # The complainant (投诉举报人); the query code is stored as a hash, the receipt number in clear.
    complainant_name = models.CharField(_("投诉举报人"), max_length=64, blank=True)
    complainant_phone = models.CharField(_("联系电话"), max_length=32, blank=True)
    receipt_no = models.CharField(_("受理回执号"), max_length=32, null=True, blank=True, unique=True)
    query_code_hash = models.CharField(max_length=128, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("线索")
        verbose_name_plural = _("线索")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(source__in=ClueSource.values), name="clue_source_known"),
            models.CheckConstraint(condition=Q(channel__in=["", *Channel.values]), name="clue_channel_known"),
            models.CheckConstraint(
                condition=~Q(source="complaint") | ~Q(channel=""), name="clue_complaint_has_channel"
            ),
        ]
        indexes = [
            # Clues about the same enterprise and product shown together (merge candidates).
            models.Index(fields=["enterprise", "product_type"], name="clue_enterprise_product_idx"),
            # A sample's page asks for the clues raised from it.
            models.Index(fields=["sample"], name="clue_sample_idx"),
        ]

    def __str__(self) -> str:
        return self.clue_no


class TimelineEntry(models.Model):
    """The case's timeline: every step taken, by whom and when (the domain record; pghistory audits rows)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="timeline")
    on = models.DateField(_("日期"))
    code = models.CharField(_("事项"), max_length=32)
    text = models.CharField(_("内容"), max_length=500)
    from_status = models.CharField(_("原状态"), max_length=16, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办理人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("办案记录")
        verbose_name_plural = _("办案记录")
        ordering = ["created_at", "id"]
        triggers = [pgtrigger.Protect(name="timeline_insert_only", operation=pgtrigger.Update)]

    def __str__(self) -> str:
        return f"{self.on} {self.text}"


@pghistory.track(pghistory.InsertEvent())
class LegalReview(models.Model):
    """A legal review (法制审核, 行政处罚法 art. 58) with its recorded opinion."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审核人"), on_delete=models.PROTECT, related_name="+"
    )
    opinion = models.CharField(_("审核意见"), max_length=12, choices=ReviewOpinion.choices)
    comment = models.TextField(_("审核说明"))
    reviewed_on = models.DateField(_("审核日期"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("法制审核")
        verbose_name_plural = _("法制审核")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(opinion__in=ReviewOpinion.values), name="legal_review_opinion_known")
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_opinion_display()}"


@pghistory.track(pghistory.InsertEvent())
class Discussion(models.Model):
    """The heads' collective discussion (集体讨论, 行政处罚法 art. 57): date, participants, conclusion."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="discussions")
    held_on = models.DateField(_("讨论日期"))
    participants = models.TextField(_("参加人员"))
    conclusion = models.TextField(_("讨论结论"))
    # A discussion may set a longer period for the decision (办案期限) than the approved 30 日 extension.
    extension_days = models.PositiveIntegerField(_("决定延长办案期限（日）"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("集体讨论")
        verbose_name_plural = _("集体讨论")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.held_on}"


def evidence_path(instance: Evidence, filename: str) -> str:
    # Generated names only: the uploaded name is kept as data, never used as a path.
    return f"enforcement/evidence/{instance.case_id}/{instance.file_token}{instance.extension}"


@pghistory.track(pghistory.InsertEvent())
class Evidence(models.Model):
    """A piece of evidence of a statutory kind. Rows never change (a trigger refuses updates and deletes);
    a correction is a new row citing the one it corrects; nothing is added once the case is decided."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="evidence")
    kind = models.CharField(_("证据种类"), max_length=16, choices=EvidenceKind.choices)
    title = models.CharField(_("证据名称"), max_length=200)
    description = models.TextField(_("证明事项"), blank=True)
    collected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("收集人"), on_delete=models.PROTECT, related_name="+"
    )
    collected_on = models.DateField(_("收集日期"))
    collected_at = models.CharField(_("收集地点"), max_length=255, blank=True)
    file = models.FileField(_("文件"), upload_to=evidence_path, blank=True)
    file_token = models.CharField(max_length=32, blank=True)
    extension = models.CharField(max_length=8, blank=True)
    original_name = models.CharField(_("原文件名"), max_length=255, blank=True)
    content_type = models.CharField(_("文件类型"), max_length=64, blank=True)
    size = models.PositiveIntegerField(_("文件大小（字节）"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("更正的证据"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
    )
    correction_reason = models.CharField(_("更正理由"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("证据")
        verbose_name_plural = _("证据")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=EvidenceKind.values), name="evidence_kind_known"),
            models.CheckConstraint(
                condition=Q(corrects__isnull=True) | ~Q(correction_reason=""), name="evidence_correction_has_reason"
            ),
        ]
        triggers = [
            pgtrigger.Protect(name="evidence_insert_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.title}"


@pghistory.track(pghistory.InsertEvent())
class CaseDocument(models.Model):
    """An issued document with its number; the PDF is rendered from the stored snapshot, so it never changes."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("文书"), max_length=16, choices=DocumentKind.choices)
    number = models.CharField(_("文号"), max_length=64, blank=True)
    issued_on = models.DateField(_("制作日期"))
    snapshot = models.JSONField(_("文书内容"), default=dict)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("制作人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("执法文书")
        verbose_name_plural = _("执法文书")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=DocumentKind.values), name="case_document_kind_known"),
            models.UniqueConstraint(fields=["number"], condition=~Q(number=""), name="case_document_number_unique"),
        ]
        triggers = [pgtrigger.Protect(name="case_document_insert_only", operation=pgtrigger.Update | pgtrigger.Delete)]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}".strip()


@pghistory.track(pghistory.InsertEvent())
class Payment(models.Model):
    """A payment (or an instalment) against the fine and confiscation, in yuan."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="payments")
    amount = models.DecimalField(_("金额（元）"), **MONEY)
    late_fee = models.DecimalField(_("其中加处罚款（元）"), default=0, **MONEY)
    paid_on = models.DateField(_("缴款日期"))
    receipt_no = models.CharField(_("缴款票据号"), max_length=64, blank=True)
    is_instalment = models.BooleanField(_("分期缴纳"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("缴款记录")
        verbose_name_plural = _("缴款记录")
        ordering = ["paid_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(condition=Q(late_fee__gte=0), name="payment_late_fee_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.amount}"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent())
class PoliceTransfer(models.Model):
    """A transfer to the police (移送公安机关) for a suspected crime; the case waits for the answer."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="transfers")
    authority = models.CharField(_("接收机关"), max_length=128)
    transferred_on = models.DateField(_("移送日期"))
    reason = models.TextField(_("移送理由"))
    receipt_no = models.CharField(_("接收回执"), max_length=64, blank=True)
    answered_on = models.DateField(_("回复日期"), null=True, blank=True)
    accepted = models.BooleanField(_("公安机关立案"), null=True)
    answer = models.TextField(_("回复内容"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("经办人"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("移送公安机关")
        verbose_name_plural = _("移送公安机关")
        ordering = ["transferred_on", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.authority}"


class OverturnKind(models.TextChoices):
    CHANGED = "changed", _("变更")
    REVOKED = "revoked", _("撤销")
    VOID = "void", _("确认无效")


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent())
class PenaltyPublication(models.Model):
    """A decision published under Order 45 (行政处罚信息公示); withdrawal keeps the row with its reason."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="publications")
    decision_no = models.CharField(_("决定书文号"), max_length=64)
    party_name = models.CharField(_("当事人"), max_length=200)
    party_id_no = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    party_representative = models.CharField(_("法定代表人"), max_length=64, blank=True)
    violation_type = models.CharField(_("违法行为类型"), max_length=64)
    facts = models.TextField(_("违法事实"))
    penalty = models.TextField(_("处罚内容"))
    basis = models.TextField(_("处罚依据"))
    authority = models.CharField(_("处罚机关"), max_length=128)
    decided_on = models.DateField(_("处罚决定日期"))
    published_on = models.DateField(_("公示日期"))
    display_until = models.DateField(_("公示截止日期"))
    region = models.ForeignKey(Region, verbose_name=_("地区"), on_delete=models.PROTECT, related_name="+")
    withdrawn_on = models.DateField(_("撤下日期"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("撤下理由"), blank=True)
    # The decision changed, revoked or held void by review or a court (Order 45 art. 11): from that day the
    # publication must come down within the limit enforcement.publication_withdrawal (3 工作日).
    overturned_on = models.DateField(_("决定被变更、撤销或确认无效的日期"), null=True, blank=True)
    overturn_kind = models.CharField(_("变更情形"), max_length=16, choices=OverturnKind.choices, blank=True)
    overturn_authority = models.CharField(_("作出机关"), max_length=128, blank=True)
    overturn_document_no = models.CharField(_("文书编号"), max_length=64, blank=True)
    withdrawal_due_on = models.DateField(_("应撤下日期"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("公示人"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("行政处罚信息公示")
        verbose_name_plural = _("行政处罚信息公示")
        ordering = ["-published_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(withdrawn_on__isnull=True), name="publication_one_active_per_case"
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | ~Q(withdrawal_reason=""), name="publication_withdrawal_reason"
            ),
            models.CheckConstraint(
                condition=(Q(overturned_on__isnull=True) & Q(overturn_kind=""))
                | (Q(overturned_on__isnull=False) & ~Q(overturn_kind="") & Q(withdrawal_due_on__isnull=False)),
                name="publication_overturn_complete",
            ),
        ]
        indexes = [
            # The public list: shown publications newest first.
            models.Index(
                fields=["-published_on", "-id"], name="publication_public_idx", condition=Q(withdrawn_on__isnull=True)
            ),
        ]

    def __str__(self) -> str:
        return self.decision_no

"""Quality credit (质量信用): records derived from the fact ledger, the versioned rule sets that turn them into
A–D classes (企业信用风险分类), the serious-violation list (严重违法失信名单) and the enterprises' applications
(提前移出, 信用修复). Credit reads only core's ledger (core.EnterpriseFact), never another app's tables."""

from __future__ import annotations

import pghistory
from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.transitions import known_states_check

CLASSES = ("A", "B", "C", "D")


class CreditClass(models.TextChoices):
    A = "A", _("A 类（信用风险低）")
    B = "B", _("B 类（信用风险一般）")
    C = "C", _("C 类（信用风险较高）")
    D = "D", _("D 类（信用风险高）")


# --- Rule sets --------------------------------------------------------------------------------------


class RuleSetStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    ACTIVE = "active", _("现行")
    RETIRED = "retired", _("已停用")


class DecayMode(models.TextChoices):
    NONE = "none", _("不衰减")
    HALF_LIFE = "half_life", _("半衰期（每经过一个半衰期，分值减半）")
    LINEAR = "linear", _("线性（在时间窗内线性降至 0）")


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent())
class RuleSet(models.Model):
    """A version of the classification rules: points per kind of fact, decay over time, class thresholds and
    the recommended inspection interval of each class (分类监管). Only drafts are edited; activating one
    retires the previous version, and every class names the version it came from."""

    version = models.PositiveIntegerField(_("版本号"), unique=True)
    name = models.CharField(_("名称"), max_length=100)
    note = models.TextField(_("说明"), blank=True)
    status = models.CharField(_("状态"), max_length=8, choices=RuleSetStatus.choices, default=RuleSetStatus.DRAFT)
    decay_mode = models.CharField(_("时间衰减"), max_length=10, choices=DecayMode.choices, default=DecayMode.HALF_LIFE)
    decay_months = models.PositiveSmallIntegerField(_("半衰期或时间窗（月）"), default=24)
    horizon_months = models.PositiveSmallIntegerField(_("计分时限（月）"), default=60)
    # Score ≥ threshold_d → D; ≥ threshold_c → C; ≥ threshold_b → B; below threshold_b → A.
    threshold_b = models.DecimalField(_("B 类起点分"), max_digits=8, decimal_places=2, default=-4)
    threshold_c = models.DecimalField(_("C 类起点分"), max_digits=8, decimal_places=2, default=8)
    threshold_d = models.DecimalField(_("D 类起点分"), max_digits=8, decimal_places=2, default=25)
    # Recommended interval between routine inspections of an enterprise of each class (months).
    interval_a = models.PositiveSmallIntegerField(_("A 类建议检查间隔（月）"), default=36)
    interval_b = models.PositiveSmallIntegerField(_("B 类建议检查间隔（月）"), default=12)
    interval_c = models.PositiveSmallIntegerField(_("C 类建议检查间隔（月）"), default=6)
    interval_d = models.PositiveSmallIntegerField(_("D 类建议检查间隔（月）"), default=3)
    based_on = models.ForeignKey(
        "self", verbose_name=_("基于版本"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    # The preview of the draft's effect, made before activation (which requires it to match the draft).
    previewed_at = models.DateTimeField(_("预览时间"), null=True, blank=True)
    preview_digest = models.CharField(_("预览时的规则摘要"), max_length=64, blank=True)
    preview = models.JSONField(_("预览结果"), default=dict, blank=True)
    activated_at = models.DateTimeField(_("启用时间"), null=True, blank=True)
    activated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("启用人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("信用分类规则")
        verbose_name_plural = _("信用分类规则")
        ordering = ["-version"]
        constraints = [
            known_states_check("status", RuleSetStatus.values, "credit_ruleset_status_known"),
            known_states_check("decay_mode", DecayMode.values, "credit_ruleset_decay_known"),
            models.CheckConstraint(
                condition=Q(threshold_b__lte=F("threshold_c")) & Q(threshold_c__lte=F("threshold_d")),
                name="credit_ruleset_thresholds_ordered",
            ),
            models.CheckConstraint(condition=Q(decay_months__gte=1), name="credit_ruleset_decay_positive"),
            models.CheckConstraint(condition=Q(horizon_months__gte=1), name="credit_ruleset_horizon_positive"),
            # One version is in force at a time.
            models.UniqueConstraint(fields=["status"], condition=Q(status="active"), name="credit_one_active_ruleset"),
        ]

    def __str__(self) -> str:
        return _("第 %(version)s 版：%(name)s") % {"version": self.version, "name": self.name}

    def interval_of(self, credit_class: str) -> int:
        return getattr(self, f"interval_{(credit_class or 'B').lower()}")

    def class_of(self, score) -> str:
        if score >= self.threshold_d:
            return "D"
        if score >= self.threshold_c:
            return "C"
        if score >= self.threshold_b:
            return "B"
        return "A"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Rule(models.Model):
    """Points for each fact of a kind (and variant): ``points`` plus ``points_per_10k`` per 10,000 yuan of the
    fine, at most ``cap``, times the decay factor of the fact's age."""

    rule_set = models.ForeignKey(RuleSet, verbose_name=_("规则版本"), on_delete=models.CASCADE, related_name="rules")
    kind = models.CharField(_("信息类型"), max_length=64)
    # "" = every fact of the kind; otherwise the record's variant (credit.kinds.VARIANTS).
    variant = models.CharField(_("情形"), max_length=16, blank=True, default="")
    points = models.DecimalField(_("分值"), max_digits=8, decimal_places=2, default=0)
    points_per_10k = models.DecimalField(_("每万元罚款加分"), max_digits=8, decimal_places=2, default=0)
    cap = models.DecimalField(_("单条上限"), max_digits=8, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("计分规则")
        verbose_name_plural = _("计分规则")
        ordering = ["rule_set", "kind", "variant"]
        constraints = [
            models.UniqueConstraint(fields=["rule_set", "kind", "variant"], name="credit_rule_once_per_kind_variant"),
            models.CheckConstraint(condition=Q(cap__isnull=True) | Q(cap__gte=0), name="credit_rule_cap_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}/{self.variant or '*'} {self.points}"


# --- Records and classes ---------------------------------------------------------------------------


class CreditRecord(models.Model):
    """A credit record (信用记录): one per ledger fact of a kind credit knows. Cites its fact and, through it,
    the source record. ``ended_on`` is the day a later fact ended it (a removal from the list)."""

    fact = models.OneToOneField(
        "core.EnterpriseFact", verbose_name=_("涉企信息"), on_delete=models.PROTECT, related_name="credit_record"
    )
    enterprise = models.ForeignKey(
        "core.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="credit_records"
    )
    region_code = models.CharField(_("所在地区"), max_length=6)
    kind = models.CharField(_("信息类型"), max_length=64)
    variant = models.CharField(_("情形"), max_length=16, blank=True, default="")
    occurred_on = models.DateField(_("发生日期"))
    source_type = models.CharField(_("来源"), max_length=64)
    source_id = models.CharField(_("来源记录"), max_length=64)
    source_label = models.CharField(_("来源编号"), max_length=128, blank=True)
    summary = models.CharField(_("摘要"), max_length=255, blank=True)
    amount = models.DecimalField(_("罚款金额"), max_digits=14, decimal_places=2, null=True, blank=True)
    ended_on = models.DateField(_("终止日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("信用记录")
        verbose_name_plural = _("信用记录")
        ordering = ["-occurred_on", "-id"]
        indexes = [
            # An enterprise's records, newest first (class page, explanation).
            models.Index(fields=["enterprise", "-occurred_on"], name="credit_record_enterprise_idx"),
            # Jurisdiction scoping of the records list: region_code LIKE 'prefix%'.
            models.Index(fields=["region_code"], name="credit_record_region_idx", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.occurred_on}"

    @property
    def history_region_code(self) -> str:
        return self.region_code


class EnterpriseClass(models.Model):
    """The current class of an enterprise: its score, the rule set and the day it was computed for (the
    explanation recomputes exactly this score from the records with that rule set on that day)."""

    enterprise = models.OneToOneField(
        "core.Enterprise",
        verbose_name=_("企业"),
        on_delete=models.PROTECT,
        primary_key=True,
        related_name="credit_classification",
    )
    credit_class = models.CharField(_("信用风险分类"), max_length=1, choices=CreditClass.choices)
    score = models.DecimalField(_("风险分值"), max_digits=10, decimal_places=2)
    rule_set = models.ForeignKey(RuleSet, verbose_name=_("规则版本"), on_delete=models.PROTECT, related_name="+")
    computed_on = models.DateField(_("计算基准日"))
    computed_at = models.DateTimeField(_("计算时间"))
    since = models.DateField(_("本分类起始日"))

    class Meta:
        verbose_name = _("企业信用风险分类")
        verbose_name_plural = _("企业信用风险分类")
        constraints = [
            models.CheckConstraint(condition=Q(credit_class__in=CLASSES), name="credit_class_known"),
        ]
        indexes = [
            # Class distribution and the class filter of the list.
            models.Index(fields=["credit_class"], name="credit_class_class_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.credit_class}"


class ChangeCause(models.TextChoices):
    INITIAL = "initial", _("首次评定")
    FACTS = "facts", _("新归集信息")
    RULES = "rules", _("规则调整")
    DECAY = "decay", _("时间衰减或信息终止")


class ClassChange(models.Model):
    """A change of an enterprise's class, with its cause (new facts, a rule change, time)."""

    enterprise = models.ForeignKey(
        "core.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="credit_class_changes"
    )
    from_class = models.CharField(_("原分类"), max_length=1, blank=True)
    to_class = models.CharField(_("新分类"), max_length=1)
    score = models.DecimalField(_("风险分值"), max_digits=10, decimal_places=2)
    rule_set = models.ForeignKey(RuleSet, verbose_name=_("规则版本"), on_delete=models.PROTECT, related_name="+")
    cause = models.CharField(_("原因"), max_length=8, choices=ChangeCause.choices)
    # The facts that caused it (new records since the previous computation), when the cause is facts.
    cause_facts = models.JSONField(_("引起变化的信息"), default=list, blank=True)
    changed_on = models.DateField(_("变化日期"))
    changed_at = models.DateTimeField(_("记录时间"))

    class Meta:
        verbose_name = _("信用分类变化")
        verbose_name_plural = _("信用分类变化")
        ordering = ["-changed_at", "-id"]
        constraints = [
            known_states_check("cause", ChangeCause.values, "credit_change_cause_known"),
        ]
        indexes = [
            models.Index(fields=["enterprise", "-changed_at"], name="credit_change_enterprise_idx"),
            # The report's changes of a period.
            models.Index(fields=["changed_on"], name="credit_change_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.from_class or '-'}→{self.to_class} {self.changed_on}"


class CreditState(models.Model):
    """Progress of the automatic take-up: the highest fact id turned into records."""

    key = models.CharField(max_length=32, unique=True)
    watermark = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("信用记录归集进度")
        verbose_name_plural = _("信用记录归集进度")

    def __str__(self) -> str:
        return f"{self.key} {self.watermark}"


# --- The serious-violation list ---------------------------------------------------------------------


class ListingStatus(models.TextChoices):
    PROPOSED = "proposed", _("拟列入")
    NOTICED = "noticed", _("已告知（陈述申辩期）")
    PENDING_APPROVAL = "pending_approval", _("待上一级局审核")
    APPROVED = "approved", _("上一级局已同意")
    LISTED = "listed", _("已列入")
    REMOVED = "removed", _("已移出")
    NOT_LISTED = "not_listed", _("不予列入")


class RemovalHow(models.TextChoices):
    EXPIRY = "expiry", _("期满移出")
    EARLY = "early", _("提前移出")


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent())
class Listing(models.Model):
    """A listing on the serious-violation list (严重违法失信名单, SAMR Order 44 of 2021): from a qualifying
    penalty through prior notice, the upper bureau's approval and a leader's decision to publication and
    removal. Never deleted; whether it is listed on a day is computed from the dates."""

    number = models.CharField(_("名单编号"), max_length=32, unique=True)
    enterprise = models.ForeignKey(
        "core.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="credit_listings"
    )
    # As published (the enterprise's data when the listing was proposed).
    enterprise_name = models.CharField(_("企业名称"), max_length=200)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18)
    legal_representative = models.CharField(_("法定代表人"), max_length=64, blank=True)
    region_code = models.CharField(_("企业所在地区"), max_length=6)
    penalty_fact = models.ForeignKey(
        "core.EnterpriseFact", verbose_name=_("据以列入的行政处罚"), on_delete=models.PROTECT, related_name="+"
    )
    decision_no = models.CharField(_("处罚决定书文号"), max_length=64, blank=True)
    reason = models.TextField(_("列入事由"))
    basis = models.CharField(_("列入依据"), max_length=255)
    authority = models.ForeignKey(
        "core.Region", verbose_name=_("作出决定的部门所在地区"), on_delete=models.PROTECT, related_name="+"
    )
    authority_name = models.CharField(_("作出决定的部门"), max_length=128)
    appeal = models.TextField(_("救济途径"), blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=ListingStatus.choices, default=ListingStatus.PROPOSED)
    proposed_on = models.DateField(_("提出日期"))
    noticed_on = models.DateField(_("告知书送达日期"), null=True, blank=True)
    defence_due_on = models.DateField(_("陈述申辩期限"), null=True, blank=True)
    defence = models.TextField(_("陈述申辩意见"), blank=True)
    defence_on = models.DateField(_("陈述申辩日期"), null=True, blank=True)
    needs_approval = models.BooleanField(_("须经上一级局审核"), default=False)
    approved_on = models.DateField(_("上一级局同意日期"), null=True, blank=True)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    listed_on = models.DateField(_("列入日期"), null=True, blank=True)
    planned_removal_on = models.DateField(_("计划移出日期"), null=True, blank=True)
    removed_on = models.DateField(_("移出日期"), null=True, blank=True)
    removal_how = models.CharField(_("移出方式"), max_length=8, choices=RemovalHow.choices, blank=True)
    closing_reason = models.TextField(_("不予列入理由"), blank=True)
    listed_fact = models.ForeignKey(
        "core.EnterpriseFact",
        verbose_name=_("列入信息"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("严重违法失信名单")
        verbose_name_plural = _("严重违法失信名单")
        ordering = ["-proposed_on", "-id"]
        constraints = [
            known_states_check("status", ListingStatus.values, "credit_listing_status_known"),
            # One open listing per penalty (a refused proposal may be made again).
            models.UniqueConstraint(
                fields=["penalty_fact"], condition=~Q(status="not_listed"), name="credit_listing_once_per_penalty"
            ),
            models.CheckConstraint(
                condition=Q(listed_on__isnull=True) | Q(planned_removal_on__gt=F("listed_on")),
                name="credit_listing_term_after_listing",
            ),
            models.CheckConstraint(
                condition=Q(removed_on__isnull=True) | (Q(listed_on__isnull=False) & Q(removed_on__gte=F("listed_on"))),
                name="credit_listing_removed_after_listed",
            ),
        ]
        indexes = [
            # Public search by name: ILIKE '%…%' on the bare column is served by the trigram index (≥ 3
            # characters); shorter queries scan this small table.
            GinIndex(fields=["enterprise_name"], name="credit_listing_name_trgm", opclasses=["gin_trgm_ops"]),
            models.Index(fields=["uscc"], name="credit_listing_uscc_idx"),
            # The public list (listed now) and the expiry job: status + dates.
            models.Index(fields=["status", "planned_removal_on"], name="credit_listing_status_idx"),
            # The public list, newest listing first: the first page is read in order, not sorted.
            models.Index(fields=["-listed_on", "-id"], name="credit_listing_order_idx"),
            models.Index(fields=["region_code"], name="credit_listing_region_idx", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.enterprise_name}"

    @property
    def history_region_code(self) -> str:
        return self.region_code

    def is_listed_on(self, day) -> bool:
        """Listed on ``day``: from the listing date until (not including) the removal date."""
        if self.listed_on is None or day < self.listed_on:
            return False
        end = self.removed_on or self.planned_removal_on
        return end is None or day < end


class ListingStep(models.Model):
    """Every step of a listing, in order (who, when, from which state to which, and the note)."""

    listing = models.ForeignKey(Listing, verbose_name=_("名单"), on_delete=models.PROTECT, related_name="steps")
    action = models.CharField(_("办理事项"), max_length=32)
    from_status = models.CharField(_("原状态"), max_length=16, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16)
    on = models.DateField(_("日期"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办理人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(_("说明"), blank=True)
    at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("名单办理记录")
        verbose_name_plural = _("名单办理记录")
        ordering = ["listing", "at", "id"]

    def __str__(self) -> str:
        return f"{self.listing_id} {self.action} {self.on}"

    ACTION_LABELS = {
        "propose": _("提出列入"),
        "notice": _("送达列入告知书"),
        "defence": _("陈述申辩"),
        "submit": _("报上一级局审核"),
        "approve": _("上一级局同意"),
        "decide": _("决定列入并公示"),
        "decline": _("不予列入"),
        "remove_expiry": _("期满移出"),
        "remove_early": _("提前移出"),
    }

    @property
    def action_label(self) -> str:
        return str(self.ACTION_LABELS.get(self.action, self.action))

    @property
    def from_label(self) -> str:
        return str(ListingStatus(self.from_status).label) if self.from_status else "—"

    @property
    def to_label(self) -> str:
        return str(ListingStatus(self.to_status).label)


# --- Applications (提前移出, 信用修复) ---------------------------------------------------------------


class ApplicationKind(models.TextChoices):
    EARLY_REMOVAL = "early_removal", _("提前移出严重违法失信名单")
    PENALTY_REPAIR = "penalty_repair", _("行政处罚信息信用修复")


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("已受理，待决定")
    GRANTED = "granted", _("准予")
    REFUSED = "refused", _("不予准许")
    WITHDRAWN = "withdrawn", _("已撤回")


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent())
class CreditApplication(models.Model):
    """An enterprise's application: early removal from the list (信用修复管理办法 art. 7) or ending the
    publication of a penalty (art. 6). Staff decide within the limit, after seeing the documents."""

    number = models.CharField(_("申请编号"), max_length=32, unique=True)
    kind = models.CharField(_("申请事项"), max_length=16, choices=ApplicationKind.choices)
    status = models.CharField(
        _("状态"), max_length=12, choices=ApplicationStatus.choices, default=ApplicationStatus.SUBMITTED
    )
    enterprise = models.ForeignKey(
        "core.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="credit_applications"
    )
    region_code = models.CharField(_("企业所在地区"), max_length=6)
    listing = models.ForeignKey(
        Listing, verbose_name=_("名单"), on_delete=models.PROTECT, null=True, blank=True, related_name="applications"
    )
    penalty_fact = models.ForeignKey(
        "core.EnterpriseFact",
        verbose_name=_("公示的行政处罚"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    statement = models.TextField(_("申请理由"))
    harm_removed = models.BooleanField(_("已主动消除危害后果和不良社会影响"), default=False)
    commitment = models.BooleanField(_("已作出信用承诺"), default=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_on = models.DateField(_("受理日期"))
    decision_due_on = models.DateField(_("决定期限"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("决定人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    decision_note = models.TextField(_("决定理由"), blank=True)
    evidence_checked = models.BooleanField(_("已审查申请材料"), default=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("信用申请")
        verbose_name_plural = _("信用申请")
        ordering = ["-submitted_on", "-id"]
        constraints = [
            known_states_check("status", ApplicationStatus.values, "credit_application_status_known"),
            known_states_check("kind", ApplicationKind.values, "credit_application_kind_known"),
            models.CheckConstraint(
                condition=(Q(kind="early_removal") & Q(listing__isnull=False))
                | (Q(kind="penalty_repair") & Q(penalty_fact__isnull=False)),
                name="credit_application_subject",
            ),
            # One open application per listing or penalty.
            models.UniqueConstraint(
                fields=["kind", "listing"],
                condition=Q(status="submitted", listing__isnull=False),
                name="credit_one_open_removal_application",
            ),
            models.UniqueConstraint(
                fields=["kind", "penalty_fact"],
                condition=Q(status="submitted", penalty_fact__isnull=False),
                name="credit_one_open_repair_application",
            ),
        ]
        indexes = [
            models.Index(fields=["region_code"], name="credit_app_region_idx", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.get_kind_display()}"

    @property
    def history_region_code(self) -> str:
        return self.region_code


class ApplicationDocument(models.Model):
    """A document attached to an application (PDF, JPEG or PNG, checked by content; stored under a generated
    name)."""

    application = models.ForeignKey(
        CreditApplication, verbose_name=_("申请"), on_delete=models.PROTECT, related_name="documents"
    )
    file = models.FileField(_("文件"), upload_to="credit/applications/%Y/%m/", max_length=255)
    original_name = models.CharField(_("原文件名"), max_length=255)
    content_type = models.CharField(_("文件类型"), max_length=32)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")
        ordering = ["application", "id"]

    def __str__(self) -> str:
        return self.original_name


# Early warning's models (owned by credit.warnings) are part of this app.
from credit.models_warnings import *  # noqa: E402,F401,F403

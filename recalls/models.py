"""Defect recalls (缺陷产品召回): defect reports, investigations, recalls with their filed versions, VIN ranges,
and the progress and summary reports. Workflows live in services; this module holds data and constraints.

Vehicles follow 《缺陷汽车产品召回管理条例》 (State Council Order 626) and its 实施办法; consumer goods
《消费品召回管理暂行规定》 (SAMR Order 19 of 2019).
"""

from __future__ import annotations

import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from core.models import Enterprise, ProductType, Region
from core.transitions import known_states_check


class Category(models.TextChoices):
    VEHICLE = "vehicle", _("汽车产品")
    CONSUMER = "consumer", _("消费品")


class Remedy(models.TextChoices):
    REPAIR = "repair", _("修理")
    REPLACE = "replace", _("更换")
    REFUND = "refund", _("退货")
    INSTRUCTIONS = "instructions", _("补充或者修正警示标识、使用说明")
    OTA = "ota", _("在线升级（OTA）")


# --- Defect reports (缺陷线索) --------------------------------------------------------------------


class ReportSource(models.TextChoices):
    PUBLIC = "public", _("社会公众")
    PRODUCER = "producer", _("生产者")
    STAFF = "staff", _("监管部门")


class DefectReportStatus(models.TextChoices):
    NEW = "new", _("待分拣")
    ACCEPTED = "accepted", _("已受理")
    INVESTIGATING = "investigating", _("已转缺陷调查")
    DISMISSED = "dismissed", _("不予处理")


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent())
class DefectReport(models.Model):
    """A defect report (缺陷线索) from the public, a producer or staff. The reporter's contact details are
    never shown outside the bureau; the description is shown publicly only with ``consent_publish``."""

    report_no = models.CharField(_("线索编号"), max_length=32, unique=True)
    source = models.CharField(_("来源"), max_length=10, choices=ReportSource.choices)
    category = models.CharField(_("产品类别"), max_length=10, choices=Category.choices)
    product = models.CharField(_("产品名称"), max_length=128)
    brand = models.CharField(_("品牌"), max_length=64)
    model = models.CharField(_("型号"), max_length=64)
    # Normalised brand + model: reports on the same product are grouped and counted by it.
    group_key = models.CharField(_("归并键"), max_length=140, db_index=True)
    vin = models.CharField(_("车辆识别代号（VIN）"), max_length=17, blank=True)
    batch = models.CharField(_("生产批号"), max_length=64, blank=True)
    purchased_on = models.DateField(_("购买日期"), null=True, blank=True)
    description = models.TextField(_("问题描述"))
    injury = models.BooleanField(_("是否造成人身伤害"), default=False)
    injury_detail = models.CharField(_("伤害情况"), max_length=255, blank=True)
    region = models.ForeignKey(
        Region, verbose_name=_("所在地区"), on_delete=models.PROTECT, related_name="defect_reports"
    )
    producer = models.ForeignKey(
        Enterprise,
        verbose_name=_("生产者"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="defect_reports",
    )
    product_type = models.ForeignKey(
        ProductType, verbose_name=_("产品种类"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Private: shown to staff only.
    reporter_name = models.CharField(_("报告人姓名"), max_length=64)
    reporter_phone = models.CharField(_("联系电话"), max_length=32)
    reporter_email = models.EmailField(_("电子邮箱"), blank=True)
    consent_publish = models.BooleanField(_("同意公开问题描述（不含个人信息）"), default=False)
    status = models.CharField(
        _("状态"), max_length=16, choices=DefectReportStatus.choices, default=DefectReportStatus.NEW
    )
    triage_note = models.CharField(_("分拣意见"), max_length=255, blank=True)
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("分拣人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交账号"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    received_on = models.DateField(_("收到日期"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("缺陷线索")
        verbose_name_plural = _("缺陷线索")
        ordering = ["-received_on", "-id"]
        constraints = [
            known_states_check("status", DefectReportStatus.values, "recalls_defectreport_status_known"),
            known_states_check("category", Category.values, "recalls_defectreport_category_known"),
            known_states_check("source", ReportSource.values, "recalls_defectreport_source_known"),
        ]
        indexes = [
            # Clusters: reports on one model within a period (group_key, received_on range).
            models.Index(fields=["group_key", "received_on"], name="recalls_report_cluster_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.report_no} {self.brand} {self.model}"


class DefectReportPhoto(models.Model):
    """A photo of a defect report, checked by its content; the stored name is generated."""

    report = models.ForeignKey(DefectReport, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("照片"), upload_to="recalls/reports/%Y/%m/")
    content_type = models.CharField(_("类型"), max_length=32)
    size = models.PositiveIntegerField(_("大小（字节）"))
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("线索照片")
        verbose_name_plural = _("线索照片")

    def __str__(self) -> str:
        return self.image.name


# --- Defect investigations (缺陷调查) --------------------------------------------------------------


class InvestigationStatus(models.TextChoices):
    OPEN = "open", _("调查中")
    CONCLUDED = "concluded", _("已通知结论")
    OBJECTED = "objected", _("生产者异议中")
    FINAL = "final", _("结论确定")


class Conclusion(models.TextChoices):
    DEFECT = "defect", _("存在缺陷")
    NO_DEFECT = "no_defect", _("不存在缺陷")


class InvestigationOutcome(models.TextChoices):
    NONE = "", _("—")
    REQUESTED = "requested", _("已通知生产者召回")
    ORDERED = "ordered", _("已责令召回")


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent())
class Investigation(models.Model):
    """A defect investigation (缺陷调查) of one producer's product, opened from one or more reports."""

    investigation_no = models.CharField(_("调查编号"), max_length=32, unique=True)
    producer = models.ForeignKey(
        Enterprise, verbose_name=_("生产者"), on_delete=models.PROTECT, related_name="defect_investigations"
    )
    region = models.ForeignKey(Region, verbose_name=_("承办地区"), on_delete=models.PROTECT, related_name="+")
    category = models.CharField(_("产品类别"), max_length=10, choices=Category.choices)
    product = models.CharField(_("产品名称"), max_length=128)
    brand = models.CharField(_("品牌"), max_length=64)
    models_text = models.CharField(_("型号"), max_length=255)
    reports = models.ManyToManyField(
        DefectReport, verbose_name=_("缺陷线索"), related_name="investigations", blank=True
    )
    opened_on = models.DateField(_("立项日期"))
    tests = models.TextField(_("检测、试验情况"), blank=True)
    findings = models.TextField(_("调查发现"), blank=True)
    conclusion = models.CharField(_("调查结论"), max_length=10, choices=Conclusion.choices, blank=True)
    concealed = models.BooleanField(_("生产者隐瞒缺陷"), default=False)
    notified_on = models.DateField(_("结论通知送达日"), null=True, blank=True)
    objection = models.TextField(_("生产者异议"), blank=True)
    objected_on = models.DateField(_("异议日期"), null=True, blank=True)
    objection_reply = models.TextField(_("异议复核意见"), blank=True)
    finalised_on = models.DateField(_("结论确定日期"), null=True, blank=True)
    outcome = models.CharField(
        _("后续处理"), max_length=10, choices=InvestigationOutcome.choices, blank=True, default=""
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=InvestigationStatus.choices, default=InvestigationStatus.OPEN
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("立项人"), on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("缺陷调查")
        verbose_name_plural = _("缺陷调查")
        ordering = ["-opened_on", "-id"]
        constraints = [
            known_states_check("status", InvestigationStatus.values, "recalls_investigation_status_known"),
            models.CheckConstraint(
                condition=Q(conclusion__in=["", *Conclusion.values]), name="recalls_investigation_conclusion_known"
            ),
            # A conclusion is notified before it becomes final.
            models.CheckConstraint(
                condition=Q(status="open") | (~Q(conclusion="") & Q(notified_on__isnull=False)),
                name="recalls_investigation_concluded_has_notice",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.investigation_no} {self.brand} {self.product}"


# --- Recalls (召回) ---------------------------------------------------------------------------------


class RecallKind(models.TextChoices):
    VOLUNTARY = "voluntary", _("主动召回")
    ORDERED = "ordered", _("责令召回")


class RecallStatus(models.TextChoices):
    ORDERED = "ordered", _("已责令召回（待备案）")
    REFUSED = "refused", _("拒不召回")
    FILED = "filed", _("已备案")
    IMPLEMENTING = "implementing", _("实施中")
    ENDED = "ended", _("实施结束（待总结）")
    COMPLETED = "completed", _("已完成")
    TERMINATED = "terminated", _("已终止")


PUBLIC_STATUSES = (RecallStatus.IMPLEMENTING, RecallStatus.ENDED, RecallStatus.COMPLETED, RecallStatus.TERMINATED)


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent())
class Recall(models.Model):
    """A recall (召回) of one producer: the current filed plan; earlier plans are its versions."""

    recall_no = models.CharField(_("召回编号"), max_length=32, unique=True)
    kind = models.CharField(_("召回方式"), max_length=10, choices=RecallKind.choices)
    category = models.CharField(_("产品类别"), max_length=10, choices=Category.choices)
    status = models.CharField(_("状态"), max_length=14, choices=RecallStatus.choices, default=RecallStatus.FILED)
    producer = models.ForeignKey(Enterprise, verbose_name=_("生产者"), on_delete=models.PROTECT, related_name="recalls")
    # The producer's region when filed: staff of this jurisdiction supervise the recall.
    region = models.ForeignKey(Region, verbose_name=_("所在地区"), on_delete=models.PROTECT, related_name="+")
    investigation = models.ForeignKey(
        Investigation,
        verbose_name=_("缺陷调查"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recalls",
    )
    product_type = models.ForeignKey(
        ProductType, verbose_name=_("产品种类"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    product = models.CharField(_("产品名称"), max_length=128)
    brand = models.CharField(_("品牌"), max_length=64)
    models_list = ArrayField(models.CharField(max_length=64), verbose_name=_("型号"), default=list)
    production_from = models.DateField(_("生产起始日期"), null=True, blank=True)
    production_to = models.DateField(_("生产截止日期"), null=True, blank=True)
    batches = models.CharField(_("生产批号"), max_length=255, blank=True)
    units_affected = models.PositiveIntegerField(_("涉及数量"), default=0)
    defect = models.TextField(_("缺陷情况"), blank=True)
    hazard = models.TextField(_("可能造成的危害"), blank=True)
    emergency_measures = models.TextField(_("应急处置措施"), blank=True)
    remedies = ArrayField(
        models.CharField(max_length=16, choices=Remedy.choices), verbose_name=_("召回措施"), default=list
    )
    remedy_detail = models.TextField(_("召回措施说明"), blank=True)
    owner_notification = models.TextField(_("通知用户的方式"), blank=True)
    hotline = models.CharField(_("咨询电话"), max_length=64, blank=True)
    injuries = models.CharField(_("已知伤害情况"), max_length=255, blank=True)
    retailers = models.CharField(_("销售渠道"), max_length=255, blank=True)
    started_on = models.DateField(_("召回开始日期"), null=True, blank=True)
    planned_end_on = models.DateField(_("计划完成日期"), null=True, blank=True)
    # Internal, never public: the producer's own notes to the bureau and the bureau's own notes.
    internal_note = models.TextField(_("内部备注（不公开）"), blank=True)
    version = models.PositiveSmallIntegerField(_("计划版本"), default=0)
    ordered_on = models.DateField(_("责令召回日期"), null=True, blank=True)
    filed_on = models.DateField(_("备案日期"), null=True, blank=True)
    published_on = models.DateField(_("公告发布日期"), null=True, blank=True)
    # Last time the public notice changed (publication, re-filing, a progress report): ?since= syncs on it.
    last_published_at = models.DateTimeField(_("公告最后更新时间"), null=True, blank=True)
    ended_on = models.DateField(_("实施结束日期"), null=True, blank=True)
    completed_on = models.DateField(_("完成日期"), null=True, blank=True)
    terminated_on = models.DateField(_("终止日期"), null=True, blank=True)
    termination_reason = models.CharField(_("终止原因"), max_length=255, blank=True)
    refusal_reason = models.CharField(_("拒不召回情况"), max_length=255, blank=True)
    # The figures of the latest progress report (or the summary): the live completion rate.
    units_remedied = models.PositiveIntegerField(_("已完成召回数量"), default=0)
    units_unreachable = models.PositiveIntegerField(_("无法联系数量"), default=0)
    figures_as_of = models.DateField(_("数据截至"), null=True, blank=True)
    summary = models.TextField(_("总结报告"), blank=True)
    # Product, brand, models and producer in one column for the public search (trigram-indexed ILIKE).
    search_text = models.TextField(_("检索文本"), blank=True, editable=False)
    # Its two-character pieces (upper case): a 2-character query — a Chinese brand or word — has no trigram,
    # so it is answered from these instead (search_bigrams @> ARRAY[q], GIN-indexed).
    search_bigrams = ArrayField(models.CharField(max_length=2), default=list, blank=True, editable=False)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("备案人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("召回")
        verbose_name_plural = _("召回")
        ordering = ["-filed_on", "-id"]
        constraints = [
            known_states_check("status", RecallStatus.values, "recalls_recall_status_known"),
            known_states_check("kind", RecallKind.values, "recalls_recall_kind_known"),
            known_states_check("category", Category.values, "recalls_recall_category_known"),
            models.CheckConstraint(
                condition=Q(production_from__isnull=True)
                | Q(production_to__isnull=True)
                | Q(production_to__gte=F("production_from")),
                name="recalls_recall_production_period_ordered",
            ),
            models.CheckConstraint(
                condition=Q(units_remedied__lte=F("units_affected"))
                & Q(units_unreachable__lte=F("units_affected") - F("units_remedied")),
                name="recalls_recall_figures_within_units",
            ),
            # A notice is public only once published.
            models.CheckConstraint(
                condition=~Q(status__in=PUBLIC_STATUSES)
                | Q(published_on__isnull=False, last_published_at__isnull=False)
                | Q(status="terminated"),
                name="recalls_recall_public_has_publication",
            ),
        ]
        indexes = [
            # Public portal and feed: published notices, newest first.
            models.Index(
                fields=["-last_published_at"],
                name="recalls_recall_published_idx",
                condition=Q(published_on__isnull=False),
            ),
            # Public portal's default order: published notices, newest publication first.
            models.Index(
                fields=["-published_on", "-id"],
                name="recalls_recall_pub_order_idx",
                condition=Q(published_on__isnull=False),
            ),
            # Public search by brand (exact, case-insensitive via upper) and category + date.
            models.Index(fields=["category", "-published_on"], name="recalls_recall_cat_date_idx"),
            # Lookup by model: models_list @> ARRAY[...]
            GinIndex(fields=["models_list"], name="recalls_recall_models_gin"),
            # Public search ?q=: search_text ILIKE '%…%'.
            GinIndex(fields=["search_text"], name="recalls_recall_search_trgm", opclasses=["gin_trgm_ops"]),
            # Two-character public search: search_bigrams @> ARRAY[…].
            GinIndex(fields=["search_bigrams"], name="recalls_recall_bigrams_gin"),
            # Brand filter: upper(brand) = upper(%s) [AND category = %s], newest first.
            models.Index(
                Upper("brand"), "category", F("published_on").desc(), F("id").desc(), name="recalls_recall_brand_idx"
            ),  # fmt: skip
            # Staff lists scoped by jurisdiction: region_id LIKE 'prefix%'.
            models.Index(fields=["region"], name="recalls_recall_region_idx", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self) -> str:
        return f"{self.recall_no} {self.brand} {self.product}"

    @property
    def is_public(self) -> bool:
        return self.published_on is not None

    @property
    def reachable_units(self) -> int:
        return max(self.units_affected - self.units_unreachable, 0)

    @property
    def completion_rate(self) -> float | None:
        """Remedied ÷ (affected − unreachable): the share of the owners who could be reached."""
        return None if not self.reachable_units else self.units_remedied / self.reachable_units

    @property
    def completion_rate_all(self) -> float | None:
        """Remedied ÷ affected: the share of every unit affected."""
        return None if not self.units_affected else self.units_remedied / self.units_affected


class RecallVersion(models.Model):
    """One filed version of a recall plan (备案 and each 重新备案); insert-only."""

    recall = models.ForeignKey(Recall, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("版本"))
    filed_on = models.DateField(_("备案日期"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("备案人"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    reason = models.CharField(_("变更原因"), max_length=255, blank=True)
    plan = models.JSONField(_("召回计划"))
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("召回计划版本")
        verbose_name_plural = _("召回计划版本")
        ordering = ["recall", "number"]
        constraints = [
            models.UniqueConstraint(fields=["recall", "number"], name="recalls_version_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.recall_id} v{self.number}"


class VinRange(models.Model):
    """Vehicles covered by a recall: a run of serial numbers of one VIN stem (a single VIN is a run of one).

    ``stem`` is the VIN without its check digit and serial: positions 1–8 and 10–11 (the check digit at
    position 9 changes along a run). ``serial_from``/``serial_to`` are positions 12–17; fixed-length strings
    compare in the same order as the serials.
    """

    recall = models.ForeignKey(Recall, on_delete=models.CASCADE, related_name="vin_ranges")
    stem = models.CharField(_("VIN 前段"), max_length=10)
    serial_from = models.CharField(_("起始序号"), max_length=6)
    serial_to = models.CharField(_("截止序号"), max_length=6)
    units = models.PositiveIntegerField(_("数量"))
    first_vin = models.CharField(_("起始 VIN"), max_length=17)
    last_vin = models.CharField(_("截止 VIN"), max_length=17)

    class Meta:
        verbose_name = _("VIN 范围")
        verbose_name_plural = _("VIN 范围")
        constraints = [
            models.CheckConstraint(condition=Q(serial_to__gte=F("serial_from")), name="recalls_vinrange_ordered"),
        ]
        indexes = [
            # The owners' lookup: stem = %s AND serial_from <= %s AND serial_to >= %s (an index probe).
            models.Index(fields=["stem", "serial_from", "serial_to"], name="recalls_vin_lookup_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.first_vin}~{self.last_vin}"


class ReportKind(models.TextChoices):
    PROGRESS = "progress", _("阶段性进展报告")
    SUMMARY = "summary", _("总结报告")


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent())
class RecallReport(models.Model):
    """A report the producer owes: a progress report every period or the summary after the end. The row
    exists from when it falls due (its clock in ``core.timelimits``); ``submitted_on`` is set when filed."""

    recall = models.ForeignKey(Recall, on_delete=models.CASCADE, related_name="reports")
    kind = models.CharField(_("报告类型"), max_length=10, choices=ReportKind.choices)
    number = models.PositiveSmallIntegerField(_("序号"))
    period_start = models.DateField(_("报告期起始"))
    due_on = models.DateField(_("应报日期"))
    due_basis = models.CharField(_("期限依据"), max_length=255, blank=True)
    submitted_on = models.DateField(_("报送日期"), null=True, blank=True)
    units_affected = models.PositiveIntegerField(_("涉及数量"), null=True, blank=True)
    units_remedied = models.PositiveIntegerField(_("已完成召回数量"), null=True, blank=True)
    units_unreachable = models.PositiveIntegerField(_("无法联系数量"), null=True, blank=True)
    unreachable_reasons = models.CharField(_("无法联系的原因"), max_length=255, blank=True)
    note = models.TextField(_("说明"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报送人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("召回报告")
        verbose_name_plural = _("召回报告")
        ordering = ["recall", "kind", "number"]
        constraints = [
            models.UniqueConstraint(fields=["recall", "kind", "number"], name="recalls_report_unique_number"),
            known_states_check("kind", ReportKind.values, "recalls_report_kind_known"),
            models.CheckConstraint(
                condition=Q(submitted_on__isnull=True)
                | (
                    Q(units_affected__isnull=False, units_remedied__isnull=False, units_unreachable__isnull=False)
                    & Q(units_remedied__lte=F("units_affected"))
                    & Q(units_unreachable__lte=F("units_affected") - F("units_remedied"))
                ),
                name="recalls_report_figures_within_units",
            ),
        ]
        indexes = [
            # Overdue lists: open reports by due date.
            models.Index(fields=["due_on"], name="recalls_report_open_due_idx", condition=Q(submitted_on__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"{self.recall.recall_no} {self.get_kind_display()} {self.number}"

    @property
    def reachable_units(self) -> int | None:
        if self.units_affected is None:
            return None
        return max(self.units_affected - (self.units_unreachable or 0), 0)

    @property
    def completion_rate(self) -> float | None:
        reachable = self.reachable_units
        return None if not reachable else (self.units_remedied or 0) / reachable

    @property
    def completion_rate_all(self) -> float | None:
        return None if not self.units_affected else (self.units_remedied or 0) / self.units_affected


class RecallSequence(models.Model):
    """Per-year counters of the numbers given out (召回、线索、调查), locked while a number is taken."""

    prefix = models.CharField(max_length=8)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="recalls_sequence_unique")]

    def __str__(self) -> str:
        return f"{self.prefix}{self.year}:{self.last}"

"""Supervisory sampling (监督抽查): tasks, the random draw, samples, results, objections,
post-processing and publication. Workflows live in services; this module holds data and constraints."""

from __future__ import annotations

import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Q
from django.db.models.functions import Substr
from django.utils.translation import gettext_lazy as _

from core.models import Enterprise, EnterpriseSize, Institution, ProductType, Region, TestItem, Zone
from core.uploads import UploadTo, protected_url
from sampling import progress


class TaskLevel(models.TextChoices):
    NATIONAL = "national", _("国家")
    PROVINCE = "province", _("省")
    CITY = "city", _("市")
    COUNTY = "county", _("县")


class TaskStatus(models.TextChoices):
    PLANNED = "planned", _("计划中")
    DRAWN = "drawn", _("已抽取")
    IN_PROGRESS = "in_progress", _("实施中")
    COMPLETED = "completed", _("已完成")


# The progress counters are not history: they follow the samples (whose own history is kept), so they are left
# out of the task's events and a change of them alone records none.
@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), exclude=list(progress.COUNTERS))
class SamplingTask(models.Model):
    """A supervisory spot-check task (抽查任务) of one plan batch."""

    code = models.CharField(_("任务编号"), max_length=64, unique=True)
    name = models.CharField(_("任务名称"), max_length=200)
    level = models.CharField(_("抽查级别"), max_length=10, choices=TaskLevel.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    batch = models.CharField(_("批次"), max_length=32, blank=True)
    region = models.ForeignKey(
        Region, verbose_name=_("组织地区"), on_delete=models.PROTECT, related_name="sampling_tasks"
    )
    product_types = models.ManyToManyField(ProductType, verbose_name=_("抽查产品"), related_name="sampling_tasks")
    target_batches = models.PositiveIntegerField(_("计划批次数"), default=1, db_default=1)
    institution = models.ForeignKey(
        Institution, verbose_name=_("承检机构"), on_delete=models.PROTECT, null=True, blank=True, related_name="tasks"
    )
    budget = models.DecimalField(_("经费预算（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    deadline = models.DateField(_("完成期限"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=TaskStatus.choices, default=TaskStatus.PLANNED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    # Progress (voided samples not counted), kept by the database itself: triggers on sampling_sample move them
    # with every statement that writes samples, and only they (or the recount) may write them (sampling.progress).
    sampled_count = models.PositiveIntegerField(_("已抽样批次"), default=0, db_default=0, editable=False)
    tested_count = models.PositiveIntegerField(_("已检验批次"), default=0, db_default=0, editable=False)
    failed_count = models.PositiveIntegerField(_("不合格批次"), default=0, db_default=0, editable=False)
    published_count = models.PositiveIntegerField(_("已公告批次"), default=0, db_default=0, editable=False)

    class Meta:
        verbose_name = _("抽查任务")
        verbose_name_plural = _("抽查任务")
        ordering = ["-year", "-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(level__in=TaskLevel.values), name="task_level_known"),
            models.CheckConstraint(condition=Q(status__in=TaskStatus.values), name="task_status_known"),
            models.CheckConstraint(condition=Q(year__gte=2000) & Q(year__lte=2100), name="task_year_range"),
            models.CheckConstraint(condition=Q(budget__isnull=True) | Q(budget__gte=0), name="task_budget_positive"),
            # A task plans at least one batch (计划批次数 ≥ 1).
            models.CheckConstraint(condition=Q(target_batches__gte=1), name="task_target_batches_positive"),
            # Counters that cannot be right refuse the write (a delta applied to a wrong value fails loudly).
            models.CheckConstraint(
                condition=Q(failed_count__lte=models.F("tested_count"))
                & Q(tested_count__lte=models.F("sampled_count"))
                & Q(published_count__lte=models.F("sampled_count")),
                name="task_progress_consistent",
            ),
        ]
        indexes = [
            # Jurisdiction scoping: region_id LIKE 'prefix%'.
            models.Index(fields=["region"], name="task_region_idx", opclasses=["varchar_pattern_ops"]),
        ]
        triggers = [
            # Only the sample triggers and the recount write the progress counters (sampling.progress).
            pgtrigger.Trigger(
                name="task_progress_guard",
                when=pgtrigger.Before,
                operation=pgtrigger.Insert | pgtrigger.Update,
                func=progress.GUARD,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Draw(models.Model):
    """One attempt of the random draw (双随机) of enterprises and inspectors for a task, stored so anyone can
    re-run it. The seed comes from the server; the candidate pool is frozen and its SHA-256 recorded before
    drawing. Attempt 1 needs nothing more; every later attempt cites the approved RedrawRequest it uses."""

    task = models.ForeignKey(SamplingTask, verbose_name=_("抽查任务"), on_delete=models.PROTECT, related_name="draws")
    attempt = models.PositiveSmallIntegerField(_("抽取次序"), default=1)
    redraw_request = models.OneToOneField(
        "RedrawRequest",
        verbose_name=_("重新抽取申请"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="redraw",
    )
    seed = models.CharField(_("随机种子"), max_length=64)
    criteria = models.JSONField(_("抽取条件"), default=dict)
    weights = models.JSONField(_("信用分类权重"), default=dict)
    # [[enterprise_id, uscc, credit_class, weight], ...] by enterprise id: the frozen pool (docs/draw.md).
    candidates = models.JSONField(_("候选企业池"), default=list)
    # SHA-256 (hex) of the canonical JSON of ``candidates``, computed before the draw (sampling.services.draw).
    pool_sha256 = models.CharField(_("候选企业池 SHA-256"), max_length=64, blank=True, default="")
    selected = models.JSONField(_("抽中企业"), default=list)
    inspector_pool = models.JSONField(_("候选检查人员"), default=list)
    # {enterprise_id: [inspector_id, inspector_id]}
    assignments = models.JSONField(_("检查人员分配"), default=dict)
    # The inspectors of ``assignments``, flat: which tasks a drawn inspector may open and sample for.
    assigned_inspectors = ArrayField(models.IntegerField(), verbose_name=_("抽中检查人员"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("抽取人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("抽取时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("随机抽取记录")
        verbose_name_plural = _("随机抽取记录")
        ordering = ["-created_at"]
        constraints = [
            # Two people drawing at once cannot both make attempt n.
            models.UniqueConstraint(fields=["task", "attempt"], name="draw_attempt_unique_in_task"),
            models.CheckConstraint(condition=Q(attempt__gte=1), name="draw_attempt_positive"),
            # A repeat draw always cites its approved request; the first never does.
            models.CheckConstraint(
                condition=Q(attempt=1, redraw_request__isnull=True) | Q(attempt__gt=1, redraw_request__isnull=False),
                name="draw_repeat_needs_request",
            ),
        ]
        indexes = [
            # tasks_visible_to(): tasks whose current draw assigns the user (assigned_inspectors @> ARRAY[id]).
            GinIndex(fields=["assigned_inspectors"], name="draw_assigned_inspectors_gin"),
        ]
        # A draw is evidence: once stored it can be re-run and compared, never edited or removed.
        triggers = [
            pgtrigger.Protect(name="draw_insert_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return f"{self.task_id} #{self.attempt} / {self.seed}"


class RedrawStatus(models.TextChoices):
    REQUESTED = "requested", _("待审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("已驳回")
    USED = "used", _("已重新抽取")


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent())
class RedrawRequest(models.Model):
    """A request to draw a task again (重新抽取申请): its reason, and a leader's decision (not the requester's)."""

    task = models.ForeignKey(
        SamplingTask, verbose_name=_("抽查任务"), on_delete=models.PROTECT, related_name="redraw_requests"
    )
    # The attempt this request would replace (the task's current draw when it was made).
    draw = models.ForeignKey(Draw, verbose_name=_("原抽取记录"), on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("重新抽取理由"))
    status = models.CharField(_("状态"), max_length=10, choices=RedrawStatus.choices, default=RedrawStatus.REQUESTED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审批人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)

    class Meta:
        verbose_name = _("重新抽取申请")
        verbose_name_plural = _("重新抽取申请")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=RedrawStatus.values), name="redraw_status_known"),
            models.CheckConstraint(condition=~Q(reason=""), name="redraw_reason_given"),
            # Decided requests carry who decided and when; nobody approves their own request.
            models.CheckConstraint(
                condition=Q(status="requested", decided_by__isnull=True)
                | (~Q(status="requested") & Q(decided_by__isnull=False) & Q(decided_at__isnull=False)),
                name="redraw_decided_has_decider",
            ),
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=models.F("requested_by")),
                name="redraw_not_decided_by_requester",
            ),
            # At most one open (pending or approved, unused) request per task.
            models.UniqueConstraint(
                fields=["task"], condition=Q(status__in=["requested", "approved"]), name="redraw_one_open_per_task"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task_id} {self.get_status_display()}"


class Stage(models.TextChoices):
    PRODUCTION = "production", _("生产")
    CIRCULATION = "circulation", _("流通")
    ECOMMERCE = "ecommerce", _("电商")


class Verdict(models.TextChoices):
    PENDING = "", _("待检验")
    PASS = "pass", _("合格")
    FAIL = "fail", _("不合格")


# The batches, their results, item results and follow-up steps are written thousands at a time (an import's
# chunk, a publication, a bulk verdict update): their history is recorded by statement-level triggers, one
# set-based INSERT of the events per statement with the context attached once, instead of a trigger call per row.
# Same events, same context; a 20,000-row first import 4,100–4,400 → 4,800–5,200 rows/s (docs/performance.md).
@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent(), level=pghistory.Statement)
class Sample(models.Model):
    """A sampled batch (抽样单). Region, size, zone, year and final verdict are copied here when the
    sample is registered or judged, so that statistics group one table without joins."""

    task = models.ForeignKey(SamplingTask, verbose_name=_("抽查任务"), on_delete=models.PROTECT, related_name="samples")
    sample_no = models.CharField(_("抽样单编号"), max_length=64)
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("受检企业"), on_delete=models.PROTECT, related_name="samples"
    )
    product_type = models.ForeignKey(
        ProductType, verbose_name=_("产品名称"), on_delete=models.PROTECT, related_name="samples"
    )
    brand = models.CharField(_("商标"), max_length=128, blank=True)
    model_spec = models.CharField(_("规格型号"), max_length=128, blank=True)
    production_batch = models.CharField(_("生产日期/批号"), max_length=128, blank=True)
    stage = models.CharField(_("抽样环节"), max_length=12, choices=Stage.choices)
    place = models.CharField(_("抽样地点"), max_length=255, blank=True)
    sampled_on = models.DateField(_("抽样日期"))
    quantity = models.CharField(_("抽样数量"), max_length=32, blank=True)
    base_price = models.DecimalField(_("抽样基数/单价（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    inspectors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("抽样人员"), blank=True, related_name="samples_taken"
    )
    # Snapshots for scoping and statistics.
    region = models.ForeignKey(Region, verbose_name=_("所在地区"), on_delete=models.PROTECT, related_name="+")
    zone = models.CharField(_("经济区域"), max_length=8, choices=Zone.choices, blank=True, default="")
    enterprise_size = models.CharField(_("企业规模"), max_length=8, choices=EnterpriseSize.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    final_verdict = models.CharField(_("最终结论"), max_length=4, choices=Verdict.choices, blank=True, default="")
    is_published = models.BooleanField(_("已公告"), default=False)
    # 作废 (an approved void request): the sample stays as evidence but leaves statistics, reports and publication.
    voided_at = models.DateTimeField(_("作废时间"), null=True, blank=True)
    void_reason = models.TextField(_("作废理由"), blank=True, default="", db_default="")
    # 收样: the testing institution records when the sample arrived and in what condition (sample_receive).
    received_on = models.DateField(_("收样日期"), null=True, blank=True)
    received_condition = models.CharField(_("样品状态"), max_length=255, blank=True, default="", db_default="")
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("收样人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    announcement = models.ForeignKey(
        "Announcement",
        verbose_name=_("结果公告"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="samples",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("抽样单")
        verbose_name_plural = _("抽样单")
        ordering = ["-sampled_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["task", "sample_no"], name="sample_no_unique_in_task"),
            models.CheckConstraint(condition=Q(stage__in=Stage.values), name="sample_stage_known"),
            models.CheckConstraint(condition=Q(final_verdict__in=["", "pass", "fail"]), name="sample_verdict_known"),
            models.CheckConstraint(condition=Q(enterprise_size__in=EnterpriseSize.values), name="sample_size_known"),
            models.CheckConstraint(
                condition=Q(base_price__isnull=True) | Q(base_price__gte=0), name="sample_base_price_positive"
            ),
            # A voided sample says why; it is never public.
            models.CheckConstraint(
                condition=Q(voided_at__isnull=True) | (~Q(void_reason="") & Q(is_published=False)),
                name="sample_voided_has_reason",
            ),
        ]
        indexes = [
            # Jurisdiction scoping of staff lists: region_id LIKE 'prefix%'.
            models.Index(fields=["region"], name="sample_region_idx", opclasses=["varchar_pattern_ops"]),
            # Statistics by year (sampling_stats --year, reports).
            models.Index(fields=["year", "final_verdict"], name="sample_year_verdict_idx"),
            # Staff sample list, newest first (ORDER BY sampled_on DESC, id DESC LIMIT 50) for a national or
            # provincial user: read in order, the jurisdiction filtered on the way, no sort of millions of rows.
            models.Index(fields=["-sampled_on", "-id"], name="sample_list_order_idx"),
            # Recount of the tasks' progress counters (services.rebuild.recount_task_progress): index-only.
            # Voided samples (作废) are not progress: partial, so that the counts stay index-only.
            models.Index(
                fields=["task", "final_verdict", "is_published"],
                name="sample_task_progress_idx",
                condition=Q(voided_at__isnull=True),
            ),
            # Public announcement lists: only published rows, newest first.
            models.Index(fields=["-sampled_on", "-id"], name="sample_published_idx", condition=Q(is_published=True)),
            # Batch counts of a page of public announcements: index-only over published batches.
            models.Index(
                fields=["announcement", "final_verdict"],
                name="sample_announcement_pub_idx",
                condition=Q(is_published=True),
            ),
            # Public result search by region (public_filters.region_q): the newest published batches of a county
            # (region = code), a city (first 4 digits) or a province (first 2) read in the list's order, so a
            # region whose batches are not among the newest nationally is not found by walking past all of them;
            # the INCLUDE columns keep the capped count index-only (region_id itself too: PostgreSQL reads an
            # index-only scan of an expression index only when the column under the expression is in it).
            models.Index(
                fields=["region", "-sampled_on", "-id"],
                name="sample_pub_county_idx",
                condition=Q(is_published=True),
                include=["final_verdict", "announcement"],
            ),
            models.Index(
                Substr("region", 1, 4),
                models.F("sampled_on").desc(),
                models.F("id").desc(),
                name="sample_pub_city_idx",
                condition=Q(is_published=True),
                include=["final_verdict", "announcement", "region"],
            ),
            models.Index(
                Substr("region", 1, 2),
                models.F("sampled_on").desc(),
                models.F("id").desc(),
                name="sample_pub_province_idx",
                condition=Q(is_published=True),
                include=["final_verdict", "announcement", "region"],
            ),
        ]
        # The tasks' progress counters, once per statement (transition tables): sampling.progress.
        triggers = [
            pgtrigger.Trigger(
                name="task_progress_insert",
                when=pgtrigger.After,
                operation=pgtrigger.Insert,
                level=pgtrigger.Statement,
                referencing=pgtrigger.Referencing(new="progress_new"),
                func=progress.ON_INSERT,
            ),
            pgtrigger.Trigger(
                name="task_progress_update",
                when=pgtrigger.After,
                operation=pgtrigger.Update,
                level=pgtrigger.Statement,
                referencing=pgtrigger.Referencing(old="progress_old", new="progress_new"),
                func=progress.ON_UPDATE,
            ),
            pgtrigger.Trigger(
                name="task_progress_delete",
                when=pgtrigger.After,
                operation=pgtrigger.Delete,
                level=pgtrigger.Statement,
                referencing=pgtrigger.Referencing(old="progress_old"),
                func=progress.ON_DELETE,
            ),
            pgtrigger.Trigger(
                name="task_progress_truncate",
                when=pgtrigger.After,
                operation=pgtrigger.Truncate,
                level=pgtrigger.Statement,
                func=progress.ON_TRUNCATE,
            ),
        ]

    def __str__(self) -> str:
        return self.sample_no


class ResultStatus(models.TextChoices):
    ENTERED = "entered", _("待确认")
    CONFIRMED = "confirmed", _("已确认")


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), level=pghistory.Statement)  # as Sample's
class TestResult(models.Model):
    """The test report of a sample: per-item results and the derived overall verdict."""

    sample = models.ForeignKey(Sample, verbose_name=_("抽样单"), on_delete=models.PROTECT, related_name="results")
    is_retest = models.BooleanField(_("复检"), default=False)
    report_no = models.CharField(_("检验报告编号"), max_length=64)
    institution = models.ForeignKey(
        Institution, verbose_name=_("检验机构"), on_delete=models.PROTECT, related_name="results"
    )
    tested_on = models.DateField(_("检验日期"), null=True, blank=True)
    verdict = models.CharField(_("检验结论"), max_length=4, choices=Verdict.choices, blank=True, default="")
    # Failed item names as published (also filled by imports that carry no per-item sheet).
    failed_items = ArrayField(models.CharField(max_length=128), verbose_name=_("不合格项目"), default=list, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=ResultStatus.choices, default=ResultStatus.ENTERED)
    # Kept with status (a check ties them) for the SQL of statistics, reports and the public lists.
    is_confirmed = models.BooleanField(_("已确认"), default=False)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    verdict_received_on = models.DateField(_("企业收到结论日期"), null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("检验结果")
        verbose_name_plural = _("检验结果")
        ordering = ["sample", "is_retest"]
        constraints = [
            # One first test and at most one re-test per sample.
            models.UniqueConstraint(fields=["sample", "is_retest"], name="result_one_per_sample_and_kind"),
            models.CheckConstraint(condition=Q(verdict__in=["", "pass", "fail"]), name="result_verdict_known"),
            models.CheckConstraint(
                condition=Q(is_confirmed=False) | ~Q(verdict=""), name="result_confirmed_has_verdict"
            ),
            models.CheckConstraint(condition=Q(status__in=ResultStatus.values), name="result_status_known"),
            models.CheckConstraint(
                condition=Q(status="confirmed", is_confirmed=True) | Q(status="entered", is_confirmed=False),
                name="result_status_matches_confirmed",
            ),
        ]

    def __str__(self) -> str:
        return self.report_no


@pghistory.track(  # as Sample's
    pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent(), level=pghistory.Statement
)
class ItemResult(models.Model):
    result = models.ForeignKey(TestResult, verbose_name=_("检验结果"), on_delete=models.CASCADE, related_name="items")
    test_item = models.ForeignKey(
        TestItem, verbose_name=_("检验项目"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    item_name = models.CharField(_("检验项目"), max_length=128)
    standard = models.CharField(_("依据标准"), max_length=128, blank=True)
    requirement = models.CharField(_("标准要求"), max_length=255, blank=True)
    measured_value = models.CharField(_("实测值"), max_length=128, blank=True)
    verdict = models.CharField(_("单项判定"), max_length=4, choices=Verdict.choices, blank=True, default="")
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("单项检验结果")
        verbose_name_plural = _("单项检验结果")
        ordering = ["result", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["result", "item_name"], name="item_result_unique_in_result"),
            models.CheckConstraint(condition=Q(verdict__in=["", "pass", "fail"]), name="item_verdict_known"),
        ]

    def __str__(self) -> str:
        return self.item_name


class ResultAmendment(models.Model):
    """A recorded correction of a confirmed result: what changed, why, who approved it."""

    result = models.ForeignKey(
        TestResult, verbose_name=_("检验结果"), on_delete=models.PROTECT, related_name="amendments"
    )
    reason = models.TextField(_("更正理由"))
    before = models.JSONField(_("更正前"))
    after = models.JSONField(_("更正后"))
    # Empty for a re-import from the command line without --user.
    amended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("更正人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    amended_at = models.DateTimeField(_("更正时间"), auto_now_add=True)
    # The approved 修改申请 this amendment applied (its decider is the approver); empty for a re-import.
    correction = models.OneToOneField(
        "sampling.CorrectionRequest",
        verbose_name=_("更正申请"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="amendment",
    )

    class Meta:
        verbose_name = _("结果更正")
        verbose_name_plural = _("结果更正")
        ordering = ["-amended_at"]

    def __str__(self) -> str:
        return f"{self.result_id} @ {self.amended_at:%Y-%m-%d}"


@pghistory.track(pghistory.InsertEvent(), pghistory.DeleteEvent())
class SamplePhoto(models.Model):
    sample = models.ForeignKey(Sample, verbose_name=_("抽样单"), on_delete=models.CASCADE, related_name="photos")
    # Generated name with the detected type's extension (core.uploads.check_image re-encodes every photo).
    image = models.ImageField(_("照片"), upload_to=UploadTo("sampling/photos"), max_length=200)
    caption = models.CharField(_("说明"), max_length=128, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # Field evidence: when the photo was taken (EXIF DateTimeOriginal, else the upload time) and where.
    taken_at = models.DateTimeField(_("拍摄时间"), null=True, blank=True)
    taken_at_source = models.CharField(_("拍摄时间来源"), max_length=8, blank=True, default="", db_default="")
    place = models.CharField(_("拍摄地点"), max_length=255, blank=True, default="", db_default="")
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)

    class Meta:
        verbose_name = _("抽样照片")
        verbose_name_plural = _("抽样照片")

    def __str__(self) -> str:
        return self.caption or self.image.name

    @property
    def image_url(self) -> str:
        """Served by core:protected_file to those who may see the sample (never from MEDIA_URL)."""
        return protected_url(self, "image")


class ObjectionStatus(models.TextChoices):
    FILED = "filed", _("已受理")
    REJECTED = "rejected", _("不予受理")
    RETESTING = "retesting", _("复检中")
    DECIDED = "decided", _("已复检")


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent())
class Objection(models.Model):
    """The enterprise's written objection (异议) to a verdict, and the re-test (复检) it leads to."""

    sample = models.ForeignKey(Sample, verbose_name=_("抽样单"), on_delete=models.PROTECT, related_name="objections")
    filed_on = models.DateField(_("提出日期"))
    reason = models.TextField(_("异议理由"))
    status = models.CharField(_("状态"), max_length=10, choices=ObjectionStatus.choices, default=ObjectionStatus.FILED)
    retest_institution = models.ForeignKey(
        Institution, verbose_name=_("复检机构"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision_note = models.TextField(_("处理意见"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("异议")
        verbose_name_plural = _("异议")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ObjectionStatus.values), name="objection_status_known"),
            # One open objection per sample at a time.
            models.UniqueConstraint(
                fields=["sample"], condition=Q(status__in=["filed", "retesting"]), name="objection_one_open_per_sample"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sample_id} {self.get_status_display()}"


class FollowUpStep(models.TextChoices):
    NOTICE = "notice", _("送达不合格通知")
    RECTIFICATION = "rectification", _("停止生产销售并整改")
    INTERVIEW = "interview", _("约谈法定代表人")
    REINSPECTION = "reinspection", _("复查")
    PUBLICATION = "publication", _("省局公告")
    SECOND_REINSPECTION = "second_reinspection", _("再次复查")
    STOP_ORDER = "stop_order", _("责令停业整顿")
    REVOCATION = "revocation", _("提请吊销许可证照")
    REFERRAL = "referral", _("移送立案查处")


class FollowUpOutcome(models.TextChoices):
    OPEN = "", _("待办")
    DONE = "done", _("已完成")
    PASSED = "passed", _("复查合格")
    FAILED = "failed", _("复查不合格")
    # Old years imported as an archive: the step was handled before the platform, outside it.
    OUTSIDE = "outside", _("平台外办结")
    # The final verdict turned 合格 (a re-test or a correction): the remaining steps end without being done.
    CLOSED = "closed", _("已终止")


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), level=pghistory.Statement)  # as Sample's
class FollowUp(models.Model):
    """One step of post-processing (后处理) of a failed sample, with its due date."""

    sample = models.ForeignKey(Sample, verbose_name=_("抽样单"), on_delete=models.PROTECT, related_name="followups")
    step = models.CharField(_("环节"), max_length=24, choices=FollowUpStep.choices)
    # The limit the due date follows (core.TimeLimit), counted from started_on; amount and unit are copied
    # when the step opens, so a later change of the rule does not move a running deadline.
    time_limit = models.ForeignKey(
        "core.TimeLimit", verbose_name=_("期限规则"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    started_on = models.DateField(_("起算日"), null=True, blank=True)
    limit_amount = models.PositiveIntegerField(_("期限"), null=True, blank=True)
    limit_unit = models.CharField(_("期限单位"), max_length=8, blank=True, default="")
    due_on = models.DateField(_("期限"), null=True, blank=True)
    earliest_on = models.DateField(_("最早日期"), null=True, blank=True)
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    outcome = models.CharField(_("结果"), max_length=8, choices=FollowUpOutcome.choices, blank=True, default="")
    note = models.TextField(_("备注"), blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办理人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("后处理")
        verbose_name_plural = _("后处理")
        ordering = ["sample", "created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(step__in=FollowUpStep.values), name="followup_step_known"),
            models.CheckConstraint(condition=Q(outcome__in=FollowUpOutcome.values), name="followup_outcome_known"),
            models.CheckConstraint(
                condition=Q(outcome="", done_on__isnull=True) | (~Q(outcome="") & Q(done_on__isnull=False)),
                name="followup_outcome_with_done_on",
            ),
            models.UniqueConstraint(fields=["sample", "step"], name="followup_step_once_per_sample"),
        ]
        indexes = [
            # The due/overdue list: open steps by due date.
            models.Index(fields=["due_on"], name="followup_open_due_idx", condition=Q(done_on__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"{self.sample_id} {self.get_step_display()}"

    @property
    def due(self):
        """The due date with its basis and explanation (core.timelimits.DueDate), or None for a date staff set."""
        if self.time_limit_id is None or self.started_on is None or not self.limit_amount:
            return None
        from core.timelimits import compute_due

        return compute_due(
            self.started_on,
            self.limit_amount,
            self.limit_unit,
            basis=_(self.time_limit.basis),
            today=self.started_on,
            # Lists share one calendar (set by with_calendar) instead of loading it per row.
            calendar=getattr(self, "_calendar", None),
        )

    @staticmethod
    def with_calendar(followups):
        """The follow-ups with one shared working-day calendar for their ``due`` (no queries per row)."""
        from core.workdays import WorkdayCalendar

        followups = list(followups)
        calendar = WorkdayCalendar()
        for followup in followups:
            followup._calendar = calendar
        return followups


class AnnouncementStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent())
class Announcement(models.Model):
    """A results announcement (抽查结果公告); publishing it makes its samples public."""

    task = models.ForeignKey(
        SamplingTask, verbose_name=_("抽查任务"), on_delete=models.PROTECT, related_name="announcements"
    )
    title = models.CharField(_("公告标题"), max_length=200)
    number = models.CharField(_("公告编号"), max_length=64, blank=True)
    summary = models.TextField(_("公告正文"), blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=AnnouncementStatus.choices, default=AnnouncementStatus.DRAFT
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    region = models.ForeignKey(Region, verbose_name=_("发布机关所在地区"), on_delete=models.PROTECT, related_name="+")
    # The last withdrawal (撤回): a column, so pages and the ledger read it without the audit trail.
    withdrawal_reason = models.TextField(_("撤回理由"), blank=True)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("撤回人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Its published batches and the failing ones among them, written by services.publication when it is
    # published, withdrawn or one of its batches changes: the public lists read them instead of counting.
    batch_count = models.PositiveIntegerField(_("公开批次数"), default=0, db_default=0)
    failed_count = models.PositiveIntegerField(_("不合格批次数"), default=0, db_default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("结果公告")
        verbose_name_plural = _("结果公告")
        ordering = ["-published_at", "-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=AnnouncementStatus.values), name="announcement_status_known"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False), name="announcement_published_has_date"
            ),
        ]

    def __str__(self) -> str:
        return self.title


from sampling.models_corrections import (  # noqa: E402,F401  (修改/作废申请)
    CorrectionKind,
    CorrectionRequest,
    CorrectionStatus,
)
from sampling.models_notices import NoticeKind, NoticeService, ServiceMethod  # noqa: E402,F401  (文书送达)
from sampling.models_public import ObjectionRequest, ObjectionRequestStatus  # noqa: E402,F401  (public portal)

"""The report archive: one stored report per (kind, period, jurisdiction), with its data snapshot."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("生成中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class Report(models.Model):
    """A generated report. The PDF is stored once and the snapshot (aggregated figures as JSON) keeps the
    browser view identical to it, so a re-download never changes."""

    kind = models.CharField(_("报告类型"), max_length=32)
    # "2017" (annual), "2017-Q3" (quarterly), "2017-05" (monthly); see core.reports.periods.
    period = models.CharField(_("统计期间"), max_length=10)
    period_start = models.DateField(_("期间起"))
    period_end = models.DateField(_("期间止"))
    jurisdiction = models.ForeignKey(
        "core.Region", verbose_name=_("统计范围"), on_delete=models.PROTECT, related_name="reports"
    )
    title = models.CharField(_("标题"), max_length=200, blank=True)
    status = models.CharField(_("状态"), max_length=8, choices=ReportStatus.choices, default=ReportStatus.QUEUED)
    snapshot = models.JSONField(_("数据快照"), default=dict, blank=True)
    file = models.FileField(_("PDF 文件"), upload_to="reports/%Y/%m/", blank=True, max_length=255)
    file_size = models.PositiveIntegerField(_("文件大小（字节）"), default=0)
    error = models.TextField(_("失败原因"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("生成次数"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始生成时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("生成时间"), null=True, blank=True)
    # Touched while a worker renders; a running report without a recent heartbeat belongs to a dead worker.
    heartbeat_at = models.DateTimeField(_("最近进度时间"), null=True, blank=True)
    # Set when the job reached the broker; a queued report without it is queued again by beat.
    enqueued_at = models.DateTimeField(_("入队时间"), null=True, blank=True)
    # What happened to the job, for the page (broker unavailable, taken over after a worker died).
    note = models.CharField(_("处理说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("报告")
        verbose_name_plural = _("报告")
        ordering = ["-period_start", "kind", "jurisdiction"]
        constraints = [
            # Running the schedule twice, or two workers at once, yields one report.
            models.UniqueConstraint(fields=["kind", "period", "jurisdiction"], name="report_kind_period_unique"),
            models.CheckConstraint(condition=Q(status__in=ReportStatus.values), name="report_status_known"),
            models.CheckConstraint(condition=~Q(status="done") | ~Q(file=""), name="report_done_has_file"),
        ]
        indexes = [
            # Archive scoping: jurisdiction_id LIKE 'prefix%'.
            models.Index(fields=["jurisdiction"], name="report_jurisdiction_idx", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self) -> str:
        return self.title or f"{self.kind} {self.period} {self.jurisdiction_id}"

    @property
    def display_title(self) -> str:
        """The title in the reader's language: stored titles are Chinese, another language builds it again."""
        from django.conf import settings
        from django.utils.translation import get_language

        if (get_language() or settings.LANGUAGE_CODE) == settings.LANGUAGE_CODE:
            return self.title
        from core.errors import DomainError
        from core.reports.periods import Period
        from core.reports.pipeline import region_title_name
        from core.reports.registry import get_kind

        try:
            return get_kind(self.kind).report_title(Period.parse(self.period), region_title_name(self.jurisdiction))
        except DomainError:
            return self.title

    @property
    def is_finished(self) -> bool:
        return self.status in (ReportStatus.DONE, ReportStatus.FAILED)

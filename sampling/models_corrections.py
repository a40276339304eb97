"""Corrections after confirmation (修改申请 / 作废申请) of a task or a sample, decided by a leader.

Before confirmation a record is simply edited (services.corrections); afterwards the change is proposed
with its reason, the before and after kept here, and applied through the same services only on approval.
Imported at the end of sampling/models.py so that Django finds the model in the sampling app.
"""

from __future__ import annotations

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class CorrectionKind(models.TextChoices):
    CHANGE = "change", _("修改申请")
    VOID = "void", _("作废申请")


class CorrectionStatus(models.TextChoices):
    REQUESTED = "requested", _("待审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("已驳回")


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent())
class CorrectionRequest(models.Model):
    """A proposed correction of a confirmed task or sample: the fields before and after (or a void), its
    reason, who asked, and the decision of a leader of the record's jurisdiction (never the requester)."""

    kind = models.CharField(_("申请类型"), max_length=8, choices=CorrectionKind.choices)
    task = models.ForeignKey(
        "sampling.SamplingTask",
        verbose_name=_("抽查任务"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="correction_requests",
    )
    sample = models.ForeignKey(
        "sampling.Sample",
        verbose_name=_("抽样单"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="correction_requests",
    )
    # A 修改申请 of a confirmed test result (结果更正): the result, with its sample above (one open request per
    # sample); ``changes`` then holds the result's snapshot keys (report_no, institution, tested_on, verdict,
    # failed_items, items) before and after (services.results.result_snapshot).
    result = models.ForeignKey(
        "sampling.TestResult",
        verbose_name=_("检验结果"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="correction_requests",
    )
    # The record's region, copied for jurisdiction scoping of the leaders' list.
    region = models.ForeignKey("core.Region", verbose_name=_("所在地区"), on_delete=models.PROTECT, related_name="+")
    # {attname: {"before": value, "after": value}} in JSON form (dates ISO, amounts as strings, keys as ids).
    changes = models.JSONField(_("修改内容"), default=dict, blank=True)
    reason = models.TextField(_("申请理由"))
    status = models.CharField(
        _("状态"), max_length=10, choices=CorrectionStatus.choices, default=CorrectionStatus.REQUESTED
    )
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
        verbose_name = _("更正申请")
        verbose_name_plural = _("更正申请")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=CorrectionKind.values), name="correction_kind_known"),
            models.CheckConstraint(condition=Q(status__in=CorrectionStatus.values), name="correction_status_known"),
            models.CheckConstraint(condition=~Q(reason=""), name="correction_reason_given"),
            # Exactly one record: a task or a sample; only a sample is voided.
            models.CheckConstraint(
                condition=Q(task__isnull=False, sample__isnull=True, kind="change")
                | Q(task__isnull=True, sample__isnull=False),
                name="correction_one_target",
            ),
            # A result's correction is a change of a sample's result, never a void.
            models.CheckConstraint(
                condition=Q(result__isnull=True) | Q(sample__isnull=False, kind="change"),
                name="correction_result_of_sample",
            ),
            models.CheckConstraint(
                condition=Q(status="requested", decided_by__isnull=True)
                | (~Q(status="requested") & Q(decided_by__isnull=False) & Q(decided_at__isnull=False)),
                name="correction_decided_has_decider",
            ),
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=models.F("requested_by")),
                name="correction_not_decided_by_requester",
            ),
            # One pending request per record at a time.
            models.UniqueConstraint(
                fields=["task"], condition=Q(status="requested"), name="correction_one_open_per_task"
            ),
            models.UniqueConstraint(
                fields=["sample"], condition=Q(status="requested"), name="correction_one_open_per_sample"
            ),
        ]
        indexes = [
            # The leaders' pending list: status = 'requested' AND region_id LIKE 'prefix%'.
            models.Index(
                fields=["region"],
                name="correction_pending_region_idx",
                opclasses=["varchar_pattern_ops"],
                condition=Q(status="requested"),
            ),
        ]

    def __str__(self) -> str:
        target = self.sample.sample_no if self.sample_id else self.task.code
        if self.result_id:
            target = f"{target} {self.result.report_no}"
        return f"{target} {self.get_kind_display()}"

    @property
    def target(self):
        if self.result_id:
            return self.result
        return self.sample if self.sample_id else self.task

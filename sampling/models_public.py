"""What the public portal writes: an enterprise's online objection request (网上异议申请).

A request is not yet an objection: staff check it against the notice they served and register the objection
(sampling.Objection) themselves; the request then records which objection it became, or why it was refused.
Imported at the end of sampling/models.py so that Django finds the model in the sampling app.
"""

from __future__ import annotations

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ObjectionRequestStatus(models.TextChoices):
    PENDING = "pending", _("待登记")
    REGISTERED = "registered", _("已登记为异议")
    REJECTED = "rejected", _("不予登记")


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent())
class ObjectionRequest(models.Model):
    """An objection an enterprise submitted on the public portal, waiting for staff to register it."""

    reference = models.CharField(_("受理编号"), max_length=24, unique=True)
    sample = models.ForeignKey(
        "sampling.Sample", verbose_name=_("抽样单"), on_delete=models.PROTECT, related_name="objection_requests"
    )
    enterprise_name = models.CharField(_("企业名称"), max_length=200)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18)
    contact_name = models.CharField(_("联系人"), max_length=64)
    contact_phone = models.CharField(_("联系电话"), max_length=32)
    verdict_received_on = models.DateField(_("收到检验结论日期"))
    reason = models.TextField(_("异议理由"))
    status = models.CharField(
        _("状态"), max_length=12, choices=ObjectionRequestStatus.choices, default=ObjectionRequestStatus.PENDING
    )
    objection = models.OneToOneField(
        "sampling.Objection",
        verbose_name=_("登记的异议"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="online_request",
    )
    handling_note = models.TextField(_("处理意见"), blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    handled_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    class Meta:
        app_label = "sampling"
        verbose_name = _("网上异议申请")
        verbose_name_plural = _("网上异议申请")
        ordering = ["-submitted_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ObjectionRequestStatus.values), name="objection_request_status_known"
            ),
            models.CheckConstraint(
                condition=~Q(status="registered") | Q(objection__isnull=False),
                name="objection_request_registered_has_objection",
            ),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(handled_at__isnull=False),
                name="objection_request_handled_has_time",
            ),
        ]
        indexes = [
            # Staff home page and queue: pending requests, oldest first.
            models.Index(fields=["status", "submitted_at"], name="objection_request_queue_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.enterprise_name}"

"""Official notices to the enterprise (检验结果通知书, 不合格通知书) and their service (送达).

A notice row exists once it is served: who recorded it, the day it was served, how (直接, 邮寄, 电子), to whom,
and the receipt or tracking number. The recorded service date starts the objection window and, for a
不合格通知书, the post-processing clock (services.notices). Imported at the end of sampling/models.py.
"""

from __future__ import annotations

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class NoticeKind(models.TextChoices):
    RESULT = "result", _("检验结果通知书")
    FAILURE = "failure", _("不合格通知书")


class ServiceMethod(models.TextChoices):
    DIRECT = "direct", _("直接送达")
    MAIL = "mail", _("邮寄送达")
    ELECTRONIC = "electronic", _("电子送达")


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent())
class NoticeService(models.Model):
    """The service of one notice of a confirmed first test result to the enterprise (送达回证)."""

    result = models.ForeignKey(
        "sampling.TestResult", verbose_name=_("检验结果"), on_delete=models.PROTECT, related_name="notices"
    )
    kind = models.CharField(_("文书"), max_length=8, choices=NoticeKind.choices)
    number = models.CharField(_("文书编号"), max_length=80)
    method = models.CharField(_("送达方式"), max_length=12, choices=ServiceMethod.choices)
    served_on = models.DateField(_("送达日期"))
    recipient = models.CharField(_("受送达人（签收人）"), max_length=100)
    receipt_no = models.CharField(_("回执/邮件单号"), max_length=64, blank=True, default="")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("文书送达")
        verbose_name_plural = _("文书送达")
        ordering = ["result", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["result", "kind"], name="notice_one_per_result_and_kind"),
            models.CheckConstraint(condition=Q(kind__in=NoticeKind.values), name="notice_kind_known"),
            models.CheckConstraint(condition=Q(method__in=ServiceMethod.values), name="notice_method_known"),
            # A mailed or electronic service is proven by its tracking or delivery number.
            models.CheckConstraint(
                condition=Q(method="direct") | ~Q(receipt_no=""), name="notice_remote_service_has_receipt"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

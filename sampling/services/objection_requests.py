"""Online objection requests (网上异议申请): an enterprise objects on the public portal, staff register it.

产品质量法 art. 15 gives the enterprise the right to object to the verdict within the limit sampling.objection
(15 日 of receiving it). The portal only takes the written request; it becomes an objection (sampling.Objection)
when staff of the sample's jurisdiction register it through services.objections.objection_file, which applies the
window and the other rules. Staff may also refuse to register it, with a reason.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.cn import uscc as stdnum_uscc

from core.errors import DomainError, PermissionDenied
from core.transitions import Workflow
from core.validators import uscc_error_reason
from sampling import policies
from sampling.models import ObjectionRequest, ObjectionRequestStatus, Sample, Verdict
from sampling.services.objections import objection_file

OBJECTION_REQUEST_FLOW = Workflow(
    "objection_request",
    ObjectionRequestStatus,
    {
        ObjectionRequestStatus.PENDING: {ObjectionRequestStatus.REGISTERED, ObjectionRequestStatus.REJECTED},
        ObjectionRequestStatus.REGISTERED: set(),
        ObjectionRequestStatus.REJECTED: set(),
    },
)


class RequestInvalid(DomainError):
    """A request with one or more bad fields: ``errors`` maps each field to its Chinese message."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__("；".join(errors.values()))


def can_handle_objection_request(user, request: ObjectionRequest) -> bool:
    """Staff who may handle the sample's objections (its jurisdiction) may register or refuse the request."""
    return policies.can_handle_objections(user, request.sample)


def objection_requests_visible_to(user) -> QuerySet[ObjectionRequest]:
    """Requests about samples of the user's jurisdiction and below (nothing for enterprise accounts)."""
    from core.selectors import region_q

    return ObjectionRequest.objects.select_related(
        "sample__enterprise", "sample__product_type", "sample__task", "handled_by"
    ).filter(region_q(user, "sample__region"))


def _normalise_uscc(value: str) -> str:
    return (value or "").strip().upper()


@transaction.atomic
def objection_request_submit(
    *,
    sample_no: str,
    uscc: str,
    enterprise_name: str,
    contact_name: str,
    contact_phone: str,
    verdict_received_on: dt.date | None,
    reason: str,
) -> ObjectionRequest:
    """Take an enterprise's online objection to a 不合格 verdict; every bad field is reported at once."""
    errors: dict[str, str] = {}
    sample_no = (sample_no or "").strip()
    uscc = _normalise_uscc(uscc)
    values = {
        "enterprise_name": (enterprise_name or "").strip(),
        "contact_name": (contact_name or "").strip(),
        "contact_phone": (contact_phone or "").strip(),
        "reason": (reason or "").strip(),
    }
    labels = {
        "enterprise_name": _("企业名称"),
        "contact_name": _("联系人"),
        "contact_phone": _("联系电话"),
        "reason": _("异议理由"),
    }
    for field, value in values.items():
        if not value:
            errors[field] = _("%(field)s：不能为空。") % {"field": labels[field]}
    if not sample_no:
        errors["sample_no"] = _("抽样单编号：不能为空。")
    if not uscc:
        errors["uscc"] = _("统一社会信用代码：不能为空。")
    else:
        try:
            stdnum_uscc.validate(uscc)
        except Exception as exc:  # stdnum raises its ValidationError subclasses
            errors["uscc"] = _("统一社会信用代码：%(reason)s") % {"reason": uscc_error_reason(exc)}
    today = timezone.localdate()
    if verdict_received_on is None:
        errors["verdict_received_on"] = _("收到检验结论日期：不能为空。")
    elif verdict_received_on > today:
        errors["verdict_received_on"] = _("收到检验结论日期：不能晚于今天。")

    sample = None
    if "sample_no" not in errors and "uscc" not in errors:
        # The notice names the sample and the enterprise; both must match, and nothing else is revealed.
        sample = (
            Sample.objects.select_for_update(of=("self",))
            .select_related("enterprise")
            .filter(sample_no=sample_no, enterprise__uscc=uscc)
            .first()
        )
        if sample is None:
            errors["sample_no"] = _("抽样单编号：未找到与该统一社会信用代码对应的抽样单，请核对检验结果通知书。")
        elif not sample.results.filter(is_retest=False, is_confirmed=True, verdict=Verdict.FAIL).exists():
            errors["sample_no"] = _("抽样单编号：该抽样单没有已确认的不合格结论，无需提出异议。")
        elif sample.objections.exists():
            errors["sample_no"] = _("抽样单编号：该抽样单的异议已经登记，请联系承办的市场监督管理部门。")
        else:
            pending = sample.objection_requests.filter(status=ObjectionRequestStatus.PENDING).first()
            if pending is not None:
                errors["sample_no"] = _("抽样单编号：已有待登记的申请（受理编号 %(ref)s），请勿重复提交。") % {
                    "ref": pending.reference
                }
    if errors:
        raise RequestInvalid(errors)

    request = ObjectionRequest.objects.create(
        reference=uuid.uuid4().hex[:24],  # replaced by the dated number once the row has its id
        sample=sample,
        uscc=uscc,
        verdict_received_on=verdict_received_on,
        **values,
    )
    request.reference = f"YY{today:%Y%m%d}{request.pk:06d}"
    request.save(update_fields=["reference"])
    return request


def _locked(request: ObjectionRequest) -> ObjectionRequest:
    return ObjectionRequest.objects.select_for_update().select_related("sample").get(pk=request.pk)


@transaction.atomic
def objection_request_register(*, user, request: ObjectionRequest) -> ObjectionRequest:
    """Register the request as the sample's objection, filed on the day it was submitted online."""
    request = _locked(request)
    if not can_handle_objection_request(user, request):
        raise PermissionDenied(_("您无权登记该异议申请。"))
    OBJECTION_REQUEST_FLOW.require(request, ObjectionRequestStatus.REGISTERED)
    filed_on = timezone.localtime(request.submitted_at).date()
    reason = _("（网上异议申请 %(ref)s，联系人 %(name)s %(phone)s）\n%(reason)s") % {
        "ref": request.reference,
        "name": request.contact_name,
        "phone": request.contact_phone,
        "reason": request.reason,
    }
    objection = objection_file(user=user, sample=request.sample, filed_on=filed_on, reason=reason)
    request.status = ObjectionRequestStatus.REGISTERED
    request.objection = objection
    request.handled_by = user
    request.handled_at = timezone.now()
    request.save(update_fields=["status", "objection", "handled_by", "handled_at"])
    return request


@transaction.atomic
def objection_request_reject(*, user, request: ObjectionRequest, note: str) -> ObjectionRequest:
    """Refuse to register the request (e.g. filed after the window, not the enterprise's sample), with a reason."""
    note = (note or "").strip()
    if not note:
        raise DomainError(_("不予登记理由：不能为空。"))
    request = _locked(request)
    if not can_handle_objection_request(user, request):
        raise PermissionDenied(_("您无权处理该异议申请。"))
    OBJECTION_REQUEST_FLOW.require(request, ObjectionRequestStatus.REJECTED)
    request.status = ObjectionRequestStatus.REJECTED
    request.handling_note = note
    request.handled_by = user
    request.handled_at = timezone.now()
    request.save(update_fields=["status", "handling_note", "handled_by", "handled_at"])
    return request

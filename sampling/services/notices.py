"""Service (送达) of the notices to the enterprise: 检验结果通知书 for every judged sample, 不合格通知书 for a
failure (it states the right to object, 复检/异议, and its deadline).

The recorded service date is the day the enterprise received the verdict: it starts the objection window
(sampling.objection, from services.objections.objection_due) and, for a 不合格通知书, completes the
送达不合格通知 step so that 整改 and 复查 run from it (services.followups). A result with no service recorded
has no objection window running yet (pages show 待送达). For a failure the window runs from the
不合格通知书, the notice that states the right to object.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError, PermissionDenied
from sampling import policies
from sampling.models import FollowUp, FollowUpStep, ResultStatus, TestResult, Verdict
from sampling.models_notices import NoticeKind, NoticeService, ServiceMethod

NUMBER_SUFFIX = {NoticeKind.RESULT: "JG", NoticeKind.FAILURE: "BHG"}


class NoticeInvalid(DomainError):
    """Every bad field at once: ``errors`` maps a form field to its message."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__(" ".join(str(m) for m in errors.values()))


def notice_kinds_for(result: TestResult) -> list[str]:
    """The notices a confirmed first result has: always the result notice, and the failure notice for 不合格."""
    if result.status != ResultStatus.CONFIRMED or result.is_retest:
        return []
    kinds = [NoticeKind.RESULT]
    if result.verdict == Verdict.FAIL:
        kinds.append(NoticeKind.FAILURE)
    return kinds


def notice_number(result: TestResult, kind: str) -> str:
    return f"{result.sample.sample_no}-{NUMBER_SUFFIX[kind]}"


def starts_objection_window(result: TestResult, kind: str) -> bool:
    return kind == NoticeKind.FAILURE or (kind == NoticeKind.RESULT and result.verdict == Verdict.PASS)


def notice_serve(
    *,
    user,
    result: TestResult,
    kind: str,
    method: str,
    served_on: dt.date | None,
    recipient: str,
    receipt_no: str = "",
) -> NoticeService:
    """Record how and when a notice was served; every bad field is reported at once (NoticeInvalid)."""
    from sampling.services.followups import followup_complete

    recipient = (recipient or "").strip()
    receipt_no = (receipt_no or "").strip()
    with transaction.atomic():
        result = TestResult.objects.select_for_update().select_related("sample").get(pk=result.pk)
        if not policies.can_handle_objections(user, result.sample):
            raise PermissionDenied(_("您无权登记抽样单 %(no)s 的文书送达。") % {"no": result.sample.sample_no})
        if kind not in notice_kinds_for(result):
            raise DomainError(
                _("检验报告 %(no)s 没有可送达的该类文书（须为已确认的初检结论）。") % {"no": result.report_no}
            )
        if NoticeService.objects.filter(result=result, kind=kind).exists():
            raise DomainError(_("%(kind)s已登记送达，不能重复登记。") % {"kind": NoticeKind(kind).label})
        errors: dict[str, str] = {}
        if method not in ServiceMethod.values:
            errors["method"] = _("送达方式：请选择直接送达、邮寄送达或电子送达。")
        confirmed_on = timezone.localdate(result.confirmed_at) if result.confirmed_at else None
        if served_on is None:
            errors["served_on"] = _("送达日期：不能为空。")
        elif served_on > timezone.localdate():
            errors["served_on"] = _("送达日期：不能晚于今天。")
        elif confirmed_on and served_on < confirmed_on:
            errors["served_on"] = _("送达日期：不能早于检验结论确认日期 %(on)s。") % {"on": confirmed_on.isoformat()}
        if not recipient:
            errors["recipient"] = _("受送达人：请填写签收人姓名或单位。")
        if method in (ServiceMethod.MAIL, ServiceMethod.ELECTRONIC) and not receipt_no:
            errors["receipt_no"] = _("回执/邮件单号：邮寄送达须填写邮件单号，电子送达须填写送达凭证号。")
        if errors:
            raise NoticeInvalid(errors)
        service = NoticeService.objects.create(
            result=result,
            kind=kind,
            number=notice_number(result, kind),
            method=method,
            served_on=served_on,
            recipient=recipient,
            receipt_no=receipt_no,
            recorded_by=user,
        )
        if starts_objection_window(result, kind):
            result.verdict_received_on = served_on
            result.save(update_fields=["verdict_received_on", "updated_at"])
        if kind == NoticeKind.FAILURE:
            step = FollowUp.objects.filter(sample=result.sample, step=FollowUpStep.NOTICE, done_on__isnull=True).first()
            if step is not None:
                followup_complete(
                    user=user,
                    followup=step,
                    done_on=served_on,
                    note=_("%(kind)s %(no)s，%(method)s")
                    % {
                        "kind": NoticeKind(kind).label,
                        "no": service.number,
                        "method": ServiceMethod(method).label,
                    },
                )
        return service

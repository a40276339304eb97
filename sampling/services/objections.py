"""Objections (异议) and re-tests (复检).

Rules: the enterprise may object in writing within the limit sampling.objection (15 日 of receiving a
confirmed 不合格 verdict, 产品质量法 art. 15; calendar days, a last day on a holiday moves to the next
working day); while an objection is open the sample has no final verdict; the re-test is done by a
different institution than the first test, and the re-test's verdict is final (services.results.result_confirm).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError, PermissionDenied
from core.models import Institution
from core.timelimits import DueDate, due_for
from sampling import policies
from sampling.models import Objection, ObjectionStatus, Sample, TestResult, Verdict
from sampling.services.verdicts import results_confirmed_after
from sampling.transitions import OBJECTION_FLOW

OBJECTION_LIMIT = "sampling.objection"
OBJECTION_ROLES = policies.OBJECTION_ROLES
can_handle_objections = policies.can_handle_objections


def _check_permission(user, sample: Sample) -> None:
    if not policies.can_handle_objections(user, sample):
        raise PermissionDenied(_("您无权办理抽样单 %(no)s 的异议。") % {"no": sample.sample_no})


def objection_due(result: TestResult) -> DueDate | None:
    """The objection window from the receipt date, with its basis (sampling.objection)."""
    if result.verdict_received_on is None:
        return None
    return due_for(OBJECTION_LIMIT, result.verdict_received_on)


def objection_deadline(result: TestResult) -> dt.date | None:
    """The last day to object."""
    due = objection_due(result)
    return due.due if due else None


def verdict_received(*, user, result: TestResult, received_on: dt.date) -> TestResult:
    """Record the day the enterprise received the verdict; the objection window runs from it."""
    with transaction.atomic():
        result = TestResult.objects.select_for_update().select_related("sample").get(pk=result.pk)
        _check_permission(user, result.sample)
        if not result.is_confirmed:
            raise DomainError(_("检验报告 %(no)s 尚未确认，不能登记送达。") % {"no": result.report_no})
        if received_on is None:
            raise DomainError(_("收到日期：不能为空。"))
        if received_on > timezone.localdate():
            raise DomainError(_("收到日期：不能晚于今天。"))
        if result.tested_on and received_on < result.tested_on:
            raise DomainError(_("收到日期：不能早于检验日期。"))
        confirmed_on = timezone.localdate(result.confirmed_at) if result.confirmed_at else None
        if confirmed_on and received_on < confirmed_on:
            raise DomainError(_("收到日期：不能早于检验结论确认日期 %(on)s。") % {"on": confirmed_on.isoformat()})
        result.verdict_received_on = received_on
        result.save(update_fields=["verdict_received_on", "updated_at"])
        return result


def objection_file(*, user, sample: Sample, filed_on: dt.date, reason: str) -> Objection:
    """Record the enterprise's written objection to a confirmed 不合格 verdict, within the window."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("异议理由：不能为空。"))
    if filed_on is None:
        raise DomainError(_("提出日期：不能为空。"))
    with transaction.atomic():
        sample = Sample.objects.select_for_update().get(pk=sample.pk)
        _check_permission(user, sample)
        result = sample.results.filter(is_retest=False).first()
        if result is None or not result.is_confirmed:
            raise DomainError(_("抽样单 %(no)s 的检验结果尚未确认，不能提出异议。") % {"no": sample.sample_no})
        if result.verdict != Verdict.FAIL:
            raise DomainError(_("只能对不合格的检验结论提出异议。"))
        if sample.objections.filter(status__in=[ObjectionStatus.FILED, ObjectionStatus.RETESTING]).exists():
            raise DomainError(_("抽样单 %(no)s 已有正在办理的异议。") % {"no": sample.sample_no})
        if sample.results.filter(is_retest=True).exists():
            raise DomainError(_("抽样单 %(no)s 已经复检，复检结论为最终结论。") % {"no": sample.sample_no})
        due = objection_due(result)
        if due is None:
            raise DomainError(_("请先登记企业收到检验结论的日期。"))
        if filed_on < result.verdict_received_on:
            raise DomainError(_("提出日期：不能早于企业收到检验结论的日期。"))
        if filed_on > due.due:
            raise DomainError(
                _(
                    "提出日期：已超过异议期限（收到检验结论之日起 %(amount)d %(unit)s，至 %(date)s 止），"
                    "不予受理。%(basis)s"
                )
                % {"amount": due.amount, "unit": due.unit_label, "date": due.due, "basis": due.basis_display}
            )
        if filed_on > timezone.localdate():
            raise DomainError(_("提出日期：不能晚于今天。"))
        objection = Objection.objects.create(sample=sample, filed_on=filed_on, reason=reason, created_by=user)
        # The verdict is not final while the objection is open.
        results_confirmed_after(user=user, sample_ids=[sample.pk], on=timezone.localdate())
        return objection


def objection_reject(*, user, objection: Objection, note: str) -> Objection:
    """Refuse an objection (不予受理) with a written reason; post-processing then goes on."""
    note = (note or "").strip()
    if not note:
        raise DomainError(_("处理意见：请说明不予受理的理由。"))
    with transaction.atomic():
        objection = Objection.objects.select_for_update().select_related("sample").get(pk=objection.pk)
        _check_permission(user, objection.sample)
        if objection.status != ObjectionStatus.FILED:
            raise DomainError(_("只有已受理、尚未安排复检的异议可以不予受理。"))
        OBJECTION_FLOW.require(objection, ObjectionStatus.REJECTED)
        objection.status = ObjectionStatus.REJECTED
        objection.decision_note = note
        objection.save(update_fields=["status", "decision_note"])
        # The first test decides again; a 不合格 opens (or keeps) its post-processing.
        results_confirmed_after(user=user, sample_ids=[objection.sample_id], on=timezone.localdate())
        return objection


def retest_institutions_for(objection: Objection):
    """Institutions that may re-test: every active one except the first test's."""
    first = objection.sample.results.filter(is_retest=False).values_list("institution_id", flat=True).first()
    return Institution.objects.filter(is_active=True).exclude(pk=first)


def objection_assign_retest(*, user, objection: Objection, institution: Institution) -> Objection:
    """Assign the re-test (复检) to an institution other than the one that did the first test."""
    if institution is None:
        raise DomainError(_("复检机构：请选择复检机构。"))
    with transaction.atomic():
        objection = Objection.objects.select_for_update().select_related("sample").get(pk=objection.pk)
        _check_permission(user, objection.sample)
        if objection.status != ObjectionStatus.FILED:
            raise DomainError(_("该异议当前状态为“%(s)s”，不能安排复检。") % {"s": objection.get_status_display()})
        OBJECTION_FLOW.require(objection, ObjectionStatus.RETESTING)
        first = objection.sample.results.filter(is_retest=False).first()
        if first is not None and first.institution_id == institution.pk:
            raise DomainError(
                _("复检机构：复检须由原检验机构（%(name)s）以外的机构承担。") % {"name": first.institution.name}
            )
        if not institution.is_active:
            raise DomainError(_("复检机构：“%(name)s”已停用。") % {"name": institution.name})
        objection.retest_institution = institution
        objection.status = ObjectionStatus.RETESTING
        objection.save(update_fields=["retest_institution", "status"])
        return objection

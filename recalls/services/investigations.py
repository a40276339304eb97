"""Defect investigations (缺陷调查): opened from reports, concluded and notified, the producer's objection
within 15 工作日 (条例 art. 15), the final conclusion, and what follows a confirmed defect."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import timelimits
from core.errors import DomainError, PermissionDenied
from core.facts import record_fact
from core.models import Enterprise
from recalls import policies
from recalls.models import (
    Category,
    Conclusion,
    DefectReport,
    DefectReportStatus,
    Investigation,
    InvestigationOutcome,
    InvestigationStatus,
)
from recalls.services.common import next_number, require_text
from recalls.transitions import DEFECT_REPORT_FLOW, INVESTIGATION_FLOW

OBJECTION_LIMIT = "recalls.objection"
PLAN_FILING_LIMIT = "recalls.plan_filing"


@transaction.atomic
def investigation_open(
    *,
    user,
    producer: Enterprise,
    category: str,
    product: str,
    brand: str,
    models_text: str,
    reports=(),
    opened_on: dt.date | None = None,
) -> Investigation:
    """Open a defect investigation of a producer's product from one or more reports (or on the bureau's own
    initiative); the reports move to 已转缺陷调查."""
    if not policies.can_open_investigation(user, producer):
        raise PermissionDenied(_("该生产者不在您的管辖范围内，或您的角色不能开展缺陷调查。"))
    if category not in Category.values:
        raise DomainError(_("产品类别：请选择汽车产品或消费品。"))
    opened_on = opened_on or timezone.localdate()
    investigation = Investigation.objects.create(
        investigation_no=next_number("DC", opened_on.year, 4),
        producer=producer,
        region=producer.region,
        category=category,
        product=require_text(product, _("产品名称"), 128),
        brand=require_text(brand, _("品牌"), 64),
        models_text=require_text(models_text, _("型号"), 255),
        opened_on=opened_on,
        opened_by=user,
    )
    locked = list(DefectReport.objects.select_for_update().filter(pk__in=[r.pk for r in reports]))
    for report in locked:
        if not policies.can_triage(user, report):
            raise PermissionDenied(_("缺陷线索 %(no)s 不在您的管辖范围内。") % {"no": report.report_no})
        DEFECT_REPORT_FLOW.require(report, DefectReportStatus.INVESTIGATING)
        report.status = DefectReportStatus.INVESTIGATING
        fields = ["status", "updated_at"]
        if report.producer_id is None:
            report.producer = producer
            fields.append("producer")
        report.save(update_fields=fields)
    investigation.reports.add(*locked)
    return investigation


@transaction.atomic
def investigation_update_findings(*, user, investigation: Investigation, tests: str, findings: str) -> Investigation:
    investigation = Investigation.objects.select_for_update().get(pk=investigation.pk)
    if not (
        policies.can_conclude(user, investigation)
        or (
            investigation.status == InvestigationStatus.OPEN
            and policies.staff_in(user, investigation.region_id, *policies.RECALL_STAFF)
        )
    ):
        raise PermissionDenied(_("您无权修改该调查的记录。"))
    investigation.tests, investigation.findings = (tests or "").strip(), (findings or "").strip()
    investigation.save(update_fields=["tests", "findings", "updated_at"])
    return investigation


@transaction.atomic
def investigation_conclude(
    *,
    user,
    investigation: Investigation,
    conclusion: str,
    findings: str,
    notified_on: dt.date,
    tests: str = "",
    concealed: bool = False,
) -> Investigation:
    """Conclude and notify the producer (调查结论通知); its 15-工作日 objection window runs from ``notified_on``."""
    investigation = Investigation.objects.select_for_update().get(pk=investigation.pk)
    if not policies.can_conclude(user, investigation):
        raise PermissionDenied(_("您无权作出该调查的结论。"))
    INVESTIGATION_FLOW.require(investigation, InvestigationStatus.CONCLUDED)
    if conclusion not in Conclusion.values:
        raise DomainError(_("调查结论：请选择存在缺陷或不存在缺陷。"))
    findings = require_text(findings, _("调查发现"))
    if notified_on is None:
        raise DomainError(_("结论通知送达日：不能为空。"))
    if notified_on < investigation.opened_on:
        raise DomainError(_("结论通知送达日：不能早于立项日期。"))
    if concealed and conclusion != Conclusion.DEFECT:
        raise DomainError(_("隐瞒缺陷：只有认定存在缺陷时才能认定隐瞒。"))
    investigation.status = InvestigationStatus.CONCLUDED
    investigation.conclusion, investigation.findings = conclusion, findings
    investigation.tests = (tests or investigation.tests or "").strip()
    investigation.concealed, investigation.notified_on = bool(concealed), notified_on
    investigation.save(
        update_fields=["status", "conclusion", "findings", "tests", "concealed", "notified_on", "updated_at"]
    )
    timelimits.clock_start(
        owner=investigation, key=OBJECTION_LIMIT, started_on=notified_on, region_code=investigation.region_id
    )
    return investigation


def objection_due(investigation: Investigation):
    clock = timelimits.clock_for(investigation, OBJECTION_LIMIT)
    return timelimits.clock_due(clock) if clock else None


@transaction.atomic
def investigation_object(*, user, investigation: Investigation, reasons: str, on: dt.date | None = None):
    """The producer's objection (异议) to the conclusion, within 15 工作日 of its notice."""
    investigation = Investigation.objects.select_for_update().get(pk=investigation.pk)
    if not policies.can_object(user, investigation):
        raise PermissionDenied(_("您无权对该调查结论提出异议。"))
    INVESTIGATION_FLOW.require(investigation, InvestigationStatus.OBJECTED)
    reasons = require_text(reasons, _("异议理由"))
    on = on or timezone.localdate()
    due = objection_due(investigation)
    if due and on > due.due:
        raise DomainError(
            _("异议期限已于 %(due)s 届满（%(basis)s），不能再提出异议。") % {"due": due.due, "basis": due.basis_display}
        )
    investigation.status, investigation.objection, investigation.objected_on = (
        InvestigationStatus.OBJECTED,
        reasons,
        on,
    )
    investigation.save(update_fields=["status", "objection", "objected_on", "updated_at"])
    clock = timelimits.clock_for(investigation, OBJECTION_LIMIT)
    if clock:
        timelimits.clock_stop(clock=clock, on=on)
    return investigation


@transaction.atomic
def investigation_finalise(
    *,
    user,
    investigation: Investigation,
    reply: str = "",
    conclusion: str | None = None,
    on: dt.date | None = None,
) -> Investigation:
    """The conclusion becomes final: after the objection's review (which may change it), or when the window
    has passed without an objection. A concealed defect is recorded as a conduct fact."""
    investigation = Investigation.objects.select_for_update().get(pk=investigation.pk)
    if not policies.can_finalise(user, investigation):
        raise PermissionDenied(_("您无权确定该调查结论。"))
    INVESTIGATION_FLOW.require(investigation, InvestigationStatus.FINAL)
    on = on or timezone.localdate()
    fields = ["status", "finalised_on", "updated_at"]
    if investigation.status == InvestigationStatus.OBJECTED:
        investigation.objection_reply = require_text(reply, _("异议复核意见"))
        fields.append("objection_reply")
        if conclusion and conclusion != investigation.conclusion:
            if conclusion not in Conclusion.values:
                raise DomainError(_("调查结论：请选择存在缺陷或不存在缺陷。"))
            investigation.conclusion = conclusion
            fields.append("conclusion")
            if conclusion == Conclusion.NO_DEFECT and investigation.concealed:
                investigation.concealed = False
                fields.append("concealed")
    else:
        due = objection_due(investigation)
        if due and on <= due.due:
            raise DomainError(
                _("异议期限至 %(due)s 届满，届满前不能确定结论（生产者仍可提出异议）。") % {"due": due.due}
            )
        clock = timelimits.clock_for(investigation, OBJECTION_LIMIT)
        if clock:
            timelimits.clock_stop(clock=clock, on=on)
    investigation.status, investigation.finalised_on = InvestigationStatus.FINAL, on
    investigation.save(update_fields=fields)
    if investigation.conclusion == Conclusion.DEFECT and investigation.concealed:
        record_fact(
            enterprise=investigation.producer,
            kind="recalls.defect_concealed",
            source=investigation,
            on=on,
            user=user,
            summary=_("缺陷调查认定隐瞒缺陷"),
            data={"investigation_no": investigation.investigation_no},
        )
    return investigation


@transaction.atomic
def investigation_request_recall(*, user, investigation: Investigation, on: dt.date | None = None) -> Investigation:
    """Notify the producer to recall (通知召回): its plan is due within 5 工作日 (召回计划备案 limit)."""
    investigation = Investigation.objects.select_for_update().get(pk=investigation.pk)
    if not policies.can_order_recall(user, investigation):
        raise PermissionDenied(_("只有认定存在缺陷且结论已确定的调查才能通知召回。"))
    on = on or timezone.localdate()
    investigation.outcome = InvestigationOutcome.REQUESTED
    investigation.save(update_fields=["outcome", "updated_at"])
    timelimits.clock_start(
        owner=investigation, key=PLAN_FILING_LIMIT, started_on=on, region_code=investigation.region_id
    )
    return investigation

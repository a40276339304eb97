"""Recalls (召回): filing and re-filing the plan (条例 arts. 16–17), the ordered recall and its refusal, the
public notice, the progress reports every 3 个月, the end and the summary, termination, and the daily check
that flags late or missing reports. Time limits come from core.timelimits (keys ``recalls.*``)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import timelimits
from core.errors import DomainError, PermissionDenied
from core.facts import record_fact
from core.models import Enterprise, ProductType
from core.models_timelimits import ClockState
from recalls import policies
from recalls.models import (
    Category,
    Investigation,
    InvestigationOutcome,
    Recall,
    RecallKind,
    RecallReport,
    RecallStatus,
    RecallVersion,
    Remedy,
    ReportKind,
    VinRange,
)
from recalls.services.common import next_number, require_text
from recalls.transitions import RECALL_FLOW
from recalls.vin import parse_vin_ranges

NOTICE_LIMIT = "recalls.notice"
PROGRESS_LIMIT = "recalls.progress"
SUMMARY_LIMIT = "recalls.summary"
PLAN_FILING_LIMIT = "recalls.plan_filing"

# The plan's fields: what a version keeps and what re-filing may change.
PLAN_FIELDS = (
    "category",
    "product",
    "brand",
    "models_list",
    "production_from",
    "production_to",
    "batches",
    "units_affected",
    "defect",
    "hazard",
    "emergency_measures",
    "remedies",
    "remedy_detail",
    "owner_notification",
    "hotline",
    "injuries",
    "retailers",
    "started_on",
    "planned_end_on",
    "internal_note",
)


def _clean_plan(plan: dict, *, existing: Recall | None = None) -> tuple[dict, list]:
    """The checked plan and its VIN runs; a DomainError names the first field that is wrong."""
    data = {name: plan.get(name, getattr(existing, name, None) if existing else None) for name in PLAN_FIELDS}
    if data["category"] not in Category.values:
        raise DomainError(_("产品类别：请选择汽车产品或消费品。"))
    data["product"] = require_text(data["product"], _("产品名称"), 128)
    data["brand"] = require_text(data["brand"], _("品牌"), 64)
    models = data["models_list"] or []
    if isinstance(models, str):
        models = models.replace("，", ",").replace("、", ",").replace("\n", ",").split(",")
    models = list(dict.fromkeys(m.strip() for m in models if m and m.strip()))
    if not models:
        raise DomainError(_("型号：至少填写一个型号。"))
    if any(len(m) > 64 for m in models):
        raise DomainError(_("型号：每个型号不能超过 64 个字。"))
    data["models_list"] = models
    if data["production_from"] and data["production_to"] and data["production_to"] < data["production_from"]:
        raise DomainError(_("生产截止日期：不能早于生产起始日期。"))
    remedies = list(dict.fromkeys(data["remedies"] or []))
    if not remedies:
        raise DomainError(_("召回措施：至少选择一项（修理、更换、退货、补充说明或在线升级）。"))
    unknown = [r for r in remedies if r not in Remedy.values]
    if unknown:
        raise DomainError(_("召回措施：“%(value)s”不是有效的召回措施。") % {"value": unknown[0]})
    data["remedies"] = remedies
    for name, label in (
        ("defect", _("缺陷情况")),
        ("hazard", _("可能造成的危害")),
        ("owner_notification", _("通知用户的方式")),
    ):
        data[name] = require_text(data[name], label)
    data["hotline"] = require_text(data["hotline"], _("咨询电话"), 64)
    for name in ("emergency_measures", "remedy_detail", "batches", "injuries", "retailers", "internal_note"):
        data[name] = (data[name] or "").strip()
    if not data["started_on"]:
        raise DomainError(_("召回开始日期：不能为空。"))
    if data["planned_end_on"] and data["planned_end_on"] < data["started_on"]:
        raise DomainError(_("计划完成日期：不能早于召回开始日期。"))
    vin_text = plan.get("vin_ranges")
    runs = parse_vin_ranges(vin_text) if vin_text is not None else None
    if data["category"] == Category.VEHICLE:
        if runs is None and existing is not None:
            runs = None  # unchanged
        elif not runs:
            raise DomainError(_("VIN 清单：汽车产品召回须列出所涉车辆的 VIN 或 VIN 范围。"))
    elif runs:
        raise DomainError(_("VIN 清单：只有汽车产品召回填写 VIN。"))
    units = data["units_affected"]
    vin_units = sum(r.units for r in runs) if runs else None
    if not units and vin_units:
        units = vin_units
    try:
        units = int(units or 0)
    except (TypeError, ValueError):
        raise DomainError(_("涉及数量：必须是整数。")) from None
    if units < 1:
        raise DomainError(_("涉及数量：必须大于 0。"))
    if vin_units is not None and vin_units != units:
        raise DomainError(
            _("涉及数量：填写的 %(units)d 与 VIN 清单所列的 %(vins)d 辆不一致。") % {"units": units, "vins": vin_units}
        )
    data["units_affected"] = units
    return data, runs


def search_text(recall: Recall) -> str:
    parts = [recall.product, recall.brand, *recall.models_list, recall.producer.name, recall.recall_no]
    return " ".join(p for p in parts if p)


def bigrams(text: str) -> list[str]:
    """The distinct two-character pieces of ``text`` (upper case, spaces excluded)."""
    text = text.upper()
    return sorted({text[i : i + 2] for i in range(len(text) - 1) if " " not in text[i : i + 2]})


def _set_search(recall: Recall) -> list[str]:
    recall.search_text = search_text(recall)
    recall.search_bigrams = bigrams(recall.search_text)
    return ["search_text", "search_bigrams"]


def _snapshot(recall: Recall) -> dict:
    plan = {}
    for name in PLAN_FIELDS:
        value = getattr(recall, name)
        plan[name] = value.isoformat() if isinstance(value, dt.date) else value
    plan["vin_ranges"] = [[r.first_vin, r.last_vin] for r in recall.vin_ranges.order_by("stem", "serial_from")][:1000]
    plan["producer"] = recall.producer.name
    plan["kind"] = recall.kind
    return plan


def _store_vins(recall: Recall, runs) -> None:
    if runs is None:
        return
    recall.vin_ranges.all().delete()
    VinRange.objects.bulk_create(
        [
            VinRange(
                recall=recall,
                stem=r.stem,
                serial_from=r.serial_from,
                serial_to=r.serial_to,
                units=r.units,
                first_vin=r.first_vin,
                last_vin=r.last_vin,
            )
            for r in runs
        ],
        batch_size=2000,
    )


def _file_version(recall: Recall, *, user, on: dt.date, reason: str) -> RecallVersion:
    return RecallVersion.objects.create(
        recall=recall, number=recall.version, filed_on=on, filed_by=user, reason=reason, plan=_snapshot(recall)
    )


def _start_clock(owner, key: str, on: dt.date, region: str):
    return timelimits.clock_start(owner=owner, key=key, started_on=on, region_code=region)


def _stop_clock(owner, key: str, on: dt.date) -> None:
    clock = timelimits.clock_for(owner, key)
    if clock is not None:
        timelimits.clock_stop(clock=clock, on=on)


def _record_filed(recall: Recall, user, on: dt.date) -> None:
    record_fact(
        enterprise=recall.producer,
        kind="recalls.recall_filed",
        source=recall,
        on=on,
        user=user,
        summary=f"{recall.brand} {recall.product}",
        data={
            "recall_no": recall.recall_no,
            "kind": recall.kind,
            "category": recall.category,
            "units": recall.units_affected,
        },
    )


@transaction.atomic
def recall_file(
    *,
    user,
    producer: Enterprise,
    plan: dict,
    kind: str = RecallKind.VOLUNTARY,
    investigation: Investigation | None = None,
    product_type: ProductType | None = None,
    filed_on: dt.date | None = None,
) -> Recall:
    """File a voluntary recall plan (备案): by the producer's own account or by staff on its behalf. The notice
    is due within 5 工作日 of filing."""
    if policies.is_producer(user):
        producer = user.enterprise
    if not policies.can_file_for(user, producer):
        raise PermissionDenied(_("您只能为本企业（或管辖范围内的企业）备案召回计划。"))
    if kind != RecallKind.VOLUNTARY:
        raise DomainError(_("召回方式：责令召回由监管部门发出责令召回通知后，由生产者提交召回计划。"))
    data, runs = _clean_plan(plan)
    filed_on = filed_on or timezone.localdate()
    recall = Recall.objects.create(
        recall_no=next_number("RC", filed_on.year, 5),
        kind=kind,
        status=RecallStatus.FILED,
        producer=producer,
        region=producer.region,
        investigation=investigation,
        product_type=product_type,
        filed_on=filed_on,
        filed_by=user,
        version=1,
        **data,
    )
    recall.save(update_fields=_set_search(recall))
    _store_vins(recall, runs)
    _file_version(recall, user=user, on=filed_on, reason=_("首次备案"))
    _start_clock(recall, NOTICE_LIMIT, filed_on, recall.region_id)
    if investigation is not None:
        _stop_clock(investigation, PLAN_FILING_LIMIT, filed_on)
    _record_filed(recall, user, filed_on)
    return recall


@transaction.atomic
def recall_order(*, user, investigation: Investigation, on: dt.date | None = None) -> Recall:
    """责令召回: a confirmed defect the producer does not recall of its own accord. The recall waits for the
    producer's plan, due within 5 工作日 of the order."""
    investigation = Investigation.objects.select_for_update().get(pk=investigation.pk)
    if not policies.can_order_recall(user, investigation):
        raise PermissionDenied(_("只有认定存在缺陷且结论已确定的调查才能责令召回。"))
    on = on or timezone.localdate()
    recall = Recall.objects.create(
        recall_no=next_number("RC", on.year, 5),
        kind=RecallKind.ORDERED,
        status=RecallStatus.ORDERED,
        producer=investigation.producer,
        region=investigation.region,
        investigation=investigation,
        category=investigation.category,
        product=investigation.product,
        brand=investigation.brand,
        models_list=[m.strip() for m in investigation.models_text.replace("，", ",").split(",") if m.strip()],
        defect=investigation.findings,
        ordered_on=on,
    )
    recall.save(update_fields=_set_search(recall))
    investigation.outcome = InvestigationOutcome.ORDERED
    investigation.save(update_fields=["outcome", "updated_at"])
    _start_clock(recall, PLAN_FILING_LIMIT, on, recall.region_id)
    return recall


@transaction.atomic
def recall_file_ordered_plan(*, user, recall: Recall, plan: dict, filed_on: dt.date | None = None) -> Recall:
    """The producer's plan for an ordered recall (or after a refusal): filed like a voluntary one."""
    recall = Recall.objects.select_for_update().get(pk=recall.pk)
    if not policies.can_file_ordered_plan(user, recall):
        raise PermissionDenied(_("您无权为该召回提交召回计划。"))
    RECALL_FLOW.require(recall, RecallStatus.FILED)
    data, runs = _clean_plan(plan)
    filed_on = filed_on or timezone.localdate()
    for name, value in data.items():
        setattr(recall, name, value)
    recall.status, recall.filed_on, recall.filed_by, recall.version = RecallStatus.FILED, filed_on, user, 1
    search_fields = _set_search(recall)
    recall.save(update_fields=[*PLAN_FIELDS, "status", "filed_on", "filed_by", "version", *search_fields, "updated_at"])
    _store_vins(recall, runs)
    _file_version(recall, user=user, on=filed_on, reason=_("按责令召回通知备案"))
    _stop_clock(recall, PLAN_FILING_LIMIT, filed_on)
    _start_clock(recall, NOTICE_LIMIT, filed_on, recall.region_id)
    _record_filed(recall, user, filed_on)
    return recall


@transaction.atomic
def recall_record_refusal(*, user, recall: Recall, reason: str, on: dt.date | None = None) -> Recall:
    """The producer refuses an ordered recall (拒不召回): a conduct fact for credit and a referral matter."""
    recall = Recall.objects.select_for_update().get(pk=recall.pk)
    if not policies.can_record_refusal(user, recall):
        raise PermissionDenied(_("您无权记录拒不召回。"))
    RECALL_FLOW.require(recall, RecallStatus.REFUSED)
    on = on or timezone.localdate()
    recall.status, recall.refusal_reason = RecallStatus.REFUSED, require_text(reason, _("拒不召回情况"), 255)
    recall.save(update_fields=["status", "refusal_reason", "updated_at"])
    record_fact(
        enterprise=recall.producer,
        kind="recalls.order_refused",
        source=recall,
        on=on,
        user=user,
        summary=_("拒不执行责令召回"),
        data={"recall_no": recall.recall_no},
    )
    return recall


@transaction.atomic
def recall_refile(*, user, recall: Recall, plan: dict, reason: str, on: dt.date | None = None) -> Recall:
    """A changed plan is filed again (重新备案, 条例 art. 17); the earlier version is kept as it was."""
    recall = Recall.objects.select_for_update().get(pk=recall.pk)
    if not policies.can_refile(user, recall):
        raise PermissionDenied(_("您无权变更该召回计划，或该召回当前不能变更。"))
    reason = require_text(reason, _("变更原因"), 255)
    data, runs = _clean_plan(plan, existing=recall)
    if data["category"] != recall.category:
        raise DomainError(_("产品类别：重新备案不能改变产品类别，请另行备案。"))
    if data["units_affected"] < recall.units_remedied + recall.units_unreachable:
        raise DomainError(_("涉及数量：不能少于已报告的完成数与无法联系数之和。"))
    changed = [name for name, value in data.items() if getattr(recall, name) != value]
    if not changed and runs is None:
        raise DomainError(_("召回计划没有变化，无需重新备案。"))
    on = on or timezone.localdate()
    for name in changed:
        setattr(recall, name, data[name])
    recall.version += 1
    fields = [*changed, "version", *_set_search(recall), "updated_at"]
    if recall.published_on:
        recall.last_published_at = timezone.now()
        fields.append("last_published_at")
    recall.save(update_fields=fields)
    _store_vins(recall, runs)
    _file_version(recall, user=user, on=on, reason=reason)
    return recall


def _open_progress_report(recall: Recall, number: int, period_start: dt.date) -> RecallReport:
    due = timelimits.due_for(PROGRESS_LIMIT, period_start)
    report = RecallReport.objects.create(
        recall=recall,
        kind=ReportKind.PROGRESS,
        number=number,
        period_start=period_start,
        due_on=due.due,
        due_basis=due.basis,
    )
    _start_clock(report, PROGRESS_LIMIT, period_start, recall.region_id)
    return report


@transaction.atomic
def recall_publish_notice(*, user, recall: Recall, on: dt.date | None = None) -> Recall:
    """Publish the recall notice (召回信息公告); implementation starts and the first progress report falls due
    3 个月 after the recall's start (or the publication, if later)."""
    recall = Recall.objects.select_for_update().get(pk=recall.pk)
    if not policies.can_publish_notice(user, recall):
        raise PermissionDenied(_("只有该召回所在辖区的负责人可以发布召回公告。"))
    RECALL_FLOW.require(recall, RecallStatus.IMPLEMENTING)
    on = on or timezone.localdate()
    recall.status, recall.published_on, recall.last_published_at = RecallStatus.IMPLEMENTING, on, timezone.now()
    recall.save(update_fields=["status", "published_on", "last_published_at", "updated_at"])
    _stop_clock(recall, NOTICE_LIMIT, on)
    _open_progress_report(recall, 1, max(recall.started_on or on, on))
    record_fact(
        enterprise=recall.producer,
        kind="recalls.notice_published",
        source=recall,
        on=on,
        user=user,
        public_from=on,
        summary=f"{recall.brand} {recall.product}",
        data={"recall_no": recall.recall_no, "category": recall.category, "units": recall.units_affected},
    )
    return recall


def _check_figures(affected, remedied, unreachable) -> tuple[int, int, int]:
    try:
        affected, remedied, unreachable = int(affected), int(remedied), int(unreachable or 0)
    except (TypeError, ValueError):
        raise DomainError(_("数量：涉及数量、已完成数量和无法联系数量必须是整数。")) from None
    if affected < 1:
        raise DomainError(_("涉及数量：必须大于 0。"))
    if remedied < 0 or unreachable < 0:
        raise DomainError(_("数量：不能为负数。"))
    if remedied > affected:
        raise DomainError(_("已完成召回数量：不能超过涉及数量 %(n)d。") % {"n": affected})
    if remedied + unreachable > affected:
        raise DomainError(_("无法联系数量：与已完成数量之和不能超过涉及数量 %(n)d。") % {"n": affected})
    return affected, remedied, unreachable


def _apply_figures(recall: Recall, report: RecallReport, on: dt.date) -> list[str]:
    recall.units_affected, recall.units_remedied = report.units_affected, report.units_remedied
    recall.units_unreachable, recall.figures_as_of = report.units_unreachable, on
    recall.last_published_at = timezone.now() if recall.published_on else recall.last_published_at
    return ["units_affected", "units_remedied", "units_unreachable", "figures_as_of", "last_published_at"]


def open_report(recall: Recall, kind: str) -> RecallReport | None:
    return recall.reports.filter(kind=kind, submitted_on__isnull=True).order_by("number").first()


@transaction.atomic
def progress_report_submit(
    *,
    user,
    recall: Recall,
    units_affected: int,
    units_remedied: int,
    units_unreachable: int = 0,
    unreachable_reasons: str = "",
    note: str = "",
    on: dt.date | None = None,
) -> RecallReport:
    """A progress report (阶段性进展报告): units affected, remedied, unreachable (with reasons). It answers the
    oldest report due; the next period runs from the end of this one."""
    recall = Recall.objects.select_for_update().get(pk=recall.pk)
    if not policies.can_report_progress(user, recall):
        raise PermissionDenied(_("您无权报送该召回的进展报告，或该召回不在实施中。"))
    on = on or timezone.localdate()
    affected, remedied, unreachable = _check_figures(units_affected, units_remedied, units_unreachable)
    if unreachable and not (unreachable_reasons or "").strip():
        raise DomainError(_("无法联系的原因：有无法联系的用户时请说明原因。"))
    report = open_report(recall, ReportKind.PROGRESS)
    if report is None:
        number = (recall.reports.filter(kind=ReportKind.PROGRESS).count() or 0) + 1
        report = _open_progress_report(recall, number, recall.published_on or on)
    report = RecallReport.objects.select_for_update().get(pk=report.pk)
    report.submitted_on, report.submitted_by = on, user
    report.units_affected, report.units_remedied, report.units_unreachable = affected, remedied, unreachable
    report.unreachable_reasons, report.note = (unreachable_reasons or "").strip()[:255], (note or "").strip()
    report.save(
        update_fields=[
            "submitted_on",
            "submitted_by",
            "units_affected",
            "units_remedied",
            "units_unreachable",
            "unreachable_reasons",
            "note",
        ]
    )
    _stop_clock(report, PROGRESS_LIMIT, on)
    recall.save(update_fields=[*_apply_figures(recall, report, on), "updated_at"])
    if not open_report(recall, ReportKind.PROGRESS):
        _open_progress_report(recall, report.number + 1, report.due_on)
    return report


@transaction.atomic
def recall_end(*, user, recall: Recall, ended_on: dt.date | None = None) -> Recall:
    """The implementation has ended (实施结束): the summary is due within 15 工作日. A progress report not yet
    due is no longer owed (the summary covers it); an overdue one stays owed."""
    recall = Recall.objects.select_for_update().get(pk=recall.pk)
    if not policies.can_end(user, recall):
        raise PermissionDenied(_("您无权结束该召回的实施。"))
    RECALL_FLOW.require(recall, RecallStatus.ENDED)
    ended_on = ended_on or timezone.localdate()
    if recall.published_on and ended_on < recall.published_on:
        raise DomainError(_("实施结束日期：不能早于公告发布日期 %(d)s。") % {"d": recall.published_on})
    if ended_on > timezone.localdate():
        raise DomainError(_("实施结束日期：不能晚于今天。"))
    recall.status, recall.ended_on = RecallStatus.ENDED, ended_on
    recall.save(update_fields=["status", "ended_on", "updated_at"])
    for pending in recall.reports.filter(kind=ReportKind.PROGRESS, submitted_on__isnull=True, due_on__gte=ended_on):
        _stop_clock(pending, PROGRESS_LIMIT, ended_on)
        pending.delete()
    due = timelimits.due_for(SUMMARY_LIMIT, ended_on)
    summary = RecallReport.objects.create(
        recall=recall, kind=ReportKind.SUMMARY, number=1, period_start=ended_on, due_on=due.due, due_basis=due.basis
    )
    _start_clock(summary, SUMMARY_LIMIT, ended_on, recall.region_id)
    return recall


@transaction.atomic
def recall_summary_submit(
    *,
    user,
    recall: Recall,
    summary: str,
    units_affected: int,
    units_remedied: int,
    units_unreachable: int = 0,
    unreachable_reasons: str = "",
    on: dt.date | None = None,
) -> Recall:
    """The summary report (总结报告) completes the recall, with its final figures and completion rate."""
    recall = Recall.objects.select_for_update().get(pk=recall.pk)
    if not policies.can_submit_summary(user, recall):
        raise PermissionDenied(_("您无权报送该召回的总结报告，或该召回尚未结束实施。"))
    RECALL_FLOW.require(recall, RecallStatus.COMPLETED)
    on = on or timezone.localdate()
    summary = require_text(summary, _("总结报告"))
    affected, remedied, unreachable = _check_figures(units_affected, units_remedied, units_unreachable)
    if unreachable and not (unreachable_reasons or "").strip():
        raise DomainError(_("无法联系的原因：有无法联系的用户时请说明原因。"))
    report = open_report(recall, ReportKind.SUMMARY)
    report = RecallReport.objects.select_for_update().get(pk=report.pk)
    report.submitted_on, report.submitted_by, report.note = on, user, summary
    report.units_affected, report.units_remedied, report.units_unreachable = affected, remedied, unreachable
    report.unreachable_reasons = (unreachable_reasons or "").strip()[:255]
    report.save(
        update_fields=[
            "submitted_on",
            "submitted_by",
            "note",
            "units_affected",
            "units_remedied",
            "units_unreachable",
            "unreachable_reasons",
        ]
    )
    _stop_clock(report, SUMMARY_LIMIT, on)
    recall.status, recall.completed_on, recall.summary = RecallStatus.COMPLETED, on, summary
    recall.save(update_fields=[*_apply_figures(recall, report, on), "status", "completed_on", "summary", "updated_at"])
    rate = recall.completion_rate
    record_fact(
        enterprise=recall.producer,
        kind="recalls.recall_completed",
        source=recall,
        on=on,
        user=user,
        summary=f"{recall.brand} {recall.product}",
        data={"recall_no": recall.recall_no, "completion_rate": None if rate is None else round(rate, 4)},
    )
    return recall


@transaction.atomic
def recall_terminate(*, user, recall: Recall, reason: str, on: dt.date | None = None) -> Recall:
    """终止: the plan is withdrawn or the defect disproved; open reports are no longer owed."""
    recall = Recall.objects.select_for_update().get(pk=recall.pk)
    if not policies.can_terminate(user, recall):
        raise PermissionDenied(_("只有该召回所在辖区的负责人可以终止召回。"))
    RECALL_FLOW.require(recall, RecallStatus.TERMINATED)
    on = on or timezone.localdate()
    recall.status, recall.terminated_on = RecallStatus.TERMINATED, on
    recall.termination_reason = require_text(reason, _("终止原因"), 255)
    fields = ["status", "terminated_on", "termination_reason", "updated_at"]
    if recall.published_on:
        recall.last_published_at = timezone.now()
        fields.append("last_published_at")
    recall.save(update_fields=fields)
    _stop_clock(recall, NOTICE_LIMIT, on)
    for pending in recall.reports.filter(submitted_on__isnull=True):
        _stop_clock(pending, PROGRESS_LIMIT if pending.kind == ReportKind.PROGRESS else SUMMARY_LIMIT, on)
        pending.delete()
    return recall


# --- late and missing reports (daily) --------------------------------------------------------------------


def notice_due(recall: Recall):
    clock = timelimits.clock_for(recall, NOTICE_LIMIT)
    return timelimits.clock_due(clock) if clock else None


def plan_due(owner):
    clock = timelimits.clock_for(owner, PLAN_FILING_LIMIT)
    return timelimits.clock_due(clock) if clock else None


def _late(recall: Recall, report: str, due_on: dt.date, ref: str, today: dt.date) -> bool:
    fact = record_fact(
        enterprise=recall.producer,
        kind="recalls.report_late",
        source=recall,
        ref=ref,
        on=today,
        summary=_("召回报告逾期：%(no)s") % {"no": recall.recall_no},
        data={"recall_no": recall.recall_no, "report": report, "due_on": due_on.isoformat()},
    )
    return fact.occurred_on == today


@transaction.atomic
def recalls_flag_late(*, today: dt.date | None = None) -> int:
    """Record a ``recalls.report_late`` fact for every notice, progress report, summary or ordered plan that is
    past its due date and still missing (once per report: safe to run twice). Returns how many are late."""
    today = today or timezone.localdate()
    late = 0
    for recall in Recall.objects.filter(status=RecallStatus.FILED, published_on__isnull=True).select_related(
        "producer"
    ):
        due = notice_due(recall)
        if due and due.due < today:
            _late(recall, "notice", due.due, "notice", today)
            late += 1
    for recall in Recall.objects.filter(status=RecallStatus.ORDERED).select_related("producer"):
        due = plan_due(recall)
        if due and due.due < today:
            _late(recall, "plan", due.due, "plan", today)
            late += 1
    for report in RecallReport.objects.filter(submitted_on__isnull=True, due_on__lt=today).select_related(
        "recall__producer"
    ):
        _late(report.recall, report.kind, report.due_on, f"{report.kind}:{report.number}", today)
        late += 1
    return late


def clock_running(owner, key: str) -> bool:
    clock = timelimits.clock_for(owner, key)
    return clock is not None and clock.state != ClockState.STOPPED

"""Test results (检验结果): item-by-item entry, confirmation, and recorded amendments.

Rules: a sample fails when any item fails (the overall verdict is derived, never typed); a confirmed
result is locked and changes only through a 修改申请 with a reason, approved by a leader of the jurisdiction
other than the requester (services.corrections), then applied here with a before/after record;
a re-test (复检) by a different institution gives the final verdict.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError, PermissionDenied
from core.models import Institution, TestItem
from sampling import policies
from sampling.models import (
    ItemResult,
    Objection,
    ObjectionStatus,
    ResultAmendment,
    ResultStatus,
    Sample,
    TestResult,
    Verdict,
)
from sampling.services.verdicts import results_confirmed_after
from sampling.transitions import OBJECTION_FLOW, RESULT_FLOW

# Kept as names of this module for callers that import them from here.
can_enter_result = policies.can_enter_result
can_confirm_result = policies.can_confirm_result

ITEM_VERDICTS = {Verdict.PENDING.value, Verdict.PASS.value, Verdict.FAIL.value}
HEADER_FIELDS = ("report_no", "institution", "tested_on")


def derive_verdict(item_verdicts: list[str]) -> str:
    """不合格 when any item fails; 合格 when every item passes; 待检验 otherwise (or with no items)."""
    if any(v == Verdict.FAIL for v in item_verdicts):
        return Verdict.FAIL
    if item_verdicts and all(v == Verdict.PASS for v in item_verdicts):
        return Verdict.PASS
    return Verdict.PENDING


def _check_can_enter(user, sample: Sample, institution: Institution | None) -> None:
    if not policies.can_enter_result(user, sample, institution):
        raise PermissionDenied(_("您无权录入抽样单 %(no)s 的检验结果。") % {"no": sample.sample_no})


def test_items_for(sample: Sample) -> list[TestItem]:
    return list(sample.product_type.test_items.order_by("order", "id"))


def _clean_items(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if not items:
        raise DomainError(_("检验项目：至少需要一个检验项目。"))
    cleaned, seen = [], set()
    for position, raw in enumerate(items, start=1):
        name = str(raw.get("item_name") or raw.get("name") or "").strip()
        if not name:
            raise DomainError(_("第 %(n)d 行：检验项目名称不能为空。") % {"n": position})
        if name in seen:
            raise DomainError(_("第 %(n)d 行：检验项目“%(name)s”重复。") % {"n": position, "name": name})
        seen.add(name)
        verdict = str(raw.get("verdict") or "").strip()
        if verdict not in ITEM_VERDICTS:
            raise DomainError(_("检验项目“%(name)s”：单项判定只能是合格或不合格。") % {"name": name})
        measured = str(raw.get("measured_value") or "").strip()
        test_item = raw.get("test_item")
        cleaned.append(
            {
                "item_name": name,
                "test_item_id": getattr(test_item, "pk", test_item),
                "standard": str(raw.get("standard") or "").strip(),
                "requirement": str(raw.get("requirement") or "").strip(),
                "measured_value": measured,
                "verdict": verdict,
                "order": position,
            }
        )
    return cleaned


def _write_items(result: TestResult, items: list[dict[str, Any]]) -> None:
    result.items.all().delete()
    ItemResult.objects.bulk_create([ItemResult(result=result, **item) for item in items])
    verdicts = [item["verdict"] for item in items]
    result.verdict = derive_verdict(verdicts)
    result.failed_items = [item["item_name"] for item in items if item["verdict"] == Verdict.FAIL]


def _open_objection(sample: Sample) -> Objection | None:
    return sample.objections.filter(status__in=[ObjectionStatus.FILED, ObjectionStatus.RETESTING]).first()


def result_enter(
    *,
    user,
    sample: Sample,
    report_no: str,
    institution: Institution,
    tested_on: dt.date | None,
    items: list[dict[str, Any]],
    retest: bool = False,
) -> TestResult:
    """Enter (or re-enter, until confirmed) the per-item results of a sample's test or re-test.

    Items carry item_name, standard, requirement, measured_value and verdict ('pass'/'fail'/'');
    the overall verdict and the failed items are derived from them. A re-test needs an objection
    in re-testing and is entered for the institution assigned to it.
    """
    report_no = (report_no or "").strip()
    if not report_no:
        raise DomainError(_("检验报告编号：不能为空。"))
    if institution is None:
        raise DomainError(_("检验机构：请选择检验机构。"))
    if tested_on and tested_on > timezone.localdate():
        raise DomainError(_("检验日期：不能晚于今天。"))
    cleaned = _clean_items(items)
    with transaction.atomic():
        sample = Sample.objects.select_for_update().get(pk=sample.pk)
        _check_can_enter(user, sample, institution)
        if retest:
            objection = sample.objections.filter(status=ObjectionStatus.RETESTING).first()
            if objection is None:
                raise DomainError(_("抽样单 %(no)s 没有待复检的异议，不能录入复检结果。") % {"no": sample.sample_no})
            if objection.retest_institution_id != institution.pk:
                raise DomainError(
                    _("检验机构：复检应由指定的复检机构“%(name)s”出具。") % {"name": objection.retest_institution}
                )
        result = TestResult.objects.select_for_update().filter(sample=sample, is_retest=retest).first()
        if result is not None and result.is_confirmed:
            raise DomainError(
                _("检验报告 %(no)s 已确认，不能直接修改；请通过“更正”并说明理由。") % {"no": result.report_no}
            )
        if result is None:
            result = TestResult(sample=sample, is_retest=retest)
        RESULT_FLOW.require(result, ResultStatus.ENTERED)
        result.report_no = report_no
        result.institution = institution
        result.tested_on = tested_on
        result.entered_by = user
        result.save()
        _write_items(result, cleaned)
        result.save(update_fields=["verdict", "failed_items", "updated_at"])
        # An entered result decides nothing until it is confirmed: the final verdict stays as it is.
        return result


def result_confirm(*, user, result: TestResult) -> TestResult:
    """Confirm (lock) a result once every item is judged; then the after-confirmation step settles the final
    verdict (a confirmed 不合格 with no open objection starts post-processing). A confirmed re-test decides the
    objection and gives the final verdict."""
    with transaction.atomic():
        result = TestResult.objects.select_for_update().select_related("sample", "institution").get(pk=result.pk)
        sample = Sample.objects.select_for_update().get(pk=result.sample_id)
        if result.is_confirmed:
            raise DomainError(_("检验报告 %(no)s 已经确认。") % {"no": result.report_no})
        if not policies.can_confirm_result(user, result):
            raise PermissionDenied(_("您无权确认检验报告 %(no)s。") % {"no": result.report_no})
        RESULT_FLOW.require(result, ResultStatus.CONFIRMED)
        pending = list(result.items.filter(verdict=Verdict.PENDING).values_list("item_name", flat=True))
        if pending or not result.verdict:
            raise DomainError(
                _("检验项目“%(names)s”尚未判定，不能确认。") % {"names": "、".join(pending) or _("（无项目）")}
            )
        result.status = ResultStatus.CONFIRMED
        result.is_confirmed = True
        result.confirmed_at = timezone.now()
        result.confirmed_by = user
        result.save(update_fields=["status", "is_confirmed", "confirmed_at", "confirmed_by", "updated_at"])
        if result.is_retest:
            objection = sample.objections.select_for_update().filter(status=ObjectionStatus.RETESTING).first()
            if objection is not None:
                OBJECTION_FLOW.require(objection, ObjectionStatus.DECIDED)
                objection.status = ObjectionStatus.DECIDED
                objection.decision_note = _("复检结论（%(report)s，%(inst)s）：%(verdict)s，为最终结论。") % {
                    "report": result.report_no,
                    "inst": result.institution.name,
                    "verdict": result.get_verdict_display(),
                }
                objection.save(update_fields=["status", "decision_note"])
        results_confirmed_after(user=user, sample_ids=[sample.pk], on=timezone.localdate())
        return result


def result_snapshot(result: TestResult) -> dict[str, Any]:
    """A JSON picture of a result, kept before and after each amendment."""
    return {
        "report_no": result.report_no,
        "institution": {"id": result.institution_id, "name": result.institution.name},
        "tested_on": result.tested_on.isoformat() if result.tested_on else None,
        "verdict": result.verdict,
        "failed_items": list(result.failed_items),
        "items": [
            {
                "item_name": i.item_name,
                "standard": i.standard,
                "requirement": i.requirement,
                "measured_value": i.measured_value,
                "verdict": i.verdict,
            }
            for i in result.items.all()
        ],
    }


RESULT_CHANGE_KEYS = ("report_no", "institution", "tested_on", "verdict", "failed_items", "items")
DERIVED_KEYS = ("verdict", "failed_items")  # follow from the items, never applied as such


def _check_changes(changes: dict[str, Any]) -> None:
    unknown = set(changes) - {*HEADER_FIELDS, "items"}
    if unknown:
        raise DomainError(_("不能更正字段：%(fields)s。") % {"fields": "、".join(sorted(unknown))})


def _proposed(result: TestResult, before: dict[str, Any], changes: dict[str, Any]) -> tuple[dict, list | None]:
    """The header values and the full item list a correction gives ``result``, checked; nothing is written."""
    header: dict[str, Any] = {}
    if "report_no" in changes:
        if not str(changes["report_no"] or "").strip():
            raise DomainError(_("检验报告编号：不能为空。"))
        header["report_no"] = str(changes["report_no"]).strip()
    if "institution" in changes:
        institution = changes["institution"]
        if not isinstance(institution, Institution):
            institution = Institution.objects.filter(pk=institution).first() if institution else None
        if institution is None:
            raise DomainError(_("检验机构：请选择检验机构。"))
        header["institution"] = institution
    if "tested_on" in changes:
        tested_on = changes["tested_on"]
        if isinstance(tested_on, str):
            try:
                tested_on = dt.date.fromisoformat(tested_on) if tested_on else None
            except ValueError:
                raise DomainError(_("检验日期：日期格式应为 YYYY-MM-DD。"))
        if tested_on and tested_on > timezone.localdate():
            raise DomainError(_("检验日期：不能晚于今天。"))
        header["tested_on"] = tested_on
    if "items" not in changes:
        return header, None
    current = {item["item_name"]: item for item in before["items"]}
    updates = _clean_items(changes["items"])
    if {u["item_name"] for u in updates} >= set(current):
        merged = updates
    else:
        unknown_items = [u["item_name"] for u in updates if u["item_name"] not in current]
        if unknown_items:
            raise DomainError(_("检验项目“%(name)s”不在原报告中。") % {"name": "、".join(unknown_items)})
        by_name = {u["item_name"]: u for u in updates}
        merged = []
        for position, item in enumerate(before["items"], start=1):
            new = by_name.get(item["item_name"])
            merged.append(
                {
                    **item,
                    "measured_value": new["measured_value"] if new else item["measured_value"],
                    "verdict": new["verdict"] if new else item["verdict"],
                    "order": position,
                }
            )
    old_links = dict(result.items.values_list("item_name", "test_item_id"))
    for item in merged:
        old = current.get(item["item_name"], {})
        item["test_item_id"] = item.get("test_item_id") or old_links.get(item["item_name"])
        item["standard"] = item["standard"] or old.get("standard", "")
        item["requirement"] = item["requirement"] or old.get("requirement", "")
    if any(item["verdict"] == Verdict.PENDING for item in merged):
        raise DomainError(_("已确认的检验结果中每个检验项目都必须有单项判定。"))
    return header, merged


def result_amendment_preview(result: TestResult, changes: dict[str, Any]) -> tuple[dict, dict]:
    """(before, after): the result's snapshot now and the one the correction would give it, the verdict and
    failed items re-derived from the items; nothing is written (the 修改申请 keeps both until approval)."""
    _check_changes(changes)
    before = result_snapshot(result)
    header, merged = _proposed(result, before, changes)
    after = {**before, "items": list(before["items"]), "failed_items": list(before["failed_items"])}
    if "report_no" in header:
        after["report_no"] = header["report_no"]
    if "institution" in header:
        after["institution"] = {"id": header["institution"].pk, "name": header["institution"].name}
    if "tested_on" in header:
        after["tested_on"] = header["tested_on"].isoformat() if header["tested_on"] else None
    if merged is not None:
        after["items"] = [
            {key: item[key] for key in ("item_name", "standard", "requirement", "measured_value", "verdict")}
            for item in merged
        ]
        after["verdict"] = derive_verdict([item["verdict"] for item in merged])
        after["failed_items"] = [item["item_name"] for item in merged if item["verdict"] == Verdict.FAIL]
    return before, after


def changes_to_apply(changes: dict[str, dict]) -> dict[str, Any]:
    """A result 修改申请's stored before/after as the ``changes`` of ``result_amend_apply`` (the after values)."""
    applied: dict[str, Any] = {}
    for key, change in changes.items():
        if key in DERIVED_KEYS:
            continue
        after = change["after"]
        applied[key] = after["id"] if key == "institution" else after
    return applied


def result_amend_apply(
    *,
    user,
    result: TestResult,
    reason: str,
    changes: dict[str, Any],
    amended_by=None,
    correction=None,
) -> ResultAmendment:
    """Apply a correction of a confirmed result (结果更正): the approval step of its 修改申请 (the caller, the
    approving leader, has been checked; services.corrections.correction_approve). Records who asked, why, the
    result before and after, re-derives the verdict and settles the final verdict and its facts. ``changes``
    may hold report_no, institution, tested_on and items (the full item list, or only the items to change,
    matched by item_name)."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("更正理由：不能为空。"))
    _check_changes(changes)
    with transaction.atomic():
        result = TestResult.objects.select_for_update().select_related("sample", "institution").get(pk=result.pk)
        sample = Sample.objects.select_for_update().get(pk=result.sample_id)
        if not result.is_confirmed:
            raise DomainError(_("检验报告 %(no)s 尚未确认，请直接修改录入。") % {"no": result.report_no})
        if sample.voided_at is not None:
            raise DomainError(_("抽样单“%(no)s”已作废。") % {"no": sample.sample_no})
        RESULT_FLOW.require(result, ResultStatus.CONFIRMED)
        before = result_snapshot(result)
        header, merged = _proposed(result, before, changes)
        for name, value in header.items():
            setattr(result, name, value)
        if merged is not None:
            _write_items(result, merged)
        result.save()
        after = result_snapshot(result)
        if after == before:
            raise DomainError(_("更正内容与原结果相同，无需更正。"))
        amendment = ResultAmendment.objects.create(
            result=result,
            reason=reason,
            before=before,
            after=after,
            amended_by=amended_by or user,
            correction=correction,
        )
        results_confirmed_after(user=user, sample_ids=[sample.pk], on=timezone.localdate())
        return amendment

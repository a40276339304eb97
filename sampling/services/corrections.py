"""Corrections of tasks, samples (抽样单) and draft announcements.

Before confirmation a record is edited directly (``task_update``, ``sample_update``,
``announcement_draft_update``). Once a task is drawn or a sample has a confirmed result, a correction is a
修改申请 (the fields before and after) or, for a sample, a 作废申请, each with a reason; a leader of the record's
jurisdiction other than the requester approves it (and the change is applied through the same code as an edit)
or rejects it (nothing changes). A confirmed test result's 更正 is such a 修改申请 too
(``result_correction_submit``), applied on approval by ``services.results.result_amend_apply``. A voided
sample leaves statistics, reports and publication: its final verdict returns to pending, its verdict and
publication facts are ended in the ledger, its open follow-up steps close.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit import audit_context
from core.errors import DomainError, PermissionDenied
from core.models import Institution, User
from core.policies import staff_in
from sampling import policies
from sampling.models import (
    Announcement,
    AnnouncementStatus,
    CorrectionKind,
    CorrectionRequest,
    CorrectionStatus,
    Sample,
    SamplingTask,
    Stage,
    TestResult,
    Verdict,
)
from sampling.services import facts as sampling_facts
from sampling.transitions import CORRECTION_FLOW, SAMPLE_VERDICT_FLOW

# What may be corrected. A sample's stage is in its verdict facts' data, so it is edited only before confirmation.
TASK_FIELDS = ("name", "batch", "target_batches", "institution", "budget", "deadline")
SAMPLE_FIELDS = ("brand", "model_spec", "production_batch", "stage", "place", "sampled_on", "quantity", "base_price")
SAMPLE_CORRECTION_FIELDS = tuple(f for f in SAMPLE_FIELDS if f != "stage")
ANNOUNCEMENT_FIELDS = ("title", "number", "summary")
# A result correction's keys (services.results.result_snapshot) by their Chinese label.
RESULT_LABELS = {
    "report_no": gettext_lazy("检验报告编号"),
    "institution": gettext_lazy("检验机构"),
    "tested_on": gettext_lazy("检验日期"),
    "verdict": gettext_lazy("检验结论"),
    "failed_items": gettext_lazy("不合格项目"),
    "items": gettext_lazy("检验项目"),
}


def _label(model, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


def _to_json(value) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _clean_task_values(task: SamplingTask, values: dict) -> dict:
    """The task's new values, checked like task_create; keys are attnames (institution_id)."""
    cleaned: dict[str, Any] = {}
    for name, value in values.items():
        if name not in TASK_FIELDS:
            raise DomainError(_("不能修改字段：%(field)s。") % {"field": name})
        if name in ("name", "batch"):
            value = (value or "").strip()
            if name == "name" and not value:
                raise DomainError(_("任务名称：不能为空。"))
        elif name == "target_batches":
            try:
                value = int(value)
            except (TypeError, ValueError):
                raise DomainError(_("计划批次数：请填写整数。"))
            if value < 0:
                raise DomainError(_("计划批次数：不能为负数。"))
        elif name == "institution":
            if value not in (None, "") and not isinstance(value, Institution):
                value = Institution.objects.filter(pk=value).first()
                if value is None:
                    raise DomainError(_("承检机构：没有这个机构。"))
            cleaned["institution_id"] = value.pk if value else None
            continue
        elif name == "budget":
            value = _decimal_or_none(value, _("经费预算"))
        elif name == "deadline":
            value = _date_or_none(value, _("完成期限"))
        cleaned[name] = value
    return cleaned


def _clean_sample_values(sample: Sample, values: dict, fields=SAMPLE_FIELDS) -> dict:
    cleaned: dict[str, Any] = {}
    for name, value in values.items():
        if name not in fields:
            raise DomainError(_("不能修改字段：%(field)s。") % {"field": name})
        if name == "sampled_on":
            value = _date_or_none(value, _("抽样日期"))
            if value is None:
                raise DomainError(_("抽样日期：不能为空。"))
            if value > timezone.localdate():
                raise DomainError(_("抽样日期：不能晚于今天。"))
        elif name == "base_price":
            value = _decimal_or_none(value, _("抽样基数/单价"))
        elif name == "stage":
            if value not in Stage.values:
                raise DomainError(_("抽样环节：“%(stage)s”不是有效的环节。") % {"stage": value})
        else:
            value = (value or "").strip()
        cleaned[name] = value
    return cleaned


def _decimal_or_none(value, label: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        value = Decimal(str(value))
    except InvalidOperation:
        raise DomainError(_("%(field)s：请填写数字。") % {"field": label})
    if value < 0:
        raise DomainError(_("%(field)s：不能为负数。") % {"field": label})
    return value


def _date_or_none(value, label: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise DomainError(_("%(field)s：日期格式应为 YYYY-MM-DD。") % {"field": label})


def _diff(obj, cleaned: dict) -> dict:
    """{attname: {"before", "after"}} of the values that differ from the record's."""
    changes = {}
    for attname, value in cleaned.items():
        before = _to_json(getattr(obj, attname))
        after = _to_json(value)
        if before != after:
            changes[attname] = {"before": before, "after": after}
    return changes


def _save(obj, cleaned: dict, extra: tuple[str, ...] = ()) -> None:
    for attname, value in cleaned.items():
        setattr(obj, attname, value)
    obj.save(update_fields=[*cleaned, *extra])


# --- edits before confirmation -------------------------------------------------------------------


@transaction.atomic
def task_update(*, user: User, task: SamplingTask, **values) -> dict:
    """Edit a task that is not drawn yet (抽取前可直接修改); returns the changes made."""
    task = SamplingTask.objects.select_for_update().get(pk=task.pk)
    if not policies.can_edit_task(user, task):
        if policies.task_is_confirmed(task):
            raise DomainError(_("任务“%(code)s”已随机抽取，修改需提出修改申请并经负责人批准。") % {"code": task.code})
        raise PermissionDenied(_("您无权修改抽查任务“%(code)s”。") % {"code": task.code})
    cleaned = _clean_task_values(task, values)
    changes = _diff(task, cleaned)
    if changes:
        with audit_context(user=user, source="task_update"):
            _save(task, {k: cleaned[k] for k in changes})
    return changes


@transaction.atomic
def sample_update(*, user: User, sample: Sample, **values) -> dict:
    """Edit a sample whose results are not confirmed (确认前可直接修改); returns the changes made."""
    sample = Sample.objects.select_for_update().get(pk=sample.pk)
    if not policies.can_edit_sample(user, sample):
        if sample.voided_at is None and policies.sample_is_confirmed(sample):
            raise DomainError(
                _("抽样单“%(no)s”的检验结果已确认，修改需提出修改申请并经负责人批准。") % {"no": sample.sample_no}
            )
        raise PermissionDenied(_("您无权修改抽样单“%(no)s”。") % {"no": sample.sample_no})
    cleaned = _clean_sample_values(sample, values)
    changes = _diff(sample, cleaned)
    if changes:
        with audit_context(user=user, source="sample_update"):
            _save(sample, {k: cleaned[k] for k in changes}, extra=("updated_at",))
    return changes


@transaction.atomic
def announcement_draft_update(*, user: User, announcement: Announcement, **values) -> dict:
    """Edit a draft announcement's title, number and text (a published one is withdrawn first)."""
    announcement = Announcement.objects.select_for_update().get(pk=announcement.pk)
    if announcement.status != AnnouncementStatus.DRAFT:
        raise DomainError(_("公告“%(title)s”已发布，请先撤回再修改。") % {"title": announcement.title})
    if not policies.can_edit_announcement(user, announcement):
        raise PermissionDenied(_("您无权修改该公告。"))
    cleaned = {}
    for name, value in values.items():
        if name not in ANNOUNCEMENT_FIELDS:
            raise DomainError(_("不能修改字段：%(field)s。") % {"field": name})
        cleaned[name] = (value or "").strip() if name != "summary" else (value or "")
    if "title" in cleaned and not cleaned["title"]:
        raise DomainError(_("公告标题：必须填写"))
    changes = _diff(announcement, cleaned)
    if changes:
        with audit_context(user=user, source="announcement_draft_update"):
            _save(announcement, {k: cleaned[k] for k in changes})
    return changes


# --- requests after confirmation ---------------------------------------------------------------


@transaction.atomic
def correction_request_submit(
    *, user: User, reason: str, values: dict, task: SamplingTask | None = None, sample: Sample | None = None
) -> CorrectionRequest:
    """提交修改申请: the changed fields of a confirmed task or sample with their values before and after."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("申请理由：不能为空。"))
    if (task is None) == (sample is None):
        raise DomainError(_("修改申请须针对一个抽查任务或一份抽样单。"))
    if task is not None:
        task = SamplingTask.objects.select_for_update().get(pk=task.pk)
        if not policies.can_request_task_correction(user, task):
            raise PermissionDenied(_("您不能对任务“%(code)s”提出修改申请。") % {"code": task.code})
        changes = _diff(task, _clean_task_values(task, values))
        region_id = task.region_id
    else:
        sample = Sample.objects.select_for_update().get(pk=sample.pk)
        if not policies.can_request_sample_correction(user, sample):
            raise PermissionDenied(_("您不能对抽样单“%(no)s”提出修改申请。") % {"no": sample.sample_no})
        changes = _diff(sample, _clean_sample_values(sample, values, SAMPLE_CORRECTION_FIELDS))
        region_id = sample.region_id
    if not changes:
        raise DomainError(_("修改内容：与现有记录相同，请填写要更正的内容。"))
    with audit_context(user=user, source="correction_request_submit"):
        return CorrectionRequest.objects.create(
            kind=CorrectionKind.CHANGE,
            task=task,
            sample=sample,
            region_id=region_id,
            changes=changes,
            reason=reason,
            requested_by=user,
        )


@transaction.atomic
def result_correction_submit(*, user: User, result: TestResult, reason: str, changes: dict) -> CorrectionRequest:
    """更正 of a confirmed test result: a 修改申请 keeping the result before and after (verdict and failed items
    re-derived from the items); nothing changes until a leader of the jurisdiction approves it."""
    from sampling.services.results import result_amendment_preview

    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("更正理由：不能为空。"))
    result = TestResult.objects.select_for_update().select_related("sample", "institution").get(pk=result.pk)
    sample = Sample.objects.select_for_update().get(pk=result.sample_id)
    if not result.is_confirmed:
        raise DomainError(_("检验报告 %(no)s 尚未确认，请直接修改录入。") % {"no": result.report_no})
    if not policies.can_amend_result(user, result):
        if sample.voided_at is None and policies.sample_has_open_correction(sample):
            raise DomainError(_("抽样单“%(no)s”已有待审批的更正申请，请等待审批后再提出。") % {"no": sample.sample_no})
        raise PermissionDenied(_("您无权更正检验报告 %(no)s。") % {"no": result.report_no})
    before, after = result_amendment_preview(result, changes)
    diff = {key: {"before": before[key], "after": after[key]} for key in before if before[key] != after[key]}
    if not diff:
        raise DomainError(_("更正内容与原结果相同，无需更正。"))
    with audit_context(user=user, source="result_correction_submit"):
        return CorrectionRequest.objects.create(
            kind=CorrectionKind.CHANGE,
            sample=sample,
            result=result,
            region_id=sample.region_id,
            changes=diff,
            reason=reason,
            requested_by=user,
        )


@transaction.atomic
def void_request_submit(*, user: User, sample: Sample, reason: str) -> CorrectionRequest:
    """提交作废申请 of a sample, with its reason."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("作废理由：不能为空。"))
    sample = Sample.objects.select_for_update().get(pk=sample.pk)
    if not policies.can_request_void(user, sample):
        raise PermissionDenied(_("您不能申请作废抽样单“%(no)s”。") % {"no": sample.sample_no})
    with audit_context(user=user, source="void_request_submit"):
        return CorrectionRequest.objects.create(
            kind=CorrectionKind.VOID, sample=sample, region_id=sample.region_id, reason=reason, requested_by=user
        )


def _lock_for_decision(user: User, request: CorrectionRequest, to: str) -> CorrectionRequest:
    request = CorrectionRequest.objects.select_for_update().get(pk=request.pk)
    if request.requested_by_id == user.pk:
        raise PermissionDenied(_("申请人不能审批自己的申请。"))
    if not staff_in(user, request.region_id, *policies.CORRECTION_DECIDER_ROLES):
        raise PermissionDenied(_("只有该记录所在辖区的负责人可以审批更正申请。"))
    CORRECTION_FLOW.require(request, to)
    if not policies.can_decide_correction(user, request):
        raise PermissionDenied(_("只有该记录所在辖区的负责人可以审批更正申请。"))
    return request


def correction_approve(*, user: User, request: CorrectionRequest, note: str = "") -> CorrectionRequest:
    """批准: apply the change (or the void) and record the decision, in one transaction."""
    with transaction.atomic(), audit_context(user=user, source="correction_approve", request=request.pk):
        request = _lock_for_decision(user, request, CorrectionStatus.APPROVED)
        if request.kind == CorrectionKind.VOID:
            sample_void(user=user, sample=request.sample, reason=request.reason)
        elif request.result_id:
            _apply_result_correction(user, request)
        else:
            target = request.target
            target = type(target).objects.select_for_update().get(pk=target.pk)
            stale = [
                attname
                for attname, change in request.changes.items()
                if _to_json(getattr(target, attname)) != change["before"]
            ]
            if stale:
                raise DomainError(
                    _("记录在申请后已被修改（%(fields)s），请驳回后重新申请。")
                    % {"fields": "、".join(_label(type(target), f.removesuffix("_id")) for f in stale)}
                )
            after = {attname: change["after"] for attname, change in request.changes.items()}
            if isinstance(target, SamplingTask):
                names = {("institution" if k == "institution_id" else k): v for k, v in after.items()}
                cleaned = _clean_task_values(target, names)
                _save(target, cleaned)
            else:
                cleaned = _clean_sample_values(target, after, SAMPLE_CORRECTION_FIELDS)
                _save(target, cleaned, extra=("updated_at",))
        request.status = CorrectionStatus.APPROVED
        request.decided_by, request.decided_at, request.decision_note = user, timezone.now(), (note or "").strip()
        request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    return request


def _apply_result_correction(user: User, request: CorrectionRequest) -> None:
    """The approved result correction, applied by the old 更正 path (re-derived verdict, facts, amendment record
    with before and after); refused when the result changed since the request."""
    from sampling.services.results import changes_to_apply, result_amend_apply, result_snapshot

    result = TestResult.objects.select_for_update().select_related("institution").get(pk=request.result_id)
    current = result_snapshot(result)
    stale = [key for key, change in request.changes.items() if current.get(key) != change["before"]]
    if stale:
        raise DomainError(
            _("记录在申请后已被修改（%(fields)s），请驳回后重新申请。")
            % {"fields": "、".join(str(RESULT_LABELS.get(key, key)) for key in stale)}
        )
    result_amend_apply(
        user=user,
        result=result,
        reason=request.reason,
        changes=changes_to_apply(request.changes),
        amended_by=request.requested_by,
        correction=request,
    )


def correction_reject(*, user: User, request: CorrectionRequest, note: str) -> CorrectionRequest:
    """驳回: nothing changes but the request, which keeps the reason for refusing it."""
    note = (note or "").strip()
    with transaction.atomic(), audit_context(user=user, source="correction_reject", request=request.pk):
        request = _lock_for_decision(user, request, CorrectionStatus.REJECTED)
        if not note:
            raise DomainError(_("审批意见：驳回时须说明理由。"))
        request.status = CorrectionStatus.REJECTED
        request.decided_by, request.decided_at, request.decision_note = user, timezone.now(), note
        request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    return request


def sample_void(*, user: User, sample: Sample, reason: str) -> Sample:
    """作废 (only from an approved request): the sample leaves statistics and publication; its open verdict and
    publication facts are ended by a void fact (docs/fact-ledger.md); its open follow-up steps close."""
    from sampling.public_cache import public_data_changed
    from sampling.services.verdicts import close_open_steps

    sample = Sample.objects.select_for_update().select_related("enterprise").get(pk=sample.pk)
    if sample.voided_at is not None:
        raise DomainError(_("抽样单“%(no)s”已作废。") % {"no": sample.sample_no})
    today = timezone.localdate()
    was_published, announcement_id = sample.is_published, sample.announcement_id
    announcement_id = sample.announcement_id
    to_end = list(sampling_facts.open_verdict_facts([sample.pk]).values())
    if was_published:
        to_end += list(
            sampling_facts.EnterpriseFact.objects.filter(
                kind=sampling_facts.RESULT_PUBLISHED,
                source_type=sampling_facts.SAMPLE_SOURCE,
                source_id=str(sample.pk),
                ended_by__isnull=True,
            )
        )
    if sample.final_verdict != Verdict.PENDING:
        SAMPLE_VERDICT_FLOW.require(sample, Verdict.PENDING)
    sample.final_verdict = Verdict.PENDING
    sample.voided_at, sample.void_reason = timezone.now(), reason
    sample.is_published, sample.announcement = False, None
    sample.save(
        update_fields=["final_verdict", "voided_at", "void_reason", "is_published", "announcement", "updated_at"]
    )
    if was_published:
        from sampling.services.publication import announcement_counts_refresh

        announcement_counts_refresh([announcement_id])  # the batch leaves its announcement's public counts
    close_open_steps(sample_ids=[sample.pk], on=today, note=_("抽样单已作废，后处理终止。"), user=user)
    sampling_facts.record_facts(
        [
            sampling_facts.FactRow(
                enterprise_id=fact.enterprise_id,
                uscc=fact.uscc,
                region_code=fact.region_code,
                kind=sampling_facts.SAMPLE_VOIDED,
                source_type=sampling_facts.SAMPLE_SOURCE,
                source_id=str(sample.pk),
                source_label=sample.sample_no,
                occurred_on=today,
                ref=f"{fact.kind}:{fact.pk}",
                summary=f"{sample.sample_no} {_('作废')}",
                data={"reason": reason, "ended_kind": fact.kind},
                ends_id=fact.pk,
            )
            for fact in to_end
        ],
        user=user,
    )
    if was_published:
        from sampling.services.publication import announcement_counts_refresh

        announcement_counts_refresh([announcement_id])
        transaction.on_commit(public_data_changed)
    return sample


def _result_value(key: str, value) -> str:
    if value in (None, "", []):
        return "—"
    if key == "institution":
        return value.get("name") or "—"
    if key == "verdict":
        return str(Verdict(value).label) if value in Verdict.values else str(value)
    if key == "failed_items":
        return "、".join(value)
    return str(value)


def _item_text(item: dict | None) -> str:
    if item is None:
        return "—"
    verdict = str(Verdict(item["verdict"]).label) if item["verdict"] in Verdict.values else item["verdict"]
    return f"{item['measured_value'] or '—'}（{verdict or '—'}）"


def result_change_rows(changes: dict) -> list[dict]:
    """A result correction's changes: the header fields and verdict, then each changed item, before → after."""
    rows = []
    for key in ("report_no", "institution", "tested_on", "verdict", "failed_items"):
        if key in changes:
            rows.append(
                {
                    "field": str(RESULT_LABELS[key]),
                    "before": _result_value(key, changes[key]["before"]),
                    "after": _result_value(key, changes[key]["after"]),
                }
            )
    if "items" in changes:
        before = {item["item_name"]: item for item in changes["items"]["before"]}
        after = {item["item_name"]: item for item in changes["items"]["after"]}
        for name in [*before, *(n for n in after if n not in before)]:
            if before.get(name) != after.get(name):
                rows.append(
                    {
                        "field": _("检验项目“%(name)s”") % {"name": name},
                        "before": _item_text(before.get(name)),
                        "after": _item_text(after.get(name)),
                    }
                )
    return rows


def change_rows(request: CorrectionRequest) -> list[dict]:
    """The request's changes by Chinese field label, before → after, for its pages."""
    from core.history_display import _display, _related_names

    if request.result_id:
        return result_change_rows(request.changes)

    model = SamplingTask if request.task_id else Sample
    fields = {f.attname: f for f in model._meta.concrete_fields}

    class _Event:  # the shape history_display reads
        pgh_diff = {k: [v["before"], v["after"]] for k, v in request.changes.items()}
        pgh_data = None

    related = _related_names(fields, [_Event])
    return [
        {
            "field": str(fields[attname].verbose_name),
            "before": _display(fields[attname], change["before"], related),
            "after": _display(fields[attname], change["after"], related),
        }
        for attname, change in request.changes.items()
        if attname in fields
    ]

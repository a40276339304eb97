"""Post-processing (后处理) of a failed sample: the chain of steps of 产品质量监督抽查管理暂行办法 arts. 44–49,
each with a due date from its time limit (core.timelimits, keys in core/data/time_limits.py).

The chain (sampling.transitions.FOLLOWUP_CHAIN): 送达不合格通知 (sampling.notice, from the confirmation)
→ on service: 整改 (sampling.rectification, 60 日) and 复查 (sampling.reinspection, 75 日), both from the
service date, calendar days with the holiday shift → 复查不合格: 省局公告 (sampling.publication) → 再次复查
60–90 日 after publication (sampling.second_reinspection) → 再次复查不合格: 责令停业整顿 (sampling.stop_order)
→ 整顿后仍不合格: 提请吊销 (sampling.revocation). 约谈 and 移送立案 are optional steps staff add.
Each step stores the limit it follows, so every page shows its due date with the basis.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError, PermissionDenied
from core.models_timelimits import TimeLimit
from core.timelimits import DueDate, due_for, limit
from sampling import policies
from sampling.models import FollowUp, FollowUpOutcome, FollowUpStep, Sample, Verdict
from sampling.services import facts as sampling_facts
from sampling.transitions import FOLLOWUP_CHAIN, FOLLOWUP_FLOW, JUDGED_STEPS, OPTIONAL_STEPS, STEP_LIMITS

# Kept as names of this module for the views and tests that import them from here.
FOLLOWUP_ROLES = policies.FOLLOWUP_ROLES
can_handle_followups = policies.can_handle_followups
__all__ = ["FOLLOWUP_ROLES", "JUDGED_STEPS", "OPTIONAL_STEPS", "can_handle_followups"]


def notice_fields(rule: TimeLimit, due: DueDate, *, start: dt.date) -> dict:
    """The limit columns of a step: which rule, from when, how much, and the due date."""
    return {
        "time_limit": rule,
        "started_on": start,
        "limit_amount": due.amount,
        "limit_unit": due.unit,
        "due_on": due.due,
    }


def _open_step(sample: Sample, step: str, *, start: dt.date) -> FollowUp:
    key = STEP_LIMITS[step]
    rule = limit(key)
    if step == FollowUpStep.SECOND_REINSPECTION:
        # A range (60–90 日 after publication): not before the first day, due by the last.
        earliest = due_for(key, start).due
        due = due_for(key, start, latest=True)
    else:
        earliest, due = None, due_for(key, start)
    followup, _created = FollowUp.objects.get_or_create(
        sample=sample, step=step, defaults={**notice_fields(rule, due, start=start), "earliest_on": earliest}
    )
    return followup


def followup_complete(
    *, user, followup: FollowUp, done_on: dt.date, outcome: str = "", note: str = ""
) -> list[FollowUp]:
    """Record a step as done and open the steps that follow from it (办法 arts. 44–49).

    复查、再次复查 and 停业整顿 need an outcome (合格 / 不合格); a 不合格 outcome escalates the chain.
    Serving the notice also records the date the enterprise received the verdict. Returns the new steps.
    """
    with transaction.atomic():
        followup = (
            FollowUp.objects.select_for_update()
            .select_related("sample__enterprise", "sample__task", "sample__product_type")
            .get(pk=followup.pk)
        )
        label = followup.get_step_display()
        if followup.done_on is not None:
            raise DomainError(
                _("“%(step)s”已于 %(date)s 办结，不能重复办理。") % {"step": label, "date": followup.done_on}
            )
        if not policies.can_complete_followup(user, followup):
            raise PermissionDenied(_("您无权办理抽样单 %(no)s 的后处理。") % {"no": followup.sample.sample_no})
        if done_on is None:
            raise DomainError(_("完成日期：请填写“%(step)s”的完成日期。") % {"step": label})
        if done_on > timezone.localdate():
            raise DomainError(_("完成日期：不能晚于今天。"))
        if followup.earliest_on and done_on < followup.earliest_on:
            raise DomainError(
                _("完成日期：“%(step)s”最早应在 %(date)s 之后进行。") % {"step": label, "date": followup.earliest_on}
            )
        if followup.step in JUDGED_STEPS:
            if outcome not in (FollowUpOutcome.PASSED, FollowUpOutcome.FAILED):
                raise DomainError(_("结果：“%(step)s”须选择合格或不合格。") % {"step": label})
        else:
            outcome = FollowUpOutcome.DONE
        FOLLOWUP_FLOW.require(followup, outcome)
        followup.done_on = done_on
        followup.outcome = outcome
        followup.note = note
        followup.done_by = user
        followup.save(update_fields=["done_on", "outcome", "note", "done_by"])
        sample = followup.sample
        if followup.step == FollowUpStep.NOTICE:
            # The notice carries the verdict: its service date starts the objection window too.
            sample.results.filter(is_retest=False, verdict_received_on__isnull=True).update(verdict_received_on=done_on)
        _record_step_fact(followup, user=user)
        return [_open_step(sample, step, start=done_on) for step in FOLLOWUP_CHAIN.get((followup.step, outcome), ())]


def _step_fact(followup: FollowUp, kind: str, data: dict, on: dt.date) -> sampling_facts.FactRow:
    sample = followup.sample
    return sampling_facts.FactRow(
        enterprise_id=sample.enterprise_id,
        uscc=sample.enterprise.uscc,
        region_code=sample.enterprise.region_id,
        kind=kind,
        source_type=sampling_facts.FOLLOWUP_SOURCE,
        source_id=str(followup.pk),
        source_label=sample.sample_no,
        occurred_on=on,
        summary=f"{sample.sample_no} {followup.get_step_display()}",
        data={"sample_no": sample.sample_no, **data},
    )


def step_facts(followup: FollowUp) -> list[sampling_facts.FactRow]:
    """The facts a done step stands for (also used by rebuild_facts)."""
    rows = []
    if followup.done_on is None:
        return rows
    if followup.step == FollowUpStep.RECTIFICATION and followup.outcome == FollowUpOutcome.DONE:
        rows.append(
            _step_fact(
                followup,
                sampling_facts.RECTIFICATION_DONE,
                {
                    "due_on": followup.due_on.isoformat() if followup.due_on else None,
                    "done_on": followup.done_on.isoformat(),
                },
                followup.done_on,
            )
        )
    if followup.step in JUDGED_STEPS and followup.outcome == FollowUpOutcome.FAILED:
        rows.append(_step_fact(followup, sampling_facts.REINSPECTION_FAILED, {"step": followup.step}, followup.done_on))
    return rows


def _record_step_fact(followup: FollowUp, *, user) -> None:
    sampling_facts.record_facts(step_facts(followup), user=user)


def overdue_rectifications(on: dt.date | None = None):
    """Open rectification steps past their due date on ``on``."""
    on = on or timezone.localdate()
    return FollowUp.objects.filter(step=FollowUpStep.RECTIFICATION, done_on__isnull=True, due_on__lt=on)


def overdue_fact(followup: FollowUp) -> sampling_facts.FactRow:
    return _step_fact(
        followup,
        sampling_facts.RECTIFICATION_OVERDUE,
        {"due_on": followup.due_on.isoformat()},
        followup.due_on + dt.timedelta(days=1),
    )


@transaction.atomic
def followups_record_overdue(*, on: dt.date | None = None) -> int:
    """The daily job: a rectification not done by its due date is recorded as overdue in the ledger (once)."""
    steps = list(overdue_rectifications(on).select_related("sample__enterprise"))
    return sampling_facts.record_facts([overdue_fact(step) for step in steps])


def followup_add_optional(
    *, user, sample: Sample, step: str, due_on: dt.date | None = None, note: str = ""
) -> FollowUp:
    """Add an optional step to a failed sample: 约谈法定代表人 or 移送立案查处 (办法 art. 47); without a date
    given, the step follows sampling.optional_step from today."""
    if step not in OPTIONAL_STEPS:
        raise DomainError(_("环节：只能添加约谈或移送立案。"))
    with transaction.atomic():
        sample = Sample.objects.select_for_update().get(pk=sample.pk)
        if not policies.can_handle_followups(user, sample):
            raise PermissionDenied(_("您无权办理抽样单 %(no)s 的后处理。") % {"no": sample.sample_no})
        if sample.final_verdict != Verdict.FAIL:
            raise DomainError(_("抽样单 %(no)s 不是不合格，无需后处理。") % {"no": sample.sample_no})
        if sample.followups.filter(step=step).exists():
            raise DomainError(_("环节：“%(step)s”已经存在。") % {"step": FollowUpStep(step).label})
        today = timezone.localdate()
        if due_on is None:
            key = STEP_LIMITS[step]
            fields = notice_fields(limit(key), due_for(key, today), start=today)
        elif due_on < today:
            raise DomainError(_("期限：不能早于今天。"))
        else:
            fields = {"due_on": due_on}
        return FollowUp.objects.create(sample=sample, step=step, note=note, **fields)

"""Post-processing (后处理) of a failed sample: the chain of steps of 产品质量监督抽查管理暂行办法
arts. 44–49, each with a due date in working days.

The chain:
  送达不合格通知 (due NOTICE_WORKING_DAYS after the verdict is confirmed — an assumption: the
  regulation asks for prompt service, we give 5 working days)
  → on service: 整改 (RECTIFICATION_DAYS) and 复查 (REINSPECTION_DAYS), both counted from the service date
  → 复查不合格: 省局公告 (PUBLICATION_WORKING_DAYS, an assumption) → 再次复查 between
    SECOND_REINSPECTION_MIN_DAYS and SECOND_REINSPECTION_MAX_DAYS after publication
  → 再次复查不合格: 责令停业整顿 (STOP_ORDER_WORKING_DAYS, an assumption)
  → 整顿后仍不合格: 提请吊销 (REVOCATION_WORKING_DAYS, an assumption).
约谈 and 移送立案 are optional steps staff add when they are needed.
"Days" of the regulation are counted as working days (core.workdays), the start day not counted.
"""

from __future__ import annotations

import datetime as dt

from constance import config
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError, PermissionDenied
from core.selectors import region_in_jurisdiction
from core.workdays import WorkdayCalendar
from sampling.models import FollowUp, FollowUpOutcome, FollowUpStep, Sample, Verdict

# Assumed time limits (working days) where the regulation names no number.
NOTICE_WORKING_DAYS = 5
PUBLICATION_WORKING_DAYS = 20
STOP_ORDER_WORKING_DAYS = 5
REVOCATION_WORKING_DAYS = 20
# Optional steps: a default time limit when staff give none.
OPTIONAL_STEP_WORKING_DAYS = 10

# Steps whose outcome is a test verdict (复查合格 / 复查不合格); the others are simply done.
JUDGED_STEPS = {FollowUpStep.REINSPECTION, FollowUpStep.SECOND_REINSPECTION, FollowUpStep.STOP_ORDER}
OPTIONAL_STEPS = {FollowUpStep.INTERVIEW, FollowUpStep.REFERRAL}
FOLLOWUP_ROLES = ("inspector", "case_handler", "leader", "administrator")


def can_handle_followups(user, sample: Sample) -> bool:
    return user.is_authenticated and user.has_role(*FOLLOWUP_ROLES) and region_in_jurisdiction(user, sample.region_id)


def _check_permission(user, sample: Sample) -> None:
    if not can_handle_followups(user, sample):
        raise PermissionDenied(_("您无权办理抽样单 %(no)s 的后处理。") % {"no": sample.sample_no})


def _create(sample: Sample, step: str, *, due_on: dt.date | None, earliest_on: dt.date | None = None) -> FollowUp:
    followup, _created = FollowUp.objects.get_or_create(
        sample=sample, step=step, defaults={"due_on": due_on, "earliest_on": earliest_on}
    )
    return followup


def followups_start(*, sample: Sample, on: dt.date | None = None) -> FollowUp | None:
    """Open the post-processing chain of a sample whose final verdict is 不合格 (办法 art. 44).

    Called after the deciding result is confirmed and no objection is open; safe to call twice.
    Returns the notice step, or None when nothing is to be started.
    """
    if sample.final_verdict != Verdict.FAIL:
        return None
    if sample.objections.filter(status__in=["filed", "retesting"]).exists():
        return None
    if sample.followups.exists():
        return sample.followups.filter(step=FollowUpStep.NOTICE).first()
    start = on or timezone.localdate()
    calendar = WorkdayCalendar()
    return _create(sample, FollowUpStep.NOTICE, due_on=calendar.add_working_days(start, NOTICE_WORKING_DAYS))


def followups_close_after_pass(*, sample: Sample, on: dt.date, note: str) -> int:
    """Close the open steps when a re-test or an amendment turns the verdict into 合格."""
    return (
        FollowUp.objects.filter(sample=sample, done_on__isnull=True)
        .exclude(step__in=OPTIONAL_STEPS)
        .update(done_on=on, outcome=FollowUpOutcome.DONE, note=note)
    )


def _next_steps(followup: FollowUp, calendar: WorkdayCalendar) -> list[FollowUp]:
    sample, done = followup.sample, followup.done_on
    step, outcome = followup.step, followup.outcome
    created: list[FollowUp] = []
    if step == FollowUpStep.NOTICE:
        created.append(
            _create(
                sample, FollowUpStep.RECTIFICATION, due_on=calendar.add_working_days(done, config.RECTIFICATION_DAYS)
            )
        )
        created.append(
            _create(sample, FollowUpStep.REINSPECTION, due_on=calendar.add_working_days(done, config.REINSPECTION_DAYS))
        )
    elif step == FollowUpStep.REINSPECTION and outcome == FollowUpOutcome.FAILED:
        created.append(
            _create(sample, FollowUpStep.PUBLICATION, due_on=calendar.add_working_days(done, PUBLICATION_WORKING_DAYS))
        )
    elif step == FollowUpStep.PUBLICATION:
        created.append(
            _create(
                sample,
                FollowUpStep.SECOND_REINSPECTION,
                earliest_on=calendar.add_working_days(done, config.SECOND_REINSPECTION_MIN_DAYS),
                due_on=calendar.add_working_days(done, config.SECOND_REINSPECTION_MAX_DAYS),
            )
        )
    elif step == FollowUpStep.SECOND_REINSPECTION and outcome == FollowUpOutcome.FAILED:
        created.append(
            _create(sample, FollowUpStep.STOP_ORDER, due_on=calendar.add_working_days(done, STOP_ORDER_WORKING_DAYS))
        )
    elif step == FollowUpStep.STOP_ORDER and outcome == FollowUpOutcome.FAILED:
        created.append(
            _create(sample, FollowUpStep.REVOCATION, due_on=calendar.add_working_days(done, REVOCATION_WORKING_DAYS))
        )
    return created


def followup_complete(
    *, user, followup: FollowUp, done_on: dt.date, outcome: str = "", note: str = ""
) -> list[FollowUp]:
    """Record a step as done and open the steps that follow from it (办法 arts. 44–49).

    复查、再次复查 and 停业整顿 need an outcome (合格 / 不合格); a 不合格 outcome escalates the chain.
    Serving the notice also records the date the enterprise received the verdict. Returns the new steps.
    """
    with transaction.atomic():
        followup = FollowUp.objects.select_for_update().select_related("sample").get(pk=followup.pk)
        _check_permission(user, followup.sample)
        label = followup.get_step_display()
        if followup.done_on is not None:
            raise DomainError(
                _("“%(step)s”已于 %(date)s 办结，不能重复办理。") % {"step": label, "date": followup.done_on}
            )
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
        followup.done_on = done_on
        followup.outcome = outcome
        followup.note = note
        followup.done_by = user
        followup.save(update_fields=["done_on", "outcome", "note", "done_by"])
        if followup.step == FollowUpStep.NOTICE:
            # The notice carries the verdict: its service date starts the objection window too.
            followup.sample.results.filter(is_retest=False, verdict_received_on__isnull=True).update(
                verdict_received_on=done_on
            )
        return _next_steps(followup, WorkdayCalendar())


def followup_add_optional(
    *, user, sample: Sample, step: str, due_on: dt.date | None = None, note: str = ""
) -> FollowUp:
    """Add an optional step to a failed sample: 约谈法定代表人 or 移送立案查处 (办法 art. 47)."""
    if step not in OPTIONAL_STEPS:
        raise DomainError(_("环节：只能添加约谈或移送立案。"))
    with transaction.atomic():
        sample = Sample.objects.select_for_update().get(pk=sample.pk)
        _check_permission(user, sample)
        if sample.final_verdict != Verdict.FAIL:
            raise DomainError(_("抽样单 %(no)s 不是不合格，无需后处理。") % {"no": sample.sample_no})
        if sample.followups.filter(step=step).exists():
            raise DomainError(_("环节：“%(step)s”已经存在。") % {"step": FollowUpStep(step).label})
        today = timezone.localdate()
        if due_on is None:
            due_on = WorkdayCalendar().add_working_days(today, OPTIONAL_STEP_WORKING_DAYS)
        elif due_on < today:
            raise DomainError(_("期限：不能早于今天。"))
        return FollowUp.objects.create(sample=sample, step=step, due_on=due_on, note=note)

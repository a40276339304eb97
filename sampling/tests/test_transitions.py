"""The transition tables of sampling (task, result, sample verdict, objection, post-processing, announcement):
every allowed edge works, every other edge is refused with a Chinese message, the database knows the states,
and the services walk the tables."""

from __future__ import annotations

import datetime as dt
import pathlib
import re
from types import SimpleNamespace

import pytest
from django.db import IntegrityError, transaction

from core.errors import DomainError
from core.transitions import TransitionRefused
from sampling.models import (
    Announcement,
    AnnouncementStatus,
    FollowUp,
    FollowUpOutcome,
    FollowUpStep,
    Objection,
    ObjectionStatus,
    ResultStatus,
    SamplingTask,
    TaskStatus,
    TestResult,
    Verdict,
)
from sampling.tests.results_support import confirmed_on_day, item_rows, make_sample
from sampling.transitions import (
    ANNOUNCEMENT_FLOW,
    CORRECTION_FLOW,
    FOLLOWUP_CHAIN,
    FOLLOWUP_FLOW,
    OBJECTION_FLOW,
    RESULT_FLOW,
    SAMPLE_VERDICT_FLOW,
    TASK_FLOW,
)

D = dt.date
P, F = Verdict.PASS.value, Verdict.FAIL.value
FLOWS = [
    TASK_FLOW,
    RESULT_FLOW,
    SAMPLE_VERDICT_FLOW,
    OBJECTION_FLOW,
    FOLLOWUP_FLOW,
    ANNOUNCEMENT_FLOW,
    CORRECTION_FLOW,
]


def _cases():
    for flow in FLOWS:
        for source, target in sorted(flow.all_pairs()):
            yield pytest.param(flow, source, target, id=f"{flow.name}:{source or 'empty'}->{target or 'empty'}")


@pytest.mark.parametrize(("flow", "source", "target"), list(_cases()))
def test_every_edge_of_every_table(flow, source, target):
    obj = SimpleNamespace(**{flow.field: source})
    if flow.allowed(source, target):
        flow.require(obj, target)
    else:
        with pytest.raises(TransitionRefused) as refused:
            flow.require(obj, target)
        message = str(refused.value)
        assert "不能变更为" in message and flow.label(target) in message


def test_the_chain_opens_steps_only_from_known_outcomes():
    for (step, outcome), opened in FOLLOWUP_CHAIN.items():
        assert step in FollowUpStep.values and outcome in FollowUpOutcome.values
        assert set(opened) <= set(FollowUpStep.values)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("model", "field", "build"),
    [
        (SamplingTask, "status", lambda s: s.task),
        (TestResult, "status", None),
        (Objection, "status", None),
        (FollowUp, "outcome", None),
        (Announcement, "status", None),
    ],
)
def test_the_database_refuses_an_unknown_state(county_inspector, model, field, build):
    sample = make_sample()
    if model is SamplingTask:
        obj = sample.task
    elif model is TestResult:
        obj = _entered(county_inspector, sample)
    elif model is Objection:
        obj = Objection.objects.create(sample=sample, filed_on=D(2026, 3, 5), reason="r", created_by=county_inspector)
    elif model is FollowUp:
        obj = FollowUp.objects.create(sample=sample, step=FollowUpStep.NOTICE)
    else:
        obj = Announcement.objects.create(task=sample.task, title="t", region_id=sample.task.region_id)
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(pk=obj.pk).update(**{field: "bogus"})


def _entered(user, sample, verdicts=(P, F, P), **kwargs):
    from sampling.services.results import result_enter

    return result_enter(
        user=user,
        sample=sample,
        report_no=kwargs.pop("report_no", "WT-T-1"),
        institution=kwargs.pop("institution", sample.task.institution),
        tested_on=D(2026, 3, 10),
        items=item_rows(sample, list(verdicts)),
        **kwargs,
    )


# --- the services walk the tables ---------------------------------------------------------------


@pytest.mark.django_db
def test_task_walk(county_inspector):
    from sampling.services.tasks import task_complete

    sample = make_sample()
    task = sample.task
    # planned → completed is not an edge
    with pytest.raises(TransitionRefused, match="计划中.*已完成"):
        task_complete(user=county_inspector, task=task)
    # planned → in progress (the first sample) → completed
    task.status = TaskStatus.IN_PROGRESS
    task.save(update_fields=["status"])
    task_complete(user=county_inspector, task=task)
    task.refresh_from_db()
    assert task.status == TaskStatus.COMPLETED
    # completed is final
    with pytest.raises(TransitionRefused, match="已完成"):
        task_complete(user=county_inspector, task=task)


@pytest.mark.django_db
def test_result_and_verdict_walk(county_inspector, provincial_leader):
    from sampling.services.corrections import correction_approve, result_correction_submit
    from sampling.services.results import result_confirm

    sample = make_sample()
    result = _entered(county_inspector, sample)  # → entered
    result = _entered(county_inspector, sample, (P, P, P))  # entered → entered
    assert result.status == ResultStatus.ENTERED
    sample.refresh_from_db()
    assert sample.final_verdict == Verdict.PENDING  # nothing decided yet
    result_confirm(user=county_inspector, result=result)  # entered → confirmed; verdict pending → pass
    sample.refresh_from_db()
    assert sample.final_verdict == P
    # confirmed → entered is refused
    with pytest.raises(DomainError, match="已确认"):
        _entered(county_inspector, sample)
    # confirmed → confirmed through an approved amendment request; verdict pass → fail
    request = result_correction_submit(
        user=county_inspector,
        result=result,
        reason="复核",
        changes={"items": [{"item_name": "泄漏电流", "verdict": F, "measured_value": "0.9 mA"}]},
    )
    correction_approve(user=provincial_leader, request=request)
    sample.refresh_from_db()
    assert sample.final_verdict == F
    assert sample.followups.filter(step=FollowUpStep.NOTICE).exists()


@pytest.mark.django_db
def test_objection_walk(county_inspector):
    from core.tests.factories import InstitutionFactory
    from sampling.services.objections import (
        objection_assign_retest,
        objection_file,
        objection_reject,
        verdict_received,
    )
    from sampling.services.results import result_confirm

    def failed():
        sample = make_sample()
        result = result_confirm(user=county_inspector, result=_entered(county_inspector, sample))
        confirmed_on_day(result, D(2026, 3, 10))
        verdict_received(user=county_inspector, result=result, received_on=D(2026, 3, 12))
        return sample

    first = failed()
    objection = objection_file(user=county_inspector, sample=first, filed_on=D(2026, 3, 13), reason="异议")
    objection_reject(user=county_inspector, objection=objection, note="不成立")  # filed → rejected
    with pytest.raises(DomainError, match="不予受理|不能"):
        objection_assign_retest(user=county_inspector, objection=objection, institution=InstitutionFactory())

    second = failed()
    objection = objection_file(user=county_inspector, sample=second, filed_on=D(2026, 3, 13), reason="异议")
    other = InstitutionFactory(name="另一检验机构")
    objection_assign_retest(user=county_inspector, objection=objection, institution=other)  # filed → retesting
    with pytest.raises(DomainError, match="不予受理"):
        objection_reject(user=county_inspector, objection=objection, note="晚了")
    retest = _entered(county_inspector, second, (P, P, P), retest=True, institution=other, report_no="FJ-1")
    result_confirm(user=county_inspector, result=retest)  # retesting → decided
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.DECIDED
    second.refresh_from_db()
    assert second.final_verdict == P
    assert not second.followups.filter(done_on__isnull=True).exists()


@pytest.mark.django_db
def test_followup_walk(county_inspector):
    from sampling.services.followups import followup_complete
    from sampling.services.results import result_confirm

    sample = make_sample()
    result_confirm(user=county_inspector, result=_entered(county_inspector, sample))
    notice = sample.followups.get(step=FollowUpStep.NOTICE)
    followup_complete(user=county_inspector, followup=notice, done_on=D(2026, 3, 12))  # open → done
    with pytest.raises(DomainError, match="不能重复办理"):
        followup_complete(user=county_inspector, followup=notice, done_on=D(2026, 3, 12))
    reinspection = sample.followups.get(step=FollowUpStep.REINSPECTION)
    followup_complete(
        user=county_inspector, followup=reinspection, done_on=D(2026, 4, 1), outcome=FollowUpOutcome.FAILED
    )  # open → failed, which opens the publication step
    assert sample.followups.filter(step=FollowUpStep.PUBLICATION, outcome="").exists()


@pytest.mark.django_db
def test_announcement_walk(provincial_leader):
    from sampling.services.publication import announcement_create, announcement_publish, announcement_withdraw
    from sampling.tests.publication_data import make_sample as published_sample
    from sampling.tests.publication_data import make_task

    task = make_task()
    published_sample(task, verdict=P)
    announcement = announcement_create(user=provincial_leader, task=task, title="公告")
    with pytest.raises(DomainError, match="未发布"):
        announcement_withdraw(user=provincial_leader, announcement=announcement, reason="r")  # draft → draft
    announcement_publish(user=provincial_leader, announcement=announcement)  # draft → published
    with pytest.raises(DomainError, match="已发布"):
        announcement_publish(user=provincial_leader, announcement=announcement)  # published → published
    announcement_withdraw(user=provincial_leader, announcement=announcement, reason="有误")  # published → draft
    announcement.refresh_from_db()
    assert announcement.status == AnnouncementStatus.DRAFT
    assert announcement.withdrawal_reason == "有误" and announcement.withdrawn_by == provincial_leader


def test_no_status_update_outside_services():
    """No bulk ``update(status=…)`` (or final_verdict / outcome) anywhere but the services."""
    root = pathlib.Path(__file__).resolve().parents[1]
    pattern = re.compile(r"\.update\([^)]*\b(status|final_verdict|outcome|is_confirmed)\s*=")
    offenders = []
    for path in root.rglob("*.py"):
        relative = path.relative_to(root).as_posix()
        if relative.startswith(("services/", "tests/", "migrations/")):
            continue
        if pattern.search(path.read_text(encoding="utf-8")):
            offenders.append(relative)
    assert offenders == []

"""Sampling's facts in the enterprise ledger (docs/fact-ledger.md), recorded in the transaction of the change,
and rebuilt from the records by ``manage.py rebuild_facts --app sampling``."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command

from core.facts import fact_kinds, public_facts
from core.models_facts import EnterpriseFact
from core.tests.factories import InstitutionFactory
from sampling.models import FollowUpOutcome, FollowUpStep, ResultStatus, TestResult, Verdict
from sampling.services import facts as sampling_facts
from sampling.services.followups import followup_complete, followups_record_overdue
from sampling.services.objections import objection_assign_retest, objection_file, verdict_received
from sampling.services.publication import announcement_create, announcement_publish, announcement_withdraw
from sampling.services.rebuild import rebuild_sampling_facts
from sampling.services.results import result_confirm, result_enter
from sampling.tasks import record_overdue_rectifications
from sampling.tests.results_support import confirmed_on_day, item_rows, make_sample

pytestmark = pytest.mark.django_db
D = dt.date
P, F = Verdict.PASS.value, Verdict.FAIL.value


def judged(user, verdicts, *, sample=None, retest=False, institution=None):
    sample = sample or make_sample()
    result = result_enter(
        user=user,
        sample=sample,
        report_no="FJ-1" if retest else "WT-1",
        institution=institution or sample.task.institution,
        tested_on=D(2026, 3, 10),
        items=item_rows(sample, verdicts),
        retest=retest,
    )
    result_confirm(user=user, result=result)
    sample.refresh_from_db()
    return sample


def facts(kind=None):
    qs = EnterpriseFact.objects.order_by("id")
    return qs.filter(kind=kind) if kind else qs


def test_the_kinds_are_registered():
    assert set(sampling_facts.SAMPLING_KINDS) <= set(fact_kinds())


def test_a_confirmed_failure_records_the_failed_verdict_with_its_items(county_inspector):
    sample = judged(county_inspector, [P, F, P])
    (fact,) = facts(sampling_facts.VERDICT_FAILED)
    assert fact.enterprise == sample.enterprise and fact.uscc == sample.enterprise.uscc
    assert (fact.source_type, fact.source_id) == ("sampling.sample", str(sample.pk))
    assert fact.data["failed_items"] == ["输入功率和电流"]
    assert fact.data["sample_no"] == sample.sample_no and fact.data["task_code"] == sample.task.code
    assert fact.public_from is None  # a verdict is not public by itself


def test_an_entered_result_records_nothing_and_a_pass_records_a_pass(county_inspector):
    sample = make_sample()
    result_enter(
        user=county_inspector,
        sample=sample,
        report_no="WT-2",
        institution=sample.task.institution,
        tested_on=None,
        items=item_rows(sample, [P, P, P]),
    )
    assert not facts().exists()
    judged(county_inspector, [P, P, P])
    assert facts(sampling_facts.VERDICT_PASSED).count() == 1


def test_a_passing_retest_ends_the_failed_verdict(county_inspector):
    sample = judged(county_inspector, [P, F, P])
    confirmed_on_day(sample.results.get(), D(2026, 3, 10))
    verdict_received(user=county_inspector, result=sample.results.get(), received_on=D(2026, 3, 12))
    objection = objection_file(user=county_inspector, sample=sample, filed_on=D(2026, 3, 13), reason="异议")
    other = InstitutionFactory(name="复检机构")
    objection_assign_retest(user=county_inspector, objection=objection, institution=other)
    judged(county_inspector, [P, P, P], sample=sample, retest=True, institution=other)
    failed = facts(sampling_facts.VERDICT_FAILED).get()
    passed = facts(sampling_facts.VERDICT_PASSED).get()
    assert passed.ends == failed


def test_rectification_done_and_reinspection_failed(county_inspector):
    sample = judged(county_inspector, [P, F, P])
    followup_complete(user=county_inspector, followup=sample.followups.get(step="notice"), done_on=D(2026, 3, 12))
    followup_complete(user=county_inspector, followup=sample.followups.get(step="rectification"), done_on=D(2026, 4, 1))
    followup_complete(
        user=county_inspector,
        followup=sample.followups.get(step=FollowUpStep.REINSPECTION),
        done_on=D(2026, 4, 20),
        outcome=FollowUpOutcome.FAILED,
    )
    done = facts(sampling_facts.RECTIFICATION_DONE).get()
    assert done.data == {"sample_no": sample.sample_no, "due_on": "2026-05-11", "done_on": "2026-04-01"}
    assert facts(sampling_facts.REINSPECTION_FAILED).get().data["step"] == "reinspection"


def test_the_daily_job_records_an_overdue_rectification_once(county_inspector):
    sample = judged(county_inspector, [P, F, P])
    followup_complete(user=county_inspector, followup=sample.followups.get(step="notice"), done_on=D(2026, 3, 12))
    # 60 日 from 2026-03-12 ended on 2026-05-11; today is later
    record_overdue_rectifications()
    followups_record_overdue()
    (fact,) = facts(sampling_facts.RECTIFICATION_OVERDUE)
    assert fact.data["due_on"] == "2026-05-11" and fact.occurred_on == D(2026, 5, 12)


def test_publication_and_withdrawal(county_inspector, provincial_leader):
    sample = judged(county_inspector, [P, F, P])
    announcement = announcement_create(user=provincial_leader, task=sample.task, title="公告")
    announcement_publish(user=provincial_leader, announcement=announcement)
    published = facts(sampling_facts.RESULT_PUBLISHED).get()
    assert published.data["verdict"] == F and published.data["announcement_id"] == announcement.pk
    assert published.public_from is not None and public_facts().filter(pk=published.pk).exists()
    announcement_withdraw(user=provincial_leader, announcement=announcement, reason="企业名称有误")
    withdrawn = facts(sampling_facts.RESULT_WITHDRAWN).get()
    assert withdrawn.ends == published and withdrawn.data == {"reason": "企业名称有误"}
    assert not public_facts().filter(pk=published.pk).exists()
    # publishing again is a second publication fact
    announcement_publish(user=provincial_leader, announcement=announcement)
    assert facts(sampling_facts.RESULT_PUBLISHED).count() == 2


def test_rebuild_finds_nothing_on_a_consistent_database(county_inspector, provincial_leader):
    sample = judged(county_inspector, [P, F, P])
    judged(county_inspector, [P, P, P])
    followup_complete(user=county_inspector, followup=sample.followups.get(step="notice"), done_on=D(2026, 3, 12))
    followups_record_overdue()
    announcement = announcement_create(user=provincial_leader, task=sample.task, title="公告")
    announcement_publish(user=provincial_leader, announcement=announcement)
    announcement_withdraw(user=provincial_leader, announcement=announcement, reason="更正")
    announcement_publish(user=provincial_leader, announcement=announcement)
    before = facts().count()
    assert rebuild_sampling_facts() == {}
    out = io.StringIO()
    call_command("rebuild_facts", "--app", "sampling", stdout=out)
    assert "无需变更" in out.getvalue()
    assert facts().count() == before


def test_rebuild_records_what_is_missing(county_inspector):
    # given a confirmed failure written without its fact (as an old import did)
    sample = make_sample()
    TestResult.objects.create(
        sample=sample,
        report_no="OLD-1",
        institution=sample.task.institution,
        verdict=F,
        failed_items=["泄漏电流"],
        is_confirmed=True,
        status=ResultStatus.CONFIRMED,
    )
    type(sample).objects.filter(pk=sample.pk).update(final_verdict=F)
    out = io.StringIO()
    call_command("rebuild_facts", "--app", "sampling", "--dry-run", stdout=out)
    assert "缺失" in out.getvalue() and "sampling.verdict_failed" in out.getvalue()
    assert not facts().exists()
    call_command("rebuild_facts", "--app", "sampling", stdout=io.StringIO())
    assert facts(sampling_facts.VERDICT_FAILED).get().data["failed_items"] == ["泄漏电流"]
    assert rebuild_sampling_facts(dry_run=True) == {}

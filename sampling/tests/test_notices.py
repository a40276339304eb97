"""Notices to the enterprise and their service (送达): the objection window and the follow-up clock run from
the recorded service date; before it, no window runs (待送达)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from core.timelimits import due_for
from sampling.models import FollowUpStep, NoticeKind, NoticeService, ServiceMethod, Verdict
from sampling.services.notices import NoticeInvalid, notice_serve
from sampling.services.objections import objection_deadline
from sampling.services.results import result_confirm, result_enter
from sampling.tests.results_support import confirmed_days_ago, item_rows, make_sample

pytestmark = pytest.mark.django_db
P, F = Verdict.PASS.value, Verdict.FAIL.value


def _confirmed(user, verdicts):
    sample = make_sample()
    result = result_enter(
        user=user,
        sample=sample,
        report_no="WT-1",
        institution=sample.task.institution,
        tested_on=timezone.localdate() - dt.timedelta(days=20),
        items=item_rows(sample, verdicts),
    )
    result = result_confirm(user=user, result=result)
    confirmed_days_ago(result, 12)
    return result


def test_no_objection_window_runs_before_the_failure_notice_is_served(county_inspector):
    result = _confirmed(county_inspector, [P, F, P])
    assert objection_deadline(result) is None
    assert not result.sample.followups.filter(step=FollowUpStep.RECTIFICATION).exists()


def test_the_objection_window_and_rectification_run_from_the_recorded_service_date(county_inspector):
    result = _confirmed(county_inspector, [P, F, P])
    served_on = timezone.localdate() - dt.timedelta(days=10)
    service = notice_serve(
        user=county_inspector,
        result=result,
        kind=NoticeKind.FAILURE,
        method=ServiceMethod.MAIL,
        served_on=served_on,
        recipient="芙蓉电器有限公司 张三",
        receipt_no="EMS1234567890",
    )
    result.refresh_from_db()
    assert service.number.endswith("-BHG") and service.recorded_by == county_inspector
    assert result.verdict_received_on == served_on
    assert objection_deadline(result) == due_for("sampling.objection", served_on).due
    rectification = result.sample.followups.get(step=FollowUpStep.RECTIFICATION)
    assert rectification.started_on == served_on
    assert rectification.due_on == due_for("sampling.rectification", served_on).due


def test_the_result_notice_of_a_failure_does_not_start_the_window(county_inspector):
    result = _confirmed(county_inspector, [P, F, P])
    notice_serve(
        user=county_inspector,
        result=result,
        kind=NoticeKind.RESULT,
        method=ServiceMethod.DIRECT,
        served_on=timezone.localdate(),
        recipient="张三",
    )
    result.refresh_from_db()
    assert result.verdict_received_on is None


def test_a_passed_sample_has_no_failure_notice(county_inspector):
    result = _confirmed(county_inspector, [P, P, P])
    with pytest.raises(Exception, match="没有可送达的该类文书"):
        notice_serve(
            user=county_inspector,
            result=result,
            kind=NoticeKind.FAILURE,
            method=ServiceMethod.DIRECT,
            served_on=timezone.localdate(),
            recipient="张三",
        )


def test_every_bad_service_field_is_named_at_once(county_inspector):
    result = _confirmed(county_inspector, [P, F, P])
    with pytest.raises(NoticeInvalid) as caught:
        notice_serve(
            user=county_inspector,
            result=result,
            kind=NoticeKind.FAILURE,
            method=ServiceMethod.MAIL,
            served_on=timezone.localdate() - dt.timedelta(days=30),
            recipient="",
            receipt_no="",
        )
    errors = caught.value.errors
    assert set(errors) == {"served_on", "recipient", "receipt_no"}
    assert "不能早于检验结论确认日期" in str(errors["served_on"])
    assert not NoticeService.objects.exists()

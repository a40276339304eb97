"""Post-processing (后处理): the chain of steps, due dates in working days, the due list and the home page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError, PermissionDenied
from core.home import due_items_for
from core.models import CalendarYear, WorkdayOverride
from core.workdays import WorkdayCalendar
from sampling.models import FollowUp, FollowUpOutcome, FollowUpStep, Verdict
from sampling.services.followups import followup_add_optional, followup_complete, followups_start
from sampling.services.results import result_confirm, result_enter
from sampling.tests.results_support import item_rows, make_sample

D = dt.date
P, F = Verdict.PASS.value, Verdict.FAIL.value


def failed_sample(user, **kwargs):
    sample = make_sample(**kwargs)
    result = result_enter(
        user=user,
        sample=sample,
        report_no="WT-F-1",
        institution=sample.task.institution,
        tested_on=D(2026, 3, 10),
        items=item_rows(sample, [P, F, P]),
    )
    result_confirm(user=user, result=result)
    sample.refresh_from_db()
    return sample


def step(sample, name):
    return sample.followups.get(step=name)


@pytest.mark.django_db
def test_confirmed_failure_opens_the_notice_due_in_five_working_days(county_inspector):
    sample = failed_sample(county_inspector)
    notice = step(sample, FollowUpStep.NOTICE)
    assert notice.due_on == WorkdayCalendar().add_working_days(timezone.localdate(), 5)
    assert sample.followups.count() == 1


@pytest.mark.django_db
def test_a_pass_opens_nothing(county_inspector):
    sample = make_sample()
    result = result_enter(
        user=county_inspector,
        sample=sample,
        report_no="WT-P",
        institution=sample.task.institution,
        tested_on=None,
        items=item_rows(sample, [P, P, P]),
    )
    result_confirm(user=county_inspector, result=result)
    assert not FollowUp.objects.exists()


@pytest.mark.django_db
def test_notice_due_date_skips_the_national_day_holidays(county_inspector):
    sample = make_sample()
    sample.final_verdict = F
    sample.save()
    notice = followups_start(sample=sample, on=D(2026, 9, 24))
    assert notice.due_on == D(2026, 10, 9)  # not 09-29 as calendar days would give


@pytest.mark.django_db
def test_serving_the_notice_opens_rectification_and_reinspection_in_working_days(county_inspector):
    # given a failed sample whose notice is served on Thursday 2026-09-24, before 中秋 and 国庆,
    # and the 2027 schedule entered by an administrator (元旦 on Friday 2027-01-01)
    WorkdayOverride.objects.create(date=D(2027, 1, 1), is_workday=False, note="元旦")
    CalendarYear.objects.create(year=2027)
    sample = failed_sample(county_inspector)
    # when the notice is recorded as served
    created = followup_complete(
        user=county_inspector, followup=step(sample, FollowUpStep.NOTICE), done_on=D(2026, 9, 24)
    )
    # then rectification is due 60 working days later (the make-up Saturday 10-10 counts) and
    # re-inspection 75 working days later (2027-01-01 does not count)
    assert {f.step: f.due_on for f in created} == {
        FollowUpStep.RECTIFICATION: D(2026, 12, 24),
        FollowUpStep.REINSPECTION: D(2027, 1, 15),
    }
    # and the service date of the notice is the date the enterprise received the verdict
    assert sample.results.get().verdict_received_on == D(2026, 9, 24)


@pytest.mark.django_db
def test_failed_reinspections_escalate_to_publication_stop_order_and_revocation(county_inspector):
    calendar = WorkdayCalendar()
    sample = failed_sample(county_inspector)
    followup_complete(user=county_inspector, followup=step(sample, FollowUpStep.NOTICE), done_on=D(2026, 1, 5))
    # a re-inspection needs an outcome
    with pytest.raises(DomainError, match="合格或不合格"):
        followup_complete(
            user=county_inspector, followup=step(sample, FollowUpStep.REINSPECTION), done_on=D(2026, 3, 2)
        )
    [publication] = followup_complete(
        user=county_inspector,
        followup=step(sample, FollowUpStep.REINSPECTION),
        done_on=D(2026, 3, 2),
        outcome=FollowUpOutcome.FAILED,
    )
    assert publication.step == FollowUpStep.PUBLICATION
    [second] = followup_complete(user=county_inspector, followup=publication, done_on=D(2026, 3, 9))
    assert second.step == FollowUpStep.SECOND_REINSPECTION
    assert second.earliest_on == calendar.add_working_days(D(2026, 3, 9), 60)
    assert second.due_on == calendar.add_working_days(D(2026, 3, 9), 90)
    # not before the earliest day
    with pytest.raises(DomainError, match="最早"):
        followup_complete(user=county_inspector, followup=second, done_on=D(2026, 4, 1), outcome=FollowUpOutcome.FAILED)
    [stop] = followup_complete(
        user=county_inspector, followup=second, done_on=second.earliest_on, outcome=FollowUpOutcome.FAILED
    )
    assert stop.step == FollowUpStep.STOP_ORDER
    [revocation] = followup_complete(
        user=county_inspector, followup=stop, done_on=second.earliest_on, outcome=FollowUpOutcome.FAILED
    )
    assert revocation.step == FollowUpStep.REVOCATION
    # and a step is done only once
    with pytest.raises(DomainError, match="不能重复办理"):
        followup_complete(user=county_inspector, followup=stop, done_on=second.earliest_on, outcome="failed")


@pytest.mark.django_db
def test_passed_reinspection_ends_the_chain(county_inspector):
    sample = failed_sample(county_inspector)
    followup_complete(user=county_inspector, followup=step(sample, FollowUpStep.NOTICE), done_on=D(2026, 1, 5))
    created = followup_complete(
        user=county_inspector,
        followup=step(sample, FollowUpStep.REINSPECTION),
        done_on=D(2026, 3, 2),
        outcome=FollowUpOutcome.PASSED,
    )
    assert created == []
    assert not sample.followups.filter(step=FollowUpStep.PUBLICATION).exists()


@pytest.mark.django_db
def test_optional_interview_and_referral(county_inspector):
    sample = failed_sample(county_inspector)
    interview = followup_add_optional(user=county_inspector, sample=sample, step=FollowUpStep.INTERVIEW)
    assert interview.due_on > timezone.localdate()
    with pytest.raises(DomainError, match="已经存在"):
        followup_add_optional(user=county_inspector, sample=sample, step=FollowUpStep.INTERVIEW)
    with pytest.raises(DomainError, match="约谈或移送"):
        followup_add_optional(user=county_inspector, sample=sample, step=FollowUpStep.PUBLICATION)


@pytest.mark.django_db
def test_another_county_may_not_complete_a_step(county_inspector, neighbour_inspector):
    sample = failed_sample(county_inspector)
    with pytest.raises(PermissionDenied):
        followup_complete(user=neighbour_inspector, followup=step(sample, FollowUpStep.NOTICE), done_on=D(2026, 1, 5))


def _overdue(sample):
    notice = step(sample, FollowUpStep.NOTICE)
    notice.due_on = timezone.localdate() - dt.timedelta(days=3)
    notice.save()
    return notice


@pytest.mark.django_db
def test_followup_list_filters_overdue_and_is_scoped(login, county_inspector, neighbour_inspector, city_inspector):
    overdue = _overdue(failed_sample(county_inspector))
    later = failed_sample(county_inspector)
    FollowUp.objects.filter(sample=later).update(due_on=timezone.localdate() + dt.timedelta(days=30))
    client = login(county_inspector)
    html = client.get(reverse("sampling:followup_list"), {"state": "overdue"}).content.decode()
    assert overdue.sample.sample_no in html and later.sample_no not in html
    assert "已逾期" in html
    html = client.get(reverse("sampling:followup_list")).content.decode()
    assert overdue.sample.sample_no in html and later.sample_no in html
    # the city sees the county's steps; the neighbouring county does not
    assert overdue.sample.sample_no in login(city_inspector).get(reverse("sampling:followup_list")).content.decode()
    html = login(neighbour_inspector).get(reverse("sampling:followup_list")).content.decode()
    assert overdue.sample.sample_no not in html and "没有符合条件的后处理事项" in html


@pytest.mark.django_db
def test_followup_list_query_count_does_not_grow_with_rows(login, county_inspector, django_assert_max_num_queries):
    for _ in range(3):
        failed_sample(county_inspector)
    client = login(county_inspector)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("sampling:followup_list"), {"state": "all"}).status_code == 200


@pytest.mark.django_db
def test_complete_page_records_the_step(login, county_inspector):
    sample = failed_sample(county_inspector)
    notice = step(sample, FollowUpStep.NOTICE)
    client = login(county_inspector)
    response = client.post(
        reverse("sampling:followup_complete", args=[notice.pk]),
        {"done_on": "2026-09-24", "note": "EMS 送达"},
        follow=True,
    )
    html = response.content.decode()
    assert "已办结" in html and "2026-12-24" in html
    notice.refresh_from_db()
    assert notice.done_on == D(2026, 9, 24) and notice.done_by == county_inspector


@pytest.mark.django_db
def test_complete_page_of_another_county_is_not_found(login, county_inspector, neighbour_inspector):
    notice = step(failed_sample(county_inspector), FollowUpStep.NOTICE)
    response = login(neighbour_inspector).post(
        reverse("sampling:followup_complete", args=[notice.pk]), {"done_on": "2026-09-24"}
    )
    assert response.status_code == 404


@pytest.mark.django_db
def test_home_page_provider_lists_overdue_steps_of_the_jurisdiction(county_inspector, neighbour_inspector):
    notice = _overdue(failed_sample(county_inspector))
    items = [i for i in due_items_for(county_inspector) if i.category == "后处理"]
    assert len(items) == 1 and items[0].is_overdue
    assert notice.sample.sample_no in items[0].title and "送达不合格通知" in items[0].title
    assert [i for i in due_items_for(neighbour_inspector) if i.category == "后处理"] == []


@pytest.mark.django_db
def test_complete_page_warns_when_a_due_date_falls_in_a_year_without_a_schedule(login, county_inspector):
    notice = step(failed_sample(county_inspector), FollowUpStep.NOTICE)
    response = login(county_inspector).post(
        reverse("sampling:followup_complete", args=[notice.pk]), {"done_on": "2026-09-24"}, follow=True
    )
    assert "2027 年的节假日安排尚未录入" in response.content.decode()


@pytest.mark.django_db
def test_add_an_interview_on_the_page(login, county_inspector):
    sample = failed_sample(county_inspector)
    response = login(county_inspector).post(
        reverse("sampling:followup_add", args=[sample.pk]),
        {"step": FollowUpStep.INTERVIEW, "note": "约谈法定代表人张三"},
        follow=True,
    )
    assert "已添加后处理环节" in response.content.decode()
    assert sample.followups.filter(step=FollowUpStep.INTERVIEW, done_on__isnull=True).exists()

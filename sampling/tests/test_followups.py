"""Post-processing (后处理): the chain of steps, due dates in the law's units (core.timelimits), the due list
and the home page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError, PermissionDenied
from core.home import due_items_for
from core.models import CalendarYear, WorkdayOverride
from core.timelimits import due_for
from sampling.models import FollowUp, FollowUpOutcome, FollowUpStep, ResultStatus, Verdict
from sampling.services.followups import followup_add_optional, followup_complete
from sampling.services.results import result_confirm, result_enter
from sampling.services.verdicts import results_confirmed_after
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
        tested_on=D(2025, 7, 10),
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
    assert notice.due_on == due_for("sampling.notice", timezone.localdate()).due
    # the step names the limit it follows, with its unit and basis
    assert notice.time_limit.key == "sampling.notice"
    assert (notice.started_on, notice.limit_amount, notice.limit_unit) == (timezone.localdate(), 5, "workday")
    assert notice.due.basis_display == "依据《产品质量监督抽查管理暂行办法》第四十四条"
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
    # given a 不合格 result confirmed on Thursday 2026-09-24, before 中秋 and 国庆
    sample = make_sample()
    result = result_enter(
        user=county_inspector,
        sample=sample,
        report_no="WT-H",
        institution=sample.task.institution,
        tested_on=None,
        items=item_rows(sample, [P, F, P]),
    )
    result.status, result.is_confirmed = ResultStatus.CONFIRMED, True
    result.save()
    # when the after-confirmation step runs for that day
    results_confirmed_after(user=county_inspector, sample_ids=[sample.pk], on=D(2026, 9, 24))
    # then the notice (5 工作日) is due after the holidays
    assert step(sample, FollowUpStep.NOTICE).due_on == D(2026, 10, 9)  # not 09-29 as calendar days would give


@pytest.mark.django_db
def test_rectification_and_reinspection_are_calendar_days_with_the_holiday_shift(county_inspector):
    # given a failed sample whose notice is served on 2025-08-02
    sample = failed_sample(county_inspector)
    created = followup_complete(
        user=county_inspector, followup=step(sample, FollowUpStep.NOTICE), done_on=D(2025, 8, 2)
    )
    due = {f.step: f for f in created}
    # then 60 日 ends on 10-01, a holiday, and moves to the first working day after the National Day break
    rectification = due[FollowUpStep.RECTIFICATION]
    assert rectification.due_on == D(2025, 10, 9)  # 60 working days would give 2025-10-30
    assert rectification.due.moved_from == D(2025, 10, 1)
    assert "顺延至其后第一个工作日 2025-10-09" in rectification.due.explanation
    assert rectification.time_limit.key == "sampling.rectification" and rectification.limit_unit == "day"
    # and 75 日 ends on Thursday 2025-10-16, a working day
    assert due[FollowUpStep.REINSPECTION].due_on == D(2025, 10, 16)
    # and the service date of the notice is the date the enterprise received the verdict
    assert sample.results.get().verdict_received_on == D(2025, 8, 2)


@pytest.mark.django_db
def test_a_changed_limit_applies_to_steps_opened_after_it(county_inspector):
    from core.timelimits import limit

    rule = limit("sampling.rectification")
    rule.amount = 30
    rule.save()
    sample = failed_sample(county_inspector)
    [rectification] = [
        f
        for f in followup_complete(
            user=county_inspector, followup=step(sample, FollowUpStep.NOTICE), done_on=D(2026, 9, 24)
        )
        if f.step == FollowUpStep.RECTIFICATION
    ]
    assert rectification.due_on == D(2026, 10, 26)  # 10-24 is a Saturday
    assert rectification.limit_amount == 30


@pytest.mark.django_db
def test_serving_the_notice_with_a_year_the_calendar_does_not_know(county_inspector):
    # given the 2027 schedule entered by an administrator (元旦 on Friday 2027-01-01)
    WorkdayOverride.objects.create(date=D(2027, 1, 1), is_workday=False, note="元旦")
    CalendarYear.objects.create(year=2027)
    sample = failed_sample(county_inspector)
    created = followup_complete(
        user=county_inspector, followup=step(sample, FollowUpStep.NOTICE), done_on=D(2026, 11, 20)
    )
    # 60 日 → 2027-01-19 (Tuesday), 75 日 → 2027-02-03
    assert {f.step: f.due_on for f in created} == {
        FollowUpStep.RECTIFICATION: D(2027, 1, 19),
        FollowUpStep.REINSPECTION: D(2027, 2, 3),
    }


@pytest.mark.django_db
def test_failed_reinspections_escalate_to_publication_stop_order_and_revocation(county_inspector):
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
    # 60–90 日 after publication: from 2026-05-08, due by 2026-06-08 (06-07 is a Sunday)
    assert second.earliest_on == D(2026, 5, 8)
    assert second.due_on == D(2026, 6, 8)
    assert second.time_limit.key == "sampling.second_reinspection" and second.limit_amount == 90
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
    # one working-day calendar load for the due dates with their bases, whatever the number of rows
    with django_assert_max_num_queries(13):
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
    assert "已办结" in html and "2026-11-23" in html
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
        reverse("sampling:followup_complete", args=[notice.pk]), {"done_on": "2026-11-20"}, follow=True
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


@pytest.mark.django_db
def test_every_page_shows_the_due_date_with_its_basis(login, county_inspector):
    sample = failed_sample(county_inspector)
    notice = step(sample, FollowUpStep.NOTICE)
    basis = "依据《产品质量监督抽查管理暂行办法》第四十四条"
    client = login(county_inspector)
    for url in (
        reverse("sampling:followup_list"),
        reverse("sampling:sample_detail", args=[sample.pk]),
        reverse("sampling:followup_complete", args=[notice.pk]),
    ):
        html = client.get(url).content.decode()
        assert notice.due_on.isoformat() in html and basis in html, url
    assert "5 工作日" in client.get(reverse("sampling:followup_complete", args=[notice.pk])).content.decode()

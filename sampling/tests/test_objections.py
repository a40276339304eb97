"""Objections (异议) within the window, and the re-test (复检) by another institution giving the final verdict."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from core.errors import DomainError, PermissionDenied
from core.tests.factories import InstitutionFactory, UserFactory
from core.timelimits import limit
from sampling.models import FollowUpStep, ObjectionStatus, Verdict
from sampling.services.objections import objection_assign_retest, objection_file, verdict_received
from sampling.services.results import result_confirm, result_enter
from sampling.tests.results_support import confirmed_on_day, item_rows, make_sample

D = dt.date
P, F = Verdict.PASS.value, Verdict.FAIL.value


def confirmed(user, sample, verdicts, *, retest=False, institution=None):
    result = result_enter(
        user=user,
        sample=sample,
        report_no="FJ-1" if retest else "WT-1",
        institution=institution or sample.task.institution,
        tested_on=D(2026, 9, 20),
        items=item_rows(sample, verdicts),
        retest=retest,
    )
    return result_confirm(user=user, result=result)


@pytest.fixture
def failed(county_inspector):
    """A sample with a confirmed 不合格 result, received by the enterprise on 2026-10-01."""
    sample = make_sample()
    result = confirmed(county_inspector, sample, [P, F, P])
    confirmed_on_day(result, D(2026, 9, 25))
    verdict_received(user=county_inspector, result=result, received_on=D(2026, 10, 1))
    return sample


@pytest.mark.django_db
def test_objection_on_the_fifteenth_day_is_accepted(county_inspector, failed):
    objection = objection_file(user=county_inspector, sample=failed, filed_on=D(2026, 10, 16), reason="样品保存不当")
    assert objection.status == ObjectionStatus.FILED


@pytest.mark.django_db
def test_objection_after_fifteen_days_is_refused(county_inspector, failed):
    with pytest.raises(DomainError, match="已超过异议期限.*15 日"):
        objection_file(user=county_inspector, sample=failed, filed_on=D(2026, 10, 17), reason="样品保存不当")
    assert not failed.objections.exists()


@pytest.mark.django_db
def test_objection_window_is_configurable(county_inspector, failed):
    # the administrator sets the limit (a TimeLimit row) to 20 日
    rule = limit("sampling.objection")
    rule.amount = 20
    rule.save()
    objection = objection_file(user=county_inspector, sample=failed, filed_on=D(2026, 10, 21), reason="复核")
    assert objection.pk


@pytest.mark.django_db
def test_objection_window_ending_on_a_holiday_moves_to_the_next_working_day(county_inspector):
    # given a 不合格 received on 2026-09-20: day 15 is 2026-10-05, in the National Day break
    sample = make_sample()
    result = confirmed(county_inspector, sample, [P, F, P])
    # (confirmed before it was received: a receipt cannot predate the confirmation)
    result.confirmed_at = dt.datetime(2026, 9, 18, 10, tzinfo=dt.UTC)
    result.save(update_fields=["confirmed_at"])
    verdict_received(user=county_inspector, result=result, received_on=D(2026, 9, 20))
    # then an objection on 2026-10-08, the first working day after it, is in time
    objection = objection_file(user=county_inspector, sample=sample, filed_on=D(2026, 10, 8), reason="复核")
    assert objection.status == ObjectionStatus.FILED


@pytest.mark.django_db
def test_an_open_objection_makes_the_verdict_pending_until_it_is_decided(county_inspector, failed):
    from sampling.services.objections import objection_reject

    failed.refresh_from_db()
    assert failed.final_verdict == F
    objection = objection_file(user=county_inspector, sample=failed, filed_on=D(2026, 10, 5), reason="异议")
    failed.refresh_from_db()
    assert failed.final_verdict == Verdict.PENDING
    objection_reject(user=county_inspector, objection=objection, note="理由不成立")
    failed.refresh_from_db()
    assert failed.final_verdict == F


@pytest.mark.django_db
def test_objection_needs_a_received_date_and_a_failed_confirmed_result(county_inspector):
    sample = make_sample()
    confirmed(county_inspector, sample, [P, F, P])
    with pytest.raises(DomainError, match="收到检验结论"):
        objection_file(user=county_inspector, sample=sample, filed_on=D(2026, 10, 2), reason="异议")
    passed = make_sample()
    confirmed(county_inspector, passed, [P, P, P])
    with pytest.raises(DomainError, match="不合格"):
        objection_file(user=county_inspector, sample=passed, filed_on=D(2026, 10, 2), reason="异议")


@pytest.mark.django_db
def test_retest_by_the_first_institution_is_refused(county_inspector, failed):
    objection = objection_file(user=county_inspector, sample=failed, filed_on=D(2026, 10, 5), reason="异议")
    with pytest.raises(DomainError, match="原检验机构"):
        objection_assign_retest(user=county_inspector, objection=objection, institution=failed.task.institution)
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.FILED and objection.retest_institution is None


@pytest.mark.django_db
def test_retest_by_another_institution_gives_the_final_verdict(county_inspector, failed):
    # given an objection re-tested by another institution
    objection = objection_file(user=county_inspector, sample=failed, filed_on=D(2026, 10, 5), reason="异议")
    other = InstitutionFactory(name="广东产品质量监督检验研究院")
    objection_assign_retest(user=county_inspector, objection=objection, institution=other)
    # the re-test must come from the assigned institution
    with pytest.raises(DomainError, match="指定的复检机构"):
        confirmed(county_inspector, failed, [P, P, P], retest=True, institution=failed.task.institution)
    # when the re-test passes
    retest = confirmed(county_inspector, failed, [P, P, P], retest=True, institution=other)
    # then the re-test's verdict is final and the objection is decided
    failed.refresh_from_db()
    objection.refresh_from_db()
    assert retest.is_retest and retest.institution == other
    assert failed.final_verdict == P
    assert objection.status == ObjectionStatus.DECIDED and "合格" in objection.decision_note
    # and the post-processing of the first failure is closed
    assert not failed.followups.filter(done_on__isnull=True).exists()
    # no second objection after a re-test
    with pytest.raises(DomainError, match="最终结论|正在办理"):
        objection_file(user=county_inspector, sample=failed, filed_on=D(2026, 10, 6), reason="再次异议")


@pytest.mark.django_db
def test_failed_retest_keeps_the_failure_and_its_post_processing(county_inspector, failed):
    objection = objection_file(user=county_inspector, sample=failed, filed_on=D(2026, 10, 5), reason="异议")
    other = InstitutionFactory(name="四川省产品质量监督检验检测院")
    objection_assign_retest(user=county_inspector, objection=objection, institution=other)
    confirmed(county_inspector, failed, [F, P, P], retest=True, institution=other)
    failed.refresh_from_db()
    assert failed.final_verdict == F
    assert failed.followups.filter(step=FollowUpStep.NOTICE, done_on__isnull=True).count() == 1


@pytest.mark.django_db
def test_retest_institution_staff_may_enter_the_retest(county_inspector, failed, regions):
    objection = objection_file(user=county_inspector, sample=failed, filed_on=D(2026, 10, 5), reason="异议")
    other = InstitutionFactory(name="长沙复检实验室")
    objection_assign_retest(user=county_inspector, objection=objection, institution=other)
    lab = UserFactory(username="retest_lab", role="institution", jurisdiction=regions["430000"], institution=other)
    result = confirmed(lab, failed, [P, P, P], retest=True, institution=other)
    assert result.is_confirmed


@pytest.mark.django_db
def test_another_county_may_not_file_an_objection(neighbour_inspector, failed):
    with pytest.raises(PermissionDenied):
        objection_file(user=neighbour_inspector, sample=failed, filed_on=D(2026, 10, 5), reason="异议")


@pytest.mark.django_db
def test_objection_pages(login, county_inspector, failed):
    client = login(county_inspector)
    # late objection shows the Chinese refusal on the page
    response = client.post(
        reverse("sampling:objection_file", args=[failed.pk]), {"filed_on": "2026-10-20", "reason": "异议"}
    )
    assert response.status_code == 200 and "已超过异议期限" in response.content.decode()
    response = client.post(
        reverse("sampling:objection_file", args=[failed.pk]),
        {"filed_on": "2026-10-10", "reason": "样品保存不当"},
        follow=True,
    )
    assert "异议已登记" in response.content.decode()
    objection = failed.objections.get()
    url = reverse("sampling:objection_retest", args=[objection.pk])
    response = client.post(url, {"action": "assign", "institution": failed.task.institution_id})
    assert response.status_code == 200 and "原检验机构" in response.content.decode()
    other = InstitutionFactory(name="湖北省产品质量监督检验研究院")
    response = client.post(url, {"action": "assign", "institution": other.pk}, follow=True)
    assert "录入复检结果" in response.content.decode()
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.RETESTING and objection.retest_institution == other


@pytest.mark.django_db
def test_objection_page_of_another_county_is_not_found(login, neighbour_inspector, failed):
    response = login(neighbour_inspector).get(reverse("sampling:objection_file", args=[failed.pk]))
    assert response.status_code == 404


@pytest.mark.django_db
def test_rejected_objection_needs_a_reason_and_frees_the_sample(county_inspector, failed):
    from sampling.services.objections import objection_reject

    objection = objection_file(user=county_inspector, sample=failed, filed_on=D(2026, 10, 5), reason="异议")
    with pytest.raises(DomainError, match="理由"):
        objection_reject(user=county_inspector, objection=objection, note="")
    objection_reject(user=county_inspector, objection=objection, note="异议理由不成立")
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.REJECTED
    with pytest.raises(DomainError, match="不能安排复检"):
        objection_assign_retest(
            user=county_inspector, objection=objection, institution=InstitutionFactory(name="某复检机构")
        )

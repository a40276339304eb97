"""Test results: verdict derived from items, confirmation lock, amendments, entry page and permissions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from core.errors import DomainError, PermissionDenied
from sampling.models import CorrectionRequest, FollowUpStep, ResultAmendment, Verdict
from sampling.services.corrections import correction_approve, result_correction_submit
from sampling.services.results import derive_verdict, result_confirm, result_enter
from sampling.tests.results_support import item_rows, make_sample

P, F, N = Verdict.PASS.value, Verdict.FAIL.value, Verdict.PENDING.value


def enter(user, sample, verdicts, **kwargs):
    return result_enter(
        user=user,
        sample=sample,
        report_no=kwargs.pop("report_no", "WT2026-0001"),
        institution=kwargs.pop("institution", sample.task.institution),
        tested_on=dt.date(2026, 3, 10),
        items=item_rows(sample, verdicts),
        **kwargs,
    )


@pytest.mark.parametrize(
    ("verdicts", "expected"),
    [([P, P, P], P), ([P, F, P], F), ([P, N, P], N), ([F, N, P], F), ([], N)],
)
def test_overall_verdict_is_derived_from_the_items(verdicts, expected):
    assert derive_verdict(verdicts) == expected


@pytest.mark.django_db
def test_one_failing_item_makes_the_sample_fail(county_inspector):
    # given a sample with three test items
    sample = make_sample()
    # when the inspector enters one failing item
    result = enter(county_inspector, sample, [P, F, P])
    # then the result is 不合格 and the failed item is listed
    sample.refresh_from_db()
    assert result.verdict == F
    assert result.failed_items == ["输入功率和电流"]
    # but the sample has no final verdict until the result is confirmed
    assert sample.final_verdict == Verdict.PENDING
    result_confirm(user=county_inspector, result=result)
    sample.refresh_from_db()
    assert sample.final_verdict == F
    assert list(result.items.values_list("item_name", "verdict")) == [
        ("标志和说明", P),
        ("输入功率和电流", F),
        ("泄漏电流", P),
    ]


@pytest.mark.django_db
def test_result_stays_pending_while_an_item_is_not_judged_and_cannot_be_confirmed(county_inspector):
    sample = make_sample()
    result = enter(county_inspector, sample, [P, N, P])
    assert result.verdict == N
    with pytest.raises(DomainError, match="泄漏电流|输入功率和电流"):
        result_confirm(user=county_inspector, result=result)


@pytest.mark.django_db
def test_re_entry_before_confirmation_replaces_the_items(county_inspector):
    sample = make_sample()
    enter(county_inspector, sample, [P, F, P])
    result = enter(county_inspector, sample, [P, P, P], report_no="WT2026-0002")
    sample.refresh_from_db()
    assert (result.report_no, result.verdict, result.failed_items) == ("WT2026-0002", P, [])
    assert result.items.count() == 3
    assert sample.final_verdict == Verdict.PENDING


@pytest.mark.django_db
def test_confirmed_result_is_locked_against_plain_editing(county_inspector):
    sample = make_sample()
    result = enter(county_inspector, sample, [P, P, P])
    result_confirm(user=county_inspector, result=result)
    result.refresh_from_db()
    assert result.is_confirmed and result.confirmed_by == county_inspector and result.confirmed_at
    with pytest.raises(DomainError, match="已确认.*更正"):
        enter(county_inspector, sample, [P, F, P])


@pytest.mark.django_db
def test_amendment_records_before_and_after_and_rederives_the_verdict(county_inspector, provincial_leader):
    # given a confirmed failing result (post-processing has started)
    sample = make_sample()
    result = enter(county_inspector, sample, [P, F, P])
    result_confirm(user=county_inspector, result=result)
    assert sample.followups.filter(step=FollowUpStep.NOTICE).exists()
    # when the inspector corrects the failing item with a reason and a leader approves the request
    request = result_correction_submit(
        user=county_inspector,
        result=result,
        reason="录入错误：实测值为 1800 W，在允许偏差内",
        changes={"items": [{"item_name": "输入功率和电流", "measured_value": "1800 W", "verdict": P}]},
    )
    correction_approve(user=provincial_leader, request=request)
    amendment = result.amendments.get()
    # then the amendment keeps both versions and the verdict is re-derived
    result.refresh_from_db()
    sample.refresh_from_db()
    assert amendment.before["verdict"] == F and amendment.after["verdict"] == P
    assert amendment.before["failed_items"] == ["输入功率和电流"]
    changed = [i for i in amendment.after["items"] if i["item_name"] == "输入功率和电流"][0]
    assert changed == {
        "item_name": "输入功率和电流",
        "standard": "GB 4706.1-2005",
        "requirement": "偏差不超过 +5%/-10%",
        "measured_value": "1800 W",
        "verdict": P,
    }
    assert result.verdict == P and result.failed_items == [] and result.is_confirmed
    assert sample.final_verdict == P
    # and the open post-processing of the failure is closed
    assert not sample.followups.filter(done_on__isnull=True).exists()


@pytest.mark.django_db
def test_amendment_needs_a_reason_and_a_confirmed_result(county_inspector):
    sample = make_sample()
    result = enter(county_inspector, sample, [P, P, P])
    with pytest.raises(DomainError, match="尚未确认"):
        result_correction_submit(user=county_inspector, result=result, reason="更正", changes={"report_no": "X"})
    result_confirm(user=county_inspector, result=result)
    with pytest.raises(DomainError, match="更正理由"):
        result_correction_submit(user=county_inspector, result=result, reason=" ", changes={"report_no": "X"})
    assert not ResultAmendment.objects.exists() and not CorrectionRequest.objects.exists()


@pytest.mark.django_db
def test_inspector_of_another_county_may_not_enter(neighbour_inspector):
    sample = make_sample(region_code="430102")
    with pytest.raises(PermissionDenied):
        enter(neighbour_inspector, sample, [P, P, P])


@pytest.mark.django_db
def test_institution_enters_only_for_itself(institution_user):
    sample = make_sample(institution=institution_user.institution)
    result = enter(institution_user, sample, [P, P, P])
    assert result.institution == institution_user.institution
    other = make_sample()
    with pytest.raises(PermissionDenied):
        enter(institution_user, other, [P, P, P])


def _entry_post(sample, verdicts, values, report_no="WT2026-0100"):
    data = {
        "report_no": report_no,
        "institution": sample.task.institution_id,
        "tested_on": "2026-03-10",
        "items-TOTAL_FORMS": str(len(verdicts)),
        "items-INITIAL_FORMS": str(len(verdicts)),
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
    }
    for i, (verdict, value) in enumerate(zip(verdicts, values, strict=True)):
        data[f"items-{i}-measured_value"] = value
        data[f"items-{i}-verdict"] = verdict
    return data


@pytest.mark.django_db
def test_entry_page_lists_one_row_per_test_item_with_autofocus(login, county_inspector):
    sample = make_sample()
    response = login(county_inspector).get(reverse("sampling:result_entry", args=[sample.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "录入检验结果" in html
    for name in ("标志和说明", "输入功率和电流", "泄漏电流"):
        assert name in html
    assert html.count('<select name="items-') == 3
    assert "autofocus" in html
    assert 'id="live-verdict"' in html


@pytest.mark.django_db
def test_saving_the_entry_page_shows_the_verdict_on_the_sample_page(login, county_inspector):
    sample = make_sample()
    client = login(county_inspector)
    response = client.post(
        reverse("sampling:result_entry", args=[sample.pk]),
        _entry_post(sample, [P, F, P], ["合格", "2150 W", "0.2 mA"]),
        follow=True,
    )
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("sampling:sample_detail", args=[sample.pk])
    assert "WT2026-0100" in html and "2150 W" in html
    # an entered result is not yet a verdict: the sample stays 待检验 until it is confirmed
    assert "data-final-verdict>待检验" in html
    assert "确认结果" in html
    sample.refresh_from_db()
    assert sample.final_verdict == Verdict.PENDING


@pytest.mark.django_db
def test_entry_page_shows_the_service_error_in_chinese(login, county_inspector):
    sample = make_sample()
    data = _entry_post(sample, [P, P, P], ["a", "b", "c"], report_no=" ")
    response = login(county_inspector).post(reverse("sampling:result_entry", args=[sample.pk]), data)
    assert response.status_code == 200
    assert "检验报告编号" in response.content.decode()
    assert not sample.results.exists()


@pytest.mark.django_db
def test_confirm_and_amend_pages(login, county_inspector, provincial_leader):
    sample = make_sample()
    result = enter(county_inspector, sample, [P, F, P])
    client = login(county_inspector)
    response = client.post(reverse("sampling:result_confirm", args=[result.pk]), follow=True)
    assert "已确认" in response.content.decode()
    # the entry page of a confirmed result sends the user to the amendment page
    response = client.get(reverse("sampling:result_entry", args=[sample.pk]))
    assert response.status_code == 302 and response.url == reverse("sampling:result_amend", args=[result.pk])
    assert "须经审批" in client.get(response.url).content.decode()
    data = _entry_post(sample, [P, P, P], ["合格", "1800 W", "0.2 mA"], report_no="WT2026-0001")
    data["reason"] = "复核原始记录，功率录入错误"
    response = client.post(reverse("sampling:result_amend", args=[result.pk]), data, follow=True)
    html = response.content.decode()
    # the 更正 is a request waiting for a leader: the page says so and the result is unchanged
    assert "更正申请已提交，待所在辖区的负责人审批" in html and "复核原始记录，功率录入错误" in html
    page = client.get(reverse("sampling:sample_detail", args=[sample.pk])).content.decode()
    assert "更正申请待审批" in page and "data-final-verdict>不合格" in page
    correction = CorrectionRequest.objects.get(result=result)
    login(provincial_leader).post(reverse("sampling:correction_approve", args=[correction.pk]))
    html = client.get(reverse("sampling:sample_detail", args=[sample.pk])).content.decode()
    assert "更正记录" in html and "复核原始记录，功率录入错误" in html and provincial_leader.display_name in html
    assert "data-final-verdict>合格" in html


@pytest.mark.django_db
def test_entry_page_of_another_county_is_not_found(login, neighbour_inspector, county_inspector):
    sample = make_sample(region_code="430102")
    client = login(neighbour_inspector)
    assert client.get(reverse("sampling:result_entry", args=[sample.pk])).status_code == 404
    response = client.post(reverse("sampling:result_entry", args=[sample.pk]), _entry_post(sample, [P] * 3, ["a"] * 3))
    assert response.status_code == 404
    assert not sample.results.exists()


@pytest.mark.django_db
def test_entry_page_refused_for_a_role_that_may_not_enter(login, provincial_leader):
    sample = make_sample()
    assert login(provincial_leader).get(reverse("sampling:result_entry", args=[sample.pk])).status_code == 403


@pytest.mark.django_db
def test_institution_may_not_enter_for_a_sample_tested_elsewhere_even_in_its_own_name(institution_user):
    sample = make_sample()  # tested by another institution
    with pytest.raises(PermissionDenied):
        enter(institution_user, sample, [P, P, P], institution=institution_user.institution)


@pytest.mark.django_db
def test_sample_page_shows_results_to_a_leader_without_entry_buttons(login, county_inspector, provincial_leader):
    sample = make_sample()
    result = enter(county_inspector, sample, [P, F, P])
    result_confirm(user=county_inspector, result=result)
    html = login(provincial_leader).get(reverse("sampling:sample_detail", args=[sample.pk])).content.decode()
    assert "WT2026-0001" in html and "输入功率和电流" in html
    assert "data-final-verdict>不合格" in html
    assert "送达不合格通知" in html  # post-processing started
    assert "确认结果" not in html and "更正</a>" not in html

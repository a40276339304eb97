"""更正 of a confirmed test result (issue 13): a 修改申请 with the result before and after, applied only when a
leader of the jurisdiction other than the requester approves it, through the old 更正 path (verdict re-derived,
post-processing and facts settled, amendment recorded)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from core.errors import DomainError, PermissionDenied
from core.models import Role
from core.tests.factories import UserFactory
from sampling.models import CorrectionRequest, CorrectionStatus, FollowUpStep, ResultAmendment, Verdict
from sampling.models import TestResult as Result
from sampling.services.corrections import correction_approve, correction_reject, result_correction_submit
from sampling.services.results import result_confirm, result_enter
from sampling.tests.results_support import item_rows, make_sample

pytestmark = pytest.mark.django_db

P, F = Verdict.PASS.value, Verdict.FAIL.value
POWER = "输入功率和电流"
FIX = {"items": [{"item_name": POWER, "measured_value": "1800 W", "verdict": P}]}


def _confirmed_failure(user, institution=None):
    """A 芙蓉区 sample whose confirmed result fails on 输入功率和电流 (post-processing has started)."""
    sample = make_sample(institution=institution)
    result = result_enter(
        user=user,
        sample=sample,
        report_no="WT2026-0100",
        institution=sample.task.institution,
        tested_on=dt.date(2026, 3, 10),
        items=item_rows(sample, [P, F, P]),
    )
    result_confirm(user=user, result=result)
    sample.refresh_from_db()
    assert sample.final_verdict == F and sample.followups.filter(step=FollowUpStep.NOTICE).exists()
    return sample, result


def _entry_post(result, measured, verdicts, reason):
    data = {
        "report_no": result.report_no,
        "institution": result.institution_id,
        "tested_on": "2026-03-10",
        "reason": reason,
        "items-TOTAL_FORMS": str(len(verdicts)),
        "items-INITIAL_FORMS": str(len(verdicts)),
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
    }
    for i, (value, verdict) in enumerate(zip(measured, verdicts, strict=True)):
        data[f"items-{i}-measured_value"] = value
        data[f"items-{i}-verdict"] = verdict
    return data


def test_a_request_changes_nothing_until_it_is_approved(county_inspector):
    sample, result = _confirmed_failure(county_inspector)

    request = result_correction_submit(
        user=county_inspector, result=result, reason="录入错误：实测值为 1800 W", changes=FIX
    )

    assert request.status == CorrectionStatus.REQUESTED and request.sample == sample and request.result == result
    # the request keeps the result before and after, the verdict re-derived from the items
    assert request.changes["verdict"] == {"before": F, "after": P}
    assert request.changes["failed_items"] == {"before": [POWER], "after": []}
    assert [i["measured_value"] for i in request.changes["items"]["after"] if i["item_name"] == POWER] == ["1800 W"]
    # but nothing of it applies yet
    result.refresh_from_db()
    sample.refresh_from_db()
    assert result.verdict == F and result.failed_items == [POWER]
    assert result.items.get(item_name=POWER).verdict == F
    assert sample.final_verdict == F and sample.followups.filter(done_on__isnull=True).exists()
    assert not ResultAmendment.objects.exists()
    # one open request per sample: no second 更正 (nor another request) while it waits
    with pytest.raises(DomainError, match="待审批的更正申请"):
        result_correction_submit(user=county_inspector, result=result, reason="再次更正", changes=FIX)


def test_the_approval_applies_it_and_records_before_and_after(county_inspector, provincial_leader):
    sample, result = _confirmed_failure(county_inspector)
    request = result_correction_submit(
        user=county_inspector, result=result, reason="录入错误：实测值为 1800 W", changes=FIX
    )

    correction_approve(user=provincial_leader, request=request, note="核对原始记录无误")

    request.refresh_from_db()
    result.refresh_from_db()
    sample.refresh_from_db()
    assert request.status == CorrectionStatus.APPROVED and request.decided_by == provincial_leader
    amendment = ResultAmendment.objects.get()
    assert amendment.correction == request and amendment.amended_by == county_inspector
    assert amendment.reason == "录入错误：实测值为 1800 W"
    assert amendment.before["verdict"] == F and amendment.after["verdict"] == P
    assert amendment.after == {**amendment.before, **{k: v["after"] for k, v in request.changes.items()}}
    # the verdict is re-derived as the old direct path did: 合格, post-processing of the failure closed
    assert result.verdict == P and result.failed_items == [] and result.is_confirmed
    assert sample.final_verdict == P
    assert not sample.followups.filter(done_on__isnull=True).exists()


def test_the_requester_cannot_approve_his_own_request(regions, county_inspector, provincial_leader, login):
    # a superuser leader may enter and correct results, so he can be the requester
    boss = UserFactory(username="hunan_boss", role=Role.LEADER, jurisdiction=regions["430000"], is_superuser=True)
    sample, result = _confirmed_failure(county_inspector)
    request = result_correction_submit(user=boss, result=result, reason="复核", changes=FIX)

    with pytest.raises(PermissionDenied, match="申请人不能审批自己的申请"):
        correction_approve(user=boss, request=request)
    assert login(boss).post(reverse("sampling:correction_approve", args=[request.pk])).status_code == 403
    # nor does the inspector who asks, nor anyone else than a leader of the jurisdiction
    with pytest.raises(PermissionDenied):
        correction_approve(user=county_inspector, request=request)

    result.refresh_from_db()
    assert result.verdict == F and not ResultAmendment.objects.exists()
    correction_approve(user=provincial_leader, request=request)  # another leader of the jurisdiction may
    result.refresh_from_db()
    assert result.verdict == P


def test_a_rejected_request_leaves_the_result_as_it_was(county_inspector, provincial_leader):
    sample, result = _confirmed_failure(county_inspector)
    request = result_correction_submit(user=county_inspector, result=result, reason="复核", changes=FIX)

    correction_reject(user=provincial_leader, request=request, note="原始记录为 2100 W")

    result.refresh_from_db()
    sample.refresh_from_db()
    assert result.verdict == F and sample.final_verdict == F and not ResultAmendment.objects.exists()


def test_a_result_changed_since_the_request_is_refused_on_approval(county_inspector, provincial_leader):
    sample, result = _confirmed_failure(county_inspector)
    request = result_correction_submit(
        user=county_inspector, result=result, reason="复核", changes={**FIX, "report_no": "WT2026-0101"}
    )
    Result.objects.filter(pk=result.pk).update(report_no="WT2026-0199")  # e.g. a re-import in between

    with pytest.raises(DomainError, match="记录在申请后已被修改（检验报告编号）"):
        correction_approve(user=provincial_leader, request=request)

    request.refresh_from_db()
    assert request.status == CorrectionStatus.REQUESTED and not ResultAmendment.objects.exists()


def test_the_institution_asks_on_the_page_and_is_told_it_awaits_approval(institution_user, provincial_leader, login):
    sample, result = _confirmed_failure(institution_user, institution=institution_user.institution)
    client = login(institution_user)
    amend_url = reverse("sampling:result_amend", args=[result.pk])
    assert "须经审批" in client.get(amend_url).content.decode()

    data = _entry_post(result, ["合格", "1800 W", "0.2 mA"], [P, P, P], "复核原始记录，功率录入错误")
    response = client.post(amend_url, data, follow=True)

    html = response.content.decode()
    request = CorrectionRequest.objects.get(result=result)
    assert response.redirect_chain[-1][0] == reverse("sampling:correction_detail", args=[request.pk])
    assert "更正申请已提交，待所在辖区的负责人审批；批准前检验结果保持不变。" in html
    assert "待审批" in html and "1800 W（合格）" in html
    page = client.get(reverse("sampling:sample_detail", args=[sample.pk])).content.decode()
    assert "更正申请待审批" in page and "data-final-verdict>不合格" in page
    assert amend_url not in page  # no second 更正 while the first waits
    result.refresh_from_db()
    assert result.verdict == F

    leader = login(provincial_leader)
    assert "批准" in leader.get(reverse("sampling:correction_detail", args=[request.pk])).content.decode()
    leader.post(reverse("sampling:correction_approve", args=[request.pk]))
    page = login(institution_user).get(reverse("sampling:sample_detail", args=[sample.pk])).content.decode()
    assert "data-final-verdict>合格" in page and "更正申请待审批" not in page
    assert provincial_leader.display_name in page  # the amendment names its approver
    # before and after read as words, not codes
    table = page[page.index("更正记录") :]
    assert "（不合格）" in table and "（合格）" in table and "（fail）" not in table and "（pass）" not in table

"""Corrections (item 2 of issue 13): edits before confirmation; 修改申请 / 作废申请 after it, decided by a leader of
the jurisdiction other than the requester; before and after kept; a voided sample leaves the statistics."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from core.errors import DomainError, PermissionDenied
from core.models import Role
from core.models_facts import EnterpriseFact
from core.tests.factories import UserFactory
from sampling.models import (
    Announcement,
    CorrectionRequest,
    CorrectionStatus,
    Draw,
    FollowUp,
    FollowUpOutcome,
    Sample,
    Verdict,
)
from sampling.services import facts as sampling_facts
from sampling.services.corrections import (
    announcement_draft_update,
    correction_approve,
    correction_reject,
    correction_request_submit,
    sample_update,
    task_update,
    void_request_submit,
)
from sampling.services.results import result_confirm, result_enter
from sampling.statistics import pass_rate_total
from sampling.tests.results_support import item_rows, make_sample

pytestmark = pytest.mark.django_db


def _confirm(sample, user, verdicts):
    result = result_enter(
        user=user,
        sample=sample,
        report_no=f"R-{sample.pk}",
        institution=sample.task.institution,
        tested_on=dt.date(2026, 3, 10),
        items=item_rows(sample, verdicts),
    )
    return result_confirm(user=user, result=result)


@pytest.fixture
def confirmed(regions, county_inspector):
    """A 芙蓉区 sample with a confirmed 合格 result and the typo 批号 "2026O3" (a letter O)."""
    sample = make_sample(region_code="430102")
    Sample.objects.filter(pk=sample.pk).update(production_batch="2026O3")
    sample.refresh_from_db()
    _confirm(sample, county_inspector, [Verdict.PASS] * 3)
    return sample


@pytest.fixture
def county_leader(regions):
    return UserFactory(username="furong_leader", role=Role.LEADER, jurisdiction=regions["430102"])


def test_an_inspector_corrects_a_typo_in_the_batch_before_confirmation(login, regions, county_inspector):
    sample = make_sample(region_code="430102")
    client = login(county_inspector)

    page = client.get(reverse("sampling:sample_detail", args=[sample.pk])).content.decode()
    assert reverse("sampling:sample_edit", args=[sample.pk]) in page
    data = {
        "brand": sample.brand,
        "model_spec": sample.model_spec,
        "production_batch": "20260302",
        "stage": sample.stage,
        "place": "",
        "sampled_on": "2026-03-02",
        "quantity": "",
        "base_price": "",
    }
    response = client.post(reverse("sampling:sample_edit", args=[sample.pk]), data)

    assert response.status_code == 302
    sample.refresh_from_db()
    assert sample.production_batch == "20260302"
    assert not CorrectionRequest.objects.exists()  # an edit, no request


def test_an_edit_naming_a_future_date_is_refused_and_nothing_changes(regions, county_inspector):
    sample = make_sample(region_code="430102")

    with pytest.raises(DomainError, match="抽样日期：不能晚于今天"):
        sample_update(user=county_inspector, sample=sample, sampled_on=dt.date.today() + dt.timedelta(days=3))

    sample.refresh_from_db()
    assert sample.sampled_on == dt.date(2026, 3, 2)


def test_after_confirmation_the_sample_is_not_edited_directly(login, confirmed, county_inspector):
    with pytest.raises(DomainError, match="修改申请"):
        sample_update(user=county_inspector, sample=confirmed, production_batch="202603")

    client = login(county_inspector)
    assert client.get(reverse("sampling:sample_edit", args=[confirmed.pk])).status_code == 403
    page = client.get(reverse("sampling:sample_detail", args=[confirmed.pk])).content.decode()
    assert reverse("sampling:sample_correction", args=[confirmed.pk]) in page
    assert reverse("sampling:sample_edit", args=[confirmed.pk]) not in page


def test_an_approved_request_applies_the_change_and_keeps_before_and_after(
    login, confirmed, county_inspector, provincial_leader
):
    client = login(county_inspector)
    response = client.post(
        reverse("sampling:sample_correction", args=[confirmed.pk]),
        {
            "brand": confirmed.brand,
            "model_spec": confirmed.model_spec,
            "production_batch": "202603",
            "place": "",
            "sampled_on": "2026-03-02",
            "quantity": "",
            "base_price": "",
            "reason": "批号录入时把数字 0 打成了字母 O，以抽样单原件为准。",
        },
    )
    correction = CorrectionRequest.objects.get()
    assert response.status_code == 302
    assert correction.changes == {"production_batch": {"before": "2026O3", "after": "202603"}}
    confirmed.refresh_from_db()
    assert confirmed.production_batch == "2026O3"  # nothing changes before the approval

    leader = login(provincial_leader)
    home = leader.get(reverse("home")).content.decode()
    assert reverse("sampling:correction_detail", args=[correction.pk]) in home
    response = leader.post(reverse("sampling:correction_approve", args=[correction.pk]), {"note": "同意"})

    assert response.status_code == 302
    confirmed.refresh_from_db()
    correction.refresh_from_db()
    assert confirmed.production_batch == "202603"
    assert correction.status == CorrectionStatus.APPROVED and correction.decided_by == provincial_leader
    page = leader.get(reverse("sampling:correction_detail", args=[correction.pk])).content.decode()
    assert "2026O3" in page and "202603" in page and "生产日期/批号" in page


def test_a_rejected_request_changes_nothing(confirmed, county_inspector, provincial_leader):
    correction = correction_request_submit(
        user=county_inspector, sample=confirmed, values={"production_batch": "202603"}, reason="批号有误"
    )

    with pytest.raises(DomainError, match="驳回时须说明理由"):
        correction_reject(user=provincial_leader, request=correction, note="")
    correction_reject(user=provincial_leader, request=correction, note="原件即为 2026O3，无需更正")

    confirmed.refresh_from_db()
    correction.refresh_from_db()
    assert confirmed.production_batch == "2026O3"
    assert correction.status == CorrectionStatus.REJECTED
    with pytest.raises(DomainError):
        correction_approve(user=provincial_leader, request=correction)  # decided once, for good


def test_the_requester_cannot_approve_their_own_request(login, confirmed, county_leader, provincial_leader):
    correction = correction_request_submit(
        user=county_leader, sample=confirmed, values={"production_batch": "202603"}, reason="批号有误"
    )

    with pytest.raises(PermissionDenied, match="申请人不能审批自己的申请"):
        correction_approve(user=county_leader, request=correction)
    page = login(county_leader).get(reverse("sampling:correction_detail", args=[correction.pk])).content.decode()
    assert reverse("sampling:correction_approve", args=[correction.pk]) not in page
    assert login(county_leader).post(reverse("sampling:correction_approve", args=[correction.pk])).status_code == 403

    confirmed.refresh_from_db()
    assert confirmed.production_batch == "2026O3"
    correction_approve(user=provincial_leader, request=correction)  # another leader of the jurisdiction may
    confirmed.refresh_from_db()
    assert confirmed.production_batch == "202603"


def test_an_inspector_or_a_leader_of_another_county_cannot_decide(regions, confirmed, county_inspector):
    correction = void_request_submit(user=county_inspector, sample=confirmed, reason="重复登记")
    other_inspector = UserFactory(username="furong_inspector2", role=Role.INSPECTOR, jurisdiction=regions["430102"])
    neighbour_leader = UserFactory(username="tianxin_leader", role=Role.LEADER, jurisdiction=regions["430103"])

    for user in (other_inspector, neighbour_leader):
        with pytest.raises(PermissionDenied):
            correction_approve(user=user, request=correction)
    confirmed.refresh_from_db()
    assert confirmed.voided_at is None


def test_a_request_on_a_record_changed_since_is_refused(confirmed, county_inspector, provincial_leader):
    correction = correction_request_submit(
        user=county_inspector, sample=confirmed, values={"production_batch": "202603"}, reason="批号有误"
    )
    Sample.objects.filter(pk=confirmed.pk).update(production_batch="X")

    with pytest.raises(DomainError, match="记录在申请后已被修改"):
        correction_approve(user=provincial_leader, request=correction)


def test_a_voided_sample_is_not_counted_in_pass_rate_statistics(regions, county_inspector, provincial_leader):
    kept = make_sample(region_code="430102")
    voided = Sample.objects.create(
        **{
            f.attname: getattr(kept, f.attname)
            for f in Sample._meta.concrete_fields
            if f.attname not in ("id", "sample_no", "created_at", "updated_at")
        },
        sample_no="CY-DUP",
    )
    _confirm(kept, county_inspector, [Verdict.PASS] * 3)
    _confirm(voided, county_inspector, [Verdict.FAIL, Verdict.PASS, Verdict.PASS])
    assert pass_rate_total(year=2026, region_prefix="430102")["batches"] == 2
    assert FollowUp.objects.filter(sample=voided, done_on__isnull=True).exists()  # the notice step opened

    correction = void_request_submit(user=county_inspector, sample=voided, reason=f"与 {kept.sample_no} 重复登记")
    assert pass_rate_total(year=2026, region_prefix="430102")["batches"] == 2  # not before the approval
    correction_approve(user=provincial_leader, request=correction)

    total = pass_rate_total(year=2026, region_prefix="430102")
    assert (total["batches"], total["failed"]) == (1, 0)
    voided.refresh_from_db()
    assert voided.voided_at is not None and voided.final_verdict == Verdict.PENDING
    assert voided.void_reason.startswith("与 ")
    # The ledger: the 不合格 fact is ended by a void fact; no open verdict fact is left for the sample.
    failed = EnterpriseFact.objects.get(kind=sampling_facts.VERDICT_FAILED, source_id=str(voided.pk))
    void_fact = EnterpriseFact.objects.get(kind=sampling_facts.SAMPLE_VOIDED, source_id=str(voided.pk))
    assert void_fact.ends_id == failed.pk
    assert sampling_facts.open_verdict_facts([voided.pk]) == {}
    from sampling.services.rebuild import missing_facts

    assert missing_facts() == []  # rebuild_facts finds the ledger consistent
    assert not FollowUp.objects.filter(sample=voided, done_on__isnull=True).exists()
    assert FollowUp.objects.filter(sample=voided, outcome=FollowUpOutcome.CLOSED).exists()
    # Nothing more can be entered on it, and it cannot be announced.
    from sampling.services.publication import publishable_samples

    assert list(publishable_samples(kept.task)) == [kept]


def test_a_task_is_edited_before_the_draw_and_corrected_by_request_after_it(
    regions, county_inspector, provincial_leader
):
    task = make_sample(region_code="430102").task
    task_update(user=county_inspector, task=task, name="2026年电热水壶产品质量监督抽查")
    task.refresh_from_db()
    assert task.name == "2026年电热水壶产品质量监督抽查"

    Draw.objects.create(task=task, seed="0" * 64, created_by=provincial_leader)
    with pytest.raises(DomainError, match="已随机抽取"):
        task_update(user=county_inspector, task=task, deadline=dt.date(2026, 12, 31))
    correction = correction_request_submit(
        user=county_inspector, task=task, values={"deadline": dt.date(2026, 12, 31)}, reason="省局通知延期"
    )
    assert correction.changes == {"deadline": {"before": None, "after": "2026-12-31"}}
    correction_approve(user=provincial_leader, request=correction)

    task.refresh_from_db()
    assert task.deadline == dt.date(2026, 12, 31)


def test_a_draft_announcement_is_edited_and_a_published_one_is_not(regions, county_inspector):
    sample = make_sample(region_code="430102")
    announcement = Announcement.objects.create(task=sample.task, title="关于电热水壶的公告", region_id="430102")

    announcement_draft_update(user=county_inspector, announcement=announcement, title="关于电热水壶抽查结果的公告")
    announcement.refresh_from_db()
    assert announcement.title == "关于电热水壶抽查结果的公告"

    Announcement.objects.filter(pk=announcement.pk).update(status="published", published_at=dt.datetime(2026, 4, 1))
    with pytest.raises(DomainError, match="请先撤回再修改"):
        announcement_draft_update(user=county_inspector, announcement=announcement, title="改")


def test_a_voided_published_sample_leaves_the_public_pages(
    client, confirmed, county_inspector, provincial_leader, django_capture_on_commit_callbacks
):
    from sampling.selectors import published_samples
    from sampling.services.publication import announcement_create, announcement_publish

    announcement = announcement_create(user=provincial_leader, task=confirmed.task, title="关于电热水壶抽查结果的公告")
    with django_capture_on_commit_callbacks(execute=True):
        announcement_publish(user=provincial_leader, announcement=announcement)
    assert list(published_samples()) == [confirmed]
    search = reverse("public:result_search") + "?region=43"
    assert confirmed.enterprise.name in client.get(search).content.decode()  # the section is now kept rendered

    correction = void_request_submit(user=county_inspector, sample=confirmed, reason="样品与受检企业不符")
    with django_capture_on_commit_callbacks(execute=True):
        correction_approve(user=provincial_leader, request=correction)

    assert not published_samples().exists()
    page = client.get(search).content.decode()
    assert confirmed.enterprise.name not in page and "共找到 0 条已公开的抽查结果" in page
    published = EnterpriseFact.objects.get(kind=sampling_facts.RESULT_PUBLISHED, source_id=str(confirmed.pk))
    assert EnterpriseFact.objects.filter(kind=sampling_facts.SAMPLE_VOIDED, ends=published).exists()
    from sampling.services.rebuild import missing_facts

    assert missing_facts() == []

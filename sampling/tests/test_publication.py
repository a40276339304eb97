"""Publication services and staff pages: drafting, publishing, withdrawing an announcement."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.errors import DomainError, PermissionDenied
from core.models import Role
from core.tests.factories import UserFactory
from sampling.models import Announcement, AnnouncementStatus, Objection, ObjectionStatus, Sample, Verdict
from sampling.selectors import announcement_withdrawals, published_samples
from sampling.services.publication import announcement_create, announcement_publish, announcement_withdraw
from sampling.tests.publication_data import make_sample, make_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def task(regions):
    return make_task(region_code="430000")


@pytest.fixture
def judged(task):
    """Two judged batches and one still waiting for its test result."""
    passed = make_sample(task, verdict=Verdict.PASS)
    failed = make_sample(task, verdict=Verdict.FAIL, failed_items=("泄漏电流",))
    pending = make_sample(task, verdict="")
    return passed, failed, pending


@pytest.fixture
def draft(task, judged, provincial_leader):
    return announcement_create(user=provincial_leader, task=task, title="2026年第1期电热水壶抽查结果公告")


# --- announcement_create ------------------------------------------------------------------------


def test_create_takes_by_default_every_sample_with_a_final_verdict(task, judged, county_inspector):
    # given a task with two judged batches and one pending
    passed, failed, pending = judged
    task.region_id = "430102"
    task.save(update_fields=["region"])

    # when an inspector of the task's county drafts an announcement
    announcement = announcement_create(
        user=county_inspector, task=task, title="芙蓉区抽查结果公告", number="芙市监〔2026〕1号"
    )

    # then the draft carries the judged batches only and nothing is public yet
    assert announcement.status == AnnouncementStatus.DRAFT
    assert set(announcement.samples.values_list("pk", flat=True)) == {passed.pk, failed.pk}
    assert not Sample.objects.filter(is_published=True).exists()
    assert not published_samples().exists()


def test_create_refuses_a_task_outside_the_jurisdiction(task, judged, outsider):
    with pytest.raises(PermissionDenied, match="管辖范围"):
        announcement_create(user=outsider, task=task, title="越权公告")
    assert not Announcement.objects.exists()


def test_create_refuses_a_task_without_judged_samples(regions, provincial_leader):
    task = make_task()
    make_sample(task, verdict="")
    with pytest.raises(DomainError, match="没有可公告的抽样单"):
        announcement_create(user=provincial_leader, task=task, title="空公告")


def test_create_requires_a_title(task, judged, provincial_leader):
    with pytest.raises(DomainError, match="公告标题"):
        announcement_create(user=provincial_leader, task=task, title="  ")


def test_create_refuses_samples_of_another_task(task, judged, provincial_leader):
    other = make_sample(make_task(), verdict=Verdict.PASS)
    with pytest.raises(DomainError, match=other.sample_no):
        announcement_create(user=provincial_leader, task=task, title="公告", samples=[other])


# --- announcement_publish -----------------------------------------------------------------------


def test_publish_makes_the_batches_public_in_one_go(draft, judged, provincial_leader):
    passed, failed, pending = judged

    announcement_publish(user=provincial_leader, announcement=draft)

    draft.refresh_from_db()
    assert draft.status == AnnouncementStatus.PUBLISHED
    assert draft.published_by == provincial_leader
    assert draft.published_at is not None
    assert set(published_samples().values_list("pk", flat=True)) == {passed.pk, failed.pk}
    pending.refresh_from_db()
    assert pending.is_published is False


def test_create_refuses_samples_without_a_final_verdict_naming_them(task, judged, provincial_admin):
    passed, failed, pending = judged
    with pytest.raises(DomainError) as error:
        announcement_create(user=provincial_admin, task=task, title="含未检批次的公告", samples=[passed, pending])
    assert "尚无经确认的最终检验结论" in str(error.value)
    assert pending.sample_no in str(error.value)
    assert passed.sample_no not in str(error.value)
    assert not Announcement.objects.exists()


def test_publish_refuses_samples_without_a_final_verdict_naming_them(draft, judged, provincial_admin):
    # given a draft whose batch lost its final verdict after drafting (e.g. an objection was filed)
    passed, failed, _pending = judged
    Sample.objects.filter(pk=failed.pk).update(final_verdict="")

    with pytest.raises(DomainError) as error:
        announcement_publish(user=provincial_admin, announcement=draft)

    assert "尚无最终检验结论" in str(error.value)
    assert failed.sample_no in str(error.value)
    assert passed.sample_no not in str(error.value)
    draft.refresh_from_db()
    assert draft.status == AnnouncementStatus.DRAFT
    assert not published_samples().exists()


def test_publish_refuses_a_sample_with_an_open_objection(draft, judged, provincial_leader):
    _passed, failed, _pending = judged
    Objection.objects.create(
        sample=failed, filed_on="2026-06-01", reason="对检验结论有异议", created_by=provincial_leader
    )

    with pytest.raises(DomainError, match=failed.sample_no):
        announcement_publish(user=provincial_leader, announcement=draft)
    assert not published_samples().exists()

    Objection.objects.filter(sample=failed).update(status=ObjectionStatus.DECIDED)
    announcement_publish(user=provincial_leader, announcement=draft)
    assert published_samples().filter(pk=failed.pk).exists()


def test_an_inspector_cannot_publish(draft, county_inspector, city_inspector):
    for inspector in (county_inspector, city_inspector):
        with pytest.raises(PermissionDenied, match="负责人或系统管理员"):
            announcement_publish(user=inspector, announcement=draft)
    draft.refresh_from_db()
    assert draft.status == AnnouncementStatus.DRAFT


def test_another_provinces_leader_cannot_publish_our_announcement(draft, outsider):
    with pytest.raises(PermissionDenied, match="管辖范围"):
        announcement_publish(user=outsider, announcement=draft)
    assert not published_samples().exists()


def test_publishing_twice_is_refused(draft, provincial_leader):
    announcement_publish(user=provincial_leader, announcement=draft)
    with pytest.raises(DomainError, match="已发布"):
        announcement_publish(user=provincial_leader, announcement=draft)


# --- announcement_withdraw ----------------------------------------------------------------------


def test_withdraw_hides_the_batches_and_keeps_the_reason(draft, judged, provincial_leader):
    announcement_publish(user=provincial_leader, announcement=draft)

    announcement_withdraw(user=provincial_leader, announcement=draft, reason="公告中企业名称有误，更正后重新发布")

    draft.refresh_from_db()
    assert draft.status == AnnouncementStatus.DRAFT
    assert not published_samples().exists()
    # the batches stay in the draft, so it can be corrected and published again
    assert draft.samples.count() == 2
    (withdrawal,) = announcement_withdrawals(draft)
    assert withdrawal.pgh_context.metadata["reason"] == "公告中企业名称有误，更正后重新发布"
    assert withdrawal.pgh_context.metadata["username"] == provincial_leader.username

    announcement_publish(user=provincial_leader, announcement=draft)
    assert published_samples().count() == 2


def test_withdraw_needs_a_reason_and_a_published_announcement(draft, provincial_leader):
    with pytest.raises(DomainError, match="未发布"):
        announcement_withdraw(user=provincial_leader, announcement=draft, reason="误操作")
    announcement_publish(user=provincial_leader, announcement=draft)
    with pytest.raises(DomainError, match="撤回理由"):
        announcement_withdraw(user=provincial_leader, announcement=draft, reason=" ")
    assert published_samples().count() == 2


def test_an_inspector_and_an_outsider_cannot_withdraw(draft, provincial_leader, county_inspector, outsider):
    announcement_publish(user=provincial_leader, announcement=draft)
    for user in (county_inspector, outsider):
        with pytest.raises(PermissionDenied):
            announcement_withdraw(user=user, announcement=draft, reason="试图撤回")
    assert published_samples().count() == 2


# --- staff pages --------------------------------------------------------------------------------


def test_staff_list_shows_announcements_of_the_jurisdiction_only(login, draft, outsider, provincial_leader):
    response = login(provincial_leader).get(reverse("sampling:announcement_list"))
    assert response.status_code == 200
    assert "2026年第1期电热水壶抽查结果公告" in response.content.decode()
    assert "草稿" in response.content.decode()

    response = login(outsider).get(reverse("sampling:announcement_list"))
    assert "2026年第1期电热水壶抽查结果公告" not in response.content.decode()
    assert login(outsider).get(reverse("sampling:announcement_detail", args=[draft.pk])).status_code == 404


def test_create_page_drafts_from_a_task(login, task, judged, provincial_leader):
    passed, failed, pending = judged
    client = login(provincial_leader)
    url = reverse("sampling:announcement_create")

    form_page = client.get(url, {"task": task.pk})
    assert form_page.status_code == 200
    page = form_page.content.decode()
    assert passed.sample_no in page and failed.sample_no in page
    assert pending.sample_no not in page

    response = client.post(
        url,
        {"task": task.pk, "title": "湘市监公告2026第3号", "number": "2026-3", "summary": "", "samples": [failed.pk]},
    )
    announcement = Announcement.objects.get(title="湘市监公告2026第3号")
    assert response.status_code == 302
    assert response.url == reverse("sampling:announcement_detail", args=[announcement.pk])
    assert list(announcement.samples.all()) == [failed]


def test_detail_previews_what_the_public_will_see_and_publishes(login, draft, judged, provincial_leader):
    _passed, failed, _pending = judged
    client = login(provincial_leader)
    detail = client.get(reverse("sampling:announcement_detail", args=[draft.pk]))
    page = detail.content.decode()
    assert "预览" in page
    assert failed.enterprise.name in page and "泄漏电流" in page
    assert "发布公告" in page

    response = client.post(reverse("sampling:announcement_publish", args=[draft.pk]), follow=True)
    assert "公告已发布" in response.content.decode()
    assert published_samples().count() == 2

    response = client.post(
        reverse("sampling:announcement_withdraw", args=[draft.pk]), {"reason": "数据更正"}, follow=True
    )
    page = response.content.decode()
    assert "公告已撤回" in page and "数据更正" in page and "已撤回" in page
    assert not published_samples().exists()


def test_inspector_sees_no_publish_button_and_gets_403(login, draft, regions):
    provincial_inspector = UserFactory(username="hunan_inspector", role=Role.INSPECTOR, jurisdiction=regions["430000"])
    client = login(provincial_inspector)
    page = client.get(reverse("sampling:announcement_detail", args=[draft.pk])).content.decode()
    assert "发布公告</button>" not in page
    response = client.post(reverse("sampling:announcement_publish", args=[draft.pk]))
    assert response.status_code == 403
    assert not published_samples().exists()


def test_publish_page_shows_the_refusal(login, draft, judged, provincial_leader):
    _passed, failed, _pending = judged
    Sample.objects.filter(pk=failed.pk).update(final_verdict="")
    response = login(provincial_leader).post(reverse("sampling:announcement_publish", args=[draft.pk]), follow=True)
    page = response.content.decode()
    assert "尚无最终检验结论" in page and failed.sample_no in page
    assert not published_samples().exists()


def test_staff_pages_need_sign_in_and_a_staff_role(client, draft, city_case_handler, login):
    response = client.get(reverse("sampling:announcement_list"))
    assert response.status_code == 302
    assert login(city_case_handler).get(reverse("sampling:announcement_list")).status_code == 403


def test_a_second_default_draft_does_not_take_the_first_drafts_batches(draft, task, provincial_leader):
    with pytest.raises(DomainError, match="没有可公告的抽样单"):
        announcement_create(user=provincial_leader, task=task, title="重复的公告")
    assert draft.samples.count() == 2

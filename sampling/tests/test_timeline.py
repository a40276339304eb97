"""One timeline per sample and per task (item 12 of issue 13): the changes of the record and what belongs to it,
newest first, who and when, each field before → after in Chinese, filtered by user and date."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from core.audit import audit_context
from core.models import Role
from core.tests.factories import UserFactory
from sampling.models import Draw, Verdict
from sampling.services.corrections import sample_update
from sampling.services.results import result_enter
from sampling.tests.results_support import item_rows, make_sample

pytestmark = pytest.mark.django_db


@pytest.fixture
def sample_with_result(regions, county_inspector):
    sample = make_sample(region_code="430102")
    with audit_context(user=county_inspector, source="test"):
        result = result_enter(
            user=county_inspector,
            sample=sample,
            report_no="R-TL-1",
            institution=sample.task.institution,
            tested_on=dt.date(2026, 3, 10),
            items=item_rows(sample, [Verdict.PASS] * 3),
        )
    return sample, result


def test_a_result_confirmed_on_its_page_appears_on_the_sample_timeline_with_the_user(
    login, sample_with_result, county_inspector, provincial_leader
):
    sample, result = sample_with_result
    assert login(county_inspector).post(reverse("sampling:result_confirm", args=[result.pk])).status_code == 302

    page = login(provincial_leader).get(reverse("sampling:sample_timeline", args=[sample.pk]))

    assert page.status_code == 200
    text = page.content.decode()
    assert "检验结果 R-TL-1" in text  # the record it is about
    assert county_inspector.display_name in text
    # The confirmation as a field change, in Chinese labels: 状态 待确认 → 已确认.
    assert "状态" in text and "待确认" in text and "已确认" in text
    # Newest first: the confirmation comes before the entry of the result.
    assert text.index("已确认") < text.rindex("新建")


def test_the_timeline_is_filtered_by_user_and_date(login, sample_with_result, county_inspector, provincial_leader):
    sample, _result = sample_with_result
    with audit_context(user=provincial_leader, source="test"):
        sample_update(user=provincial_leader, sample=sample, production_batch="LEADER-EDIT")
    client = login(provincial_leader)
    url = reverse("sampling:sample_timeline", args=[sample.pk])

    everyone = client.get(url).content.decode()
    only_leader = client.get(url, {"user": provincial_leader.pk}).content.decode()
    only_inspector = client.get(url, {"user": county_inspector.pk}).content.decode()

    assert "LEADER-EDIT" in everyone and "R-TL-1" in everyone
    assert "LEADER-EDIT" in only_leader and "检验结果 R-TL-1" not in only_leader
    assert "LEADER-EDIT" not in only_inspector and "检验结果 R-TL-1" in only_inspector
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    assert "暂无变更记录" not in everyone
    assert "没有符合筛选条件的变更记录" in client.get(url, {"date_from": tomorrow}).content.decode()
    bad = client.get(url, {"date_from": "2026-13-40"})
    assert bad.status_code == 400 and "起始日期" in bad.content.decode()


def test_the_sample_page_links_one_timeline_instead_of_separate_histories(
    login, sample_with_result, provincial_leader, county_inspector
):
    sample, result = sample_with_result

    page = login(provincial_leader).get(reverse("sampling:sample_detail", args=[sample.pk])).content.decode()

    assert reverse("sampling:sample_timeline", args=[sample.pk]) in page
    assert reverse("core:history", args=["sampling", "testresult", result.pk]) not in page
    inspector_page = login(county_inspector).get(reverse("sampling:sample_detail", args=[sample.pk])).content.decode()
    assert reverse("sampling:sample_timeline", args=[sample.pk]) not in inspector_page


def test_another_jurisdiction_cannot_open_the_timeline(login, regions, sample_with_result, county_inspector):
    sample, _result = sample_with_result
    neighbour = UserFactory(username="tianxin_reviewer", role=Role.LEGAL_REVIEWER, jurisdiction=regions["430103"])

    assert login(neighbour).get(reverse("sampling:sample_timeline", args=[sample.pk])).status_code == 404
    assert login(neighbour).get(reverse("sampling:task_timeline", args=[sample.task_id])).status_code == 404
    assert login(county_inspector).get(reverse("sampling:sample_timeline", args=[sample.pk])).status_code == 403


def test_the_task_timeline_has_the_task_its_draws_and_its_samples(login, sample_with_result, provincial_leader):
    sample, _result = sample_with_result
    Draw.objects.create(task=sample.task, seed="ab" * 32, created_by=provincial_leader)

    text = login(provincial_leader).get(reverse("sampling:task_timeline", args=[sample.task_id])).content.decode()

    assert "随机抽取 第 1 次" in text and "ab" * 32 in text
    assert f"抽样单 {sample.sample_no}" in text
    assert f"抽查任务 {sample.task}" in text

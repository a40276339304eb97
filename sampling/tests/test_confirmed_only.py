"""Only a confirmed, final verdict is drafted, published, shown publicly, counted and reported (issue: an
unconfirmed 不合格 reached the public pages)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from core.errors import DomainError
from core.reports import pipeline
from core.reports.periods import Period
from core.reports.registry import get_kind
from sampling import statistics
from sampling.models import Announcement, Sample, Verdict
from sampling.selectors import published_samples
from sampling.services.publication import announcement_create, announcement_publish, publishable_samples
from sampling.services.results import result_confirm, result_enter
from sampling.tests.results_support import item_rows, make_sample

pytestmark = pytest.mark.django_db
P, F = Verdict.PASS.value, Verdict.FAIL.value


@pytest.fixture
def unconfirmed(county_inspector):
    """A batch whose 不合格 result was saved but not confirmed (still editable)."""
    sample = make_sample()
    result = result_enter(
        user=county_inspector,
        sample=sample,
        report_no="WT-U-1",
        institution=sample.task.institution,
        tested_on=dt.date(2026, 3, 10),
        items=item_rows(sample, [P, F, P]),
    )
    sample.refresh_from_db()
    return sample, result


def test_an_unconfirmed_result_leaves_the_verdict_pending(unconfirmed):
    sample, result = unconfirmed
    assert result.verdict == F and not result.is_confirmed
    assert sample.final_verdict == Verdict.PENDING


def test_it_is_not_offered_to_a_draft(unconfirmed, provincial_admin):
    sample, _result = unconfirmed
    assert not publishable_samples(sample.task).exists()
    with pytest.raises(DomainError, match="没有可公告的抽样单"):
        announcement_create(user=provincial_admin, task=sample.task, title="公告")
    with pytest.raises(DomainError, match=sample.sample_no):
        announcement_create(user=provincial_admin, task=sample.task, title="公告", samples=[sample])


def test_it_cannot_be_published_nor_shown(unconfirmed, provincial_admin, client):
    sample, _result = unconfirmed
    # an announcement that carries it anyway (an old draft) cannot be published
    announcement = Announcement.objects.create(task=sample.task, title="旧草稿", region_id=sample.task.region_id)
    Sample.objects.filter(pk=sample.pk).update(announcement=announcement)
    with pytest.raises(DomainError, match=sample.sample_no):
        announcement_publish(user=provincial_admin, announcement=announcement)
    # and even a row marked published without a final verdict is not public
    Sample.objects.filter(pk=sample.pk).update(is_published=True)
    Announcement.objects.filter(pk=announcement.pk).update(status="published", published_at=dt.datetime.now(dt.UTC))
    assert not published_samples().exists()
    assert client.get(reverse("public:result_detail", args=[sample.pk])).status_code == 404
    assert client.get(f"/api/v1/public/results/{sample.pk}/").status_code == 404


def test_it_is_not_counted_or_reported_until_confirmed(unconfirmed, county_inspector, regions):
    sample, result = unconfirmed
    assert statistics.pass_rate_total(year=2026, region_prefix="43")["batches"] == 0
    snapshot = pipeline.build_snapshot(get_kind("pass_rate"), Period.parse("2026"), regions["430000"])
    assert snapshot["totals"]["batches"] == 0
    # once confirmed, it is counted and reported
    result_confirm(user=county_inspector, result=result)
    totals = statistics.pass_rate_total(year=2026, region_prefix="43")
    assert (totals["batches"], totals["passed"]) == (1, 0)
    snapshot = pipeline.build_snapshot(get_kind("pass_rate"), Period.parse("2026"), regions["430000"])
    assert (snapshot["totals"]["batches"], snapshot["totals"]["failed"]) == (1, 1)


def test_a_confirmed_result_is_drafted_and_published_with_its_institution(
    unconfirmed, county_inspector, provincial_leader, client
):
    sample, result = unconfirmed
    result_confirm(user=county_inspector, result=result)
    announcement = announcement_create(user=provincial_leader, task=sample.task, title="公告")
    announcement_publish(user=provincial_leader, announcement=announcement)
    html = client.get(reverse("public:result_detail", args=[sample.pk])).content.decode()
    assert "不合格" in html and sample.task.institution.name in html and "输入功率和电流" in html

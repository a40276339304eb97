"""Counts stored on an announcement when it is published (the public lists read them instead of counting)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sampling.models import Announcement, TestResult, Verdict
from sampling.selectors import live_announcement_counts
from sampling.services.publication import announcement_create, announcement_publish, announcement_withdraw
from sampling.services.verdicts import results_confirmed_after
from sampling.tests.publication_data import make_sample, make_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(regions, provincial_leader):
    task = make_task()
    samples = [make_sample(task) for _ in range(3)]
    samples.append(make_sample(task, verdict=Verdict.FAIL, failed_items=("发热",)))
    announcement = announcement_create(user=provincial_leader, task=task, title="计数公告")
    announcement_publish(user=provincial_leader, announcement=announcement)
    return announcement, samples


def _stored(announcement) -> tuple[int, int]:
    announcement = Announcement.objects.get(pk=announcement.pk)
    return announcement.batch_count, announcement.failed_count


def test_counts_stored_at_publication_equal_the_live_counts(published):
    announcement, _ = published
    assert _stored(announcement) == live_announcement_counts([announcement.pk])[announcement.pk] == (4, 1)


def test_public_list_shows_the_stored_counts_without_counting_batches(client, published):
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("public:announcement_list")).content.decode()
    assert "计数公告" in html
    assert '<span class="badge fail">1</span>' in html
    assert not [q["sql"] for q in queries.captured_queries if "sampling_sample" in q["sql"]]


def test_a_changed_verdict_of_a_published_batch_updates_the_counts(published, provincial_leader):
    announcement, samples = published
    result = TestResult.objects.get(sample=samples[0])
    TestResult.objects.filter(pk=result.pk).update(verdict=Verdict.FAIL, failed_items=["标志"])
    results_confirmed_after(user=provincial_leader, sample_ids=[samples[0].pk])
    assert _stored(announcement) == live_announcement_counts([announcement.pk])[announcement.pk] == (4, 2)


def test_withdrawal_clears_the_counts_and_publishing_again_restores_them(published, provincial_leader):
    announcement, _ = published
    announcement_withdraw(user=provincial_leader, announcement=announcement, reason="更正公告编号")
    assert _stored(announcement) == (0, 0)
    announcement_publish(user=provincial_leader, announcement=Announcement.objects.get(pk=announcement.pk))
    assert _stored(announcement) == (4, 1)

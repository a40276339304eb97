"""The change history of sampling records: linked from their pages, and scoped like the records."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from core.models import Role
from core.tests.factories import UserFactory
from sampling.models import Verdict
from sampling.services.results import result_enter
from sampling.tests.results_support import item_rows, make_sample

pytestmark = pytest.mark.django_db


@pytest.fixture
def entered(regions, county_inspector):
    """A 芙蓉区 sample whose result was entered once and then corrected before confirmation."""
    sample = make_sample(region_code="430102")
    institution = sample.task.institution
    fields = {"user": county_inspector, "sample": sample, "institution": institution, "tested_on": dt.date(2026, 5, 2)}
    n = sample.product_type.test_items.count()
    result_enter(report_no="R-1", items=item_rows(sample, [Verdict.PASS] * n), **fields)
    result = result_enter(report_no="R-1", items=item_rows(sample, [Verdict.FAIL] + [Verdict.PASS] * (n - 1)), **fields)
    return sample, result


def _history_url(obj) -> str:
    return reverse("core:history", args=[obj._meta.app_label, obj._meta.model_name, obj.pk])


def test_a_leader_of_the_jurisdiction_finds_the_history_from_the_sample_page(login, provincial_leader, entered):
    sample, result = entered

    page = login(provincial_leader).get(reverse("sampling:sample_detail", args=[sample.pk])).content.decode()
    # One timeline for the sample and its results (sampling/timeline.py) instead of a link per record.
    assert reverse("sampling:sample_timeline", args=[sample.pk]) in page
    assert _history_url(result) not in page

    history = login(provincial_leader).get(_history_url(result))
    assert history.status_code == 200
    assert "不合格" in history.content.decode()  # the verdict before and after the correction


def test_an_inspector_sees_no_history_link(login, county_inspector, entered):
    sample, result = entered

    page = login(county_inspector).get(reverse("sampling:sample_detail", args=[sample.pk])).content.decode()

    assert _history_url(sample) not in page and _history_url(result) not in page
    assert reverse("sampling:sample_timeline", args=[sample.pk]) not in page


def test_the_history_of_a_result_in_another_county_is_refused(login, regions, entered):
    """A result has no region of its own: it takes its sample's, so a neighbouring county cannot read it."""
    _sample, result = entered
    neighbour = UserFactory(username="tianxin_reviewer", role=Role.LEGAL_REVIEWER, jurisdiction=regions["430103"])

    assert login(neighbour).get(_history_url(result)).status_code == 404
    for item in result.items.all():
        assert login(neighbour).get(_history_url(item)).status_code == 404

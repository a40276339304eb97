"""Staff sample and task lists: only what the user can open, an empty list that explains itself, and the
capped total ("约 N 条") that keeps a national user's list from counting millions of batches."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core import pagination
from sampling.models import Sample
from sampling.tests.tasks_data import make_enterprise, make_sample, make_task

pytestmark = pytest.mark.django_db


def test_a_county_inspector_lists_only_samples_he_can_open(login, county_inspector):
    provincial = make_task(region_code="430000", year=2026)
    city = make_task(region_code="430100", year=2026)
    in_county = [
        make_sample(provincial, make_enterprise("430102", name="芙蓉甲厂")),
        make_sample(city, make_enterprise("430102", name="芙蓉乙厂")),
    ]
    elsewhere = make_sample(provincial, make_enterprise("430103", name="天心丙厂"))
    client = login(county_inspector)

    listed = list(client.get(reverse("sampling:sample_list")).context["page"].object_list)

    assert {s.pk for s in listed} == {s.pk for s in in_county}
    for sample in listed:
        assert client.get(reverse("sampling:sample_detail", args=[sample.pk])).status_code == 200
    assert client.get(reverse("sampling:sample_detail", args=[elsewhere.pk])).status_code == 404


def test_an_empty_list_says_why(login, county_inspector):
    make_sample(make_task(region_code="430000"), make_enterprise("430103"))
    client = login(county_inspector)

    page = client.get(reverse("sampling:sample_list")).content.decode()
    assert "芙蓉区及下辖地区还没有抽样单" in page
    filtered = client.get(reverse("sampling:sample_list"), {"verdict": "fail"}).content.decode()
    assert "没有符合条件的抽样单。" in filtered


def test_a_total_above_the_cap_is_shown_as_an_estimate(login, city_inspector, monkeypatch):
    task = make_task(region_code="430100")
    for code in ("430102", "430103", "430102"):
        make_sample(task, make_enterprise(code))
    client = login(city_inspector)

    exact = client.get(reverse("sampling:sample_list")).content.decode()
    assert "共 3 条" in exact

    monkeypatch.setattr(pagination, "COUNTED_UP_TO", 2)
    response = client.get(reverse("sampling:sample_list"))
    assert response.context["page"].paginator.count_is_estimate
    assert "约 " in response.content.decode()
    assert len(response.context["page"].object_list) == 3


def test_the_task_list_counts_progress_of_the_page(login, city_inspector):
    task = make_task(region_code="430100")
    make_sample(task, make_enterprise("430102"), final_verdict="fail")
    make_sample(task, make_enterprise("430103"))
    client = login(city_inspector)

    row = next(t for t in client.get(reverse("sampling:task_list")).context["page"].object_list if t.pk == task.pk)

    assert (row.sampled_count, row.failed_count) == (2, 1)
    assert row.sampled_count == Sample.objects.filter(task=task).count()

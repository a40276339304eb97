"""Tasks: creation rules (level fits the jurisdiction), the scoped list with progress, the detail page."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.errors import DomainError, PermissionDenied
from core.tests.factories import ProductTypeFactory
from sampling.models import SamplingTask, TaskLevel, TaskStatus
from sampling.services.tasks import task_create
from sampling.tests.tasks_data import make_enterprise, make_sample, make_task

pytestmark = pytest.mark.django_db


def _create(user, **overrides):
    values = {
        "user": user,
        "code": "FR-2026-01",
        "name": "2026年芙蓉区电热水壶监督抽查",
        "level": TaskLevel.COUNTY,
        "year": 2026,
        "batch": "第一批",
        "product_types": [ProductTypeFactory()],
        "target_batches": 20,
        "institution": None,
        "budget": Decimal("12000.50"),
        "deadline": None,
    }
    values.update(overrides)
    return task_create(**values)


def test_a_county_inspector_creates_a_county_task_of_their_own_region(county_inspector):
    task = _create(county_inspector)

    assert task.region_id == "430102"
    assert task.level == TaskLevel.COUNTY
    assert task.status == TaskStatus.PLANNED
    assert task.budget == Decimal("12000.50")
    assert task.created_by == county_inspector
    assert task.product_types.count() == 1


def test_a_county_inspector_cannot_create_a_national_task(county_inspector):
    with pytest.raises(DomainError, match="抽查级别.*只能制定县级抽查任务"):
        _create(county_inspector, level=TaskLevel.NATIONAL)
    assert not SamplingTask.objects.exists()


def test_a_provincial_leader_creates_a_provincial_task_but_not_a_county_one(provincial_leader):
    assert _create(provincial_leader, level=TaskLevel.PROVINCE).region_id == "430000"
    with pytest.raises(DomainError, match="抽查级别"):
        _create(provincial_leader, code="HN-2", level=TaskLevel.COUNTY)


def test_a_task_code_is_used_once(county_inspector):
    _create(county_inspector)
    with pytest.raises(DomainError, match="任务编号：“FR-2026-01”已被使用"):
        _create(county_inspector)


def test_a_case_handler_cannot_plan_tasks(city_case_handler):
    with pytest.raises(PermissionDenied):
        _create(city_case_handler, level=TaskLevel.CITY)


def test_a_task_needs_a_product(county_inspector):
    with pytest.raises(DomainError, match="抽查产品"):
        _create(county_inspector, product_types=[])


def test_the_create_page_creates_a_task_and_shows_level_errors_in_chinese(login, county_inspector):
    product = ProductTypeFactory()
    client = login(county_inspector)
    data = {
        "code": "FR-9",
        "name": "芙蓉区抽查",
        "level": "national",
        "year": 2026,
        "product_types": [product.pk],
        "target_batches": 5,
    }

    refused = client.post(reverse("sampling:task_create"), data)
    assert refused.status_code == 200
    assert "只能制定县级抽查任务" in refused.content.decode()

    data["level"] = "county"
    created = client.post(reverse("sampling:task_create"), data)
    task = SamplingTask.objects.get(code="FR-9")
    assert created.status_code == 302
    assert created["Location"] == reverse("sampling:task_detail", args=[task.pk])


def _task_with_samples(region_code, verdicts, published=0):
    task = make_task(region_code=region_code)
    for i, verdict in enumerate(verdicts):
        make_sample(task, make_enterprise(region_code), final_verdict=verdict, is_published=i < published)
    return task


def test_the_list_shows_progress_per_task_in_a_constant_number_of_queries(login, city_inspector):
    client = login(city_inspector)
    first = _task_with_samples("430102", ["pass", "fail", ""], published=2)
    url = reverse("sampling:task_list")
    with CaptureQueriesContext(connection) as one_task:
        response = client.get(url)
    rows = response.context["page"].object_list
    assert [(t.sampled_count, t.tested_count, t.failed_count, t.published_count) for t in rows] == [(3, 2, 1, 2)]
    assert first.code in response.content.decode()

    _task_with_samples("430103", ["fail", "fail"])
    _task_with_samples("430100", ["pass"])
    with CaptureQueriesContext(connection) as three_tasks:
        response = client.get(url)
    assert len(response.context["page"].object_list) == 3
    assert len(three_tasks) == len(one_task)


def test_the_list_is_scoped_and_filtered(login, county_inspector):
    own = make_task(region_code="430102", year=2026)
    old = make_task(region_code="430102", year=2025)
    neighbours = make_task(region_code="430103")
    client = login(county_inspector)

    page = client.get(reverse("sampling:task_list")).content.decode()
    assert own.code in page and old.code in page
    assert neighbours.code not in page

    filtered = client.get(reverse("sampling:task_list"), {"year": 2025}).content.decode()
    assert old.code in filtered and own.code not in filtered


def test_the_detail_page_shows_progress_and_refuses_another_county(login, county_inspector):
    own = _task_with_samples("430102", ["fail"])
    neighbours = make_task(region_code="430103")
    client = login(county_inspector)

    response = client.get(reverse("sampling:task_detail", args=[own.pk]))
    assert response.status_code == 200
    assert response.context["task"].failed_count == 1
    assert "随机抽取" in response.content.decode()
    assert client.get(reverse("sampling:task_detail", args=[neighbours.pk])).status_code == 404

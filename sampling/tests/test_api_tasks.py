"""API of tasks, the draw and samples: scoped by jurisdiction, writes through the services."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from core.tests.factories import ProductTypeFactory
from sampling.models import Draw, Sample, SamplingTask
from sampling.tests.tasks_data import make_enterprise, make_inspectors, make_sample, make_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    def _api(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return _api


def test_tasks_are_listed_with_progress_and_scoped(api, county_inspector):
    own = make_task(region_code="430102", year=2026)
    make_sample(own, make_enterprise("430102"), final_verdict="fail", is_published=True)
    make_task(region_code="430103")

    response = api(county_inspector).get("/api/v1/tasks/", {"year": 2026})
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [r["code"] for r in rows] == [own.code]
    assert (rows[0]["sampled_count"], rows[0]["failed_count"], rows[0]["published_count"]) == (1, 1, 1)


def test_another_countys_task_is_not_found(api, regions, county_inspector):
    neighbours = make_task(region_code="430103")
    client = api(county_inspector)
    assert client.get(f"/api/v1/tasks/{neighbours.pk}/").status_code == 404
    assert client.post(f"/api/v1/tasks/{neighbours.pk}/draw/", {"count": 1}, format="json").status_code == 404
    assert client.post(f"/api/v1/tasks/{neighbours.pk}/verify/", {}, format="json").status_code == 404


def test_a_task_is_created_through_the_service(api, county_inspector):
    product = ProductTypeFactory()
    data = {
        "code": "API-1",
        "name": "接口任务",
        "level": "county",
        "year": 2026,
        "product_types": [product.pk],
        "target_batches": 5,
    }

    created = api(county_inspector).post("/api/v1/tasks/", data, format="json")
    assert created.status_code == 201, created.content.decode()
    assert created.json()["region"] == "430102"

    data.update(code="API-2", level="national")
    refused = api(county_inspector).post("/api/v1/tasks/", data, format="json")
    assert refused.status_code == 400
    assert "只能制定县级抽查任务" in refused.json()["detail"]
    assert not SamplingTask.objects.filter(code="API-2").exists()


def test_draw_and_verify_actions(api, regions, city_inspector):
    task = make_task(region_code="430100")
    for cls in "ABCD":
        make_enterprise("430102", cls).product_lines.set(task.product_types.all())
    make_inspectors(3, "430103")
    client = api(city_inspector)

    drawn = client.post(f"/api/v1/tasks/{task.pk}/draw/", {"count": 2}, format="json")
    assert drawn.status_code == 201
    body = drawn.json()
    assert len(body["seed"]) == 32 and len(body["pool_sha256"]) == 64 and len(body["selected"]) == 2
    assert len(body["candidates"]) == 4
    assert Draw.objects.get().selected == body["selected"]

    verified = client.post(f"/api/v1/tasks/{task.pk}/verify/", {}, format="json")
    assert verified.status_code == 200
    assert verified.json()["reproduced"] is True
    assert verified.json()["selected"] == body["selected"]

    listed = client.get(f"/api/v1/tasks/{task.pk}/draws/")
    assert [d["id"] for d in listed.json()] == [body["id"]]


def test_samples_are_registered_listed_filtered_and_scoped(api, regions, county_inspector, neighbour_inspector):
    task = make_task(region_code="430100")
    enterprise = make_enterprise("430102")
    partner = make_inspectors(1, "430102")[0]
    client = api(county_inspector)
    data = {
        "task": task.pk,
        "sample_no": "API-S-1",
        "enterprise": enterprise.pk,
        "product_type": task.product_types.first().pk,
        "stage": "ecommerce",
        "sampled_on": "2026-05-12",
        "base_price": "88.50",
        "inspectors": [county_inspector.pk, partner.pk],
    }

    created = client.post("/api/v1/samples/", data, format="json")
    assert created.status_code == 201
    assert created.json()["region"] == "430102" and created.json()["zone"] == "central"

    duplicate = client.post("/api/v1/samples/", data, format="json")
    assert duplicate.status_code == 400
    assert "抽样单编号" in duplicate.json()["detail"]

    other_task = make_task(region_code="430102")
    make_sample(other_task, enterprise)
    listed = client.get("/api/v1/samples/", {"task": task.pk, "stage": "ecommerce"}).json()["results"]
    assert [r["sample_no"] for r in listed] == ["API-S-1"]
    pending = client.get("/api/v1/samples/", {"final_verdict": "pending"}).json()["results"]
    assert len(pending) == 2

    sample = Sample.objects.get(sample_no="API-S-1")
    assert api(neighbour_inspector).get(f"/api/v1/samples/{sample.pk}/").status_code == 404
    assert api(neighbour_inspector).get("/api/v1/samples/").json()["results"] == []


def test_a_sample_for_an_enterprise_outside_the_jurisdiction_is_refused(api, regions, neighbour_inspector):
    task = make_task(region_code="430100")
    enterprise = make_enterprise("430102")
    data = {
        "task": task.pk,
        "sample_no": "X",
        "enterprise": enterprise.pk,
        "product_type": task.product_types.first().pk,
        "stage": "production",
        "sampled_on": "2026-05-12",
        "inspectors": [u.pk for u in make_inspectors(2, "430103")],
    }
    response = api(neighbour_inspector).post("/api/v1/samples/", data, format="json")
    assert response.status_code == 400
    assert "enterprise" in response.json()

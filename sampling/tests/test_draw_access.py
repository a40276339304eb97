"""A city draw may send a county inspector to an enterprise of another county: he can open the task and
register the sample he was drawn for, and only that one."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from core.errors import PermissionDenied
from sampling.models import Sample
from sampling.selectors import tasks_visible_to
from sampling.services.draw import draw_enterprises, redraw_approve, redraw_request
from sampling.services.samples import sample_register
from sampling.tests.draw_data import leader, producer
from sampling.tests.tasks_data import make_inspectors, make_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def city_draw(regions, county_inspector, city_inspector):
    """长沙市 draws one enterprise of 天心区; the only credentialed inspectors are two of 芙蓉区."""
    county_inspector.enforcement_credential = "43010200001"
    county_inspector.save(update_fields=["enforcement_credential"])
    partner = make_inspectors(1, "430102", prefix="partner")[0]
    task = make_task(region_code="430100")
    enterprise = producer(task, "430103", name="天心恒泰电器有限公司")
    draw = draw_enterprises(task=task, user=city_inspector, count=1)
    assert set(draw.assignments[str(enterprise.pk)]) == {county_inspector.pk, partner.pk}
    return task, enterprise, partner, draw


def _form(task, enterprise, inspectors, no="CS-2026-0001"):
    return {
        "task": task.pk,
        "sample_no": no,
        "enterprise_uscc": enterprise.uscc,
        "product_type": task.product_types.first().pk,
        "stage": "production",
        "sampled_on": "2026-05-12",
        "inspectors": [u.pk for u in inspectors],
    }


def test_the_drawn_county_inspector_opens_the_task_and_its_draw(login, city_draw, county_inspector):
    task, enterprise, _partner, draw = city_draw
    client = login(county_inspector)

    assert task in tasks_visible_to(county_inspector)
    assert task.code in client.get(reverse("sampling:task_list")).content.decode()
    detail = client.get(reverse("sampling:task_detail", args=[task.pk])).content.decode()
    assert "本次抽取分配给您的企业" in detail and enterprise.name in detail
    page = client.get(reverse("sampling:draw_detail", args=[draw.pk])).content.decode()
    assert enterprise.name in page


def test_the_drawn_county_inspector_registers_his_sample_in_the_browser(login, city_draw, county_inspector):
    task, enterprise, partner, _draw = city_draw
    client = login(county_inspector)

    prefilled = client.get(
        reverse("sampling:sample_create")
        + f"?task={task.pk}&enterprise={enterprise.pk}&inspectors={county_inspector.pk}&inspectors={partner.pk}"
    ).content.decode()
    assert enterprise.uscc in prefilled

    response = client.post(reverse("sampling:sample_create"), _form(task, enterprise, [county_inspector, partner]))
    sample = Sample.objects.get()
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert sample.enterprise == enterprise and sample.region_id == "430103"
    assert set(sample.inspectors.values_list("pk", flat=True)) == {county_inspector.pk, partner.pk}
    assert client.get(response["Location"]).status_code == 200  # he sees the sample he signed


def test_the_drawn_county_inspector_registers_his_sample_through_the_api(city_draw, county_inspector):
    task, enterprise, partner, _draw = city_draw
    api = APIClient()
    api.force_authenticate(county_inspector)
    data = _form(task, enterprise, [county_inspector, partner])
    data["enterprise"] = enterprise.pk
    del data["enterprise_uscc"]

    response = api.post("/api/v1/samples/", data, format="json")

    assert response.status_code == 201, response.json()
    assert Sample.objects.get().enterprise == enterprise


def test_an_inspector_who_was_not_drawn_gets_neither_task_nor_enterprise(login, city_draw, county_inspector):
    task, enterprise, partner, _draw = city_draw
    other = make_inspectors(1, "430102", prefix="other")[0]

    assert task not in tasks_visible_to(other)
    client = login(other)
    assert client.get(reverse("sampling:task_detail", args=[task.pk])).status_code == 404
    with pytest.raises(PermissionDenied, match="不在您的管辖范围内"):
        sample_register(
            user=other,
            task=task,
            sample_no="X-1",
            enterprise=enterprise,
            product_type=task.product_types.first(),
            stage="production",
            sampled_on=task.created_at.date(),
            inspectors=[other, partner],
        )
    response = client.post(reverse("sampling:sample_create"), _form(task, enterprise, [other, partner]))
    assert response.status_code == 200 and not Sample.objects.exists()


def test_the_drawn_inspector_may_sample_only_the_enterprise_he_was_drawn_for(regions, city_draw, county_inspector):
    task, _enterprise, partner, _draw = city_draw
    elsewhere = producer(task, "430103", name="天心嘉信电器有限公司")  # not drawn
    with pytest.raises(PermissionDenied):
        sample_register(
            user=county_inspector,
            task=task,
            sample_no="X-2",
            enterprise=elsewhere,
            product_type=task.product_types.first(),
            stage="production",
            sampled_on=task.created_at.date(),
            inspectors=[county_inspector, partner],
        )


def test_a_redraw_that_does_not_assign_him_takes_the_task_away(regions, city_draw, county_inspector, city_inspector):
    task, _enterprise, partner, _draw = city_draw
    # He hands in his credential; the re-draw's roster is two inspectors of 天心区.
    county_inspector.enforcement_credential = ""
    county_inspector.save(update_fields=["enforcement_credential"])
    partner.enforcement_credential = ""
    partner.save(update_fields=["enforcement_credential"])
    make_inspectors(2, "430103", prefix="tx")
    request = redraw_request(user=city_inspector, task=task, reason="原抽中人员执法证到期")
    redraw_approve(user=leader("430100"), request=request)

    draw_enterprises(task=task, user=city_inspector, count=1)

    assert task not in tasks_visible_to(county_inspector)

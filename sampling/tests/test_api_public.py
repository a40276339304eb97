"""Public read-only API (/api/v1/public/...) and the staff announcements API."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from sampling.models import Announcement, AnnouncementStatus, Verdict
from sampling.selectors import published_samples
from sampling.services.publication import announcement_create, announcement_publish, announcement_withdraw
from sampling.tests.publication_data import make_sample, make_task, product

pytestmark = pytest.mark.django_db

RESULTS = "/api/v1/public/results/"
ANNOUNCEMENTS = "/api/v1/public/announcements/"
STAFF = "/api/v1/sampling/announcements/"


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def world(regions, provincial_leader):
    task = make_task(name="2026年电器产品省级监督抽查")
    kettle = make_sample(
        task,
        verdict=Verdict.PASS,
        enterprise_name="长沙美好电器有限公司",
        region_code="430102",
        product_type=product("电热水壶"),
        sampled_on=dt.date(2026, 5, 10),
    )
    heater = make_sample(
        task,
        verdict=Verdict.FAIL,
        failed_items=("泄漏电流",),
        enterprise_name="株洲温暖取暖器厂",
        region_code="430202",
        product_type=product("电暖器"),
        sampled_on=dt.date(2026, 5, 12),
    )
    published = announcement_create(user=provincial_leader, task=task, title="2026年第1期电器产品抽查结果公告")
    announcement_publish(user=provincial_leader, announcement=published)

    draft_task = make_task(name="纺织品抽查")
    draft_sample = make_sample(draft_task, verdict=Verdict.FAIL, enterprise_name="芙蓉秘密草稿纺织有限公司")
    draft = announcement_create(user=provincial_leader, task=draft_task, title="尚未发布的纺织品公告")
    hidden_sample = make_sample(make_task(), verdict=Verdict.FAIL, enterprise_name="从未公告的隐秘企业")
    return {
        "published": published,
        "kettle": kettle,
        "heater": heater,
        "draft": draft,
        "draft_sample": draft_sample,
        "hidden_sample": hidden_sample,
    }


def _names(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["enterprise"] for row in response.json()["results"]}


# --- public, no sign-in -------------------------------------------------------------------------


def test_public_results_list_published_batches_only_without_sign_in(api, world):
    response = api.get(RESULTS)
    assert _names(response) == {"长沙美好电器有限公司", "株洲温暖取暖器厂"}
    rows = response.json()["results"]
    # newest first, cursor-paginated
    assert [r["enterprise"] for r in rows] == ["株洲温暖取暖器厂", "长沙美好电器有限公司"]
    assert "next" in response.json() and "count" not in response.json()
    heater = rows[0]
    assert heater["product_type"] == "电暖器"
    assert heater["region"] == "湖南省株洲市荷塘区"
    assert heater["failed_items"] == ["泄漏电流"]
    assert heater["institution"] == "湖南省产品质量检验研究院"
    assert heater["result"] == "fail" and heater["verdict"] == "不合格"
    assert heater["model_spec"] == "SWF-17E" and heater["production_batch"] == "2026-03-01"


def test_public_details_of_unpublished_batches_and_drafts_are_404(api, world):
    assert api.get(f"{RESULTS}{world['heater'].pk}/").status_code == 200
    assert api.get(f"{RESULTS}{world['draft_sample'].pk}/").status_code == 404
    assert api.get(f"{RESULTS}{world['hidden_sample'].pk}/").status_code == 404
    detail = api.get(f"{ANNOUNCEMENTS}{world['published'].pk}/")
    assert detail.status_code == 200
    assert (detail.json()["batch_count"], detail.json()["failed_count"]) == (2, 1)
    assert api.get(f"{ANNOUNCEMENTS}{world['draft'].pk}/").status_code == 404


def test_public_announcements_list_published_only(api, world):
    response = api.get(ANNOUNCEMENTS)
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [r["title"] for r in rows] == ["2026年第1期电器产品抽查结果公告"]
    assert rows[0]["batch_count"] == 2 and rows[0]["failed_count"] == 1
    assert _names(api.get(rows[0]["results_url"])) == {"长沙美好电器有限公司", "株洲温暖取暖器厂"}


def test_publish_and_withdraw_show_and_hide_in_the_api(api, world, provincial_leader):
    announcement_publish(user=provincial_leader, announcement=world["draft"])
    assert "芙蓉秘密草稿纺织有限公司" in _names(api.get(RESULTS))
    announcement_withdraw(user=provincial_leader, announcement=world["draft"], reason="更正")
    assert "芙蓉秘密草稿纺织有限公司" not in _names(api.get(RESULTS))
    assert api.get(f"{RESULTS}{world['draft_sample'].pk}/").status_code == 404


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"enterprise": "美好"}, {"长沙美好电器有限公司"}),
        ({"enterprise": "秘密"}, set()),
        ({"product": "暖器"}, {"株洲温暖取暖器厂"}),
        ({"region": "4301"}, {"长沙美好电器有限公司"}),
        ({"region": "430202"}, {"株洲温暖取暖器厂"}),
        ({"region": "430000"}, {"长沙美好电器有限公司", "株洲温暖取暖器厂"}),
        ({"province": "440000"}, set()),
        ({"city": "430200"}, {"株洲温暖取暖器厂"}),
        ({"result": "pass"}, {"长沙美好电器有限公司"}),
        ({"result": "fail"}, {"株洲温暖取暖器厂"}),
        ({"year": "2025"}, set()),
        ({"year": "2026", "result": "fail"}, {"株洲温暖取暖器厂"}),
    ],
)
def test_public_result_filters(api, world, params, expected):
    assert _names(api.get(RESULTS, params)) == expected


def test_public_result_filter_by_product_type_and_bad_values(api, world):
    assert _names(api.get(RESULTS, {"product_type": world["kettle"].product_type_id})) == {"长沙美好电器有限公司"}
    assert api.get(RESULTS, {"result": "maybe"}).status_code == 400
    assert api.get(RESULTS, {"announcement": world["draft"].pk}).status_code == 400


def test_public_endpoints_are_read_only(api, world):
    assert api.post(RESULTS, {}).status_code in (401, 403, 405)
    assert api.delete(f"{ANNOUNCEMENTS}{world['published'].pk}/").status_code in (401, 403, 405)
    assert Announcement.objects.filter(pk=world["published"].pk).exists()


def test_publication_endpoints_are_in_the_openapi_schema():
    # Built from this module's router alone, so the check does not depend on the other API modules.
    from django.urls import include, path
    from drf_spectacular.generators import SchemaGenerator
    from rest_framework.routers import DefaultRouter

    from sampling.api_views import publication

    router = DefaultRouter()
    publication.register(router)
    schema = SchemaGenerator(patterns=[path("api/v1/", include(router.urls))]).get_schema(request=None, public=True)

    paths = schema["paths"]
    for path_ in ("/api/v1/public/results/", "/api/v1/public/announcements/", "/api/v1/sampling/announcements/"):
        assert path_ in paths
    public_params = {p["name"] for p in paths["/api/v1/public/results/"]["get"]["parameters"]}
    assert {"enterprise", "product", "product_type", "region", "result", "year", "cursor"} <= public_params
    assert "/api/v1/sampling/announcements/{id}/publish/" in paths


def test_public_results_query_count_is_fixed(api, world, django_assert_max_num_queries, provincial_leader):
    task = make_task()
    for n in range(10):
        make_sample(task, enterprise_name=f"批量企业{n}")
    announcement_publish(
        user=provincial_leader,
        announcement=announcement_create(user=provincial_leader, task=task, title="批量公告"),
    )
    with django_assert_max_num_queries(3):
        assert len(_names(api.get(RESULTS))) == 12


# --- staff API ----------------------------------------------------------------------------------


def test_staff_creates_and_publishes_through_the_api(api, regions, provincial_leader):
    task = make_task()
    make_sample(task, verdict=Verdict.PASS)
    api.force_authenticate(provincial_leader)

    created = api.post(STAFF, {"task": task.pk, "title": "接口起草的公告", "number": "2026-9"}, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["status"] == AnnouncementStatus.DRAFT and created.json()["batch_count"] == 1

    published = api.post(f"{STAFF}{created.json()['id']}/publish/")
    assert published.status_code == 200
    assert published.json()["status"] == AnnouncementStatus.PUBLISHED
    assert published_samples().count() == 1

    withdrawn = api.post(f"{STAFF}{created.json()['id']}/withdraw/", {"reason": "更正公告编号"}, format="json")
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == AnnouncementStatus.DRAFT
    assert not published_samples().exists()


def test_staff_api_refuses_inspectors_outsiders_and_the_public(api, world, county_inspector, outsider, regions):
    from core.models import Role
    from core.tests.factories import UserFactory

    draft = world["draft"]
    assert api.get(STAFF).status_code in (401, 403)

    inspector = UserFactory(username="hunan_inspector", role=Role.INSPECTOR, jurisdiction=regions["430000"])
    api.force_authenticate(inspector)
    response = api.post(f"{STAFF}{draft.pk}/publish/")
    assert response.status_code == 403
    assert "负责人或系统管理员" in response.json()["detail"]

    api.force_authenticate(outsider)
    assert draft.pk not in {row["id"] for row in api.get(STAFF).json()["results"]}
    assert api.post(f"{STAFF}{draft.pk}/publish/").status_code == 404
    assert not published_samples().filter(announcement=draft).exists()


def test_staff_api_reports_unjudged_samples_by_number(api, regions, provincial_leader):
    task = make_task()
    judged = make_sample(task, verdict=Verdict.PASS)
    pending = make_sample(task, verdict="")
    api.force_authenticate(provincial_leader)
    response = api.post(
        STAFF, {"task": task.pk, "title": "含未检批次", "samples": [judged.pk, pending.pk]}, format="json"
    )

    assert response.status_code == 400
    assert pending.sample_no in response.json()["detail"]

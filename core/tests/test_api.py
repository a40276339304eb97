"""The core API under /api/v1/: reference data, enterprises scoped by jurisdiction, the schema and docs."""

import pytest

from core.models import Enterprise, RegionLevel
from core.tests.factories import (
    EnterpriseFactory,
    InstitutionFactory,
    ProductTypeFactory,
    TestItemFactory,
    make_uscc,
)


@pytest.fixture
def two_counties(regions):
    return (
        EnterpriseFactory(name="芙蓉电器有限公司", region=regions["430102"]),
        EnterpriseFactory(name="天心食品有限公司", region=regions["430103"]),
    )


def _names(response) -> set[str]:
    return {row["name"] for row in response.json()["results"]}


def test_anonymous_is_refused(client, db):
    assert client.get("/api/v1/enterprises/").status_code in (401, 403)


def test_regions_are_national_data_filtered_by_level_and_parent(login, county_inspector):
    client = login(county_inspector)
    provinces = client.get("/api/v1/regions/", {"level": RegionLevel.PROVINCE}).json()["results"]
    assert {r["name"] for r in provinces} == {"湖南省", "广东省", "四川省"}
    children = client.get("/api/v1/regions/", {"parent": "430100"}).json()["results"]
    assert {r["code"] for r in children} == {"430102", "430103"}


def test_county_inspector_lists_only_own_county(login, county_inspector, two_counties):
    response = login(county_inspector).get("/api/v1/enterprises/")
    assert response.status_code == 200
    assert _names(response) == {"芙蓉电器有限公司"}


def test_provincial_leader_lists_both_and_outsider_none(login, provincial_leader, outsider, two_counties):
    assert _names(login(provincial_leader).get("/api/v1/enterprises/")) == {"芙蓉电器有限公司", "天心食品有限公司"}
    assert _names(login(outsider).get("/api/v1/enterprises/")) == set()


def test_enterprise_filters_and_search(login, provincial_leader, regions, two_counties):
    EnterpriseFactory(name="株洲大型机械厂", region=regions["430202"], size="large", credit_class="C")
    client = login(provincial_leader)
    assert _names(client.get("/api/v1/enterprises/", {"region": "4301"})) == {"芙蓉电器有限公司", "天心食品有限公司"}
    assert _names(client.get("/api/v1/enterprises/", {"size": "large"})) == {"株洲大型机械厂"}
    assert _names(client.get("/api/v1/enterprises/", {"credit_class": "C"})) == {"株洲大型机械厂"}
    assert _names(client.get("/api/v1/enterprises/", {"search": "食品"})) == {"天心食品有限公司"}
    uscc = two_counties[0].uscc
    assert _names(client.get("/api/v1/enterprises/", {"search": uscc})) == {"芙蓉电器有限公司"}


def test_enterprise_list_uses_cursor_pagination(login, county_inspector, regions):
    EnterpriseFactory.create_batch(3, region=regions["430102"])
    client = login(county_inspector)
    first = client.get("/api/v1/enterprises/", {"page_size": 2}).json()
    assert len(first["results"]) == 2
    assert "cursor=" in first["next"]
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 1


def test_neighbour_enterprise_detail_is_404(login, county_inspector, two_counties):
    _, tianxin = two_counties
    assert login(county_inspector).get(f"/api/v1/enterprises/{tianxin.pk}/").status_code == 404


def _payload(region_code: str, **extra) -> dict:
    return {
        "name": "新登记电器有限公司",
        "uscc": make_uscc(region_code),
        "legal_representative": "李四",
        "region": region_code,
        "size": "small",
        **extra,
    }


def test_county_inspector_registers_enterprise_in_own_county(login, county_inspector):
    payload = _payload("430102")
    response = login(county_inspector).post("/api/v1/enterprises/", payload, content_type="application/json")
    assert response.status_code == 201, response.content
    assert Enterprise.objects.get(uscc=payload["uscc"]).region_id == "430102"


def test_county_inspector_cannot_register_in_neighbour_county(login, county_inspector):
    response = login(county_inspector).post("/api/v1/enterprises/", _payload("430103"), content_type="application/json")
    assert response.status_code == 400
    assert "不在您的管辖范围内" in response.json()["region"][0]
    assert not Enterprise.objects.exists()


def test_invalid_uscc_is_refused_in_chinese(login, county_inspector):
    good = make_uscc("430102")
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    response = login(county_inspector).post(
        "/api/v1/enterprises/", _payload("430102", uscc=bad), content_type="application/json"
    )
    assert response.status_code == 400
    assert "校验码错误" in response.json()["uscc"][0]


def test_duplicate_uscc_is_refused_in_chinese(login, county_inspector, two_counties):
    response = login(county_inspector).post(
        "/api/v1/enterprises/", _payload("430102", uscc=two_counties[0].uscc), content_type="application/json"
    )
    assert response.status_code == 400
    assert "已登记" in response.json()["uscc"][0]


def test_county_inspector_updates_own_but_not_neighbour(login, county_inspector, two_counties):
    furong, tianxin = two_counties
    client = login(county_inspector)
    ok = client.patch(f"/api/v1/enterprises/{furong.pk}/", {"address": "芙蓉路 8 号"}, content_type="application/json")
    assert ok.status_code == 200
    furong.refresh_from_db()
    assert furong.address == "芙蓉路 8 号"
    refused = client.patch(f"/api/v1/enterprises/{tianxin.pk}/", {"address": "x"}, content_type="application/json")
    assert refused.status_code == 404
    tianxin.refresh_from_db()
    assert tianxin.address != "x"


def test_inspector_cannot_move_enterprise_out_of_jurisdiction(login, county_inspector, two_counties):
    furong, _ = two_counties
    response = login(county_inspector).patch(
        f"/api/v1/enterprises/{furong.pk}/", {"region": "430103"}, content_type="application/json"
    )
    assert response.status_code == 400
    furong.refresh_from_db()
    assert furong.region_id == "430102"


def test_leader_may_read_but_not_change(login, provincial_leader, two_counties):
    furong, _ = two_counties
    client = login(provincial_leader)
    assert client.get(f"/api/v1/enterprises/{furong.pk}/").json()["name"] == "芙蓉电器有限公司"
    response = client.patch(f"/api/v1/enterprises/{furong.pk}/", {"name": "x"}, content_type="application/json")
    assert response.status_code == 403
    assert "无权" in response.json()["detail"]


def test_credit_class_is_read_only(login, county_inspector, two_counties):
    furong, _ = two_counties
    login(county_inspector).patch(
        f"/api/v1/enterprises/{furong.pk}/", {"credit_class": "D"}, content_type="application/json"
    )
    furong.refresh_from_db()
    assert furong.credit_class == ""


def test_product_types_with_test_items(login, county_inspector):
    product_type = ProductTypeFactory(name="电热水壶")
    TestItemFactory(product_type=product_type, name="泄漏电流", standard="GB 4706.1-2005", order=2)
    TestItemFactory(product_type=product_type, name="耐热和阻燃", order=1)
    client = login(county_inspector)
    row = client.get(f"/api/v1/product-types/{product_type.pk}/").json()
    assert row["group_name"] == "电子电器产品"
    assert [i["name"] for i in row["test_items"]] == ["耐热和阻燃", "泄漏电流"]
    groups = client.get("/api/v1/product-groups/").json()["results"]
    assert groups[0]["product_type_count"] == 1
    filtered = client.get("/api/v1/product-types/", {"group": product_type.group_id}).json()["results"]
    assert [r["name"] for r in filtered] == ["电热水壶"]


def test_product_catalogue_is_read_only(login, provincial_admin):
    response = login(provincial_admin).post(
        "/api/v1/product-groups/", {"code": "G9", "name": "x"}, content_type="application/json"
    )
    assert response.status_code == 405


def test_institutions(login, county_inspector):
    InstitutionFactory(name="湖南省产品质量检验研究院")
    rows = login(county_inspector).get("/api/v1/institutions/").json()["results"]
    assert [r["name"] for r in rows] == ["湖南省产品质量检验研究院"]


def test_schema_renders(login, county_inspector):
    response = login(county_inspector).get("/api/schema/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "/api/v1/enterprises/" in body
    assert "质监通 API" in body


def test_swagger_ui_is_served_from_the_sidecar(login, county_inspector):
    response = login(county_inspector).get("/api/docs/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn.jsdelivr" not in html and "unpkg" not in html

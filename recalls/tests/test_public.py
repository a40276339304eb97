"""The public portal, feed, open API and owners' lookup: published notices only, never internal data or a
reporter's details; the public defect form and its checks."""

import io
import json
import re

import feedparser
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from core.models import Region, Role
from recalls.models import Category, DefectReport, DefectReportPhoto
from recalls.services import defect_reports
from recalls.tests import factories as f

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def world(regions):
    maker = f.producer(name="湘江汽车股份有限公司")
    account = f.producer_account(maker)
    leader = f.staff(Role.LEADER, "430102")
    car = f.published_recall(account, leader, maker, category=Category.VEHICLE)
    kettle = f.published_recall(account, leader, maker, brand="美厨", internal_note="秘密：供应商批次")
    draft = f.filed_recall(account, maker, brand="未发布牌", product="吹风机", models_list=["HD-1"])
    report = defect_reports.defect_report_submit(
        category=Category.CONSUMER,
        product="电热水壶",
        brand="美厨",
        model="MK-15A",
        description="使用中壶底冒烟并有焦糊味。",
        region=Region.objects.get(code="430102"),
        reporter_name="王小明",
        reporter_phone="13912345678",
        reporter_email="wxm@example.com",
    )
    return {"car": car, "kettle": kettle, "draft": draft, "report": report, "account": account, "leader": leader}


SECRETS = ("秘密：供应商批次", "王小明", "13912345678", "wxm@example.com", "未发布牌", "内部")


def _no_secrets(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text


def test_portal_search_and_notice_show_only_published(client, world):
    page = client.get(reverse("recalls_public:search"))
    text = page.content.decode()
    assert page.status_code == 200 and "湘江" in text and "美厨" in text
    _no_secrets(text)
    assert client.get(reverse("recalls_public:search"), {"brand": "美厨"}).content.decode().count("MK-15A") >= 1
    filtered = client.get(reverse("recalls_public:search"), {"category": "vehicle"}).content.decode()
    assert "XJ7" in filtered and "MK-17B" not in filtered
    notice = client.get(reverse("recalls_public:notice", args=[world["kettle"].pk]))
    body = notice.content.decode()
    assert notice.status_code == 200 and "温控器失效" in body and "400-800-1234" in body and "完成率" in body
    _no_secrets(body)
    assert client.get(reverse("recalls_public:notice", args=[world["draft"].pk])).status_code == 404


def test_a_search_beyond_the_count_cap_asks_to_narrow_it(client, world, monkeypatch):
    from core import pagination

    assert "请增加查询条件" not in client.get(reverse("recalls_public:search")).content.decode()
    monkeypatch.setattr(pagination, "PUBLIC_COUNT_CAP", 1)  # two published notices, one counted
    assert (
        "符合条件的公告超过 1,000 条，请增加查询条件以缩小范围。"
        in client.get(reverse("recalls_public:search")).content.decode()
    )


def test_search_query_count_does_not_grow_with_rows(client, world, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        client.get(reverse("recalls_public:search"))


def test_feed_is_atom_with_published_notices_only(client, world):
    response = client.get(reverse("recalls_public:feed"))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    parsed = feedparser.parse(response.content)
    assert parsed.version == "atom10" and not parsed.bozo
    titles = [e.title for e in parsed.entries]
    assert len(titles) == 2 and all("湘江汽车股份有限公司召回部分" in t for t in titles)
    _no_secrets(response.content.decode())
    vehicles = feedparser.parse(client.get(reverse("recalls_public:feed"), {"category": "vehicle"}).content)
    assert [e.title for e in vehicles.entries] == ["湘江汽车股份有限公司召回部分湘江SUV 乘用车"]
    from xml.etree import ElementTree

    root = ElementTree.fromstring(response.content)
    assert root.tag == f"{ATOM}feed" and len(root.findall(f"{ATOM}entry")) == 2


def test_open_api_lists_published_with_cpsc_like_fields(client, world):
    response = client.get("/api/v1/public/recalls/")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert {r["recall_no"] for r in rows} == {world["car"].recall_no, world["kettle"].recall_no}
    row = next(r for r in rows if r["recall_no"] == world["kettle"].recall_no)
    for key in (
        "products",
        "units_affected",
        "hazards",
        "remedies",
        "images",
        "injuries",
        "manufacturers",
        "retailers",
        "last_publish_date",
        "completion",
    ):
        assert key in row
    assert row["products"][0]["models"] == ["MK-15A", "MK-17B"]
    assert "internal_note" not in row and "versions" not in row
    _no_secrets(json.dumps(response.json(), ensure_ascii=False))
    detail = client.get(f"/api/v1/public/recalls/{world['kettle'].pk}/")
    assert detail.status_code == 200 and detail.json()["completion"]["units_affected"] == 1200
    assert client.get(f"/api/v1/public/recalls/{world['draft'].pk}/").status_code == 404
    assert [r["recall_no"] for r in client.get("/api/v1/public/recalls/", {"brand": "美厨"}).json()["results"]] == [
        world["kettle"].recall_no
    ]
    assert len(client.get("/api/v1/public/recalls/", {"q": "XJ7"}).json()["results"]) == 1
    # Two characters (no trigram): the bigram index answers, substrings included.
    assert [r["recall_no"] for r in client.get("/api/v1/public/recalls/", {"q": "水壶"}).json()["results"]] == [
        world["kettle"].recall_no
    ]
    assert len(client.get("/api/v1/public/recalls/", {"q": "湘江"}).json()["results"]) == 2
    assert client.get("/api/v1/public/recalls/", {"category": "x"}).status_code == 400


def test_api_since_gives_notices_changed_later(client, world):
    later = world["kettle"].last_published_at
    rows = client.get("/api/v1/public/recalls/", {"since": later.isoformat()}).json()["results"]
    assert rows == []
    rows = client.get("/api/v1/public/recalls/", {"since": "2020-01-01"}).json()["results"]
    assert [r["recall_no"] for r in rows] == [world["car"].recall_no, world["kettle"].recall_no]
    assert client.get("/api/v1/public/recalls/", {"since": "yesterday"}).status_code == 400


def test_vin_lookup_finds_a_vin_inside_a_range(client, world):
    inside, outside, single = f.vin(150), f.vin(200), f.vin(500)
    for number in (inside, single):
        rows = client.get("/api/v1/public/recalls/", {"vin": number}).json()["results"]
        assert [r["recall_no"] for r in rows] == [world["car"].recall_no]
    assert client.get("/api/v1/public/recalls/", {"vin": outside}).json()["results"] == []
    page = client.get(reverse("recalls_public:lookup"), {"vin": inside.lower()})
    assert page.status_code == 200 and "联系生产者或其授权网点免费修理" in page.content.decode()
    none = client.get(reverse("recalls_public:lookup"), {"vin": outside}).content.decode()
    assert f"未找到涉及 VIN {outside} 的已发布召回" in none


def test_malformed_vin_gets_a_chinese_reason(client, world):
    response = client.get("/api/v1/public/recalls/", {"vin": "LSVAU2I80N2183294"})
    assert response.status_code == 400
    assert "第 7 位是字母“I”" in response.json()["vin"][0]
    page = client.get(reverse("recalls_public:lookup"), {"vin": "LSVAU2180N21832"})
    assert page.status_code == 400 and "应为 17 位，您输入了 15 位" in page.content.decode()


def test_lookup_by_model_or_batch(client, world):
    page = client.get(reverse("recalls_public:lookup"), {"brand": "美厨", "model": "MK-17B"}).content.decode()
    assert "找到 1 项召回" in page
    assert "未找到" in client.get(reverse("recalls_public:lookup"), {"model": "HD-1"}).content.decode()


def _png(size=(20, 20)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, format="PNG")
    return SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")


def _form(**extra):
    data = {
        "category": "consumer",
        "product": "电热水壶",
        "brand": "美厨",
        "model": "MK-15A",
        "region": "430102",
        "description": "使用中壶底冒烟并有焦糊味，已停止使用。",
        "reporter_name": "赵六",
        "reporter_phone": "0731-88886666",
    }
    data.update(extra)
    return data


def test_public_defect_form_stores_a_good_report_with_a_generated_photo_name(client, regions):
    response = client.post(
        reverse("recalls_public:report"), _form(photos=[_png()], injury="on", injury_detail="手部轻微烫伤")
    )
    assert response.status_code == 302
    report = DefectReport.objects.get()
    assert report.injury and report.reporter_phone == "0731-88886666"
    photo = DefectReportPhoto.objects.get()
    assert photo.content_type == "image/png" and "photo" not in photo.image.name and photo.image.name.endswith(".png")
    done = client.get(response["Location"]).content.decode()
    assert report.report_no in done


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"description": "坏了"}, "问题描述：请至少用 10 个字说明发生了什么"),
        ({"reporter_phone": "abc"}, "联系电话：请填写有效的电话号码"),
        ({"category": "vehicle"}, "车辆识别代号（VIN）：汽车产品的缺陷报告请填写 VIN"),
        ({"category": "vehicle", "vin": "LSVAU2180N2183294"}, "第 9 位校验位应为"),
        ({"vin": "LSVAU2180N2183294"}, "只有汽车产品需要填写"),
        ({"injury": "on"}, "伤害情况：选择了造成人身伤害时，请简要说明伤害情况"),
        ({"purchased_on": "2999-01-01"}, "购买日期：不能晚于今天"),
        (
            {"photos": [SimpleUploadedFile("x.jpg", b"GIF89a not really an image", content_type="image/jpeg")]},
            "照片 2：只接受 JPEG、PNG 或 WebP 图片",
        ),
    ],
)
def test_public_defect_form_rejects_bad_input_and_stores_nothing(client, regions, extra, message):
    photos = extra.pop("photos", None)
    data = _form(**extra)
    if photos:
        data["photos"] = [_png(), *photos]  # a good photo first: nothing of it may be stored either
    response = client.post(reverse("recalls_public:report"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not DefectReport.objects.exists() and not DefectReportPhoto.objects.exists()


def test_public_defect_api(client, regions):
    response = client.post("/api/v1/public/defect-reports/", _form(), format="multipart")
    assert response.status_code == 201 and set(response.json()) == {"report_no"}
    bad = client.post("/api/v1/public/defect-reports/", _form(reporter_phone="x"))
    assert bad.status_code == 400 and "联系电话" in bad.json()["detail"]
    assert DefectReport.objects.count() == 1


def test_public_api_is_rate_limited(client, world, settings):
    from rest_framework.settings import api_settings

    rates = dict(api_settings.DEFAULT_THROTTLE_RATES, public_recalls="3/min")
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    from recalls.api import PublicRecallThrottle

    PublicRecallThrottle.THROTTLE_RATES = rates
    try:
        codes = [client.get("/api/v1/public/recalls/").status_code for _ in range(4)]
    finally:
        PublicRecallThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
    assert codes == [200, 200, 200, 429]


def test_openapi_schema_documents_the_public_recall_api(client, world, admin_user):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    assert "/api/v1/public/recalls/" in schema["paths"]
    names = {p["name"] for p in schema["paths"]["/api/v1/public/recalls/"]["get"]["parameters"]}
    assert {"q", "brand", "category", "since", "vin"} <= names


def test_notice_chart_is_svg(client, world):
    response = client.get(reverse("recalls_public:notice_chart", args=[world["kettle"].pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    assert response.content.startswith(b"<svg")
    assert client.get(reverse("recalls_public:notice_chart", args=[world["draft"].pk])).status_code == 404


def test_public_defect_form_is_rate_limited(client, regions, settings):
    settings.RECALLS_REPORT_RATE = "1/h"
    assert client.post(reverse("recalls_public:report"), _form()).status_code == 302
    response = client.post(reverse("recalls_public:report"), _form())
    assert response.status_code == 429 and "您的操作过于频繁" in response.content.decode()
    assert DefectReport.objects.count() == 1


def test_recall_templates_need_no_inline_script_or_style():
    from pathlib import Path

    from django.conf import settings as django_settings

    for template in (Path(django_settings.BASE_DIR) / "templates" / "recalls").rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        # Scripts come from static files only (<script src=…>); no inline script, style element or attribute.
        inline_scripts = [tag for tag in re.findall(r"<script[^>]*>", text) if " src=" not in tag]
        assert " style=" not in text and not inline_scripts and "<style" not in text, template.name

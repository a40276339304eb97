"""The public portal as a citizen finds it: downloads of an announcement, dates and numbers on search results, the
footer of a government website, the language switch."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from constance.test import override_config
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from core.tests.factories import InstitutionFactory
from sampling.models import Verdict
from sampling.services.publication import announcement_create, announcement_publish
from sampling.tests.publication_data import make_sample, make_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(regions, provincial_leader):
    """A published announcement 湘市监抽〔2026〕3号 with a failed and a passed batch, and a draft announcement."""
    lab = InstitutionFactory(name="湖南省产品质量检验研究院")
    task = make_task(name="2026年电热水壶省级监督抽查")
    make_sample(
        task,
        verdict=Verdict.FAIL,
        failed_items=("泄漏电流",),
        enterprise_name='=HYPERLINK("http://x")电器厂',
        institution=lab,
        sampled_on=dt.date(2026, 5, 12),
    )
    make_sample(task, verdict=Verdict.PASS, enterprise_name="长沙美好家电有限公司", institution=lab)
    announcement = announcement_create(
        user=provincial_leader, task=task, title="2026年第3期电热水壶抽查结果公告", number="湘市监抽〔2026〕3号"
    )
    announcement_publish(user=provincial_leader, announcement=announcement)
    draft_task = make_task(name="2026年电暖器省级监督抽查")
    make_sample(draft_task, verdict=Verdict.FAIL, enterprise_name="长沙秘密草稿电器厂", institution=lab)
    draft = announcement_create(user=provincial_leader, task=draft_task, title="尚未发布的公告")
    return {"announcement": announcement, "draft": draft}


def test_the_announcement_page_offers_pdf_and_excel(client, published):
    html = client.get(reverse("public:announcement_detail", args=[published["announcement"].pk])).content.decode()
    assert reverse("public:announcement_pdf", args=[published["announcement"].pk]) in html
    assert reverse("public:announcement_xlsx", args=[published["announcement"].pk]) in html


def test_the_announcement_pdf_carries_its_number_and_batches(client, published):
    response = client.get(reverse("public:announcement_pdf", args=[published["announcement"].pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "2026年第3期电热水壶抽查结果公告" in text
    assert "湘市监抽〔2026〕3号" in text
    assert "泄漏电流" in text and "长沙美好家电有限公司" in text
    assert "2026-05-12" in text
    assert "秘密草稿" not in text


def test_the_announcement_excel_is_formula_safe(client, published):
    response = client.get(reverse("public:announcement_xlsx", args=[published["announcement"].pk]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content))["抽查结果"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("序号", "产品名称", "受检企业")
    names = {row[2] for row in rows[1:]}
    assert names == {'=HYPERLINK("http://x")电器厂', "长沙美好家电有限公司"}
    cell = next(c for c in sheet["C"] if str(c.value).startswith("="))
    assert cell.data_type == "s" and cell.quotePrefix
    assert "不合格" in {row[10] for row in rows[1:]}


def test_a_draft_announcement_has_no_downloads(client, published):
    for name in ("public:announcement_pdf", "public:announcement_xlsx"):
        assert client.get(reverse(name, args=[published["draft"].pk])).status_code == 404


def test_each_search_result_shows_its_sampling_date_and_announcement_number(client, published):
    html = client.get(reverse("public:result_search"), {"enterprise": "长沙美好"}).content.decode()
    assert "抽样日期" in html and "公告编号" in html
    assert "湘市监抽〔2026〕3号" in html
    assert "2026-05-10" in html
    assert reverse("public:announcement_detail", args=[published["announcement"].pk]) in html


def test_the_footer_shows_the_bureau_12315_and_the_placeholders(client, published):
    html = client.get(reverse("public:index")).content.decode()
    assert "主办单位" in html and "湖南省市场监督管理局" in html
    assert "12315" in html
    assert "网站标识码" in html and "ICP 备案号" in html and "无障碍" in html
    assert "（待配置）" in html
    assert reverse("public:objection_request_new") in html


@override_config(
    SITE_IDENTIFIER="4300000001",
    SITE_ICP="湘ICP备12345678号",
    SITE_CONTACT_PHONE="0731-12345678",
    SITE_ACCESSIBILITY_URL="https://example.gov.cn/wza/",
)
def test_the_footer_shows_what_the_administrator_configured(client, published):
    html = client.get(reverse("public:result_search")).content.decode()
    assert "4300000001" in html and "湘ICP备12345678号" in html and "0731-12345678" in html
    assert 'href="https://example.gov.cn/wza/"' in html
    assert "（待配置）" not in html


def test_the_public_site_has_a_language_switch(client, published):
    html = client.get(reverse("public:index")).content.decode()
    assert 'name="language" value="en"' in html and "English" in html
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("public:index")})
    english = client.get(response["Location"])
    assert english["Content-Language"] == "en"

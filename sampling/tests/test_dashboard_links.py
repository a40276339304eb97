"""From the dashboard to the batches behind each figure, and every statistics table as Excel."""

from __future__ import annotations

import io
import re
from html import unescape

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from sampling.statistics_links import batch_list_url
from sampling.tests.reports_data import make_report_data

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("sampling:dashboard")
EXPORT = reverse("sampling:dashboard_export")


@pytest.fixture
def data(regions):
    return make_report_data(regions)


def _links(html: str) -> list[str]:
    return [unescape(href) for href in re.findall(r'href="([^"]+)"', html) if href.startswith("/sampling/samples/")]


def _rows_of(client, url: str) -> int:
    """The number of batches the sample list shows for a link."""
    html = client.get(url).content.decode()
    return html.count('data-label="抽样单编号"')


def test_each_figure_of_the_breakdown_links_to_exactly_its_batches(data, login, city_inspector):
    client = login(city_inspector)
    page = client.get(DASHBOARD, {"year": "2017", "by": "group"})
    rows = {row["label"]: row for row in page.context["rows"]}

    # 电子电器产品 in 长沙市 2017: 8 batches of 芙蓉区, 2 failed (the dashboard's figures)
    appliances = rows["电子电器产品"]
    assert (appliances["batches"], appliances["failed"]) == (8, 2)
    assert appliances["links"]["all"] in _links(page.content.decode())
    assert _rows_of(client, appliances["links"]["all"]) == 8
    assert _rows_of(client, appliances["links"]["fail"]) == 2
    assert _rows_of(client, appliances["links"]["pass"]) == 6


def test_the_totals_and_each_year_of_the_trend_lead_to_their_batches(data, login, city_inspector):
    client = login(city_inspector)
    page = client.get(DASHBOARD, {"year": "2017"})
    context = page.context
    assert _rows_of(client, context["total_links"]["all"]) == context["total"]["batches"] == 12
    assert _rows_of(client, context["total_links"]["fail"]) == context["total"]["failed"]
    year_2016 = next(t for t in context["trend"] if t["year"] == 2016)
    assert _rows_of(client, year_2016["url"]) == year_2016["batches"] == 5


@pytest.mark.parametrize(
    ("by", "label", "expected"),
    [("region", "天心区", 4), ("size", "大型", 4), ("stage", "流通", 4), ("type", "毛巾", 4)],
)
def test_every_dimension_links_to_its_batches(data, login, city_inspector, by, label, expected):
    client = login(city_inspector)
    rows = {row["label"]: row for row in client.get(DASHBOARD, {"year": "2017", "by": by}).context["rows"]}
    assert rows[label]["batches"] == expected
    assert _rows_of(client, rows[label]["links"]["all"]) == expected


def test_a_failed_item_links_to_the_failed_batches_naming_it(data, login, city_inspector):
    client = login(city_inspector)
    items = {i["item"]: i for i in client.get(DASHBOARD, {"year": "2017"}).context["failed_items"]}
    assert _rows_of(client, items["发热"]["url"]) == items["发热"]["count"] == 2
    listing = client.get(items["发热"]["url"]).content.decode()
    assert "来自统计分析的筛选" in listing and "不合格项目 = <strong>发热</strong>" in listing


def test_the_links_keep_to_the_users_jurisdiction(data, login, county_inspector):
    # a 芙蓉区 inspector following a province-wide link still sees only 芙蓉区 batches
    client = login(county_inspector)
    html = client.get(batch_list_url(year=2017)).content.decode()
    assert html.count('data-label="抽样单编号"') == 8
    assert "长沙天心纺织有限公司" not in html


def test_the_breakdown_exports_to_excel_with_the_dashboards_figures(data, login, city_inspector):
    client = login(city_inspector)
    response = client.get(EXPORT, {"year": "2017", "by": "group", "table": "breakdown"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook[workbook.sheetnames[0]]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("产品类别", "抽查批次", "合格批次", "不合格批次")
    assert ("电子电器产品", 8, 6, 2) in [row[:4] for row in rows]
    assert rows[-1][:4] == ("合计", 12, 9, 3)
    assert "说明" in workbook.sheetnames


def test_all_tables_export_together(data, login, city_inspector):
    response = login(city_inspector).get(EXPORT, {"year": "2017"})
    names = load_workbook(io.BytesIO(response.content)).sheetnames
    assert names == ["按产品类别统计", "合格率趋势", "主要不合格项目", "说明"]


def test_exported_text_cannot_run_as_a_formula(regions, login, city_inspector):
    import datetime as dt

    from core.tests.factories import EnterpriseFactory, ProductGroupFactory, ProductTypeFactory
    from sampling.models import Verdict
    from sampling.tests.reports_data import make_batch, make_task

    group = ProductGroupFactory(code="G09", name="=1+2")
    kind = ProductTypeFactory(group=group, code="T0901", name="@SUM(A1)")
    enterprise = EnterpriseFactory(region=regions["430102"])
    make_batch(
        make_task(regions["430000"], 2017),
        enterprise,
        kind,
        verdict=Verdict.FAIL,
        sampled_on=dt.date(2017, 5, 1),
        failed_items=["-cmd|' /C calc'!A0"],
    )
    client = login(city_inspector)
    workbook = load_workbook(io.BytesIO(client.get(EXPORT, {"year": "2017"}).content))
    cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]
    dangerous = [cell for cell in cells if cell.value.startswith(("=", "+", "-", "@"))]
    assert {cell.value for cell in dangerous} >= {"=1+2", "-cmd|' /C calc'!A0"}
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in dangerous)


def test_the_export_is_refused_to_roles_without_the_dashboard(data, login, regions):
    from core.models import Role
    from core.tests.factories import UserFactory

    handler = UserFactory(role=Role.LEGAL_REVIEWER, jurisdiction=regions["430100"])
    assert login(handler).get(EXPORT, {"year": "2017"}).status_code == 403

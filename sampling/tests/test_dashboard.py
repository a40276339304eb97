"""The staff statistics dashboard: scoped figures, server-drawn SVG charts, year and dimension filters."""

import pytest
from django.urls import reverse

from sampling.tests.reports_data import make_report_data

pytestmark = pytest.mark.django_db

URL = reverse("sampling:dashboard")


@pytest.fixture
def data(regions):
    return make_report_data(regions)


def test_a_provincial_leader_sees_the_province_figures_with_charts(data, login, provincial_leader):
    page = login(provincial_leader).get(URL, {"year": "2017"})

    text = page.content.decode()
    assert page.status_code == 200
    assert "抽查统计分析" in text
    assert "75.0%" in text  # 9 of 12 batches in 湖南省
    assert "-5.0" in text  # 2016: 4 of 5 = 80.0%
    # by group, trend, failed items: drawn SVGs served as images, so the CSP (no inline style) keeps their styles
    assert text.count('src="data:image/svg+xml;base64,') == 3
    assert "电子电器产品" in text and "日用及纺织品" in text
    assert "深圳" not in text


def test_a_county_inspector_sees_only_their_county(data, login, county_inspector):
    text = login(county_inspector).get(URL, {"year": "2017", "by": "region"}).content.decode()

    assert "芙蓉区" in text
    assert "天心区" not in text
    assert "75.0%" in text  # 6 of 8 in 芙蓉区
    assert "-5.0" in text  # 2016: 4 of 5 = 80.0%


def test_the_dimension_filter_groups_by_enterprise_size(data, login, city_inspector):
    text = login(city_inspector).get(URL, {"year": "2017", "by": "size"}).content.decode()

    assert "按企业规模的批次合格率" in text
    assert "大型" in text and "小型" in text


def test_an_unknown_year_or_dimension_falls_back_to_defaults(data, login, city_inspector):
    page = login(city_inspector).get(URL, {"year": "1999", "by": "colour"})

    assert page.status_code == 200
    assert "按产品类别的批次合格率" in page.content.decode()
    assert page.context["year"] == 2017


def test_another_province_sees_none_of_hunan(data, login, outsider):
    text = login(outsider).get(URL, {"year": "2017"}).content.decode()

    assert "100.0%" in text  # 深圳南山: 2 of 2
    assert "长沙" not in text and "芙蓉区" not in text


def test_a_role_without_statistics_is_refused(data, login, city_case_handler):
    assert login(city_case_handler).get(URL).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert reverse("login") in response.url

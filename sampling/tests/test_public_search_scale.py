"""The public result search under load (issue 14, "scale"): the region filter read through the region indexes
(a city still finds its counties' batches and its own, a province its cities'), the count shown, the batch and
announcement rows built in Python (same content, escaped), the search form's selects kept in the process."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sampling.models import Verdict
from sampling.public_filters import PublishedSampleFilter
from sampling.selectors import public_results
from sampling.services.publication import announcement_create, announcement_publish
from sampling.templatetags import public_portal
from sampling.tests.publication_data import make_sample, make_task
from sampling.views import public

pytestmark = pytest.mark.django_db


@pytest.fixture
def spread(regions, provincial_leader):
    """Published batches in two counties of 长沙市 (430102, 430103), at the city's own code (430100), in 株洲市
    (430202) and in 广东省 (440305), newest first in that order of dates."""
    task = make_task()
    rows = {}
    for day, code, name in [
        (20, "430102", "芙蓉区<b>甲</b>电器厂"),
        (19, "430103", "天心区乙电器厂"),
        (18, "430100", "长沙市本级丙电器厂"),
        (17, "430202", "荷塘区丁电器厂"),
        (16, "440305", "南山区戊电器厂"),
    ]:
        rows[code] = make_sample(
            task,
            enterprise_name=name,
            region_code=code,
            sampled_on=dt.date(2026, 5, day),
            verdict=Verdict.FAIL if code == "430103" else Verdict.PASS,
            failed_items=("泄漏电流", "发热") if code == "430103" else (),
        )
    announcement = announcement_create(user=provincial_leader, task=task, title="区域检索公告")
    announcement_publish(user=provincial_leader, announcement=announcement)
    return rows


def _names(params: dict) -> list[str]:
    search = PublishedSampleFilter(params, queryset=public_results())
    assert search.is_valid()
    return [s.enterprise.name for s in search.qs]


def test_a_city_code_finds_its_counties_and_its_own_code(spread):
    assert _names({"region": "4301"}) == ["芙蓉区<b>甲</b>电器厂", "天心区乙电器厂", "长沙市本级丙电器厂"]
    assert _names({"region": "430100"}) == _names({"region": "4301"})


def test_a_province_code_finds_every_city_below_it(spread):
    assert _names({"region": "43"}) == [
        "芙蓉区<b>甲</b>电器厂",
        "天心区乙电器厂",
        "长沙市本级丙电器厂",
        "荷塘区丁电器厂",
    ]
    assert _names({"region": "430000"}) == _names({"region": "43"})


def test_a_county_code_finds_that_county_only(spread):
    assert _names({"region": "430103"}) == ["天心区乙电器厂"]


def test_the_region_selects_narrow_the_same_way(spread):
    assert _names({"province": "430000", "city": "430100"}) == _names({"region": "4301"})
    assert _names({"province": "430000", "city": "430100", "county": "430102"}) == ["芙蓉区<b>甲</b>电器厂"]
    assert _names({"province": "440000"}) == ["南山区戊电器厂"]


def test_the_region_filter_is_the_indexed_equality(spread):
    search = PublishedSampleFilter({"region": "4301"}, queryset=public_results())
    assert search.is_valid()
    sql = str(search.qs.query)
    assert 'SUBSTRING("sampling_sample"."region_id", 1, 4) = 4301' in sql
    assert "LIKE" not in sql


def _page(client, **params) -> str:
    response = client.get(reverse("public:result_search"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_a_city_search_shows_its_exact_count(client, spread):
    html = _page(client, region="4301")
    assert "共找到 3 条已公开的抽查结果。" in html
    assert "荷塘区丁电器厂" not in html and "南山区戊电器厂" not in html


def test_a_region_search_beyond_the_cap_says_more(client, spread, monkeypatch):
    monkeypatch.setattr(public, "RESULT_COUNT_CAP", 2)
    html = _page(client, region="43")
    assert "找到超过 2 条已公开的抽查结果，仅可翻阅前 2 条；请增加查询条件缩小范围。" in html


def test_the_rows_show_every_column_escaped(client, spread):
    html = _page(client, region="430103")
    sample = spread["430103"]
    sample.refresh_from_db()  # publishing set its announcement
    assert f'<a href="/public/results/{sample.pk}/">天心区乙电器厂</a>' in html
    assert '<td data-label="所在地区">湖南省长沙市天心区</td>' in html
    assert '<td data-label="不合格项目">泄漏电流、发热</td>' in html
    assert '<span class="badge fail">不合格</span>' in html
    assert f'<a href="/public/announcements/{sample.announcement_id}/">' in html
    assert '<td data-label="抽样日期">2026-05-19</td>' in html
    escaped = _page(client, region="430102")
    assert "芙蓉区&lt;b&gt;甲&lt;/b&gt;电器厂" in escaped and "<b>甲</b>" not in escaped
    assert '<td data-label="不合格项目">/</td>' in escaped


def test_no_query_per_row(client, spread):
    client.get(reverse("public:result_search"))  # the per-process tables (region names, selects) are read once
    with CaptureQueriesContext(connection) as few:
        _page(client, region="430103")
    with CaptureQueriesContext(connection) as many:
        _page(client, region="43")
    assert len(few) == len(many)


def test_an_empty_search_says_so(client, spread):
    html = _page(client, region="510104")
    assert "没有符合条件的抽查结果。" in html and "共找到 0 条" in html


def test_the_chosen_option_stays_chosen_with_the_cached_selects(client, spread):
    public_portal._selects.clear()
    assert 'value="430000" selected' in _page(client, province="430000")
    assert 'value="430000" selected' not in _page(client)
    assert 'value="430000" selected' in _page(client, province="430000")
    html = _page(client, province="430000", city="430100")
    assert 'value="430100" selected' in html and "天心区" in html
    # The verdict select (fixed choices) is kept too, per chosen value.
    assert 'value="fail" selected' in _page(client, result="fail")
    assert 'value="fail" selected' not in _page(client, result="pass")
    assert 'value="fail" selected' in _page(client, result="fail")


def test_the_announcement_rows_show_the_stored_counts(client, spread):
    html = client.get(reverse("public:announcement_list")).content.decode()
    assert "区域检索公告" in html
    assert '<td data-label="抽查批次">5</td>' in html
    assert '<td data-label="不合格批次"><span class="badge fail">1</span></td>' in html


def test_no_announcement_says_so(client, regions):
    html = client.get(reverse("public:announcement_list")).content.decode()
    assert "暂无已发布的抽查结果公告。" in html

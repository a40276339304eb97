"""Pass-rate statistics on a small hand-checked data set: every grouping, the command, the API scoping."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import call_command

from core.models import Enterprise, Institution, ProductGroup, ProductType
from core.tests.factories import make_uscc
from sampling.models import ItemResult, Sample, SamplingTask
from sampling.models import TestResult as Result
from sampling.statistics import (
    failed_item_ranking,
    narrow_prefix,
    pass_rate_rows,
    pass_rate_total,
    year_on_year,
)


@pytest.fixture
def data_set(regions):
    """Five judged batches of 2017, one pending, one failed batch of 2016:

    no  region        zone  size  stage  group / type             verdict  failed items
    S1  430102 芙蓉区  中部  小型  生产   电子电器产品 / 电热水壶   合格
    S2  430102 芙蓉区  中部  小型  流通   电子电器产品 / 电热水壶   不合格   泄漏电流；标志和说明
    S3  430103 天心区  中部  大型  电商   电子电器产品 / 电吹风     合格
    S4  440305 南山区  东部  中型  生产   日用及纺织品 / 童装       不合格   纤维含量 (+ items 纤维含量, pH值)
    S5  510104 锦江区  西部  微型  流通   电子电器产品 / 电热水壶   合格
    S6  430102 芙蓉区  (pending, not counted)
    S7  430102 芙蓉区 2016  电子电器产品 / 电热水壶  不合格  泄漏电流
    """
    electric = ProductGroup.objects.create(code="G02", name="电子电器产品", order=2)
    textiles = ProductGroup.objects.create(code="G01", name="日用及纺织品", order=1)
    kettle = ProductType.objects.create(group=electric, code="T1", name="电热水壶")
    dryer = ProductType.objects.create(group=electric, code="T2", name="电吹风")
    clothes = ProductType.objects.create(group=textiles, code="T3", name="童装")
    lab = Institution.objects.create(name="检验院")
    task_2017 = SamplingTask.objects.create(
        code="T2017", name="2017抽查", level="national", year=2017, region=regions["000000"]
    )
    task_2016 = SamplingTask.objects.create(
        code="T2016", name="2016抽查", level="national", year=2016, region=regions["000000"]
    )
    zones = {"43": "central", "44": "east", "51": "west"}

    def batch(no, region, size, stage, product, verdict, failed=(), task=task_2017):
        enterprise = Enterprise.objects.create(name=f"企业{no}", uscc=make_uscc(region), region_id=region, size=size)
        sample = Sample.objects.create(
            task=task, sample_no=no, enterprise=enterprise, product_type=product, stage=stage,
            sampled_on=dt.date(task.year, 5, 1), region_id=region, zone=zones[region[:2]],
            enterprise_size=size, year=task.year, final_verdict=verdict,
        )  # fmt: skip
        if verdict:
            return Result.objects.create(
                sample=sample, report_no=f"R{no}", institution=lab, verdict=verdict,
                failed_items=list(failed), is_confirmed=True, status="confirmed",
            )  # fmt: skip
        return None

    batch("S1", "430102", "small", "production", kettle, "pass")
    batch("S2", "430102", "small", "circulation", kettle, "fail", ["泄漏电流", "标志和说明"])
    batch("S3", "430103", "large", "ecommerce", dryer, "pass")
    result = batch("S4", "440305", "medium", "production", clothes, "fail", ["纤维含量"])
    ItemResult.objects.create(result=result, item_name="纤维含量", verdict="fail")
    ItemResult.objects.create(result=result, item_name="pH值", verdict="fail")
    ItemResult.objects.create(result=result, item_name="标识", verdict="pass")
    batch("S5", "510104", "micro", "circulation", kettle, "pass")
    batch("S6", "430102", "small", "production", kettle, "")
    batch("S7", "430102", "small", "production", kettle, "fail", ["泄漏电流"], task=task_2016)


def figures(rows):
    return [(row["key"], row["batches"], row["passed"], row["failed"]) for row in rows]


EXPECTED_2017 = {
    "group": [("日用及纺织品", 1, 0, 1), ("电子电器产品", 4, 3, 1)],
    "type": [("电吹风", 1, 1, 0), ("电热水壶", 3, 2, 1), ("童装", 1, 0, 1)],
    "region": [("430102", 2, 1, 1), ("430103", 1, 1, 0), ("440305", 1, 0, 1), ("510104", 1, 1, 0)],
    "zone": [("东部", 1, 0, 1), ("中部", 3, 2, 1), ("西部", 1, 1, 0)],
    "size": [("中型", 1, 0, 1), ("大型", 1, 1, 0), ("小型", 2, 1, 1), ("微型", 1, 1, 0)],
    "stage": [("流通", 2, 1, 1), ("生产", 2, 1, 1), ("电商", 1, 1, 0)],
    "year": [("2017", 5, 3, 2)],
}


@pytest.mark.parametrize("by", sorted(EXPECTED_2017))
def test_pass_rate_rows_for_every_grouping(data_set, by):
    rows = pass_rate_rows(by=by, year=2017)

    assert figures(rows) == EXPECTED_2017[by]
    for row in rows:
        assert row["pass_rate"] == row["passed"] / row["batches"]


def test_region_rows_carry_the_county_name(data_set):
    labels = {row["key"]: row["label"] for row in pass_rate_rows(by="region", year=2017)}

    assert labels == {"430102": "芙蓉区", "430103": "天心区", "440305": "南山区", "510104": "锦江区"}


def test_year_rows_and_total_without_a_year_filter_count_every_judged_batch(data_set):
    assert figures(pass_rate_rows(by="year")) == [("2016", 1, 0, 1), ("2017", 5, 3, 2)]
    total = pass_rate_total()
    assert (total["key"], total["batches"], total["passed"], total["pass_rate"]) == ("total", 6, 3, 0.5)


def test_filters_by_task_region_and_dates(data_set):
    assert pass_rate_total(year=2017)["pass_rate"] == 0.6
    assert pass_rate_total(task_code="T2016")["batches"] == 1
    assert figures(pass_rate_rows(by="zone", region_prefix="4301")) == [("中部", 4, 2, 2)]
    assert pass_rate_total(date_from=dt.date(2017, 1, 1), date_to=dt.date(2017, 12, 31))["batches"] == 5


def test_a_total_without_batches_has_no_rate(data_set):
    total = pass_rate_total(year=2030)

    assert (total["batches"], total["pass_rate"]) == (0, None)
    assert pass_rate_rows(by="zone", year=2030) == []


def test_failed_item_ranking_counts_each_failed_batch_once_per_item(data_set):
    ranking = failed_item_ranking(year=2017)

    assert sorted((r["item"], r["count"]) for r in ranking) == [
        ("pH值", 1),
        ("标志和说明", 1),
        ("泄漏电流", 1),
        ("纤维含量", 1),
    ]
    overall = failed_item_ranking(limit=2)
    assert overall[0] == {"item": "泄漏电流", "count": 2}
    assert len(overall) == 2


def test_year_on_year_change_in_percentage_points(data_set):
    rows = {row["key"]: row for row in year_on_year(by="group", year=2017)}

    electric = rows["电子电器产品"]
    assert (electric["pass_rate"], electric["previous_pass_rate"], electric["change"]) == (0.75, 0.0, 75.0)
    textiles = rows["日用及纺织品"]
    assert (textiles["pass_rate"], textiles["previous_pass_rate"], textiles["change"]) == (0.0, None, None)


def test_narrow_prefix_keeps_requests_inside_the_scope():
    assert narrow_prefix("43", "") == "43"
    assert narrow_prefix("43", "4301") == "4301"
    assert narrow_prefix("4301", "43") == "4301"
    assert narrow_prefix("43", "44") is None
    assert narrow_prefix(None, "43") is None
    assert narrow_prefix("", "44") == "44"


@pytest.mark.parametrize("by", sorted(EXPECTED_2017))
def test_command_json_equals_the_functions(data_set, capsys, by):
    call_command("sampling_stats", "--by", by, "--year", "2017", "--json")

    printed = json.loads(capsys.readouterr().out)
    expected = [*pass_rate_rows(by=by, year=2017), pass_rate_total(year=2017)]
    assert printed == [{k: row[k] for k in ("key", "batches", "passed", "pass_rate")} for row in expected]
    assert printed[-1] == {"key": "total", "batches": 5, "passed": 3, "pass_rate": 0.6}


def test_command_json_total_rate_is_null_without_batches(data_set, capsys):
    call_command("sampling_stats", "--by", "zone", "--task", "NO-SUCH-TASK", "--json")

    assert json.loads(capsys.readouterr().out) == [{"key": "total", "batches": 0, "passed": 0, "pass_rate": None}]


def test_command_prints_a_readable_chinese_table(data_set, capsys):
    call_command("sampling_stats", "--by", "region", "--year", "2017")

    out = capsys.readouterr().out
    assert "合格率" in out
    assert "430102 芙蓉区" in out and "50.0%" in out
    assert "合计" in out and "60.0%" in out


def test_api_pass_rate_for_a_provincial_leader_counts_the_province(data_set, login, provincial_leader):
    response = login(provincial_leader).get("/api/v1/statistics/pass-rate/", {"by": "region", "year": 2017})

    assert response.status_code == 200
    body = response.json()
    assert [(r["key"], r["batches"], r["passed"]) for r in body["rows"]] == [("430102", 2, 1), ("430103", 1, 1)]
    assert (body["total"]["batches"], body["total"]["pass_rate"]) == (3, 2 / 3)


def test_api_pass_rate_of_a_county_user_counts_only_their_county(data_set, login, county_inspector):
    client = login(county_inspector)

    body = client.get("/api/v1/statistics/pass-rate/", {"by": "zone", "year": 2017}).json()
    assert [(r["key"], r["batches"], r["passed"]) for r in body["rows"]] == [("中部", 2, 1)]
    assert body["total"]["batches"] == 2

    # Asking for another province does not widen the scope
    other = client.get("/api/v1/statistics/pass-rate/", {"by": "zone", "region": "44"}).json()
    assert other["rows"] == [] and other["total"]["batches"] == 0
    wider = client.get("/api/v1/statistics/pass-rate/", {"by": "zone", "region": "43", "year": 2017}).json()
    assert wider["total"]["batches"] == 2


def test_api_failed_items_are_scoped(data_set, login, county_inspector, outsider):
    mine = login(county_inspector).get("/api/v1/statistics/failed-items/").json()
    assert sorted((r["item"], r["count"]) for r in mine) == [("标志和说明", 1), ("泄漏电流", 2)]

    theirs = login(outsider).get("/api/v1/statistics/failed-items/", {"year": 2017}).json()
    assert sorted(r["item"] for r in theirs) == ["pH值", "纤维含量"]


def test_api_rejects_an_unknown_grouping_and_anonymous_users(data_set, client, login, county_inspector):
    assert client.get("/api/v1/statistics/pass-rate/", {"by": "zone"}).status_code in (401, 403)

    response = login(county_inspector).get("/api/v1/statistics/pass-rate/", {"by": "colour"})
    assert response.status_code == 400
    assert "分组方式" in response.content.decode()

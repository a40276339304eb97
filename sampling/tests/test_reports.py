"""The pass-rate report: its figures are the sampling statistics, its PDF carries them in Chinese."""

import io

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from core.models_reports import ReportStatus
from core.reports import pipeline, services
from core.reports.periods import Period
from core.reports.registry import get_kind
from sampling import statistics
from sampling.tests.reports_data import make_report_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(regions):
    return make_report_data(regions)


def _pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def _by_key(rows):
    return {str(r["key"]): (r["batches"], r["passed"]) for r in rows}


def test_the_report_figures_equal_the_sampling_statistics(data, regions):
    snapshot = pipeline.build_snapshot(get_kind("pass_rate"), Period.parse("2017"), regions["430000"])

    expected = statistics.pass_rate_total(year=2017, region_prefix="43")
    totals = snapshot["totals"]
    assert (totals["batches"], totals["passed"], totals["failed"]) == (12, 9, 3)
    assert (totals["batches"], totals["passed"]) == (expected["batches"], expected["passed"])
    assert totals["pass_rate"] == round(expected["pass_rate"] * 100, 1) == 75.0
    assert (totals["tasks"], totals["enterprises"]) == (1, 2)
    for by in ("group", "type", "zone", "size", "stage"):
        shaped = snapshot["breakdowns"][by]["rows"]
        assert _by_key(shaped) == _by_key(statistics.pass_rate_rows(by=by, year=2017, region_prefix="43")), by
    # By region: the cities of the province, summing the counties of sampling statistics.
    assert [(r["label"], r["batches"], r["passed"]) for r in snapshot["breakdowns"]["region"]["rows"]] == [
        ("长沙市", 12, 9)
    ]
    assert snapshot["failed_items"][0] == {"item": "发热", "count": 2, "share": 66.7}
    assert [i["item"] for i in snapshot["failed_items"]] == [
        i["item"] for i in statistics.failed_item_ranking(limit=10, year=2017, region_prefix="43")
    ]


def test_the_report_compares_with_the_same_period_last_year(data, regions):
    snapshot = pipeline.build_snapshot(get_kind("pass_rate"), Period.parse("2017"), regions["430102"])

    last_year = snapshot["totals_last_year"]
    assert (snapshot["totals"]["batches"], snapshot["totals"]["pass_rate"]) == (8, 75.0)
    assert (last_year["compared"]["batches"], last_year["compared"]["pass_rate"]) == (5, 80.0)
    assert last_year["change"] == -5.0
    assert [(t["period"], t["batches"]) for t in snapshot["trend"]][-2:] == [("2016", 5), ("2017", 8)]
    assert "批次合格率为 75.0%，比上年下降 5.0 个百分点" in snapshot["summary"]


def test_a_quarterly_report_counts_the_batches_sampled_in_the_quarter(data, regions):
    snapshot = pipeline.build_snapshot(get_kind("pass_rate"), Period.parse("2017-Q3"), regions["430100"])

    assert (snapshot["totals"]["batches"], snapshot["totals"]["passed"]) == (4, 3)
    expected = statistics.pass_rate_total(date_from=Period.parse("2017-Q3").start, date_to=Period.parse("2017-Q3").end,
                                          region_prefix="4301")  # fmt: skip
    assert snapshot["totals"]["batches"] == expected["batches"]
    assert snapshot["totals_previous"]["compared"]["batches"] == 8  # 2017-Q2
    assert [t["batches"] for t in snapshot["trend"]][-2:] == [8, 4]


def test_the_failed_batches_are_listed_with_their_items(data, regions):
    snapshot = pipeline.build_snapshot(get_kind("pass_rate"), Period.parse("2017"), regions["430100"])

    failed = snapshot["failed_batches"]
    assert failed["total"] == 3
    assert {(b["enterprise"], b["failed_items"]) for b in failed["rows"]} == {
        ("长沙芙蓉电器有限公司", "输入功率和电流、发热"),
        ("长沙芙蓉电器有限公司", "发热"),
        ("长沙天心纺织有限公司", "纤维含量"),
    }


def test_the_stored_pdf_carries_the_chinese_title_and_the_figures(data, regions, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    report, _ = services.report_request(kind="pass_rate", period="2017", jurisdiction=regions["430100"])

    services.report_generate(report_id=report.pk)

    report.refresh_from_db()
    assert report.status == ReportStatus.DONE
    assert report.title == "长沙市2017年产品质量监督抽查合格率分析报告"
    text = _pdf_text(report.file.read())
    compact = "".join(text.split())
    assert "长沙市2017年产品质量监督抽查合格率分析报告" in compact
    assert "长沙市市场监督管理局" in compact
    assert "批次合格率为75.0%" in compact
    assert "第2页共" in compact
    assert "目录" in compact
    assert "长沙芙蓉电器有限公司" in compact and "纤维含量" in compact
    assert report.snapshot["totals"]["batches"] == 12


def test_the_command_writes_the_pdf(data, regions, tmp_path):
    output = tmp_path / "report.pdf"

    call_command("generate_report", "pass_rate", "--period", "2017-05", "--jurisdiction", "430102",
                 "--output", str(output), stdout=io.StringIO())  # fmt: skip

    compact = "".join(_pdf_text(output.read_bytes()).split())
    assert "长沙市芙蓉区2017年5月产品质量监督抽查合格率分析报告" in compact
    assert "批次合格率为75.0%" in compact  # May in 芙蓉区: 3 passed of 4


def test_the_schedule_reports_every_jurisdiction_with_data(data, regions):
    import datetime as dt

    services.reports_schedule(periodicity="year", today=dt.date(2018, 1, 1))

    from core.models_reports import Report

    assert sorted(Report.objects.filter(kind="pass_rate").values_list("jurisdiction_id", flat=True)) == [
        "000000", "430000", "430100", "430102", "430103", "440000", "440300", "440305",
    ]  # fmt: skip

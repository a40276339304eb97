"""Early warning in the pass-rate and credit reports: the warnings that fired in the period, by level and signal,
counted once each at their highest level, within the report's jurisdiction."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from core.reports import pipeline, services
from core.reports.periods import Period
from core.reports.registry import get_kind
from credit.models_warnings import WarningLevel
from credit.warnings.selectors import periods_within, warning_report_counts
from credit.warnings.tests.test_services import make_warning
from sampling.tests.reports_data import make_report_data

pytestmark = pytest.mark.django_db


def test_a_year_holds_its_quarters_and_months():
    assert periods_within(Period.parse("2017-Q3")) == ["2017-Q3", "2017-07", "2017-08", "2017-09"]
    assert len(periods_within(Period.parse("2017"))) == 1 + 4 + 12
    assert periods_within(Period.parse("2017-05")) == ["2017-05"]


def test_counts_by_level_and_signal_within_the_jurisdiction(regions):
    make_warning(region_code="430102")  # 企业反复不合格, 预警, 长沙市芙蓉区
    closed = make_warning(region_code="430103", state="dismissed")
    make_warning(region_code="440305")  # Guangdong: outside Hunan
    make_warning(region_code="430102", period="2016")  # another year

    counts = warning_report_counts(regions["430100"], Period.parse("2017"))

    assert counts["by_level"] == {"attention": 0, "warning": 2, "severe": 0, "total": 2}
    assert counts["open"] == 1 and closed.state == "dismissed"
    assert [(r["label"], r["warning"], r["total"]) for r in counts["by_signal"]] == [("企业反复不合格", 2, 2)]
    assert warning_report_counts(regions["430100"], Period.parse("2017-Q2"))["by_level"]["total"] == 0


def test_a_warning_fired_in_two_sub_periods_counts_once_at_its_highest_level(regions):
    from credit.models_warnings import WarningHit

    warning = make_warning(region_code="430102", period="2017-03")
    WarningHit.objects.create(
        warning=warning, signal=warning.signal, period="2017-04", level=WarningLevel.SEVERE, region_id="430102"
    )

    counts = warning_report_counts("430000", Period.parse("2017"))

    assert counts["by_level"] == {"attention": 0, "warning": 0, "severe": 1, "total": 1}


def _pdf_text(content: bytes) -> str:
    return "".join("".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages)


def test_the_pass_rate_report_has_a_warnings_section_in_its_pdf(regions, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    make_report_data(regions)
    make_warning(region_code="430102")
    make_warning(region_code="430102", state="handled")

    snapshot = pipeline.build_snapshot(get_kind("pass_rate"), Period.parse("2017"), regions["430100"])
    assert snapshot["warnings"]["by_level"]["total"] == 2 and snapshot["warnings"]["open"] == 1
    assert snapshot["sections"][-1]["id"] == "warnings"

    report, _ = services.report_request(kind="pass_rate", period="2017", jurisdiction=regions["430100"])
    services.report_generate(report_id=report.pk)
    report.refresh_from_db()
    text = _pdf_text(report.file.read())
    assert "风险预警" in text and "触发预警2条" in text and "仍有1条未办结" in text
    assert "企业反复不合格" in text
    # The sections before it keep their numbers.
    assert "不合格产品批次" in text


def test_the_credit_report_counts_the_warnings(regions):
    make_warning(region_code="430102")

    snapshot = pipeline.build_snapshot(get_kind("credit"), Period.parse("2017"), regions["430000"])

    assert snapshot["warnings"]["by_level"]["warning"] == 1
    assert snapshot["sections"][-1] == {"id": "warnings", "title": "风险预警"}

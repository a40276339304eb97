"""The recall report: figures from SQL, a PDF with the Chinese title; the daily late-report task."""

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from core.models import Region, Role
from core.reports.periods import Period
from core.reports.pipeline import build_snapshot, render_pdf
from core.reports.registry import get_kind
from recalls.models import Category
from recalls.services import recalls as services
from recalls.tasks import flag_late_recall_reports
from recalls.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(regions):
    maker = f.producer(name="湘江汽车股份有限公司")
    account = f.producer_account(maker)
    leader = f.staff(Role.LEADER, "430102")
    car = f.published_recall(account, leader, maker, category=Category.VEHICLE, filed_on=dt.date(2026, 3, 2))
    kettle = f.published_recall(account, leader, maker, filed_on=dt.date(2026, 4, 1), published_on=dt.date(2026, 4, 2))
    services.progress_report_submit(
        user=account,
        recall=kettle,
        units_affected=1200,
        units_remedied=600,
        units_unreachable=200,
        unreachable_reasons="失联",
        on=dt.date(2026, 6, 1),
    )
    f.filed_recall(account, maker, filed_on=dt.date(2025, 5, 1))
    return {"car": car, "kettle": kettle}


def test_report_figures_by_category_and_producer(data):
    kind = get_kind("recalls")
    snapshot = build_snapshot(kind, Period.parse("2026"), Region.objects.get(code="430000"))
    totals = snapshot["totals"]
    assert totals["recalls"] == 2 and totals["units"] == 1301 and totals["remedied"] == 600
    assert totals["rate"] == round(600 * 100 / 1101, 1)
    by_category = {r["category"]: r for r in snapshot["by_category"]}
    assert by_category["consumer"]["rate"] == 60.0 and by_category["vehicle"]["units"] == 101
    assert snapshot["by_producer"][0]["producer__name"] == "湘江汽车股份有限公司"
    assert snapshot["previous"]["recalls"] == 1
    other = build_snapshot(kind, Period.parse("2026"), Region.objects.get(code="440000"))
    assert other["totals"]["recalls"] == 0
    assert kind.jurisdictions_with_data(Period.parse("2026-Q1")) == ["430102"]


def test_report_pdf_has_the_title_and_figures(data):
    kind = get_kind("recalls")
    snapshot = build_snapshot(kind, Period.parse("2026"), Region.objects.get(code="430000"))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(render_pdf(kind, snapshot))).pages)
    assert "缺陷产品召回情况报告" in text and "湘江汽车股份有限公司" in text


def test_daily_task_flags_late_reports_once(data):
    first = flag_late_recall_reports()
    assert first >= 1 and flag_late_recall_reports() == first


def test_the_quarterly_schedule_queues_a_recall_report(data, django_capture_on_commit_callbacks):
    from core.reports.services import reports_schedule

    with django_capture_on_commit_callbacks():
        queued = reports_schedule(periodicity="quarter", today=dt.date(2026, 4, 2))
    recall_reports = [r for r in queued if r.kind == "recalls"]
    assert recall_reports and {r.period for r in recall_reports} == {"2026-Q1"}

"""The credit report: figures from SQL, registered with the pipeline, rendered to PDF."""

import datetime as dt
import io

from pypdf import PdfReader

from core.models import Region
from core.reports.periods import Period
from core.reports.pipeline import build_snapshot, render_pdf
from core.reports.registry import get_kind
from core.reports.services import reports_schedule
from credit.services.classes import recompute_classes
from credit.services.records import take_up_facts
from credit.tests.factories import enterprise, make_fact


def test_credit_report_counts_classes_and_renders(regions):
    firms = [enterprise(industry="电气机械和器材制造业") for _ in range(3)]
    make_fact(firms[0], "recalls.defect_concealed", dt.date(2025, 3, 1))
    take_up_facts()
    recompute_classes(on=dt.date(2025, 3, 2))
    make_fact(firms[1], "sampling.verdict_failed", dt.date(2025, 5, 1))
    take_up_facts()
    recompute_classes(on=dt.date(2025, 5, 2))
    kind = get_kind("credit")
    snapshot = build_snapshot(kind, Period.parse("2025"), Region.objects.get(code="430000"))
    counts = {d["cls"]: d["count"] for d in snapshot["distribution"]}
    assert counts == {"A": 0, "B": 1, "C": 1, "D": 1}
    assert snapshot["totals"]["changes"] == 1 and snapshot["totals"]["up"] == 1
    assert snapshot["by_region"][0]["label"] == "长沙市" and snapshot["by_region"][0]["D"] == 1
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(render_pdf(kind, snapshot))).pages)
    assert "质量信用分析报告" in text and "按行业" in text


def test_scheduled_with_the_periodic_reports(regions):
    firm = enterprise()
    make_fact(firm, "sampling.verdict_failed", dt.date(2025, 3, 1))
    take_up_facts()
    recompute_classes(on=dt.date(2025, 3, 2))
    queued = reports_schedule(periodicity="year", today=dt.date(2026, 1, 1))
    assert {(r.kind, r.jurisdiction_id) for r in queued if r.kind == "credit"} >= {
        ("credit", "430102"),
        ("credit", "430000"),
    }

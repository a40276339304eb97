"""A fresh install's report archive is not empty: generate_demo_reports makes the last periods' reports, once."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from core.models_reports import Report, ReportStatus
from sampling.tests.reports_data import make_report_data

pytestmark = pytest.mark.django_db


def test_the_last_finished_periods_with_data_get_a_report_and_a_second_run_adds_none(regions, settings, monkeypatch):
    # given judged batches of 2017 (湖南省 and 广东省) and "today" early in 2018
    make_report_data(regions)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: dt.date(2018, 1, 15))

    out = StringIO()
    call_command("generate_demo_reports", stdout=out)

    # then each province with data has its annual, Q3 (the last quarter with data) and August report, done
    reports = Report.objects.order_by("jurisdiction_id", "period")
    got = {(r.jurisdiction_id, r.period) for r in reports}
    assert {("430000", "2017"), ("430000", "2017-Q3"), ("430000", "2017-08")} <= got
    assert all(r.status == ReportStatus.DONE and r.file_size for r in reports)
    assert "湖南省2017年产品质量监督抽查合格率分析报告" in out.getvalue()

    # and running it again makes nothing new
    count = reports.count()
    call_command("generate_demo_reports", stdout=StringIO())
    assert Report.objects.count() == count

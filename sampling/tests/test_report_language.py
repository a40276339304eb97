"""A stored report read in English on request: the same figures, the words in English (title, summary, headings)."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from core.models import Role
from core.reports import languages, services
from core.reports.registry import get_kind
from core.tests.factories import UserFactory
from sampling.tests.reports_data import make_report_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(regions, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    make_report_data(regions)
    report, _created = services.report_request(kind="pass_rate", period="2017", jurisdiction=regions["430100"])
    services.report_generate(report_id=report.pk)
    report.refresh_from_db()
    return report


@pytest.fixture
def leader_client(client, regions):
    client.force_login(UserFactory(role=Role.LEADER, jurisdiction=regions["430100"]))
    return client


def test_the_english_snapshot_keeps_the_figures_and_translates_the_words(report):
    english = languages.localized_snapshot(get_kind("pass_rate"), report.snapshot, "en")
    assert english["totals"] == report.snapshot["totals"]
    assert (
        english["breakdowns"]["group"]["rows"][0]["batches"]
        == report.snapshot["breakdowns"]["group"]["rows"][0]["batches"]
    )
    assert "Pass Rate Analysis Report" in english["meta"]["title"]
    assert "batch pass rate of 75.0%" in english["summary"]
    assert "批次合格率" not in english["summary"]
    assert [s["title"] for s in english["sections"]][0] == "Overview"
    # the stored snapshot itself is untouched (Chinese)
    assert "批次合格率为 75.0%" in report.snapshot["summary"]


def test_the_english_pdf_is_served_on_request_and_the_stored_one_stays_chinese(report, leader_client):
    url = reverse("core:report_download", args=[report.pk])
    english = leader_client.get(url, {"lang": "en"})
    assert english.status_code == 200 and english["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(english.content)).pages)
    assert "Pass Rate Analysis Report" in text and "75.0" in text
    chinese = leader_client.get(url)
    chinese_text = "".join(
        page.extract_text() for page in PdfReader(io.BytesIO(b"".join(chinese.streaming_content))).pages
    )
    assert "合格率分析报告" in chinese_text


def test_an_unknown_language_falls_back_to_the_stored_report(report, leader_client):
    response = leader_client.get(reverse("core:report_view", args=[report.pk]), {"lang": "xx"})
    assert "合格率分析报告" in response.content.decode()


def test_an_english_reader_sees_english_titles_and_summary(report, leader_client):
    leader_client.post(reverse("set_language"), {"language": "en", "next": "/"})
    listing = leader_client.get(reverse("core:report_list")).content.decode()
    assert "Pass Rate Analysis Report" in listing
    detail = leader_client.get(reverse("core:report_detail", args=[report.pk])).content.decode()
    assert "batch pass rate of 75.0%" in detail
    assert "?lang=en" in detail


def test_the_command_writes_an_english_pdf(report, regions, tmp_path):
    from django.core.management import call_command

    target = tmp_path / "en.pdf"
    call_command(
        "generate_report",
        "pass_rate",
        "--period",
        "2017",
        "--jurisdiction",
        "430100",
        "--output",
        str(target),
        "--language",
        "en",
        stdout=io.StringIO(),
    )
    text = "".join(page.extract_text() for page in PdfReader(str(target)).pages)
    assert "Pass Rate Analysis Report" in text

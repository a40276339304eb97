"""The import through the front door: it ends in the same after-confirmation step as the browser (notice step,
facts, product lines), corrects confirmed results with amendments, and archives old years visibly."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from core.models_facts import EnterpriseFact
from core.timelimits import due_for
from sampling.models import FollowUp, FollowUpOutcome, FollowUpStep, Sample
from sampling.selectors import followups_visible_to
from sampling.services.importing import import_sampling
from sampling.tests.data.spreadsheets import make_reference_data, row, write_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def ref(regions):
    return make_reference_data(regions)


def failing(ref, no="S002", **extra):
    return row(ref["furong"], no, 检验结论="不合格", 不合格项目="泄漏电流", **extra)


def test_an_imported_failure_has_its_notice_step_and_facts_like_the_browser(ref, tmp_path, county_inspector):
    summary = import_sampling(
        file=write_csv(tmp_path / "a.csv", [row(ref["furong"], "S001"), failing(ref)]), user=county_inspector
    )
    failed = Sample.objects.get(sample_no="S002")
    notice = failed.followups.get()
    assert notice.step == FollowUpStep.NOTICE and notice.done_on is None
    assert notice.due_on == due_for("sampling.notice", timezone.localdate()).due
    assert notice.time_limit.key == "sampling.notice"
    # on the inspector's list, like a browser-confirmed failure
    assert followups_visible_to(county_inspector).filter(pk=notice.pk).exists()
    assert summary.notices_opened == 1
    kinds = sorted(EnterpriseFact.objects.values_list("kind", flat=True))
    assert kinds == ["sampling.verdict_failed", "sampling.verdict_passed"]
    assert EnterpriseFact.objects.get(kind="sampling.verdict_failed").data["failed_items"] == ["泄漏电流"]
    # the enterprise's product lines now include what it was sampled for
    assert ref["kettle"] in ref["furong"].product_lines.all()
    # importing the same file again opens nothing new
    import_sampling(file=write_csv(tmp_path / "b.csv", [row(ref["furong"], "S001"), failing(ref)]))
    assert FollowUp.objects.count() == 1 and EnterpriseFact.objects.count() == 2


def test_an_archive_import_opens_no_step_and_says_so(ref, tmp_path, county_inspector):
    summary = import_sampling(file=write_csv(tmp_path / "old.csv", [failing(ref)]), user=county_inspector, archive=True)
    step = FollowUp.objects.get()
    assert step.outcome == FollowUpOutcome.OUTSIDE and step.done_on is not None
    assert "平台外办结" in step.note and "old.csv" in step.note
    assert not followups_visible_to(county_inspector, state="overdue").exists()
    assert not followups_visible_to(county_inspector, state="open").exists()
    assert summary.chains_outside == 1 and summary.notices_opened == 0
    assert "平台外办结" in summary.archive_note and "1 批" in summary.archive_note
    # the verdict fact carries the old date, not today's
    assert EnterpriseFact.objects.get(kind="sampling.verdict_failed").occurred_on.year == 2017


def test_the_command_archives_and_reports_it(ref, tmp_path, provincial_admin):
    out = io.StringIO()
    call_command(
        "import_sampling", str(write_csv(tmp_path / "old.csv", [failing(ref)])), "--archive",
        "--user", provincial_admin.username, stdout=out,
    )  # fmt: skip
    text = out.getvalue()
    assert "平台外办结" in text and "生成送达不合格通知：0" in text


def test_a_reimport_turning_a_failure_into_a_pass_closes_the_chain(ref, tmp_path, county_inspector):
    import_sampling(file=write_csv(tmp_path / "a.csv", [failing(ref)]), user=county_inspector)
    summary = import_sampling(
        file=write_csv(tmp_path / "b.csv", [row(ref["furong"], "S002", 检验报告编号="R-S002-2")]), user=county_inspector
    )
    sample = Sample.objects.get(sample_no="S002")
    assert sample.final_verdict == "pass"
    assert not sample.followups.filter(done_on__isnull=True).exists()
    assert summary.amendments == 1 and summary.chains_closed == 1
    amendment = sample.results.get().amendments.get()
    assert amendment.amended_by == county_inspector and amendment.before["verdict"] == "fail"


def test_the_upload_page_offers_the_archive_box_to_those_allowed(login, ref, county_inspector, institution_user):
    page = login(county_inspector).get("/sampling/import/").content.decode()
    assert 'name="archive"' in page
    page = login(institution_user).get("/sampling/import/").content.decode()
    assert 'name="archive"' not in page


def test_the_upload_page_archives(login, ref, county_inspector):
    data = write_csv_bytes(ref)
    response = login(county_inspector).post(
        "/sampling/import/", {"file": SimpleUploadedFile("old.csv", data), "archive": "on"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "data-archive-note" in html and "平台外办结" in html
    assert FollowUp.objects.get().outcome == FollowUpOutcome.OUTSIDE


def write_csv_bytes(ref) -> bytes:
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        return Path(write_csv(Path(folder) / "old.csv", [failing(ref)])).read_bytes()

"""The report archive services and Celery tasks: one report per (kind, period, jurisdiction), safe to
run twice, failures recorded without leaving files, and the beat schedule."""

import datetime as dt
from datetime import timedelta

import pytest
from celery.exceptions import Retry
from django.db import DatabaseError
from django.utils import timezone

from core.errors import DomainError, PermissionDenied
from core.models_reports import Report, ReportStatus
from core.reports import pipeline, services
from core.tasks import generate_report
from core.tests import reports_support
from core.tests.reports_support import TOY_TITLE, stored_files

pytestmark = pytest.mark.django_db
toy_kind = reports_support.toy_kind
media = reports_support.media


def test_asking_twice_gives_one_report(toy_kind, media, regions, provincial_leader, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as queued:
        first, created = services.report_request(
            kind="toy", period="2017", jurisdiction=regions["430100"], user=provincial_leader
        )
    with django_capture_on_commit_callbacks(execute=True) as queued_again:
        second, created_again = services.report_request(
            kind="toy", period="2017", jurisdiction=regions["430100"], user=provincial_leader
        )

    assert (created, created_again) == (True, False)
    assert (len(queued), len(queued_again)) == (1, 0)
    assert first.pk == second.pk
    assert Report.objects.count() == 1
    report = Report.objects.get()
    assert report.status == ReportStatus.DONE
    assert report.title == f"长沙市2017年{TOY_TITLE}"
    assert report.snapshot["value"] == 42
    assert report.snapshot["meta"]["issuer"] == "长沙市市场监督管理局"
    assert len(stored_files(media)) == 1


def test_the_task_run_twice_keeps_one_report_and_one_file(toy_kind, media, regions):
    report, _ = services.report_request(kind="toy", period="2017-Q3", jurisdiction=regions["430102"])

    generate_report.delay(report.pk)
    generate_report.delay(report.pk)

    report.refresh_from_db()
    assert report.status == ReportStatus.DONE
    assert report.attempts == 1
    assert report.file.read().startswith(b"%PDF")
    assert len(stored_files(media)) == 1


def test_a_report_another_worker_is_generating_is_skipped(toy_kind, media, regions):
    report, _ = services.report_request(kind="toy", period="2017", jurisdiction=regions["430102"])
    now = timezone.now()
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.RUNNING, started_at=now, heartbeat_at=now)

    with pytest.raises(services.ReportBusy):  # the task retries later instead of dropping the job
        services.report_generate(report_id=report.pk)

    report.refresh_from_db()
    assert report.status == ReportStatus.RUNNING
    assert stored_files(media) == []


def test_a_report_left_running_by_a_dead_worker_is_taken_over(toy_kind, media, regions):
    report, _ = services.report_request(kind="toy", period="2017", jurisdiction=regions["430102"])
    Report.objects.filter(pk=report.pk).update(
        status=ReportStatus.RUNNING, started_at=timezone.now() - timedelta(hours=2)
    )

    services.report_generate(report_id=report.pk)

    report.refresh_from_db()
    assert report.status == ReportStatus.DONE


def test_a_failed_render_leaves_no_file_and_records_the_reason(toy_kind, media, regions, monkeypatch):
    report, _ = services.report_request(kind="toy", period="2017", jurisdiction=regions["430102"])

    def broken(*args, **kwargs):
        raise RuntimeError("字体文件缺失")

    monkeypatch.setattr(pipeline, "render_pdf", broken)
    with pytest.raises(RuntimeError):
        services.report_generate(report_id=report.pk)

    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED
    assert "生成失败" in report.error and "字体文件缺失" in report.error
    assert not report.file
    assert stored_files(media) == []


def test_a_failed_database_write_deletes_the_saved_file(toy_kind, media, regions, monkeypatch):
    report, _ = services.report_request(kind="toy", period="2017", jurisdiction=regions["430102"])
    original_save = Report.save

    def save_failing_on_done(self, *args, **kwargs):
        if "file" in (kwargs.get("update_fields") or []):
            raise DatabaseError("connection lost")
        return original_save(self, *args, **kwargs)

    monkeypatch.setattr(Report, "save", save_failing_on_done)
    with pytest.raises(DatabaseError):
        services.report_generate(report_id=report.pk)

    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED
    assert "connection lost" in report.error
    assert stored_files(media) == []


def test_a_failed_report_asked_again_is_queued_again(toy_kind, media, regions, django_capture_on_commit_callbacks):
    report, _ = services.report_request(kind="toy", period="2017", jurisdiction=regions["430102"])
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.FAILED, error="生成失败：超时")

    with django_capture_on_commit_callbacks() as queued:
        again, created = services.report_request(kind="toy", period="2017", jurisdiction=regions["430102"])

    assert not created and again.pk == report.pk
    assert again.status == ReportStatus.QUEUED and again.error == ""
    assert len(queued) == 1


def test_staff_ask_only_within_their_jurisdiction(toy_kind, regions, county_inspector):
    with pytest.raises(PermissionDenied, match="无权生成"):
        services.report_request(kind="toy", period="2017", jurisdiction=regions["430103"], user=county_inspector)
    assert not Report.objects.exists()


@pytest.mark.parametrize("years_ahead", [0, 1])
def test_a_period_not_over_yet_is_refused(toy_kind, regions, years_ahead):
    year = str(timezone.localdate().year + years_ahead)
    with pytest.raises(DomainError, match="尚未结束"):
        services.report_request(kind="toy", period=year, jurisdiction=regions["430102"])
    assert not Report.objects.exists()


def test_the_schedule_makes_one_report_per_jurisdiction_with_data_and_is_idempotent(toy_kind, regions):
    services.reports_schedule(periodicity="month", today=dt.date(2017, 6, 1))
    services.reports_schedule(periodicity="month", today=dt.date(2017, 6, 1))

    toy_reports = Report.objects.filter(kind="toy")
    assert sorted(toy_reports.values_list("jurisdiction_id", flat=True)) == ["000000", "430000", "430100", "430102"]
    assert set(toy_reports.values_list("period", flat=True)) == {"2017-05"}


def test_the_beat_schedule_contains_the_report_jobs():
    from quality_platform.celery import app

    jobs = {
        entry["kwargs"]["periodicity"]: entry["schedule"]
        for entry in app.conf.beat_schedule.values()
        if entry["task"] == "core.tasks.schedule_periodic_reports"
    }

    assert set(jobs) == {"month", "quarter", "year"}
    assert jobs["month"].day_of_month == {1}
    assert jobs["quarter"].month_of_year == {1, 4, 7, 10}
    assert jobs["year"].month_of_year == {1}
    assert "core.tasks.schedule_periodic_reports" in app.tasks
    assert "core.tasks.generate_report" in app.tasks


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_make_one_report_and_one_file(toy_kind, media, regions):
    import threading

    from django.db import connection

    errors = []
    barrier = threading.Barrier(2)

    def worker():
        try:
            barrier.wait()
            report, _ = services.report_request(kind="toy", period="2016", jurisdiction=regions["430102"])
            services.report_generate(report_id=report.pk)
        except (services.ReportBusy, Retry):
            pass  # the other worker holds it; a real task retries later and finds it done
        except Exception as exc:  # a failure in a thread must fail the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert Report.objects.filter(kind="toy").count() == 1
    report = Report.objects.get(kind="toy")
    assert report.status == ReportStatus.DONE
    # Each request also queued the (eager) task: of four attempts exactly one generated the report.
    assert report.attempts == 1
    assert len(stored_files(media)) == 1

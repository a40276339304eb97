"""Reports survive bad days: a worker killed mid-render, a redelivered job, and a broker that is down."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from core.models_reports import Report, ReportStatus
from core.reports import services
from core.tasks import generate_report, recover_reports
from core.tests import reports_support
from core.tests.reports_support import stored_files

pytestmark = pytest.mark.django_db
toy_kind = reports_support.toy_kind
media = reports_support.media


def _left_running_by_a_dead_worker(report: Report, minutes_ago: int = 5) -> None:
    then = timezone.now() - timedelta(minutes=minutes_ago)
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.RUNNING, started_at=then, heartbeat_at=then)


def test_the_redelivered_job_of_a_killed_worker_takes_the_report_over_exactly_once(toy_kind, media, regions):
    # Given a report whose worker was killed mid-render: running, no heartbeat for five minutes
    report, _ = services.report_request(kind="toy", period="2017", jurisdiction=regions["430102"])
    Report.objects.filter(pk=report.pk).update(attempts=1)
    _left_running_by_a_dead_worker(report)

    # When the job is delivered again (twice, as brokers may)
    generate_report.delay(report.pk)
    generate_report.delay(report.pk)

    # Then it is completed once, and the report says what happened
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE
    assert report.attempts == 2
    assert "中断" in report.note and "接手" in report.note
    assert len(stored_files(media)) == 1


def test_asking_again_for_a_stuck_report_queues_it_again(
    toy_kind, media, regions, provincial_leader, django_capture_on_commit_callbacks
):
    report, _ = services.report_request(kind="toy", period="2017", jurisdiction=regions["430102"])
    _left_running_by_a_dead_worker(report)

    with django_capture_on_commit_callbacks(execute=True) as queued:
        again, created = services.report_request(
            kind="toy", period="2017", jurisdiction=regions["430102"], user=provincial_leader
        )

    assert not created and len(queued) == 1
    again.refresh_from_db()
    assert again.status == ReportStatus.DONE


def test_a_live_worker_is_not_disturbed(
    toy_kind, media, regions, provincial_leader, django_capture_on_commit_callbacks
):
    report, _ = services.report_request(kind="toy", period="2017", jurisdiction=regions["430102"])
    _left_running_by_a_dead_worker(report, minutes_ago=0)

    with django_capture_on_commit_callbacks(execute=True) as queued:
        services.report_request(kind="toy", period="2017", jurisdiction=regions["430102"], user=provincial_leader)
    assert queued == []
    assert services.reports_recover() == []
    report.refresh_from_db()
    assert report.status == ReportStatus.RUNNING


def test_the_detail_page_shows_that_the_report_was_taken_over(toy_kind, media, regions, provincial_leader, login):
    report, _ = services.report_request(kind="toy", period="2017", jurisdiction=regions["430102"])
    _left_running_by_a_dead_worker(report)
    generate_report.delay(report.pk)

    page = login(provincial_leader).get(reverse("core:report_detail", args=[report.pk])).content.decode()
    assert "已于" in page and "接手重新生成" in page


@pytest.fixture
def broker_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6390. Connection refused.")

    monkeypatch.setattr(generate_report, "apply_async", refuse)
    return monkeypatch


def test_asking_for_a_report_while_the_broker_is_down_is_recorded_and_queued_by_beat_later(
    toy_kind, media, regions, provincial_leader, login, broker_down, django_capture_on_commit_callbacks
):
    client = login(provincial_leader)
    data = {"kind": "toy", "period": "2017", "jurisdiction": "430100"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("core:report_request"), data)

    # The page answers, and the report says that it waits for the queue
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.status == ReportStatus.QUEUED and report.enqueued_at is None
    assert "任务队列暂时不可用" in client.get(response["Location"]).content.decode()

    # When the broker is back, the beat job queues it and it is generated
    broker_down.undo()
    with django_capture_on_commit_callbacks(execute=True):
        assert recover_reports.delay().get() == 1
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE and report.note == ""
    assert services.reports_recover() == []


def test_the_beat_schedule_runs_the_recovery():
    from quality_platform.celery import app

    assert any(entry["task"] == "core.tasks.recover_reports" for entry in app.conf.beat_schedule.values())

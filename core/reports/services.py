"""Writes of the report archive: asking for a report, generating it (safe to run twice), scheduling."""

from __future__ import annotations

import logging
import threading
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core.errors import DomainError, PermissionDenied
from core.models import Region
from core.models_reports import Report, ReportStatus
from core.reports import pipeline
from core.reports.periods import Period, last_finished
from core.reports.registry import all_kinds, get_kind
from core.selectors import jurisdiction_prefix, region_in_jurisdiction

logger = logging.getLogger(__name__)

REPORT_ROLES = ("leader", "administrator", "inspector", "case_handler", "legal_reviewer")
REQUEST_ROLES = ("leader", "administrator", "inspector")


def can_request_report(user, region: Region) -> bool:
    return user.has_role(*REQUEST_ROLES) and region_in_jurisdiction(user, region.code)


BROKER_DOWN_NOTE = gettext_noop("任务队列暂时不可用，已记录该请求，队列恢复后将自动开始生成。")


def _broker_errors() -> tuple[type[BaseException], ...]:
    from kombu.exceptions import OperationalError

    errors: list[type[BaseException]] = [OperationalError, ConnectionError, TimeoutError]
    try:
        import redis

        errors.append(redis.exceptions.ConnectionError)
    except ImportError:  # pragma: no cover
        pass
    return tuple(errors)


def send_to_queue(report_id: int) -> bool:
    """Hand the job to the broker. When the broker is down the report stays queued without ``enqueued_at`` and says so;
    ``reports_recover`` (beat) sends it again. Never raises for a broker outage: the page that asked still answers."""
    from core.tasks import generate_report

    try:
        generate_report.apply_async(args=[report_id], retry=True, retry_policy={"max_retries": 1, "interval_start": 0})
    except _broker_errors() as exc:
        logger.warning("report %s could not be queued: %s", report_id, exc)
        Report.objects.filter(pk=report_id, status=ReportStatus.QUEUED).update(
            enqueued_at=None, note=_(BROKER_DOWN_NOTE)
        )
        return False
    Report.objects.filter(pk=report_id, status=ReportStatus.QUEUED, enqueued_at__isnull=True).update(
        enqueued_at=timezone.now()
    )
    return True


def _enqueue(report_id: int) -> None:
    transaction.on_commit(lambda: send_to_queue(report_id))


def heartbeat_seconds() -> int:
    return int(getattr(settings, "REPORT_HEARTBEAT_SECONDS", 15))


def stale_seconds() -> int:
    """A running report whose worker has not reported progress for this long is taken over."""
    return int(getattr(settings, "REPORT_STALE_SECONDS", 90))


def is_stale(report: Report, now: datetime | None = None) -> bool:
    if report.status != ReportStatus.RUNNING:
        return False
    last = report.heartbeat_at or report.started_at
    return last is None or last < (now or timezone.now()) - timedelta(seconds=stale_seconds())


def report_request(*, kind: str, period: str, jurisdiction: Region, user=None) -> tuple[Report, bool]:
    """Ask for a report of a period and jurisdiction. Reports are keyed by (kind, period, jurisdiction):
    an existing report is returned as it is, a failed one is queued again. Staff ask only within their
    jurisdiction; the period must be over."""
    report_kind = get_kind(kind)
    parsed = Period.parse(period)
    if parsed.kind not in report_kind.periodicities:
        raise DomainError(
            _("%(kind)s不提供%(period)s报告。") % {"kind": report_kind.title, "period": parsed.kind_label}
        )
    # A stored report never changes, so it is made only once its period is over.
    if parsed.end >= timezone.localdate():
        raise DomainError(_("统计期间 %(period)s 尚未结束，结束后方可生成报告。") % {"period": parsed.label})
    if user is not None and not can_request_report(user, jurisdiction):
        raise PermissionDenied(_("无权生成“%(region)s”的报告。") % {"region": jurisdiction.name})
    with transaction.atomic():
        report, created = Report.objects.get_or_create(
            kind=report_kind.code,
            period=str(parsed),
            jurisdiction=jurisdiction,
            defaults={
                "period_start": parsed.start,
                "period_end": parsed.end,
                "title": report_kind.report_title(parsed, pipeline.region_title_name(jurisdiction)),
                "requested_by": user,
            },
        )
        if created:
            _enqueue(report.pk)
            return report, True
        report = Report.objects.select_for_update().get(pk=report.pk)
        _requeue_if_stuck(report)
        return report, False


def _requeue_if_stuck(report: Report) -> bool:
    """Queue again a failed report, one whose worker died (stale heartbeat) or one the broker never received."""
    now = timezone.now()
    if report.status == ReportStatus.FAILED:
        report.note = ""
    elif is_stale(report, now):
        report.note = _("上次生成于 %(time)s 中断（后台任务未再报告进度），已重新排队。") % {
            "time": timezone.localtime(report.heartbeat_at or report.started_at or now).strftime("%Y-%m-%d %H:%M")
        }
    elif not (report.status == ReportStatus.QUEUED and report.enqueued_at is None):
        return False
    report.status = ReportStatus.QUEUED
    report.error = ""
    report.enqueued_at = None
    report.save(update_fields=["status", "error", "enqueued_at", "note"])
    _enqueue(report.pk)
    return True


# _claim's answers besides a claimed report.
NOTHING_TO_DO = "nothing"
BUSY = "busy"


def _claim(report_id: int) -> Report | str:
    """Mark the report running unless it is done or a live worker holds it. A running report whose worker stopped
    reporting progress (killed mid-render) is taken over, and the page says so."""
    with transaction.atomic():
        report = Report.objects.select_for_update(skip_locked=True).filter(pk=report_id).first()
        if report is None:
            # Locked by a worker claiming it right now, or gone.
            return BUSY if Report.objects.filter(pk=report_id).exists() else NOTHING_TO_DO
        if report.status == ReportStatus.DONE:
            return NOTHING_TO_DO
        now = timezone.now()
        if report.status == ReportStatus.RUNNING:
            if not is_stale(report, now):
                return BUSY
            report.note = _("上次生成于 %(time)s 中断（后台任务未再报告进度），已于 %(now)s 接手重新生成。") % {
                "time": timezone.localtime(report.heartbeat_at or report.started_at or now).strftime("%Y-%m-%d %H:%M"),
                "now": timezone.localtime(now).strftime("%Y-%m-%d %H:%M"),
            }
        elif report.status == ReportStatus.QUEUED and report.note == _(BROKER_DOWN_NOTE):
            report.note = ""
        report.status = ReportStatus.RUNNING
        report.started_at = report.heartbeat_at = now
        report.attempts += 1
        report.error = ""
        report.save(update_fields=["status", "started_at", "heartbeat_at", "attempts", "error", "note"])
        return report


class _Heartbeat:
    """Touches ``heartbeat_at`` every few seconds from a thread while the report renders."""

    def __init__(self, report_id: int) -> None:
        self.report_id = report_id
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"report-heartbeat-{report_id}", daemon=True)

    def __enter__(self) -> _Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        from django.db import connection

        try:
            while not self._stop.wait(heartbeat_seconds()):
                Report.objects.filter(pk=self.report_id, status=ReportStatus.RUNNING).update(
                    heartbeat_at=timezone.now()
                )
        except Exception:  # a lost heartbeat only means another worker may take over later
            logger.exception("report %s heartbeat failed", self.report_id)
        finally:
            connection.close()


def _record_failure(report_id: int, reason: str) -> None:
    with transaction.atomic():
        Report.objects.filter(pk=report_id).exclude(status=ReportStatus.DONE).update(
            status=ReportStatus.FAILED, error=reason[:2000], finished_at=timezone.now()
        )


def _store(report_id: int, snapshot: dict, pdf: bytes) -> Report:
    """Save the file and mark the report done in one transaction; if the database write fails the file
    is deleted again, so there is never a file without a finished report."""
    saved_name = ""
    try:
        with transaction.atomic():
            report = Report.objects.select_for_update().get(pk=report_id)
            if report.status == ReportStatus.DONE:
                return report
            filename = f"{report.kind}_{report.period}_{report.jurisdiction_id}.pdf"
            report.file.save(filename, ContentFile(pdf), save=False)
            saved_name = report.file.name
            report.snapshot = snapshot
            report.title = snapshot["meta"]["title"]
            report.file_size = len(pdf)
            report.status = ReportStatus.DONE
            report.finished_at = timezone.now()
            report.save(update_fields=["file", "snapshot", "title", "file_size", "status", "finished_at"])
            return report
    except Exception:
        if saved_name:
            Report._meta.get_field("file").storage.delete(saved_name)
        raise


class ReportBusy(Exception):
    """Another live worker is generating the report: try again after its heartbeat could have gone stale."""


def report_generate(*, report_id: int) -> Report | None:
    """Generate a queued report, exactly once. Safe to run twice or in two workers at once: a done report is left
    alone; one a live worker is generating raises ``ReportBusy`` (the task retries later, so a redelivered job is
    never dropped while its first worker might be dead); a stale one is taken over. A failure is recorded."""
    report = _claim(report_id)
    if report == NOTHING_TO_DO:
        return None
    if report == BUSY:
        raise ReportBusy(report_id)
    try:
        kind = get_kind(report.kind)
        with _Heartbeat(report_id):
            snapshot = pipeline.build_snapshot(kind, Period.parse(report.period), report.jurisdiction)
            pdf = pipeline.render_pdf(kind, snapshot)
        return _store(report_id, snapshot, pdf)
    except Exception as exc:
        logger.exception("report %s failed", report_id)
        reason = str(exc) if isinstance(exc, DomainError) else f"{type(exc).__name__}: {exc}"
        _record_failure(report_id, _("生成失败：%(reason)s") % {"reason": reason})
        raise


def reports_recover() -> list[int]:
    """Beat, every few minutes: queue again the reports whose worker died (stale heartbeat) and those the broker never
    received (asked while it was down) or lost (queued long ago and never started)."""
    now = timezone.now()
    lost_before = now - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + stale_seconds())
    candidates = Report.objects.filter(status__in=[ReportStatus.RUNNING, ReportStatus.QUEUED]).values_list(
        "pk", flat=True
    )
    recovered = []
    for pk in list(candidates):
        with transaction.atomic():
            report = Report.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
            if report is None:
                continue
            if report.status == ReportStatus.QUEUED and report.enqueued_at and report.enqueued_at < lost_before:
                report.enqueued_at = None  # the message was lost: send it again
            if _requeue_if_stuck(report):
                recovered.append(pk)
    return recovered


def jurisdictions_for(codes: set[str]) -> list[Region]:
    """The regions whose reports cover ``codes``: each code, its city, its province and the nation."""
    wanted = {"000000"}
    for code in codes:
        wanted.update({code, code[:4] + "00", code[:2] + "0000"})
    return list(Region.objects.filter(code__in=wanted).order_by("code"))


def reports_schedule(*, periodicity: str, today: date | None = None) -> list[Report]:
    """The periodic run (Celery beat): for the period that has just ended, one report of every kind for each
    jurisdiction that has data. Reports that exist already are not made again."""
    period = last_finished(periodicity, today or timezone.localdate())
    queued: list[Report] = []
    for kind in all_kinds():
        if periodicity not in kind.periodicities:
            continue
        for region in jurisdictions_for(set(kind.jurisdictions_with_data(period))):
            report, created = report_request(kind=kind.code, period=str(period), jurisdiction=region)
            if created or report.status == ReportStatus.QUEUED:
                queued.append(report)
    return queued


def reports_visible_to(user):
    """A user sees the reports of their jurisdiction and of the regions below it."""
    prefix = jurisdiction_prefix(user)
    if prefix is None or not (user.is_superuser or user.role in REPORT_ROLES):
        return Report.objects.none()
    qs = Report.objects.select_related("jurisdiction", "requested_by")
    return qs.filter(jurisdiction__code__startswith=prefix) if prefix else qs

"""Writes of the report archive: asking for a report, generating it (safe to run twice), scheduling."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

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


def _enqueue(report_id: int) -> None:
    from core.tasks import generate_report

    transaction.on_commit(lambda: generate_report.delay(report_id))


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
        if report.status == ReportStatus.FAILED:
            report.status = ReportStatus.QUEUED
            report.error = ""
            report.save(update_fields=["status", "error"])
            _enqueue(report.pk)
        return report, False


def _stale_before() -> datetime:
    # A report still "running" after the task's hard time limit belongs to a worker that died.
    return timezone.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)


def _claim(report_id: int) -> Report | None:
    """Mark the report running unless it is done or another worker holds it; None means: nothing to do."""
    with transaction.atomic():
        report = Report.objects.select_for_update(skip_locked=True).filter(pk=report_id).first()
        if report is None or report.status == ReportStatus.DONE:
            return None
        if report.status == ReportStatus.RUNNING and report.started_at and report.started_at > _stale_before():
            return None
        report.status = ReportStatus.RUNNING
        report.started_at = timezone.now()
        report.attempts += 1
        report.error = ""
        report.save(update_fields=["status", "started_at", "attempts", "error"])
        return report


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


def report_generate(*, report_id: int) -> Report | None:
    """Generate a queued report. Safe to run twice or in two workers at once: a done report is left alone
    and a report another worker is generating is skipped. A failure is recorded with its reason."""
    report = _claim(report_id)
    if report is None:
        return None
    try:
        kind = get_kind(report.kind)
        snapshot = pipeline.build_snapshot(kind, Period.parse(report.period), report.jurisdiction)
        pdf = pipeline.render_pdf(kind, snapshot)
        return _store(report_id, snapshot, pdf)
    except Exception as exc:
        logger.exception("report %s failed", report_id)
        reason = str(exc) if isinstance(exc, DomainError) else f"{type(exc).__name__}: {exc}"
        _record_failure(report_id, _("生成失败：%(reason)s") % {"reason": reason})
        raise


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

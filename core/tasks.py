"""Celery tasks of core: take ids, call services, safe to run twice."""

from __future__ import annotations

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from core.audit import audit_context
from core.errors import DomainError


@shared_task(bind=True, acks_late=True, time_limit=15 * 60, soft_time_limit=14 * 60, max_retries=3)
def generate_report(self, report_id: int) -> None:
    """Generate one report; transient failures are retried with exponential backoff (1, 2, 4 minutes)."""
    from core.reports.services import ReportBusy, report_generate, stale_seconds

    try:
        with audit_context(source="celery:generate_report"):
            report_generate(report_id=report_id)
    except ReportBusy as busy:
        # Another worker holds it: look again once its heartbeat could have gone stale, then take over if it died.
        raise self.retry(exc=busy, countdown=stale_seconds() + 5, max_retries=20) from busy
    except (DomainError, SoftTimeLimitExceeded):
        return  # recorded on the report; running it again would fail the same way
    except Exception as exc:
        raise self.retry(exc=exc, countdown=60 * 2**self.request.retries)


@shared_task(acks_late=True, time_limit=5 * 60, soft_time_limit=4 * 60)
def recover_reports() -> int:
    """Queue again reports whose worker died or whose job never reached the broker (beat, every 2 minutes)."""
    from core.reports.services import reports_recover

    with audit_context(source="celery:recover_reports"):
        return len(reports_recover())


@shared_task(acks_late=True, time_limit=5 * 60, soft_time_limit=4 * 60)
def schedule_periodic_reports(periodicity: str) -> int:
    """Queue the monthly, quarterly or annual reports of the period that has just ended."""
    from core.reports.services import reports_schedule

    with audit_context(source="celery:schedule_periodic_reports"):
        return len(reports_schedule(periodicity=periodicity))

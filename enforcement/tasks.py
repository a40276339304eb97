"""Celery tasks of enforcement: take ids or nothing, call services, safe to run twice."""

from __future__ import annotations

from celery import shared_task

from core.audit import audit_context


@shared_task(acks_late=True, time_limit=10 * 60, soft_time_limit=9 * 60)
def record_overdue_fines() -> int:
    """Daily: an `enforcement.fine_overdue` fact for each decision whose payment limit passed unpaid."""
    from enforcement.services.publication import fines_overdue_record

    with audit_context(source="celery:record_overdue_fines"):
        return fines_overdue_record()

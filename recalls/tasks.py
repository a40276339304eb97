"""Celery tasks of recalls: take ids, call services, safe to run twice."""

from __future__ import annotations

from celery import shared_task

from core.audit import audit_context


@shared_task(acks_late=True, time_limit=10 * 60, soft_time_limit=9 * 60)
def flag_late_recall_reports() -> int:
    """Daily: a ``recalls.report_late`` fact for every notice, plan, progress report or summary past due."""
    from recalls.services.recalls import recalls_flag_late

    with audit_context(source="celery:flag_late_recall_reports"):
        return recalls_flag_late()

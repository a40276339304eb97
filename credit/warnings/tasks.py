"""Celery tasks of early warning: the daily evaluation (beat) and a past period on demand; safe to run twice."""

from __future__ import annotations

from celery import shared_task

from core.audit import audit_context


@shared_task(acks_late=True, time_limit=30 * 60, soft_time_limit=25 * 60)
def evaluate_warnings_daily() -> int:
    """Evaluate every enabled signal for the running year up to today; returns the warnings raised or updated."""
    from credit.warnings.evaluation import evaluate_daily

    with audit_context(source="celery:evaluate_warnings_daily"):
        return len(evaluate_daily().warnings)


@shared_task(acks_late=True, time_limit=30 * 60, soft_time_limit=25 * 60)
def evaluate_warnings_period(period: str) -> int:
    from core.reports.periods import Period
    from credit.warnings.evaluation import evaluate

    with audit_context(source="celery:evaluate_warnings_period"):
        return len(evaluate(period=Period.parse(period)).warnings)

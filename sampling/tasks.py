"""Celery tasks of sampling: take ids or nothing, call services, safe to run twice."""

from __future__ import annotations

from celery import shared_task

from core.audit import audit_context


@shared_task(acks_late=True)
def record_overdue_rectifications() -> int:
    """Daily: rectifications past their due date undone are recorded in the ledger (once each)."""
    from sampling.services.followups import followups_record_overdue

    with audit_context(user=None, source="sampling.record_overdue_rectifications"):
        return followups_record_overdue()

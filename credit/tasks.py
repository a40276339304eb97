"""Celery tasks of credit: take up new facts, recompute classes, remove expired listings. Safe to run twice."""

from __future__ import annotations

from celery import shared_task

from core.audit import audit_context


@shared_task(acks_late=True, time_limit=10 * 60, soft_time_limit=9 * 60)
def take_up_facts_task() -> int:
    """Every few minutes (beat): facts newer than the watermark become records; their enterprises' classes
    are recomputed."""
    from credit.services.classes import recompute_classes
    from credit.services.records import take_up_facts

    with audit_context(source="celery:credit.take_up_facts"):
        added, touched = take_up_facts()
        if touched:
            recompute_classes(enterprise_ids=touched)
    return added


@shared_task(acks_late=True, time_limit=30 * 60, soft_time_limit=29 * 60)
def recompute_all_task() -> int:
    """Nightly (beat): every class again (decay moves with the date), after taking up any new facts; the full
    rebuild of the records is ``manage.py credit_recompute``."""
    from credit.services.classes import recompute_classes
    from credit.services.records import take_up_facts

    with audit_context(source="celery:credit.recompute_all"):
        take_up_facts()
        return recompute_classes().changed


@shared_task(acks_late=True, time_limit=10 * 60, soft_time_limit=9 * 60)
def remove_expired_listings_task() -> int:
    """Daily (beat, just after midnight): listings whose term ends today are removed."""
    from credit.services.listings import listings_remove_expired

    with audit_context(source="celery:credit.remove_expired_listings"):
        return len(listings_remove_expired())

"""Reads of recalls: staff see their jurisdiction, a producer's account only its own enterprise's records,
the public only published notices (``published_recalls``), and never internal notes or reporters' details."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, F, Max, Min, Q, QuerySet
from django.db.models.functions import Upper
from django.utils import timezone

from core.lookups import ILike, contains_pattern
from core.selectors import region_q
from recalls import policies
from recalls.models import (
    DefectReport,
    DefectReportStatus,
    Investigation,
    Recall,
    RecallReport,
    RecallStatus,
    VinRange,
)
from recalls.vin import serial_of, stem_of

CLUSTER_DAYS = 90
CLUSTER_MIN_REPORTS = 3
DUE_SOON_DAYS = 10


def recalls_visible_to(user) -> QuerySet[Recall]:
    base = Recall.objects.select_related("producer", "region")
    if policies.is_producer(user):
        return base.filter(producer_id=user.enterprise_id)
    if not policies.can_supervise(user):
        return base.none()
    return base.filter(region_q(user))


def reports_visible_to(user) -> QuerySet[DefectReport]:
    base = DefectReport.objects.select_related("region", "producer")
    if policies.is_producer(user):
        return base.filter(producer_id=user.enterprise_id, source="producer")
    if not policies.can_supervise(user):
        return base.none()
    return base.filter(region_q(user))


def investigations_visible_to(user) -> QuerySet[Investigation]:
    base = Investigation.objects.select_related("producer", "region")
    if policies.is_producer(user):
        return base.filter(producer_id=user.enterprise_id).exclude(status="open")
    if not policies.can_supervise(user):
        return base.none()
    return base.filter(region_q(user))


def open_reports_visible_to(user, *, state: str = "open") -> QuerySet[RecallReport]:
    """Progress reports and summaries owed: ``overdue``, ``due_soon`` or all ``open`` ones."""
    recalls = recalls_visible_to(user)
    today = timezone.localdate()
    qs = RecallReport.objects.filter(submitted_on__isnull=True, recall__in=recalls.values("pk")).select_related(
        "recall__producer"
    )
    if state == "overdue":
        qs = qs.filter(due_on__lt=today)
    elif state == "due_soon":
        qs = qs.filter(due_on__gte=today, due_on__lte=today + dt.timedelta(days=DUE_SOON_DAYS))
    return qs.order_by("due_on", "id")


def notices_due_visible_to(user) -> QuerySet[Recall]:
    """Filed recalls whose notice is not published yet, with their due date from the clock."""
    return recalls_visible_to(user).filter(status=RecallStatus.FILED)


def clusters(user, *, days: int = CLUSTER_DAYS, minimum: int = CLUSTER_MIN_REPORTS, today: dt.date | None = None):
    """Several reports on one model within ``days``: the group key, how many, injuries, first and last date."""
    today = today or timezone.localdate()
    return list(
        reports_visible_to(user)
        .filter(received_on__gt=today - dt.timedelta(days=days))
        .exclude(status=DefectReportStatus.DISMISSED)
        .values("group_key")
        .annotate(
            reports=Count("id"),
            injuries=Count("id", filter=Q(injury=True)),
            first=Min("received_on"),
            last=Max("received_on"),
            brand=Max("brand"),
            model=Max("model"),
            product=Max("product"),
        )
        .filter(reports__gte=minimum)
        .order_by("-reports", "group_key")
    )


# --- public --------------------------------------------------------------------------------------------


def published_recalls() -> QuerySet[Recall]:
    """What the public may see: recalls whose notice has been published (any state after that)."""
    return Recall.objects.filter(published_on__isnull=False).select_related("producer", "product_type")


def _text_q(text: str):
    """Substring search on product, brand, models, producer and number: trigram-indexed ILIKE from three
    characters, the bigram array for two (no trigram exists), ILIKE for one."""
    if len(text) == 2 and " " not in text:
        return Q(search_bigrams__contains=[text.upper()])
    return ILike(F("search_text"), contains_pattern(text))


def public_search(
    *,
    q: str = "",
    brand: str = "",
    model: str = "",
    category: str = "",
    producer: str = "",
    remedy: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    since=None,
    status: str = "",
    order: str = "-published_on",
) -> QuerySet[Recall]:
    qs = published_recalls()
    if q.strip():
        qs = qs.filter(_text_q(q.strip()))
    if brand.strip():
        qs = qs.annotate(brand_upper=Upper("brand")).filter(brand_upper=brand.strip().upper())
    if model.strip():
        qs = qs.filter(models_list__contains=[model.strip()])
    if category:
        qs = qs.filter(category=category)
    if producer.strip():
        qs = qs.filter(_text_q(producer.strip()))
    if remedy:
        qs = qs.filter(remedies__contains=[remedy])
    if date_from:
        qs = qs.filter(published_on__gte=date_from)
    if date_to:
        qs = qs.filter(published_on__lte=date_to)
    if since is not None:
        qs = qs.filter(last_published_at__gt=since)
    if status == "active":
        qs = qs.filter(status=RecallStatus.IMPLEMENTING)
    elif status == "closed":
        qs = qs.exclude(status=RecallStatus.IMPLEMENTING)
    orders = {
        "-published_on": ("-published_on", "-id"),
        "published_on": ("published_on", "id"),
        "-units": ("-units_affected", "-id"),
        "-updated": ("-last_published_at", "-id"),
        "updated_asc": ("last_published_at", "id"),
    }
    return qs.order_by(*orders.get(order, orders["-published_on"]))


def recalls_covering_vin(vin: str) -> QuerySet[Recall]:
    """Published recalls whose VIN list or ranges include ``vin`` (validated): an index probe on VinRange."""
    stem, serial = stem_of(vin), serial_of(vin)
    ranges = VinRange.objects.filter(stem=stem, serial_from__lte=serial, serial_to__gte=serial)
    return published_recalls().filter(pk__in=ranges.values("recall_id")).order_by("-published_on", "-id")


def recalls_covering_product(*, brand: str = "", model: str = "", batch: str = "") -> QuerySet[Recall]:
    """Published consumer-goods (or vehicle) recalls of a brand's model, or naming a batch."""
    qs = published_recalls()
    if model.strip():
        qs = qs.filter(models_list__contains=[model.strip()])
    if brand.strip():
        qs = qs.annotate(brand_upper=Upper("brand")).filter(brand_upper=brand.strip().upper())
    if batch.strip():
        qs = qs.filter(batches__icontains=batch.strip())
    return qs.order_by("-published_on", "-id")


def pending_deadlines(user, *, overdue_only: bool = False, limit: int = 50) -> list[tuple[Recall, object]]:
    """Recalls waiting for their notice (备案 → 公告) or for an ordered plan, with the running clock (its stored
    due date), in two queries: (recall, clock) pairs, earliest due first."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import CharField
    from django.db.models.functions import Cast

    from core.models_timelimits import Clock, ClockState

    waiting = recalls_visible_to(user).filter(status__in=[RecallStatus.FILED, RecallStatus.ORDERED])
    clocks = (
        Clock.objects.filter(
            content_type=ContentType.objects.get_for_model(Recall),
            object_id__in=waiting.annotate(pk_text=Cast("pk", CharField())).values("pk_text"),
            limit__key__in=["recalls.notice", "recalls.plan_filing"],
        )
        .exclude(state=ClockState.STOPPED)
        .select_related("limit")
    )
    if overdue_only:
        clocks = clocks.filter(due_on__lt=timezone.localdate())
    clocks = list(clocks.order_by("due_on", "id")[:limit])
    recalls = recalls_visible_to(user).in_bulk([int(c.object_id) for c in clocks])
    return [(recalls[int(c.object_id)], c) for c in clocks if int(c.object_id) in recalls]

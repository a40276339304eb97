"""Recall figures aggregated in SQL: recalls, units, completion by category and producer, per period and
jurisdiction. The dashboard and the recall report both read them."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from recalls.models import Category, Recall, RecallReport, RecallStatus


def _rate(remedied: int, reachable: int) -> float | None:
    return None if not reachable else round(remedied * 100 / reachable, 1)


def _sums(qs: QuerySet[Recall]) -> dict:
    row = qs.aggregate(
        recalls=Count("id"),
        units=Sum("units_affected", default=0),
        remedied=Sum("units_remedied", default=0),
        unreachable=Sum("units_unreachable", default=0),
        voluntary=Count("id", filter=Q(kind="voluntary")),
        ordered=Count("id", filter=Q(kind="ordered")),
        completed=Count("id", filter=Q(status=RecallStatus.COMPLETED)),
        implementing=Count("id", filter=Q(status=RecallStatus.IMPLEMENTING)),
    )
    row["rate"] = _rate(row["remedied"], row["units"] - row["unreachable"])
    row["rate_all"] = _rate(row["remedied"], row["units"])
    return row


def in_period(qs: QuerySet[Recall], start: dt.date | None, end: dt.date | None) -> QuerySet[Recall]:
    """Recalls filed (or ordered) within the period."""
    if start:
        qs = qs.filter(Q(filed_on__gte=start) | Q(filed_on__isnull=True, ordered_on__gte=start))
    if end:
        qs = qs.filter(Q(filed_on__lte=end) | Q(filed_on__isnull=True, ordered_on__lte=end))
    return qs


def figures(qs: QuerySet[Recall], *, top: int = 10) -> dict:
    """Totals, by category, by status, the producers with the most units, and recalls per month."""
    labels = dict(Category.choices)
    by_category = []
    for row in (
        qs.values("category")
        .annotate(
            recalls=Count("id"),
            units=Sum("units_affected", default=0),
            remedied=Sum("units_remedied", default=0),
            unreachable=Sum("units_unreachable", default=0),
        )
        .order_by("category")
    ):
        row["label"] = str(labels.get(row["category"], row["category"]))
        row["rate"] = _rate(row["remedied"], row["units"] - row["unreachable"])
        row["rate_all"] = _rate(row["remedied"], row["units"])
        by_category.append(row)
    by_producer = []
    for row in (
        qs.values("producer_id", "producer__name")
        .annotate(
            recalls=Count("id"),
            units=Sum("units_affected", default=0),
            remedied=Sum("units_remedied", default=0),
            unreachable=Sum("units_unreachable", default=0),
        )
        .order_by("-units", "producer__name")[:top]
    ):
        row["rate"] = _rate(row["remedied"], row["units"] - row["unreachable"])
        by_producer.append(row)
    status_labels = dict(RecallStatus.choices)
    by_status = [
        {"status": row["status"], "label": str(status_labels.get(row["status"])), "recalls": row["recalls"]}
        for row in qs.values("status").annotate(recalls=Count("id")).order_by("status")
    ]
    monthly = [
        {"month": row["month"].strftime("%Y-%m"), "recalls": row["recalls"], "units": row["units"]}
        for row in qs.filter(filed_on__isnull=False)
        .annotate(month=TruncMonth("filed_on"))
        .values("month")
        .annotate(recalls=Count("id"), units=Sum("units_affected", default=0))
        .order_by("month")
    ]
    return {
        "totals": _sums(qs),
        "by_category": by_category,
        "by_producer": by_producer,
        "by_status": by_status,
        "monthly": monthly,
    }


def overdue_reports(qs: QuerySet[Recall], today: dt.date) -> int:
    return RecallReport.objects.filter(recall__in=qs.values("pk"), submitted_on__isnull=True, due_on__lt=today).count()

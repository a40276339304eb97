"""The case report (执法办案统计报告) for the report pipeline, and the leader's dashboard figures.

Every figure is aggregated in SQL (conditional counts and sums in one grouped query per breakdown); pandas
only shapes the small result."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce, Substr
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.models import Region, RegionLevel
from core.reports.periods import Period
from core.reports.registry import ReportKind, register
from enforcement.models import TERMINAL_STATES, Case, CaseStatus, Outcome

ZERO = Decimal("0.00")


def _scope(region: Region):
    qs = Case.objects.exclude(status=CaseStatus.MERGED)
    prefix = region.scope_prefix
    return qs.filter(region__code__startswith=prefix) if prefix else qs


def _measures(start: dt.date, end: dt.date, as_of: dt.date) -> dict:
    decided = Q(decided_on__gte=start, decided_on__lte=end)
    penalty = decided & Q(outcome=Outcome.PENALTY)
    return {
        "opened": Count("id", filter=Q(discovered_on__gte=start, discovered_on__lte=end)),
        "filed": Count("id", filter=Q(filed_on__gte=start, filed_on__lte=end)),
        "decided": Count("id", filter=decided),
        "closed": Count("id", filter=Q(closed_on__gte=start, closed_on__lte=end)),
        "overdue": Count("id", filter=Q(next_due_on__lt=as_of) & ~Q(status__in=TERMINAL_STATES)),
        "fines": Coalesce(Sum("fine", filter=penalty), ZERO),
        "confiscation": Coalesce(Sum("confiscation", filter=penalty), ZERO),
        "goods_value": Coalesce(Sum("goods_value", filter=decided), ZERO),
    }


def _child_length(region: Region) -> int:
    return {RegionLevel.NATIONAL: 2, RegionLevel.PROVINCE: 4}.get(region.level, 6)


def _rows(qs, key, measures) -> list[dict]:
    rows = []
    for row in qs.values(key).annotate(**measures).order_by(key):
        row = {k: (f"{v:.2f}" if isinstance(v, Decimal) else v) for k, v in row.items()}
        row["key"] = row.pop(key) or ""
        if any(row[m] for m in ("opened", "filed", "decided", "closed", "overdue")) or row["fines"] != "0.00":
            rows.append(row)
    return rows


def query(period: Period, region: Region) -> dict:
    start, end = period.start, period.end
    as_of = min(end, timezone.localdate())
    measures = _measures(start, end, as_of)
    qs = _scope(region)
    totals = qs.aggregate(**measures)
    totals = {k: (f"{v:.2f}" if isinstance(v, Decimal) else v) for k, v in totals.items()}
    length = _child_length(region)
    by_region = _rows(qs.annotate(prefix=Substr("region_id", 1, length)), "prefix", measures)
    names = dict(
        Region.objects.filter(code__in=[r["key"].ljust(6, "0") for r in by_region]).values_list("code", "name")
    )
    for row in by_region:
        row["label"] = names.get(row["key"].ljust(6, "0"), row["key"])
    by_group = _rows(qs, "product_type__group__name", measures)
    by_violation = _rows(qs, "violation_type", measures)
    return {"totals": totals, "by_region": by_region, "by_group": by_group, "by_violation": by_violation}


def _frame(rows: list[dict], label_key: str = "key") -> list[dict]:
    import pandas as pd  # imported when a report is shaped, not at start-up

    if not rows:
        return []
    frame = pd.DataFrame(rows)
    frame["label"] = frame.get("label", frame[label_key]).where(frame[label_key] != "", _("未分类"))
    for column in ("fines", "confiscation", "goods_value"):
        frame[column] = frame[column].astype(str)
    frame = frame.sort_values(["decided", "opened"], ascending=False)
    return [{k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()} for row in frame.to_dict("records")]


def shape(rows: dict, period: Period, region: Region) -> dict:
    return {
        "totals": rows["totals"],
        "breakdowns": [
            {"title": _("按地区"), "header": _("地区"), "rows": _frame(rows["by_region"])},
            {"title": _("按产品类别"), "header": _("产品类别"), "rows": _frame(rows["by_group"])},
            {"title": _("按违法类型"), "header": _("违法类型"), "rows": _frame(rows["by_violation"])},
        ],
    }


def jurisdictions_with_data(period: Period) -> list[str]:
    return list(
        Case.objects.filter(discovered_on__lte=period.end)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=period.start))
        .values_list("region_id", flat=True)
        .distinct()
    )


CASES = register(
    ReportKind(
        code="enforcement_cases",
        title=gettext_lazy("执法办案统计报告"),
        template="enforcement/report.html",
        query=query,
        shape=shape,
        jurisdictions_with_data=jurisdictions_with_data,
    )
)


def dashboard_figures(user) -> dict:
    """The leader's dashboard: this year's figures of the jurisdiction, cases by status, the overdue list."""
    from enforcement.selectors import case_list

    today = timezone.localdate()
    region = user.jurisdiction
    period = Period.parse(str(today.year))
    rows = query(period, region)
    by_status = dict(
        _scope(region).exclude(status__in=TERMINAL_STATES).values_list("status").annotate(n=Count("id")).order_by()
    )
    return {
        "period": period,
        "region": region,
        "snapshot": shape(rows, period, region),
        "by_status": [
            (value, label, by_status.get(value, 0))
            for value, label in CaseStatus.choices
            if value not in TERMINAL_STATES
        ],
        "overdue": list(case_list(user, state="overdue")[:20]),
        "today": today,
    }

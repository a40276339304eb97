"""Batch pass-rate statistics (批次合格率 = passed batches / sampled batches), aggregated in SQL.

Only batches with a final verdict count. Groupings follow the national announcements: product group and
type, region (the sample's county) and zone (东部/中部/西部), enterprise size, stage, year.
The reports and the API call these functions; staff results are limited with ``scope_prefix_for(user)``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext

from core.aggregates import CountRows
from core.db_routing import read_connection, replica_reads
from core.selectors import jurisdiction_prefix
from sampling.models import Sample, Verdict

BY_CHOICES = ("group", "type", "region", "zone", "size", "stage", "year")

# Stored value → published Chinese key. Keys are data (stable across languages), not translated labels.
ZONE_KEYS = {"east": "东部", "central": "中部", "west": "西部", "": "不适用"}
SIZE_KEYS = {"large": "大型", "medium": "中型", "small": "小型", "micro": "微型"}
STAGE_KEYS = {"production": "生产", "circulation": "流通", "ecommerce": "电商"}

# The one narrow column each grouping aggregates on. Names (regions, product types and groups) are looked up
# for the few resulting keys afterwards: grouping 2 million batches by a short code and joining names to
# ~700 rows is several times faster than grouping by (code, name) through a join.
_GROUP_COLUMNS = {
    "group": "product_type_id",  # rolled up to the product group in Python
    "type": "product_type_id",
    "region": "region_id",
    "zone": "zone",
    "size": "enterprise_size",
    "stage": "stage",
    "year": "year",
}


@dataclass(frozen=True)
class StatsFilter:
    """The filters every statistic accepts; ``region_prefix`` '' means every region."""

    year: int | None = None
    task_code: str | None = None
    region_prefix: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    def samples(self) -> QuerySet[Sample]:
        queryset = Sample.objects.filter(final_verdict__in=[Verdict.PASS, Verdict.FAIL])
        if self.year is not None:
            queryset = queryset.filter(year=self.year)
        if self.task_code:
            queryset = queryset.filter(task__code=self.task_code)
        if self.region_prefix:
            queryset = queryset.filter(region__code__startswith=self.region_prefix)
        if self.date_from is not None:
            queryset = queryset.filter(sampled_on__gte=self.date_from)
        if self.date_to is not None:
            queryset = queryset.filter(sampled_on__lte=self.date_to)
        return queryset


def scope_prefix_for(user) -> str | None:
    """The region prefix a staff user's statistics are limited to ('' everywhere, None nothing)."""
    return jurisdiction_prefix(user)


def narrow_prefix(scope: str | None, requested: str = "") -> str | None:
    """The requested region prefix inside a user's scope: None when they do not overlap."""
    if scope is None:
        return None
    if not requested or requested.startswith(scope):
        return requested or scope
    if scope.startswith(requested):
        return scope
    return None


def _rate(passed: int, batches: int) -> float | None:
    return passed / batches if batches else None


@replica_reads()
def pass_rate_rows(
    *,
    by: str,
    year: int | None = None,
    task_code: str | None = None,
    region_prefix: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> list[dict]:
    """One row per group: {"key", "label", "batches", "passed", "failed", "pass_rate"}, sorted by key."""
    if by not in _GROUP_COLUMNS:
        raise ValueError(f"by must be one of {', '.join(BY_CHOICES)}")
    column = _GROUP_COLUMNS[by]
    filters = StatsFilter(
        year=year, task_code=task_code, region_prefix=region_prefix, date_from=date_from, date_to=date_to
    )
    aggregated = list(
        filters.samples()
        .values(column)
        .annotate(batches=CountRows(), passed=CountRows(filter=Q(final_verdict=Verdict.PASS)))
        .order_by()
    )
    key_and_label = _keys_and_labels(by, {record[column] for record in aggregated})
    # Several stored values may share a key (product types of one group, types of the same name).
    merged: dict[str, list] = {}
    for record in aggregated:
        key, label = key_and_label[record[column]]
        entry = merged.setdefault(key, [label, 0, 0])
        entry[1] += record["batches"]
        entry[2] += record["passed"]
    rows = [
        {
            "key": key,
            "label": label,
            "batches": batches,
            "passed": passed,
            "failed": batches - passed,
            "pass_rate": _rate(passed, batches),
        }
        for key, (label, batches, passed) in merged.items()
    ]
    return sorted(rows, key=lambda row: row["key"])


def _keys_and_labels(by: str, values: set) -> dict:
    """Stored value → (key, label) for the values found."""
    from core.models import ProductType, Region

    if by == "region":
        names = {region.code: region.display_name for region in Region.objects.filter(code__in=values)}
        return {value: (value, names.get(value, value)) for value in values}
    if by in ("group", "type"):
        field = "group__name" if by == "group" else "name"
        names = dict(ProductType.objects.filter(pk__in=values).values_list("pk", field))
        # The key stays the stored (Chinese) name; the label reads in the page's language (catalogue_names).
        return {value: (names[value], gettext(names[value])) for value in values}
    keys = {"zone": ZONE_KEYS, "size": SIZE_KEYS, "stage": STAGE_KEYS}.get(by, {})
    return {value: (keys.get(value, str(value)), keys.get(value, str(value))) for value in values}


@replica_reads()
def pass_rate_table(*, by: str, **filters) -> tuple[list[dict], dict]:
    """pass_rate_rows() and pass_rate_total() in one scan: every counted batch falls in exactly one group,
    so the total is the sum of the rows."""
    rows = pass_rate_rows(by=by, **filters)
    batches = sum(row["batches"] for row in rows)
    passed = sum(row["passed"] for row in rows)
    total = {
        "key": "total",
        "label": gettext("合计"),
        "batches": batches,
        "passed": passed,
        "failed": batches - passed,
        "pass_rate": _rate(passed, batches),
    }
    return rows, total


@replica_reads()
def pass_rate_total(
    *,
    year: int | None = None,
    task_code: str | None = None,
    region_prefix: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> dict:
    """The overall row {"key": "total", ...}; pass_rate is None when no batch has a verdict."""
    filters = StatsFilter(
        year=year, task_code=task_code, region_prefix=region_prefix, date_from=date_from, date_to=date_to
    )
    totals = filters.samples().aggregate(batches=CountRows(), passed=CountRows(filter=Q(final_verdict=Verdict.PASS)))
    return {
        "key": "total",
        "label": gettext("合计"),
        "batches": totals["batches"],
        "passed": totals["passed"],
        "failed": totals["batches"] - totals["passed"],
        "pass_rate": _rate(totals["passed"], totals["batches"]),
    }


@replica_reads()
def failed_item_ranking(*, limit: int = 10, **filters) -> list[dict]:
    """The most frequent failed items: [{"item", "count"}], count = failed batches naming the item.

    Items come from the published list on the result (failed_items) and from failed per-item rows;
    a batch naming an item in both places counts once.
    """
    failed_samples = StatsFilter(**filters).samples().filter(final_verdict=Verdict.FAIL).order_by().values("id")
    subquery, params = failed_samples.query.sql_with_params()
    sql = f"""
        SELECT item, COUNT(DISTINCT sample_id) AS n FROM (
            SELECT r.sample_id, btrim(unnest(r.failed_items)) AS item
              FROM sampling_testresult r
             WHERE r.is_confirmed AND r.sample_id IN ({subquery})
            UNION ALL
            SELECT r.sample_id, btrim(i.item_name)
              FROM sampling_itemresult i JOIN sampling_testresult r ON r.id = i.result_id
             WHERE r.is_confirmed AND i.verdict = %s AND r.sample_id IN ({subquery})
        ) AS named
        WHERE item <> ''
        GROUP BY item
        ORDER BY n DESC, item
        LIMIT %s
    """
    with read_connection().cursor() as cursor:
        cursor.execute(sql, [*params, Verdict.FAIL, *params, limit])
        return [{"item": item, "count": count} for item, count in cursor.fetchall()]


@replica_reads()
def year_on_year(*, by: str, year: int, **filters) -> list[dict]:
    """Rows of ``year`` next to the previous year: pass_rate, previous_pass_rate, change in percentage points."""
    current = {row["key"]: row for row in pass_rate_rows(by=by, year=year, **filters)}
    previous = {row["key"]: row for row in pass_rate_rows(by=by, year=year - 1, **filters)}
    rows = []
    for key in sorted(current.keys() | previous.keys()):
        now, before = current.get(key), previous.get(key)
        rate = now["pass_rate"] if now else None
        previous_rate = before["pass_rate"] if before else None
        rows.append(
            {
                "key": key,
                "label": (now or before)["label"],
                "batches": now["batches"] if now else 0,
                "passed": now["passed"] if now else 0,
                "pass_rate": rate,
                "previous_batches": before["batches"] if before else 0,
                "previous_pass_rate": previous_rate,
                "change": (rate - previous_rate) * 100 if rate is not None and previous_rate is not None else None,
            }
        )
    return rows

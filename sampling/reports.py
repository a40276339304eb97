"""The sampling pass-rate report (抽查合格率报告): monthly, quarterly and annual, per jurisdiction.

SQL aggregates every figure: one grouped scan of the batches at the report's grain, distinct counts of
tasks and enterprises, sampling.statistics' failed-item ranking and the list of failed batches; pandas
rolls the aggregated grain up into totals, breakdowns and the trend. The dashboard reuses the breakdown
and chart helpers with sampling.statistics directly.
"""

from __future__ import annotations

import contextlib
import math
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from core.aggregates import CountRows
from core.db_routing import read_connection
from core.errors import DomainError
from core.models import ProductType, Region, RegionLevel
from core.reports import charts
from core.reports.periods import ANNUAL, MONTHLY, QUARTERLY, Period
from core.reports.pipeline import region_title_name
from core.reports.registry import ReportKind, register, supplements
from sampling import statistics
from sampling.models import Sample, Stage, TestResult, Verdict

if TYPE_CHECKING:
    import pandas as pd

FAILED_BATCH_LIMIT = 100
FAILED_ITEM_LIMIT = 10
JUDGED = (Verdict.PASS, Verdict.FAIL)

BREAKDOWNS = [
    # (by, section title, first column header, compare with the same period last year)
    ("group", gettext_lazy("按产品类别"), gettext_lazy("产品类别"), True),
    ("type", gettext_lazy("按产品种类"), gettext_lazy("产品种类"), False),
    ("region", gettext_lazy("按地区"), gettext_lazy("地区"), True),
    ("zone", gettext_lazy("按经济区域"), gettext_lazy("经济区域"), True),
    ("size", gettext_lazy("按企业规模"), gettext_lazy("企业规模"), True),
    ("stage", gettext_lazy("按抽样环节"), gettext_lazy("抽样环节"), True),
]


# --- Query: every figure is aggregated in SQL ---------------------------------------------------------


def _filters(period: Period, region: Region) -> dict:
    return {**period.statistics_filters(), "region_prefix": region.scope_prefix}


def _judged(*, year=None, date_from=None, date_to=None, region_prefix=""):
    """Judged batches under the same filters as sampling.statistics."""
    qs = Sample.objects.filter(final_verdict__in=JUDGED)
    if year:
        qs = qs.filter(year=year)
    if date_from:
        qs = qs.filter(sampled_on__gte=date_from)
    if date_to:
        qs = qs.filter(sampled_on__lte=date_to)
    if region_prefix:
        qs = qs.filter(region__code__startswith=region_prefix)
    return qs


def _child_length(region: Region) -> int:
    """How many leading code digits name the regions one level below the jurisdiction."""
    return {RegionLevel.NATIONAL: 2, RegionLevel.PROVINCE: 4}.get(region.level, 6)


def _region_rows(filters: dict, region: Region) -> list[dict]:
    """Pass rate by the regions one level below the jurisdiction (provinces, cities or counties)."""
    length = _child_length(region)
    rows = list(
        _judged(**filters)
        .annotate(prefix=Substr("region_id", 1, length))
        .values("prefix")
        .annotate(batches=CountRows(), passed=CountRows(filter=Q(final_verdict=Verdict.PASS)))
        .order_by("prefix")
    )
    codes = {row["prefix"].ljust(6, "0") for row in rows}
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    return [
        {
            "key": row["prefix"].ljust(6, "0"),
            "label": names.get(row["prefix"].ljust(6, "0"), row["prefix"]),
            "batches": row["batches"],
            "passed": row["passed"],
            "failed": row["batches"] - row["passed"],
        }
        for row in rows
    ]


def breakdown_rows(by: str, filters: dict, region: Region) -> list[dict]:
    if by == "region":
        return _region_rows(filters, region)
    return statistics.pass_rate_rows(by=by, **filters)


# One scan at the finest grain the report needs — period bucket × product type × region × zone × size ×
# stage — replaces a GROUP BY per dimension and period (14 scans of the batches); pandas then rolls the
# grain up into totals, breakdowns and the trend. The figures equal sampling.statistics (the tests check).
GRAIN_COLUMNS = ["bucket", "type_id", "region", "zone", "size", "stage", "batches", "passed"]
_BUCKETS = {
    ANNUAL: "s.year::text",
    QUARTERLY: "to_char(s.sampled_on, 'YYYY') || '-Q' || to_char(s.sampled_on, 'Q')",
    MONTHLY: "to_char(s.sampled_on, 'YYYY-MM')",
}


def _grain(period: Period, region: Region) -> list[tuple]:
    trend = period.trend()
    first = min(trend[0], period.same_period_last_year)
    if period.kind == ANNUAL:
        where, params = "s.year BETWEEN %s AND %s", [first.year, period.year]
    else:
        where, params = "s.sampled_on BETWEEN %s AND %s", [first.start, period.end]
    if region.scope_prefix:
        where += " AND s.region_id LIKE %s"
        params.append(region.scope_prefix + "%")
    length = _child_length(region)
    sql = f"""
        SELECT {_BUCKETS[period.kind]} AS bucket, s.product_type_id, left(s.region_id, {length}), s.zone,
               s.enterprise_size, s.stage, COUNT(*), COUNT(*) FILTER (WHERE s.final_verdict = 'pass')
          FROM sampling_sample s
         WHERE s.final_verdict IN ('pass', 'fail') AND {where}
         GROUP BY 1, 2, 3, 4, 5, 6
    """
    with read_connection().cursor() as cursor:
        cursor.execute(sql, params)
        return [list(row) for row in cursor.fetchall()]


def _distinct_counts(filters: dict) -> dict:
    return _judged(**filters).aggregate(
        tasks=Count("task_id", distinct=True), enterprises=Count("enterprise_id", distinct=True)
    )


def _failed_batches(filters: dict) -> dict:
    failed = _judged(**filters).filter(final_verdict=Verdict.FAIL)
    total = failed.count()
    samples = list(
        failed.order_by("region_id", "product_type__group__order", "product_type__code", "sample_no").values(
            "id",
            "sample_no",
            "enterprise__name",
            "product_type__name",
            "model_spec",
            "brand",
            "region__name",
            "stage",
            "sampled_on",
        )[:FAILED_BATCH_LIMIT]
    )
    # The final verdict's items: the re-test's when there is one.
    items: dict[int, list[str]] = {}
    for result in (
        TestResult.objects.filter(sample_id__in=[s["id"] for s in samples], verdict=Verdict.FAIL)
        .order_by("sample_id", "is_retest")
        .values("sample_id", "failed_items")
    ):
        items[result["sample_id"]] = result["failed_items"]
    stages = dict(Stage.choices)
    return {
        "total": total,
        "rows": [
            {
                "sample_no": s["sample_no"],
                "enterprise": s["enterprise__name"],
                "product": s["product_type__name"],
                "model_spec": s["model_spec"],
                "brand": s["brand"],
                "region": s["region__name"],
                "stage": str(stages.get(s["stage"], s["stage"])),
                "sampled_on": s["sampled_on"].isoformat(),
                "failed_items": "、".join(items.get(s["id"], [])),
            }
            for s in samples
        ],
    }


def query(period: Period, region: Region) -> dict:
    """All aggregated rows of the report for one period and jurisdiction."""
    with transaction.atomic(using=read_connection().alias):
        # Enough memory to hash the grain and count distinct values without spilling to disk, and no JIT
        # compilation (it costs more than it saves on these few short aggregations); SET LOCAL reverts
        # when the block ends.
        with read_connection().cursor() as cursor:
            cursor.execute("SET LOCAL work_mem = '64MB'")
            cursor.execute("SET LOCAL jit = off")
            # The grain's ~60,000–200,000 groups made the planner price a parallel aggregate's gathered rows
            # too high and hash 2M rows on one core (1.5–2.1 s at 2M batches); with two workers it takes
            # 1.2 s. The rows the workers hand back are few and small, so a lower per-row cost is honest.
            cursor.execute("SET LOCAL parallel_tuple_cost = 0.001")
        return _query(period, region)


def _query(period: Period, region: Region) -> dict:
    current = _filters(period, region)
    grain = _grain(period, region)
    type_ids = {row[1] for row in grain}
    region_codes = {row[2].ljust(6, "0") for row in grain}
    rows = {
        "grain": grain,
        "types": [
            [t.id, t.name, t.group.name]
            for t in ProductType.objects.filter(id__in=type_ids).select_related("group").order_by("id")
        ],
        "regions": dict(Region.objects.filter(code__in=region_codes).values_list("code", "name")),
        "counts": {
            "current": _distinct_counts(current),
            "last_year": _distinct_counts(_filters(period.same_period_last_year, region)),
        },
        "failed_items": statistics.failed_item_ranking(limit=FAILED_ITEM_LIMIT, **current),
        "failed_batches": _failed_batches(current),
        "supplements": supplements(period, region),
    }
    if period.kind != ANNUAL:
        rows["counts"]["previous"] = _distinct_counts(_filters(period.previous, region))
    return rows


def jurisdictions_with_data(period: Period) -> list[str]:
    filters = period.statistics_filters()
    return list(_judged(**filters).values_list("region_id", flat=True).distinct())


# --- Shaping: pandas on the small aggregated result ---------------------------------------------------


def rate(passed: int, batches: int) -> float | None:
    """The pass rate in percent with one decimal, as published."""
    return None if not batches else round(passed * 100 / batches, 1)


def _clean(value):
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):  # numpy scalars → plain Python for JSON
        return value.item()
    return value


def _records(frame: pd.DataFrame) -> list[dict]:
    return [{k: _clean(v) for k, v in row.items()} for row in frame.to_dict("records")]


# Categories with a natural order are listed in it; the others by their key.
NATURAL_ORDER = {
    "size": ["大型", "中型", "小型", "微型"],
    "stage": ["生产", "流通", "电商"],
    "zone": ["东部", "中部", "西部", "不适用"],
}


def shape_breakdown(
    rows: list[dict], last_year: list[dict] | None, total_batches: int, order: list[str] | None = None
) -> list[dict]:
    import pandas as pd  # imported when a report is shaped, not at start-up

    columns = ["key", "label", "batches", "passed", "failed"]
    frame = pd.DataFrame([{c: row.get(c) for c in columns} for row in rows], columns=columns)
    if frame.empty:
        return []
    if order:
        rank = {key: i for i, key in enumerate(order)}
        frame = frame.sort_values("key", key=lambda keys: keys.map(lambda k: rank.get(k, len(rank))), kind="stable")
    frame["key"] = frame["key"].astype(str)
    frame["label"] = frame["label"].astype(str)
    frame["pass_rate"] = (frame["passed"] * 100 / frame["batches"].where(frame["batches"] > 0)).round(1)
    frame["share"] = (frame["batches"] * 100 / total_batches).round(1) if total_batches else None
    if last_year is not None:
        previous = pd.DataFrame(
            [{"key": str(r["key"]), "ly_batches": r["batches"], "ly_passed": r["passed"]} for r in last_year],
            columns=["key", "ly_batches", "ly_passed"],
        )
        frame = frame.merge(previous, on="key", how="left")
        ly_rate = (frame["ly_passed"] * 100 / frame["ly_batches"].where(frame["ly_batches"] > 0)).round(1)
        frame["last_year_rate"] = ly_rate
        frame["change"] = (frame["pass_rate"] - ly_rate).round(1)
        frame = frame.drop(columns=["ly_batches", "ly_passed"])
    return _records(frame)


def _shape_totals(current: dict, compared: dict | None) -> dict:
    shaped = dict(current, pass_rate=rate(current["passed"], current["batches"]))
    if compared is not None:
        compared_rate = rate(compared["passed"], compared["batches"])
        shaped["compared"] = dict(compared, pass_rate=compared_rate)
        current_rate = shaped["pass_rate"]
        shaped["change"] = (
            None if compared_rate is None or current_rate is None else round(current_rate - compared_rate, 1)
        )
    return shaped


def _change_text(change: float | None, against: str) -> str:
    if change is None:
        return ""
    if change > 0:
        return _("，比%(against)s提高 %(pp)s 个百分点") % {"against": against, "pp": f"{change:.1f}"}
    if change < 0:
        return _("，比%(against)s下降 %(pp)s 个百分点") % {"against": against, "pp": f"{-change:.1f}"}
    return _("，与%(against)s持平") % {"against": against}


def _summary(snapshot: dict, period: Period, region: Region) -> str:
    totals = snapshot["totals"]
    where = region_title_name(region)
    if not totals["batches"]:
        return _("%(period)s，%(where)s无已判定的监督抽查批次。") % {"period": period.label, "where": where}
    text = _(
        "%(period)s，%(where)s共实施产品质量监督抽查任务 %(tasks)s 项，抽查 %(enterprises)s 家企业的 "
        "%(batches)s 批次产品，合格 %(passed)s 批次，不合格 %(failed)s 批次，批次合格率为 %(rate)s%%"
    ) % {
        "period": period.label,
        "where": where,
        "tasks": f"{totals['tasks']:,}",
        "enterprises": f"{totals['enterprises']:,}",
        "batches": f"{totals['batches']:,}",
        "passed": f"{totals['passed']:,}",
        "failed": f"{totals['failed']:,}",
        "rate": f"{totals['pass_rate']:.1f}",
    }
    last_year = snapshot["totals_last_year"]
    text += _change_text(last_year.get("change"), _("上年同期") if period.kind != ANNUAL else _("上年"))
    if period.kind != ANNUAL:
        text += _change_text(snapshot["totals_previous"].get("change"), _("上期"))
    text += pgettext("end of the first sentence of a report summary", "。")
    groups = [r for r in snapshot["breakdowns"]["group"]["rows"] if r["pass_rate"] is not None]
    if len(groups) > 1:
        best = max(groups, key=lambda r: r["pass_rate"])
        worst = min(groups, key=lambda r: r["pass_rate"])
        text += _("分产品类别看，%(best)s合格率最高（%(best_rate)s%%），%(worst)s最低（%(worst_rate)s%%）。") % {
            "best": best["label"],
            "best_rate": f"{best['pass_rate']:.1f}",
            "worst": worst["label"],
            "worst_rate": f"{worst['pass_rate']:.1f}",
        }
    items = [i["item"] for i in snapshot["failed_items"][:3]]
    if items:
        text += _("不合格项目主要集中在%(items)s等方面。") % {"items": "、".join(items)}
    return text


def _rollup(rows: dict, period: Period) -> dict:
    """Totals, breakdowns and the trend from the grain rows (pandas group-bys of a few thousand rows)."""
    import pandas as pd  # imported when a report is shaped, not at start-up

    grain = pd.DataFrame(rows["grain"], columns=GRAIN_COLUMNS)
    types = pd.DataFrame(rows["types"], columns=["type_id", "type", "group"])
    grain = grain.merge(types, on="type_id", how="left")
    grain["region"] = grain["region"].str.ljust(6, "0")
    for column, keys in (("zone", statistics.ZONE_KEYS), ("size", statistics.SIZE_KEYS),
                         ("stage", statistics.STAGE_KEYS)):  # fmt: skip
        grain[column] = grain[column].map(keys).fillna(grain[column])
    labels = {"region": rows["regions"]}

    def totals(bucket: str, counts: dict) -> dict:
        part = grain[grain["bucket"] == bucket]
        batches, passed = int(part["batches"].sum()), int(part["passed"].sum())
        return {**counts, "batches": batches, "passed": passed, "failed": batches - passed}

    def breakdown(bucket: str, by: str) -> list[dict]:
        part = grain[grain["bucket"] == bucket].groupby(by, sort=True)[["batches", "passed"]].sum().reset_index()
        return [
            {
                "key": key,
                "label": labels.get(by, {}).get(key, key),
                "batches": int(batches),
                "passed": int(passed),
                "failed": int(batches - passed),
            }
            for key, batches, passed in part.itertuples(index=False)
        ]

    current, last_year = str(period), str(period.same_period_last_year)
    by_bucket = grain.groupby("bucket")[["batches", "passed"]].sum()
    rolled = {
        "totals": totals(current, rows["counts"]["current"]),
        "last_year_totals": totals(last_year, rows["counts"]["last_year"]),
        "breakdowns": {by: breakdown(current, by) for by, *_ in BREAKDOWNS},
        "last_year_breakdowns": {by: breakdown(last_year, by) for by, _t, _h, compare in BREAKDOWNS if compare},
        "trend": [
            {
                "period": str(p),
                "label": p.label,
                "batches": int(by_bucket["batches"].get(str(p), 0)),
                "passed": int(by_bucket["passed"].get(str(p), 0)),
            }
            for p in period.trend()
        ],
    }
    if period.kind != ANNUAL:
        rolled["previous_totals"] = totals(str(period.previous), rows["counts"]["previous"])
    return rolled


def shape(rows: dict, period: Period, region: Region) -> dict:
    import pandas as pd  # imported when a report is shaped, not at start-up

    rows = {**rows, **_rollup(rows, period)}
    totals = rows["totals"]
    snapshot = {
        "totals": _shape_totals(totals, None),
        "totals_last_year": _shape_totals(totals, rows["last_year_totals"]),
        "totals_previous": _shape_totals(totals, rows.get("previous_totals")) if "previous_totals" in rows else {},
        "comparisons": [{"key": "last_year", "label": _("上年同期") if period.kind != ANNUAL else _("上年")}],
        "breakdowns": {},
        "trend": [],
        "failed_items": [],
        "failed_batches": rows["failed_batches"],
        # Early warning's counts for the period (absent from reports made before it, and without credit).
        "warnings": rows.get("supplements", {}).get("warnings"),
    }
    if period.kind != ANNUAL:
        snapshot["comparisons"].insert(0, {"key": "previous", "label": _("上期")})
    snapshot["previous_label"] = period.previous.label
    snapshot["last_year_label"] = period.same_period_last_year.label
    for by, title, header, compare in BREAKDOWNS:
        snapshot["breakdowns"][by] = {
            "by": by,
            "title": str(title),
            "header": str(header),
            "compared": compare,
            "rows": shape_breakdown(
                rows["breakdowns"][by],
                rows["last_year_breakdowns"].get(by) if compare else None,
                totals["batches"],
                NATURAL_ORDER.get(by),
            ),
        }
    trend = pd.DataFrame(rows["trend"], columns=["period", "label", "batches", "passed"])
    trend["pass_rate"] = (trend["passed"] * 100 / trend["batches"].where(trend["batches"] > 0)).round(1)
    snapshot["trend"] = _records(trend)
    items = pd.DataFrame(rows["failed_items"], columns=["item", "count"])
    items["share"] = (items["count"] * 100 / totals["failed"]).round(1) if totals["failed"] else None
    snapshot["failed_items"] = _records(items)
    snapshot["sections"] = _sections(warnings=bool(snapshot["warnings"]))
    snapshot["summary"] = _summary(snapshot, period, region)
    return snapshot


# --- Another language on request: the stored snapshot's words again, its figures unchanged -------------

# Rows of these breakdowns are labelled with the statistics' key words, which are translatable msgids.
_WORD_LABELLED = ("zone", "size", "stage")


def localize(snapshot: dict) -> dict:
    """The snapshot with its summary, headings, comparison and period labels in the active language (used by
    core.reports.languages under translation.override); names of regions, products and enterprises are data."""
    import copy

    from core.reports.pipeline import issuer_for

    localized = copy.deepcopy(snapshot)
    meta = localized.get("meta", {})
    try:
        period = Period.parse(meta["period"])
        region = Region.objects.get(code=meta["jurisdiction"])
    except (KeyError, Region.DoesNotExist):
        return localized
    where = region_title_name(region)
    meta.update(
        title=PASS_RATE.report_title(period, where),
        kind_title=str(PASS_RATE.title),
        period_label=period.label,
        period_kind_label=period.kind_label,
        jurisdiction_name=where,
        issuer=issuer_for(region),
    )
    issued = meta.get("issued_on", "")
    if len(issued) == 10:
        meta["issued_on_label"] = _("%(y)s年%(m)s月%(d)s日") % {
            "y": int(issued[:4]),
            "m": int(issued[5:7]),
            "d": int(issued[8:]),
        }
    for by, title, header, _compare in BREAKDOWNS:
        section = localized.get("breakdowns", {}).get(by)
        if section is None:
            continue
        section["title"], section["header"] = str(title), str(header)
        if by in _WORD_LABELLED:
            for row in section["rows"]:
                row["label"] = _(row["label"]) if row.get("label") else row.get("label")
    for point in localized.get("trend", []):
        with contextlib.suppress(KeyError, DomainError):  # no parsable period: the stored label stays
            point["label"] = Period.parse(point["period"]).label
    labels = {"previous": _("上期"), "last_year": _("上年同期") if period.kind != ANNUAL else _("上年")}
    for comparison in localized.get("comparisons", []):
        comparison["label"] = labels.get(comparison["key"], comparison["label"])
    localized["previous_label"] = period.previous.label
    localized["last_year_label"] = period.same_period_last_year.label
    localized["sections"] = _sections(warnings=bool(localized.get("warnings")))
    if "totals" in localized and "breakdowns" in localized:
        localized["summary"] = _summary(localized, period, region)
    return localized


def _sections(*, warnings: bool = False) -> list[dict]:
    return [
        {"id": "totals", "title": _("总体情况")},
        {"id": "trend", "title": _("合格率趋势")},
        *({"id": f"by-{by}", "title": str(title)} for by, title, _h, _c in BREAKDOWNS),
        {"id": "failed-items", "title": _("主要不合格项目")},
        {"id": "failed-batches", "title": _("不合格产品批次")},
        *([{"id": "warnings", "title": _("风险预警")}] if warnings else []),
    ]


# --- Charts, shared with the dashboard ----------------------------------------------------------------


def breakdown_chart(name: str, rows: list[dict], overall: float | None, *, text_as_paths: bool = True) -> str:
    present = [r for r in rows if r.get("batches")]
    if not present:
        return ""
    return charts.rate_bars(
        name,
        [r["label"] for r in present],
        [r["pass_rate"] for r in present],
        reference=overall,
        reference_label=_("总体 %(rate)s%%") % {"rate": f"{overall:.1f}"} if overall is not None else "",
        text_as_paths=text_as_paths,
    )


def report_charts(snapshot: dict, *, for_pdf: bool = False) -> dict[str, str]:
    paths = not for_pdf
    overall = snapshot["totals"]["pass_rate"]
    result = {
        by: breakdown_chart(f"by-{by}", snapshot["breakdowns"][by]["rows"], overall, text_as_paths=paths)
        for by in ("group", "region", "size", "zone", "stage")
    }
    trend = snapshot["trend"]
    if any(t["batches"] for t in trend):
        result["trend"] = charts.trend_line(
            "trend", [t["label"] for t in trend], [t["pass_rate"] for t in trend], text_as_paths=paths
        )
    items = snapshot["failed_items"]
    if items:
        result["failed_items"] = charts.count_bars(
            "failed-items", [i["item"] for i in items], [i["count"] for i in items], text_as_paths=paths
        )
    return result


PASS_RATE = register(
    ReportKind(
        code="pass_rate",
        title=gettext_lazy("产品质量监督抽查合格率分析报告"),
        template="reports/pass_rate.html",
        query=query,
        shape=shape,
        charts=report_charts,
        jurisdictions_with_data=jurisdictions_with_data,
        localize=lambda snapshot: localize(snapshot),
    )
)

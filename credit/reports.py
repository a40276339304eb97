"""The credit report (质量信用分析报告): class distribution at the end of the period and the changes during it,
new listings, removals (at expiry and early) and credit repairs, by region and industry. Every figure is a
SQL aggregate; pandas shapes the small result. Registered from CreditConfig.ready()."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.db_routing import read_connection
from core.models import Region, RegionLevel
from core.reports import charts
from core.reports.periods import Period
from core.reports.pipeline import region_title_name
from core.reports.registry import ReportKind, register
from credit.models import CLASSES
from credit.warnings.selectors import warning_report_counts

NEW_LISTINGS_LIMIT = 100
TOP_INDUSTRIES = 15


def _child_length(region: Region) -> int:
    return {RegionLevel.NATIONAL: 2, RegionLevel.PROVINCE: 4}.get(region.level, 6)


def _rows(sql: str, params: dict) -> list[list]:
    with read_connection().cursor() as cursor:
        cursor.execute(sql, params)
        return [list(row) for row in cursor.fetchall()]


def query(period: Period, region: Region) -> dict:
    length = _child_length(region)
    params = {"start": period.start, "end": period.end, "prefix": region.scope_prefix + "%", "len": length}
    with transaction.atomic(using=read_connection().alias):
        with read_connection().cursor() as cursor:
            cursor.execute("SET LOCAL work_mem = '64MB'")
            cursor.execute("SET LOCAL jit = off")
        # The class of each enterprise at the end of the period: its last change by then.
        classes = _rows(
            """
            SELECT left(e.region_id, %(len)s), COALESCE(NULLIF(e.industry, ''), '—'), x.to_class, count(*)
              FROM (SELECT DISTINCT ON (c.enterprise_id) c.enterprise_id, c.to_class FROM credit_classchange c
                     WHERE c.changed_on <= %(end)s ORDER BY c.enterprise_id, c.changed_on DESC, c.id DESC) x
              JOIN core_enterprise e ON e.id = x.enterprise_id
             WHERE e.region_id LIKE %(prefix)s
             GROUP BY 1, 2, 3
            """,
            params,
        )
        changes = _rows(
            """
            SELECT c.from_class, c.to_class, c.cause, count(*) FROM credit_classchange c
              JOIN core_enterprise e ON e.id = c.enterprise_id
             WHERE c.changed_on BETWEEN %(start)s AND %(end)s AND e.region_id LIKE %(prefix)s AND c.from_class <> ''
             GROUP BY 1, 2, 3
            """,
            params,
        )
        events = _rows(
            """
            SELECT 'listed', left(l.region_code, %(len)s), COALESCE(NULLIF(e.industry, ''), '—'), count(*)
              FROM credit_listing l JOIN core_enterprise e ON e.id = l.enterprise_id
             WHERE l.listed_on BETWEEN %(start)s AND %(end)s AND l.region_code LIKE %(prefix)s GROUP BY 2, 3
            UNION ALL
            SELECT 'removed_' || l.removal_how, left(l.region_code, %(len)s), COALESCE(NULLIF(e.industry, ''), '—'),
                   count(*)
              FROM credit_listing l JOIN core_enterprise e ON e.id = l.enterprise_id
             WHERE l.removed_on BETWEEN %(start)s AND %(end)s AND l.region_code LIKE %(prefix)s GROUP BY 1, 2, 3
            UNION ALL
            SELECT 'repaired', left(a.region_code, %(len)s), COALESCE(NULLIF(e.industry, ''), '—'), count(*)
              FROM credit_creditapplication a JOIN core_enterprise e ON e.id = a.enterprise_id
             WHERE a.kind = 'penalty_repair' AND a.status = 'granted' AND a.decided_on BETWEEN %(start)s AND %(end)s
               AND a.region_code LIKE %(prefix)s GROUP BY 2, 3
            """,
            params,
        )
        new_listings = _rows(
            """
            SELECT l.number, l.enterprise_name, l.uscc, l.authority_name, l.listed_on::text, l.planned_removal_on::text
              FROM credit_listing l
             WHERE l.listed_on BETWEEN %(start)s AND %(end)s AND l.region_code LIKE %(prefix)s
             ORDER BY l.listed_on, l.number LIMIT %(limit)s
            """,
            {**params, "limit": NEW_LISTINGS_LIMIT},
        )
    codes = {row[0].ljust(6, "0") for row in classes + events}
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    return {
        "classes": classes,
        "changes": changes,
        "events": events,
        "new_listings": new_listings,
        "regions": names,
        "warnings": warning_report_counts(region, period),
    }


def jurisdictions_with_data(period: Period) -> list[str]:
    rows = _rows(
        """
        SELECT DISTINCT e.region_id FROM credit_classchange c JOIN core_enterprise e ON e.id = c.enterprise_id
         WHERE c.changed_on BETWEEN %(start)s AND %(end)s
        UNION SELECT DISTINCT region_code FROM credit_listing
         WHERE listed_on BETWEEN %(start)s AND %(end)s OR removed_on BETWEEN %(start)s AND %(end)s
        """,
        {"start": period.start, "end": period.end},
    )
    return [row[0] for row in rows]


def _share(count: int, total: int) -> float | None:
    return round(count * 100 / total, 1) if total else None


def shape(rows: dict, period: Period, region: Region) -> dict:
    import pandas as pd  # imported when a report is shaped, not at start-up

    classes = pd.DataFrame(rows["classes"], columns=["region", "industry", "cls", "n"])
    events = pd.DataFrame(rows["events"], columns=["event", "region", "industry", "n"])
    total = int(classes["n"].sum()) if not classes.empty else 0
    by_class = classes.groupby("cls")["n"].sum().to_dict() if not classes.empty else {}
    distribution = [
        {"cls": cls, "count": int(by_class.get(cls, 0)), "share": _share(int(by_class.get(cls, 0)), total)}
        for cls in CLASSES
    ]
    event_totals = events.groupby("event")["n"].sum().to_dict() if not events.empty else {}
    totals = {
        "enterprises": total,
        "listed": int(event_totals.get("listed", 0)),
        "removed_expiry": int(event_totals.get("removed_expiry", 0)),
        "removed_early": int(event_totals.get("removed_early", 0)),
        "repaired": int(event_totals.get("repaired", 0)),
        "changes": int(sum(r[3] for r in rows["changes"])),
        "up": int(sum(r[3] for r in rows["changes"] if r[1] > r[0])),
        "down": int(sum(r[3] for r in rows["changes"] if r[1] < r[0])),
    }

    def breakdown(column: str, labels: dict | None = None, limit: int | None = None) -> list[dict]:
        if classes.empty and events.empty:
            return []
        pivot = classes.pivot_table(index=column, columns="cls", values="n", aggfunc="sum", fill_value=0)
        ev = events.pivot_table(index=column, columns="event", values="n", aggfunc="sum", fill_value=0)
        frame = pivot.join(ev, how="outer").fillna(0)
        for cls in CLASSES:
            if cls not in frame:
                frame[cls] = 0
        frame["total"] = frame[list(CLASSES)].sum(axis=1)
        frame = frame.sort_values("total", ascending=False) if column == "industry" else frame.sort_index()
        if limit:
            frame = frame.head(limit)
        result = []
        for key, row in frame.iterrows():
            key = str(key)
            result.append(
                {
                    "key": key,
                    "label": (labels or {}).get(key.ljust(6, "0"), key) if labels is not None else key,
                    **{cls: int(row.get(cls, 0)) for cls in CLASSES},
                    "total": int(row["total"]),
                    "high_share": _share(int(row.get("C", 0)) + int(row.get("D", 0)), int(row["total"])),
                    "listed": int(row.get("listed", 0)),
                    "removed": int(row.get("removed_expiry", 0)) + int(row.get("removed_early", 0)),
                    "repaired": int(row.get("repaired", 0)),
                }
            )
        return result

    labels = {str(k): v for k, v in rows["regions"].items()}
    where = region_title_name(region)
    summary = _(
        "%(period)s末，%(where)s共有 %(n)s 家企业完成信用风险分类，其中 A 类 %(a)s 家、B 类 %(b)s 家、C 类 %(c)s 家、"
        "D 类 %(d)s 家。本期分类变化 %(changes)s 家次（风险上升 %(up)s、下降 %(down)s）；"
        "新列入严重违法失信名单 %(listed)s 家，"
        "期满移出 %(expiry)s 家，提前移出 %(early)s 家；行政处罚信息信用修复 %(repaired)s 件。"
    ) % {
        "period": period.label,
        "where": where,
        "n": f"{total:,}",
        **{k: f"{d['count']:,}" for k, d in zip("abcd", distribution, strict=True)},
        "changes": totals["changes"],
        "up": totals["up"],
        "down": totals["down"],
        "listed": totals["listed"],
        "expiry": totals["removed_expiry"],
        "early": totals["removed_early"],
        "repaired": totals["repaired"],
    }
    return {
        "summary": summary,
        "totals": totals,
        "distribution": distribution,
        "changes": [{"from": f, "to": t, "cause": c, "count": n} for f, t, c, n in sorted(rows["changes"])],
        "by_region": breakdown("region", labels),
        "by_industry": breakdown("industry", None, TOP_INDUSTRIES),
        "new_listings": [
            dict(zip(["number", "name", "uscc", "authority", "listed_on", "planned_removal_on"], r, strict=True))
            for r in rows["new_listings"]
        ],
        "sections": [
            {"id": "totals", "title": str(_("总体情况"))},
            {"id": "by-region", "title": str(_("按地区"))},
            {"id": "by-industry", "title": str(_("按行业"))},
            {"id": "changes", "title": str(_("分类变化"))},
            {"id": "listings", "title": str(_("本期新列入严重违法失信名单"))},
            {"id": "warnings", "title": str(_("风险预警"))},
        ],
        "warnings": rows.get("warnings"),
    }


def report_charts(snapshot: dict, *, for_pdf: bool = False) -> dict[str, str]:
    distribution = snapshot["distribution"]
    if not any(d["count"] for d in distribution):
        return {}
    return {
        "distribution": charts.count_bars(
            "classes",
            [str(_("%(cls)s 类") % {"cls": d["cls"]}) for d in distribution],
            [d["count"] for d in distribution],
            text_as_paths=not for_pdf,
        )
    }


CREDIT_REPORT = register(
    ReportKind(
        code="credit",
        title=gettext_lazy("质量信用分析报告"),
        template="credit/report.html",
        query=query,
        shape=shape,
        charts=report_charts,
        jurisdictions_with_data=jurisdictions_with_data,
    )
)

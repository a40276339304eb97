"""The recall report (缺陷产品召回情况报告): recalls, units and completion by category and producer per period
and jurisdiction, monthly, quarterly and annually. SQL aggregates every figure (recalls.statistics); the
shaping step only labels and orders the few aggregated rows."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.models import Region
from core.reports import charts
from core.reports.periods import Period
from core.reports.registry import ReportKind, register
from recalls import statistics
from recalls.models import Recall, RecallReport

RECALL_LIST_LIMIT = 100


def _scoped(region: Region):
    qs = Recall.objects.all()
    return qs.filter(region__code__startswith=region.scope_prefix) if region.scope_prefix else qs


def query(period: Period, region: Region) -> dict:
    scoped = _scoped(region)
    current = statistics.in_period(scoped, period.start, period.end)
    data = statistics.figures(current, top=20)
    data["overdue_at_end"] = (
        RecallReport.objects.filter(recall__in=scoped.values("pk"), due_on__lte=period.end, due_on__gte=period.start)
        .exclude(submitted_on__isnull=False, submitted_on__lte=period.end)
        .count()
    )
    data["recalls"] = [
        {
            "recall_no": r["recall_no"],
            "producer": r["producer__name"],
            "product": f"{r['brand']} {r['product']}",
            "category": r["category"],
            "kind": r["kind"],
            "units": r["units_affected"],
            "remedied": r["units_remedied"],
            "unreachable": r["units_unreachable"],
            "filed_on": r["filed_on"].isoformat() if r["filed_on"] else None,
        }
        for r in current.order_by("-units_affected", "recall_no").values(
            "recall_no",
            "producer__name",
            "brand",
            "product",
            "category",
            "kind",
            "units_affected",
            "units_remedied",
            "units_unreachable",
            "filed_on",
        )[:RECALL_LIST_LIMIT]
    ]
    data["previous"] = statistics.figures(statistics.in_period(scoped, period.previous.start, period.previous.end))[
        "totals"
    ]
    return data


def shape(rows: dict, period: Period, region: Region) -> dict:
    totals = rows["totals"]
    summary = _(
        "%(period)s，共备案召回 %(recalls)s 次（主动召回 %(voluntary)s 次，责令召回 %(ordered)s 次），涉及产品 "
        "%(units)s 件（辆），已完成召回 %(remedied)s 件（辆）。"
    ) % {
        "period": period.label,
        "recalls": f"{totals['recalls']:,}",
        "voluntary": f"{totals['voluntary']:,}",
        "ordered": f"{totals['ordered']:,}",
        "units": f"{totals['units']:,}",
        "remedied": f"{totals['remedied']:,}",
    }
    if totals["rate"] is not None:
        summary += _("完成率 %(rate)s%%（不含无法联系的 %(unreachable)s 件），按全部涉及数量计 %(all)s%%。") % {
            "rate": totals["rate"],
            "unreachable": f"{totals['unreachable']:,}",
            "all": totals["rate_all"],
        }
    sections = [
        {"id": "totals", "title": _("总体情况")},
        {"id": "category", "title": _("按产品类别")},
        {"id": "producer", "title": _("按生产者")},
        {"id": "list", "title": _("召回清单")},
    ]
    return {**rows, "summary": summary, "sections": sections, "previous_label": period.previous.label}


def report_charts(snapshot: dict, *, for_pdf: bool = False) -> dict[str, str]:
    paths = not for_pdf
    result = {}
    categories = snapshot["by_category"]
    if categories:
        result["category"] = charts.rate_bars(
            "recall-category", [c["label"] for c in categories], [c["rate"] for c in categories], text_as_paths=paths
        )
    producers = snapshot["by_producer"][:10]
    if producers:
        result["producer"] = charts.count_bars(
            "recall-producer",
            [p["producer__name"] for p in producers],
            [p["units"] for p in producers],
            text_as_paths=paths,
        )
    return result


def jurisdictions_with_data(period: Period) -> list[str]:
    return list(
        statistics.in_period(Recall.objects.all(), period.start, period.end)
        .values_list("region_id", flat=True)
        .distinct()
    )


RECALL_REPORT = register(
    ReportKind(
        code="recalls",
        title=gettext_lazy("缺陷产品召回情况报告"),
        template="recalls/report.html",
        query=query,
        shape=shape,
        charts=report_charts,
        jurisdictions_with_data=jurisdictions_with_data,
    )
)

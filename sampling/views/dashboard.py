"""The staff statistics dashboard (统计分析): pass rates by a chosen dimension, the trend and the most
frequent failed items, with the same server-drawn SVG charts as the PDF reports."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.models import NATIONAL_CODE, Region
from core.reports import charts
from sampling import reports, statistics
from sampling.models import Sample, Verdict
from sampling.statistics_links import batch_list_url

DASHBOARD_ROLES = ("inspector", "leader", "administrator", "institution")
DIMENSIONS = {
    "group": gettext_lazy("产品类别"),
    "type": gettext_lazy("产品种类"),
    "region": gettext_lazy("地区"),
    "zone": gettext_lazy("经济区域"),
    "size": gettext_lazy("企业规模"),
    "stage": gettext_lazy("抽样环节"),
}
TREND_YEARS = 5
CHART_MAX_ROWS = 40


def _years_with_data(prefix: str) -> list[int]:
    samples = Sample.objects.filter(final_verdict__in=[Verdict.PASS, Verdict.FAIL])
    if prefix:
        samples = samples.filter(region__code__startswith=prefix)
    return list(samples.order_by("-year").values_list("year", flat=True).distinct())


def dashboard_data(user, params) -> dict:
    """The dashboard's figures for a user and the query parameters (year, by); the page and its Excel export
    show the same numbers."""
    prefix = statistics.scope_prefix_for(user)
    if prefix is None or not user.has_role(*DASHBOARD_ROLES):
        raise PermissionDenied
    region = Region.objects.get(code=NATIONAL_CODE) if prefix == "" else user.jurisdiction
    years = _years_with_data(prefix)
    year_text = params.get("year", "")
    year = int(year_text) if year_text.isdigit() and int(year_text) in years else (years[0] if years else None)
    year = year or timezone.localdate().year
    by = params.get("by", "group")
    by = by if by in DIMENSIONS else "group"

    filters = {"year": year, "region_prefix": prefix}
    last_year = {"year": year - 1, "region_prefix": prefix}
    total = statistics.pass_rate_total(**filters)
    previous = statistics.pass_rate_total(**last_year)
    rate = reports.rate(total["passed"], total["batches"])
    previous_rate = reports.rate(previous["passed"], previous["batches"])
    rows = reports.shape_breakdown(
        reports.breakdown_rows(by, filters, region),
        reports.breakdown_rows(by, last_year, region),
        total["batches"],
        reports.NATURAL_ORDER.get(by),
    )
    for row in rows:
        row["links"] = {
            verdict or "all": batch_list_url(year=year, by=by, key=row["key"], verdict=verdict)
            for verdict in ("", "pass", "fail")
        }
    by_year = {row["key"]: row for row in statistics.pass_rate_rows(by="year", region_prefix=prefix)}
    trend = []
    for y in range(year - TREND_YEARS + 1, year + 1):
        row = by_year.get(str(y), {})
        trend.append(
            {
                "year": y,
                "label": _("%(year)s年") % {"year": y},
                "rate": reports.rate(row.get("passed", 0), row.get("batches", 0)),
                "batches": row.get("batches", 0),
                "passed": row.get("passed", 0),
                "url": batch_list_url(year=y),
            }
        )
    failed_items = statistics.failed_item_ranking(limit=10, **filters)
    for item in failed_items:
        item["url"] = batch_list_url(year=year, failed_item=item["item"])
        item["label"] = _(item["item"])  # the catalogue's item names read in the page's language
    return {
        "years": years or [year],
        "year": year,
        "by": by,
        "region": region,
        "dimensions": DIMENSIONS.items(),
        "dimension_label": DIMENSIONS[by],
        "total": total,
        "rate": rate,
        "change": None if rate is None or previous_rate is None else round(rate - previous_rate, 1),
        "rows": rows,
        "trend": trend,
        "failed_items": failed_items,
        "scope_name": region.display_full_name or region.display_name,
        "total_links": {
            verdict or "all": batch_list_url(year=year, verdict=verdict) for verdict in ("", "pass", "fail")
        },
    }


@login_required
def dashboard(request):
    context = dashboard_data(request.user, request.GET)
    rows, trend, failed_items, by = context["rows"], context["trend"], context["failed_items"], context["by"]
    chart_svgs = {}
    if rows and len(rows) <= CHART_MAX_ROWS:
        chart_svgs["breakdown"] = reports.breakdown_chart(f"dash-{by}", rows, context["rate"])
    if any(t["rate"] is not None for t in trend):
        chart_svgs["trend"] = charts.trend_line("dash-trend", [t["label"] for t in trend], [t["rate"] for t in trend])
    if failed_items:
        chart_svgs["failed_items"] = charts.count_bars(
            "dash-failed", [i["label"] for i in failed_items], [i["count"] for i in failed_items]
        )
    context["charts"] = chart_svgs
    return render(request, "sampling/dashboard.html", context)


urlpatterns = [path("dashboard/", dashboard, name="dashboard")]

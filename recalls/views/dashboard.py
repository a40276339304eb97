"""The leaders' recall dashboard: recalls, units and completion by category and producer, owed reports."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from recalls import policies, statistics
from recalls.charts import bars_svg
from recalls.selectors import clusters, recalls_visible_to


@login_required
def dashboard(request):
    if not policies.can_view_dashboard(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    scoped = recalls_visible_to(request.user)
    period = statistics.in_period(scoped, dt.date(year, 1, 1), dt.date(year, 12, 31))
    data = statistics.figures(period)
    chart = ""
    if data["by_category"]:
        chart = bars_svg(
            _("完成率"),
            [r["label"] for r in data["by_category"]],
            [r["rate"] for r in data["by_category"]],
            percent=True,
        )
    monthly = ""
    if data["monthly"]:
        monthly = bars_svg(
            _("每月备案"), [m["month"] for m in data["monthly"]], [m["recalls"] for m in data["monthly"]]
        )
    return render(
        request,
        "recalls/dashboard.html",
        {
            "year": year,
            "years": list(range(today.year, today.year - 6, -1)),
            "data": data,
            "overall": statistics.figures(scoped)["totals"],
            "overdue": statistics.overdue_reports(scoped, today),
            "clusters": clusters(request.user)[:10],
            "chart": mark_safe(chart),  # noqa: S308  (server-drawn SVG)
            "monthly_chart": mark_safe(monthly),  # noqa: S308
        },
    )


urlpatterns = [path("dashboard/", dashboard, name="dashboard")]

"""The report pipeline: SQL aggregation → pandas shaping → HTML → PDF, timed step by step."""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from core.db_routing import replica_reads
from core.models import Region, RegionLevel
from core.reports.periods import Period
from core.reports.registry import ReportKind
from core.reports.render import html_to_pdf, render_html


@dataclass
class StepTimer:
    """Wall time and Python peak memory (tracemalloc) of each step; used by the benchmark."""

    trace_memory: bool = False
    seconds: dict[str, float] = field(default_factory=dict)
    peak_bytes: dict[str, int] = field(default_factory=dict)

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        if self.trace_memory:
            tracemalloc.start()
            tracemalloc.reset_peak()
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = time.perf_counter() - started
            if self.trace_memory:
                self.peak_bytes[name] = tracemalloc.get_traced_memory()[1]
                tracemalloc.stop()


def region_title_name(region: Region) -> str:
    """How a report names its jurisdiction: 全国, 湖南省, 长沙市, 长沙市芙蓉区 (a county with its city)."""
    if region.level == RegionLevel.NATIONAL:
        return _("全国")
    if region.level == RegionLevel.COUNTY and region.parent and region.parent.level == RegionLevel.CITY:
        # In English the region's English names: "Furong District, Changsha" (Region.display_name).
        return _("%(city)s%(county)s") % {"city": region.parent.display_name, "county": region.display_name}
    return region.display_name


def issuer_for(region: Region) -> str:
    """The issuing bureau on the cover: the jurisdiction's market regulation bureau (REPORT_ISSUER nationally)."""
    if region.level == RegionLevel.NATIONAL:
        return settings.REPORT_ISSUER
    return _("%(region)s市场监督管理局") % {"region": region_title_name(region)}


def report_meta(kind: ReportKind, period: Period, region: Region) -> dict:
    now = timezone.localtime()
    return {
        "kind": kind.code,
        "kind_title": str(kind.title),
        "title": kind.report_title(period, region_title_name(region)),
        "period": str(period),
        "period_label": period.label,
        "period_kind": period.kind,
        "period_kind_label": period.kind_label,
        "period_start": period.start.isoformat(),
        "period_end": period.end.isoformat(),
        "jurisdiction": region.code,
        "jurisdiction_name": region_title_name(region),
        "issuer": issuer_for(region),
        "issued_on": now.date().isoformat(),
        "issued_on_label": _("%(y)s年%(m)s月%(d)s日") % {"y": now.year, "m": now.month, "d": now.day},
    }


def build_snapshot(kind: ReportKind, period: Period, region: Region, timer: StepTimer | None = None) -> dict:
    """Aggregate in SQL, then shape with pandas; the result is the JSON snapshot stored with the report."""
    timer = timer or StepTimer()
    # The aggregates read the replica when one is configured (core.db_routing); the report row is written on default.
    with timer.step("query"), replica_reads():
        rows = kind.query(period, region)
    with timer.step("shaping"):
        snapshot = kind.shape(rows, period, region)
    snapshot["meta"] = report_meta(kind, period, region)
    return snapshot


def render_pdf(kind: ReportKind, snapshot: dict, timer: StepTimer | None = None) -> bytes:
    timer = timer or StepTimer()
    with timer.step("rendering"):
        return html_to_pdf(render_html(kind, snapshot, for_pdf=True))

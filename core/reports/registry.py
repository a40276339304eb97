"""Report kinds. Apps register theirs from AppConfig.ready() (``register``), so that core never imports an
app above it; settings.REPORT_KINDS may still list extra modules to import."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.reports.periods import ANNUAL, MONTHLY, QUARTERLY, Period


@dataclass(frozen=True)
class ReportKind:
    """What a report kind declares: its parameters (periodicities, jurisdiction), the SQL aggregation,
    the pandas shaping step, the charts and the HTML template."""

    code: str
    title: str
    template: str
    # (period, region) -> aggregated rows, JSON-serialisable; every figure is computed in SQL.
    query: Callable
    # (aggregated rows, period, region) -> the snapshot the template renders; pandas, small frames only.
    shape: Callable
    # (snapshot, for_pdf=...) -> {name: svg markup}; redrawn from the snapshot, so the view matches the PDF.
    charts: Callable = lambda snapshot, for_pdf=False: {}
    # period -> region codes that have data (the schedule makes one report per code).
    jurisdictions_with_data: Callable = lambda period: []
    periodicities: tuple[str, ...] = field(default=(MONTHLY, QUARTERLY, ANNUAL))
    # snapshot -> the same snapshot with its words (summary, headings, labels) in the active language; the
    # figures never change. Used to read a stored report in another language (core.reports.languages).
    localize: Callable = lambda snapshot: snapshot

    def report_title(self, period: Period, region_name: str) -> str:
        # "湖南省2025年产品质量监督抽查合格率分析报告"; a translation may order the parts its own way.
        return _("%(region)s%(period)s%(title)s") % {"region": region_name, "period": period.label, "title": self.title}


_kinds: dict[str, ReportKind] = {}
_loaded = False


def register(kind: ReportKind) -> ReportKind:
    _kinds[kind.code] = kind
    return kind


def _load() -> None:
    global _loaded
    if not _loaded:
        for module in getattr(settings, "REPORT_KINDS", []):
            importlib.import_module(module)
        _loaded = True


def all_kinds() -> list[ReportKind]:
    _load()
    return list(_kinds.values())


def get_kind(code: str) -> ReportKind:
    _load()
    try:
        return _kinds[code]
    except KeyError:
        raise DomainError(_("报告类型“%(code)s”不存在。") % {"code": code})


# --- Supplements: figures a higher app adds to a lower app's report ------------------------------------
# The pass-rate report (sampling) shows early warning's counts (credit) without importing it: credit registers
# a provider from its ready(), and the report's query stores what each provider returns in its rows.
_supplements: dict[str, Callable] = {}


def register_supplement(name: str, provider: Callable) -> None:
    """``provider(period, region) -> JSON-serialisable dict``, stored under ``rows["supplements"][name]``."""
    _supplements[name] = provider


def supplements(period: Period, region) -> dict:
    return {name: provider(period, region) for name, provider in _supplements.items()}

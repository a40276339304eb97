"""Demo warnings: the signals evaluated on the demo data for every year that has judged batches or ledger facts
(idempotent: running it again updates the same warnings)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.audit import audit_context
from core.reports.periods import ANNUAL, Period


def load_demo_warnings() -> str:
    """Evaluate every enabled signal for each demo year, oldest first; returns the loader's line for load_demo."""
    from django.db.models.functions import ExtractYear

    from core.models import EnterpriseFact
    from credit.models_warnings import OPEN_STATES, EarlyWarning
    from credit.warnings.evaluation import evaluate
    from credit.warnings.services import ensure_signal_settings
    from sampling.models import Sample

    ensure_signal_settings()
    years = set(Sample.objects.exclude(final_verdict="").values_list("year", flat=True).distinct())
    years |= set(EnterpriseFact.objects.annotate(y=ExtractYear("occurred_on")).values_list("y", flat=True).distinct())
    with audit_context(source="load_demo_warnings"):
        for year in sorted(years):
            evaluate(period=Period(ANNUAL, year))
    return _("风险预警：评估 %(years)s 年，未办结预警 %(n)s 条") % {
        "years": "、".join(str(y) for y in sorted(years)) or "—",
        "n": EarlyWarning.objects.filter(state__in=OPEN_STATES).count(),
    }

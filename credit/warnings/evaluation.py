"""Running the signals for a period: each enabled signal's findings become warnings (credit.warnings.services).
The daily job evaluates the running year up to today; ``manage.py warnings_run --period 2017`` a past period."""

from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass, field

from django.utils import timezone

from core.reports.periods import ANNUAL, Period
from credit.models_warnings import EarlyWarning
from credit.warnings.services import signal_settings, warnings_record
from credit.warnings.signals import SIGNALS, Context

logger = logging.getLogger(__name__)


@dataclass
class EvaluationResult:
    period: Period
    end: dt.date
    warnings: list[tuple[EarlyWarning, bool]] = field(default_factory=list)  # (warning, created)
    skipped: int = 0  # findings whose warning for this period was already closed
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def created(self) -> int:
        return sum(1 for _w, created in self.warnings if created)

    def as_json(self) -> list[dict]:
        return [warning_json(warning, created) for warning, created in self.warnings]


def warning_json(warning: EarlyWarning, created: bool | None = None) -> dict:
    row = {
        "id": warning.pk,
        "signal": warning.signal,
        "signal_label": warning.get_signal_display(),
        "subject_type": warning.subject_type,
        "subject_name": warning.subject_name,
        "subject_code": warning.subject_code,
        "region_code": warning.region_id,
        "region_name": warning.region.full_name or warning.region.name,
        "level": warning.level,
        "level_label": warning.get_level_display(),
        "state": warning.state,
        "period": warning.period,
        "summary": warning.summary,
        "figures": warning.figures,
    }
    if created is not None:
        row["created"] = created
    return row


def evaluate(*, period: Period, end: dt.date | None = None, codes: list[str] | None = None) -> EvaluationResult:
    """Evaluate the enabled signals (or ``codes``, enabled or not) for ``period`` up to ``end`` and raise or
    update their warnings. Safe to run twice: a second run updates the same warnings."""
    end = min(end or period.end, period.end)
    ctx = Context(period=period, end=end)
    result = EvaluationResult(period=period, end=end)
    settings = signal_settings()
    for code, signal in SIGNALS.items():
        enabled, params = settings[code]
        if codes is not None:
            if code not in codes:
                continue
        elif not enabled:
            continue
        started = time.monotonic()
        findings = signal.evaluate(ctx, params)
        for warning, created in warnings_record(findings=findings, period=period):
            if warning is None:
                result.skipped += 1
            else:
                result.warnings.append((warning, created))
        result.timings[code] = time.monotonic() - started
        logger.info("signal %s: %d findings in %.2fs", code, len(findings), result.timings[code])
    return result


def evaluate_daily(today: dt.date | None = None) -> EvaluationResult:
    """The daily job: the running year up to today."""
    today = today or timezone.localdate()
    return evaluate(period=Period(ANNUAL, today.year), end=today)

"""Reads of early warning, scoped to the user's jurisdiction (the warning's region covers its subject)."""

from __future__ import annotations

from collections import defaultdict

from django.db import connection
from django.db.models import Case, Count, IntegerField, Max, Q, QuerySet, Value, When
from django.utils import translation

from core.models import Region, User
from core.reports.periods import ANNUAL, QUARTERLY, Period
from core.selectors import jurisdiction_prefix
from credit.models_warnings import OPEN_STATES, EarlyWarning, SignalCode, WarningHit, WarningLevel
from credit.warnings import policies

SEVERITY = Case(
    When(level=WarningLevel.SEVERE, then=Value(3)),
    When(level=WarningLevel.WARNING, then=Value(2)),
    default=Value(1),
    output_field=IntegerField(),
)


def _prefix_q(prefix: str | None, field: str = "region") -> Q:
    if prefix is None:
        return Q(pk__in=[])
    if prefix == "":
        return Q()
    return Q(**{f"{field}__code__startswith": prefix})


def warnings_visible_to(user: User) -> QuerySet[EarlyWarning]:
    """Warnings of the user's jurisdiction and below; nothing for roles that do not see warnings."""
    if not policies.can_view_warnings(user):
        return EarlyWarning.objects.none()
    return EarlyWarning.objects.filter(_prefix_q(jurisdiction_prefix(user))).select_related("region")


def warnings_filtered(
    user: User, *, signal: str = "", level: str = "", state: str = "", region: str = "", open_only: bool = False
) -> QuerySet[EarlyWarning]:
    """The list page's and the API's filters over the visible warnings, most severe and newest first."""
    queryset = warnings_visible_to(user)
    if signal in SignalCode.values:
        queryset = queryset.filter(signal=signal)
    if level in WarningLevel.values:
        queryset = queryset.filter(level=level)
    if state == "open" or open_only:
        queryset = queryset.filter(state__in=OPEN_STATES)
    elif state:
        queryset = queryset.filter(state=state)
    region = (region or "").strip()
    if region.isdigit() and len(region) == 6:
        queryset = queryset.filter(region__code__startswith=_scope_prefix(region))
    return queryset.annotate(severity=SEVERITY).order_by("-severity", "-updated_at", "-id")


def _scope_prefix(code: str) -> str:
    if code == "000000":
        return ""
    if code[2:] == "0000":
        return code[:2]
    if code[4:] == "00":
        return code[:4]
    return code


def home_warnings(user: User, limit: int = 10) -> list[EarlyWarning]:
    """Open warnings for the home page of the jurisdiction's leaders and inspectors."""
    if not (user.is_authenticated and user.has_role(*policies.HOME_ROLES)):
        return []
    return list(warnings_filtered(user, open_only=True)[:limit])


def signal_history(user: User, *, periods: int = 8) -> dict[str, list[tuple[str, int]]]:
    """{signal: [(period, warnings raised), ...]} of the last ``periods`` periods with hits, oldest first, within
    the user's jurisdiction (one aggregate query)."""
    if not policies.can_view_warnings(user):
        return {}
    rows = (
        WarningHit.objects.filter(_prefix_q(jurisdiction_prefix(user)))
        .values("signal", "period")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_signal: dict[str, dict[str, int]] = defaultdict(dict)
    all_periods = set()
    for row in rows:
        by_signal[row["signal"]][row["period"]] = row["n"]
        all_periods.add(row["period"])
    shown = sorted(all_periods, key=_period_sort_key)[-periods:]
    return {code: [(p, by_signal.get(code, {}).get(p, 0)) for p in shown] for code in SignalCode.values}


def _period_sort_key(text: str):
    try:
        period = Period.parse(text)
        return (period.end, period.start)
    except Exception:  # noqa: BLE001  (a stray period string sorts first)
        return (Period.parse("2000").start, Period.parse("2000").start)


def warning_counts_by_level(region: Region | str | None, period: Period | str | None = None) -> dict[str, int]:
    """{"attention": n, "warning": n, "severe": n, "total": n}: warnings of ``region`` and below (None: all)
    that fired in ``period`` (None: the open ones), by their level in that period. For the pass-rate and credit
    reports."""
    code = region.code if isinstance(region, Region) else (region or "000000")
    scope = _prefix_q(_scope_prefix(code))
    if period is not None:
        rows = WarningHit.objects.filter(scope, period=str(period)).values("level").annotate(n=Count("id"))
    else:
        rows = EarlyWarning.objects.filter(scope, state__in=OPEN_STATES).values("level").annotate(n=Count("id"))
    counts = dict.fromkeys(WarningLevel.values, 0)
    for row in rows.order_by():
        counts[row["level"]] = row["n"]
    counts["total"] = sum(counts[level] for level in WarningLevel.values)
    return counts


def periods_within(period: Period) -> list[str]:
    """The period strings a warning hit may carry that fall inside ``period`` (a year holds its quarters and
    months, a quarter its months)."""
    texts = [str(period)]
    if period.kind == ANNUAL:
        texts += [f"{period.year}-Q{q}" for q in range(1, 5)]
    if period.kind in (ANNUAL, QUARTERLY):
        texts += [
            f"{period.year}-{month:02d}" for month in range(period.first_month, period.first_month + period.months)
        ]
    return texts


with translation.override("zh-hans"):
    _SIGNAL_MSGIDS = {code: str(label) for code, label in SignalCode.choices}


def warning_report_counts(region: Region | str | None, period: Period) -> dict:
    """What the pass-rate and credit reports show of early warning for a jurisdiction and period: the warnings
    that fired in the period (each counted once, at the highest level it reached in it), by level and by signal,
    and how many of them are still open when the report is made."""
    code = region.code if isinstance(region, Region) else (region or "000000")
    scope = _prefix_q(_scope_prefix(code))
    # Each warning once, at the highest level of its hits in the period; then counted by signal, level and state,
    # both steps in SQL.
    per_warning = (
        WarningHit.objects.filter(scope, period__in=periods_within(period))
        .values("warning_id", "signal", "warning__state")
        .annotate(rank=Max(SEVERITY))
        .order_by()
    )
    inner, params = per_warning.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT t.signal, t.rank, t."warning__state", count(*) FROM ({inner}) t GROUP BY 1, 2, 3',  # noqa: S608
            params,
        )
        rows = cursor.fetchall()
    level_of = {3: WarningLevel.SEVERE, 2: WarningLevel.WARNING, 1: WarningLevel.ATTENTION}
    by_level = dict.fromkeys(WarningLevel.values, 0)
    by_signal: dict[str, dict] = {}
    still_open = total = 0
    for signal, rank, state, n in rows:
        level = level_of[rank]
        by_level[level] += n
        row = by_signal.setdefault(
            # The label is the Chinese msgid: the report translates it when shown (in English on request).
            signal,
            {"signal": signal, "label": _SIGNAL_MSGIDS[signal], **dict.fromkeys(WarningLevel.values, 0), "total": 0},
        )
        row[level] += n
        row["total"] += n
        total += n
        still_open += n if state in OPEN_STATES else 0
    order = list(SignalCode.values)
    return {
        "by_level": {**by_level, "total": total},
        "by_signal": sorted(by_signal.values(), key=lambda r: order.index(r["signal"])),
        "open": still_open,
    }

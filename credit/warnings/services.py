"""Writes of early warning: signal settings, raising (or updating) warnings from findings, the workflow
新 → 已研判 → 已处置 / 已排除, and turning a product-type warning into next round's draft sampling task."""

from __future__ import annotations

import datetime as dt
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError, PermissionDenied
from core.facts import fact_kinds, record_fact, source_keys
from core.models import Enterprise, EnterpriseFact, ProductType, Region, User
from core.reports.periods import Period
from credit.models_warnings import OPEN_STATES, EarlyWarning, SignalCode, WarningHit, WarningSignal, WarningState
from credit.warnings import policies
from credit.warnings.parameters import clean_parameters
from credit.warnings.signals import SIGNALS, Finding
from credit.warnings.transitions import WARNING_FLOW

FACT_WARNING_RAISED = "credit.warning_raised"
FACT_WARNING_CLOSED = "credit.warning_closed"


# --- settings --------------------------------------------------------------------------------------------


def signal_settings() -> dict[str, tuple[bool, dict]]:
    """{code: (enabled, parameters)} of every signal: the stored settings over the declared defaults."""
    stored = {s.code: s for s in WarningSignal.objects.all()}
    result = {}
    for code, signal in SIGNALS.items():
        setting = stored.get(code)
        enabled = setting.enabled if setting else True
        try:
            params = clean_parameters(signal.params, setting.parameters if setting else {})
        except DomainError:
            params = signal.defaults  # a bad stored value never stops the other signals
        result[code] = (enabled, params)
    return result


@transaction.atomic
def signal_settings_update(*, user: User | None, code: str, enabled: bool, parameters: dict) -> WarningSignal:
    """An administrator switches a signal and tunes its parameters (checked against their declared bounds)."""
    if user is not None and not policies.can_tune_signals(user):
        raise PermissionDenied(_("只有系统管理员可以修改预警信号设置。"))
    if code not in SIGNALS:
        raise DomainError(_("预警信号：“%(code)s”不存在。") % {"code": code})
    cleaned = clean_parameters(SIGNALS[code].params, parameters)
    setting, _created = WarningSignal.objects.select_for_update().get_or_create(code=code)
    setting.enabled, setting.parameters = bool(enabled), cleaned
    setting.updated_by = user if getattr(user, "pk", None) else None
    setting.save(update_fields=["enabled", "parameters", "updated_by", "updated_at"])
    return setting


def ensure_signal_settings() -> int:
    """One settings row per signal with its defaults (idempotent; the admin then shows every signal)."""
    created = 0
    for code, signal in SIGNALS.items():
        _setting, was_created = WarningSignal.objects.get_or_create(code=code, defaults={"parameters": signal.defaults})
        created += was_created
    return created


# --- raising ---------------------------------------------------------------------------------------------


def _period_end(text: str) -> dt.date:
    try:
        return Period.parse(text).end
    except DomainError:
        return dt.date.min


def _region_or_parent(code: str, known: set[str] | None = None) -> str:
    """The region code itself when the reference data holds it, else its city, province or the nation."""
    candidates = [code, code[:4] + "00", code[:2] + "0000", "000000"]
    if known is None:
        known = set(Region.objects.filter(code__in=candidates).values_list("code", flat=True))
    for candidate in candidates:
        if candidate in known:
            return candidate
    raise DomainError(_("管辖地区：区划代码 %(code)s 不存在。") % {"code": code})


def warning_record(*, finding: Finding, period: Period) -> tuple[EarlyWarning | None, bool]:
    """Raise a warning from a finding, or update the open warning of the same signal and subject (one open
    warning per signal and subject, a database constraint). A subject whose warning for this period was
    already closed (handled or excluded) is not raised again for it. Returns (warning, created)."""
    return warnings_record(findings=[finding], period=period)[0]


def warnings_record(*, findings: list[Finding], period: Period) -> list[tuple[EarlyWarning | None, bool]]:
    """warning_record() for many findings in one transaction and a few statements (an evaluation raises
    thousands at national scale). A concurrent run that inserted the same open warning first makes this one
    retry and update it."""
    try:
        with transaction.atomic():
            return _warnings_record(findings, period)
    except IntegrityError:
        with transaction.atomic():
            return _warnings_record(findings, period)


def _insert_rows(warnings: list[EarlyWarning], now) -> None:
    """Insert the new warnings in one INSERT … SELECT FROM jsonb_to_recordset and set their ids (bulk_create
    adapts every JSON value client-side, which costs seconds for thousands of rows)."""
    if not warnings:
        return
    rows = [
        {
            "signal": w.signal, "subject_type": w.subject_type, "subject_key": w.subject_key,
            "subject_name": w.subject_name, "subject_code": w.subject_code, "enterprise_id": w.enterprise_id,
            "product_type_id": w.product_type_id, "region_id": w.region_id, "level": w.level, "period": w.period,
            "figures": w.figures, "evidence": w.evidence, "summary": w.summary,
        }
        for w in warnings
    ]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO credit_earlywarning (signal, subject_type, subject_key, subject_name, subject_code,
                   enterprise_id, product_type_id, region_id, level, state, period, first_period, figures, evidence,
                   summary, times_raised, raised_at, updated_at, assessment, close_reason)
            SELECT v.signal, v.subject_type, v.subject_key, v.subject_name, v.subject_code, v.enterprise_id,
                   v.product_type_id, v.region_id, v.level, %s, v.period, v.period, v.figures, v.evidence, v.summary,
                   1, %s, %s, '', ''
              FROM jsonb_to_recordset(%s::jsonb) AS v(signal text, subject_type text, subject_key text,
                   subject_name text, subject_code text, enterprise_id integer, product_type_id integer,
                   region_id text, level text, period text, figures jsonb, evidence jsonb, summary text)
            RETURNING id, signal, subject_type, subject_key
            """,
            [WarningState.NEW, now, now, json.dumps(rows, ensure_ascii=False, cls=DjangoJSONEncoder)],
        )
        ids = {(signal, subject_type, key): pk for pk, signal, subject_type, key in cursor.fetchall()}
    for warning in warnings:
        warning.pk = ids[(warning.signal, warning.subject_type, warning.subject_key)]
        warning.state, warning.times_raised, warning.raised_at, warning.updated_at = WarningState.NEW, 1, now, now
        warning._state.adding = False


def _record_raised_facts(warnings: list[EarlyWarning], period_text: str) -> None:
    """The ``credit.warning_raised`` fact of each new enterprise warning, in one INSERT: what record_fact() would
    write for each (the enterprise's USCC and region as now, once per (kind, source, ref)), for the thousands
    of warnings a national evaluation can raise at once."""
    if not warnings:
        return
    if FACT_WARNING_RAISED not in fact_kinds():
        raise ValueError(f"unregistered fact kind {FACT_WARNING_RAISED!r}")
    enterprises = Enterprise.objects.only("id", "uscc", "region_id").in_bulk([w.enterprise_id for w in warnings])
    today = timezone.localdate()
    facts = []
    for warning in warnings:
        enterprise = enterprises[warning.enterprise_id]
        source_type, source_id, label = source_keys(warning)
        facts.append(
            EnterpriseFact(
                enterprise=enterprise, uscc=enterprise.uscc, region_code=enterprise.region_id,
                kind=FACT_WARNING_RAISED, occurred_on=today, source_type=source_type, source_id=source_id,
                source_label=label[:128], ref="", summary=warning.summary[:255],
                data={"signal": warning.signal, "level": warning.level, "period": period_text},
            )
        )  # fmt: skip
    EnterpriseFact.objects.bulk_create(facts, ignore_conflicts=True)


def _update_rows(warnings: list[EarlyWarning], now) -> None:
    """Save the re-raised warnings in one UPDATE … FROM jsonb_to_recordset (bulk_update's CASE per row and field
    costs seconds for a few thousand rows)."""
    if not warnings:
        return
    rows = [
        {
            "id": w.pk, "period": w.period, "level": w.level, "figures": w.figures, "evidence": w.evidence,
            "summary": w.summary, "subject_name": w.subject_name, "subject_code": w.subject_code,
            "region_id": w.region_id, "times_raised": w.times_raised,
        }
        for w in warnings
    ]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE credit_earlywarning w
               SET period = v.period, level = v.level, figures = v.figures, evidence = v.evidence,
                   summary = v.summary, subject_name = v.subject_name, subject_code = v.subject_code,
                   region_id = v.region_id, times_raised = v.times_raised, updated_at = %s
              FROM jsonb_to_recordset(%s::jsonb) AS v(id integer, period text, level text, figures jsonb,
                   evidence jsonb, summary text, subject_name text, subject_code text, region_id text,
                   times_raised integer)
             WHERE w.id = v.id
            """,
            [now, json.dumps(rows, ensure_ascii=False, cls=DjangoJSONEncoder)],
        )


def _warnings_record(findings: list[Finding], period: Period) -> list[tuple[EarlyWarning | None, bool]]:
    if not findings:
        return []
    from core.models import region_full_names

    known_regions = set(region_full_names())
    period_text = str(period)
    period_end = period.end
    keys = {(f.signal, f.subject_type, f.subject_key) for f in findings}
    signals = {k[0] for k in keys}
    subject_keys = {k[2] for k in keys}
    open_warnings = {
        (w.signal, w.subject_type, w.subject_key): w
        for w in EarlyWarning.objects.select_for_update()
        .filter(state__in=OPEN_STATES, signal__in=signals, subject_key__in=subject_keys)
        .annotate(hit_now=Exists(WarningHit.objects.filter(warning=OuterRef("pk"), period=period_text)))
    }
    closed_now = set(
        EarlyWarning.objects.filter(signal__in=signals, subject_key__in=subject_keys, hits__period=period_text)
        .exclude(state__in=OPEN_STATES)
        .values_list("signal", "subject_type", "subject_key")
    )
    now = timezone.now()
    results: list[tuple[EarlyWarning | None, bool]] = []
    created, updated = [], []
    for finding in findings:
        key = (finding.signal, finding.subject_type, finding.subject_key)
        region_code = _region_or_parent(finding.region_code, known_regions)
        warning = open_warnings.get(key)
        if warning is None:
            if key in closed_now:
                results.append((None, False))  # judged and closed for this period already
                continue
            warning = EarlyWarning(
                signal=finding.signal,
                subject_type=finding.subject_type,
                subject_key=finding.subject_key,
                subject_name=finding.subject_name,
                subject_code=finding.subject_code,
                enterprise_id=finding.enterprise_id,
                product_type_id=finding.product_type_id,
                region_id=region_code,
                level=finding.level,
                period=period_text,
                first_period=period_text,
                figures=finding.figures,
                evidence=finding.evidence,
                summary=finding.summary[:255],
            )
            open_warnings[key] = warning
            created.append(warning)
            results.append((warning, True))
        else:
            if warning.pk is None:
                results.append((warning, True))  # the same subject twice in one run: the first finding stands
                continue
            if period_end >= _period_end(warning.period):
                # The latest period speaks for the warning; an older period only adds to its history.
                warning.period, warning.level, warning.figures = period_text, finding.level, finding.figures
                warning.evidence, warning.summary = finding.evidence, finding.summary[:255]
                warning.subject_name, warning.subject_code = finding.subject_name, finding.subject_code
                warning.region_id = region_code
            if not getattr(warning, "hit_now", True):
                warning.times_raised += 1
                warning.hit_now = True
            warning.updated_at = now
            updated.append(warning)
            results.append((warning, False))
    _insert_rows(created, now)
    _update_rows(updated, now)
    _record_raised_facts([w for w in created if w.enterprise_id], period_text)
    hits = {}
    for finding, (warning, _created) in zip(findings, results, strict=True):
        if warning is not None:
            hits[warning.pk] = WarningHit(
                warning=warning, signal=finding.signal, period=period_text, level=finding.level,
                figures=finding.figures, region_id=warning.region_id, evaluated_at=now,
            )  # fmt: skip
    WarningHit.objects.bulk_create(
        list(hits.values()),
        update_conflicts=True,
        unique_fields=["warning", "period"],
        update_fields=["level", "figures", "region", "evaluated_at"],
    )
    return results


# --- workflow --------------------------------------------------------------------------------------------


def _locked(warning: EarlyWarning) -> EarlyWarning:
    return EarlyWarning.objects.select_for_update().get(pk=warning.pk)


def _reason(text: str, field: str) -> str:
    text = (text or "").strip()
    if not text:
        raise DomainError(_("%(field)s：不能为空。") % {"field": field})
    return text


@transaction.atomic
def warning_assess(*, user: User, warning: EarlyWarning, assessment: str) -> EarlyWarning:
    """研判: an inspector or leader of the jurisdiction records their assessment."""
    warning = _locked(warning)
    if not policies.can_view(user, warning):
        raise PermissionDenied(_("该预警不在您的管辖范围内。"))
    WARNING_FLOW.require(warning, WarningState.ASSESSED)
    if not policies.can_assess(user, warning):
        raise PermissionDenied(_("您无权研判该预警。"))
    warning.assessment = _reason(assessment, _("研判意见"))
    warning.state, warning.assessed_by, warning.assessed_at = WarningState.ASSESSED, user, timezone.now()
    warning.save(update_fields=["state", "assessment", "assessed_by", "assessed_at", "updated_at"])
    return warning


def _close(*, user: User, warning: EarlyWarning, to: str, reason: str, allowed) -> EarlyWarning:
    warning = _locked(warning)
    if not policies.can_view(user, warning):
        raise PermissionDenied(_("该预警不在您的管辖范围内。"))
    WARNING_FLOW.require(warning, to)
    if not allowed(user, warning):
        raise PermissionDenied(_("只有本辖区负责人可以处置或排除预警。"))
    warning.close_reason = _reason(reason, _("处置或排除理由"))
    warning.state, warning.closed_by, warning.closed_at = to, user, timezone.now()
    warning.save(update_fields=["state", "close_reason", "closed_by", "closed_at", "updated_at"])
    if warning.enterprise_id:
        from core.facts import facts_of_source

        raised = facts_of_source(warning, kind=FACT_WARNING_RAISED).first()
        record_fact(
            enterprise=warning.enterprise,
            kind=FACT_WARNING_CLOSED,
            source=warning,
            on=timezone.localdate(),
            data={"signal": warning.signal, "state": to},
            summary=warning.close_reason[:255],
            ends=raised,
            user=user,
        )
    return warning


@transaction.atomic
def warning_handle(*, user: User, warning: EarlyWarning, reason: str) -> EarlyWarning:
    """处置: a leader of the jurisdiction closes an assessed warning, saying what was done."""
    return _close(user=user, warning=warning, to=WarningState.HANDLED, reason=reason, allowed=policies.can_handle)


@transaction.atomic
def warning_dismiss(*, user: User, warning: EarlyWarning, reason: str) -> EarlyWarning:
    """排除: a leader of the jurisdiction closes a warning as not a real risk, saying why."""
    return _close(user=user, warning=warning, to=WarningState.DISMISSED, reason=reason, allowed=policies.can_dismiss)


def next_round_year(warning: EarlyWarning) -> int:
    try:
        year = Period.parse(warning.period).year + 1
    except DomainError:
        year = timezone.localdate().year
    return max(year, timezone.localdate().year)


@transaction.atomic
def warning_to_task(*, user: User, warning: EarlyWarning, target_batches: int | None = None):
    """列入下一轮抽查: a product-type warning becomes a draft (计划中) sampling task of the user's bureau for the
    next year, through sampling's own task service (its level and checks); the warning records the task and is
    closed as handled (研判 first when still new)."""
    from sampling.services.tasks import task_create, task_level_for

    warning = _locked(warning)
    if not policies.can_view(user, warning):
        raise PermissionDenied(_("该预警不在您的管辖范围内。"))
    if not policies.can_make_task(user, warning):
        if warning.sampling_task_id:
            raise DomainError(_("该预警已列入抽查任务。"))
        raise PermissionDenied(_("只有产品种类的未办结预警可以由本辖区抽样人员或负责人列入抽查任务。"))
    product_type = ProductType.objects.get(pk=warning.product_type_id)
    year = next_round_year(warning)
    batches = int(warning.figures.get("batches") or 0)
    task = task_create(
        user=user,
        code=f"YJ-{year}-{warning.pk:05d}",
        name=_("%(year)s年%(product)s风险预警专项监督抽查") % {"year": year, "product": product_type.name},
        level=task_level_for(user),
        year=year,
        batch=_("风险预警"),
        product_types=[product_type],
        target_batches=target_batches if target_batches is not None else max(batches, 20),
    )
    warning.sampling_task = task
    note = _("已列入下一轮抽查任务 %(code)s。") % {"code": task.code}
    if warning.state == WarningState.NEW:
        WARNING_FLOW.require(warning, WarningState.ASSESSED)
        warning.state, warning.assessed_by, warning.assessed_at = WarningState.ASSESSED, user, timezone.now()
        warning.assessment = warning.assessment or note
    WARNING_FLOW.require(warning, WarningState.HANDLED)
    warning.state, warning.closed_by, warning.closed_at, warning.close_reason = (
        WarningState.HANDLED,
        user,
        timezone.now(),
        note,
    )
    warning.save(
        update_fields=[
            "sampling_task", "state", "assessed_by", "assessed_at", "assessment", "closed_by", "closed_at",
            "close_reason", "updated_at",
        ]
    )  # fmt: skip
    return task


# --- the draw's weight -----------------------------------------------------------------------------------


def draw_weight_multipliers(enterprise_ids) -> dict[int, float]:
    """{enterprise id: multiplier} for enterprises with an open warning: the largest draw multiplier among the
    signals of their open warnings (registered with core.services.register_draw_weight_provider)."""
    ids = list(enterprise_ids)
    if not ids:
        return {}
    settings = signal_settings()
    rows = (
        EarlyWarning.objects.filter(state__in=OPEN_STATES, enterprise_id__in=ids)
        .values_list("enterprise_id", "signal")
        .distinct()
    )
    result: dict[int, float] = {}
    for enterprise_id, signal in rows:
        multiplier = float(settings.get(signal, (True, {}))[1].get("draw_multiplier", 1.0))
        result[enterprise_id] = max(result.get(enterprise_id, 1.0), multiplier)
    return result


__all__ = [
    "SignalCode",
    "draw_weight_multipliers",
    "ensure_signal_settings",
    "signal_settings",
    "signal_settings_update",
    "warning_assess",
    "warning_dismiss",
    "warning_handle",
    "warning_record",
    "warning_to_task",
]

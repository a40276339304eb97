"""The signals: each a readable rule with parameters, evaluated for a period by aggregating in SQL, with the
statistics (credit.warnings.stats) applied to the small aggregated result. A signal returns findings; the
evaluation (credit.warnings.evaluation) turns findings into warnings.

Inputs: sampling's judged batches (the pass-rate statistics' table) and the enterprise fact ledger
(docs/fact-ledger.md). Rules and statistics are described in docs/early-warning.md.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.reports.periods import Period
from credit.models_warnings import SignalCode, SubjectType, WarningLevel
from credit.warnings import stats
from credit.warnings.parameters import Param, draw_multiplier, level_alphas

FACT_VERDICT_FAILED = "sampling.verdict_failed"
FACT_COMPLAINT = "enforcement.complaint_received"
FACT_DEFECT_REPORT = "recalls.defect_report_received"
OVERDUE_KINDS = ("sampling.rectification_overdue", "enforcement.fine_overdue", "recalls.report_late")
EVIDENCE_LIMIT = 30


@dataclass
class Finding:
    signal: str
    subject_type: str
    subject_key: str
    subject_name: str
    region_code: str
    level: str
    figures: dict
    summary: str
    subject_code: str = ""
    enterprise_id: int | None = None
    product_type_id: int | None = None
    evidence: list[dict] = field(default_factory=list)


@dataclass
class Context:
    """One evaluation: the period, the last day counted (today for the running year), and shared aggregates."""

    period: Period
    end: dt.date
    cache: dict = field(default_factory=dict)

    @property
    def start(self) -> dt.date:
        return self.period.start

    def history_start(self, periods: int) -> dt.date:
        return self.period.shifted(-periods).start

    def bucket_sql(self, column: str) -> tuple[str, dict]:
        """SQL of the period index of a date: 0 for the evaluated period, -1 the one before, and so on."""
        index = self.period.year * 12 + self.period.first_month - 1
        sql = (
            f"floor(((EXTRACT(YEAR FROM {column})::int * 12 + EXTRACT(MONTH FROM {column})::int - 1) - %(b_index)s)"
            f"::float8 / %(b_months)s)::int"
        )
        return sql, {"b_index": index, "b_months": self.period.months}

    def period_of_bucket(self, bucket: int) -> str:
        return str(self.period.shifted(bucket))


def covering_region(codes) -> str:
    """The code of the smallest region covering all ``codes`` (county, city, province or the nation)."""
    codes = [c for c in codes if c]
    if not codes:
        return "000000"
    low, high = min(codes), max(codes)
    common = 0
    while common < 6 and low[common] == high[common]:
        common += 1
    if common == 6:
        return low
    if common >= 4 and low[2:4] != "00":
        return low[:4] + "00"
    if common >= 2:
        return low[:2] + "0000"
    return "000000"


def _level(p_value: float, params: dict) -> str | None:
    if p_value < params["alpha_severe"]:
        return WarningLevel.SEVERE
    if p_value < params["alpha_warning"]:
        return WarningLevel.WARNING
    if p_value < params["alpha"]:
        return WarningLevel.ATTENTION
    return None


def _fetch(sql: str, params: dict) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# --- pass-rate drops (product type, region) --------------------------------------------------------------


def _pass_rate_aggregate(ctx: Context, history_periods: int) -> dict:
    """{("type", id) | ("region", code): {bucket: [batches, passed, lowest region, highest region]}} in one scan."""
    key = ("pass_rate", history_periods)
    if key in ctx.cache:
        return ctx.cache[key]
    bucket, params = ctx.bucket_sql("sampled_on")
    sql = f"""
        SELECT product_type_id, region_id, bucket, count(*), count(*) FILTER (WHERE final_verdict = 'pass'),
               min(region_id), max(region_id)
          FROM (SELECT product_type_id, region_id, final_verdict, {bucket} AS bucket
                  FROM sampling_sample
                 WHERE final_verdict IN ('pass', 'fail') AND sampled_on >= %(start)s AND sampled_on <= %(end)s) s
         GROUP BY GROUPING SETS ((product_type_id, bucket), (region_id, bucket))
    """
    params.update(start=ctx.history_start(history_periods), end=ctx.end)
    result: dict = defaultdict(dict)
    for type_id, region_id, b, batches, passed, low, high in _fetch(sql, params):
        subject = ("type", type_id) if type_id is not None else ("region", region_id)
        result[subject][b] = [batches, passed, low, high]
    ctx.cache[key] = result
    return result


def _region_rollup(counties: dict, levels: set[str]) -> dict:
    """County rows rolled up to the requested levels: {code: {bucket: [batches, passed]}}."""
    rolled: dict = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for code, buckets in counties.items():
        targets = set()
        if code[4:] != "00" and "county" in levels:
            targets.add(code)
        if code[2:4] != "00" and "city" in levels:
            targets.add(code[:4] + "00")
        if "province" in levels:
            targets.add(code[:2] + "0000")
        for target in targets:
            for b, (batches, passed, _low, _high) in buckets.items():
                rolled[target][b][0] += batches
                rolled[target][b][1] += passed
    return rolled


def _drop_finding(ctx: Context, params: dict, buckets: dict) -> dict | None:
    """Figures of a significant drop of this period's pass rate against the history periods, or None."""
    history_periods = params["history_periods"]
    batches, passed = buckets.get(0, [0, 0])[:2]
    history = [(b, *buckets[b][:2]) for b in range(-history_periods, 0) if b in buckets]
    history_batches = sum(h[1] for h in history)
    history_passed = sum(h[2] for h in history)
    if batches < params["min_batches"] or history_batches < params["min_history_batches"]:
        return None
    test = stats.proportion_drop_test(passed, batches, history_passed, history_batches)
    drop = test.history - test.current
    if drop < params["min_drop"]:
        return None
    level = _level(test.p_value, params)
    if level is None:
        return None
    low, high = stats.wilson_interval(passed, batches)
    return {
        "level": level,
        "figures": {
            "test": "two_proportion_z",
            "batches": batches,
            "passed": passed,
            "pass_rate": round(test.current, 4),
            "pass_rate_ci": [round(low, 4), round(high, 4)],
            "history_batches": history_batches,
            "history_passed": history_passed,
            "history_pass_rate": round(test.history, 4),
            "drop": round(drop, 4),
            "z": round(test.z, 3),
            "z_threshold": round(stats.z_threshold(params["alpha"]), 3),
            "p_value": test.p_value,
            "alpha": params["alpha"],
            "history": [
                {"period": ctx.period_of_bucket(b), "batches": n, "passed": p, "pass_rate": round(p / n, 4)}
                for b, n, p in history
            ],
        },
    }


def _failed_samples(ctx: Context, **filters) -> list[dict]:
    from sampling.models import Sample, Verdict

    rows = (
        Sample.objects.filter(final_verdict=Verdict.FAIL, sampled_on__gte=ctx.start, sampled_on__lte=ctx.end)
        .filter(**filters)
        .order_by("-sampled_on", "-id")
        .values_list("id", "sample_no", "enterprise__name", "sampled_on")[:EVIDENCE_LIMIT]
    )
    return [
        {"kind": "sample", "id": pk, "label": no, "detail": name, "on": on.isoformat()} for pk, no, name, on in rows
    ]


def evaluate_type_drop(ctx: Context, params: dict) -> list[Finding]:
    from core.models import ProductType

    aggregate = _pass_rate_aggregate(ctx, params["history_periods"])
    found = {}
    for (dimension, type_id), buckets in aggregate.items():
        if dimension == "type":
            result = _drop_finding(ctx, params, buckets)
            if result:
                found[type_id] = (result, buckets[0][2], buckets[0][3])
    names = dict(ProductType.objects.filter(pk__in=found).values_list("pk", "name"))
    codes = dict(ProductType.objects.filter(pk__in=found).values_list("pk", "code"))
    findings = []
    for type_id, (result, low, high) in found.items():
        f = result["figures"]
        findings.append(
            Finding(
                signal=SignalCode.PASS_RATE_DROP_TYPE,
                subject_type=SubjectType.PRODUCT_TYPE,
                subject_key=str(type_id),
                subject_name=names.get(type_id, str(type_id)),
                subject_code=codes.get(type_id, ""),
                product_type_id=type_id,
                region_code=covering_region([low, high]),
                level=result["level"],
                figures=f,
                summary=_("%(name)s批次合格率 %(rate).1f%%（%(n)d 批），历史 %(hist).1f%%（%(hn)d 批），z = %(z).2f")
                % {
                    "name": names.get(type_id, type_id),
                    "rate": f["pass_rate"] * 100,
                    "n": f["batches"],
                    "hist": f["history_pass_rate"] * 100,
                    "hn": f["history_batches"],
                    "z": f["z"],
                },
                evidence=_failed_samples(ctx, product_type_id=type_id),
            )
        )
    return findings


def evaluate_region_drop(ctx: Context, params: dict) -> list[Finding]:
    from core.models import Region

    aggregate = _pass_rate_aggregate(ctx, params["history_periods"])
    counties = {code: buckets for (dimension, code), buckets in aggregate.items() if dimension == "region"}
    levels = {level.strip() for level in params["region_levels"].split(",") if level.strip()}
    found = {}
    for code, buckets in _region_rollup(counties, levels).items():
        result = _drop_finding(ctx, params, buckets)
        if result:
            found[code] = result
    names = {region.code: region.full_name or region.name for region in Region.objects.filter(code__in=found)}
    findings = []
    for code, result in found.items():
        if code not in names:
            continue  # a rolled-up code the reference data does not hold
        f = result["figures"]
        findings.append(
            Finding(
                signal=SignalCode.PASS_RATE_DROP_REGION,
                subject_type=SubjectType.REGION,
                subject_key=code,
                subject_name=names[code],
                subject_code=code,
                region_code=code,
                level=result["level"],
                figures=f,
                summary=_("%(name)s批次合格率 %(rate).1f%%（%(n)d 批），历史 %(hist).1f%%（%(hn)d 批），z = %(z).2f")
                % {
                    "name": names[code],
                    "rate": f["pass_rate"] * 100,
                    "n": f["batches"],
                    "hist": f["history_pass_rate"] * 100,
                    "hn": f["history_batches"],
                    "z": f["z"],
                },
                evidence=_failed_samples(ctx, region__code__startswith=_scope_of(code)),
            )
        )
    return findings


def _scope_of(code: str) -> str:
    if code[2:] == "0000":
        return code[:2]
    if code[4:] == "00":
        return code[:4]
    return code


# --- repeat failures (enterprise; same test item across products) ----------------------------------------


def _fact_evidence(rows) -> list[dict]:
    return [
        {
            "kind": "fact",
            "id": pk,
            "fact_kind": kind,
            "source_type": source_type,
            "source_id": source_id,
            "label": label,
            "on": on.isoformat(),
        }
        for pk, kind, source_type, source_id, label, on in rows
    ]


def _facts_by_ids(id_lists) -> dict[int, dict]:
    """{fact id: evidence row} of every fact named in ``id_lists`` (one query for all findings of a signal)."""
    from core.models import EnterpriseFact

    ids = {pk for ids in id_lists for pk in list(ids)[:EVIDENCE_LIMIT]}
    rows = EnterpriseFact.objects.filter(pk__in=ids).values_list(
        "id", "kind", "source_type", "source_id", "source_label", "occurred_on"
    )
    return {row["id"]: row for row in _fact_evidence(rows)}


def _evidence_of(ids, facts: dict[int, dict]) -> list[dict]:
    return [facts[pk] for pk in list(ids)[:EVIDENCE_LIMIT] if pk in facts]


def _enterprises(ids) -> dict:
    from core.models import Enterprise

    return {e.pk: e for e in Enterprise.objects.filter(pk__in=list(ids)).only("id", "name", "uscc", "region_id")}


def evaluate_repeat_failure(ctx: Context, params: dict) -> list[Finding]:
    sql = """
        SELECT enterprise_id, count(*), (array_agg(id ORDER BY occurred_on DESC, id DESC))[1:%(limit)s],
               array_agg(DISTINCT data->>'product_type') FILTER (WHERE data ? 'product_type')
          FROM core_enterprisefact
         WHERE kind = %(kind)s AND occurred_on >= %(start)s AND occurred_on <= %(end)s
           AND NOT EXISTS (SELECT 1 FROM core_enterprisefact later WHERE later.ends_id = core_enterprisefact.id)
         GROUP BY enterprise_id
        HAVING count(*) >= %(min)s
    """
    rows = _fetch(
        sql,
        {
            "kind": FACT_VERDICT_FAILED,
            "start": ctx.start,
            "end": ctx.end,
            "min": params["min_failures"],
            "limit": EVIDENCE_LIMIT,
        },
    )
    enterprises = _enterprises(r[0] for r in rows)
    facts = _facts_by_ids(r[2] for r in rows)
    findings = []
    for enterprise_id, failures, fact_ids, products in rows:
        enterprise = enterprises[enterprise_id]
        level = WarningLevel.SEVERE if failures >= params["severe_failures"] else WarningLevel.WARNING
        findings.append(
            Finding(
                signal=SignalCode.REPEAT_FAILURE,
                subject_type=SubjectType.ENTERPRISE,
                subject_key=str(enterprise_id),
                subject_name=enterprise.name,
                subject_code=enterprise.uscc,
                enterprise_id=enterprise_id,
                region_code=enterprise.region_id,
                level=level,
                figures={
                    "test": "count",
                    "failures": failures,
                    "threshold": params["min_failures"],
                    "severe_threshold": params["severe_failures"],
                    "products": sorted(p for p in (products or []) if p),
                },
                summary=_("%(name)s在%(period)s内 %(n)d 批次监督抽查不合格")
                % {"name": enterprise.name, "period": ctx.period.label, "n": failures},
                evidence=_evidence_of(fact_ids, facts),
            )
        )
    return findings


def evaluate_repeat_item(ctx: Context, params: dict) -> list[Finding]:
    sql = """
        SELECT f.enterprise_id, btrim(item) AS item,
               count(DISTINCT coalesce(f.data->>'product_type_id', f.data->>'product_type', f.source_id)),
               count(*), (array_agg(f.id ORDER BY f.occurred_on DESC, f.id DESC))[1:%(limit)s],
               array_agg(DISTINCT f.data->>'product_type') FILTER (WHERE f.data ? 'product_type')
          FROM core_enterprisefact f
         CROSS JOIN LATERAL jsonb_array_elements_text(
               CASE WHEN jsonb_typeof(f.data->'failed_items') = 'array' THEN f.data->'failed_items' ELSE '[]' END
         ) AS item
         WHERE f.kind = %(kind)s AND f.occurred_on >= %(start)s AND f.occurred_on <= %(end)s AND btrim(item) <> ''
           AND NOT EXISTS (SELECT 1 FROM core_enterprisefact later WHERE later.ends_id = f.id)
         GROUP BY f.enterprise_id, btrim(item)
        HAVING count(DISTINCT coalesce(f.data->>'product_type_id', f.data->>'product_type', f.source_id))
               >= %(min)s
    """
    rows = _fetch(
        sql,
        {
            "kind": FACT_VERDICT_FAILED,
            "start": ctx.start,
            "end": ctx.end,
            "min": params["min_products"],
            "limit": EVIDENCE_LIMIT,
        },
    )
    enterprises = _enterprises(r[0] for r in rows)
    facts = _facts_by_ids(r[4] for r in rows)
    findings = []
    for enterprise_id, item, products, failures, fact_ids, product_names in rows:
        enterprise = enterprises[enterprise_id]
        level = WarningLevel.WARNING if products >= params["warning_products"] else WarningLevel.ATTENTION
        findings.append(
            Finding(
                signal=SignalCode.REPEAT_ITEM,
                subject_type=SubjectType.ENTERPRISE,
                # One warning per enterprise and item.
                subject_key=f"{enterprise_id}|{item}"[:160],
                subject_name=f"{enterprise.name}：{item}"[:200],
                subject_code=enterprise.uscc,
                enterprise_id=enterprise_id,
                region_code=enterprise.region_id,
                level=level,
                figures={
                    "test": "count",
                    "item": item,
                    "products_failed": products,
                    "failures": failures,
                    "threshold": params["min_products"],
                    "products": sorted(p for p in (product_names or []) if p),
                },
                summary=_("%(name)s的 %(n)d 种产品在“%(item)s”项目上不合格")
                % {"name": enterprise.name, "n": products, "item": item},
                evidence=_evidence_of(fact_ids, facts),
            )
        )
    return findings


# --- failure share of a test item across the catalogue ---------------------------------------------------


def evaluate_item_share(ctx: Context, params: dict) -> list[Finding]:
    from sampling.models import Sample, Verdict

    history_periods = params["history_periods"]
    aggregate = _pass_rate_aggregate(ctx, history_periods)
    judged: dict[int, int] = defaultdict(int)
    low_high: list[str] = []
    for (dimension, _key), buckets in aggregate.items():
        if dimension == "type":
            for b, (batches, _passed, low, high) in buckets.items():
                judged[b] += batches
                if b == 0:
                    low_high += [low, high]
    if judged.get(0, 0) < params["min_batches"]:
        return []
    bucket, sql_params = ctx.bucket_sql("sampled_on")
    sql = f"""
        WITH s AS (
            SELECT id, {bucket} AS bucket FROM sampling_sample
             WHERE final_verdict = 'fail' AND sampled_on >= %(start)s AND sampled_on <= %(end)s
        ), named AS (
            SELECT r.sample_id, btrim(unnest(r.failed_items)) AS item
              FROM sampling_testresult r WHERE r.is_confirmed AND r.sample_id IN (SELECT id FROM s)
            UNION
            SELECT r.sample_id, btrim(i.item_name)
              FROM sampling_itemresult i JOIN sampling_testresult r ON r.id = i.result_id
             WHERE i.verdict = 'fail' AND r.is_confirmed AND r.sample_id IN (SELECT id FROM s)
        )
        SELECT named.item, s.bucket, count(*) FROM named JOIN s ON s.id = named.sample_id
         WHERE named.item <> '' GROUP BY named.item, s.bucket
    """
    sql_params.update(start=ctx.history_start(history_periods), end=ctx.end)
    counts: dict[str, dict[int, int]] = defaultdict(dict)
    for item, b, n in _fetch(sql, sql_params):
        counts[item][b] = n
    n1 = judged.get(0, 0)
    n0 = sum(judged.get(b, 0) for b in range(-history_periods, 0))
    if n0 < params["min_history_batches"]:
        return []
    region_code = covering_region(low_high)
    findings = []
    for item, buckets in counts.items():
        x1 = buckets.get(0, 0)
        if x1 < params["min_failures"]:
            continue
        x0 = sum(buckets.get(b, 0) for b in range(-history_periods, 0))
        test = stats.proportion_rise_test(x1, n1, x0, n0)
        rise = test.current - test.history
        if rise < params["min_rise"]:
            continue
        level = _level(test.p_value, params)
        if level is None:
            continue
        samples = (
            Sample.objects.filter(final_verdict=Verdict.FAIL, sampled_on__gte=ctx.start, sampled_on__lte=ctx.end)
            .filter(
                Q(results__failed_items__contains=[item])
                | Q(results__items__item_name=item, results__items__verdict="fail")
            )
            .distinct()
            .order_by("-sampled_on", "-id")
            .values_list("id", "sample_no", "enterprise__name", "sampled_on")[:EVIDENCE_LIMIT]
        )  # fmt: skip
        findings.append(
            Finding(
                signal=SignalCode.ITEM_SHARE_RISE,
                subject_type=SubjectType.TEST_ITEM,
                subject_key=item[:160],
                subject_name=item[:200],
                region_code=region_code,
                level=level,
                figures={
                    "test": "two_proportion_z",
                    "item": item,
                    "failures": x1,
                    "batches": n1,
                    "share": round(test.current, 5),
                    "history_failures": x0,
                    "history_batches": n0,
                    "history_share": round(test.history, 5),
                    "rise": round(rise, 5),
                    "z": round(test.z, 3),
                    "z_threshold": round(stats.z_threshold(params["alpha"]), 3),
                    "p_value": test.p_value,
                    "alpha": params["alpha"],
                    "history": [
                        {"period": ctx.period_of_bucket(b), "failures": buckets.get(b, 0), "batches": judged.get(b, 0)}
                        for b in range(-history_periods, 0)
                        if judged.get(b)
                    ],
                },
                summary=_("“%(item)s”不合格批次占比 %(share).2f%%（%(x)d/%(n)d），历史 %(hist).2f%%，z = %(z).2f")
                % {
                    "item": item,
                    "share": test.current * 100,
                    "x": x1,
                    "n": n1,
                    "hist": test.history * 100,
                    "z": test.z,
                },
                evidence=[
                    {"kind": "sample", "id": pk, "label": no, "detail": name, "on": on.isoformat()}
                    for pk, no, name, on in samples
                ],
            )
        )
    return findings


# --- complaint and defect-report clusters ----------------------------------------------------------------


def evaluate_complaint_cluster(ctx: Context, params: dict) -> list[Finding]:
    """Monthly counts of complaints and defect reports per enterprise, brand+model and product; a month of the
    period fires when its count is improbable under the subject's mean monthly count over the history months."""
    history_months = params["history_months"]
    kinds = [
        k for k, on in ((FACT_COMPLAINT, params["complaints"]), (FACT_DEFECT_REPORT, params["defect_reports"])) if on
    ]
    if not kinds:
        return []
    # m: counts per subject and month; cand: the period's months with at least min_count, with their evidence
    # (newest fact ids, the regions, the count of complaints, a spelling of brand, model and product).
    sql = """
        WITH f AS (
            SELECT id, enterprise_id, region_code, kind, occurred_on,
                   date_trunc('month', occurred_on)::date AS month,
                   CASE WHEN coalesce(btrim(data->>'model'), '') <> ''
                        THEN lower(btrim(coalesce(data->>'brand', ''))) || '|' || lower(btrim(data->>'model')) END
                        AS model_key,
                   nullif(lower(btrim(coalesce(data->>'product', ''))), '') AS product_key,
                   btrim(coalesce(data->>'brand', '')) AS brand, btrim(coalesce(data->>'model', '')) AS model,
                   btrim(coalesce(data->>'product', '')) AS product
              FROM core_enterprisefact
             WHERE kind = ANY(%(kinds)s) AND occurred_on >= %(history_start)s AND occurred_on <= %(end)s
        ), s AS (
            SELECT 'enterprise' AS st, enterprise_id::text AS key, f.* FROM f
            UNION ALL SELECT 'model', model_key, f.* FROM f WHERE model_key IS NOT NULL
            UNION ALL SELECT 'product', product_key, f.* FROM f WHERE product_key IS NOT NULL
        ), m AS (
            SELECT st, key, month, count(*) AS n FROM s GROUP BY st, key, month
        ), cand AS (
            SELECT * FROM m WHERE month >= %(start)s AND n >= %(min)s
        ), hist AS (
            SELECT c.st, c.key, c.month, c.n, coalesce(sum(h.n), 0) AS history
              FROM cand c
              LEFT JOIN m h ON h.st = c.st AND h.key = c.key AND h.month < c.month
                           AND h.month >= (c.month - make_interval(months => %(hm)s))::date
             GROUP BY c.st, c.key, c.month, c.n
        )
        SELECT hist.st, hist.key, hist.month, hist.n, hist.history,
               (array_agg(s.id ORDER BY s.occurred_on DESC, s.id DESC))[1:%(limit)s],
               min(s.region_code), max(s.region_code), count(*) FILTER (WHERE s.kind = %(complaint)s),
               max(s.brand), max(s.model), max(s.product), max(s.enterprise_id)
          FROM hist JOIN s ON s.st = hist.st AND s.key = hist.key AND s.month = hist.month
         GROUP BY hist.st, hist.key, hist.month, hist.n, hist.history
    """
    rows = _fetch(
        sql,
        {
            "kinds": kinds,
            "history_start": _months_before(ctx.start, history_months),
            "start": ctx.start,
            "end": ctx.end,
            "min": params["min_count"],
            "hm": history_months,
            "limit": EVIDENCE_LIMIT,
            "complaint": FACT_COMPLAINT,
        },
    )
    best: dict[tuple[str, str], tuple] = {}
    for subject_type, key, month, n, history, *rest in rows:
        history = int(history)
        baseline = max(history / history_months, params["min_monthly_rate"])
        p_value = stats.poisson_sf(n, baseline)
        level = _level(p_value, params)
        if level is None:
            continue
        if (subject_type, key) not in best or p_value < best[(subject_type, key)][3]:
            best[(subject_type, key)] = (month, n, baseline, p_value, level, history, *rest)
    facts = _facts_by_ids(values[6] for values in best.values())
    enterprises = _enterprises(int(key) for (subject_type, key) in best if subject_type == "enterprise")
    return [
        _cluster_finding(params, subject_type, key, *values, facts=facts, enterprises=enterprises)
        for (subject_type, key), values in sorted(best.items())
    ]


def _months_before(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, 1)


def _cluster_finding(
    params, subject_type, key, month, n, baseline, p_value, level, history, fact_ids, low, high, complaints,
    brand, model, product, _enterprise_id, *, facts, enterprises,
) -> Finding:  # fmt: skip
    region_code = covering_region([low, high])
    enterprise_id = None
    if subject_type == "enterprise":
        enterprise_id = int(key)
        enterprise = enterprises[enterprise_id]
        name, code, region_code = enterprise.name, enterprise.uscc, enterprise.region_id
        subject = SubjectType.ENTERPRISE
    elif subject_type == "model":
        name, code, subject = " ".join(p for p in (brand, model) if p), model, SubjectType.MODEL
    else:
        name, code, subject = product or key, "", SubjectType.PRODUCT
    return Finding(
        signal=SignalCode.COMPLAINT_CLUSTER,
        subject_type=subject,
        subject_key=key[:160],
        subject_name=(name or key)[:200],
        subject_code=(code or "")[:64],
        enterprise_id=enterprise_id,
        region_code=region_code,
        level=level,
        figures={
            "test": "poisson",
            "month": month.strftime("%Y-%m"),
            "count": n,
            "complaints": complaints,
            "defect_reports": n - complaints,
            "history_months": params["history_months"],
            "history_count": history,
            "baseline": round(baseline, 4),
            "p_value": p_value,
            "alpha": params["alpha"],
            "threshold": params["min_count"],
        },
        summary=_("%(name)s在 %(month)s 收到投诉举报和缺陷线索 %(n)d 件，平时每月约 %(base).2f 件（P = %(p).2g）")
        % {"name": name or key, "month": month.strftime("%Y-%m"), "n": n, "base": baseline, "p": p_value},
        evidence=_evidence_of(fact_ids, facts),
    )


# --- overdue chains --------------------------------------------------------------------------------------


def evaluate_overdue_chain(ctx: Context, params: dict) -> list[Finding]:
    sql = """
        SELECT enterprise_id, count(*) FILTER (WHERE kind = %(k0)s), count(*) FILTER (WHERE kind = %(k1)s),
               count(*) FILTER (WHERE kind = %(k2)s), count(DISTINCT kind),
               (array_agg(id ORDER BY occurred_on DESC, id DESC))[1:%(limit)s]
          FROM core_enterprisefact
         WHERE kind IN (%(k0)s, %(k1)s, %(k2)s) AND occurred_on >= %(start)s AND occurred_on <= %(end)s
         GROUP BY enterprise_id
        HAVING count(DISTINCT kind) >= %(min_kinds)s OR count(*) >= %(min_total)s
    """
    k0, k1, k2 = OVERDUE_KINDS
    rows = _fetch(
        sql,
        {
            "k0": k0,
            "k1": k1,
            "k2": k2,
            "start": ctx.start,
            "end": ctx.end,
            "min_kinds": params["min_kinds"],
            "min_total": params["min_total"],
            "limit": EVIDENCE_LIMIT,
        },
    )
    enterprises = _enterprises(r[0] for r in rows)
    facts = _facts_by_ids(r[5] for r in rows)
    findings = []
    for enterprise_id, rectification, fines, recalls, kinds, fact_ids in rows:
        enterprise = enterprises[enterprise_id]
        level = {3: WarningLevel.SEVERE, 2: WarningLevel.WARNING}.get(kinds, WarningLevel.ATTENTION)
        findings.append(
            Finding(
                signal=SignalCode.OVERDUE_CHAIN,
                subject_type=SubjectType.ENTERPRISE,
                subject_key=str(enterprise_id),
                subject_name=enterprise.name,
                subject_code=enterprise.uscc,
                enterprise_id=enterprise_id,
                region_code=enterprise.region_id,
                level=level,
                figures={
                    "test": "count",
                    "rectification_overdue": rectification,
                    "fines_overdue": fines,
                    "recall_reports_late": recalls,
                    "kinds": kinds,
                    "threshold": params["min_kinds"],
                },
                summary=_("%(name)s逾期：整改 %(r)d 项、罚款 %(f)d 项、召回报告 %(c)d 项")
                % {"name": enterprise.name, "r": rectification, "f": fines, "c": recalls},
                evidence=_evidence_of(fact_ids, facts),
            )
        )
    return findings


# --- the registry ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Signal:
    code: str
    rule: str
    params: list[Param]
    evaluate: Callable[[Context, dict], list[Finding]]

    @property
    def label(self) -> str:
        return str(SignalCode(self.code).label)

    @property
    def defaults(self) -> dict:
        return {p.name: p.default for p in self.params}


def _history_params(history: int, min_batches: int, min_history: int) -> list[Param]:
    return [
        Param("history_periods", gettext_lazy("历史期数"), int, history, 1, 20,
              gettext_lazy("与之比较的此前同长度期间数（年度评估即此前几年）")),
        Param("min_batches", gettext_lazy("本期最少批次"), int, min_batches, 1, 100000,
              gettext_lazy("本期批次少于此数时不触发（小样本不预警）")),
        Param("min_history_batches", gettext_lazy("历史最少批次"), int, min_history, 1, 1000000),
    ]  # fmt: skip


_DROP_PARAMS = [
    *_history_params(3, 30, 60),
    Param("min_drop", gettext_lazy("最小下降幅度"), float, 0.03, 0.0, 1.0,
          gettext_lazy("合格率至少下降这么多（0.03 即 3 个百分点）才预警，避免大样本下微小波动")),
    *level_alphas(),
]  # fmt: skip

SIGNALS: dict[str, Signal] = {
    s.code: s
    for s in [
        Signal(
            SignalCode.PASS_RATE_DROP_TYPE,
            gettext_lazy(
                "某产品种类本期批次合格率显著低于其此前若干期的合格率：单侧两比例 z 检验（合并方差），"
                "p 值低于显著性水平、下降幅度不小于最小幅度且本期和历史批次均达到最少批次时触发。"
            ),
            _DROP_PARAMS,
            evaluate_type_drop,
        ),
        Signal(
            SignalCode.PASS_RATE_DROP_REGION,
            gettext_lazy("某地区（县、市、省）本期批次合格率显著低于其此前若干期的合格率，检验方法同产品合格率下降。"),
            [
                *_DROP_PARAMS,
                Param(
                    "region_levels",
                    gettext_lazy("地区层级"),
                    str,
                    "county,city,province",
                    gettext_lazy("逗号分隔：county 县级、city 市级、province 省级"),
                ),
            ],
            evaluate_region_drop,
        ),  # fmt: skip
        Signal(
            SignalCode.REPEAT_FAILURE,
            gettext_lazy("同一企业在本期内监督抽查不合格达到规定批次数（已确认的最终结论）。"),
            [
                Param("min_failures", gettext_lazy("不合格批次数（预警）"), int, 2, 2, 100),
                Param("severe_failures", gettext_lazy("不合格批次数（严重）"), int, 3, 2, 100),
                draw_multiplier(2.0),
            ],
            evaluate_repeat_failure,
        ),
        Signal(
            SignalCode.REPEAT_ITEM,
            gettext_lazy("同一企业的多种产品在本期内于同一检验项目上不合格。"),
            [
                Param("min_products", gettext_lazy("产品种数（关注）"), int, 2, 2, 100),
                Param("warning_products", gettext_lazy("产品种数（预警）"), int, 3, 2, 100),
                draw_multiplier(1.5),
            ],
            evaluate_repeat_item,
        ),
        Signal(
            SignalCode.ITEM_SHARE_RISE,
            gettext_lazy(
                "某检验项目在全部抽查批次中的不合格占比本期显著高于此前若干期：单侧两比例 z 检验，"
                "本期不合格批次达到最少数且上升幅度不小于最小幅度时触发。"
            ),
            [
                *_history_params(3, 200, 400),
                Param("min_failures", gettext_lazy("本期最少不合格批次"), int, 5, 1, 100000),
                Param(
                    "min_rise",
                    gettext_lazy("最小上升幅度"),
                    float,
                    0.005,
                    0.0,
                    1.0,
                    gettext_lazy("占比至少上升这么多（0.005 即 0.5 个百分点）"),
                ),
                *level_alphas(),
            ],
            evaluate_item_share,
        ),  # fmt: skip
        Signal(
            SignalCode.COMPLAINT_CLUSTER,
            gettext_lazy(
                "同一企业、品牌型号或产品在某月收到的投诉举报和缺陷线索明显多于平时：以此前若干月的月均件数"
                "为泊松分布的期望（不低于最低月均值），本月件数的上尾概率低于显著性水平时触发。"
            ),
            [
                Param("history_months", gettext_lazy("基线月数"), int, 12, 1, 60),
                Param("min_count", gettext_lazy("本月最少件数"), int, 3, 1, 100000),
                Param(
                    "min_monthly_rate",
                    gettext_lazy("最低月均值"),
                    float,
                    0.2,
                    0.01,
                    1000.0,
                    gettext_lazy("没有历史或历史很少时采用的期望月均件数"),
                ),
                Param("complaints", gettext_lazy("计入投诉举报"), bool, True),
                Param("defect_reports", gettext_lazy("计入缺陷线索"), bool, True),
                *level_alphas(),
                draw_multiplier(1.5),
            ],
            evaluate_complaint_cluster,
        ),  # fmt: skip
        Signal(
            SignalCode.OVERDUE_CHAIN,
            gettext_lazy(
                "同一企业在本期内的整改、罚款缴纳、召回报告多项逾期：逾期类别数或逾期总数达到规定值时触发；"
                "三类均逾期为严重，两类为预警，其余为关注。"
            ),
            [
                Param("min_kinds", gettext_lazy("逾期类别数"), int, 2, 1, 3),
                Param("min_total", gettext_lazy("逾期总数"), int, 3, 1, 1000),
                draw_multiplier(1.5),
            ],
            evaluate_overdue_chain,
        ),
    ]
}

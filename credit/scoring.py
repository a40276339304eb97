"""The classification arithmetic, in SQL: one fragment gives the points of every (record, rule) pair, so that
the recomputation of a million classes (grouped by enterprise), the preview of a draft rule set and one
enterprise's explanation (the same rows, ungrouped) can never disagree.

Points of a record under a rule = ROUND(MIN(points + points_per_10k × fine / 10,000, cap) × decay, 2), where
decay is 1 (none), 0.5 ^ (age / half-life) or max(0, 1 − age / window), the age counted in days and a month
taken as 30.4375 days. Records older than the horizon, dated after the day computed for, or ended by then
(a listing removed) do not count. The score is the sum; the class follows the rule set's thresholds.
"""

from __future__ import annotations

import datetime as dt

from core.timelimits import add_months
from credit.models import DecayMode, RuleSet

DAYS_PER_MONTH = 30.4375


def _decay_sql(rule_set: RuleSet) -> str:
    if rule_set.decay_mode == DecayMode.HALF_LIFE:
        return "power(0.5::float8, (%(on)s::date - r.occurred_on)::float8 / %(span)s::float8)"
    if rule_set.decay_mode == DecayMode.LINEAR:
        return "GREATEST(0::float8, 1::float8 - (%(on)s::date - r.occurred_on)::float8 / %(span)s::float8)"
    return "1::float8"


def params(rule_set: RuleSet, on: dt.date) -> dict:
    return {
        "rs": rule_set.pk,
        "on": on,
        "horizon": add_months(on, -int(rule_set.horizon_months)),
        "span": float(rule_set.decay_months) * DAYS_PER_MONTH,
        "tb": rule_set.threshold_b,
        "tc": rule_set.threshold_c,
        "td": rule_set.threshold_d,
    }


def scored_rows_sql(rule_set: RuleSet, *, where: str = "") -> str:
    """Every (record, rule) pair that scores on %(on)s, with its decay factor and points."""
    decay = _decay_sql(rule_set)
    return f"""
        SELECT r.enterprise_id, r.id AS record_id, r.fact_id, r.kind, r.variant, r.occurred_on, r.amount,
               ru.id AS rule_id, ru.points AS rule_points, ru.points_per_10k, ru.cap,
               {decay} AS decay,
               ROUND((LEAST(ru.points + ru.points_per_10k * COALESCE(r.amount, 0) / 10000,
                            COALESCE(ru.cap, 99999999))::float8 * {decay})::numeric, 2) AS points
          FROM credit_creditrecord r
          JOIN credit_rule ru
            ON ru.rule_set_id = %(rs)s AND ru.kind = r.kind AND (ru.variant = '' OR ru.variant = r.variant)
         WHERE r.occurred_on <= %(on)s AND r.occurred_on > %(horizon)s
           AND (r.ended_on IS NULL OR r.ended_on > %(on)s) {where}
    """


def class_case_sql(score: str) -> str:
    return (
        f"CASE WHEN {score} >= %(td)s THEN 'D' WHEN {score} >= %(tc)s THEN 'C' "
        f"WHEN {score} >= %(tb)s THEN 'B' ELSE 'A' END"
    )


def classes_sql(rule_set: RuleSet, *, only_ids: bool = False) -> str:
    """(enterprise_id, score, credit_class) of every enterprise (or of %(ids)s): no scoring record → 0."""
    where_scores = "AND r.enterprise_id = ANY(%(ids)s)" if only_ids else ""
    where_enterprises = "WHERE e.id = ANY(%(ids)s)" if only_ids else ""
    scores = f"""
        SELECT enterprise_id, SUM(points) AS score FROM ({scored_rows_sql(rule_set, where=where_scores)}) p
         GROUP BY enterprise_id
    """
    return f"""
        SELECT e.id AS enterprise_id, COALESCE(s.score, 0)::numeric(10, 2) AS score,
               {class_case_sql("COALESCE(s.score, 0)")} AS credit_class
          FROM core_enterprise e LEFT JOIN ({scores}) s ON s.enterprise_id = e.id
          {where_enterprises}
    """

"""Credit classes (企业信用风险分类): set-based recomputation from the records, the explanation of one class,
and the write-back of each class to the enterprise (core.services.enterprise_set_credit_class), where the
sampling draw reads it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from core.models import Enterprise
from core.services import enterprise_set_credit_class, enterprise_set_credit_classes
from credit import scoring
from credit.kinds import DEFAULT_RULES, kind_label
from credit.models import EnterpriseClass, Rule, RuleSet, RuleSetStatus

# Up to this many changed enterprises are written back one by one through the core service; a larger
# recomputation (a rule change over a million enterprises) writes the same column in one UPDATE.
WRITE_BACK_ONE_BY_ONE = 500


def ensure_default_rule_set() -> RuleSet:
    """The rule set in force; version 1 from the defaults (credit.kinds.DEFAULT_RULES) when there is none."""
    active = RuleSet.objects.filter(status=RuleSetStatus.ACTIVE).first()
    if active is not None:
        return active
    with transaction.atomic():
        active = RuleSet.objects.select_for_update().filter(status=RuleSetStatus.ACTIVE).first()
        if active is not None:
            return active
        version = (RuleSet.objects.order_by("-version").values_list("version", flat=True).first() or 0) + 1
        rule_set = RuleSet.objects.create(
            version=version,
            name="默认规则",
            note="按《关于推进企业信用风险分类管理进一步提升监管效能的意见》（2022）设定的默认计分规则。",
            status=RuleSetStatus.ACTIVE,
            activated_at=timezone.now(),
        )
        Rule.objects.bulk_create(
            Rule(
                rule_set=rule_set, kind=r.kind, variant=r.variant, points=r.points, points_per_10k=r.per_10k, cap=r.cap
            )
            for r in DEFAULT_RULES
        )
        return rule_set


def active_rule_set() -> RuleSet:
    return ensure_default_rule_set()


@dataclass
class RecomputeResult:
    enterprises: int
    changed: int


def _recompute_sql(rule_set: RuleSet, *, only_ids: bool) -> list[str]:
    new = scoring.classes_sql(rule_set, only_ids=only_ids)
    new_facts = """
        SELECT r.fact_id FROM credit_creditrecord r
         WHERE r.enterprise_id = n.enterprise_id AND r.created_at > c.computed_at
         ORDER BY r.fact_id + 0 DESC LIMIT 10
    """
    # ``+ 0``: ordered by the bare column, the planner walks the whole fact_id index backwards for each enterprise
    # (ORDER BY … LIMIT); measured at 1M enterprises / 8.2M records, 1,000 reclassified enterprises took over 27 min.
    # The expression makes it read the enterprise's few records by the enterprise index and sort them (7 ms).
    return [
        "DROP TABLE IF EXISTS credit_new_classes",
        f"CREATE TEMP TABLE credit_new_classes ON COMMIT DROP AS {new}",
        "CREATE UNIQUE INDEX ON credit_new_classes (enterprise_id)",
        "ANALYZE credit_new_classes",
        # Changes of class, with their cause.
        f"""
        INSERT INTO credit_classchange (enterprise_id, from_class, to_class, score, rule_set_id, cause, cause_facts,
                                        changed_on, changed_at)
        SELECT n.enterprise_id, COALESCE(c.credit_class, ''), n.credit_class, n.score, %(rs)s,
               CASE WHEN c.enterprise_id IS NULL THEN 'initial'
                    WHEN c.rule_set_id <> %(rs)s THEN 'rules'
                    WHEN EXISTS (SELECT 1 FROM credit_creditrecord r
                                  WHERE r.enterprise_id = n.enterprise_id AND r.created_at > c.computed_at)
                         THEN 'facts'
                    ELSE 'decay' END,
               CASE WHEN c.enterprise_id IS NULL THEN '[]'::jsonb
                    ELSE COALESCE((SELECT jsonb_agg(x.fact_id) FROM ({new_facts}) x), '[]'::jsonb) END,
               %(on)s, clock_timestamp()
          FROM credit_new_classes n LEFT JOIN credit_enterpriseclass c ON c.enterprise_id = n.enterprise_id
         WHERE c.enterprise_id IS NULL OR c.credit_class <> n.credit_class
        """,
        # The classes themselves; rows whose score, class and rule set are unchanged keep their day, so that
        # the explanation (computed for that day) still sums to the stored score.
        """
        INSERT INTO credit_enterpriseclass AS c (enterprise_id, credit_class, score, rule_set_id, computed_on,
                                                 computed_at, since)
        SELECT n.enterprise_id, n.credit_class, n.score, %(rs)s, %(on)s, clock_timestamp(), %(on)s
          FROM credit_new_classes n
        ON CONFLICT (enterprise_id) DO UPDATE
           SET credit_class = EXCLUDED.credit_class, score = EXCLUDED.score, rule_set_id = EXCLUDED.rule_set_id,
               computed_on = EXCLUDED.computed_on, computed_at = EXCLUDED.computed_at,
               since = CASE WHEN c.credit_class = EXCLUDED.credit_class THEN c.since ELSE EXCLUDED.since END
         WHERE (c.credit_class, c.score, c.rule_set_id) IS DISTINCT FROM
               (EXCLUDED.credit_class, EXCLUDED.score, EXCLUDED.rule_set_id)
        """,
    ]


def _write_back(*, params: dict) -> int:
    """Each enterprise's class as computed → Enterprise.credit_class (what the draw reads)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT e.id, n.credit_class FROM credit_new_classes n JOIN core_enterprise e ON e.id = n.enterprise_id
             WHERE e.credit_class <> n.credit_class LIMIT %(limit)s
            """,
            {**params, "limit": WRITE_BACK_ONE_BY_ONE + 1},
        )
        changed = cursor.fetchall()
        if len(changed) <= WRITE_BACK_ONE_BY_ONE:
            for enterprise_id, credit_class in changed:
                enterprise_set_credit_class(enterprise=Enterprise(pk=enterprise_id), credit_class=credit_class)
            return len(changed)
    # Through core's set-based write (a million one-row updates take too long).
    return enterprise_set_credit_classes(source="credit_new_classes")


def recompute_classes(
    *, enterprise_ids: Iterable[int] | None = None, on: dt.date | None = None, rule_set: RuleSet | None = None
) -> RecomputeResult:
    """Recompute the classes of the given enterprises (all when None) with the rule set in force, for ``on``
    (today). Class changes are recorded with their cause; only changed classes are written."""
    rule_set = rule_set or active_rule_set()
    on = on or timezone.localdate()
    ids = None if enterprise_ids is None else sorted(set(enterprise_ids))
    if ids is not None and not ids:
        return RecomputeResult(0, 0)
    params = {**scoring.params(rule_set, on), "ids": ids}
    with transaction.atomic():
        with connection.cursor() as cursor:
            # One recomputation at a time (the beat job, the nightly run and a rule activation may meet).
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext('credit.recompute_classes'))")
            cursor.execute("SET LOCAL work_mem = '128MB'")
            cursor.execute("SET LOCAL jit = off")
            statements = _recompute_sql(rule_set, only_ids=ids is not None)
            for sql in statements[:4]:
                cursor.execute(sql, params)
            cursor.execute("SELECT count(*) FROM credit_new_classes")
            count = cursor.fetchone()[0]
        # The write-back goes first: updating enterprises after inserting rows that reference them in the same
        # transaction costs several times more (measured in bench/credit_benchmark.py).
        _write_back(params=params)
        with connection.cursor() as cursor:
            cursor.execute(statements[4], params)
            changed = cursor.rowcount
            cursor.execute(statements[5], params)
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS credit_new_classes")
    return RecomputeResult(count, changed)


# --- Explanation --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExplanationRow:
    fact_id: int
    kind: str
    kind_label: str
    variant: str
    occurred_on: dt.date
    source_label: str
    summary: str
    amount: Decimal | None
    rule_id: int
    rule_points: Decimal
    points_per_10k: Decimal
    cap: Decimal | None
    decay: float
    points: Decimal


@dataclass(frozen=True)
class Explanation:
    credit_class: str
    score: Decimal
    rule_set: RuleSet
    on: dt.date
    rows: list[ExplanationRow]

    @property
    def total(self) -> Decimal:
        return sum((row.points for row in self.rows), Decimal("0.00"))

    @property
    def class_from_total(self) -> str:
        return self.rule_set.class_of(self.total)


def explain(enterprise: Enterprise, *, rule_set: RuleSet | None = None, on: dt.date | None = None) -> Explanation:
    """Which records, which rules and how many points made the enterprise's class: the scoring rows of its
    stored class (its rule set and day), unless another rule set or day is asked for."""
    stored = EnterpriseClass.objects.filter(enterprise=enterprise).select_related("rule_set").first()
    if rule_set is None:
        rule_set = stored.rule_set if stored else active_rule_set()
    if on is None:
        on = stored.computed_on if stored and stored.rule_set_id == rule_set.pk else timezone.localdate()
    sql = f"""
        SELECT p.fact_id, p.kind, p.variant, p.occurred_on, f.source_label, f.summary, p.amount, p.rule_id,
               p.rule_points, p.points_per_10k, p.cap, p.decay, p.points
          FROM ({scoring.scored_rows_sql(rule_set, where="AND r.enterprise_id = %(enterprise)s")}) p
          JOIN core_enterprisefact f ON f.id = p.fact_id
         ORDER BY p.occurred_on DESC, p.fact_id DESC, p.rule_id
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, {**scoring.params(rule_set, on), "enterprise": enterprise.pk})
        rows = [
            ExplanationRow(
                fact_id=r[0],
                kind=r[1],
                kind_label=kind_label(r[1]),
                variant=r[2],
                occurred_on=r[3],
                source_label=r[4],
                summary=r[5],
                amount=r[6],
                rule_id=r[7],
                rule_points=r[8],
                points_per_10k=r[9],
                cap=r[10],
                decay=r[11],
                points=r[12],
            )
            for r in cursor.fetchall()
        ]
    total = sum((row.points for row in rows), Decimal("0.00"))
    if stored is not None and stored.rule_set_id == rule_set.pk and stored.computed_on == on:
        return Explanation(stored.credit_class, stored.score, rule_set, on, rows)
    return Explanation(rule_set.class_of(total), total, rule_set, on, rows)

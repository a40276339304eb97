"""Enforcement cases at scale (see core.scale), in SQL: every state of the workflow, the dates each state implies,
fines for decided cases. A case's party is one of the generated enterprises and its jurisdiction that enterprise's
county; without generated enterprises (bench/enforcement_benchmark.py), a named party in the given counties.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.scale import Plan, Step, insert, register

CASE_PREFIX = "BENCH-"
STATUSES = [
    "registered", "checking", "filing_approval", "investigating", "legal_review", "notified", "defence",
    "hearing", "discussion", "transferred", "decided", "served", "executed", "closed", "closed", "closed",
    "not_filed", "cancelled",
]  # fmt: skip
TABLES = ["enforcement_case"]


def create_cases(cursor, first: int, last: int, *, county_prefix: str = "") -> int:
    """Cases ``first``..``last`` (numbers of the series, CASE_PREFIX + n), spread over the enterprises whose
    USCC carries the scale mark (or, when there are none, the counties whose code starts with ``county_prefix``)."""
    from core.scale import SCALE_MARK

    decided = "('decided','served','executed','closed')"
    insert(
        cursor,
        f"""
        WITH counties AS (
            SELECT code, row_number() OVER (ORDER BY code) - 1 AS i, count(*) OVER () AS n
            FROM core_region WHERE level = 'county' AND is_active AND code LIKE %(prefix)s
        ), enterprises AS MATERIALIZED (
            SELECT id, name, uscc, region_id, row_number() OVER (ORDER BY id) - 1 AS i
            FROM core_enterprise WHERE substr(uscc, 9, 1) = %(mark)s AND region_id LIKE %(prefix)s
        ), types AS (
            SELECT id, name, row_number() OVER (ORDER BY id) - 1 AS i, count(*) OVER () AS n FROM core_producttype
        )
        INSERT INTO enforcement_case (
            case_no, title, status, procedure, source, region_id, enterprise_id, party_name, party_type, party_id_no,
            party_representative, party_address, party_phone, product, violation_type, facts, goods_value,
            fine, confiscation, paid_total, major_case, legal_review_required, hearing_eligible, discovered_on,
            filed_on, decided_on, closed_on, decision_no, penalty_types, outcome, next_due_on, next_due_label,
            product_type_id, not_filed_reason, investigation_report, defence_text, hearing_place, hearing_host,
            hearing_record, decision_reason, served_how, closing_summary, cancel_reason, status_before_cancel,
            confiscated_goods, created_at, updated_at)
        SELECT %(case_prefix)s || g, coalesce(p.name, '产品') || (ARRAY['不符合强制性标准案','产品标识不符合规定案',
                   '掺杂掺假、以次充好案'])[1 + g %% 3], st, 'general',
               (ARRAY['sample','complaint','inspection','referral'])[1 + g %% 4],
               coalesce(e.region_id, c.code), e.id, coalesce(e.name, '基准企业' || (g %% 20000)), 'organisation',
               coalesce(e.uscc, ''), '', '', '', coalesce(p.name, '电热水壶'),
               (ARRAY['不符合强制性标准','产品标识不符合规定','掺杂掺假、以次充好'])[1 + g %% 3], '',
               (g %% 500) * 100.00,
               CASE WHEN st IN {decided} THEN (g %% 300) * 100.00 END,
               NULL::numeric, 0, false, false, false,
               d, CASE WHEN st NOT IN ('registered','checking','filing_approval','not_filed') THEN d + 3 END,
               CASE WHEN st IN {decided} THEN d + 60 END,
               CASE WHEN st = 'closed' THEN d + 90 END,
               CASE WHEN st IN {decided} THEN '处罚决定〔' || extract(year FROM d + 60) || '〕' || g || '号'
                    ELSE '' END,
               '[]'::jsonb,
               CASE WHEN st IN {decided} THEN 'penalty' ELSE '' END,
               CASE WHEN st NOT IN ('closed','not_filed','cancelled','merged') THEN d + 30 + (g %% 90) END,
               CASE WHEN st NOT IN ('closed','not_filed','cancelled','merged') THEN '作出处理决定' ELSE '' END,
               p.id, '', '', '', '', '', '', '', '', '', CASE WHEN st = 'cancelled' THEN '基准撤销' ELSE '' END,
               '', '', now() - (g %% 1000) * interval '1 day', now()
        FROM generate_series(%(first)s::int, %(last)s) AS g
        CROSS JOIN LATERAL (SELECT (%(statuses)s::text[])[1 + g %% %(n_statuses)s] AS st,
                                   DATE '2023-01-01' + (g %% 1400)::int AS d) AS x
        -- a constant modulus (not a column of e) lets the planner hash-join the enterprises
        LEFT JOIN enterprises e ON e.i = (g * 7919) %% greatest((SELECT count(*) FROM enterprises), 1)
        JOIN counties c ON c.i = g %% c.n
        JOIN types p ON p.i = g %% p.n
        """,
        {
            "prefix": county_prefix + "%",
            "mark": SCALE_MARK,
            "case_prefix": CASE_PREFIX,
            "first": first,
            "last": last,
            "statuses": STATUSES,
            "n_statuses": len(STATUSES),
        },
    )
    return cursor.rowcount


def generate(cursor, plan: Plan) -> dict[str, int]:
    return {_("执法案件"): create_cases(cursor, 1, plan.cases)}


register(
    Step(
        name="enforcement",
        label=_("执法案件"),
        order=40,
        generate=generate,
        tables=TABLES,
        cleared=["enforcement_caseevent"],
        foreign_sql=f"SELECT count(*) FROM enforcement_case WHERE case_no NOT LIKE '{CASE_PREFIX}%'",
    )
)

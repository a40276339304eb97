"""Enterprise facts at scale (see core.scale): the core ledger filled in SQL with the kinds credit scores and
early warning reads — verdicts, rectification, complaints, penalties with fines, fine payments, recall conduct —
spread over the generated enterprises and the last six years, and 2 % of them on the serious-violation list.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.scale import SCALE_MARK, Plan, Step, insert, register

SOURCE_TYPE = "bench.source"  # source_type of the generated facts: how they are told from real ones
MARK = "credit-bench"  # their ref
# (kind, share of facts in per mille, data SQL, public) — data uses g (the series number).
KINDS = [
    ("sampling.verdict_passed", 450, "'{}'::jsonb", False),
    ("sampling.verdict_failed", 60, "'{}'::jsonb", False),
    ("sampling.rectification_done", 40, "'{}'::jsonb", False),
    ("sampling.rectification_overdue", 15, "'{}'::jsonb", False),
    ("sampling.reinspection_failed", 10, "'{}'::jsonb", False),
    ("sampling.result_published", 150, "jsonb_build_object('verdict', 'fail', 'product_type', '电热水壶')", True),
    ("enforcement.complaint_substantiated", 60, "'{}'::jsonb", False),
    (
        "enforcement.penalty_decided",
        60,
        "jsonb_build_object('decision_no', 'QCB' || g, 'fine', ((g % 200) * 1000)::text || '.00', "
        "'warning_only', g % 9 = 0, 'repairable', g % 23 <> 0, 'sector', '')",
        False,
    ),
    ("enforcement.penalty_published", 30, "jsonb_build_object('decision_no', 'QCB' || g, 'fine', '5000.00')", True),
    ("enforcement.fine_paid", 40, "jsonb_build_object('decision_no', 'QCB' || g, 'fine', '5000.00')", False),
    ("enforcement.fine_overdue", 10, "jsonb_build_object('fine', '3000.00')", False),
    ("enforcement.penalty_fulfilled", 30, "jsonb_build_object('decision_no', 'QCB' || g)", False),
    (
        "recalls.recall_filed",
        20,
        "jsonb_build_object('kind', CASE WHEN g % 4 = 0 THEN 'ordered' ELSE 'voluntary' END)",
        False,
    ),
    ("recalls.report_late", 15, "'{}'::jsonb", False),
    ("recalls.defect_concealed", 2, "'{}'::jsonb", False),
    ("recalls.order_refused", 3, "'{}'::jsonb", False),
    ("recalls.recall_completed", 5, "'{}'::jsonb", False),
]
TABLES = ["core_enterprisefact", "credit_listing"]
SIX_YEARS = "current_date - ((g * 40503) % 2190)::int"


def insert_facts(
    cursor,
    *,
    kind: str,
    count: int,
    offset: int,
    first_id: int,
    enterprises: int,
    data_sql: str = "'{}'::jsonb",
    public: bool = False,
    date_sql: str = SIX_YEARS,
    stride: int = 2654435761,
    source_type: str = SOURCE_TYPE,
    ref: str = MARK,
) -> int:
    """``count`` facts of ``kind`` (series ``offset``…), on enterprises ``first_id`` + (g × stride mod n)."""
    public_sql = "d, d + 1095" if public else "NULL, NULL"
    insert(
        cursor,
        f"""
        INSERT INTO core_enterprisefact (enterprise_id, uscc, region_code, kind, occurred_on, source_type,
               source_id, source_label, ref, summary, data, public_from, public_until, recorded_at)
        SELECT e.id, e.uscc, e.region_id, %(kind)s, d, %(source)s, %(kind)s || g, 'B' || g,
               %(ref)s, '', {data_sql.replace("%", "%%")}, {public_sql}, now()
          FROM (SELECT g, %(first)s + (g * %(stride)s) %% %(n)s AS eid, {date_sql.replace("%", "%%")} AS d
                  FROM generate_series(%(offset)s::bigint, %(offset)s + %(count)s - 1) g) s
          JOIN core_enterprise e ON e.id = s.eid
        """,
        {
            "kind": kind,
            "source": source_type,
            "ref": ref,
            "first": first_id,
            "stride": stride,
            "n": enterprises,
            "offset": offset,
            "count": count,
        },
    )
    return cursor.rowcount


def create_facts(cursor, facts: int, *, first_id: int, enterprises: int) -> int:
    """``facts`` facts of KINDS in their shares over enterprises ``first_id`` … ``first_id + enterprises - 1``."""
    total_share = sum(k[1] for k in KINDS)
    offset = 0
    for kind, share, data_sql, public in KINDS:
        count = facts * share // total_share if kind != KINDS[-1][0] else facts - offset
        insert_facts(
            cursor,
            kind=kind,
            count=count,
            offset=offset,
            first_id=first_id,
            enterprises=enterprises,
            data_sql=data_sql,
            public=public,
        )
        offset += count
    return offset


def create_listings(cursor) -> int:
    """Every 50th enterprise with a generated penalty is on the serious-violation list (the public search)."""
    insert(
        cursor,
        """
        INSERT INTO credit_listing (number, enterprise_id, enterprise_name, uscc, legal_representative,
               region_code, penalty_fact_id, decision_no, reason, basis, authority_id, authority_name, appeal,
               status, proposed_on, needs_approval, listed_on, planned_removal_on, defence, closing_reason,
               removal_how, created_at, updated_at)
        SELECT 'SXB' || f.id, f.enterprise_id, e.name, e.uscc, e.legal_representative, e.region_id, f.id,
               f.data->>'decision_no', '基准数据', '基准数据', e.region_id, '市场监督管理局', '', 'listed',
               current_date - 100, false, current_date - 90, current_date + 1000, '', '', '', now(), now()
          FROM (SELECT DISTINCT ON (enterprise_id) id, enterprise_id, data FROM core_enterprisefact
                 WHERE kind = 'enforcement.penalty_decided' AND ref = %(mark)s AND enterprise_id %% 50 = 0
                 ORDER BY enterprise_id, id) f
          JOIN core_enterprise e ON e.id = f.enterprise_id
        """,
        {"mark": MARK},
    )
    return cursor.rowcount


def generate(cursor, plan: Plan) -> dict[str, int]:
    cursor.execute("SELECT min(id), count(*) FROM core_enterprise WHERE substr(uscc, 9, 1) = %s", [SCALE_MARK])
    first_id, enterprises = cursor.fetchone()
    if not enterprises:
        return {_("涉企信息"): 0}
    facts = create_facts(cursor, plan.facts, first_id=first_id, enterprises=enterprises)
    return {_("涉企信息"): facts, _("严重违法失信名单"): create_listings(cursor)}


register(
    Step(
        name="facts",
        label=_("涉企信息"),
        order=50,
        generate=generate,
        tables=TABLES,
        cleared=[
            "credit_listingevent",
            "credit_listingstep",
            "credit_creditrecord",
            "credit_classchange",
            "credit_enterpriseclass",
            "credit_creditstate",
            "credit_earlywarning",
            "credit_warninghit",
        ],
        foreign_sql=f"SELECT count(*) FROM core_enterprisefact WHERE source_type <> '{SOURCE_TYPE}'",
    )
)

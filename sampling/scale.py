"""Sampling at scale (see core.scale): tasks of 2019–2026, batches with their statistics snapshots, a confirmed
first result per judged batch, and published announcements — all in SQL over the enterprises core generated.

Pass rates follow the 2017 national sampling: by size 96.7 / 93.8 / 90.0 % (large / medium / small), by zone
东部 90.9, 中部 93.0, 西部 92.7 %, a little lower for high-risk products; overall ≈ 91.5 %.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.scale import Plan, Step, insert, register, seed_for
from sampling import progress

YEARS = range(2019, 2027)
TASK_PREFIX = "QPB-"
SAMPLE_PREFIX = "QPB"
BRANDS = ["美好", "家乐", "童趣", "安心", "优品", "雅居", "丰收", "金牛", "星光", "蓝天", ""]
# Failure chance by enterprise size and factor by zone (zone failure rate ÷ the national 8.5 %) and risk level.
FAIL_BY_SIZE = {"large": 0.033, "medium": 0.062, "small": 0.09, "micro": 0.115}
ZONE_FACTOR = {"east": 1.07, "central": 0.82, "west": 0.86}
RISK_FACTOR = {"high": 1.25, "medium": 0.95, "low": 0.7}

TABLES = ["sampling_samplingtask", "sampling_announcement", "sampling_sample", "sampling_testresult"]
# Emptied with the loaded tables when a data set is rebuilt (children and audit events of the loaded rows).
CLEARED = [
    "sampling_itemresult", "sampling_sample_inspectors", "sampling_samplephoto", "sampling_followup",
    "sampling_objection", "sampling_resultamendment", "sampling_draw", "sampling_samplingtask_product_types",
    "sampling_sampleevent", "sampling_testresultevent", "sampling_itemresultevent", "sampling_announcementevent",
    "sampling_samplingtaskevent", "core_enterpriseevent",
]  # fmt: skip


def _case(column: str, mapping: dict[str, float], default: float) -> str:
    return "CASE " + column + "".join(f" WHEN '{k}' THEN {v}" for k, v in mapping.items()) + f" ELSE {default} END"


def generate(cursor, plan: Plan) -> dict[str, int]:
    """Tasks, announcements, ``plan.batches`` batches and their results over the generated enterprises."""
    seed_for(cursor, plan, 20)
    cursor.execute("SELECT array_agg(DISTINCT province ORDER BY province) FROM scale_county")
    provinces = cursor.fetchone()[0]
    # Tasks: per year, one national and one provincial task per province and product group.
    insert(
        cursor,
        """
        INSERT INTO sampling_samplingtask (code, name, level, year, batch, region_id, target_batches,
                                           status, created_at)
        SELECT %(prefix)s || y || '-' || o.code || '-' || g.code,
               y || '年' || CASE o.code WHEN '000000' THEN '国家' ELSE r.name END || g.name || '质量监督抽查',
               CASE o.code WHEN '000000' THEN 'national' ELSE 'province' END, y, '', o.code, 1,
               CASE WHEN y < 2026 THEN 'completed' ELSE 'in_progress' END, make_date(y, 1, 10)
          FROM generate_series(%(first)s, %(last)s) y
         CROSS JOIN unnest(%(orgs)s::text[]) AS o(code)
          JOIN core_region r ON r.code = o.code
         CROSS JOIN core_productgroup g
        """,
        {"prefix": TASK_PREFIX, "first": YEARS[0], "last": YEARS[-1], "orgs": ["000000", *provinces]},
    )
    tasks = cursor.rowcount
    insert(
        cursor,
        """
        INSERT INTO sampling_samplingtask_product_types (samplingtask_id, producttype_id)
        SELECT t.id, p.id FROM sampling_samplingtask t
          JOIN core_productgroup g ON t.code LIKE %s || '%%-' || g.code
          JOIN core_producttype p ON p.group_id = g.id
        """,
        [TASK_PREFIX],
    )
    # Announcements: every other completed task (2019–2025) published its results early the next year.
    insert(
        cursor,
        """
        INSERT INTO sampling_announcement (task_id, title, number, summary, status, published_at, region_id,
                                           withdrawal_reason, created_at)
        SELECT t.id, t.name || '结果公告', '公告〔' || (t.year + 1) || '〕' || t.id || '号',
               '现将' || t.name || '结果予以公告。', 'published',
               make_date(t.year + 1, 1, 15) + (t.id %% 60)::int + time '10:00', t.region_id, '',
               make_date(t.year + 1, 1, 10)
          FROM sampling_samplingtask t WHERE t.code LIKE %s AND t.year < 2026 AND t.id %% 2 = 0
        """,
        [TASK_PREFIX + "%"],
    )
    announcements = cursor.rowcount
    cursor.execute(
        """
        CREATE TEMP TABLE scale_enterprise ON COMMIT DROP AS
        SELECT row_number() OVER (ORDER BY e.id) - 1 AS n, e.id, e.region_id, e.size, c.zone, c.province
          FROM core_enterprise e JOIN scale_county c ON c.code = e.region_id
        """
    )
    cursor.execute("CREATE UNIQUE INDEX ON scale_enterprise (n)")
    cursor.execute("SELECT count(*) FROM scale_enterprise")
    enterprises = cursor.fetchone()[0]
    cursor.execute(
        """
        CREATE TEMP TABLE scale_type ON COMMIT DROP AS
        SELECT row_number() OVER (ORDER BY p.id) - 1 AS n, p.id, g.code AS group_code, p.risk_level,
               coalesce((SELECT array_agg(i.name ORDER BY i.order, i.id) FROM core_testitem i
                          WHERE i.product_type_id = p.id), ARRAY['标志和说明']) AS items
          FROM core_producttype p JOIN core_productgroup g ON g.id = p.group_id WHERE p.is_active
        """
    )
    cursor.execute("SELECT count(*) FROM scale_type")
    types = cursor.fetchone()[0]
    cursor.execute(
        """
        CREATE TEMP TABLE scale_task ON COMMIT DROP AS
        SELECT t.id, t.year, t.region_id AS org, split_part(t.code, '-', 4) AS group_code, a.id AS announcement_id
          FROM sampling_samplingtask t LEFT JOIN sampling_announcement a ON a.task_id = t.id
         WHERE t.code LIKE %s
        """,
        [TASK_PREFIX + "%"],
    )
    cursor.execute("CREATE UNIQUE INDEX ON scale_task (year, org, group_code)")
    # Batches: more in recent years; a fifth under national tasks; the last weeks of 2026 still being tested.
    cursor.execute(
        """
        CREATE TEMP TABLE scale_draw ON COMMIT DROP AS
        SELECT g,
               (2019 + floor(8 * sqrt(random())))::int AS y,
               floor(random() * %(enterprises)s)::int AS e,
               floor(random() * %(types)s)::int AS t,
               random() AS u_stage, random() AS u_verdict, random() AS u_day, random() AS u_org
          FROM generate_series(1, %(batches)s) g
        """,
        {"enterprises": enterprises, "types": types, "batches": plan.batches},
    )
    # Temporary tables have no statistics unless asked: without them the planner guesses the join sizes.
    cursor.execute("ANALYZE scale_draw; ANALYZE scale_enterprise; ANALYZE scale_type; ANALYZE scale_task")
    fail_chance = (
        f"{_case('e.size', FAIL_BY_SIZE, 0.085)} * {_case('e.zone', ZONE_FACTOR, 1)}"
        f" * {_case('ty.risk_level', RISK_FACTOR, 1)}"
    )
    insert(
        cursor,
        f"""
        INSERT INTO sampling_sample (task_id, sample_no, enterprise_id, product_type_id, brand, model_spec,
               production_batch, stage, place, sampled_on, quantity, region_id, zone, enterprise_size, year,
               final_verdict, is_published, announcement_id, void_reason, received_condition,
               created_at, updated_at)
        SELECT k.id, %(sample_prefix)s || lpad(d.g::text, 8, '0'), e.id, ty.id,
               (%(brands)s::text[])[1 + d.g %% 11], 'M-' || (d.g %% 97),
               to_char(day, 'YYYYMMDD') || '-' || (d.g %% 9),
               CASE WHEN d.u_stage < 0.5 THEN 'production' WHEN d.u_stage < 0.85 THEN 'circulation'
                    ELSE 'ecommerce' END,
               '', day, '2', e.region_id, e.zone, e.size, d.y, v.verdict,
               v.verdict <> '' AND k.announcement_id IS NOT NULL,
               CASE WHEN v.verdict <> '' THEN k.announcement_id END, '', '', now(), now()
          FROM scale_draw d
          JOIN scale_enterprise e ON e.n = d.e
          JOIN scale_type ty ON ty.n = d.t
          JOIN scale_task k ON k.year = d.y AND k.group_code = ty.group_code
                           AND k.org = CASE WHEN d.u_org < 0.2 THEN '000000' ELSE e.province END
         CROSS JOIN LATERAL (SELECT make_date(d.y, 1, 1)
                                    + floor(d.u_day * CASE WHEN d.y = 2026 THEN 324 ELSE 365 END)::int AS day) dd
         CROSS JOIN LATERAL (
               SELECT CASE WHEN d.y = 2026 AND dd.day > date '2026-10-31' THEN ''
                           WHEN d.u_verdict < {fail_chance} THEN 'fail' ELSE 'pass' END AS verdict) v
         ORDER BY day, d.g
        """,
        {"sample_prefix": SAMPLE_PREFIX, "brands": BRANDS},
    )
    batches = cursor.rowcount
    cursor.execute("SELECT coalesce(array_agg(id ORDER BY id), ARRAY[]::bigint[]) FROM core_institution")
    institutions = cursor.fetchone()[0]
    insert(
        cursor,
        """
        INSERT INTO sampling_testresult (sample_id, is_retest, report_no, institution_id, tested_on, verdict,
               failed_items, is_confirmed, status, confirmed_at, updated_at)
        SELECT s.id, false, 'BG' || s.sample_no, (%(institutions)s::bigint[])[(1 + s.id %% %(n_inst)s)::int],
               s.sampled_on + 20, s.final_verdict,
               CASE WHEN s.final_verdict = 'fail' THEN
                    ARRAY[ty.items[(1 + s.id %% cardinality(ty.items))::int]]
                    || CASE WHEN s.id %% 4 = 0 AND cardinality(ty.items) > 1
                            THEN ARRAY[ty.items[(1 + (s.id + 1) %% cardinality(ty.items))::int]]
                            ELSE ARRAY[]::text[] END
                    ELSE ARRAY[]::text[] END,
               true, 'confirmed', s.sampled_on + 25, now()
          FROM sampling_sample s JOIN scale_type ty ON ty.id = s.product_type_id
         WHERE s.final_verdict <> '' AND s.sample_no LIKE %(prefix)s
        """,
        {"institutions": institutions, "n_inst": max(len(institutions), 1), "prefix": SAMPLE_PREFIX + "%"},
    )
    results = cursor.rowcount
    # The counts a published announcement carries (services.publication stores them when publishing).
    cursor.execute(
        """
        UPDATE sampling_announcement a SET batch_count = c.batches, failed_count = c.failed
          FROM (SELECT announcement_id, count(*) AS batches,
                       count(*) FILTER (WHERE final_verdict = 'fail') AS failed
                  FROM sampling_sample WHERE is_published GROUP BY announcement_id) c
         WHERE c.announcement_id = a.id
        """
    )
    # The tasks' progress counters: the sample triggers are off for the load, so one grouped UPDATE fills them.
    progress.recount(cursor)
    # Each task planned the batches it sampled (a planned count of 1 beside 1,574 sampled read as a broken plan).
    cursor.execute(
        "UPDATE sampling_samplingtask SET target_batches = greatest(sampled_count, 1) WHERE code LIKE %s",
        [TASK_PREFIX + "%"],
    )
    return {_("抽查任务"): tasks, _("结果公告"): announcements, _("抽样批次"): batches, _("检验结果"): results}


register(
    Step(
        name="sampling",
        label=_("监督抽查"),
        order=20,
        generate=generate,
        tables=TABLES,
        cleared=CLEARED,
        after=["sampling_samplingtask_product_types"],
        foreign_sql=f"SELECT count(*) FROM sampling_samplingtask WHERE code NOT LIKE '{TASK_PREFIX}%'",
    )
)

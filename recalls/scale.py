"""Recalls at scale (see core.scale), in SQL: recalls of generated producers (10 % vehicles, 90 % with a
published notice, publication spread over three years) and their VINs stored as VinRange rows — 80 % of the VINs
as serial runs of RUN (one run per vehicle recall and stem, stems 'LBV…') and 20 % as single VINs (stems 'LSG…').
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.scale import SCALE_MARK, Plan, Step, insert, register

RECALL_PREFIX = "RB"
RUN = 800  # VINs per range
BRANDS = [
    "美厨", "湘江", "童乐", "华星", "安途", "立行", "瑞丰", "恒泰", "宏远", "嘉禾",
    "中驰", "东方", "凯越", "蓝天", "金鹰", "绿源", "明辉", "新宇", "天成", "卓越",
]  # fmt: skip
PRODUCTS = ["电热水壶", "儿童座椅", "电动自行车", "吹风机", "电暖器", "儿童玩具", "移动电源", "婴儿推车"]
TABLES = ["recalls_recall", "recalls_vinrange"]
PRODUCERS = 200  # at most this many producers share the recalls

BIGRAMS_SQL = """
    UPDATE recalls_recall SET search_bigrams = ARRAY(
        SELECT DISTINCT substr(upper(search_text), k, 2) FROM generate_series(1, length(search_text) - 1) AS k
         WHERE position(' ' in substr(search_text, k, 2)) = 0 ORDER BY 1)
     WHERE cardinality(search_bigrams) = 0
"""


def vin_split(vins: int) -> tuple[int, int]:
    """(ranges of RUN VINs, single VINs) for ``vins`` VINs."""
    ranged = (vins * 4 // 5) // RUN
    return ranged, vins - ranged * RUN


def fill_bigrams(cursor) -> None:
    """The two-character pieces of search_text, as recalls.services.recalls.bigrams() computes them."""
    cursor.execute(BIGRAMS_SQL)


def create_recalls(cursor, recalls: int, vins: int) -> tuple[int, int]:
    """``recalls`` recalls of the first PRODUCERS generated enterprises and ``vins`` VINs; (recalls, ranges)."""
    vehicles = max(recalls // 10, 1)
    ranged, singles = vin_split(vins)
    cursor.execute(
        """
        CREATE TEMP TABLE scale_producer ON COMMIT DROP AS
        SELECT row_number() OVER (ORDER BY id) - 1 AS pn, id, name, region_id FROM core_enterprise
         WHERE substr(uscc, 9, 1) = %s ORDER BY id LIMIT %s
        """,
        [SCALE_MARK, PRODUCERS],
    )
    cursor.execute("SELECT count(*) FROM scale_producer")
    producers = cursor.fetchone()[0]
    insert(
        cursor,
        """
        INSERT INTO recalls_recall (
            recall_no, kind, category, status, producer_id, region_id, product, brand, models_list, batches,
            units_affected, defect, hazard, emergency_measures, remedies, remedy_detail, owner_notification,
            hotline, injuries, retailers, started_on, internal_note, version, filed_on, published_on,
            last_published_at, units_remedied, units_unreachable, figures_as_of, summary, search_text,
            search_bigrams, termination_reason, refusal_reason, created_at, updated_at)
        SELECT %(prefix)s || lpad(i::text, 8, '0'), CASE WHEN i %% 4 = 0 THEN 'ordered' ELSE 'voluntary' END,
               CASE WHEN i <= %(vehicles)s THEN 'vehicle' ELSE 'consumer' END,
               CASE WHEN (i * 7919) %% 1000 < 100 THEN 'filed' ELSE 'implementing' END,
               p.id, p.region_id,
               CASE WHEN i <= %(vehicles)s THEN '乘用车' ELSE (%(products)s::text[])[1 + i %% 8] END,
               (%(brands)s::text[])[1 + i %% 20], ARRAY['M-' || (i %% 997)::text, 'M-' || (i %% 991)::text || 'S'],
               '', 1000 + i %% 5000, '缺陷说明', '危害说明', '', ARRAY['repair'], '',
               '短信通知', '400-000-0000', '', '',
               d, '内部', 1, d, CASE WHEN (i * 7919) %% 1000 < 100 THEN NULL ELSE d + 2 END,
               CASE WHEN (i * 7919) %% 1000 < 100 THEN NULL
                    ELSE (d + 2)::timestamptz + (i %% 86400) * interval '1 second' END,
               (1000 + i %% 5000) / 2, 10, d + 90, '',
               (%(products)s::text[])[1 + i %% 8] || ' ' || (%(brands)s::text[])[1 + i %% 20]
                   || ' M-' || (i %% 997)::text || ' ' || p.name,
               '{}'::text[], '', '', now(), now()
          FROM (SELECT i, date '2023-12-01' + (i %% 1095) AS d FROM generate_series(1, %(n)s) AS i) AS g
          JOIN scale_producer p ON p.pn = g.i %% %(producers)s
        """,
        {
            "prefix": RECALL_PREFIX,
            "n": recalls,
            "vehicles": vehicles,
            "producers": max(producers, 1),
            "products": PRODUCTS,
            "brands": BRANDS,
        },
    )
    cursor.execute("SELECT min(id) FROM recalls_recall WHERE recall_no LIKE %s", [RECALL_PREFIX + "%"])
    first_recall = cursor.fetchone()[0]
    # Ranged VINs: range r belongs to vehicle recall (r mod vehicles), stem 'LBV' + 7 digits of r.
    insert(
        cursor,
        """
        INSERT INTO recalls_vinrange (recall_id, stem, serial_from, serial_to, units, first_vin, last_vin)
        SELECT %(first)s + r %% %(vehicles)s, 'LBV' || lpad(r::text, 7, '0'), '000001', lpad(%(run)s::text, 6, '0'),
               %(run)s, 'LBVX', 'LBVX'
          FROM generate_series(0, %(ranged)s - 1) AS r
        """,
        {"first": first_recall, "vehicles": vehicles, "ranged": ranged, "run": RUN},
    )
    # Single VINs (lists): stem 'LSG' + 7 digits of i / 1000, serial i mod 1000.
    insert(
        cursor,
        """
        INSERT INTO recalls_vinrange (recall_id, stem, serial_from, serial_to, units, first_vin, last_vin)
        SELECT %(first)s + i %% %(vehicles)s, 'LSG' || lpad((i / 1000)::text, 7, '0'),
               lpad((i %% 1000)::text, 6, '0'), lpad((i %% 1000)::text, 6, '0'), 1, 'LSGX', 'LSGX'
          FROM generate_series(0, %(singles)s - 1) AS i
        """,
        {"first": first_recall, "vehicles": vehicles, "singles": singles},
    )
    fill_bigrams(cursor)
    return recalls, ranged + singles


def generate(cursor, plan: Plan) -> dict[str, int]:
    vins = plan.vins if plan.vins is not None else plan.recalls * 100
    recalls, ranges = create_recalls(cursor, plan.recalls, vins)
    return {_("召回"): recalls, _("VIN"): vins, _("VIN 区段"): ranges}


register(
    Step(
        name="recalls",
        label=_("召回"),
        order=30,
        generate=generate,
        tables=TABLES,
        cleared=["recalls_recallreport", "recalls_recallversion", "recalls_recallevent", "recalls_recallreportevent"],
        foreign_sql=f"SELECT count(*) FROM recalls_recall WHERE recall_no NOT LIKE '{RECALL_PREFIX}%'",
    )
)

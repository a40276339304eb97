r"""Synthetic sampling data set for the benchmarks, generated in SQL (INSERT ... SELECT generate_series).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/qp_bench \
        .venv/bin/python bench/dataset.py --batches 2000000

Creates (or reuses, when the bench batch count already matches) in a dedicated database — its name must
contain "bench" — 50,000 enterprises spread over every county of six provinces, sampling tasks of 2019–2026
(national and provincial, one per product group), N sampled batches with the statistics snapshots
(region, zone, enterprise size, year, final verdict), a confirmed first test result per judged batch
(failed_items named from the catalogue's test items for the failing ~9 %), and published announcements
covering part of the batches (is_published = true).

The pghistory audit triggers of the loaded tables are disabled for the bulk load only (ALTER TABLE ...
DISABLE TRIGGER USER inside the load's transaction, re-enabled before it commits): a synthetic bench data set
is not an audited record. Constraints and foreign keys stay checked.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quality_platform.settings.dev")

# Hunan, Guangdong, Sichuan, Jiangsu, Hubei, Zhejiang: central, east and west zones.
PROVINCES = ["430000", "440000", "510000", "320000", "420000", "330000"]
YEARS = range(2019, 2027)
TASK_PREFIX = "QPB-"
SAMPLE_PREFIX = "QPB"
DEFAULT_ENTERPRISES = 50_000

# Tables whose user (pghistory) triggers are disabled while loading.
LOADED_TABLES = [
    "core_enterprise",
    "sampling_samplingtask",
    "sampling_announcement",
    "sampling_sample",
    "sampling_testresult",
]

NAME_WORDS = [
    "华兴", "鑫达", "恒通", "宏远", "金源", "瑞丰", "永盛", "天成", "中兴", "博雅",
    "德信", "嘉禾", "新锐", "盛世", "国泰", "安康", "东方", "银河", "凯旋", "福瑞",
    "长青", "隆昌", "万家", "正大", "汇通", "明辉", "佳和", "泰和", "远航", "富源",
]  # fmt: skip
TRADE_WORDS = [
    "电器", "服饰", "家纺", "鞋业", "玩具", "纸业", "家具", "化肥", "塑料制品", "建材",
    "涂料", "电子科技", "日化", "五金", "包装", "童车", "文具", "灯饰", "线缆", "厨具",
]  # fmt: skip
BRANDS = ["美好", "家乐", "童趣", "安心", "优品", "雅居", "丰收", "金牛", "星光", "蓝天", ""]


def bench_batches(cursor) -> int:
    cursor.execute(
        "SELECT count(*) FROM sampling_sample s JOIN sampling_samplingtask t ON t.id = s.task_id WHERE t.code LIKE %s",
        [TASK_PREFIX + "%"],
    )
    return cursor.fetchone()[0]


def build(batches: int, enterprises: int = DEFAULT_ENTERPRISES, *, force: bool = False) -> None:
    """Create the data set unless a data set of ``batches`` bench batches is there already."""
    from django.core.management import call_command
    from django.db import connection, transaction

    from core.models import ProductType, Region, RegionLevel

    with connection.cursor() as cur:
        existing = bench_batches(cur)
    if existing == batches and not force:
        print(f"复用已有数据：{batches:,} 个基准批次")
        return
    if not Region.objects.filter(level=RegionLevel.COUNTY).exists() or not ProductType.objects.exists():
        call_command("load_reference_data", verbosity=0)
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cur:
        print("批量加载期间停用审计触发器（ALTER TABLE … DISABLE TRIGGER USER），加载完成后在同一事务内重新启用")
        for table in LOADED_TABLES:
            cur.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        step = time.perf_counter()
        # Start from an empty sampling data set (the bench database holds nothing else worth keeping).
        cur.execute(
            "TRUNCATE sampling_itemresult, sampling_testresult, sampling_sample_inspectors, sampling_samplephoto, "
            "sampling_followup, sampling_objection, sampling_resultamendment, sampling_sample, "
            "sampling_announcement, sampling_draw, sampling_samplingtask_product_types, sampling_samplingtask, "
            "core_enterprise, sampling_sampleevent, sampling_testresultevent, sampling_itemresultevent, "
            "sampling_announcementevent, sampling_samplingtaskevent, core_enterpriseevent CASCADE"
        )
        cur.execute("SELECT setseed(0.2026)")
        cur.execute(
            """
            CREATE TEMP TABLE bench_county ON COMMIT DROP AS
            SELECT row_number() OVER (ORDER BY code) - 1 AS n, code, name, zone,
                   substr(code, 1, 2) || '0000' AS province
              FROM core_region WHERE level = 'county' AND is_active AND substr(code, 1, 2) || '0000' = ANY(%s)
            """,
            [PROVINCES],
        )
        cur.execute("SELECT count(*) FROM bench_county")
        counties = cur.fetchone()[0]
        # Enterprises: every county gets some, the provincial capitals' districts more (n small first).
        cur.execute(
            """
            INSERT INTO core_enterprise (name, uscc, legal_representative, address, region_id, industry, size,
                                         status, credit_class, created_at, updated_at)
            SELECT c.name || (%(names)s::text[])[1 + g %% 30] || (%(trades)s::text[])[1 + (g / 30) %% 20]
                       || '有限公司' || CASE WHEN g >= 600 THEN '（' || g || '）' ELSE '' END,
                   -- 18 characters, unique; 'Z' never occurs in a real USCC, so imports cannot collide.
                   '91' || c.code || 'Z' || lpad(g::text, 9, '0'),
                   '', c.name || '某路' || (1 + g %% 300) || '号', c.code, '',
                   (ARRAY['large','medium','medium','small','small','small','micro','micro','micro','micro'])
                       [1 + (g * 7) %% 10],
                   'active', (ARRAY['A','B','B','B','C','D',''])[1 + g %% 7], now(), now()
              FROM generate_series(0, %(n)s - 1) g
              JOIN bench_county c ON c.n = (g * 7919) %% %(counties)s
            """,
            {"names": NAME_WORDS, "trades": TRADE_WORDS, "n": enterprises, "counties": counties},
        )
        print(f"  企业 {enterprises:,} 家（{counties} 个县区）：{time.perf_counter() - step:.1f} 秒")
        step = time.perf_counter()
        # Tasks: per year, one national and one provincial task per province and product group.
        cur.execute(
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
            {"prefix": TASK_PREFIX, "first": YEARS[0], "last": YEARS[-1], "orgs": ["000000", *PROVINCES]},
        )
        cur.execute(
            """
            INSERT INTO sampling_samplingtask_product_types (samplingtask_id, producttype_id)
            SELECT t.id, p.id FROM sampling_samplingtask t
              JOIN core_productgroup g ON t.code LIKE %s || '%%-' || g.code
              JOIN core_producttype p ON p.group_id = g.id
            """,
            [TASK_PREFIX],
        )
        # Announcements: every other completed task (2019–2025) published its results early the next year.
        cur.execute(
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
        cur.execute(
            """
            CREATE TEMP TABLE bench_enterprise ON COMMIT DROP AS
            SELECT row_number() OVER (ORDER BY e.id) - 1 AS n, e.id, e.region_id, e.size, c.zone, c.province
              FROM core_enterprise e JOIN bench_county c ON c.code = e.region_id
            """
        )
        cur.execute("CREATE UNIQUE INDEX ON bench_enterprise (n)")
        cur.execute(
            """
            CREATE TEMP TABLE bench_type ON COMMIT DROP AS
            SELECT row_number() OVER (ORDER BY p.id) - 1 AS n, p.id, g.code AS group_code, p.risk_level,
                   coalesce((SELECT array_agg(i.name ORDER BY i.order, i.id) FROM core_testitem i
                              WHERE i.product_type_id = p.id), ARRAY['标志和说明']) AS items
              FROM core_producttype p JOIN core_productgroup g ON g.id = p.group_id WHERE p.is_active
            """
        )
        cur.execute("SELECT count(*) FROM bench_type")
        types = cur.fetchone()[0]
        cur.execute(
            """
            CREATE TEMP TABLE bench_task ON COMMIT DROP AS
            SELECT t.id, t.year, t.region_id AS org, split_part(t.code, '-', 4) AS group_code, a.id AS announcement_id
              FROM sampling_samplingtask t LEFT JOIN sampling_announcement a ON a.task_id = t.id
             WHERE t.code LIKE %s
            """,
            [TASK_PREFIX + "%"],
        )
        cur.execute("CREATE UNIQUE INDEX ON bench_task (year, org, group_code)")
        cur.execute("SELECT id FROM core_institution ORDER BY id")
        institutions = [row[0] for row in cur.fetchall()]
        print(f"  任务、公告：{time.perf_counter() - step:.1f} 秒")
        step = time.perf_counter()
        # Batches: more in recent years; a fifth under national tasks. The failure chance (~9 %) rises with
        # the product's risk level and for micro enterprises; the last weeks of 2026 are still being tested.
        cur.execute(
            """
            CREATE TEMP TABLE bench_draw ON COMMIT DROP AS
            SELECT g,
                   (2019 + floor(8 * sqrt(random())))::int AS y,
                   floor(random() * %(enterprises)s)::int AS e,
                   floor(random() * %(types)s)::int AS t,
                   random() AS u_stage, random() AS u_verdict, random() AS u_day, random() AS u_org,
                   random() AS u_item
              FROM generate_series(1, %(batches)s) g
            """,
            {"enterprises": enterprises, "types": types, "batches": batches},
        )
        cur.execute(
            """
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
              FROM bench_draw d
              JOIN bench_enterprise e ON e.n = d.e
              JOIN bench_type ty ON ty.n = d.t
              JOIN bench_task k ON k.year = d.y AND k.group_code = ty.group_code
                               AND k.org = CASE WHEN d.u_org < 0.2 THEN '000000' ELSE e.province END
             CROSS JOIN LATERAL (SELECT make_date(d.y, 1, 1)
                                        + floor(d.u_day * CASE WHEN d.y = 2026 THEN 324 ELSE 365 END)::int AS day) dd
             CROSS JOIN LATERAL (
                   SELECT CASE WHEN d.y = 2026 AND dd.day > date '2026-10-31' THEN ''
                               WHEN d.u_verdict < 0.06 + CASE ty.risk_level WHEN 'high' THEN 0.04
                                                                             WHEN 'low' THEN -0.02 ELSE 0 END
                                                      + CASE e.size WHEN 'micro' THEN 0.03 WHEN 'large' THEN -0.03
                                                                    ELSE 0 END
                               THEN 'fail' ELSE 'pass' END AS verdict) v
             ORDER BY day, d.g
            """,
            {"sample_prefix": SAMPLE_PREFIX, "brands": BRANDS},
        )
        print(f"  抽样批次 {batches:,} 个：{time.perf_counter() - step:.1f} 秒")
        step = time.perf_counter()
        cur.execute(
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
              FROM sampling_sample s JOIN bench_type ty ON ty.id = s.product_type_id
             WHERE s.final_verdict <> ''
            """,
            {"institutions": institutions, "n_inst": len(institutions)},
        )
        print(f"  检验结果：{time.perf_counter() - step:.1f} 秒")
        # The counts a published announcement carries (services.publication stores them when publishing).
        cur.execute(
            """
            UPDATE sampling_announcement a SET batch_count = c.batches, failed_count = c.failed
              FROM (SELECT announcement_id, count(*) AS batches,
                           count(*) FILTER (WHERE final_verdict = 'fail') AS failed
                      FROM sampling_sample WHERE is_published GROUP BY announcement_id) c
             WHERE c.announcement_id = a.id
            """
        )
        # Run the deferred foreign-key checks now: a table with pending trigger events cannot be altered.
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table in LOADED_TABLES:
            cur.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
        print("  审计触发器已重新启用")
    step = time.perf_counter()
    with connection.cursor() as cur:
        for table in [*LOADED_TABLES, "sampling_samplingtask_product_types"]:
            cur.execute(f"VACUUM ANALYZE {table}")
    print(f"  VACUUM ANALYZE：{time.perf_counter() - step:.1f} 秒")
    print(f"已生成数据：{enterprises:,} 家企业，{batches:,} 批次，共用时 {time.perf_counter() - started:.1f} 秒")


def describe() -> None:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            """
            SELECT count(*), count(*) FILTER (WHERE final_verdict = 'fail'),
                   count(*) FILTER (WHERE final_verdict = ''), count(*) FILTER (WHERE is_published),
                   count(DISTINCT region_id), min(year), max(year)
              FROM sampling_sample
            """
        )
        total, failed, pending, published, regions, first, last = cur.fetchone()
        cur.execute("SELECT count(*) FROM sampling_announcement WHERE status = 'published'")
        announcements = cur.fetchone()[0]
        cur.execute("SELECT count(*) FROM core_enterprise")
        enterprises = cur.fetchone()[0]
    print(
        f"数据集：{total:,} 批次（不合格 {failed:,}，{failed / max(total - pending, 1):.1%}；待检 {pending:,}），"
        f"{regions} 个县区，{first}–{last} 年；已公开 {published:,} 批次 / {announcements} 则公告；"
        f"企业 {enterprises:,} 家"
    )


def require_bench_database() -> None:
    url = os.environ.get("DATABASE_URL", "")
    if "bench" not in url.rsplit("/", 1)[-1]:
        sys.exit(
            "请用专用的基准测试数据库（库名含 bench），例如 DATABASE_URL=postgres://postgres@127.0.0.1:5432/qp_bench"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--batches", type=int, default=2_000_000)
    parser.add_argument("--enterprises", type=int, default=DEFAULT_ENTERPRISES)
    parser.add_argument("--force", action="store_true", help="即使批次数相同也重新生成")
    args = parser.parse_args()
    require_bench_database()
    import django

    django.setup()
    build(args.batches, args.enterprises, force=args.force)
    describe()


if __name__ == "__main__":
    main()

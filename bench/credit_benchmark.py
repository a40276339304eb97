r"""Credit at scale: records from the ledger, recomputing every class, one enterprise's profile and the
blacklist search.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/qp_credit_bench \
        .venv/bin/python bench/credit_benchmark.py --enterprises 1000000 --facts 10000000

In a dedicated database (its name must contain "bench"): N enterprises over every county of six provinces
and M ledger facts of the kinds credit scores (verdicts, rectification, complaints, penalties with fines, fine
payments, recall conduct) plus published sampling results and penalties, over the last six years, generated
with INSERT … SELECT generate_series; and 2 % of the enterprises on the serious-violation list. Then it times:

1. the take-up of every fact into credit records (INSERT … SELECT, as ``credit_recompute`` does);
2. recomputing every class, first run (every enterprise changes) and steady state (nothing changes);
3. the incremental take-up of 1,000 new facts with the reclassification of their enterprises (the beat job);
4. p95 of one enterprise's explanation (staff class page data), of its public credit profile page and of the
   blacklist search (page and API) for two- and four-character names and a USCC.
Aims: recompute < 5 minutes on 2 cores at 1,000,000 / 10,000,000; profile and search p95 < 50 ms.

The user triggers of the loaded tables (pghistory, the ledger's insert-only guard) are disabled for the bulk
load only, inside its transaction.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import quote

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quality_platform.settings.dev")

PROVINCES = ["430000", "440000", "510000", "320000", "420000", "330000"]
WORDS = ["华兴", "鑫达", "恒通", "宏远", "金源", "瑞丰", "永盛", "天成", "中兴", "博雅", "德信", "嘉禾", "新锐", "湘江"]
TRADES = ["电器", "服饰", "家纺", "鞋业", "玩具", "纸业", "家具", "化肥", "建材", "日化", "五金", "厨具"]
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
MARK = "credit-bench"


def require_bench_database() -> None:
    url = os.environ.get("DATABASE_URL", "")
    if "bench" not in url.rsplit("/", 1)[-1]:
        sys.exit(
            "请用专用的基准测试数据库（库名含 bench），例如 DATABASE_URL=postgres://postgres@127.0.0.1:5432/qp_credit_bench"
        )


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18] if len(values) >= 20 else max(values)


def build(enterprises: int, facts: int) -> None:
    from django.core.management import call_command
    from django.db import connection, transaction

    from core.models import Region, RegionLevel

    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM core_enterprise WHERE uscc LIKE '92%%Y%%'")
        have_e = cur.fetchone()[0]
        cur.execute("SELECT count(*) FROM core_enterprisefact WHERE ref LIKE %s", [MARK + "%"])
        have_f = cur.fetchone()[0]
    if have_e == enterprises and have_f == facts:
        print(f"复用已有数据：企业 {enterprises:,} 家，涉企信息 {facts:,} 条")
        return
    if have_e or have_f:
        sys.exit("基准库中已有不同规模的数据：请删除数据库后重新运行")
    if not Region.objects.filter(level=RegionLevel.COUNTY).exists():
        call_command("load_reference_data", verbosity=0)
    started = time.perf_counter()
    total_share = sum(k[1] for k in KINDS)
    with transaction.atomic(), connection.cursor() as cur:
        for table in ("core_enterprise", "core_enterprisefact", "credit_listing"):
            cur.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        cur.execute(
            """
            CREATE TEMP TABLE bench_county AS
            SELECT code, row_number() OVER (ORDER BY code) - 1 AS n FROM core_region
             WHERE level = 'county' AND is_active AND substr(code, 1, 2) || '0000' = ANY(%s)
            """,
            [PROVINCES],
        )
        cur.execute("SELECT count(*) FROM bench_county")
        counties = cur.fetchone()[0]
        cur.execute(
            """
            INSERT INTO core_enterprise (name, uscc, legal_representative, address, region_id, industry, size,
                                         status, credit_class, created_at, updated_at)
            SELECT (%(words)s::text[])[1 + g %% 14] || (%(words)s::text[])[1 + (g / 14) %% 14]
                       || (%(trades)s::text[])[1 + (g / 196) %% 12] || '有限公司' || g,
                   '92' || c.code || 'Y' || lpad(g::text, 9, '0'), '张三', '', c.code,
                   (%(trades)s::text[])[1 + g %% 12] || '制造业', 'small', 'active', '', now(), now()
              FROM generate_series(0::bigint, %(n)s - 1) g JOIN bench_county c ON c.n = (g * 7919) %% %(counties)s
            """,
            {"words": WORDS, "trades": TRADES, "n": enterprises, "counties": counties},
        )
        cur.execute("SELECT min(id) FROM core_enterprise WHERE uscc LIKE '92%%Y%%'")
        first_id = cur.fetchone()[0]
        print(f"  企业 {enterprises:,} 家：{time.perf_counter() - started:.1f} 秒")
        step = time.perf_counter()
        offset = 0
        for kind, share, data_sql, public in KINDS:
            count = facts * share // total_share if kind != KINDS[-1][0] else facts - offset
            public_sql = "d, d + 1095" if public else "NULL, NULL"
            cur.execute(
                f"""
                INSERT INTO core_enterprisefact (enterprise_id, uscc, region_code, kind, occurred_on, source_type,
                       source_id, source_label, ref, summary, data, public_from, public_until, recorded_at)
                SELECT e.id, e.uscc, e.region_id, %(kind)s, d, 'bench.source', g::text, 'B' || g,
                       %(mark)s, '', {data_sql.replace("%", "%%")}, {public_sql}, now()
                  FROM (SELECT g, %(first)s + (g * 2654435761) %% %(n)s AS eid,
                               current_date - ((g * 40503) %% 2190)::int AS d
                          FROM generate_series(%(offset)s::bigint, %(offset)s + %(count)s - 1) g) s
                  JOIN core_enterprise e ON e.id = s.eid
                """,
                {"kind": kind, "mark": MARK, "first": first_id, "n": enterprises, "offset": offset, "count": count},
            )
            offset += count
        print(f"  涉企信息 {facts:,} 条：{time.perf_counter() - step:.1f} 秒")
        step = time.perf_counter()
        # 2 % of the enterprises are listed now (the public list the search reads).
        cur.execute(
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
        print(f"  严重违法失信名单 {cur.rowcount:,} 条：{time.perf_counter() - step:.1f} 秒")
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")  # deferred FK checks first: then the triggers can be altered
        for table in ("core_enterprise", "core_enterprisefact", "credit_listing"):
            cur.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
    with connection.cursor() as cur:
        cur.execute("ANALYZE core_enterprise; ANALYZE core_enterprisefact; ANALYZE credit_listing")
    print(f"  生成合计 {time.perf_counter() - started:.1f} 秒")


def timed(label: str, fn):
    started = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - started
    print(f"{label}：{seconds:.1f} 秒")
    return result, seconds


def latencies(fn, items) -> list[float]:
    values = []
    for item in items:
        started = time.perf_counter()
        fn(item)
        values.append((time.perf_counter() - started) * 1000)
    return values


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--enterprises", type=int, default=1_000_000)
    parser.add_argument("--facts", type=int, default=10_000_000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    require_bench_database()
    import django

    django.setup()
    from django.core.management import call_command

    try:
        call_command("migrate", verbosity=0)
    except Exception as exc:  # another app's migration in flux: the credit tables are what the bench needs
        print(f"migrate: {exc}（继续）")
    from core.facts import fact_kinds, register_fact_kind

    for kind, *_rest in KINDS:  # the owning apps register these; only a bench stand-in when they have not
        if kind not in fact_kinds():
            register_fact_kind(kind, kind)
    from django.db import connection
    from django.test import Client

    from core.audit import audit_context
    from core.models import Enterprise
    from credit.models import Listing
    from credit.services.classes import explain, recompute_classes
    from credit.services.records import take_up_facts

    build(args.enterprises, args.facts)
    with connection.cursor() as cur:  # every run starts from no records and no classes
        cur.execute("TRUNCATE credit_creditrecord, credit_classchange, credit_enterpriseclass, credit_creditstate")
        cur.execute("ALTER TABLE core_enterprise DISABLE TRIGGER USER")
        cur.execute("UPDATE core_enterprise SET credit_class = '' WHERE credit_class <> ''")
        cur.execute("ALTER TABLE core_enterprise ENABLE TRIGGER USER")
        cur.execute("VACUUM ANALYZE core_enterprise")
    print(f"规模：企业 {args.enterprises:,} 家，涉企信息 {args.facts:,} 条（2 核）")
    with audit_context(source="bench/credit_benchmark"):
        (added, _t), t_records = timed("1. 全部涉企信息生成信用记录", lambda: take_up_facts(full=True))
        print(f"   新增信用记录 {added:,} 条")
        result, t_first = timed("2a. 重新计算全部企业分类（首次，全部变化）", recompute_classes)
        print(f"   {result.enterprises:,} 家企业，{result.changed:,} 家变化")
        result, t_steady = timed("2b. 重新计算全部企业分类（稳定状态）", recompute_classes)
        print(f"   {result.enterprises:,} 家企业，{result.changed:,} 家变化")
        with connection.cursor() as cur:
            cur.execute("ALTER TABLE core_enterprisefact DISABLE TRIGGER USER")
            cur.execute(
                """
                INSERT INTO core_enterprisefact (enterprise_id, uscc, region_code, kind, occurred_on, source_type,
                       source_id, source_label, ref, summary, data, recorded_at)
                SELECT e.id, e.uscc, e.region_id, 'sampling.verdict_failed', current_date, 'bench.new', g::text, '',
                       %s, '', '{}'::jsonb, now()
                  FROM generate_series(1, 1000) g
                  JOIN core_enterprise e ON e.id = (SELECT min(id) FROM core_enterprise) + g * 37
                """,
                [MARK + "-new-" + str(time.time())],
            )
            cur.execute("ALTER TABLE core_enterprisefact ENABLE TRIGGER USER")

        def incremental():
            _added, touched = take_up_facts()
            return recompute_classes(enterprise_ids=touched)

        _r, t_incr = timed("3. 增量归集 1,000 条新信息并重新分类相关企业", incremental)

    rng = random.Random(7)
    ids = list(Enterprise.objects.filter(uscc__contains="Y").order_by("?").values_list("id", "uscc")[: args.requests])
    explain_ms = latencies(lambda pair: explain(Enterprise(pk=pair[0])), ids)
    client = Client()
    profile_ms = latencies(lambda pair: client.get(f"/public/enterprises/{pair[1]}/"), ids)
    names = list(Listing.objects.values_list("enterprise_name", "uscc")[:2000])
    queries = []
    for _i in range(args.requests):
        name, uscc = rng.choice(names)
        queries.append(rng.choice([name[:2], name[2:6], uscc]))
    search_ms = latencies(lambda q: client.get("/public/blacklist/?q=" + quote(q)), queries)
    api_ms = latencies(lambda q: client.get("/api/v1/public/blacklist/?q=" + quote(q)), queries)
    two_ms = latencies(lambda q: client.get("/api/v1/public/blacklist/?q=" + quote(q[:2])), queries)
    print(f"4. 单个企业分类解释 p95 {p95(explain_ms):.1f} ms（p50 {statistics.median(explain_ms):.1f}）")
    print(f"   公众信用档案页 p95 {p95(profile_ms):.1f} ms（p50 {statistics.median(profile_ms):.1f}）")
    print(f"   名单查询页（两字、四字、信用代码）p95 {p95(search_ms):.1f} ms（p50 {statistics.median(search_ms):.1f}）")
    print(f"   名单查询 API p95 {p95(api_ms):.1f} ms；仅两字名称 p95 {p95(two_ms):.1f} ms")
    scale = 10_000_000 / args.facts
    print(
        f"按信息量线性外推至 1,000,000 家 / 10,000,000 条：记录生成约 {t_records * scale / 60:.1f} 分钟，"
        f"全部重新分类约 {t_first * scale / 60:.1f} 分钟（首次）/ {t_steady * scale / 60:.1f} 分钟（稳定状态）"
    )


if __name__ == "__main__":
    main()

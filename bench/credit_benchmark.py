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

# The generation SQL (enterprises, facts of every kind credit scores, listings) is in core/scale.py and
# credit/scale.py, shared with `manage.py generate_scale`.
from credit.scale import KINDS, MARK  # noqa: E402

PROVINCES = ["430000", "440000", "510000", "320000", "420000", "330000"]


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
    from core.scale import bulk_load, create_enterprises
    from credit import scale

    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM core_enterprise WHERE uscc LIKE '92%%Y%%'")
        have_e = cur.fetchone()[0]
        # ref = MARK exactly: the incremental step's 1,000 facts (MARK-new-…) are not part of the data set
        cur.execute("SELECT count(*) FROM core_enterprisefact WHERE ref = %s", [scale.MARK])
        have_f = cur.fetchone()[0]
    if have_e == enterprises and have_f == facts:
        print(f"复用已有数据：企业 {enterprises:,} 家，涉企信息 {facts:,} 条")
        return
    if have_e or have_f:
        sys.exit("基准库中已有不同规模的数据：请删除数据库后重新运行")
    if not Region.objects.filter(level=RegionLevel.COUNTY).exists():
        call_command("load_reference_data", verbosity=0)
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cur, bulk_load(cur, ["core_enterprise", *scale.TABLES]):
        # USCCs '92' + county + 'Y' + series: a data set of its own, told apart from generate_scale's ('Z').
        create_enterprises(cur, enterprises, provinces=PROVINCES, uscc_prefix="92", mark="Y")
        cur.execute("SELECT min(id) FROM core_enterprise WHERE uscc LIKE '92%%Y%%'")
        first_id = cur.fetchone()[0]
        print(f"  企业 {enterprises:,} 家：{time.perf_counter() - started:.1f} 秒")
        step = time.perf_counter()
        scale.create_facts(cur, facts, first_id=first_id, enterprises=enterprises)
        print(f"  涉企信息 {facts:,} 条：{time.perf_counter() - step:.1f} 秒")
        step = time.perf_counter()
        listed = scale.create_listings(cur)  # 2 % of the enterprises: the public list the search reads
        print(f"  严重违法失信名单 {listed:,} 条：{time.perf_counter() - step:.1f} 秒")
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
    phases = parser.add_mutually_exclusive_group()
    phases.add_argument(
        "--only-pages",
        action="store_true",
        help="只测页面与查询延迟：复用已生成的数据、信用记录和分类，跳过第 1–3 步",
    )
    phases.add_argument("--no-pages", action="store_true", help="只做第 1–3 步（生成、归集、重新分类），不测页面")
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

    from core.audit import audit_context
    from credit.services.classes import recompute_classes
    from credit.services.records import take_up_facts

    build(args.enterprises, args.facts)
    if args.only_pages:
        measure_pages(args)
        return
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

    scale = 10_000_000 / args.facts
    print(
        f"按信息量线性外推至 1,000,000 家 / 10,000,000 条：记录生成约 {t_records * scale / 60:.1f} 分钟，"
        f"全部重新分类约 {t_first * scale / 60:.1f} 分钟（首次）/ {t_steady * scale / 60:.1f} 分钟（稳定状态）"
    )
    if not args.no_pages:
        measure_pages(args)


HEAVY_REF = MARK + "-heavy"
# The enterprise with many facts: 3,000 on top of its share, 1,500 of them public (results and penalties, a
# tenth of those already out of their period) — the page shows the newest 200 of what is public.
HEAVY_KINDS = [
    ("sampling.result_published", 1000, True),
    ("enforcement.penalty_published", 500, True),
    ("sampling.verdict_passed", 1500, False),
]


def heavy_enterprise() -> tuple[int, str]:
    """The first bench enterprise, given its 3,000 extra facts once (kept for later runs)."""
    from django.db import connection, transaction

    with connection.cursor() as cur:
        cur.execute("SELECT id, uscc FROM core_enterprise WHERE uscc LIKE '92%%Y%%' ORDER BY id LIMIT 1")
        eid, uscc = cur.fetchone()
        cur.execute("SELECT count(*) FROM core_enterprisefact WHERE ref = %s", [HEAVY_REF])
        if cur.fetchone()[0]:
            return eid, uscc
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("ALTER TABLE core_enterprisefact DISABLE TRIGGER USER")
        for kind, count, public in HEAVY_KINDS:
            public_sql = (
                "CASE WHEN g % 10 = 0 THEN d - 2000 ELSE d END, CASE WHEN g % 10 = 0 THEN d - 905 ELSE d + 1095 END"
                if public
                else "NULL, NULL"
            )
            cur.execute(
                f"""
                INSERT INTO core_enterprisefact (enterprise_id, uscc, region_code, kind, occurred_on, source_type,
                       source_id, source_label, ref, summary, data, public_from, public_until, recorded_at)
                SELECT e.id, e.uscc, e.region_id, %(kind)s, d, 'bench.heavy', g::text, 'H' || g, %(ref)s, '',
                       jsonb_build_object('verdict', 'fail', 'product_type', '电热水壶', 'decision_no', 'QCH' || g,
                                          'fine', '5000.00', 'violation_type', '产品质量',
                                          'authority', '市场监督管理局'),
                       {public_sql.replace("%", "%%")}, now()
                  FROM (SELECT g, current_date - (g %% 1000)::int AS d FROM generate_series(1, %(count)s) g) s,
                       core_enterprise e
                 WHERE e.id = %(eid)s
                """,
                {"kind": kind, "ref": HEAVY_REF, "count": count, "eid": eid},
            )
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cur.execute("ALTER TABLE core_enterprisefact ENABLE TRIGGER USER")
    with connection.cursor() as cur:
        cur.execute("ANALYZE core_enterprisefact")
    return eid, uscc


def measure_pages(args) -> None:
    """p50/p95/max of each page and API call (Django test client, in-process, DEBUG off), each URL set warmed
    first; the login page and the public home are the baseline of the same client."""
    from django.db import connection
    from django.test import Client

    from core.models import Enterprise
    from credit.models import Listing
    from credit.services.classes import explain

    n = args.requests
    rng = random.Random(7)
    heavy_id, heavy_uscc = heavy_enterprise()
    pairs = list(Enterprise.objects.filter(uscc__contains="Y").order_by("?").values_list("id", "uscc")[:n])
    names = list(Listing.objects.values_list("enterprise_name", "uscc")[:5000])
    picks = [rng.choice(names) for _i in range(n)]
    client = Client()

    def get(url: str) -> None:
        response = client.get(url)
        if response.status_code != 200:
            sys.exit(f"{url}：HTTP {response.status_code}")

    def row(label: str, fn, items) -> None:
        for item in items[:5]:
            fn(item)
        captured = []  # a wrapper, not CaptureQueriesContext: each request start resets the query log
        with connection.execute_wrapper(lambda execute, sql, *rest: captured.append(sql) or execute(sql, *rest)):
            fn(items[0])
        ms = latencies(fn, items)
        print(
            f"   {label:<44} p50 {statistics.median(ms):7.1f}  p95 {p95(ms):7.1f}  max {max(ms):7.1f} ms"
            f"  （{len(captured)} 条查询）"
        )

    print(f"4. 延迟（每项 {n} 次顺序请求，进程内 Django 测试客户端，DEBUG 关闭）")
    row("基线：登录页 /accounts/login/", get, ["/accounts/login/"] * n)
    row("基线：公众首页 /public/", get, ["/public/"] * n)
    row("企业分类解释 explain()（员工分类页数据）", lambda pair: explain(Enterprise(pk=pair[0])), pairs)
    row("信用档案：平均企业", lambda pair: get(f"/public/enterprises/{pair[1]}/"), pairs)
    row("信用档案：3,000 条信息的企业", get, [f"/public/enterprises/{heavy_uscc}/"] * n)
    row("名单查询页：无条件（第 1 页）", get, ["/public/blacklist/"] * n)
    for label, part in (
        ("两字名称", lambda name, uscc: name[:2]),
        ("四字名称", lambda name, uscc: name[2:6]),
        ("统一社会信用代码", lambda name, uscc: uscc),
    ):
        queries = [quote(part(name, uscc)) for name, uscc in picks]
        row(f"名单查询页：{label}", lambda q: get("/public/blacklist/?q=" + q), queries)
        row(f"名单查询 API：{label}", lambda q: get("/api/v1/public/blacklist/?q=" + q), queries)


if __name__ == "__main__":
    main()

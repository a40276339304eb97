r"""Benchmark of early warning: every signal over the bench data set (2 million batches) and 1 million ledger facts.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/qp_bench \
        .venv/bin/python bench/warnings_benchmark.py --batches 2000000 --facts 1000000

Builds the batches with bench/dataset.py (reused when present), then — unless the bench facts already number
--facts — generates the facts in SQL (INSERT … SELECT generate_series): a verdict_failed fact per failed bench
batch (with its product type and failed items), then complaints, defect reports and overdue facts
(rectification, fines, recall reports) spread over the bench enterprises and 2019–2026, with a few planted
clusters. Then it times ``credit.warnings.evaluation.evaluate`` for --period (default 2025) per signal, twice
(the second run updates the same warnings), and prints the warnings raised per signal. Aim: under 60 s.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
sys.path.insert(0, str(BASE_DIR / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quality_platform.settings.dev")

AIM_SECONDS = 60.0
FACT_SOURCE = "bench.fact"  # source_type of the generated facts (other than the per-batch failures)


def bench_facts(cursor) -> int:
    cursor.execute(
        "SELECT count(*) FROM core_enterprisefact WHERE source_type IN (%s, 'sampling.sample')", [FACT_SOURCE]
    )
    return cursor.fetchone()[0]


def build_facts(total: int, *, force: bool = False) -> None:
    from django.db import connection, transaction

    from credit.scale import insert_facts

    with connection.cursor() as cur:
        existing = bench_facts(cur)
    if existing and abs(existing - total) < total * 0.05 and not force:
        print(f"复用已有涉企信息：{existing:,} 条")
        return
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cur:
        # The ledger is insert-only for rows (triggers refuse UPDATE/DELETE); TRUNCATE empties the bench copy.
        cur.execute("TRUNCATE core_enterprisefact CASCADE")
        cur.execute("SELECT setseed(0.2026)")
        cur.execute(
            """
            INSERT INTO core_enterprisefact (enterprise_id, uscc, region_code, kind, occurred_on, source_type,
                   source_id, source_label, ref, summary, data, recorded_at)
            SELECT s.enterprise_id, e.uscc, s.region_id, 'sampling.verdict_failed', s.sampled_on, 'sampling.sample',
                   s.id::text, s.sample_no, '', '',
                   jsonb_build_object('sample_no', s.sample_no, 'product_type_id', s.product_type_id,
                                      'product_type', p.name, 'failed_items', to_jsonb(coalesce(r.failed_items, '{}'))),
                   now()
              FROM sampling_sample s
              JOIN core_enterprise e ON e.id = s.enterprise_id
              JOIN core_producttype p ON p.id = s.product_type_id
              LEFT JOIN sampling_testresult r ON r.sample_id = s.id AND NOT r.is_retest
             WHERE s.final_verdict = 'fail'
            """
        )
        failures = cur.rowcount
        remaining = max(total - failures, 0)
        cur.execute("SELECT count(*), min(id) FROM core_enterprise")
        enterprises, first_id = cur.fetchone()
        # Complaints 55 %, defect reports 30 %, overdue facts 15 % of the rest; dates over 2019–2026.
        plan = [
            ("enforcement.complaint_received", int(remaining * 0.55)),
            ("recalls.defect_report_received", int(remaining * 0.30)),
            ("sampling.rectification_overdue", int(remaining * 0.05)),
            ("enforcement.fine_overdue", int(remaining * 0.05)),
        ]
        plan.append(("recalls.report_late", remaining - sum(count for _kind, count in plan)))
        for kind, count in plan:
            insert_facts(
                cur,
                kind=kind,
                count=count,
                offset=0,
                first_id=first_id,
                enterprises=enterprises,
                data_sql="jsonb_build_object('brand', (ARRAY['美好','家乐','童趣','安心','优品','雅居'])[1 + g % 6], "
                "'model', 'M-' || (g % 20000), 'product', '产品' || (g % 500), 'due_on', '2025-01-01')",
                date_sql="DATE '2019-01-01' + ((g * 7 + (random() * 2900)::int) % 2900)::int",
                stride=7919,
                source_type=FACT_SOURCE,
                ref="",
            )
        # Planted clusters: 12 complaints on one model in 2025-06, and one enterprise late on everything in 2025.
        cur.execute(
            """
            INSERT INTO core_enterprisefact (enterprise_id, uscc, region_code, kind, occurred_on, source_type,
                   source_id, source_label, ref, summary, data, recorded_at)
            SELECT e.id, e.uscc, e.region_id, k.kind, DATE '2025-06-01' + g, %(source)s, 'planted-' || k.kind || g,
                   '', '', '', jsonb_build_object('brand', '雪花', 'model', 'XH-200', 'product', '电热水壶'), now()
              FROM (SELECT * FROM core_enterprise ORDER BY id LIMIT 1) e
             CROSS JOIN generate_series(1, 12) g
             CROSS JOIN (VALUES ('enforcement.complaint_received')) k(kind)
            UNION ALL
            SELECT e.id, e.uscc, e.region_id, k.kind, DATE '2025-03-01' + g * 20, %(source)s, 'planted-' || k.kind || g,
                   '', '', '', '{}'::jsonb, now()
              FROM (SELECT * FROM core_enterprise ORDER BY id OFFSET 1 LIMIT 1) e
             CROSS JOIN generate_series(1, 2) g
             CROSS JOIN (VALUES ('sampling.rectification_overdue'), ('enforcement.fine_overdue'),
                                ('recalls.report_late')) k(kind)
            """,
            {"source": FACT_SOURCE},
        )
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE core_enterprisefact")
        print(
            f"已生成涉企信息：{bench_facts(cur):,} 条（其中不合格 {failures:,} 条），"
            f"用时 {time.perf_counter() - started:.1f} 秒"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--batches", type=int, default=2_000_000)
    parser.add_argument("--facts", type=int, default=1_000_000)
    parser.add_argument("--period", default="2025")
    parser.add_argument("--force", action="store_true", help="重新生成涉企信息")
    args = parser.parse_args()
    from dataset import build, describe, require_bench_database

    require_bench_database()
    import django

    django.setup()
    from django.db import connection

    from core.reports.periods import Period
    from credit.models_warnings import EarlyWarning
    from credit.warnings.evaluation import evaluate
    from credit.warnings.tests.data import ensure_fact_kinds

    build(args.batches)
    describe()
    build_facts(args.facts, force=args.force)
    ensure_fact_kinds()
    EarlyWarning.objects.all().delete()
    period = Period.parse(args.period)
    print(f"评估期间 {period}；机器负载 {os.getloadavg()[0]:.1f}")
    for run in (1, 2):
        started = time.perf_counter()
        result = evaluate(period=period)
        elapsed = time.perf_counter() - started
        per_signal = {}
        for warning, _created in result.warnings:
            per_signal[warning.signal] = per_signal.get(warning.signal, 0) + 1
        print(f"第 {run} 次：共 {elapsed:.1f} 秒，预警 {len(result.warnings)} 条（新增 {result.created}）")
        for code, seconds in result.timings.items():
            print(f"  {code:<24}{seconds:>8.2f} 秒{per_signal.get(code, 0):>8} 条")
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM core_enterprisefact")
        facts = cur.fetchone()[0]
    verdict = "达标" if elapsed < AIM_SECONDS else "未达标"
    print(f"涉企信息 {facts:,} 条；目标 < {AIM_SECONDS:.0f} 秒：{verdict}")


if __name__ == "__main__":
    main()

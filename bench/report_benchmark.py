r"""Benchmark of the annual pass-rate report on a large data set.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/qp_bench \
        .venv/bin/python bench/report_benchmark.py --batches 2000000

Builds (or reuses, when the batch count matches) a synthetic data set in a dedicated database — the name
must contain "bench" — with INSERT ... SELECT generate_series, then times the national annual report and
prints wall time and peak memory of each step: query (SQL aggregation), shaping (pandas), rendering
(charts, HTML, WeasyPrint PDF). Aim: under 10 s and 500 MB in all.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quality_platform.settings.dev")

FAILED_ITEMS = [
    "标志和说明", "输入功率和电流", "发热", "接地措施", "电源连接和外部软线", "结构", "耐热和耐燃",
    "甲醛含量", "pH 值", "色牢度", "纤维含量", "抗冲击性能", "涂层附着力", "有效利用系数", "重金属含量",
]  # fmt: skip


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build_data(batches: int, year: int) -> None:
    """Synthetic enterprises, tasks, samples (half of them in the report year) and failed results."""
    from django.core.management import call_command
    from django.db import connection

    from core.models import ProductType, Region, RegionLevel
    from sampling.models import Sample

    # Reuse only this script's own data set: another one of the same size (bench/dataset.py: 2019–2026, no
    # batch in 2017) would be reported on instead of the one described above.
    own = Sample.objects.filter(task__code__startswith="BENCH-", sample_no__startswith="S").count()
    total = Sample.objects.count()
    if own == batches == total:
        print(f"复用已有数据：{batches:,} 批次")
        return
    if total:
        print(f"库中的 {total:,} 批次（本脚本生成的 {own:,} 批次）不是所需的数据集：清空后重新生成 {batches:,} 批次")
    started = time.perf_counter()
    if not Region.objects.filter(level=RegionLevel.COUNTY).exists() or not ProductType.objects.exists():
        call_command("load_reference_data", verbosity=0)
    enterprises = max(batches // 10, 100)
    with connection.cursor() as cur:
        # Bulk load without the audit triggers (a bench database is not an audited record).
        cur.execute("SET session_replication_role = replica")
        cur.execute(
            "TRUNCATE sampling_itemresult, sampling_testresult, sampling_sample_inspectors, sampling_sample, "
            "sampling_samplingtask_product_types, sampling_samplingtask, core_enterprise CASCADE"
        )
        cur.execute(
            "CREATE TEMP TABLE bench_county AS SELECT row_number() OVER (ORDER BY code) - 1 AS n, code, zone "
            "FROM core_region WHERE level = 'county' AND is_active"
        )
        cur.execute("CREATE TEMP TABLE bench_type AS SELECT row_number() OVER (ORDER BY id) - 1 AS n, id FROM "
                    "core_producttype")  # fmt: skip
        cur.execute("SELECT count(*) FROM bench_county")
        counties = cur.fetchone()[0]
        cur.execute("SELECT count(*) FROM bench_type")
        types = cur.fetchone()[0]
        cur.execute("SELECT min(id) FROM core_institution")
        institution = cur.fetchone()[0]
        cur.execute(
            """
            INSERT INTO core_enterprise (name, uscc, legal_representative, address, region_id, industry, size,
                                         status, credit_class, created_at, updated_at)
            SELECT '基准测试企业' || g || '有限公司', '91' || lpad(g::text, 16, '0'), '', '', c.code, '',
                   (ARRAY['large','medium','small','small','micro','micro'])[1 + g %% 6], 'active', '', now(), now()
              FROM generate_series(0, %s - 1) g JOIN bench_county c ON c.n = g %% %s
            """,
            [enterprises, counties],
        )
        cur.execute(
            """
            INSERT INTO sampling_samplingtask (code, name, level, year, batch, region_id, target_batches,
                                               status, created_at)
            SELECT 'BENCH-' || y || '-' || t, y || '年基准测试抽查任务' || t, 'province', y, '', '430000', 1,
                   'completed', now()
              FROM generate_series(%s, %s) y, generate_series(1, 40) t
            """,
            [year - 4, year],
        )
        cur.execute(
            "CREATE TEMP TABLE bench_enterprise AS SELECT row_number() OVER (ORDER BY id) - 1 AS n, id, region_id, "
            "size FROM core_enterprise"
        )
        cur.execute("CREATE UNIQUE INDEX ON bench_enterprise (n)")
        cur.execute("CREATE TEMP TABLE bench_task AS SELECT year, array_agg(id ORDER BY id) AS ids "
                    "FROM sampling_samplingtask GROUP BY year")  # fmt: skip
        # Half of the batches in the report year, a fifth the year before, a tenth in each earlier year.
        # The failure chance varies with the product type, the zone and the enterprise size.
        cur.execute(
            """
            INSERT INTO sampling_sample (task_id, sample_no, enterprise_id, product_type_id, brand, model_spec,
                   production_batch, stage, place, sampled_on, quantity, region_id, zone, enterprise_size, year,
                   final_verdict, is_published, created_at, updated_at)
            SELECT t.ids[1 + g %% 40], 'S' || lpad(g::text, 9, '0'), e.id, ty.id, '', 'M-' || (g %% 97), '',
                   (ARRAY['production','circulation','ecommerce'])[1 + g %% 3], '',
                   make_date(s.y, 1, 1) + (g %% 365), '2', e.region_id, c.zone, e.size, s.y,
                   CASE WHEN ((g * 2654435761::bigint) %% 1000)
                             < 40 + (ty.n %% 9) * 10 + CASE c.zone WHEN 'east' THEN 10 ELSE 0 END
                               + CASE e.size WHEN 'micro' THEN 30 WHEN 'large' THEN -20 ELSE 0 END
                        THEN 'fail' ELSE 'pass' END,
                   false, now(), now()
              FROM (SELECT g, CASE WHEN g %% 10 < 5 THEN %s WHEN g %% 10 < 7 THEN %s
                                   ELSE %s - 2 - (g %% 10 - 7) %% 3 END AS y
                      FROM generate_series(0, %s - 1) g) s
              JOIN bench_enterprise e ON e.n = (s.g::bigint * 7919) %% %s
              JOIN bench_county c ON c.code = e.region_id
              JOIN bench_type ty ON ty.n = s.g %% %s
              JOIN bench_task t ON t.year = s.y
            """,
            [year, year - 1, year, batches, enterprises, types],
        )
        cur.execute(
            """
            INSERT INTO sampling_testresult (sample_id, is_retest, report_no, institution_id, tested_on, verdict,
                   failed_items, is_confirmed, status, updated_at)
            SELECT s.id, false, 'R' || s.sample_no, %s, s.sampled_on, 'fail',
                   ARRAY[(%s::text[])[1 + s.id %% 15]] || CASE WHEN s.id %% 4 = 0
                        THEN ARRAY[(%s::text[])[1 + (s.id / 7) %% 15]] ELSE ARRAY[]::text[] END,
                   true, 'confirmed', now()
              FROM sampling_sample s WHERE s.final_verdict = 'fail'
            """,
            [institution, FAILED_ITEMS, FAILED_ITEMS],
        )
        # The tasks' progress counters: the sample triggers were off (replica), one grouped UPDATE fills them.
        from sampling import progress

        progress.recount(cur)
        cur.execute("SET session_replication_role = DEFAULT")
        cur.execute("ANALYZE core_enterprise; ANALYZE sampling_sample; ANALYZE sampling_testresult")
    print(f"已生成数据：{enterprises:,} 家企业，{batches:,} 批次，用时 {time.perf_counter() - started:.1f} 秒")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--batches", type=int, default=2_000_000)
    parser.add_argument("--year", type=int, default=2017)
    parser.add_argument("--jurisdiction", default="000000", help="统计范围（默认全国）")
    parser.add_argument("--output", default="", help="把生成的 PDF 另存到此文件")
    parser.add_argument(
        "--cold",
        action="store_true",
        help="不预热：把导入 WeasyPrint/matplotlib 等一次性开销也计入（默认按常驻 worker 计时）",
    )
    parser.add_argument(
        "--existing",
        action="store_true",
        help="不生成数据：对库中已有的数据出报告（如 manage.py generate_scale 生成的全国数据集，--year 取其中年度）",
    )
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL", "")
    if "bench" not in url.rsplit("/", 1)[-1]:
        sys.exit(
            "请用专用的基准测试数据库（库名含 bench），例如 DATABASE_URL=postgres://postgres@127.0.0.1:5432/qp_bench"
        )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    if not args.existing:
        build_data(args.batches, args.year)

    from django.db import connection

    from core.models import Region
    from core.reports import pipeline
    from core.reports.periods import Period
    from core.reports.registry import get_kind
    from sampling.models import Sample

    kind = get_kind("pass_rate")
    period = Period.parse(str(args.year))
    region = Region.objects.get(code=args.jurisdiction)
    connection.ensure_connection()
    if not args.cold:
        # A Celery worker has imported WeasyPrint, matplotlib and pandas and loaded the CJK font already:
        # warm up with a one-county report so the figures below are those of a running worker.
        county = Region.objects.filter(code__in=Sample.objects.values("region_id")[:1]).first() or region
        pipeline.render_pdf(kind, pipeline.build_snapshot(kind, period, county))
    timer = pipeline.StepTimer()
    rss: dict[str, float] = {"start": peak_rss_mb()}
    cpu_started = time.process_time()
    started = time.perf_counter()
    with timer.step("query"):
        rows = kind.query(period, region)
    rss["query"] = peak_rss_mb()
    with timer.step("shaping"):
        snapshot = kind.shape(rows, period, region)
        snapshot["meta"] = pipeline.report_meta(kind, period, region)
    rss["shaping"] = peak_rss_mb()
    pdf = pipeline.render_pdf(kind, snapshot, timer)
    rss["rendering"] = peak_rss_mb()
    total = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    if args.output:
        Path(args.output).write_bytes(pdf)

    totals = snapshot["totals"]
    print(f"报告：{snapshot['meta']['title']}（{totals['batches']:,} 批次，合格率 {totals['pass_rate']}%）")
    print(f"PDF：{len(pdf):,} 字节")
    print(f"{'步骤':<10}{'用时（秒）':>10}{'进程峰值内存（MB）':>20}")
    for step in ("query", "shaping", "rendering"):
        print(f"{step:<12}{timer.seconds[step]:>10.2f}{rss[step]:>22.0f}")
    print(f"{'total':<12}{total:>10.2f}{max(rss.values()):>22.0f}")
    print(f"（本进程 CPU 时间 {cpu:.2f} 秒，不含 PostgreSQL；机器负载 {os.getloadavg()[0]:.1f}）")
    print(f"目标：< 10 秒、< 500 MB —— {'达到' if total < 10 and max(rss.values()) < 500 else '未达到'}")


if __name__ == "__main__":
    main()

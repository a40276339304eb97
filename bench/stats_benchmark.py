r"""Benchmark of the pass-rate statistics against the same GROUP BY run directly in SQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/qp_bench \
        .venv/bin/python bench/stats_benchmark.py --batches 2000000

On the data set of bench/dataset.py (built first when missing), for by = region, group and zone, times
  - what `sampling_stats --by X` computes: sampling.statistics.pass_rate_rows(by=X) + pass_rate_total(),
  - the command itself (call_command("sampling_stats", "--by", X, "--json"), stdout captured),
  - the equivalent hand-written GROUP BY through a cursor (the faster of two forms: the raw figure the aim
    compares with),
  - that GROUP BY plus the hand-written total (the command prints rows and a total),
  - sampling.statistics.pass_rate_table(by=X): rows and total from one scan,
each --repeat times (median printed), and checks that the figures agree. Aim: within 1.5x of raw SQL.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
sys.path.insert(0, str(BASE_DIR / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quality_platform.settings.dev")

AIM_RATIO = 1.5

# Two hand-written forms per grouping: the direct GROUP BY through the joins, and aggregate-by-code then
# join the names. The faster of the two (median) is the raw-SQL figure the aim compares with.
RAW_SQL = {
    "region": [
        """
        SELECT s.region_id, r.name, count(*), count(*) FILTER (WHERE s.final_verdict = 'pass')
          FROM sampling_sample s JOIN core_region r ON r.code = s.region_id
         WHERE s.final_verdict IN ('pass', 'fail')
         GROUP BY s.region_id, r.name
        """,
        """
        SELECT a.region_id, r.name, a.batches, a.passed
          FROM (SELECT region_id, count(*) AS batches, count(*) FILTER (WHERE final_verdict = 'pass') AS passed
                  FROM sampling_sample WHERE final_verdict IN ('pass', 'fail') GROUP BY region_id) a
          JOIN core_region r ON r.code = a.region_id
        """,
    ],
    "group": [
        """
        SELECT g.name, count(*), count(*) FILTER (WHERE s.final_verdict = 'pass')
          FROM sampling_sample s
          JOIN core_producttype p ON p.id = s.product_type_id
          JOIN core_productgroup g ON g.id = p.group_id
         WHERE s.final_verdict IN ('pass', 'fail')
         GROUP BY g.name
        """,
        """
        SELECT g.name, sum(a.batches)::bigint, sum(a.passed)::bigint
          FROM (SELECT product_type_id, count(*) AS batches,
                       count(*) FILTER (WHERE final_verdict = 'pass') AS passed
                  FROM sampling_sample WHERE final_verdict IN ('pass', 'fail') GROUP BY product_type_id) a
          JOIN core_producttype p ON p.id = a.product_type_id
          JOIN core_productgroup g ON g.id = p.group_id
         GROUP BY g.name
        """,
    ],
    "zone": [
        """
        SELECT s.zone, count(*), count(*) FILTER (WHERE s.final_verdict = 'pass')
          FROM sampling_sample s
         WHERE s.final_verdict IN ('pass', 'fail')
         GROUP BY s.zone
        """,
    ],
}
RAW_TOTAL = """
    SELECT count(*), count(*) FILTER (WHERE final_verdict = 'pass')
      FROM sampling_sample WHERE final_verdict IN ('pass', 'fail')
"""


def median_seconds(func, repeat: int) -> tuple[float, object]:
    times = []
    result = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--batches", type=int, default=2_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--by", nargs="*", default=["region", "group", "zone"], choices=sorted(RAW_SQL))
    args = parser.parse_args()
    from dataset import build, describe, require_bench_database

    require_bench_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from sampling.statistics import pass_rate_rows, pass_rate_table, pass_rate_total

    build(args.batches)
    describe()

    def raw(sql: str):
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchall()

    def command(by: str):
        out = io.StringIO()
        call_command("sampling_stats", "--by", by, "--json", stdout=out)
        return json.loads(out.getvalue())

    # Warm the buffer cache once so every variant reads the same warm pages.
    raw(RAW_TOTAL)
    print(f"每项重复 {args.repeat} 次，取中位数（秒）；机器负载 {os.getloadavg()[0]:.1f}")
    print(
        f"{'分组':<8}{'原生SQL':>9}{'SQL+合计':>10}{'函数×2':>10}{'单次扫描':>10}{'命令':>10}"
        f"{'函数×2/SQL':>12}{'单次/SQL':>10}{'命令/SQL':>10}"
    )
    missed = []
    for by in args.by:
        variants = [median_seconds(lambda sql=sql: raw(sql), args.repeat) for sql in RAW_SQL[by]]
        raw_s, raw_rows = min(variants, key=lambda pair: pair[0])
        fastest = RAW_SQL[by][variants.index((raw_s, raw_rows))]
        raw_total_s, _ = median_seconds(lambda sql=fastest: (raw(sql), raw(RAW_TOTAL)), args.repeat)
        func_s, (rows, total) = median_seconds(lambda by=by: (pass_rate_rows(by=by), pass_rate_total()), args.repeat)
        table_s, (table_rows, table_total) = median_seconds(lambda by=by: pass_rate_table(by=by), args.repeat)
        command_s, payload = median_seconds(lambda by=by: command(by), args.repeat)
        # Same figures every way.
        assert sum(row[-2] for row in raw_rows) == total["batches"] == payload[-1]["batches"] == table_total["batches"]
        assert sum(row[-1] for row in raw_rows) == total["passed"] == sum(r["passed"] for r in rows)
        assert len(raw_rows) == len(rows) == len(table_rows) == len(payload) - 1
        command_ratio = command_s / raw_s
        print(
            f"{by:<10}{raw_s:>9.3f}{raw_total_s:>10.3f}{func_s:>12.3f}{table_s:>12.3f}{command_s:>10.3f}"
            f"{func_s / raw_s:>12.2f}{table_s / raw_s:>10.2f}{command_ratio:>10.2f}"
        )
        if command_ratio > AIM_RATIO:
            missed.append(by)
    print(
        f"目标：统计（命令）在原生 SQL 的 {AIM_RATIO} 倍以内 —— {'未达到：' + '、'.join(missed) if missed else '达到'}"
    )


if __name__ == "__main__":
    main()

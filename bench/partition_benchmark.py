"""Does partitioning the sampled batches by year pay? A plain table against a PARTITION BY RANGE (year) copy.

    .venv/bin/python bench/partition_benchmark.py --rows 2000000 --database postgres://postgres@127.0.0.1:5432/qp_multi_bench

Builds, in its own database (created if missing; nothing of the platform's schema is touched), a table shaped like
``sampling_sample`` for the columns the statistics and lists read (year, sampled_on, region, product type, zone,
size, stage, verdict, plus ~150 bytes of the other columns), generated in SQL over ten years, with the same indexes
the platform has; then the same rows in a copy partitioned by year (one partition a year, the indexes on each).
Times, median of --repeat runs each, warm cache:

* year-scoped statistics: one year's pass rate by product type (the dashboard, the annual report's grain);
* year-scoped list: one province's newest 20 batches of a year (the staff list within a year);
* full-scan statistics: every year by product type (the year-on-year table);
* dropping a year: DELETE of the oldest year against DROP of its partition (archiving).
"""

from __future__ import annotations

import argparse
import statistics
import time

import psycopg

YEARS = list(range(2017, 2027))
COLUMNS = """
    id bigint NOT NULL, year integer NOT NULL, sampled_on date NOT NULL, region_id varchar(6) NOT NULL,
    product_type_id integer NOT NULL, zone varchar(10) NOT NULL, enterprise_size varchar(10) NOT NULL,
    stage varchar(16) NOT NULL, final_verdict varchar(8) NOT NULL, other text NOT NULL
"""
QUERIES = {
    "year-scoped statistics (one year by product type)": """
        SELECT product_type_id, count(*), count(*) FILTER (WHERE final_verdict = 'pass') FROM {t}
         WHERE final_verdict IN ('pass', 'fail') AND year = 2024 GROUP BY 1""",
    "year-scoped list (a province's newest 20 of a year)": """
        SELECT id, sampled_on, region_id FROM {t} WHERE year = 2024 AND region_id LIKE '43%%'
         ORDER BY sampled_on DESC, id DESC LIMIT 20""",
    "full-scan statistics (every year by product type)": """
        SELECT year, product_type_id, count(*), count(*) FILTER (WHERE final_verdict = 'pass') FROM {t}
         WHERE final_verdict IN ('pass', 'fail') GROUP BY 1, 2""",
}


def ensure_database(url: str) -> None:
    base, name = url.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE template0 ENCODING UTF8')


def build(conn, rows: int) -> None:
    exists = conn.execute("SELECT to_regclass('bench_sample')").fetchone()[0]
    if exists and conn.execute("SELECT count(*) FROM bench_sample").fetchone()[0] == rows:
        return
    conn.execute("DROP TABLE IF EXISTS bench_sample, bench_sample_part CASCADE")
    conn.execute(f"CREATE TABLE bench_sample ({COLUMNS}, PRIMARY KEY (id))")
    # Ten years, 3,000 counties under 31 provinces, 800 product types, ~8 % failed, a few unjudged.
    conn.execute(
        """
        INSERT INTO bench_sample
        SELECT g, 2017 + (g %% 10), make_date(2017 + (g %% 10), 1, 1) + ((g / 10) %% 365),
               lpad((11 + (g * 7) %% 31)::text, 2, '0') || lpad(((g * 13) %% 100)::text, 2, '0') || '01',
               1 + (g * 31) %% 800, (ARRAY['east', 'central', 'west'])[1 + g %% 3],
               (ARRAY['large', 'medium', 'small', 'micro'])[1 + (g / 3) %% 4],
               (ARRAY['production', 'circulation', 'ecommerce'])[1 + (g / 7) %% 3],
               CASE WHEN g %% 97 = 0 THEN '' WHEN g %% 13 = 0 THEN 'fail' ELSE 'pass' END,
               repeat('x', 150)
          FROM generate_series(1, %s) g
        """,
        [rows],
    )
    conn.execute(f"CREATE TABLE bench_sample_part ({COLUMNS}, PRIMARY KEY (id, year)) PARTITION BY RANGE (year)")
    for year in YEARS:
        conn.execute(
            f"CREATE TABLE bench_sample_{year} PARTITION OF bench_sample_part FOR VALUES FROM ({year}) TO ({year + 1})"
        )
    conn.execute("INSERT INTO bench_sample_part SELECT * FROM bench_sample")
    for table in ("bench_sample", "bench_sample_part"):
        conn.execute(f"CREATE INDEX ON {table} (year, final_verdict)")
        conn.execute(f"CREATE INDEX ON {table} (region_id varchar_pattern_ops, sampled_on DESC, id DESC)")
        conn.execute(f"CREATE INDEX ON {table} (year, region_id varchar_pattern_ops, sampled_on DESC, id DESC)")
    conn.execute("VACUUM ANALYZE bench_sample")
    conn.execute("VACUUM ANALYZE bench_sample_part")


def build_ordered(conn) -> None:
    """The plain table with its rows in date order, as batches arrive in practice (a year's rows on adjacent pages);
    ``bench_sample`` interleaves the years on every page, the worst case for a plain table."""
    rows = conn.execute("SELECT count(*) FROM bench_sample").fetchone()[0]
    exists = conn.execute("SELECT to_regclass('bench_sample_ordered')").fetchone()[0]
    if exists and conn.execute("SELECT count(*) FROM bench_sample_ordered").fetchone()[0] == rows:
        return
    conn.execute("DROP TABLE IF EXISTS bench_sample_ordered")
    conn.execute(f"CREATE TABLE bench_sample_ordered ({COLUMNS}, PRIMARY KEY (id))")
    conn.execute("INSERT INTO bench_sample_ordered SELECT * FROM bench_sample ORDER BY sampled_on, id")
    conn.execute("CREATE INDEX ON bench_sample_ordered (year, final_verdict)")
    conn.execute("CREATE INDEX ON bench_sample_ordered (region_id varchar_pattern_ops, sampled_on DESC, id DESC)")
    conn.execute("CREATE INDEX ON bench_sample_ordered (year, region_id varchar_pattern_ops, sampled_on DESC, id DESC)")
    conn.execute("VACUUM ANALYZE bench_sample_ordered")


def timed(conn, sql: str, repeat: int) -> float:
    conn.execute(sql).fetchall()  # warm
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        conn.execute(sql).fetchall()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs) * 1000


def drop_year(conn) -> tuple[float, float]:
    with conn.transaction():
        start = time.perf_counter()
        conn.execute("DELETE FROM bench_sample WHERE year = 2017")
        delete_ms = (time.perf_counter() - start) * 1000
        start = time.perf_counter()
        conn.execute("ALTER TABLE bench_sample_part DETACH PARTITION bench_sample_2017")
        conn.execute("DROP TABLE bench_sample_2017")
        drop_ms = (time.perf_counter() - start) * 1000
        raise psycopg.Rollback()
    return delete_ms, drop_ms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/qp_multi_bench")
    args = parser.parse_args()
    ensure_database(args.database)
    with psycopg.connect(args.database, autocommit=True) as conn:
        start = time.perf_counter()
        build(conn, args.rows)
        build_ordered(conn)
        print(f"{args.rows:,} rows over {len(YEARS)} years ready in {time.perf_counter() - start:.0f} s")
        conn.execute("SET jit = off")
        conn.execute("SET work_mem = '64MB'")
        # plain: years interleaved on every page; in order: plain, rows in date order (as in practice).
        print(f"{'query (median ms)':<55}{'plain':>9}{'in order':>10}{'by year':>9}{'by year / in order':>20}")
        for label, sql in QUERIES.items():
            plain, ordered, part = (
                timed(conn, sql.format(t=table).replace("%%", "%"), args.repeat)
                for table in ("bench_sample", "bench_sample_ordered", "bench_sample_part")
            )
            print(f"{label:<55}{plain:>9.1f}{ordered:>10.1f}{part:>9.1f}{part / ordered:>20.2f}")
        delete_ms, drop_ms = drop_year(conn)
        label = "remove the oldest year (DELETE vs DETACH + DROP)"
        print(f"{label:<55}{delete_ms:>10.1f}{drop_ms:>12.1f}{drop_ms / delete_ms:>8.3f}")


if __name__ == "__main__":
    main()

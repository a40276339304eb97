"""Enforcement at scale: N cases generated in SQL (INSERT … SELECT generate_series), then

- a baseline: the login page through the same in-process client, so that the ratios are visible;
- the case list (all, page 5, open, two searches) and the overdue list of a provincial and a county leader:
  queries per page at 20 and 100 rows (must be equal) and p50/p95/max of the page in ms at both sizes (in-process
  test client, DEBUG off); ``--explain`` prints EXPLAIN (ANALYZE, BUFFERS) of every read of each page;
- the case report (``enforcement_cases``, the province's annual and quarterly report): query, shaping and PDF
  rendering seconds through the report pipeline.

Refuses to run unless the database name contains "bench". Usage:

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/qp_casebench
    .venv/bin/python scripts/ensure_database.py && .venv/bin/python manage.py migrate
    .venv/bin/python manage.py load_reference_data
    .venv/bin/python bench/enforcement_benchmark.py --cases 100000 --requests 50
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quality_platform.settings.dev")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def generate(n: int) -> None:
    """Cases BENCH-1 … BENCH-n in SQL (enforcement/scale.py, shared with `manage.py generate_scale`)."""
    from core.scale import bulk_load
    from enforcement import scale
    from enforcement.models import Case

    existing = Case.objects.filter(case_no__startswith=scale.CASE_PREFIX).count()
    if existing >= n:
        print(f"data set: {existing} bench cases already there")
        return
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor, bulk_load(cursor, scale.TABLES):
        scale.create_cases(cursor, existing + 1, n, county_prefix="43")  # Hunan's counties
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE enforcement_case")
    print(f"generated {n - existing} cases in {time.perf_counter() - started:.1f} s")


def leader(code: str = "430000"):
    from core.models import Region, Role, User

    username = "bench_hn_leader" if code == "430000" else f"bench_leader_{code}"
    user, _created = User.objects.get_or_create(
        username=username, defaults={"role": Role.LEADER, "jurisdiction": Region.objects.get(code=code)}
    )
    return user


def time_page(client: Client, url: str, requests: int) -> tuple[float, float, float]:
    for _ in range(3):
        client.get(url)
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))], times[-1]


def captured(client: Client, url: str) -> list[dict]:
    client.get(url)  # not counted: the first request after signing in renews the session (once a minute)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return queries.captured_queries


def explain(queries: list[dict]) -> None:
    """EXPLAIN (ANALYZE, BUFFERS) of each read the page ran (the session and user reads included)."""
    with connection.cursor() as cursor:
        for query in queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            print("  " + sql[:300])
            for (line,) in cursor.fetchall():
                print("    " + line)


SEARCH_NARROW = "/enforcement/cases/?state=all&q=%E5%9F%BA%E5%87%86%E4%BC%81%E4%B8%9A123"  # 基准企业123: 555 cases
SEARCH_BROAD = "/enforcement/cases/?state=all&q=%E5%9F%BA%E5%87%86"  # 基准: every case
PAGES = {
    "430000": (
        ("case list, all", "/enforcement/cases/?state=all"),
        ("case list, all, page 5", "/enforcement/cases/?state=all&page=5"),
        ("case list, open (default)", "/enforcement/cases/"),
        ("overdue list", "/enforcement/cases/overdue/"),
        ("overdue list, page 5", "/enforcement/cases/overdue/?page=5"),
        ("case list, search 基准企业123", SEARCH_NARROW),
        ("case list, search 基准 (all match)", SEARCH_BROAD),
    ),
    "430102": (
        ("county: case list, all", "/enforcement/cases/?state=all"),
        ("county: overdue list", "/enforcement/cases/overdue/"),
    ),
}
SIZES = (20, 100)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN (ANALYZE, BUFFERS) of each page's reads")
    parser.add_argument("--no-report", action="store_true", help="skip the case report")
    args = parser.parse_args()
    if "bench" not in settings.DATABASES["default"]["NAME"]:
        sys.exit("refusing to run: the database name must contain 'bench'")
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["*"]
    generate(args.cases)
    from enforcement.models import Case

    print(f"data: {Case.objects.count():,} cases; {args.requests} requests per figure; load {os.getloadavg()}")
    anonymous = Client()
    p50, base95, worst = time_page(anonymous, "/accounts/login/", args.requests)
    print(f"{'baseline: login page':34s} {'':30s} p50 {p50:6.1f} ms  p95 {base95:6.1f} ms  max {worst:6.1f} ms")
    from enforcement import views

    default_size = views.PAGE_SIZE
    for code, pages in PAGES.items():
        client = Client()
        client.force_login(leader(code))
        for label, url in pages:
            counts, sql_ms = {}, {}
            for size in SIZES:
                views.PAGE_SIZE = size
                queries = captured(client, url)
                counts[size] = len(queries)
                sql_ms[size] = sum(float(query["time"]) for query in queries) * 1000
                if args.explain and size == SIZES[-1]:
                    print(f"--- {label} at {size} rows: {len(queries)} queries")
                    explain(queries)
            for size in SIZES:
                views.PAGE_SIZE = size
                p50, p95, worst = time_page(client, url, args.requests)
                print(
                    f"{label:34s} {size:3d} rows, queries {counts[SIZES[0]]}/{counts[SIZES[-1]]} at "
                    f"{SIZES[0]}/{SIZES[-1]}  p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  max {worst:6.1f} ms  "
                    f"(p95 {p95 / base95:4.1f}× login; SQL of one page {sql_ms[size]:.1f} ms)"
                )
            views.PAGE_SIZE = default_size
    if args.no_report:
        return
    from core.models import Region
    from core.reports import pipeline
    from core.reports.periods import Period
    from core.reports.registry import get_kind

    kind = get_kind("enforcement_cases")
    province = Region.objects.get(code="430000")
    # Warm up as a running worker would be (WeasyPrint, fonts, pandas loaded): one small report first.
    pipeline.render_pdf(kind, pipeline.build_snapshot(kind, Period.parse("2025-01"), province))
    for period in ("2025", "2026", "2025-Q2"):
        timer = pipeline.StepTimer()
        started = time.perf_counter()
        snapshot = pipeline.build_snapshot(kind, Period.parse(period), province, timer)
        pdf = pipeline.render_pdf(kind, snapshot, timer)
        total = time.perf_counter() - started
        totals = snapshot["totals"]
        print(
            f"case report {period} (湖南省): query {timer.seconds['query']:.2f} s, shaping "
            f"{timer.seconds['shaping']:.2f} s, rendering {timer.seconds['rendering']:.2f} s, total {total:.2f} s; "
            f"opened {totals['opened']:,}, decided {totals['decided']:,}, overdue {totals['overdue']:,}; "
            f"PDF {len(pdf) / 1024:.0f} KiB"
        )


if __name__ == "__main__":
    main()

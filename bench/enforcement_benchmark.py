"""Enforcement at scale: N cases generated in SQL (INSERT … SELECT generate_series), then

- the case list and the overdue list of a provincial leader: queries per page at two page sizes (must be
  equal) and p50/p95/max of the page in ms (in-process test client, DEBUG off);
- the case report (executive-processing annual report of the province): query + shaping seconds.

Refuses to run unless the database name contains "bench". Usage:

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/qp_h3_bench
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py load_reference_data
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

STATUSES = [
    "registered", "checking", "filing_approval", "investigating", "legal_review", "notified", "defence",
    "hearing", "discussion", "transferred", "decided", "served", "executed", "closed", "closed", "closed",
    "not_filed", "cancelled",
]  # fmt: skip


def generate(n: int) -> None:
    from enforcement.models import Case

    existing = Case.objects.filter(case_no__startswith="BENCH-").count()
    if existing >= n:
        print(f"data set: {existing} bench cases already there")
        return
    statuses = "ARRAY[" + ",".join(f"'{s}'" for s in STATUSES) + "]"
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("ALTER TABLE enforcement_case DISABLE TRIGGER USER")
        cursor.execute(
            f"""
            WITH counties AS (
                SELECT code, row_number() OVER (ORDER BY code) - 1 AS i, count(*) OVER () AS n
                FROM core_region WHERE level = 'county' AND code LIKE '43%%'
            ), groups AS (
                SELECT id, row_number() OVER (ORDER BY id) - 1 AS i, count(*) OVER () AS n FROM core_producttype
            )
            INSERT INTO enforcement_case (
                case_no, title, status, procedure, source, region_id, party_name, party_type, party_id_no,
                party_representative, party_address, party_phone, product, violation_type, facts, goods_value,
                fine, confiscation, paid_total, major_case, legal_review_required, hearing_eligible, discovered_on,
                filed_on, decided_on, closed_on, decision_no, penalty_types, outcome, next_due_on, next_due_label,
                product_type_id, not_filed_reason, investigation_report, defence_text, hearing_place, hearing_host,
                hearing_record, decision_reason, served_how, closing_summary, cancel_reason, status_before_cancel,
                confiscated_goods, created_at, updated_at)
            SELECT 'BENCH-' || g, '基准案件' || g, st, 'general',
                   (ARRAY['sample','complaint','inspection','referral'])[1 + g %% 4],
                   c.code, '基准企业' || (g %% 20000), 'organisation', '', '', '', '', '电热水壶',
                   (ARRAY['不符合强制性标准','产品标识不符合规定','掺杂掺假、以次充好'])[1 + g %% 3], '',
                   (g %% 500) * 100.00,
                   CASE WHEN st IN ('decided','served','executed','closed') THEN (g %% 300) * 100.00 END,
                   NULL, 0, false, false, false,
                   d, CASE WHEN st NOT IN ('registered','checking','filing_approval','not_filed') THEN d + 3 END,
                   CASE WHEN st IN ('decided','served','executed','closed') THEN d + 60 END,
                   CASE WHEN st = 'closed' THEN d + 90 END,
                   '', '[]'::jsonb,
                   CASE WHEN st IN ('decided','served','executed','closed') THEN 'penalty' ELSE '' END,
                   CASE WHEN st NOT IN ('closed','not_filed','cancelled','merged') THEN d + 30 + (g %% 90) END,
                   CASE WHEN st NOT IN ('closed','not_filed','cancelled','merged') THEN '作出处理决定' ELSE '' END,
                   p.id, '', '', '', '', '', '', '', '', '', CASE WHEN st = 'cancelled' THEN '基准撤销' ELSE '' END,
                   '', '', now() - (g %% 1000) * interval '1 day', now()
            FROM generate_series(%s, %s) AS g
            CROSS JOIN LATERAL (SELECT ({statuses})[1 + g %% {len(STATUSES)}] AS st,
                                       DATE '2023-01-01' + (g %% 1400) AS d) AS x
            JOIN counties c ON c.i = g %% c.n
            JOIN groups p ON p.i = g %% p.n
            """,
            [existing + 1, n],
        )
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # run the deferred FK checks before re-enabling
        cursor.execute("ALTER TABLE enforcement_case ENABLE TRIGGER USER")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE enforcement_case")
    print(f"generated {n - existing} cases in {time.perf_counter() - started:.1f} s")


def leader():
    from core.models import Region, Role, User

    user, _created = User.objects.get_or_create(
        username="bench_hn_leader", defaults={"role": Role.LEADER, "jurisdiction": Region.objects.get(code="430000")}
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()
    if "bench" not in settings.DATABASES["default"]["NAME"]:
        sys.exit("refusing to run: the database name must contain 'bench'")
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["*"]
    generate(args.cases)
    client = Client()
    client.force_login(leader())
    from enforcement import views

    for url in ("/enforcement/cases/?state=all", "/enforcement/cases/overdue/", "/enforcement/cases/?state=open"):
        counts = []
        for size in (20, 200):
            views.PAGE_SIZE = size
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            counts.append(len(queries))
        views.PAGE_SIZE = 50
        p50, p95, worst = time_page(client, url, args.requests)
        print(
            f"{url:40s} queries at 20/200 rows: {counts[0]}/{counts[1]}  "
            f"p50 {p50:.1f} ms  p95 {p95:.1f} ms  max {worst:.1f} ms"
        )
    from core.models import Region
    from core.reports.periods import Period
    from enforcement import reports

    for period in ("2025", "2026"):
        started = time.perf_counter()
        rows = reports.query(Period.parse(period), Region.objects.get(code="430000"))
        middle = time.perf_counter()
        reports.shape(rows, Period.parse(period), Region.objects.get(code="430000"))
        done = time.perf_counter()
        print(f"case report {period} (湖南省): query {middle - started:.2f} s, shaping {done - middle:.2f} s, "
              f"opened {rows['totals']['opened']}, decided {rows['totals']['decided']}")  # fmt: skip


if __name__ == "__main__":
    main()

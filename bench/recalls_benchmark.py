r"""Recall portal at scale: N recalls and M vehicle VINs, generated in SQL (INSERT ... SELECT generate_series).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/qp_recalls_bench \
        .venv/bin/python bench/recalls_benchmark.py --recalls 50000 --vins 5000000 --requests 200

In a dedicated database (its name must contain "bench", migrated first): 200 producers, N recalls (10 % vehicles,
90 % with a published notice, last publication spread over three years), and VINs stored as VinRange rows: 80 % of
the VINs as serial runs of 800 (one run per vehicle recall and stem) and 20 % as single VINs (runs of one) — a
VIN lookup is one probe of the (stem, serial_from, serial_to) index whatever the count. The pghistory triggers of
the loaded tables are disabled for the load only.

Then, in process through Django's test client (the whole request: URL routing, view, query, template/serializer),
--requests sequential requests per case, p50 / p95 / max in milliseconds. Aims: VIN lookup p95 < 20 ms, public
search p95 < 50 ms, feed < 50 ms. Throttling is lifted for the run (THROTTLE_PUBLIC_RECALLS).
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
os.environ["THROTTLE_PUBLIC_RECALLS"] = "100000000/min"

# The generation SQL is in recalls/scale.py (and core/scale.py), shared with `manage.py generate_scale`.
from recalls.scale import BRANDS, RUN, TABLES, create_recalls, fill_bigrams, vin_split  # noqa: E402


def require_bench_database() -> None:
    from django.db import connection

    if "bench" not in connection.settings_dict["NAME"]:
        sys.exit("The database name must contain 'bench' (this script deletes and loads recall rows).")


def build(recalls: int, vins: int, *, force: bool = False) -> None:
    from django.db import connection, transaction

    from core.scale import bulk_load, create_enterprises, scale_enterprises

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), coalesce(sum(units), 0) FROM recalls_vinrange")
        have_ranges, have_vins = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM recalls_recall")
        have_recalls = cursor.fetchone()[0]
    if have_recalls == recalls and have_vins == vins and not force:
        print(f"data set present: {have_recalls:,} recalls, {have_vins:,} VINs in {have_ranges:,} ranges")
        with transaction.atomic(), connection.cursor() as cursor, bulk_load(cursor, ["recalls_recall"]):
            fill_bigrams(cursor)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE recalls_recall")
        return
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor, bulk_load(cursor, ["core_enterprise", *TABLES]):
        cursor.execute(
            "DELETE FROM recalls_vinrange; DELETE FROM recalls_recallreport; DELETE FROM recalls_recallversion"
        )
        cursor.execute("DELETE FROM recalls_recall")
        if not scale_enterprises():  # the producers: 200 generated enterprises of Changsha's districts
            create_enterprises(cursor, 200, provinces=["430000"])
        _recalls, ranges = create_recalls(cursor, recalls, vins)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE recalls_recall")
        cursor.execute("VACUUM ANALYZE recalls_vinrange")
    print(
        f"loaded {recalls:,} recalls ({max(recalls // 10, 1):,} vehicles), {vins:,} VINs as {ranges:,} ranges "
        f"in {time.perf_counter() - started:.1f} s"
    )
    return


def sample_vins(count: int, recalls: int, vins: int) -> list[str]:
    from recalls.vin import with_check_digit

    rng = random.Random(11)
    ranged, singles = vin_split(vins)
    out = []
    for n in range(count):
        if n % 5 == 4:  # not covered: a serial beyond the run
            stem, serial = f"LBV{rng.randrange(ranged):07d}", f"{RUN + 1 + rng.randrange(1000):06d}"
        elif n % 2:
            i = rng.randrange(singles)
            stem, serial = f"LSG{i // 1000:07d}", f"{i % 1000:06d}"
        else:
            stem, serial = f"LBV{rng.randrange(ranged):07d}", f"{1 + rng.randrange(RUN):06d}"
        out.append(with_check_digit(stem[:8] + "0" + stem[8:] + serial))
    return out


def measure(client, label: str, urls: list[str], requests: int) -> tuple[str, float, float, float]:
    for url in urls[:3]:
        client.get(url)
    times = []
    for n in range(requests):
        url = urls[n % len(urls)]
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    times.sort()
    p95 = times[int(len(times) * 0.95) - 1]
    return label, statistics.median(times), p95, times[-1]


def _percentiles(times: list[float]) -> tuple[float, float, float]:
    times = sorted(times)
    return statistics.median(times), times[max(int(len(times) * 0.95) - 1, 0)], times[-1]


def sql_timings(vins: list[str], requests: int) -> list[tuple]:
    """The database part alone: the selectors' queries evaluated through the ORM (no view, no template)."""
    from recalls.selectors import public_search, recalls_covering_vin

    cases = [
        ("VIN 查询（SQL）", lambda n: list(recalls_covering_vin(vins[n % len(vins)])[:100])),
        ("检索第 1 页（SQL）", lambda n: list(public_search()[:20])),
        ("关键词检索（SQL）", lambda n: list(public_search(q=BRANDS[n % 10])[:20])),
        ("品牌+类别（SQL）", lambda n: list(public_search(brand=BRANDS[n % 10], category="consumer")[:20])),
    ]
    out = []
    for label, run in cases:
        run(0)
        times = []
        for n in range(requests):
            started = time.perf_counter()
            run(n)
            times.append((time.perf_counter() - started) * 1000)
        out.append((label, *_percentiles(times)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--recalls", type=int, default=50_000)
    parser.add_argument("--vins", type=int, default=5_000_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--force", action="store_true", help="load the data set again")
    args = parser.parse_args()
    import django

    django.setup()
    require_bench_database()
    build(args.recalls, args.vins, force=args.force)
    from django.conf import settings
    from django.test import Client

    settings.ALLOWED_HOSTS = ["*"]
    settings.RECALLS_LOOKUP_RATE = None  # lift the HTML lookup's rate limit for the run
    client = Client()
    vins = sample_vins(50, args.recalls, args.vins)
    hits = sum(bool(client.get("/api/v1/public/recalls/", {"vin": v}).json()["results"]) for v in vins)
    cases = [
        ("VIN 查询 API ?vin=", [f"/api/v1/public/recalls/?vin={v}" for v in vins], 20.0),
        ("VIN 查询页面 /public/recalls/lookup/", [f"/public/recalls/lookup/?vin={v}" for v in vins], 20.0),
        ("公众检索：默认第 1 页", ["/public/recalls/"], 50.0),
        ("公众检索：关键词", [f"/public/recalls/?q={quote(b)}" for b in BRANDS[:10]], 50.0),
        ("公众检索：品牌+类别", [f"/public/recalls/?brand={quote(b)}&category=consumer" for b in BRANDS[:10]], 50.0),
        ("公众检索：型号", [f"/public/recalls/?model=M-{n}" for n in range(1, 40, 3)], 50.0),
        ("公众检索：第 50 页", ["/public/recalls/?page=50"], 50.0),
        ("开放 API 列表", ["/api/v1/public/recalls/", f"/api/v1/public/recalls/?q={quote('电热水壶')}"], 50.0),
        ("开放 API ?since=", ["/api/v1/public/recalls/?since=2026-11-01"], 50.0),
        ("Atom 订阅", ["/public/recalls/feed/", "/public/recalls/feed/?category=vehicle"], 50.0),
    ]
    print(
        f"VIN sample: {hits} of {len(vins)} covered by a published recall (4 in 5 in a vehicle recall, 9 in 10 of "
        "those published)"
    )
    print(f"{'SQL only (selector, evaluated)':<40} {'p50':>8} {'p95':>8} {'max':>8}")
    for label, p50, p95, top in sql_timings(vins, args.requests):
        print(f"{label:<40} {p50:8.2f} {p95:8.2f} {top:8.2f}")
    print(f"{'case':<40} {'p50':>8} {'p95':>8} {'max':>8}  aim")
    for label, urls, aim in cases:
        label, p50, p95, top = measure(client, label, urls, args.requests)
        flag = "ok" if p95 < aim else "OVER"
        print(f"{label:<40} {p50:8.1f} {p95:8.1f} {top:8.1f}  p95<{aim:.0f} ms {flag}")


if __name__ == "__main__":
    main()

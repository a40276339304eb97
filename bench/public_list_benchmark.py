r"""Latency and throughput of the public pages and the public API on the 2-million-batch data set.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/qp_bench \
        .venv/bin/python bench/public_list_benchmark.py --batches 2000000 --requests 200

Starts gunicorn (2 workers, settings quality_platform.settings.dev, DEBUG off) on 127.0.0.1 against the bench
database, then

1. sequential: warms each URL up, sends --requests sequential GET requests per URL with http.client (at most
   --budget seconds per URL) and prints p50 / p95 / max in milliseconds (aim: p95 under 50 ms);
2. concurrent: --clients threads (default 10) send GET requests to one URL at a time for --duration seconds
   (at most --max-requests requests) and print req/s, p50 / p95 and the ratio of the URL's req/s to the login
   page's, which is measured in the same run under the same concurrency, before and after the URLs (the trivial
   baseline; aim: at least 40 %).

--code DIR serves another copy of the code (e.g. the code before a change, unpacked into a scratch folder) with
the same virtualenv and database, so "before" and "after" can be measured in one sitting. Loopback only.
"""

from __future__ import annotations

import argparse
import http.client
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
sys.path.insert(0, str(BASE_DIR / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quality_platform.settings.dev")

HOST = "127.0.0.1"
AIM_MS = 50.0
WARMUP = 5

URLS = [
    ("公告列表", "/public/announcements/"),
    ("公告列表第 5 页", "/public/announcements/?page=5"),
    ("结果查询（默认）", "/public/results/"),
    ("结果查询：企业名称含“鑫达”", "/public/results/?enterprise=" + quote("鑫达")),
    ("结果查询：企业名称含“芙蓉区鑫达”", "/public/results/?enterprise=" + quote("芙蓉区鑫达")),
    ("结果查询：地区 4301", "/public/results/?region=4301"),
    ("结果查询：地区 4301（每次新渲染）", "/public/results/?region=4301&fresh={n}"),
    ("结果查询：企业名称含“江口”（每次新渲染）", "/public/results/?enterprise=" + quote("江口") + "&fresh={n}"),
    ("结果查询：不合格", "/public/results/?result=fail"),
    ("结果查询：不合格第 3 页", "/public/results/?result=fail&page=3"),
    ("API 结果", "/api/v1/public/results/"),
    ("API 结果：地区+不合格", "/api/v1/public/results/?region=4301&result=fail"),
    ("API 公告", "/api/v1/public/announcements/"),
    ("公众首页", "/public/"),
]

# The concurrent phase: the trivial baseline (the login page, no database read) and the pages.
LOGIN = ("登录页（基准）", "/accounts/login/")
CONCURRENT_URLS = [
    ("结果查询：地区 4301", "/public/results/?region=4301"),
    ("结果查询：地区 4301（每次新渲染）", "/public/results/?region=4301&fresh={n}"),
    ("公告列表", "/public/announcements/"),
    ("结果查询（默认）", "/public/results/"),
    ("结果查询：企业名称含“鑫达”", "/public/results/?enterprise=" + quote("鑫达")),
    ("API 结果：地区+不合格", "/api/v1/public/results/?region=4301&result=fail"),
]
CONCURRENT_AIM = 0.40


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


_fresh = iter(range(1, 10**12))
_fresh_lock = threading.Lock()


def expand(url: str) -> str:
    """``{n}`` in a URL becomes a new number on every request: a parameter the search ignores, but which makes
    every request a new query string, so the result section kept per query string (sampling.public_cache) is
    rendered afresh each time — the figure of a search nobody made in the last minute."""
    if "{n}" not in url:
        return url
    with _fresh_lock:
        return url.replace("{n}", str(next(_fresh)))


def get(port: int, url: str) -> tuple[int, int, float]:
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    started = time.perf_counter()
    connection.request("GET", expand(url), headers={"Accept-Language": "zh-hans"})
    response = connection.getresponse()
    body = response.read()
    elapsed = (time.perf_counter() - started) * 1000
    connection.close()
    return response.status, len(body), elapsed


def wait_until_up(port: int, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit("gunicorn 未能启动")
        try:
            get(port, "/public/announcements/")
            return
        except OSError:
            time.sleep(0.3)
    sys.exit("gunicorn 启动超时")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[index]


def label_width(label: str, width: int) -> int:
    return width - sum(1 for ch in label if ord(ch) > 0x2E7F)


def hammer(port: int, url: str, clients: int, duration: float, max_requests: int) -> dict:
    """``clients`` threads GET ``url`` back to back for ``duration`` seconds or ``max_requests`` requests."""
    lock = threading.Lock()
    times: list[float] = []
    statuses: dict[int, int] = {}
    errors: list[str] = []
    start_gate = threading.Barrier(clients + 1)
    deadline = [0.0]

    def client() -> None:
        start_gate.wait()
        while time.monotonic() < deadline[0]:
            with lock:
                if len(times) + len(errors) >= max_requests:
                    return
            try:
                status, _size, ms = get(port, url)
            except OSError as exc:
                with lock:
                    errors.append(type(exc).__name__)
                continue
            with lock:
                times.append(ms)
                statuses[status] = statuses.get(status, 0) + 1

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    deadline[0] = time.monotonic() + duration
    started = time.perf_counter()
    start_gate.wait()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return {
        "requests": len(times),
        "errors": len(errors),
        "statuses": statuses,
        "seconds": elapsed,
        "rps": len(times) / elapsed if elapsed else 0.0,
        "p50": statistics.median(times) if times else float("nan"),
        "p95": percentile(times, 0.95) if times else float("nan"),
    }


def sequential_phase(port: int, args) -> list[str]:
    print(f"一、顺序请求：每个 URL {args.requests} 次（至多 {args.budget:.0f} 秒）")
    print(f"{'页面':<30}{'状态':>6}{'字节':>9}{'p50':>9}{'p95':>9}{'max':>9}{'次数':>6}")
    missed = []
    for label, url in [LOGIN, *URLS]:
        if args.only and args.only not in url:
            continue
        for _ in range(WARMUP):
            get(port, url)
        times: list[float] = []
        statuses: set[int] = set()
        size = 0
        started = time.monotonic()
        while len(times) < args.requests and time.monotonic() - started < args.budget:
            status, size, ms = get(port, url)
            statuses.add(status)
            times.append(ms)
        p95 = percentile(times, 0.95)
        if p95 >= AIM_MS and (label, url) != LOGIN:
            missed.append(label)
        print(
            f"{label:<{label_width(label, 30)}}{'/'.join(map(str, sorted(statuses))):>6}{size:>9,}"
            f"{statistics.median(times):>9.1f}{p95:>9.1f}{max(times):>9.1f}{len(times):>6}"
        )
    print(f"（毫秒；机器负载 {' / '.join(f'{v:.1f}' for v in os.getloadavg())}）")
    print(f"目标：p95 < {AIM_MS:.0f} 毫秒 —— {'未达到：' + '、'.join(missed) if missed else '达到'}")
    return missed


def concurrent_phase(port: int, args) -> list[str]:
    print(
        f"二、并发请求：{args.clients} 个客户端线程，每个 URL {args.duration:.0f} 秒（至多 {args.max_requests} 次），"
        "登录页作为基准在前后各测一次"
    )
    print(f"{'页面':<30}{'状态':>10}{'次数':>7}{'错误':>5}{'req/s':>9}{'p50':>9}{'p95':>9}{'÷登录页':>9}")

    def run(label: str, url: str) -> dict:
        for _ in range(WARMUP):
            get(port, url)
        row = hammer(port, url, args.clients, args.duration, args.max_requests)
        row["label"] = label
        return row

    def show(row: dict, baseline: float | None) -> None:
        statuses = "/".join(f"{code}" for code in sorted(row["statuses"])) or "-"
        ratio = f"{row['rps'] / baseline:>8.1%}" if baseline else f"{'':>8}"
        label = row["label"]
        print(
            f"{label:<{label_width(label, 30)}}{statuses:>10}{row['requests']:>7}{row['errors']:>5}"
            f"{row['rps']:>9.1f}{row['p50']:>9.1f}{row['p95']:>9.1f} {ratio}",
            flush=True,
        )

    first = run(*LOGIN)
    show(first, None)
    rows = []
    for label, url in CONCURRENT_URLS:
        if args.only and args.only not in url:
            continue
        rows.append(run(label, url))
        show(rows[-1], first["rps"])
    last = run(LOGIN[0] + "，再测", LOGIN[1])
    show(last, None)
    baseline = (first["rps"] + last["rps"]) / 2
    print(f"基准（登录页前后两次的平均）：{baseline:.1f} req/s；比值按此基准：")
    missed = []
    for row in rows:
        ratio = row["rps"] / baseline if baseline else 0.0
        if ratio < CONCURRENT_AIM:
            missed.append(row["label"])
        print(f"  {row['label']:<{label_width(row['label'], 30)}}{row['rps']:>9.1f} req/s {ratio:>8.1%}")
    print(f"（毫秒；机器负载 {' / '.join(f'{v:.1f}' for v in os.getloadavg())}）")
    print(f"目标：吞吐量 ≥ 登录页的 {CONCURRENT_AIM:.0%} —— {'未达到：' + '、'.join(missed) if missed else '达到'}")
    return missed


def busiest_published_city(wanted: str) -> str:
    """``wanted`` when it has published batches here, else the city with the most (printed either way)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM sampling_sample WHERE is_published AND substring(region_id, 1, 4) = %s", [wanted]
        )
        found = cursor.fetchone()[0]
        city = wanted
        if not found:
            cursor.execute(
                "SELECT substring(region_id, 1, 4), count(*) FROM sampling_sample WHERE is_published"
                " GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1"
            )
            city, found = cursor.fetchone() or (wanted, 0)
    note = "" if city == wanted else f"（{wanted} 在本库没有已公开批次，改用已公开批次最多的市）"
    print(f"地区检索：{city}，已公开 {found:,} 批次{note}")
    return city


def use_city(city: str) -> None:
    """The region searches of both phases ask for ``city``."""
    for table in (URLS, CONCURRENT_URLS):
        table[:] = [(label.replace("4301", city), url.replace("4301", city)) for label, url in table]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--batches", type=int, default=2_000_000)
    parser.add_argument("--requests", type=int, default=200, help="每个 URL 的请求数（顺序发送）")
    parser.add_argument("--budget", type=float, default=60, help="每个 URL 最多用时（秒）")
    parser.add_argument("--only", default="", help="只测 URL 包含此文本的项（登录页基准总是测）")
    parser.add_argument("--clients", type=int, default=10, help="并发阶段的客户端线程数")
    parser.add_argument("--duration", type=float, default=20, help="并发阶段每个 URL 的时长（秒）")
    parser.add_argument("--max-requests", type=int, default=10000, help="并发阶段每个 URL 最多请求数")
    parser.add_argument("--phase", choices=["both", "sequential", "concurrent"], default="both")
    parser.add_argument(
        "--code", type=Path, default=BASE_DIR, help="用另一份代码（同一 virtualenv 和数据库）启动 gunicorn"
    )
    parser.add_argument(
        "--city",
        default="4301",
        help="地区检索用的市级代码（4 位）；该市在本库没有已公开批次时（如 generate_scale 的数据），"
        "改用已公开批次最多的市",
    )
    args = parser.parse_args()
    from dataset import build, describe, require_bench_database

    require_bench_database()
    import django

    django.setup()
    build(args.batches)
    describe()
    use_city(busiest_published_city(args.city))

    port = free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "quality_platform.settings.dev", "DEBUG": "false"}
    code = args.code.resolve()
    server = subprocess.Popen(
        [str(BASE_DIR / ".venv/bin/gunicorn"), "quality_platform.wsgi", "--bind", f"{HOST}:{port}",
         "--workers", "2", "--timeout", "120", "--log-level", "warning", "--chdir", str(code)],
        cwd=code,
        env=env,
    )  # fmt: skip
    try:
        wait_until_up(port, server)
        print(f"gunicorn（2 个 worker，DEBUG 关闭，代码 {code}）监听 {HOST}:{port}")
        missed = []
        if args.phase in ("both", "sequential"):
            missed += sequential_phase(port, args)
        if args.phase in ("both", "concurrent"):
            missed += concurrent_phase(port, args)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    main()

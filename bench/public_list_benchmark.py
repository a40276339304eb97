r"""Latency of the public pages and the public API on the 2-million-batch data set (p50 / p95 / max).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/qp_bench \
        .venv/bin/python bench/public_list_benchmark.py --batches 2000000 --requests 200

Starts gunicorn (2 workers, settings quality_platform.settings.dev, DEBUG off) on 127.0.0.1 against the bench
database, warms each URL up, then sends --requests sequential GET requests per URL with http.client (at most
--budget seconds per URL), prints p50 / p95 / max in milliseconds and stops the server. Loopback only.
Aim: public list p95 under 50 ms.
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
    ("结果查询：不合格", "/public/results/?result=fail"),
    ("结果查询：不合格第 3 页", "/public/results/?result=fail&page=3"),
    ("API 结果", "/api/v1/public/results/"),
    ("API 结果：地区+不合格", "/api/v1/public/results/?region=4301&result=fail"),
    ("API 公告", "/api/v1/public/announcements/"),
    ("公众首页", "/public/"),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def get(port: int, url: str) -> tuple[int, int, float]:
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    started = time.perf_counter()
    connection.request("GET", url, headers={"Accept-Language": "zh-hans"})
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--batches", type=int, default=2_000_000)
    parser.add_argument("--requests", type=int, default=200, help="每个 URL 的请求数（顺序发送）")
    parser.add_argument("--budget", type=float, default=60, help="每个 URL 最多用时（秒）")
    parser.add_argument("--only", default="", help="只测 URL 包含此文本的项")
    args = parser.parse_args()
    from dataset import build, describe, require_bench_database

    require_bench_database()
    import django

    django.setup()
    build(args.batches)
    describe()

    port = free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "quality_platform.settings.dev", "DEBUG": "false"}
    server = subprocess.Popen(
        [str(BASE_DIR / ".venv/bin/gunicorn"), "quality_platform.wsgi", "--bind", f"{HOST}:{port}",
         "--workers", "2", "--timeout", "120", "--log-level", "warning"],
        cwd=BASE_DIR,
        env=env,
    )  # fmt: skip
    try:
        wait_until_up(port, server)
        print(f"gunicorn（2 个 worker，DEBUG 关闭）监听 {HOST}:{port}；每个 URL {args.requests} 次顺序请求")
        print(f"{'页面':<30}{'状态':>6}{'字节':>9}{'p50':>9}{'p95':>9}{'max':>9}{'次数':>6}")
        missed = []
        for label, url in URLS:
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
            if p95 >= AIM_MS:
                missed.append(label)
            width = 30 - sum(1 for ch in label if ord(ch) > 0x2E7F)
            print(
                f"{label:<{width}}{'/'.join(map(str, sorted(statuses))):>6}{size:>9,}"
                f"{statistics.median(times):>9.1f}{p95:>9.1f}{max(times):>9.1f}{len(times):>6}"
            )
        print(f"（毫秒；机器负载 {os.getloadavg()[0]:.1f}）")
        print(f"目标：p95 < {AIM_MS:.0f} 毫秒 —— {'未达到：' + '、'.join(missed) if missed else '达到'}")
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    main()

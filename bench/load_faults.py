"""Load and faults: 50 concurrent clients for N minutes against gunicorn on loopback, with the database stopped for
10 s and Redis stopped for 10 s under load. Prints request counts, p50/p95/p99 and what users got during each fault.

Everything runs on throwaway servers this script starts and stops itself: a PostgreSQL from the system binaries on a
private data directory and port (never the machine's main server on 5432), a redis-server on a private port, and
gunicorn with the production settings (HTTPS redirect off: loopback has no TLS proxy).

    .venv/bin/python bench/load_faults.py --minutes 1          # default 5; --clients 50
    .venv/bin/python bench/load_faults.py --keep /tmp/qp_faults  # reuse the loaded demo data next time

Pass criteria (exit status 1 otherwise): no error outside the fault windows; during the database outage every
answer is the Chinese 503 page (JSON under /api/) or a page that needed no database; service returns by itself
after the database is back; during the Redis outage every page still serves.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
PG_BIN = Path("/usr/lib/postgresql/15/bin")
DEMO_PASSWORD = "Demo@2026"
STAFF_ACCOUNTS = ["cs_leader", "cs_inspector", "fr_inspector", "hn_leader", "fr_leader", "cs_admin"]
PUBLIC_URLS = ["/public/", "/public/results/", "/public/announcements/", "/public/results/?q=电器", "/accounts/login/"]
STAFF_URLS = ["/", "/sampling/samples/", "/sampling/tasks/", "/enterprises/", "/sampling/followups/", "/reports/"]
API_URLS = ["/api/v1/samples/", "/api/v1/tasks/", "/api/v1/enterprises/", "/api/v1/public/results/"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(cmd, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, check=True, **kwargs)


class Postgres:
    """A private PostgreSQL cluster (system binaries, run as the postgres user, trust auth on loopback)."""

    def __init__(self, base: Path, port: int) -> None:
        self.data, self.port, self.log = base / "pgdata", port, base / "postgres.log"
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def init(self) -> None:
        if (self.data / "PG_VERSION").exists():
            return
        self.data.mkdir(parents=True, exist_ok=True)
        if self.as_user:
            shutil.chown(self.data, "postgres", "postgres")
            shutil.chown(self.data.parent, "postgres", "postgres")
        env = {**os.environ, "LC_ALL": "C.UTF-8"}
        run(
            [
                *self.as_user,
                str(PG_BIN / "initdb"),
                "-D",
                str(self.data),
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
        )

    def start(self) -> None:
        options = f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off"
        run(
            [
                *self.as_user,
                str(PG_BIN / "pg_ctl"),
                "-D",
                str(self.data),
                "-l",
                str(self.log),
                "-o",
                options,
                "-w",
                "start",
            ],
            stdout=subprocess.DEVNULL,
        )

    def stop(self, mode: str = "fast") -> None:
        subprocess.run(
            [*self.as_user, str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def create_database(self, name: str) -> None:
        exists = subprocess.run(
            [
                "psql",
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "postgres",
                "-tAc",
                f"SELECT 1 FROM pg_database WHERE datname='{name}'",
            ],
            capture_output=True,
            text=True,
        )
        if exists.stdout.strip() != "1":
            run(
                [
                    "psql",
                    "-h",
                    "127.0.0.1",
                    "-p",
                    str(self.port),
                    "-U",
                    "postgres",
                    "-qc",
                    f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' "
                    "LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'",
                ]
            )


class Redis:
    def __init__(self, base: Path, port: int) -> None:
        self.port, self.pidfile = port, base / "redis.pid"

    def start(self) -> None:
        run(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "yes",
                "--pidfile",
                str(self.pidfile),
                "--logfile",
                str(self.pidfile.with_suffix(".log")),
            ]
        )
        for _ in range(50):
            if subprocess.run(["redis-cli", "-p", str(self.port), "ping"], capture_output=True).stdout.strip():
                return
            time.sleep(0.1)

    def stop(self) -> None:
        subprocess.run(["redis-cli", "-p", str(self.port), "shutdown", "nosave"], capture_output=True)


@dataclass
class Sample:
    at: float
    seconds: float
    kind: str
    url: str
    status: int
    outcome: str  # ok | outage_page | error


@dataclass
class Recorder:
    samples: list[Sample] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, sample: Sample) -> None:
        with self.lock:
            self.samples.append(sample)


def classify(response: requests.Response | None, kind: str) -> str:
    if response is None:
        return "error"
    if response.status_code < 400 or (response.status_code == 400 and kind == "api"):
        return "ok"
    if response.status_code == 503:
        if kind == "api":
            try:
                return "outage_page" if "数据库暂时无法连接" in response.json()["detail"] else "error"
            except ValueError:
                return "error"
        return "outage_page" if "服务暂时不可用" in response.text else "error"
    return "error"


def client_loop(kind: str, base: str, stop_at: float, recorder: Recorder, started: float, token: str | None) -> None:
    session = requests.Session()
    rng = random.Random(f"{kind}{threading.get_ident()}")
    logged_in = False
    urls = {"public": PUBLIC_URLS, "staff": STAFF_URLS, "api": API_URLS}[kind]
    if token:
        session.headers["Authorization"] = f"Token {token}"
    while time.monotonic() < stop_at:
        response = None
        url = rng.choice(urls)
        begin = time.monotonic()
        try:
            if kind == "staff" and not logged_in:
                logged_in = login(session, base, rng.choice(STAFF_ACCOUNTS))
                url = "/accounts/login/"
                response = session.get(base + "/", timeout=30, allow_redirects=False)
                url = "/"
            else:
                response = session.get(base + url, timeout=30, allow_redirects=False)
                if (
                    kind == "staff"
                    and response.status_code == 302
                    and "/accounts/login/" in response.headers.get("Location", "")
                ):
                    logged_in = False
        except requests.RequestException as exc:
            response = None
            url = f"{url} ({type(exc).__name__})"
        elapsed = time.monotonic() - begin
        recorder.add(
            Sample(
                begin - started,
                elapsed,
                kind,
                url,
                response.status_code if response is not None else 0,
                classify(response, kind),
            )
        )
        time.sleep(rng.uniform(0.2, 1.0))  # a user reads, then clicks


def login(session: requests.Session, base: str, username: str) -> bool:
    page = session.get(base + "/accounts/login/", timeout=30)
    token = session.cookies.get("csrftoken") or re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]
    answer = session.post(
        base + "/accounts/login/",
        timeout=30,
        allow_redirects=False,
        data={"username": username, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": base + "/accounts/login/"},
    )
    return answer.status_code == 302


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=5)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--keep", help="work directory to keep (and reuse: the demo data is loaded once)")
    parser.add_argument("--workers", type=int, default=3)
    args = parser.parse_args()

    base_dir = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="qp_faults_"))
    base_dir.mkdir(parents=True, exist_ok=True)
    pg, redis = Postgres(base_dir, free_port()), Redis(base_dir, free_port())
    web_port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")},
        "DJANGO_SETTINGS_MODULE": "quality_platform.settings.production",
        "DATABASE_URL": pg.url("qp_faults_bench"),
        "REDIS_URL": f"redis://127.0.0.1:{redis.port}/0",
        "SECRET_KEY": "bench-" + secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "STATIC_ROOT": str(base_dir / "static"),
        "MEDIA_ROOT": str(base_dir / "media"),
        "CONN_MAX_AGE": "60",
        "LOG_LEVEL": "ERROR",
    }
    gunicorn = None
    try:
        print(f"work directory {base_dir}; PostgreSQL :{pg.port}, Redis :{redis.port}, gunicorn :{web_port}")
        pg.init()
        pg.start()
        redis.start()
        pg.create_database("qp_faults_bench")
        setup_started = time.monotonic()
        for command in (
            ["migrate", "--noinput", "-v", "0"],
            ["load_reference_data"],
            ["load_demo"],
            ["collectstatic", "--noinput", "-v", "0"],
            ["compilemessages", "-v", "0", "--ignore=.venv"],
        ):
            done = subprocess.run([PY, "manage.py", *command], cwd=ROOT, env=env, capture_output=True, text=True)
            if done.returncode and command[0] != "load_demo":
                raise SystemExit(f"manage.py {command[0]} failed:\n{done.stderr[-2000:]}")
            if done.returncode:
                # Apps load their demo data one after another: the accounts and enterprises (core) are in.
                print(f"warning: load_demo stopped early ({done.stderr.strip().splitlines()[-1][:160]})")
        print(f"setup (migrate, reference and demo data, static files) {time.monotonic() - setup_started:.0f} s")
        token = (
            subprocess.run(
                [
                    PY,
                    "manage.py",
                    "shell",
                    "-c",
                    "from rest_framework.authtoken.models import Token; from core.models import User;"
                    "print(Token.objects.get_or_create(user=User.objects.get(username='cs_leader'))[0].key)",
                ],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                check=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )

        gunicorn_log = open(base_dir / "gunicorn.log", "w")  # noqa: SIM115  (open while gunicorn runs)
        gunicorn = subprocess.Popen(
            [
                str(ROOT / ".venv" / "bin" / "gunicorn"),
                "quality_platform.wsgi",
                "--bind",
                f"127.0.0.1:{web_port}",
                "--workers",
                str(args.workers),
                "--threads",
                "4",
                "--timeout",
                "60",
                "--log-level",
                "error",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=gunicorn_log,
        )
        base = f"http://127.0.0.1:{web_port}"
        for _ in range(100):
            try:
                if requests.get(base + "/accounts/login/", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.2)

        duration = args.minutes * 60
        db_down_at, redis_down_at, outage = 0.35 * duration, 0.65 * duration, 10.0
        recorder = Recorder()
        started = time.monotonic()
        stop_at = started + duration
        kinds = ["public"] * (args.clients // 2) + ["api"] * max(1, args.clients // 10)
        kinds += ["staff"] * (args.clients - len(kinds))
        threads = [
            threading.Thread(target=client_loop, args=(k, base, stop_at, recorder, started, token), daemon=True)
            for k in kinds
        ]
        for t in threads:
            t.start()
        print(
            f"{len(threads)} clients ({kinds.count('public')} public, {kinds.count('staff')} staff, "
            f"{kinds.count('api')} API) for {duration:.0f} s"
        )

        windows = {}
        time.sleep(max(0.0, started + db_down_at - time.monotonic()))
        t0 = time.monotonic() - started
        pg.stop("fast")
        time.sleep(outage)
        pg.start()
        t1 = time.monotonic() - started
        windows["database"] = (t0, t1)
        print(f"database stopped at {t0:.1f} s, started again at {t1:.1f} s")

        time.sleep(max(0.0, started + redis_down_at - time.monotonic()))
        t2 = time.monotonic() - started
        redis.stop()
        time.sleep(outage)
        redis.start()
        t3 = time.monotonic() - started
        windows["redis"] = (t2, t3)
        print(f"Redis stopped at {t2:.1f} s, started again at {t3:.1f} s")
        for t in threads:
            t.join(timeout=60)
        return report(recorder.samples, windows, duration, gunicorn)
    finally:
        if gunicorn is not None:
            gunicorn.send_signal(signal.SIGTERM)
            try:
                gunicorn.wait(timeout=20)
            except subprocess.TimeoutExpired:
                gunicorn.kill()
        redis.stop()
        pg.stop("fast")
        if not args.keep:
            shutil.rmtree(base_dir, ignore_errors=True)


def report(samples: list[Sample], windows: dict, duration: float, gunicorn) -> int:
    db0, db1 = windows["database"]
    rd0, rd1 = windows["redis"]
    grace = 5.0  # connections re-established after the database is back (CONN_HEALTH_CHECKS)
    # A request belongs to a fault when it was in flight during it (slow requests started before it count too).
    in_db = [s for s in samples if s.at <= db1 + grace and s.at + s.seconds >= db0]
    in_redis = [s for s in samples if s.at <= rd1 and s.at + s.seconds >= rd0 and s not in in_db]
    normal = [s for s in samples if s not in in_db and s not in in_redis]
    back = [s for s in samples if s.at > db1 and s.outcome == "ok" and s.kind == "staff"]
    recovered_after = (min(s.at for s in back) - db1) if back else float("nan")
    served = [s.seconds * 1000 for s in normal if s.outcome == "ok"]
    print()
    print(f"requests: {len(samples)} in {duration:.0f} s ({len(samples) / duration:.0f}/s)")
    print(
        f"normal load: {len(normal)} requests, errors {sum(s.outcome != 'ok' for s in normal)}, "
        f"p50 {percentile(served, 0.5):.0f} ms, p95 {percentile(served, 0.95):.0f} ms, "
        f"p99 {percentile(served, 0.99):.0f} ms, max {max(served, default=0):.0f} ms"
    )
    for kind in ("public", "staff", "api"):
        values = [s.seconds * 1000 for s in normal if s.kind == kind and s.outcome == "ok"]
        p50, p95 = percentile(values, 0.5), percentile(values, 0.95)
        print(f"  {kind:7} {len(values):6} ok, p50 {p50:.0f} ms, p95 {p95:.0f} ms")
    outage_pages = sum(s.outcome == "outage_page" for s in in_db)
    db_errors = [s for s in in_db if s.outcome == "error"]
    print(
        f"database down {db1 - db0:.1f} s (+{grace:.0f} s): {len(in_db)} requests, {outage_pages} Chinese 503 "
        f"pages/JSON, {sum(s.outcome == 'ok' for s in in_db)} served, {len(db_errors)} other errors; staff pages "
        f"served again {recovered_after:.1f} s after the restart, without restarting the web server"
    )
    redis_errors = [s for s in in_redis if s.outcome != "ok"]
    print(f"Redis down {rd1 - rd0:.1f} s: {len(in_redis)} requests, {len(redis_errors)} not served")
    for s in (db_errors + redis_errors + [s for s in normal if s.outcome != "ok"])[:20]:
        print(f"  error: t={s.at:.1f} s {s.kind} {s.url} status {s.status}")
    alive = gunicorn.poll() is None
    print(f"gunicorn still running (never restarted): {alive}")
    failed = any(s.outcome != "ok" for s in normal) or db_errors or redis_errors or not alive or not back
    print("RESULT:", "FAIL" if failed else "PASS")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

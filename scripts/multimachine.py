"""The multi-machine shape on one machine: a PostgreSQL primary, a real streaming replica of it and an S3 server.

    .venv/bin/python scripts/multimachine.py            # start everything, run the checks, stop everything
    .venv/bin/python scripts/multimachine.py --keep     # leave the servers running and print their addresses

Starts a private PostgreSQL 15 primary (initdb into a temporary directory, its own port), a hot-standby replica made
with ``pg_basebackup -R`` (its own port, streaming from the primary) and moto's S3 server, then runs the platform
against them exactly as separate machines would be configured (DATABASE_URL, DATABASE_REPLICA_URL, S3_BUCKET,
AWS_S3_ENDPOINT_URL, and REDIS_URL if set): migrations on the primary, a report generated whose aggregates are read
on the replica and whose PDF is stored in the bucket, and that PDF read back through the app's permission-checked
download view. Prints each check; exits non-zero if one fails. ``tests/test_multimachine.py`` runs it (marker
``multimachine``).

PG_BIN overrides /usr/lib/postgresql/15/bin. Run as root, the servers run as the ``postgres`` OS user (runuser).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
VENV_BIN = Path(sys.executable).parent
DB_NAME = "qp_multimachine"
BUCKET = "qp-multimachine"


def binaries_missing() -> list[str]:
    wanted = [PG_BIN / name for name in ("initdb", "pg_ctl", "pg_basebackup", "postgres")]
    missing = [str(path) for path in wanted if not path.exists()]
    if not (VENV_BIN / "moto_server").exists() and not shutil.which("moto_server"):
        missing.append("moto_server (pip install 'moto[server]')")
    return missing


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on port {port} after {seconds} s")


class Servers:
    """The primary, the replica and the S3 server, in one temporary directory."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="qp-multimachine-"))
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.primary_port, self.replica_port, self.s3_port = free_port(), free_port(), free_port()
        self.moto: subprocess.Popen | None = None
        self.started: list[Path] = []

    def pg(self, tool: str, *args: str) -> None:
        subprocess.run([*self.as_postgres, str(PG_BIN / tool), *args], check=True, capture_output=True, text=True)

    def _configure(self, data: Path, port: int) -> None:
        with open(data / "postgresql.conf", "a") as conf:
            conf.write(
                f"\nport = {port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{self.dir}'\n"
                "wal_level = replica\nmax_wal_senders = 5\nhot_standby = on\nfsync = off\n"
                "synchronous_commit = off\nfull_page_writes = off\nshared_buffers = 32MB\n"
            )

    def _start(self, data: Path) -> None:
        self.pg("pg_ctl", "-D", str(data), "-l", str(self.dir / f"{data.name}.log"), "-w", "-t", "30", "start")
        self.started.append(data)

    def start(self) -> None:
        if self.as_postgres:
            shutil.chown(self.dir, "postgres", "postgres")
        primary, replica = self.dir / "primary", self.dir / "replica"
        self.pg("initdb", "-D", str(primary), "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8")
        self._configure(primary, self.primary_port)
        self._start(primary)
        # A base backup that writes standby.signal and primary_conninfo (-R): the replica streams from the primary.
        self.pg(
            "pg_basebackup", "-h", "127.0.0.1", "-p", str(self.primary_port), "-U", "postgres",
            "-D", str(replica), "-R", "-X", "stream", "-c", "fast",
        )  # fmt: skip
        with open(replica / "postgresql.conf", "a") as conf:
            conf.write(f"\nport = {self.replica_port}\n")
        self._start(replica)
        moto = str(VENV_BIN / "moto_server") if (VENV_BIN / "moto_server").exists() else "moto_server"
        self.moto = subprocess.Popen(
            [moto, "-H", "127.0.0.1", "-p", str(self.s3_port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        wait_for_port(self.s3_port)

    def stop(self) -> None:
        if self.moto is not None:
            self.moto.terminate()
            self.moto.wait(10)
        for data in reversed(self.started):
            with contextlib.suppress(subprocess.CalledProcessError):
                self.pg("pg_ctl", "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.dir, ignore_errors=True)

    def environment(self) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DATABASE_", "S3_", "AWS_", "PG")) and key != "DJANGO_SETTINGS_MODULE"
        }
        env.update(
            DJANGO_SETTINGS_MODULE="quality_platform.settings.dev",
            DATABASE_URL=f"postgres://postgres@127.0.0.1:{self.primary_port}/{DB_NAME}",
            DATABASE_REPLICA_URL=f"postgres://postgres@127.0.0.1:{self.replica_port}/{DB_NAME}",
            S3_BUCKET=BUCKET,
            AWS_S3_ENDPOINT_URL=f"http://127.0.0.1:{self.s3_port}",
            AWS_S3_REGION_NAME="us-east-1",
            AWS_ACCESS_KEY_ID="testing",
            AWS_SECRET_ACCESS_KEY="testing",
            CELERY_TASK_ALWAYS_EAGER="true",
            REPLICA_READS="true",
        )
        return env


def create_database_and_bucket(servers: Servers, env: dict[str, str]) -> None:
    import boto3
    import psycopg

    with psycopg.connect(f"host=127.0.0.1 port={servers.primary_port} user=postgres dbname=postgres") as conn:
        conn.autocommit = True
        conn.execute(
            f"CREATE DATABASE {DB_NAME} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
        )
    s3 = boto3.client(
        "s3", endpoint_url=env["AWS_S3_ENDPOINT_URL"], region_name="us-east-1",
        aws_access_key_id="testing", aws_secret_access_key="testing",
    )  # fmt: skip
    s3.create_bucket(Bucket=BUCKET)


def checks() -> None:
    """Runs inside the platform (django.setup() with the environment above); raises on the first failed check."""
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    import boto3
    from django.conf import settings
    from django.core.files.storage import storages
    from django.db import connections
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from core.models import Region, RegionLevel, User
    from core.models_reports import Report, ReportStatus
    from core.reports.services import report_request

    def ok(what: str) -> None:
        print(f"  ok  {what}", flush=True)

    def wait_on_replica(sql: str, params: list, expected) -> float:
        start = time.monotonic()
        while time.monotonic() - start < 15:
            with connections["replica"].cursor() as cursor:
                cursor.execute(sql, params)
                if cursor.fetchone()[0] == expected:
                    return time.monotonic() - start
            time.sleep(0.05)
        raise AssertionError(f"the replica did not catch up: {sql} {params}")

    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery(), inet_server_port()")
        recovery, port = cursor.fetchone()
    assert not recovery
    with connections["replica"].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery(), inet_server_port(), status FROM pg_stat_wal_receiver")
        replica_recovery, replica_port, receiver = cursor.fetchone()
    assert replica_recovery and receiver == "streaming", (replica_recovery, receiver)
    ok(f"primary on port {port}; replica on port {replica_port} is a hot standby, WAL receiver {receiver}")

    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT count(*) FROM django_migrations")
        applied = cursor.fetchone()[0]
    wait_on_replica("SELECT count(*) FROM django_migrations", [], applied)
    ok(f"{applied} migrations applied on the primary are on the replica (the router never migrates the replica)")

    admin = User.objects.create_superuser("multimachine", password="Multi@2026x")
    lag = wait_on_replica("SELECT count(*) FROM core_user WHERE username = %s", ["multimachine"], 1)
    ok(f"a user written through the ORM went to the primary and reached the replica in {lag * 1000:.0f} ms")

    nation, _ = Region.objects.get_or_create(code="000000", defaults={"name": "全国", "level": RegionLevel.NATIONAL})
    wait_on_replica("SELECT count(*) FROM core_region WHERE code = %s", ["000000"], 1)
    year = str(time.localtime().tm_year - 1)
    with (
        CaptureQueriesContext(connections["replica"]) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        report, _ = report_request(kind="pass_rate", period=year, jurisdiction=nation, user=admin)
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE, (report.status, report.error if hasattr(report, "error") else "")
    replica_sql = [q["sql"] for q in on_replica.captured_queries]
    primary_sql = [q["sql"] for q in on_primary.captured_queries]
    assert any("sampling_sample" in sql for sql in replica_sql), replica_sql
    assert not any("sampling_sample" in sql for sql in primary_sql), [s for s in primary_sql if "sampling_sample" in s]
    assert any("core_report" in sql and "UPDATE" in sql for sql in primary_sql)
    ok(
        f"report {report.kind} {report.period} generated: {len(replica_sql)} aggregate queries on the replica, "
        f"{len(primary_sql)} on the primary (the report row, none on sampling_sample)"
    )

    assert type(storages["default"]).__name__ == "S3Storage", type(storages["default"])
    s3 = boto3.client(
        "s3", endpoint_url=settings.STORAGES["default"]["OPTIONS"]["endpoint_url"], region_name="us-east-1",
        aws_access_key_id="testing", aws_secret_access_key="testing",
    )  # fmt: skip
    stored = s3.get_object(Bucket=BUCKET, Key=report.file.name)["Body"].read()
    grants = s3.get_object_acl(Bucket=BUCKET, Key=report.file.name)["Grants"]
    public = [g for g in grants if "AllUsers" in g["Grantee"].get("URI", "") or "AuthenticatedUsers" in str(g)]
    assert stored.startswith(b"%PDF-") and not public, grants
    ok(f"the PDF is in bucket {BUCKET} as {report.file.name} ({len(stored):,} bytes), no public grant on it")

    anonymous = Client().get(f"/reports/{report.pk}/download/")
    assert anonymous.status_code == 302, anonymous.status_code
    client = Client()
    client.force_login(admin)
    response = client.get(f"/reports/{report.pk}/download/")
    body = b"".join(response.streaming_content)
    assert response.status_code == 200 and body == stored, response.status_code
    ok("the download view streams the same bytes from S3 to a signed-in user; anonymous users are sent to sign in")
    from importlib import import_module

    from django.core.cache import cache

    session = import_module(settings.SESSION_ENGINE).SessionStore(client.cookies[settings.SESSION_COOKIE_NAME].value)
    in_cache = hasattr(session, "cache_key") and cache.get(session.cache_key) is not None
    shared = "Redis" if settings.CACHES["default"]["BACKEND"].endswith("RedisCache") else "local cache"
    ok(f"sessions: {settings.SESSION_ENGINE}, cache {shared}, the signed-in session is in the cache: {in_cache}")
    assert Report.objects.filter(pk=report.pk).count() == 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", action="store_true", help="leave the servers running")
    parser.add_argument("--reference-data", action="store_true", help="also load the reference data (minutes)")
    parser.add_argument("--checks", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.checks:
        checks()
        return 0
    missing = binaries_missing()
    if missing:
        print("missing: " + ", ".join(missing))
        return 2
    started = time.monotonic()
    servers = Servers()
    try:
        servers.start()
        env = servers.environment()
        create_database_and_bucket(servers, env)
        print(
            f"primary 127.0.0.1:{servers.primary_port}, replica 127.0.0.1:{servers.replica_port} "
            f"(pg_basebackup -R), S3 (moto) 127.0.0.1:{servers.s3_port}, in {servers.dir}",
            flush=True,
        )
        python = sys.executable
        commands = [["migrate", "--noinput"]] + ([["load_reference_data"]] if args.reference_data else [])
        for command in commands:
            subprocess.run([python, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True)
            print(f"  ok  {command[0]} on the primary ({time.monotonic() - started:.0f} s so far)", flush=True)
        result = subprocess.run([python, __file__, "--checks"], cwd=ROOT, env=env)
        print(f"done in {time.monotonic() - started:.0f} s")
        if args.keep:
            print("servers left running; environment:")
            for key in ("DATABASE_URL", "DATABASE_REPLICA_URL", "S3_BUCKET", "AWS_S3_ENDPOINT_URL"):
                print(f"  {key}={env[key]}")
            servers = None
        return result.returncode
    finally:
        if servers is not None:
            servers.stop()


if __name__ == "__main__":
    sys.exit(main())

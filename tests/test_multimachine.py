"""The multi-machine shape with real servers: a streaming replica made by pg_basebackup and moto's S3 server.

It takes minutes (a fresh database is migrated and loaded with the reference data), so it runs when asked:
``QP_MULTIMACHINE=1 .venv/bin/pytest -p no:xdist -m multimachine tests/test_multimachine.py -s``."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import multimachine  # noqa: E402

pytestmark = pytest.mark.multimachine


@pytest.mark.skipif(bool(multimachine.binaries_missing()), reason="PostgreSQL 15 binaries or moto_server missing")
@pytest.mark.skipif(not os.environ.get("QP_MULTIMACHINE"), reason="takes minutes: set QP_MULTIMACHINE=1")
def test_replica_reads_and_s3_files_with_real_servers():
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "multimachine.py")], capture_output=True, text=True, timeout=1800
    )
    print(result.stdout)
    assert result.returncode == 0, result.stdout + result.stderr
    for check in ("hot standby", "on the replica", "in bucket", "download view"):
        assert check in result.stdout

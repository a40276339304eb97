"""Settings that must hold in every environment."""

import os
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command

CHECK = "import django; django.setup(); print('started')"


def _start_production(**env_overrides) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "ALLOWED_HOSTS")}
    env.update(DJANGO_SETTINGS_MODULE="quality_platform.settings.production", **env_overrides)
    return subprocess.run(
        [sys.executable, "-c", CHECK], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_refuses_to_start_without_secret_key():
    result = _start_production(ALLOWED_HOSTS="zjt.example.cn")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
    assert "started" not in result.stdout


def test_production_refuses_the_development_key():
    result = _start_production(SECRET_KEY="insecure-development-key-do-not-use-in-production", ALLOWED_HOSTS="a.cn")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = _start_production(SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_production_starts_with_both():
    result = _start_production(SECRET_KEY="x" * 50, ALLOWED_HOSTS="zjt.example.cn")
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


def test_models_and_migrations_agree(db):
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_debug_is_off_by_default():
    assert settings.DEBUG is False

"""Production settings: `check --deploy` without a warning (HSTS, HTTPS redirect behind the proxy, secure cookies),
and pages (the error page included) that still render when static files were collected with other settings."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.template.loader import render_to_string
from django.test import override_settings

ROOT = Path(__file__).resolve().parents[2]


def _production_env(**extra) -> dict:
    # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE (set in the same worker) is no production setting.
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update(
        DJANGO_SETTINGS_MODULE="quality_platform.settings.production",
        SECRET_KEY="test-" + secrets.token_urlsafe(50),
        ALLOWED_HOSTS="zjt.example.gov.cn",
        **extra,
    )
    return env


def test_check_deploy_gives_no_warning_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_redirects_to_https_and_sends_hsts():
    code = (
        "from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SECURE_PROXY_SSL_HEADER, s.SESSION_COOKIE_SECURE)"
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split()[:2] == ["True", "31536000"], result.stderr
    assert "HTTP_X_FORWARDED_PROTO" in result.stdout


@pytest.fixture
def manifest_storage_without_manifest(tmp_path):
    """Static files collected with plain storage (no manifest), served with the production storage."""
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "app.css").write_text("body{}")
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "core.staticfiles.ForgivingManifestStaticFilesStorage"},
    }
    with override_settings(STORAGES=storages, STATIC_ROOT=tmp_path, WHITENOISE_USE_FINDERS=False):
        yield


def test_the_error_page_renders_without_a_manifest(manifest_storage_without_manifest):
    html = render_to_string("500.html")
    assert "/static/css/app.css" in html


@pytest.mark.django_db
def test_pages_render_without_a_manifest(manifest_storage_without_manifest, client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert "/static/css/app.css" in response.content.decode()


def test_the_makefile_collects_with_the_serving_settings():
    makefile = (ROOT / "Makefile").read_text()
    assert "DJANGO_SETTINGS_MODULE=$(SETTINGS) $(PY) manage.py collectstatic" in makefile
    assert "DJANGO_SETTINGS_MODULE=$(SETTINGS) PORT=$(PORT)" in makefile

"""Backups: scripts/backup.sh (pg_dump + the uploaded files) restored by scripts/restore.sh into an empty database
and an empty media directory gives back every record of every table and every uploaded file, byte for byte."""

from __future__ import annotations

import os
import secrets
import subprocess
from pathlib import Path

import psycopg
import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.db import connection, models

ROOT = Path(__file__).resolve().parents[2]


def _url(settings_dict: dict, name: str) -> str:
    host, port = settings_dict.get("HOST") or "127.0.0.1", settings_dict.get("PORT") or 5432
    password = settings_dict.get("PASSWORD") or ""
    auth = f"{settings_dict.get('USER') or 'postgres'}{':' + password if password else ''}"
    return f"postgres://{auth}@{host}:{port}/{name}"


def _counts(url: str) -> dict[str, int]:
    with psycopg.connect(url.replace("postgres://", "postgresql://"), autocommit=True) as conn:
        tables = [r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in sorted(tables)}


def _stored_files() -> list[str]:
    names = []
    for model in apps.get_models():
        for f in model._meta.get_fields():
            if isinstance(f, models.FileField):
                names += list(model._default_manager.exclude(**{f.name: ""}).values_list(f.name, flat=True))
    return names


@pytest.mark.skipif(not os.environ.get("DATABASE_URL"), reason="needs a PostgreSQL server (DATABASE_URL)")
@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_an_empty_database_with_every_record_and_file(regions, settings, tmp_path):
    from core.models_reports import Report
    from core.tests.factories import UserFactory
    from core.uploads import generated_name
    from sampling.models import SamplePhoto
    from sampling.tests.tasks_data import make_enterprise, make_sample, make_task
    from tests.security.corpus import png

    # Given records of several apps and uploaded files (a photo and a report PDF), committed
    source_media = tmp_path / "media"
    settings.MEDIA_ROOT = source_media
    sample = make_sample(make_task(region_code="430102"), make_enterprise("430102"))
    photo = SamplePhoto(sample=sample, uploaded_by=UserFactory(username="backup_user"))
    photo.image.save(generated_name("png"), ContentFile(png()), save=True)
    report = Report(
        kind="pass_rate",
        period="2017",
        period_start="2017-01-01",
        period_end="2017-12-31",
        jurisdiction=regions["430102"],
        status="done",
        title="备份测试报告",
    )
    report.file.save("backup.pdf", ContentFile(b"%PDF-1.4\n%%EOF"), save=False)
    report.save()
    files = _stored_files()
    assert len(files) >= 2
    source_url = _url(connection.settings_dict, connection.settings_dict["NAME"])
    before = _counts(source_url)
    assert before["sampling_sample"] >= 1 and before["core_region"] >= 10

    # When it is backed up, and restored into a new empty database and an empty media directory
    env = {
        **os.environ,
        "DATABASE_URL": source_url,
        "MEDIA_ROOT": str(source_media),
        "DJANGO_SETTINGS_MODULE": "quality_platform.settings.dev",
    }
    backup_dir = tmp_path / "backup"
    subprocess.run(["bash", "scripts/backup.sh", str(backup_dir)], cwd=ROOT, env=env, check=True, capture_output=True)
    assert {p.name for p in backup_dir.iterdir()} >= {"database.dump", "media.tar.gz", "SHA256SUMS"}

    target_name = f"{connection.settings_dict['NAME']}_restore_{secrets.token_hex(3)}"
    admin_url = _url(connection.settings_dict, "postgres").replace("postgres://", "postgresql://")
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE \"{target_name}\" TEMPLATE template0 ENCODING 'UTF8'")
    try:
        target_media = tmp_path / "restored-media"
        env.update(DATABASE_URL=_url(connection.settings_dict, target_name), MEDIA_ROOT=str(target_media))
        result = subprocess.run(
            ["bash", "scripts/restore.sh", str(backup_dir)], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr

        # Then every table has every row, and every file is there with the same bytes
        assert _counts(env["DATABASE_URL"]) == before
        for name in files:
            assert (target_media / name).read_bytes() == (source_media / name).read_bytes(), name

        # and restoring again over the restored data is refused
        again = subprocess.run(
            ["bash", "scripts/restore.sh", str(backup_dir)], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert again.returncode != 0 and "not empty" in again.stderr
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{target_name}" WITH (FORCE)')

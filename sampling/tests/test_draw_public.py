"""一公开 of the draw: once a task's announcement is published, anyone can see its draw, download the frozen
pool, recompute its SHA-256 and re-run the draw to the same list; unpublished tasks' draws are not found."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
from pathlib import Path

import pgtrigger
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from sampling.models import Announcement, AnnouncementStatus, Draw
from sampling.services.draw import draw_enterprises, redraw_approve, redraw_request
from sampling.tests.draw_data import city_task_with_pool, leader
from sampling.views.public_draws import RERUN_SNIPPET

pytestmark = pytest.mark.django_db


def _announce(task, status=AnnouncementStatus.PUBLISHED):
    return Announcement.objects.create(
        task=task,
        title=f"长沙市市场监督管理局关于{task.year}年电热水壶监督抽查结果的公告",
        status=status,
        published_at=timezone.now() if status == AnnouncementStatus.PUBLISHED else None,
        region=task.region,
    )


@pytest.fixture
def world(regions, city_inspector):
    task, enterprises, inspectors = city_task_with_pool()
    draw = draw_enterprises(task=task, user=city_inspector, count=3)
    return task, enterprises, inspectors, draw


def test_a_published_tasks_draw_is_public_and_reruns_to_the_same_list(client, world):
    task, enterprises, inspectors, draw = world
    _announce(task)

    response = client.get(reverse("public:draw_detail", args=[draw.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    assert "已复核：结果可复现" in page
    assert draw.seed in page and draw.pool_sha256 in page
    by_id = {e.pk: e for e in enterprises}
    for enterprise_id in draw.selected:
        assert by_id[enterprise_id].name in page and by_id[enterprise_id].uscc in page
    assert "候选企业数" in page and f"<td>{len(draw.candidates)}</td>" in page
    assert "<td>D</td><td>4.0</td>" in page  # the weights rule
    assert "random.Random" in page and reverse("public:draw_pool", args=[draw.pk]) in page
    for inspector in inspectors:
        assert inspector.username not in page and inspector.last_name not in page  # people are not published


def test_the_pool_download_recomputes_the_hash_and_the_documented_snippet_reruns_the_draw(client, world, tmp_path):
    task, enterprises, _inspectors, draw = world
    _announce(task)

    response = client.get(reverse("public:draw_pool", args=[draw.pk]))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    data = json.loads(response.content.decode("utf-8"))
    canonical = json.dumps(data["pool"], ensure_ascii=False, separators=(",", ":"))
    assert hashlib.sha256(canonical.encode("utf-8")).hexdigest() == draw.pool_sha256 == data["pool_sha256"]
    by_id = {e.pk: e.uscc for e in enterprises}
    assert data["drawn"] == [by_id[e] for e in draw.selected]
    assert data["seed"] == draw.seed and data["count"] == 3

    (tmp_path / "pool.json").write_bytes(response.content)
    out = io.StringIO()
    cwd = os.getcwd()
    try:
        os.chdir(tmp_path)
        with contextlib.redirect_stdout(out):
            exec(RERUN_SNIPPET, {})  # noqa: S102 - the published snippet, run as a citizen would
    finally:
        os.chdir(cwd)
    printed = out.getvalue()
    assert "pool_sha256 ok: True" in printed
    assert "same as published: True" in printed


def test_the_docs_carry_the_same_snippet():
    docs = (Path(settings.BASE_DIR) / "docs" / "draw.md").read_text(encoding="utf-8")
    assert RERUN_SNIPPET.strip() in docs


@pytest.mark.parametrize("announcement", [None, AnnouncementStatus.DRAFT])
def test_an_unpublished_tasks_draw_is_not_found(client, world, announcement):
    task, _enterprises, _inspectors, draw = world
    if announcement:
        _announce(task, status=announcement)
    assert client.get(reverse("public:draw_detail", args=[draw.pk])).status_code == 404
    assert client.get(reverse("public:draw_pool", args=[draw.pk])).status_code == 404


def test_the_published_announcement_links_to_its_draw(client, world):
    task, _enterprises, _inspectors, draw = world
    announcement = _announce(task)
    page = client.get(reverse("public:announcement_detail", args=[announcement.pk])).content.decode()
    assert reverse("public:draw_detail", args=[draw.pk]) in page


def test_an_altered_draw_fails_the_public_rerun(client, world):
    task, enterprises, _inspectors, draw = world
    _announce(task)
    swapped = next(e for e in enterprises if e.pk not in draw.selected)
    with pgtrigger.ignore("sampling.Draw:draw_insert_only"):
        Draw.objects.filter(pk=draw.pk).update(selected=[swapped.pk, *draw.selected[1:]])

    page = client.get(reverse("public:draw_detail", args=[draw.pk])).content.decode()
    assert "复核未通过" in page and "已复核：结果可复现" not in page


def test_every_attempt_is_public_with_its_reason(client, world, city_inspector):
    task, _enterprises, _inspectors, first = world
    request = redraw_request(user=city_inspector, task=task, reason="抽中企业已迁出本市")
    redraw_approve(user=leader("430100"), request=request)
    second = draw_enterprises(task=task, user=city_inspector, count=3)
    _announce(task)

    page = client.get(reverse("public:draw_detail", args=[second.pk])).content.decode()
    assert "本任务的全部抽取" in page and "抽中企业已迁出本市" in page
    assert reverse("public:draw_detail", args=[first.pk]) in page
    old = client.get(reverse("public:draw_detail", args=[first.pk])).content.decode()
    assert "已被经批准的重新抽取替代" in old

"""The random draw (双随机): server seed, frozen and hashed pool, weighted by credit class, avoiding last round's
inspectors, reproducible, audited."""

from __future__ import annotations

import hashlib
import json
import random

import pgtrigger
import pytest
from constance.test import override_config
from django.urls import reverse

from core.errors import DomainError, PermissionDenied
from sampling.models import Draw, SamplingTask, TaskStatus
from sampling.services.draw import (
    assign_inspectors,
    credit_weights,
    draw_enterprises,
    draw_verify,
    pick_weighted,
    pool_json,
    pool_sha256,
)
from sampling.tests.draw_data import city_task_with_pool, producer
from sampling.tests.tasks_data import make_inspectors, make_sample, make_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(regions):
    return city_task_with_pool()


@pytest.fixture
def task(world):
    return world[0]


@pytest.fixture
def pool(world):
    return world[1], world[2]


def test_the_seed_comes_from_the_server_and_cannot_be_passed(task, pool, city_inspector):
    with pytest.raises(TypeError):
        draw_enterprises(task=task, user=city_inspector, seed="我选的种子", count=1)  # no such parameter

    draw = draw_enterprises(task=task, user=city_inspector, count=2)
    assert len(draw.seed) == 32 and int(draw.seed, 16) >= 0  # 128 bits from secrets, as hex
    assert draw.seed != "我选的种子"


def test_the_pool_is_frozen_with_uscc_and_its_sha256_is_stored(task, pool, city_inspector):
    enterprises, _inspectors = pool
    draw = draw_enterprises(task=task, user=city_inspector, count=2)

    by_id = {e.pk: e for e in enterprises}
    assert [row[0] for row in draw.candidates] == sorted(by_id)
    assert all(row[1] == by_id[row[0]].uscc and row[2] == by_id[row[0]].credit_class for row in draw.candidates)
    canonical = json.dumps(draw.candidates, ensure_ascii=False, separators=(",", ":"))
    assert draw.pool_sha256 == hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    assert pool_json(draw.candidates) == canonical
    # Stored and reloaded (jsonb), the pool still hashes to the recorded value.
    assert pool_sha256(Draw.objects.get(pk=draw.pk).candidates) == draw.pool_sha256


def test_a_draw_stores_weights_pools_and_criteria_and_marks_the_task_drawn(task, pool, city_inspector):
    _enterprises, inspectors = pool
    draw = draw_enterprises(task=task, user=city_inspector, count=2, stage="production")

    unrated = next(row for row in draw.candidates if row[2] == "")
    assert unrated[3] == credit_weights()["B"]  # an unrated enterprise weighs as class B
    assert draw.weights == {"A": 0.5, "B": 1.0, "C": 2.0, "D": 4.0}
    # The city inspector holds no enforcement credential: he draws but is not on the roster.
    assert draw.inspector_pool == sorted(u.pk for u in inspectors)
    assert draw.criteria["stage"] == "production" and draw.criteria["count"] == 2
    assert draw.criteria["product_type_ids"] == sorted(task.product_types.values_list("pk", flat=True))
    assert draw.attempt == 1 and draw.redraw_request is None
    assert sorted(draw.assigned_inspectors) == sorted({u for pair in draw.assignments.values() for u in pair})
    task.refresh_from_db()
    assert task.status == TaskStatus.DRAWN


def test_a_sub_region_limits_the_candidates(task, pool, city_inspector):
    draw = draw_enterprises(task=task, user=city_inspector, region_code="430103", count=1)
    assert {row[0] for row in draw.candidates} == {e.pk for e in pool[0] if e.region_id == "430103"}


def test_a_region_outside_the_task_is_refused(task, pool, city_inspector):
    with pytest.raises(DomainError, match="抽取地区"):
        draw_enterprises(task=task, user=city_inspector, region_code="430202", count=1)


def test_weights_change_the_odds():
    weights = credit_weights()
    candidates = [(1, weights["A"]), (2, weights["D"])]
    rng = random.Random("odds")

    drawn_d = sum(pick_weighted(rng, candidates, 1) == [2] for _ in range(2000))

    expected = weights["D"] / (weights["A"] + weights["D"])  # 4.0 / 4.5 ≈ 0.889
    assert expected - 0.03 < drawn_d / 2000 < expected + 0.03


def test_the_administrators_weights_are_used(regions, city_inspector):
    tasks = [make_task(region_code="430100", code=f"W-{i}") for i in range(6)]
    make_inspectors(2, "430102")
    picks, lows = set(), set()
    for task in tasks:
        lows.add(producer(task, "430102", "A").pk)
        producer(task, "430102", "D")
    with override_config(CREDIT_WEIGHT_A=0.0):
        for task in tasks:
            draw = draw_enterprises(task=task, user=city_inspector, count=1)
            assert draw.weights["A"] == 0.0
            picks |= set(draw.selected)
    assert picks and not picks & lows


def test_an_inspector_who_sampled_the_enterprise_last_round_is_never_assigned_to_it(regions, city_inspector):
    previous = make_task(region_code="430100", year=2025)
    current = make_task(region_code="430100", year=2026, product_types=previous.product_types.all())
    enterprise = producer(current, "430102", "C")
    barred = make_inspectors(2, "430102", prefix="old")
    free = make_inspectors(2, "430103", prefix="new")
    make_sample(previous, enterprise, inspectors=barred)

    draw = draw_enterprises(task=current, user=city_inspector, count=1)

    assert draw.criteria["previous_task_code"] == previous.code
    assert sorted(draw.criteria["avoid"][str(enterprise.pk)]) == sorted(u.pk for u in barred)
    assert sorted(draw.assignments[str(enterprise.pk)]) == sorted(u.pk for u in free)
    # Across many seeds the rule holds, while without it the barred would have been drawn.
    pool_ids = sorted(u.pk for u in barred + free)
    avoid = draw.criteria["avoid"]
    unrestricted = set()
    for i in range(10):
        assert not set(assign_inspectors(random.Random(i), [enterprise.pk], pool_ids, avoid)[str(enterprise.pk)]) & {
            u.pk for u in barred
        }
        unrestricted |= set(assign_inspectors(random.Random(i), [enterprise.pk], pool_ids, {})[str(enterprise.pk)])
    assert unrestricted & {u.pk for u in barred}


def test_the_avoidance_only_looks_at_the_previous_round(regions, city_inspector):
    older = make_task(region_code="430100", year=2024)
    make_task(region_code="430100", year=2025)  # the previous round, in which nobody sampled the enterprise
    current = make_task(region_code="430100", year=2026)
    enterprise = producer(current, "430102")
    make_sample(older, enterprise, inspectors=make_inspectors(2, "430102"))

    draw = draw_enterprises(task=current, user=city_inspector, count=1)
    assert draw.criteria["avoid"] == {}


def test_too_few_inspectors_after_avoidance_is_refused_in_chinese(regions, county_inspector):
    previous = make_task(region_code="430102", year=2025)
    current = make_task(region_code="430102", year=2026, product_types=previous.product_types.all())
    enterprise = producer(current, "430102", name="芙蓉电器有限公司")
    sampled = make_inspectors(2, "430102", prefix="was")
    make_sample(previous, enterprise, inspectors=sampled)
    make_inspectors(1, "430102", prefix="only")

    refused = "检查人员不足：企业“芙蓉电器有限公司”回避后仅剩 1 名可分配的抽样人员，每家企业需要 2 名"
    with pytest.raises(DomainError, match=refused):
        draw_enterprises(task=current, user=county_inspector, count=1)
    assert not Draw.objects.exists()
    assert SamplingTask.objects.get(pk=current.pk).status == TaskStatus.PLANNED


def test_more_enterprises_than_candidates_is_refused(task, pool, city_inspector):
    with pytest.raises(DomainError, match="候选企业只有 8 家"):
        draw_enterprises(task=task, user=city_inspector, count=9)


def test_another_countys_inspector_cannot_draw_for_the_city(task, pool, county_inspector):
    with pytest.raises(PermissionDenied):
        draw_enterprises(task=task, user=county_inspector, count=1)


def test_an_institution_cannot_draw(task, pool, institution_user):
    with pytest.raises(PermissionDenied, match="您的角色无权进行随机抽取"):
        draw_enterprises(task=task, user=institution_user, count=1)


def test_verify_reproduces_a_stored_draw_and_detects_a_changed_one(task, pool, city_inspector):
    draw = draw_enterprises(task=task, user=city_inspector, count=3)
    stored = Draw.objects.get(pk=draw.pk)

    result = draw_verify(draw=stored)
    assert result.reproduced and result.pool_matches
    assert result.selected == stored.selected and result.assignments == stored.assignments

    stored.selected = list(reversed(stored.selected))  # in memory only: draws are never updated
    tampered = draw_verify(draw=stored)
    assert not tampered.reproduced and not tampered.selected_matches

    changed_pool = Draw.objects.get(pk=draw.pk)
    changed_pool.candidates[0][3] = 100.0  # someone makes one candidate weigh more
    assert not draw_verify(draw=changed_pool).pool_matches


def test_the_draw_is_recorded_in_the_audit_trail(task, pool, city_inspector):
    draw_enterprises(task=task, user=city_inspector, count=1)
    event = task.events.filter(status=TaskStatus.DRAWN).select_related("pgh_context").get()
    assert event.pgh_context.metadata["source"] == "sampling.draw"
    assert event.pgh_context.metadata["task"] == task.code
    assert event.pgh_context.metadata["user"] == city_inspector.pk


def test_the_draw_pages_draw_show_and_verify(login, task, pool, city_inspector):
    client = login(city_inspector)
    form_page = client.get(reverse("sampling:draw_create", args=[task.pk])).content.decode()
    assert 'name="seed"' not in form_page and "随机种子由系统在抽取时生成" in form_page

    # A seed slipped into the form is ignored: the server makes its own.
    response = client.post(
        reverse("sampling:draw_create", args=[task.pk]), {"count": 2, "seed": "页面-1", "understood": "on"}
    )
    draw = Draw.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("sampling:draw_detail", args=[draw.pk])
    assert draw.seed != "页面-1" and len(draw.seed) == 32

    page = client.get(response["Location"]).content.decode()
    names = {e.pk: e.name for e in pool[0]}
    for enterprise_id in draw.selected:
        assert names[enterprise_id] in page
    assert draw.seed in page and draw.pool_sha256 in page and "复核" in page

    verified = client.post(reverse("sampling:draw_verify", args=[draw.pk]))
    assert "抽取结果可复现" in verified.content.decode()


def test_the_draw_form_shows_a_domain_error(login, regions, city_inspector):
    task = make_task(region_code="430100")
    make_inspectors(2, "430102")
    client = login(city_inspector)
    response = client.post(reverse("sampling:draw_create", args=[task.pk]), {"count": 1, "understood": "on"})
    assert response.status_code == 200
    assert "候选企业只有 0 家" in response.content.decode()


def test_another_countys_draw_pages_are_not_found(login, regions, neighbour_inspector):
    own_task = make_task(region_code="430102")
    producer(own_task, "430102")
    make_inspectors(2, "430102")
    furong = make_inspectors(1, "430102", prefix="boss")[0]
    draw = draw_enterprises(task=own_task, user=furong, count=1)
    client = login(neighbour_inspector)

    assert client.get(reverse("sampling:draw_create", args=[own_task.pk])).status_code == 404
    assert client.get(reverse("sampling:draw_detail", args=[draw.pk])).status_code == 404
    assert client.post(reverse("sampling:draw_verify", args=[draw.pk])).status_code == 404


def test_the_verify_page_shows_the_difference_when_the_stored_list_was_altered(login, task, pool, city_inspector):
    draw = draw_enterprises(task=task, user=city_inspector, count=2)
    replaced = next(e for e in pool[0] if e.pk not in draw.selected)
    # Someone with database access changes the stored list behind the platform's back, switching off
    # the trigger that makes draws insert-only.
    with pgtrigger.ignore("sampling.Draw:draw_insert_only"):
        Draw.objects.filter(pk=draw.pk).update(selected=[replaced.pk, draw.selected[1]])

    page = login(city_inspector).post(reverse("sampling:draw_verify", args=[draw.pk])).content.decode()

    assert "抽取结果不可复现" in page
    assert "重新运行得到的企业名单与记录不同" in page
    first = next(e for e in pool[0] if e.pk == draw.selected[0])
    assert first.name in page


def test_a_stored_draw_cannot_be_changed_or_deleted(task, pool, city_inspector):
    from django.db import DatabaseError, transaction

    draw = draw_enterprises(task=task, user=city_inspector, count=2)

    with pytest.raises(DatabaseError, match="Cannot update or delete"), transaction.atomic():
        Draw.objects.filter(pk=draw.pk).update(seed="篡改")
    with pytest.raises(DatabaseError, match="Cannot update or delete"), transaction.atomic():
        Draw.objects.filter(pk=draw.pk).delete()
    refreshed = Draw.objects.get(pk=draw.pk)
    assert refreshed.seed == draw.seed

"""A draw is binding: a second draw needs a reason and a leader's approval (not the requester's), the approval
is used by exactly one draw, and every attempt stays listed with who, when and why."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from core.errors import DomainError, PermissionDenied
from core.transitions import TransitionRefused
from sampling import policies
from sampling.models import Draw, RedrawRequest, RedrawStatus
from sampling.services.draw import draw_enterprises, redraw_approve, redraw_reject, redraw_request
from sampling.tests.draw_data import approved_redraw, city_task_with_pool, leader
from sampling.transitions import REDRAW_FLOW

pytestmark = pytest.mark.django_db

REASON = "抽中的3家企业已注销，无法实施抽样"


@pytest.fixture
def world(regions):
    return city_task_with_pool()


@pytest.fixture
def task(world):
    return world[0]


@pytest.fixture
def city_leader(regions):
    return leader("430100", username="changsha_leader")


@pytest.fixture
def drawn(task, city_inspector):
    return draw_enterprises(task=task, user=city_inspector, count=2)


def test_a_second_draw_without_approval_is_refused(task, drawn, city_inspector, city_leader):
    for user in (city_inspector, city_leader):
        with pytest.raises(DomainError, match="抽取结果具有约束力；再次抽取须说明理由并经负责人批准"):
            draw_enterprises(task=task, user=user, count=2)
    assert list(Draw.objects.values_list("pk", flat=True)) == [drawn.pk]
    assert not policies.can_draw(city_inspector, task)


def test_a_request_needs_a_reason(task, drawn, city_inspector):
    with pytest.raises(DomainError, match="重新抽取理由：不能为空"):
        redraw_request(user=city_inspector, task=task, reason="   ")
    assert not RedrawRequest.objects.exists()


def test_a_request_before_any_draw_is_refused(task, city_inspector):
    with pytest.raises(DomainError, match="尚未随机抽取"):
        redraw_request(user=city_inspector, task=task, reason=REASON)


def test_with_approval_one_more_draw_is_allowed_and_every_attempt_is_kept(task, drawn, city_inspector, city_leader):
    request = redraw_request(user=city_inspector, task=task, reason=REASON)
    assert request.draw == drawn and request.status == RedrawStatus.REQUESTED
    assert not policies.can_draw(city_inspector, task)

    redraw_approve(user=city_leader, request=request, note="同意重新抽取")
    assert policies.can_draw(city_inspector, task)
    second = draw_enterprises(task=task, user=city_inspector, count=2)

    request.refresh_from_db()
    assert request.status == RedrawStatus.USED and request.decided_by == city_leader
    assert (second.attempt, second.redraw_request_id) == (2, request.pk)
    assert second.seed != drawn.seed
    # Once used, the approval is spent.
    with pytest.raises(DomainError, match="再次抽取须说明理由并经负责人批准"):
        draw_enterprises(task=task, user=city_inspector, count=2)
    assert list(task.draws.order_by("attempt").values_list("attempt", "created_by")) == [
        (1, city_inspector.pk),
        (2, city_inspector.pk),
    ]


def test_the_requester_cannot_approve_their_own_request(task, city_leader):
    first = draw_enterprises(task=task, user=city_leader, count=1)
    request = redraw_request(user=city_leader, task=task, reason=REASON)
    with pytest.raises(PermissionDenied, match="不能由申请人本人审批"):
        redraw_approve(user=city_leader, request=request)
    request.refresh_from_db()
    assert request.status == RedrawStatus.REQUESTED and first.attempt == 1


def test_the_database_refuses_a_request_decided_by_its_requester(task, drawn, city_inspector):
    with pytest.raises(IntegrityError), transaction.atomic():
        RedrawRequest.objects.create(
            task=task,
            draw=drawn,
            reason=REASON,
            requested_by=city_inspector,
            status=RedrawStatus.APPROVED,
            decided_by=city_inspector,
            decided_at=timezone.now(),
        )


def test_a_repeat_draw_without_a_request_is_refused_by_the_database(task, drawn, city_inspector):
    fields = {f: getattr(drawn, f) for f in ("seed", "criteria", "weights", "candidates", "selected", "assignments")}
    with pytest.raises(IntegrityError), transaction.atomic():
        Draw.objects.create(task=task, attempt=2, created_by=city_inspector, **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Draw.objects.create(task=task, attempt=1, created_by=city_inspector, **fields)  # attempt 1 exists


@pytest.mark.parametrize("who", ["inspector", "neighbour_leader", "other_city_leader", "institution"])
def test_only_a_leader_of_the_tasks_jurisdiction_approves(who, task, drawn, city_inspector, regions, request):
    users = {
        "inspector": lambda: request.getfixturevalue("county_inspector"),
        "neighbour_leader": lambda: leader("430103"),  # a county below: its jurisdiction does not cover the city
        "other_city_leader": lambda: leader("430200"),
        "institution": lambda: request.getfixturevalue("institution_user"),
    }
    user = users[who]()
    redraw = redraw_request(user=city_inspector, task=task, reason=REASON)
    with pytest.raises(PermissionDenied):
        redraw_approve(user=user, request=redraw)
    with pytest.raises(PermissionDenied):
        redraw_reject(user=user, request=redraw, note="不同意")
    redraw.refresh_from_db()
    assert redraw.status == RedrawStatus.REQUESTED


def test_a_provincial_leader_may_approve_a_city_request(task, drawn, city_inspector, provincial_leader):
    redraw = redraw_request(user=city_inspector, task=task, reason=REASON)
    assert redraw_approve(user=provincial_leader, request=redraw).status == RedrawStatus.APPROVED


def test_a_rejection_needs_a_reason_and_keeps_the_draw(task, drawn, city_inspector, city_leader):
    redraw = redraw_request(user=city_inspector, task=task, reason=REASON)
    with pytest.raises(DomainError, match="驳回时须说明理由"):
        redraw_reject(user=city_leader, request=redraw, note="")
    redraw_reject(user=city_leader, request=redraw, note="企业仍在经营，按原名单抽样")
    redraw.refresh_from_db()
    assert redraw.status == RedrawStatus.REJECTED and redraw.decision_note.startswith("企业仍在经营")
    with pytest.raises(DomainError, match="再次抽取须说明理由"):
        draw_enterprises(task=task, user=city_inspector, count=2)
    # After a rejection a new request may be made.
    assert policies.can_request_redraw(city_inspector, task)


def test_one_open_request_per_task(task, drawn, city_inspector, city_leader):
    redraw_request(user=city_inspector, task=task, reason=REASON)
    with pytest.raises(DomainError, match="已有待审批或已批准未使用"):
        redraw_request(user=city_leader, task=task, reason="另一个理由")
    assert RedrawRequest.objects.count() == 1


# --- the transition table, edge by edge ------------------------------------------------------------


def _request_in(state, task, requester, approver):
    redraw = redraw_request(user=requester, task=task, reason=REASON)
    if state == RedrawStatus.REQUESTED:
        return redraw
    if state == RedrawStatus.REJECTED:
        return redraw_reject(user=approver, request=redraw, note="不同意")
    redraw_approve(user=approver, request=redraw)
    if state == RedrawStatus.USED:
        draw_enterprises(task=task, user=requester, count=1)
    redraw.refresh_from_db()
    return redraw


def _move(redraw, target, task, requester, approver):
    if target == RedrawStatus.APPROVED:
        redraw_approve(user=approver, request=redraw)
    elif target == RedrawStatus.REJECTED:
        redraw_reject(user=approver, request=redraw, note="不同意")
    elif target == RedrawStatus.USED:
        draw_enterprises(task=task, user=requester, count=1)
    else:
        REDRAW_FLOW.require(redraw, target)  # nothing moves a request back to pending


@pytest.mark.parametrize("source,target", sorted(REDRAW_FLOW.edges()))
def test_every_allowed_edge_works(source, target, task, drawn, city_inspector, city_leader):
    redraw = _request_in(source, task, city_inspector, city_leader)
    _move(redraw, target, task, city_inspector, city_leader)
    redraw.refresh_from_db()
    assert redraw.status == target


@pytest.mark.parametrize("source,target", sorted(REDRAW_FLOW.all_pairs() - REDRAW_FLOW.edges()))
def test_every_other_edge_is_refused(source, target, task, drawn, city_inspector, city_leader):
    redraw = _request_in(source, task, city_inspector, city_leader)
    if target == RedrawStatus.USED:
        # A draw only uses an approved request; without one it is refused before anything is written.
        with pytest.raises(DomainError):
            _move(redraw, target, task, city_inspector, city_leader)
    else:
        with pytest.raises(TransitionRefused, match="当前状态为"):
            _move(redraw, target, task, city_inspector, city_leader)
    redraw.refresh_from_db()
    assert redraw.status == source


def test_the_table_refuses_in_chinese_naming_both_states():
    with pytest.raises(TransitionRefused, match="当前状态为“已驳回”，不能变更为“已批准”"):
        REDRAW_FLOW.require(SimpleNamespace(status=RedrawStatus.REJECTED), RedrawStatus.APPROVED)


# --- pages -----------------------------------------------------------------------------------------


def test_the_pages_request_approve_and_draw_again_listing_every_attempt(
    login, client, task, drawn, city_inspector, city_leader
):
    detail = reverse("sampling:task_detail", args=[task.pk])
    page = login(city_inspector).get(detail).content.decode()
    assert "申请重新抽取" in page and "第 1 次" in page
    assert reverse("sampling:draw_create", args=[task.pk]) not in page  # no draw button: the draw is binding
    refused = client.get(reverse("sampling:draw_create", args=[task.pk])).content.decode()
    assert "再次抽取须先申请并经负责人批准" in refused and "开始抽取" not in refused

    client.post(reverse("sampling:redraw_request", args=[task.pk]), {"reason": REASON})
    redraw = RedrawRequest.objects.get()
    page = client.get(detail).content.decode()
    assert REASON in page and "待审批" in page
    assert reverse("sampling:redraw_approve", args=[redraw.pk]) not in page  # the requester gets no approve button
    own = client.post(reverse("sampling:redraw_approve", args=[redraw.pk]), follow=True).content.decode()
    assert "重新抽取申请不能由申请人本人审批" in own

    leader_page = login(city_leader).get(detail).content.decode()
    assert reverse("sampling:redraw_approve", args=[redraw.pk]) in leader_page
    client.post(reverse("sampling:redraw_approve", args=[redraw.pk]), {"note": "同意"})
    redraw.refresh_from_db()
    assert redraw.status == RedrawStatus.APPROVED

    client.force_login(city_inspector)
    response = client.post(reverse("sampling:draw_create", args=[task.pk]), {"count": 2, "understood": "on"})
    second = Draw.objects.get(attempt=2)
    assert response["Location"] == reverse("sampling:draw_detail", args=[second.pk])
    page = client.get(detail).content.decode()
    assert "第 1 次" in page and "第 2 次" in page and "已被重新抽取替代" in page and REASON in page
    old_page = client.get(reverse("sampling:draw_detail", args=[drawn.pk])).content.decode()
    assert "不再有效" in old_page and "登记抽样单" not in old_page


def test_a_neighbouring_leader_cannot_reach_the_request(login, task, drawn, city_inspector, regions):
    redraw = redraw_request(user=city_inspector, task=task, reason=REASON)
    client = login(leader("430202", username="hetang_leader"))
    assert client.post(reverse("sampling:redraw_approve", args=[redraw.pk])).status_code == 404
    redraw.refresh_from_db()
    assert redraw.status == RedrawStatus.REQUESTED


# --- API -------------------------------------------------------------------------------------------


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_api_refuses_a_seed_in_chinese(task, city_inspector):
    response = _api(city_inspector).post(f"/api/v1/tasks/{task.pk}/draw/", {"count": 2, "seed": "x"}, format="json")
    assert response.status_code == 400
    assert "随机种子：由系统在抽取时生成，不能指定" in response.json()["detail"]
    assert not Draw.objects.exists()


def test_the_api_draws_once_then_needs_an_approved_request(task, city_inspector, city_leader):
    inspector = _api(city_inspector)
    first = inspector.post(f"/api/v1/tasks/{task.pk}/draw/", {"count": 2}, format="json")
    assert first.status_code == 201
    body = first.json()
    assert body["attempt"] == 1 and len(body["seed"]) == 32 and len(body["pool_sha256"]) == 64

    again = inspector.post(f"/api/v1/tasks/{task.pk}/draw/", {"count": 2}, format="json")
    assert again.status_code == 400 and "经负责人批准" in again.json()["detail"]

    asked = inspector.post(f"/api/v1/tasks/{task.pk}/redraw-requests/", {"reason": REASON}, format="json")
    assert asked.status_code == 201
    request_id = asked.json()["id"]
    assert inspector.post(f"/api/v1/redraw-requests/{request_id}/approve/", {}, format="json").status_code == 403
    approved = _api(city_leader).post(f"/api/v1/redraw-requests/{request_id}/approve/", {}, format="json")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"

    second = inspector.post(f"/api/v1/tasks/{task.pk}/draw/", {"count": 2}, format="json")
    assert second.status_code == 201
    assert second.json()["attempt"] == 2 and second.json()["redraw_reason"] == REASON
    listed = inspector.get(f"/api/v1/tasks/{task.pk}/draws/").json()
    assert [d["attempt"] for d in listed] == [2, 1]
    requests = inspector.get(f"/api/v1/tasks/{task.pk}/redraw-requests/").json()
    assert [r["status"] for r in requests] == ["used"]


def test_approved_redraw_helper_builds_through_the_services(task, drawn, city_inspector, city_leader):
    redraw = approved_redraw(task, city_inspector, city_leader)
    assert redraw.status == RedrawStatus.APPROVED and redraw.decided_by == city_leader


def test_a_pending_request_is_on_the_deciding_leaders_home_page(login, task, drawn, city_inspector, city_leader):
    redraw_request(user=city_inspector, task=task, reason=REASON)
    assert f"{task.code} 重新抽取申请" in login(city_leader).get("/").content.decode()
    assert f"{task.code} 重新抽取申请" not in login(city_inspector).get("/").content.decode()

"""Task pages: list with progress, detail, create, and the random draw (双随机) with its verification."""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.models import Enterprise, ProductType, User
from core.pagination import CappedCountPaginator
from sampling import policies
from sampling.forms.tasks import DrawForm, RedrawDecisionForm, RedrawRequestForm, TaskForm
from sampling.models import RedrawRequest, Stage, TaskLevel, TaskStatus
from sampling.selectors import draws_visible_to, samples_visible_to, tasks_visible_to
from sampling.services.draw import (
    credit_weights,
    draw_enterprises,
    draw_verify,
    pool_rows,
    redraw_approve,
    redraw_reject,
    redraw_request,
)
from sampling.services.tasks import task_complete, task_create

TASKS_PER_PAGE = 50


@login_required
def task_list(request):
    # Progress (sampled, tested, failed, published) is stored on each task and kept by the database
    # (sampling.progress): the page reads it with the tasks, nothing is counted here.
    tasks = tasks_visible_to(request.user).order_by("-year", "-created_at", "-pk")
    year = request.GET.get("year", "").strip()
    level = request.GET.get("level", "")
    status = request.GET.get("status", "")
    if year.isdigit():
        tasks = tasks.filter(year=int(year))
    if level in TaskLevel.values:
        tasks = tasks.filter(level=level)
    if status in TaskStatus.values:
        tasks = tasks.filter(status=status)
    page = CappedCountPaginator(tasks, TASKS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "sampling/task_list.html",
        {
            "page": page,
            "year": year,
            "level": level,
            "status": status,
            "levels": TaskLevel.choices,
            "statuses": TaskStatus.choices,
            "query": query.urlencode(),
        },
    )


@login_required
def task_create_view(request):
    form = TaskForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            task = task_create(user=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("抽查任务“%(code)s”已创建。") % {"code": task.code})
            return redirect("sampling:task_detail", pk=task.pk)
    return render(request, "sampling/task_form.html", {"form": form})


@login_required
def task_detail(request, pk: int):
    task = get_object_or_404(tasks_visible_to(request.user), pk=pk)
    samples = (
        samples_visible_to(request.user)
        .filter(task=task)
        .select_related("enterprise", "product_type")
        .order_by("-sampled_on", "-id")[:200]
    )
    return render(
        request,
        "sampling/task_detail.html",
        {
            "task": task,
            "product_types": task.product_types.select_related("group"),
            "draw_panel": draw_panel(request.user, task),
            "samples": samples,
            "task_actions": policies.action_codes(request.user, task),
        },
    )


@login_required
@require_POST
def task_complete_view(request, pk: int):
    """完成任务: the service checks the table and the policy; the page shows its message."""
    task = get_object_or_404(tasks_visible_to(request.user), pk=pk)
    try:
        task_complete(user=request.user, task=task)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("抽查任务“%(code)s”已完成。") % {"code": task.code})
    return redirect("sampling:task_detail", pk=task.pk)


def draw_panel(user, task) -> dict:
    """The draw card of a task page: every attempt with who, when and why, the re-draw requests, and what the
    user may do now (the same policies the services check)."""
    draws = list(task.draws.select_related("created_by", "redraw_request__requested_by").order_by("attempt"))
    requests = list(
        task.redraw_requests.select_related("requested_by", "decided_by", "draw").order_by("-requested_at", "-id")
    )
    current = draws[-1] if draws else None
    mine = [int(e) for e, users in (current.assignments if current else {}).items() if user.pk in users]
    return {
        "draws": draws,
        "current_draw": current,
        # The enterprises the binding draw sent this user to, with the partner drawn with him.
        "my_assignments": [
            {"enterprise": enterprise, "inspector_ids": current.assignments[str(enterprise.pk)]}
            for enterprise in Enterprise.objects.filter(pk__in=mine).order_by("name")
        ],
        "redraw_requests": requests,
        "can_draw": policies.can_draw(user, task),
        "can_register_samples": policies.can_register_samples(user),
        "can_request_redraw": policies.can_request_redraw(user, task),
        "approvable": {r.pk for r in requests if policies.can_approve_redraw(user, r)},
        "request_form": RedrawRequestForm(),
        "decision_form": RedrawDecisionForm(),
    }


@login_required
def draw_create(request, pk: int):
    task = get_object_or_404(tasks_visible_to(request.user), pk=pk)
    form = DrawForm(request.POST or None, task=task)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            draw = draw_enterprises(
                task=task,
                user=request.user,
                region_code=data["region"].code if data["region"] else None,
                product_type_ids=[p.pk for p in data["product_types"]],
                stage=data["stage"] or None,
                industry=data["industry"],
                count=data["count"],
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("随机抽取完成，已抽中 %(n)d 家企业。") % {"n": len(draw.selected)})
            return redirect("sampling:draw_detail", pk=draw.pk)
    return render(
        request,
        "sampling/draw_form.html",
        {
            "task": task,
            "form": form,
            "panel": draw_panel(request.user, task),
            "weights": sorted(credit_weights().items()),
        },
    )


@login_required
@require_POST
def redraw_request_view(request, pk: int):
    task = get_object_or_404(tasks_visible_to(request.user), pk=pk)
    form = RedrawRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("重新抽取理由：不能为空。"))
    else:
        try:
            redraw_request(user=request.user, task=task, reason=form.cleaned_data["reason"])
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("重新抽取申请已提交，待负责人审批。"))
    return redirect("sampling:task_detail", pk=task.pk)


def _decide_view(request, pk: int, approve: bool):
    redraw = get_object_or_404(
        RedrawRequest.objects.filter(task__in=tasks_visible_to(request.user)).select_related("task"), pk=pk
    )
    form = RedrawDecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        if approve:
            redraw_approve(user=request.user, request=redraw, note=note)
            messages.success(request, _("已批准重新抽取申请，抽取人可再抽取一次。"))
        else:
            redraw_reject(user=request.user, request=redraw, note=note)
            messages.success(request, _("已驳回重新抽取申请，原抽取结果继续有效。"))
    except DomainError as error:
        messages.error(request, str(error))
    return redirect("sampling:task_detail", pk=redraw.task_id)


@login_required
@require_POST
def redraw_approve_view(request, pk: int):
    return _decide_view(request, pk, approve=True)


@login_required
@require_POST
def redraw_reject_view(request, pk: int):
    return _decide_view(request, pk, approve=False)


def _draw_rows(draw) -> list[dict]:
    """One row per drawn enterprise with its class, weight and assigned inspectors (two bulk queries)."""
    candidates = {row[0]: row for row in pool_rows(draw)}
    enterprise_ids = [int(e) for e in draw.selected]
    enterprises = Enterprise.objects.select_related("region").in_bulk(enterprise_ids)
    user_ids = {int(u) for users in draw.assignments.values() for u in users}
    users = User.objects.select_related("jurisdiction").in_bulk(user_ids)
    rows = []
    for order, enterprise_id in enumerate(enterprise_ids, start=1):
        _id, _uscc, credit_class, weight = candidates.get(enterprise_id, (enterprise_id, "", "", None))
        rows.append(
            {
                "order": order,
                "enterprise": enterprises.get(enterprise_id),
                "enterprise_id": enterprise_id,
                "credit_class": credit_class,
                "weight": weight,
                "inspectors": [users.get(int(u)) for u in draw.assignments.get(str(enterprise_id), [])],
                "inspector_ids": draw.assignments.get(str(enterprise_id), []),
            }
        )
    return rows


def _render_draw(request, draw, verification=None):
    class_counts = Counter((row[2] or "B") for row in pool_rows(draw))
    product_types = ProductType.objects.filter(pk__in=draw.criteria.get("product_type_ids") or []).order_by("code")
    return render(
        request,
        "sampling/draw_detail.html",
        {
            "draw": draw,
            "task": draw.task,
            "rows": _draw_rows(draw),
            "class_counts": sorted(class_counts.items()),
            "weights": sorted(draw.weights.items()),
            "product_types": product_types,
            "verification": verification,
            "is_current": not draw.task.draws.filter(attempt__gt=draw.attempt).exists(),
            "is_public": policies.can_view_public_draw(draw),
            "can_register_samples": policies.can_register_samples(request.user),
            "stage_label": Stage(draw.criteria["stage"]).label if draw.criteria.get("stage") in Stage.values else "",
            "rerun_rows": _rerun_rows(draw, verification) if verification and not verification.reproduced else [],
        },
    )


def _rerun_rows(draw, verification) -> list[dict]:
    names = dict(Enterprise.objects.filter(pk__in=verification.selected).values_list("pk", "name"))
    stored = [int(e) for e in draw.selected]
    return [
        {
            "order": order,
            "name": names.get(enterprise_id, enterprise_id),
            "inspector_ids": verification.assignments.get(str(enterprise_id), []),
            "same": order <= len(stored) and stored[order - 1] == enterprise_id,
        }
        for order, enterprise_id in enumerate(verification.selected, start=1)
    ]


@login_required
def draw_detail(request, pk: int):
    draw = get_object_or_404(draws_visible_to(request.user), pk=pk)
    return _render_draw(request, draw)


@login_required
@require_POST
def draw_verify_view(request, pk: int):
    draw = get_object_or_404(draws_visible_to(request.user), pk=pk)
    return _render_draw(request, draw, verification=draw_verify(draw=draw))


urlpatterns = [
    path("tasks/", task_list, name="task_list"),
    path("tasks/new/", task_create_view, name="task_create"),
    path("tasks/<int:pk>/", task_detail, name="task_detail"),
    path("tasks/<int:pk>/complete/", task_complete_view, name="task_complete"),
    path("tasks/<int:pk>/draw/", draw_create, name="draw_create"),
    path("draws/<int:pk>/", draw_detail, name="draw_detail"),
    path("draws/<int:pk>/verify/", draw_verify_view, name="draw_verify"),
    path("tasks/<int:pk>/redraw/", redraw_request_view, name="redraw_request"),
    path("redraw-requests/<int:pk>/approve/", redraw_approve_view, name="redraw_approve"),
    path("redraw-requests/<int:pk>/reject/", redraw_reject_view, name="redraw_reject"),
]

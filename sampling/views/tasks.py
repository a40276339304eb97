"""Task pages: list with progress, detail, create, and the random draw (双随机) with its verification."""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.models import Enterprise, User
from sampling.forms.tasks import DrawForm, TaskForm
from sampling.models import Stage, TaskLevel, TaskStatus
from sampling.selectors import draws_visible_to, samples_visible_to, tasks_visible_to, with_progress
from sampling.services.draw import draw_enterprises, draw_verify
from sampling.services.tasks import task_create


@login_required
def task_list(request):
    tasks = with_progress(tasks_visible_to(request.user)).order_by("-year", "-created_at", "-pk")
    year = request.GET.get("year", "").strip()
    level = request.GET.get("level", "")
    status = request.GET.get("status", "")
    if year.isdigit():
        tasks = tasks.filter(year=int(year))
    if level in TaskLevel.values:
        tasks = tasks.filter(level=level)
    if status in TaskStatus.values:
        tasks = tasks.filter(status=status)
    page = Paginator(tasks, 50).get_page(request.GET.get("page"))
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
    task = get_object_or_404(with_progress(tasks_visible_to(request.user)), pk=pk)
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
            "draws": task.draws.select_related("created_by").order_by("-created_at"),
            "samples": samples,
        },
    )


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
                seed=data["seed"] or None,
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
    return render(request, "sampling/draw_form.html", {"task": task, "form": form})


def _draw_rows(draw) -> list[dict]:
    """One row per drawn enterprise with its class, weight and assigned inspectors (two bulk queries)."""
    candidates = {int(c[0]): c for c in draw.candidates}
    enterprise_ids = [int(e) for e in draw.selected]
    enterprises = Enterprise.objects.select_related("region").in_bulk(enterprise_ids)
    user_ids = {int(u) for users in draw.assignments.values() for u in users}
    users = User.objects.select_related("jurisdiction").in_bulk(user_ids)
    rows = []
    for order, enterprise_id in enumerate(enterprise_ids, start=1):
        _id, credit_class, weight = candidates.get(enterprise_id, (enterprise_id, "", None))
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
    class_counts = Counter((c[1] or "B") for c in draw.candidates)
    return render(
        request,
        "sampling/draw_detail.html",
        {
            "draw": draw,
            "task": draw.task,
            "rows": _draw_rows(draw),
            "class_counts": sorted(class_counts.items()),
            "weights": sorted(draw.weights.items()),
            "verification": verification,
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
    path("tasks/<int:pk>/draw/", draw_create, name="draw_create"),
    path("draws/<int:pk>/", draw_detail, name="draw_detail"),
    path("draws/<int:pk>/verify/", draw_verify_view, name="draw_verify"),
]

"""The timeline (变更时间线) of a sample or a task: every change of it and of what belongs to it, in one list."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from core.access import can_view_history
from sampling.selectors import samples_visible_to, tasks_visible_to
from sampling.timeline import TimelineFilter, sample_timeline, task_timeline


def _filter_from(request) -> tuple[TimelineFilter, list[str]]:
    """The 操作人 and date filters; a bad value is named and ignored (the page shows all, and says so)."""
    errors = []
    user_id = None
    raw_user = request.GET.get("user", "").strip()
    if raw_user:
        if raw_user.isdigit():
            user_id = int(raw_user)
        else:
            errors.append(_("操作人：“%(value)s”不是有效的选项。") % {"value": raw_user})
    dates = {}
    for key, label in (("date_from", _("起始日期")), ("date_to", _("截止日期"))):
        raw = request.GET.get(key, "").strip()
        if not raw:
            dates[key] = None
            continue
        try:
            dates[key] = dt.date.fromisoformat(raw)
        except ValueError:
            dates[key] = None
            errors.append(_("%(field)s：“%(value)s”不是有效的日期（YYYY-MM-DD）。") % {"field": label, "value": raw})
    if dates["date_from"] and dates["date_to"] and dates["date_from"] > dates["date_to"]:
        errors.append(_("截止日期：不能早于起始日期。"))
    return TimelineFilter(user_id=user_id, **dates), errors


def _render(request, *, title: str, back_url: str, entries, people, flt, errors):
    return render(
        request,
        "sampling/timeline.html",
        {
            "title": title,
            "back_url": back_url,
            "entries": entries,
            "people": people,
            "flt": flt,
            "errors": errors,
            "filtered": bool(flt.user_id or flt.date_from or flt.date_to),
        },
        status=400 if errors else 200,
    )


def _require_audit_role(user) -> None:
    if not can_view_history(user):
        raise HttpForbidden(_("只有负责人、系统管理员和法制审核人员可以查看修改记录。"))


@login_required
def sample_timeline_view(request, pk: int):
    sample = get_object_or_404(samples_visible_to(request.user), pk=pk)
    _require_audit_role(request.user)
    flt, errors = _filter_from(request)
    entries, people = sample_timeline(sample, flt)
    return _render(
        request,
        title=_("抽样单 %(no)s 的变更记录") % {"no": sample.sample_no},
        back_url=reverse("sampling:sample_detail", args=[sample.pk]),
        entries=entries,
        people=people,
        flt=flt,
        errors=errors,
    )


@login_required
def task_timeline_view(request, pk: int):
    task = get_object_or_404(tasks_visible_to(request.user), pk=pk)
    _require_audit_role(request.user)
    flt, errors = _filter_from(request)
    entries, people = task_timeline(task, flt)
    return _render(
        request,
        title=_("抽查任务 %(code)s 的变更记录") % {"code": task.code},
        back_url=reverse("sampling:task_detail", args=[task.pk]),
        entries=entries,
        people=people,
        flt=flt,
        errors=errors,
    )


urlpatterns = [
    path("samples/<int:pk>/timeline/", sample_timeline_view, name="sample_timeline"),
    path("tasks/<int:pk>/timeline/", task_timeline_view, name="task_timeline"),
]

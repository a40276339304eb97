"""Post-processing (后处理) pages: the due/overdue list and the completion of a step."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import DomainError
from core.workdays import year_is_known
from sampling import policies
from sampling.forms.results import FollowUpAddForm, FollowUpCompleteForm
from sampling.models import FollowUp
from sampling.selectors import DUE_SOON_DAYS, followups_visible_to, samples_visible_to
from sampling.services import followups as followup_services
from sampling.views.results import sample_url

STATES = [
    ("open", gettext_lazy("全部待办")),
    ("overdue", gettext_lazy("已逾期")),
    ("due_soon", gettext_lazy("即将到期")),
    ("all", gettext_lazy("全部（含已办结）")),
]


@login_required
def followup_list(request):
    if not policies.can_see_followups(request.user):
        raise PermissionDenied
    state = request.GET.get("state", "open")
    if state not in dict(STATES):
        state = "open"
    page = Paginator(followups_visible_to(request.user, state=state), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "sampling/followup_list.html",
        {
            "page_obj": page,
            "followups": FollowUp.with_calendar(page.object_list),
            "states": STATES,
            "state": state,
            "today": timezone.localdate(),
            "soon": timezone.localdate() + dt.timedelta(days=DUE_SOON_DAYS),
            "counts": {
                "overdue": followups_visible_to(request.user, state="overdue").count(),
                "due_soon": followups_visible_to(request.user, state="due_soon").count(),
                "open": followups_visible_to(request.user, state="open").count(),
            },
        },
    )


@login_required
def followup_complete(request, pk: int):
    followup = get_object_or_404(
        followups_visible_to(request.user, state="all").select_related("time_limit", "sample__task"), pk=pk
    )
    if not policies.can_handle_followups(request.user, followup.sample):
        raise PermissionDenied
    can_complete = policies.can_complete_followup(request.user, followup)
    judged = followup.step in followup_services.JUDGED_STEPS
    form = FollowUpCompleteForm(request.POST or None, judged=judged)
    if request.method == "POST" and not can_complete:
        messages.error(request, _("“%(step)s”已办结，不能重复办理。") % {"step": followup.get_step_display()})
        return redirect(sample_url(followup.sample))
    if request.method == "POST" and form.is_valid():
        try:
            created = followup_services.followup_complete(
                user=request.user,
                followup=followup,
                done_on=form.cleaned_data["done_on"],
                outcome=form.cleaned_data.get("outcome", ""),
                note=form.cleaned_data["note"],
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            text = _("“%(step)s”已办结。") % {"step": followup.get_step_display()}
            if created:
                text += _("新增环节：%(steps)s。") % {
                    "steps": "、".join(f"{f.get_step_display()}（{f.due_on}）" for f in created)
                }
            messages.success(request, text)
            unknown = sorted({f.due_on.year for f in created if f.due_on and not year_is_known(f.due_on.year)})
            if unknown:
                messages.warning(
                    request,
                    _("%(years)s 年的节假日安排尚未录入，期限暂按周一至周五计算；录入后请核对。")
                    % {"years": "、".join(map(str, unknown))},
                )
            return redirect(sample_url(followup.sample))
    return render(
        request,
        "sampling/followup_complete.html",
        {"followup": followup, "form": form, "can_complete": can_complete, "sample_url": sample_url(followup.sample)},
    )


@login_required
def followup_add(request, pk: int):
    sample = get_object_or_404(samples_visible_to(request.user), pk=pk)
    if not policies.can_add_optional_followup(request.user, sample):
        raise PermissionDenied
    form = FollowUpAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            followup_services.followup_add_optional(user=request.user, sample=sample, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已添加后处理环节。"))
            return redirect(sample_url(sample))
    return render(
        request, "sampling/followup_add.html", {"sample": sample, "form": form, "sample_url": sample_url(sample)}
    )


urlpatterns = [
    path("followups/", followup_list, name="followup_list"),
    path("followups/<int:pk>/complete/", followup_complete, name="followup_complete"),
    path("samples/<int:pk>/followups/add/", followup_add, name="followup_add"),
]

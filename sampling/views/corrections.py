"""Correction pages: edits before confirmation, 修改申请 / 作废申请 after it, the leaders' list and decision."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError, PermissionDenied
from sampling import policies
from sampling.forms.corrections import (
    AnnouncementEditForm,
    DecisionForm,
    SampleCorrectionForm,
    SampleEditForm,
    TaskCorrectionForm,
    TaskEditForm,
    VoidForm,
)
from sampling.models import CorrectionStatus
from sampling.selectors import announcements_visible_to, samples_visible_to, tasks_visible_to
from sampling.selectors_corrections import corrections_visible_to
from sampling.services.corrections import (
    announcement_draft_update,
    change_rows,
    correction_approve,
    correction_reject,
    correction_request_submit,
    sample_update,
    task_update,
    void_request_submit,
)


def _render_form(request, *, title: str, obj_label: str, back_url: str, form, submit: str, note: str = ""):
    return render(
        request,
        "sampling/correction_form.html",
        {"title": title, "obj_label": obj_label, "back_url": back_url, "form": form, "submit": submit, "note": note},
        status=400 if form.is_bound else 200,
    )


def _edit_view(request, obj, *, form_class, allowed: bool, service, title: str, label: str, back_url: str):
    if not allowed:
        raise HttpForbidden(_("该记录已确认或您无权修改；确认后的更正请提出修改申请。"))
    form = form_class(request.POST or None, initial=form_class.initial_of(obj))
    if request.method == "POST" and form.is_valid():
        try:
            changes = service(obj, form.cleaned_data)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("已保存 %(n)d 处修改。") % {"n": len(changes)} if changes else _("没有修改。"))
            return redirect(back_url)
    return _render_form(request, title=title, obj_label=label, back_url=back_url, form=form, submit=_("保存修改"))


def _request_view(request, obj, *, form_class, allowed: bool, target: dict, title: str, label: str, back_url: str):
    if not allowed:
        raise HttpForbidden(_("该记录尚未确认（请直接修改）、已有待审批的申请，或您无权申请。"))
    form = form_class(request.POST or None, initial=form_class.initial_of(obj))
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k != "reason"}
        try:
            correction = correction_request_submit(
                user=request.user, reason=form.cleaned_data["reason"], values=values, **target
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("修改申请已提交，待负责人审批。"))
            return redirect("sampling:correction_detail", pk=correction.pk)
    note = _("请直接在表中改正错误的内容并说明理由；批准前记录保持不变，批准后保留修改前后的内容。")
    return _render_form(
        request, title=title, obj_label=label, back_url=back_url, form=form, submit=_("提交修改申请"), note=note
    )


@login_required
def task_edit(request, pk: int):
    task = get_object_or_404(tasks_visible_to(request.user), pk=pk)
    return _edit_view(
        request,
        task,
        form_class=TaskEditForm,
        allowed=policies.can_edit_task(request.user, task),
        service=lambda obj, data: task_update(user=request.user, task=obj, **data),
        title=_("修改抽查任务"),
        label=str(task),
        back_url=reverse("sampling:task_detail", args=[task.pk]),
    )


@login_required
def task_correction(request, pk: int):
    task = get_object_or_404(tasks_visible_to(request.user), pk=pk)
    return _request_view(
        request,
        task,
        form_class=TaskCorrectionForm,
        allowed=policies.can_request_task_correction(request.user, task),
        target={"task": task},
        title=_("抽查任务修改申请"),
        label=str(task),
        back_url=reverse("sampling:task_detail", args=[task.pk]),
    )


@login_required
def sample_edit(request, pk: int):
    sample = get_object_or_404(samples_visible_to(request.user), pk=pk)
    return _edit_view(
        request,
        sample,
        form_class=SampleEditForm,
        allowed=policies.can_edit_sample(request.user, sample),
        service=lambda obj, data: sample_update(user=request.user, sample=obj, **data),
        title=_("修改抽样单"),
        label=f"{sample.sample_no} {sample.enterprise.name}",
        back_url=reverse("sampling:sample_detail", args=[sample.pk]),
    )


@login_required
def sample_correction(request, pk: int):
    sample = get_object_or_404(samples_visible_to(request.user), pk=pk)
    return _request_view(
        request,
        sample,
        form_class=SampleCorrectionForm,
        allowed=policies.can_request_sample_correction(request.user, sample),
        target={"sample": sample},
        title=_("抽样单修改申请"),
        label=f"{sample.sample_no} {sample.enterprise.name}",
        back_url=reverse("sampling:sample_detail", args=[sample.pk]),
    )


@login_required
def sample_void(request, pk: int):
    sample = get_object_or_404(samples_visible_to(request.user), pk=pk)
    if not policies.can_request_void(request.user, sample):
        raise HttpForbidden(_("该抽样单已作废、已有待审批的申请，或您无权申请作废。"))
    form = VoidForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            correction = void_request_submit(user=request.user, sample=sample, reason=form.cleaned_data["reason"])
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("作废申请已提交，待负责人审批。"))
            return redirect("sampling:correction_detail", pk=correction.pk)
    return _render_form(
        request,
        title=_("申请作废抽样单"),
        obj_label=f"{sample.sample_no} {sample.enterprise.name}",
        back_url=reverse("sampling:sample_detail", args=[sample.pk]),
        form=form,
        submit=_("提交作废申请"),
    )


@login_required
def announcement_edit(request, pk: int):
    announcement = get_object_or_404(announcements_visible_to(request.user), pk=pk)
    if not policies.can_edit_announcement(request.user, announcement):
        raise HttpForbidden(_("只有草稿状态的公告可以修改；已发布的公告请先撤回。"))
    initial = {"title": announcement.title, "number": announcement.number, "summary": announcement.summary}
    form = AnnouncementEditForm(request.POST or None, initial=initial)
    back_url = reverse("sampling:announcement_detail", args=[announcement.pk])
    if request.method == "POST" and form.is_valid():
        try:
            announcement_draft_update(user=request.user, announcement=announcement, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("公告草稿已保存。"))
            return redirect(back_url)
    return _render_form(
        request,
        title=_("修改公告草稿"),
        obj_label=announcement.title,
        back_url=back_url,
        form=form,
        submit=_("保存修改"),
    )


@login_required
def correction_list(request):
    _require_corrections_role(request.user)
    status = request.GET.get("status", CorrectionStatus.REQUESTED)
    corrections = corrections_visible_to(request.user)
    if status in CorrectionStatus.values:
        corrections = corrections.filter(status=status)
    else:
        status = ""
    page = Paginator(corrections.order_by("-requested_at", "-id"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "sampling/correction_list.html",
        {
            "page": page,
            "status": status,
            "statuses": CorrectionStatus.choices,
            "query": f"status={status}",
        },
    )


def _require_corrections_role(user) -> None:
    if not policies.can_see_corrections(user):
        raise HttpForbidden(_("您的角色无权查看更正申请。"))


@login_required
def correction_detail(request, pk: int):
    correction = get_object_or_404(corrections_visible_to(request.user), pk=pk)
    if not policies.can_see_correction(request.user, correction):
        raise HttpForbidden(_("您的角色无权查看更正申请。"))
    return render(
        request,
        "sampling/correction_detail.html",
        {
            "correction": correction,
            "rows": change_rows(correction),
            "can_decide": policies.can_decide_correction(request.user, correction),
            "can_list": policies.can_see_corrections(request.user),
            "form": DecisionForm(),
        },
    )


def _decide(request, pk: int, approve: bool):
    correction = get_object_or_404(corrections_visible_to(request.user), pk=pk)
    _require_corrections_role(request.user)
    form = DecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        if approve:
            correction_approve(user=request.user, request=correction, note=note)
            messages.success(request, _("已批准，更正已生效。"))
        else:
            correction_reject(user=request.user, request=correction, note=note)
            messages.success(request, _("已驳回，记录保持不变。"))
    except PermissionDenied as error:
        raise HttpForbidden(str(error))
    except DomainError as error:
        messages.error(request, str(error))
    return redirect("sampling:correction_detail", pk=correction.pk)


@login_required
@require_POST
def correction_approve_view(request, pk: int):
    return _decide(request, pk, approve=True)


@login_required
@require_POST
def correction_reject_view(request, pk: int):
    return _decide(request, pk, approve=False)


urlpatterns = [
    path("tasks/<int:pk>/edit/", task_edit, name="task_edit"),
    path("tasks/<int:pk>/correction/", task_correction, name="task_correction"),
    path("samples/<int:pk>/edit/", sample_edit, name="sample_edit"),
    path("samples/<int:pk>/correction/", sample_correction, name="sample_correction"),
    path("samples/<int:pk>/void/", sample_void, name="sample_void"),
    path("announcements/<int:pk>/edit/", announcement_edit, name="announcement_edit"),
    path("corrections/", correction_list, name="correction_list"),
    path("corrections/<int:pk>/", correction_detail, name="correction_detail"),
    path("corrections/<int:pk>/approve/", correction_approve_view, name="correction_approve"),
    path("corrections/<int:pk>/reject/", correction_reject_view, name="correction_reject"),
]

"""Staff pages of publication (结果公告): drafts, the public preview, publishing and withdrawal."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from core.errors import DomainError, PermissionDenied
from core.selectors import region_in_jurisdiction
from sampling import policies
from sampling.models import AnnouncementStatus
from sampling.selectors import (
    announcement_samples,
    announcement_withdrawals,
    announcements_visible_to,
    tasks_visible_to,
)
from sampling.services.publication import (
    DRAFTING_ROLES,
    PUBLISHING_ROLES,
    announcement_create,
    announcement_publish,
    announcement_withdraw,
    publishable_samples,
)

PER_PAGE = 30


class AnnouncementForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("公告标题"), max_length=200)
    number = forms.CharField(label=gettext_lazy("公告编号"), max_length=64, required=False)
    summary = forms.CharField(label=gettext_lazy("公告正文"), widget=forms.Textarea(attrs={"rows": 6}), required=False)
    samples = forms.ModelMultipleChoiceField(
        label=gettext_lazy("公告批次"), queryset=None, widget=forms.CheckboxSelectMultiple, required=True
    )

    def __init__(self, *args, task, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["samples"].queryset = publishable_samples(task).select_related("enterprise", "product_type")
        self.fields["samples"].label_from_instance = lambda s: (
            f"{s.sample_no} {s.product_type.name} {s.enterprise.name} {s.get_final_verdict_display()}"
        )
        self.fields["samples"].error_messages["required"] = _("请至少选择一个批次")


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("撤回理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=500)


def _require_role(user, roles) -> None:
    if not user.has_role(*roles):
        raise HttpForbidden(_("您的角色无权办理结果公告"))


@login_required
def announcement_list(request: HttpRequest) -> HttpResponse:
    _require_role(request.user, DRAFTING_ROLES)
    announcements = announcements_visible_to(request.user).annotate(
        carried_count=Count("samples"),
        carried_failed=Count("samples", filter=Q(samples__final_verdict="fail")),
    )
    status = request.GET.get("status", "")
    if status in AnnouncementStatus.values:
        announcements = announcements.filter(status=status)
    page = Paginator(announcements.order_by("-created_at", "-id"), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "sampling/announcement_list.html",
        {
            "page": page,
            "status": status,
            "statuses": AnnouncementStatus.choices,
            "query": f"status={status}" if status else "",
        },
    )


@login_required
def announcement_create_view(request: HttpRequest) -> HttpResponse:
    _require_role(request.user, DRAFTING_ROLES)
    task_id = request.POST.get("task") or request.GET.get("task")
    if not (task_id and str(task_id).isdigit()):
        return render(
            request,
            "sampling/announcement_choose_task.html",
            {"tasks": tasks_visible_to(request.user).order_by("-year", "code")[:200]},
        )
    task = get_object_or_404(tasks_visible_to(request.user), pk=int(task_id))
    initial_title = _("关于%(name)s结果的公告") % {"name": task.name}
    if request.method == "POST":
        form = AnnouncementForm(request.POST, task=task)
        if form.is_valid():
            try:
                announcement = announcement_create(
                    user=request.user,
                    task=task,
                    title=form.cleaned_data["title"],
                    number=form.cleaned_data["number"],
                    summary=form.cleaned_data["summary"],
                    samples=list(form.cleaned_data["samples"]),
                )
            except PermissionDenied as exc:
                raise HttpForbidden(str(exc))
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("公告草稿已保存，请预览后发布"))
                return redirect("sampling:announcement_detail", pk=announcement.pk)
    else:
        form = AnnouncementForm(task=task, initial={"title": initial_title})
        form.initial["samples"] = [s.pk for s in form.fields["samples"].queryset]
    return render(request, "sampling/announcement_form.html", {"form": form, "task": task})


@login_required
def announcement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_role(request.user, DRAFTING_ROLES)
    announcement = get_object_or_404(announcements_visible_to(request.user), pk=pk)
    samples = announcement_samples(announcement)
    counts = samples.aggregate(
        batches=Count("id"),
        failed=Count("id", filter=Q(final_verdict="fail")),
        pending=Count("id", filter=~Q(final_verdict__in=["pass", "fail"])),
    )
    can_publish = request.user.has_role(*PUBLISHING_ROLES) and region_in_jurisdiction(
        request.user, announcement.region_id
    )
    return render(
        request,
        "sampling/announcement_detail.html",
        {
            "announcement": announcement,
            "rows": samples,
            "counts": counts,
            "can_publish": can_publish,
            "withdrawals": announcement_withdrawals(announcement)[:10],
            "withdraw_form": WithdrawForm(),
            "is_published": announcement.status == AnnouncementStatus.PUBLISHED,
        },
    )


def _publication_counts(announcement) -> dict:
    return announcement_samples(announcement).aggregate(
        batches=Count("id"),
        failed=Count("id", filter=Q(final_verdict="fail")),
        pending=Count("id", filter=~Q(final_verdict__in=["pass", "fail"])),
    )


@login_required
@require_http_methods(["GET", "POST"])
def announcement_publish_view(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: how many batches and failures go public (a page, no JavaScript); POST: publish."""
    announcement = get_object_or_404(announcements_visible_to(request.user), pk=pk)
    if request.method == "GET":
        if not policies.can_publish(request.user, announcement):
            raise HttpForbidden
        counts = _publication_counts(announcement)
        failed = announcement_samples(announcement).filter(final_verdict="fail")
        blocked = []
        if counts["pending"]:
            blocked.append(_("有 %(n)s 个批次尚无最终检验结论，公告不能发布。") % {"n": counts["pending"]})
        if not counts["batches"]:
            blocked.append(_("公告没有任何抽样单，不能发布"))
        return render(
            request,
            "sampling/confirm_action.html",
            {
                "heading": _("发布结果公告"),
                "subject": announcement.title,
                "consequences": [
                    _("%(batches)s 个批次的抽查结果将对社会公众公开，其中不合格 %(failed)s 批次。") % counts,
                    _("公开后出现在公众查询页面和开放接口中，并记入企业信用记录；如需更正，只能撤回公告并写明理由。"),
                ],
                "blocked": blocked,
                "listing": [f"{s.sample_no} {s.enterprise.name} · {s.product_type.name}" for s in failed[:50]],
                "listing_title": _("将公开的不合格批次（%(n)s）") % {"n": counts["failed"]},
                "button": _("确认发布"),
                "back_url": reverse("sampling:announcement_detail", args=[announcement.pk]),
            },
        )
    try:
        announcement_publish(user=request.user, announcement=announcement)
    except PermissionDenied as exc:
        raise HttpForbidden(str(exc))
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("公告已发布，社会公众现在可以查询其中的抽查结果"))
    return redirect("sampling:announcement_detail", pk=announcement.pk)


@login_required
@require_http_methods(["GET", "POST"])
def announcement_withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: what withdrawing will do, with the reason to give; POST: withdraw."""
    announcement = get_object_or_404(announcements_visible_to(request.user), pk=pk)
    if request.method == "GET":
        if not policies.can_withdraw(request.user, announcement):
            raise HttpForbidden
        counts = _publication_counts(announcement)
        return render(
            request,
            "sampling/confirm_action.html",
            {
                "heading": _("撤回结果公告"),
                "subject": announcement.title,
                "consequences": [
                    _("本公告的 %(batches)s 个批次（其中不合格 %(failed)s 批次）立即从公众查询页面和开放接口中移除。")
                    % counts,
                    _("公告恢复为草稿，撤回理由和撤回人永久记录；更正后可重新发布。"),
                ],
                "form": WithdrawForm(),
                "button": _("确认撤回"),
                "button_style": "danger",
                "back_url": reverse("sampling:announcement_detail", args=[announcement.pk]),
            },
        )
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("撤回理由：必须填写"))
        return redirect("sampling:announcement_detail", pk=announcement.pk)
    try:
        announcement_withdraw(user=request.user, announcement=announcement, reason=form.cleaned_data["reason"])
    except PermissionDenied as exc:
        raise HttpForbidden(str(exc))
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("公告已撤回，其中的抽查结果已从公开页面移除"))
    return redirect("sampling:announcement_detail", pk=announcement.pk)


urlpatterns = [
    path("announcements/", announcement_list, name="announcement_list"),
    path("announcements/new/", announcement_create_view, name="announcement_create"),
    path("announcements/<int:pk>/", announcement_detail, name="announcement_detail"),
    path("announcements/<int:pk>/publish/", announcement_publish_view, name="announcement_publish"),
    path("announcements/<int:pk>/withdraw/", announcement_withdraw_view, name="announcement_withdraw"),
]

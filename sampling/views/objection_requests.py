"""Staff pages of the online objection requests: the queue, and registering or refusing one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from sampling import policies
from sampling.forms.objection_requests import ObjectionRequestRejectForm
from sampling.models import ObjectionRequestStatus
from sampling.services import objection_requests as services


def _visible(request):
    if not request.user.has_role(*policies.OBJECTION_ROLES):
        raise PermissionDenied
    return services.objection_requests_visible_to(request.user)


@login_required
def objection_request_list(request):
    requests = _visible(request)
    status = request.GET.get("status", ObjectionRequestStatus.PENDING)
    if status not in ObjectionRequestStatus.values and status != "all":
        status = ObjectionRequestStatus.PENDING
    if status != "all":
        requests = requests.filter(status=status)
    if status == ObjectionRequestStatus.PENDING:
        requests = requests.order_by("submitted_at")
    page = Paginator(requests, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "sampling/objection_request_list.html",
        {
            "page_obj": page,
            "status": status,
            "statuses": [*ObjectionRequestStatus.choices, ("all", _("全部"))],
        },
    )


@login_required
def objection_request_detail(request, pk: int):
    item = get_object_or_404(_visible(request), pk=pk)
    return render(
        request,
        "sampling/objection_request_detail.html",
        {
            "item": item,
            "can_handle": item.status == ObjectionRequestStatus.PENDING
            and services.can_handle_objection_request(request.user, item),
            "reject_form": ObjectionRequestRejectForm(),
        },
    )


@login_required
@require_POST
def objection_request_register(request, pk: int):
    item = get_object_or_404(_visible(request), pk=pk)
    try:
        item = services.objection_request_register(user=request.user, request=item)
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect(reverse("sampling:objection_request_detail", args=[pk]))
    messages.success(
        request,
        _("已将网上异议申请 %(ref)s 登记为抽样单 %(no)s 的异议。")
        % {"ref": item.reference, "no": item.sample.sample_no},
    )
    return redirect(reverse("sampling:objection_request_detail", args=[pk]))


@login_required
@require_POST
def objection_request_reject(request, pk: int):
    item = get_object_or_404(_visible(request), pk=pk)
    form = ObjectionRequestRejectForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("不予登记理由：不能为空。"))
        return redirect(reverse("sampling:objection_request_detail", args=[pk]))
    try:
        services.objection_request_reject(user=request.user, request=item, note=form.cleaned_data["note"])
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已对网上异议申请 %(ref)s 作出不予登记的处理。") % {"ref": item.reference})
    return redirect(reverse("sampling:objection_request_detail", args=[pk]))


urlpatterns = [
    path("objection-requests/", objection_request_list, name="objection_request_list"),
    path("objection-requests/<int:pk>/", objection_request_detail, name="objection_request_detail"),
    path("objection-requests/<int:pk>/register/", objection_request_register, name="objection_request_register"),
    path("objection-requests/<int:pk>/reject/", objection_request_reject, name="objection_request_reject"),
]

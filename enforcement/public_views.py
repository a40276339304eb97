"""Public pages (no sign-in): the complaint form, the complaint status for a receipt and code, and the
published penalties (Order 45) — nothing else of a case is ever shown."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django_ratelimit.decorators import ratelimit

from core import ratelimits
from core.errors import DomainError
from enforcement import forms, selectors, services


@never_cache
@ratelimit(key="ip", rate=ratelimits.rate("PUBLIC_COMPLAINT_RATE"), method="POST", block=False)
def complaint_new(request):
    if getattr(request, "limited", False):
        return ratelimits.limited(request)
    form = forms.PublicComplaintForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                clue, code = services.complaint_submit(**form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            return render(request, "enforcement/public/complaint_receipt.html", {"clue": clue, "code": code})
    return render(request, "enforcement/public/complaint_form.html", {"form": form})


@never_cache
@ratelimit(key="ip", rate=ratelimits.rate("PUBLIC_COMPLAINT_STATUS_RATE"), method="POST", block=False)
def complaint_status(request):
    if getattr(request, "limited", False):
        return ratelimits.limited(request)
    form = forms.ComplaintStatusForm(request.POST or None)
    status = None
    searched = False
    if request.method == "POST" and form.is_valid():
        searched = True
        status = services.complaint_status(**form.cleaned_data)
        if status is None:
            form.add_error(None, _("未找到与该回执号和查询码对应的投诉举报，请核对后重试。"))
    return render(
        request, "enforcement/public/complaint_status.html", {"form": form, "status": status, "searched": searched}
    )


def penalty_list(request):
    qs = selectors.public_penalties()
    query = request.GET.get("q", "").strip()
    if query:
        qs = qs.filter(party_name__icontains=query) | qs.filter(decision_no__icontains=query)
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    return render(request, "enforcement/public/penalty_list.html", {"page_obj": page, "q": query})


def penalty_detail(request, pk: int):
    publication = get_object_or_404(selectors.public_penalties(), pk=pk)
    return render(request, "enforcement/public/penalty_detail.html", {"p": publication})


urlpatterns = [
    path("complaints/new/", complaint_new, name="complaint_new"),
    path("complaints/status/", complaint_status, name="complaint_status"),
    path("penalties/", penalty_list, name="penalty_list"),
    path("penalties/<int:pk>/", penalty_detail, name="penalty_detail"),
]

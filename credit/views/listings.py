"""Staff pages of the serious-violation list and of the enterprises' applications."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError, PermissionDenied
from core.models_facts import EnterpriseFact
from credit import policies, selectors
from credit.models import ApplicationDocument, ApplicationStatus, ListingStatus
from credit.services import applications as app_services
from credit.services import listings as services


def _require_staff(user) -> None:
    if not policies.can_view_listings(user):
        raise HttpForbidden(_("您的角色无权办理严重违法失信名单。"))


def _date(value: str, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat((value or "").strip())
    except ValueError:
        raise DomainError(_("%(field)s：请输入有效日期（如 2026-03-02）。") % {"field": field})


@login_required
def listing_list(request: HttpRequest) -> HttpResponse:
    _require_staff(request.user)
    queryset = selectors.listings_visible_to(request.user)
    status = request.GET.get("status", "")
    if status in ListingStatus.values:
        queryset = queryset.filter(status=status)
    page = Paginator(queryset.order_by("-proposed_on", "-id"), 30).get_page(request.GET.get("page"))
    penalties = selectors.penalties_to_propose(request.user)[:20]
    return render(
        request,
        "credit/listing_list.html",
        {"page": page, "status": status, "statuses": ListingStatus.choices, "penalties": penalties},
    )


@login_required
def listing_new(request: HttpRequest, fact_id: int) -> HttpResponse:
    fact = get_object_or_404(EnterpriseFact.objects.select_related("enterprise"), pk=fact_id)
    if not policies.can_propose_listing(request.user, fact):
        raise HttpForbidden(_("您无权依据该行政处罚提出列入。"))
    error = ""
    reason = request.POST.get("reason", "")
    basis = request.POST.get("basis", services.DEFAULT_BASIS)
    if request.method == "POST":
        try:
            listing = services.listing_propose(user=request.user, penalty_fact=fact, reason=reason, basis=basis)
            messages.success(request, _("已提出列入，请向企业送达列入告知书。"))
            return redirect("credit:listing_detail", listing.pk)
        except DomainError as exc:
            error = str(exc)
    return render(request, "credit/listing_new.html", {"fact": fact, "error": error, "reason": reason, "basis": basis})


def _actions(user, listing) -> dict[str, bool]:
    return {
        "notice": policies.can_serve_notice(user, listing),
        "defence": policies.can_record_defence(user, listing),
        "submit": policies.can_submit_for_approval(user, listing),
        "approve": policies.can_approve(user, listing),
        "decide": policies.can_decide_listing(user, listing),
        "decline": policies.can_decline_listing(user, listing),
    }


@login_required
def listing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_staff(request.user)
    listing = get_object_or_404(selectors.listings_visible_to(request.user).select_related("penalty_fact"), pk=pk)
    term = services.listing_term(listing.listed_on) if listing.listed_on else None
    return render(
        request,
        "credit/listing_detail.html",
        {
            "listing": listing,
            "steps": listing.steps.select_related("by"),
            "actions": _actions(request.user, listing),
            "today": timezone.localdate(),
            "term": term,
            "applications": listing.applications.order_by("-submitted_on"),
            "listed_now": listing.is_listed_on(timezone.localdate()),
        },
    )


@login_required
@require_POST
def listing_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    _require_staff(request.user)
    listing = get_object_or_404(selectors.listings_visible_to(request.user), pk=pk)
    user, post = request.user, request.POST
    try:
        if action == "notice":
            services.listing_notice(user=user, listing=listing, served_on=_date(post.get("served_on"), _("送达日期")))
        elif action == "defence":
            services.listing_record_defence(user=user, listing=listing, text=post.get("text", ""))
        elif action == "submit":
            services.listing_submit(user=user, listing=listing)
        elif action == "approve":
            services.listing_approve(user=user, listing=listing, note=post.get("note", ""))
        elif action == "decide":
            services.listing_decide(user=user, listing=listing)
        elif action == "decline":
            services.listing_decline(user=user, listing=listing, reason=post.get("reason", ""))
        else:
            raise Http404
        messages.success(request, _("已办理。"))
    except PermissionDenied as exc:  # the policy refused: a 403, not a flash message
        raise HttpForbidden(str(exc)) from exc
    except DomainError as exc:
        messages.error(request, str(exc))
    return redirect("credit:listing_detail", pk)


# --- Applications -----------------------------------------------------------------------------------------


@login_required
def application_list(request: HttpRequest) -> HttpResponse:
    _require_staff(request.user)
    queryset = selectors.applications_visible_to(request.user)
    status = request.GET.get("status", "")
    if status in ApplicationStatus.values:
        queryset = queryset.filter(status=status)
    page = Paginator(queryset.order_by("-submitted_on", "-id"), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "credit/application_list.html",
        {"page": page, "status": status, "statuses": ApplicationStatus.choices, "today": timezone.localdate()},
    )


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(selectors.applications_visible_to(request.user), pk=pk)
    if not policies.can_view_application(request.user, application):
        raise HttpForbidden(_("您无权查看该申请。"))
    if request.method == "POST":
        try:
            app_services.application_decide(
                user=request.user,
                application=application,
                grant=request.POST.get("decision") == "grant",
                note=request.POST.get("note", ""),
                evidence_checked=bool(request.POST.get("evidence_checked")),
            )
            messages.success(request, _("已作出决定。"))
            return redirect("credit:application_detail", pk)
        except DomainError as exc:
            messages.error(request, str(exc))
    eligibility = None
    if application.status == ApplicationStatus.SUBMITTED:
        if application.listing_id:
            eligibility = app_services.removal_eligibility(application.listing, harm_removed=application.harm_removed)
        else:
            eligibility = app_services.repair_eligibility(application.penalty_fact)
    return render(
        request,
        "credit/application_detail.html",
        {
            "application": application,
            "documents": application.documents.all(),
            "can_decide": policies.can_decide_application(request.user, application),
            "eligibility": eligibility,
            "due": app_services.decision_due(application),
            "base": "base.html",
        },
    )


@login_required
def document_download(request: HttpRequest, pk: int) -> FileResponse:
    document = get_object_or_404(ApplicationDocument.objects.select_related("application"), pk=pk)
    if not policies.can_view_application(request.user, document.application):
        raise HttpForbidden(_("您无权查看该材料。"))
    extension = document.file.name.rsplit(".", 1)[-1]
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=f"{document.application.number}-{document.pk}.{extension}",
        content_type=document.content_type,
    )


urlpatterns = [
    path("credit/listings/", listing_list, name="listing_list"),
    path("credit/listings/new/<int:fact_id>/", listing_new, name="listing_new"),
    path("credit/listings/<int:pk>/", listing_detail, name="listing_detail"),
    path("credit/listings/<int:pk>/<slug:action>/", listing_action, name="listing_action"),
    path("credit/applications/", application_list, name="application_list"),
    path("credit/applications/<int:pk>/", application_detail, name="application_detail"),
    path("credit/documents/<int:pk>/", document_download, name="document"),
]

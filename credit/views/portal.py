"""The enterprise portal (/enterprise/): an enterprise's own account sees its facts, a class-free profile, its
listings and penalties with what it may apply for and from which day, and files applications with documents."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from credit import policies, selectors
from credit.kinds import kind_label
from credit.models import ApplicationKind, ApplicationStatus, CreditApplication, ListingStatus
from credit.services import applications as services
from credit.services.listings import listing_record_defence


def _enterprise(request):
    if not policies.is_enterprise_account(request.user):
        raise HttpForbidden(_("企业服务仅供企业用户使用。"))
    return request.user.enterprise


@login_required
def home(request: HttpRequest) -> HttpResponse:
    enterprise = _enterprise(request)
    today = timezone.localdate()
    listings = []
    for listing in selectors.own_listings(enterprise):
        eligibility = (
            services.removal_eligibility(listing, today=today) if listing.status == ListingStatus.LISTED else None
        )
        open_application = listing.applications.filter(status=ApplicationStatus.SUBMITTED).first()
        listings.append({"listing": listing, "eligibility": eligibility, "open": open_application})
    penalties = []
    for fact in selectors.own_published_penalties(enterprise, today):
        open_application = CreditApplication.objects.filter(
            penalty_fact=fact, status=ApplicationStatus.SUBMITTED
        ).first()
        penalties.append(
            {"fact": fact, "eligibility": services.repair_eligibility(fact, today=today), "open": open_application}
        )
    facts = Paginator(selectors.own_facts(enterprise), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "credit/portal/home.html",
        {
            "enterprise": enterprise,
            "listings": listings,
            "penalties": penalties,
            "applications": selectors.applications_visible_to(request.user).order_by("-submitted_on", "-id"),
            "facts": facts,
            "kind_label": kind_label,
            "today": today,
        },
    )


def _apply(request, *, kind, listing=None, penalty_fact=None, eligibility=None):
    error = ""
    if request.method == "POST":
        try:
            application = services.application_file(
                user=request.user,
                kind=kind,
                listing=listing,
                penalty_fact=penalty_fact,
                statement=request.POST.get("statement", ""),
                harm_removed=bool(request.POST.get("harm_removed")),
                commitment=bool(request.POST.get("commitment")),
                files=request.FILES.getlist("documents"),
            )
            messages.success(request, _("申请已提交，编号 %(no)s。") % {"no": application.number})
            return redirect("credit:portal_application", application.pk)
        except DomainError as exc:
            error = str(exc)
    return render(
        request,
        "credit/portal/apply.html",
        {
            "kind": ApplicationKind(kind),
            "listing": listing,
            "penalty_fact": penalty_fact,
            "eligibility": eligibility,
            "error": error,
            "statement": request.POST.get("statement", ""),
        },
    )


@login_required
def apply_removal(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = _enterprise(request)
    listing = get_object_or_404(selectors.own_listings(enterprise), pk=pk)
    return _apply(
        request, kind=ApplicationKind.EARLY_REMOVAL, listing=listing, eligibility=services.removal_eligibility(listing)
    )


@login_required
def apply_repair(request: HttpRequest, fact_id: int) -> HttpResponse:
    enterprise = _enterprise(request)
    fact = get_object_or_404(selectors.own_published_penalties(enterprise), pk=fact_id)
    return _apply(
        request, kind=ApplicationKind.PENALTY_REPAIR, penalty_fact=fact, eligibility=services.repair_eligibility(fact)
    )


@login_required
@require_POST
def defence(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = _enterprise(request)
    listing = get_object_or_404(selectors.own_listings(enterprise), pk=pk)
    try:
        listing_record_defence(user=request.user, listing=listing, text=request.POST.get("text", ""))
        messages.success(request, _("陈述申辩意见已提交。"))
    except DomainError as exc:
        messages.error(request, str(exc))
    return redirect("credit:portal_home")


@login_required
def application(request: HttpRequest, pk: int) -> HttpResponse:
    _enterprise(request)
    item = get_object_or_404(selectors.applications_visible_to(request.user), pk=pk)
    if request.method == "POST":
        try:
            services.application_withdraw(user=request.user, application=item)
            messages.success(request, _("申请已撤回。"))
        except DomainError as exc:
            messages.error(request, str(exc))
        return redirect("credit:portal_application", pk)
    return render(
        request,
        "credit/portal/application.html",
        {
            "application": item,
            "documents": item.documents.all(),
            "due": services.decision_due(item),
            "can_withdraw": policies.can_withdraw_application(request.user, item),
        },
    )


urlpatterns = [
    path("enterprise/", home, name="portal_home"),
    path("enterprise/listings/<int:pk>/apply/", apply_removal, name="portal_apply_removal"),
    path("enterprise/listings/<int:pk>/defence/", defence, name="portal_defence"),
    path("enterprise/penalties/<int:fact_id>/apply/", apply_repair, name="portal_apply_repair"),
    path("enterprise/applications/<int:pk>/", application, name="portal_application"),
]

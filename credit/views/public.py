"""Public pages (no sign-in): the serious-violation list, a listing, and an enterprise's credit profile with
only what is published and still within its period. Never a class."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils import timezone

from core.models import Enterprise
from credit import selectors

PER_PAGE = 20


def blacklist(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:100]
    page = Paginator(selectors.search_public_listings(q), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "credit/public/blacklist.html", {"page": page, "q": q})


def listing_detail(request: HttpRequest, number: str) -> HttpResponse:
    listing = selectors.public_listing(number)
    if listing is None:
        raise Http404
    return render(
        request,
        "credit/public/listing_detail.html",
        {"listing": listing, "listed_now": listing.is_listed_on(timezone.localdate())},
    )


def enterprise_profile(request: HttpRequest, uscc: str) -> HttpResponse:
    enterprise = get_object_or_404(Enterprise.objects.select_related("region"), uscc=uscc.upper())
    today = timezone.localdate()
    facts = list(selectors.public_profile_facts(enterprise, on=today)[:200])
    groups = {
        "results": [f for f in facts if f.kind == "sampling.result_published"],
        "penalties": [f for f in facts if f.kind == "enforcement.penalty_published"],
        "recalls": [f for f in facts if f.kind == "recalls.notice_published"],
    }
    current = list(selectors.public_listings(on=today).filter(enterprise=enterprise))
    return render(
        request,
        "credit/public/enterprise_profile.html",
        {
            "enterprise": enterprise,
            "groups": groups,
            "current_listings": current,
            "past_listings": selectors.public_past_listings(enterprise, on=today),
            "today": today,
        },
    )


urlpatterns = [
    path("blacklist/", blacklist, name="blacklist"),
    path("blacklist/<str:number>/", listing_detail, name="listing_detail"),
    path("enterprises/<str:uscc>/", enterprise_profile, name="enterprise_profile"),
]

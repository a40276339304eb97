"""Public pages (no sign-in): the serious-violation list, a listing, and an enterprise's credit profile with
only what is published and still within its period. Never a class."""

from __future__ import annotations

from dataclasses import dataclass

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


# The profile's sections, each paged on its own (?results_page=2): an enterprise with thousands of published
# results still shows its penalties, and a page renders at most SECTION_SIZE rows per section.
PROFILE_SECTIONS = (
    ("results", "sampling.result_published"),
    ("penalties", "enforcement.penalty_published"),
    ("recalls", "recalls.notice_published"),
)
SECTION_SIZE = 20


@dataclass
class SectionPage:
    """One page of a profile section, read as SECTION_SIZE + 1 rows (the extra one says whether a next page
    exists): no COUNT over an enterprise's thousands of facts."""

    rows: list
    number: int
    has_next: bool
    param: str
    others: str

    def __iter__(self):
        return iter(self.rows)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


def _section(request: HttpRequest, facts, name: str) -> SectionPage:
    param = f"{name}_page"
    try:
        number = max(1, min(int(request.GET.get(param, 1)), 10_000))
    except ValueError:
        number = 1
    start = (number - 1) * SECTION_SIZE
    rows = list(facts[start : start + SECTION_SIZE + 1])
    others = request.GET.copy()
    others.pop(param, None)
    return SectionPage(rows[:SECTION_SIZE], number, len(rows) > SECTION_SIZE, param, others.urlencode())


def enterprise_profile(request: HttpRequest, uscc: str) -> HttpResponse:
    enterprise = get_object_or_404(Enterprise.objects.select_related("region"), uscc=uscc.upper())
    today = timezone.localdate()
    published = selectors.public_profile_facts(enterprise, on=today)
    groups = {name: _section(request, published.filter(kind=kind), name) for name, kind in PROFILE_SECTIONS}
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

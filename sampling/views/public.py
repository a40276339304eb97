"""Public pages (社会公众查询), no sign-in: published announcements and results only.

Every row shown here comes from sampling.selectors.published_samples() (through public_results()).
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import path
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from core.pagination import CappedPaginator
from sampling.public_cache import ANNOUNCEMENTS, RESULTS, cached_section
from sampling.public_filters import PublishedSampleFilter, narrow_search_choices
from sampling.selectors import (
    public_results,
    public_totals,
    published_announcements,
    published_samples,
)

RESULTS_PER_PAGE = 25
ANNOUNCEMENTS_PER_PAGE = 20
# The result search counts at most this many rows (40 pages). Counting every match of a broad search over
# millions of published batches costs more than the page itself; like other public query portals the page
# then says "more than 1,000" and asks for narrower conditions instead of printing an exact total.
RESULT_COUNT_CAP = 1000
RESULT_LIST_COLUMNS = (
    "sampled_on",
    "region_id",
    "brand",
    "model_spec",
    "production_batch",
    "final_verdict",
    "announcement__id",
    "announcement__number",
    "announcement__title",
    "enterprise__id",
    "enterprise__name",
    "product_type__id",
    "product_type__name",
    "product_type__group__id",
    "product_type__group__name",
)
ANNOUNCEMENT_LIST_COLUMNS = (
    "title",
    "number",
    "status",
    "published_at",
    "batch_count",
    "failed_count",
    "region",  # the whole region row (its name in the page's language)
)
REGION_PARAMETERS = ("region", "province", "city", "county")


def _query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    latest = published_announcements()[:8]
    search = PublishedSampleFilter(queryset=published_samples())
    return render(request, "public/index.html", {"latest": latest, "form": search.form, "totals": public_totals()})


@require_GET
def announcement_list(request: HttpRequest) -> HttpResponse:
    section = cached_section(ANNOUNCEMENTS, request.GET, get_language(), lambda: (_announcement_section(request), True))
    return render(request, "public/announcement_list.html", {"announcement_section": section})


def _announcement_section(request: HttpRequest) -> str:
    # The columns public/_announcement_table.html shows (the stored batch counts); the task is not shown.
    announcements = published_announcements().select_related(None).select_related("region")
    announcements = announcements.only(*ANNOUNCEMENT_LIST_COLUMNS)
    page = Paginator(announcements, ANNOUNCEMENTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"page": page, "query": _query_without_page(request)}
    return render_to_string("public/_announcement_section.html", context)


@require_GET
def announcement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    announcement = get_object_or_404(published_announcements(), pk=pk)
    samples = public_results().filter(announcement=announcement)
    page = Paginator(samples, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    counts = samples.aggregate(batches=Count("id"), failed=Count("id", filter=Q(final_verdict="fail")))
    return render(
        request,
        "public/announcement_detail.html",
        {"announcement": announcement, "page": page, "counts": counts, "query": _query_without_page(request)},
    )


@require_GET
def result_search(request: HttpRequest) -> HttpResponse:
    # The page's content (the search form with its values and errors, and the results) is the same for every
    # visitor: a valid search is kept rendered per query string and language (sampling.public_cache), so a hit
    # neither builds the filters nor reads a batch. Only the layout around it is rendered per visitor.
    invalid = False

    def content() -> tuple[str, bool]:
        nonlocal invalid
        search = PublishedSampleFilter(request.GET or None, queryset=public_results())
        narrow_search_choices(search.form, request.GET)
        # A bad parameter (year=abc) is named on the page, and nothing is listed instead of everything.
        invalid = search.is_bound and not search.is_valid()
        results = public_results().none() if invalid else search.qs
        by_region = not invalid and any(request.GET.get(name) for name in REGION_PARAMETERS)
        context = {"form": search.form, "invalid": invalid, **_result_page(results, request, by_region=by_region)}
        return render_to_string("public/_result_search_content.html", context), not invalid

    html = cached_section(RESULTS, request.GET, get_language(), content)
    return render(request, "public/result_search.html", {"content": html}, status=400 if invalid else 200)


def _result_page(results, request: HttpRequest, *, by_region: bool) -> dict:
    # The columns the list shows (public/_batch_table.html, public_portal.public_batch_rows); the region's full
    # name comes from the per-process table, so core_region is not joined.
    results = results.select_related(None).select_related("announcement", "enterprise", "product_type__group")
    results = results.only(*RESULT_LIST_COLUMNS)
    page = CappedPaginator(results, RESULTS_PER_PAGE, cap=RESULT_COUNT_CAP, count_in_order=by_region).get_page(
        request.GET.get("page")
    )
    return {"page": page, "query": _query_without_page(request)}


@require_GET
def result_detail(request: HttpRequest, pk: int) -> HttpResponse:
    sample = get_object_or_404(public_results(), pk=pk)
    return render(request, "public/result_detail.html", {"sample": sample, "result": _final_result(sample)})


def _final_result(sample):
    results = getattr(sample, "confirmed_results", None) or []
    return results[0] if results else None


urlpatterns = [
    path("", index, name="index"),
    path("announcements/", announcement_list, name="announcement_list"),
    path("announcements/<int:pk>/", announcement_detail, name="announcement_detail"),
    path("results/", result_search, name="result_search"),
    path("results/<int:pk>/", result_detail, name="result_detail"),
]

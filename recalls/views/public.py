"""The public recall portal (召回信息查询), no sign-in: published notices only, search, the notice page in the
shape of DPAC's notices with the live completion rate, the Atom feed, the owners' lookup by VIN or product,
and the public defect report form. Nothing internal and no reporter's details ever reach these pages."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET
from django_ratelimit.decorators import ratelimit

from core.errors import DomainError
from core.pagination import CappedPaginator
from recalls.charts import completion_svg
from recalls.forms import DefectReportForm
from recalls.models import Category, Remedy
from recalls.selectors import public_search, published_recalls, recalls_covering_product, recalls_covering_vin
from recalls.services.defect_reports import defect_report_submit
from recalls.vin import VinError, validate_vin

PER_PAGE = 20
FEED_ITEMS = 50
# Rates for the HTML pages (django-ratelimit, per client address); the API uses DRF's throttles.
# Settings RECALLS_REPORT_RATE / RECALLS_LOOKUP_RATE override them (None: no limit, e.g. for a benchmark).
REPORT_RATE = "10/h"
LOOKUP_RATE = "60/m"


def _report_rate(group, request):
    return getattr(settings, "RECALLS_REPORT_RATE", REPORT_RATE)


def _lookup_rate(group, request):
    return getattr(settings, "RECALLS_LOOKUP_RATE", LOOKUP_RATE)


ORDERS = [
    ("-published_on", gettext_lazy("发布日期（新→旧）")),
    ("published_on", gettext_lazy("发布日期（旧→新）")),
    ("-units", gettext_lazy("涉及数量（多→少）")),
    ("-updated", gettext_lazy("最近更新")),
]


class SearchForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("关键词"),
        required=False,
        max_length=100,
        help_text=gettext_lazy("产品、品牌、型号、生产者或召回编号"),
    )
    brand = forms.CharField(label=gettext_lazy("品牌"), required=False, max_length=64)
    model = forms.CharField(label=gettext_lazy("型号"), required=False, max_length=64)
    producer = forms.CharField(label=gettext_lazy("生产者"), required=False, max_length=100)
    category = forms.ChoiceField(
        label=gettext_lazy("产品类别"), required=False, choices=[("", gettext_lazy("全部"))] + list(Category.choices)
    )
    remedy = forms.ChoiceField(
        label=gettext_lazy("召回措施"), required=False, choices=[("", gettext_lazy("全部"))] + list(Remedy.choices)
    )
    status = forms.ChoiceField(
        label=gettext_lazy("状态"),
        required=False,
        choices=[("", gettext_lazy("全部")), ("active", gettext_lazy("实施中")), ("closed", gettext_lazy("已结束"))],
    )
    date_from = forms.DateField(
        label=gettext_lazy("发布日期自"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(label=gettext_lazy("至"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    order = forms.ChoiceField(label=gettext_lazy("排序"), required=False, choices=ORDERS)


def _query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@require_GET
def recall_search(request):
    form = SearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = public_search(**{k: v for k, v in filters.items() if v not in (None, "")})
    page = CappedPaginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "recalls/public/search.html",
        {"form": form, "page_obj": page, "recalls": page.object_list, "query": _query_without_page(request)},
    )


@require_GET
def recall_notice(request, pk: int):
    recall = get_object_or_404(published_recalls(), pk=pk)
    vin_ranges = list(recall.vin_ranges.order_by("stem", "serial_from")[:20])
    return render(
        request,
        "recalls/public/notice.html",
        {
            "recall": recall,
            "vin_ranges": vin_ranges,
            "vin_range_count": recall.vin_ranges.count(),
            "chart": completion_svg(recall),
        },
    )


@require_GET
def recall_notice_chart(request, pk: int):
    recall = get_object_or_404(published_recalls(), pk=pk)
    return HttpResponse(completion_svg(recall), content_type="image/svg+xml")


class RecallFeed(Feed):
    """New and updated recall notices (Atom 1.0), newest change first; ``?category=vehicle|consumer``."""

    feed_type = Atom1Feed

    def get_object(self, request):
        category = request.GET.get("category", "")
        return category if category in Category.values else ""

    def title(self, category):
        label = dict(Category.choices).get(category)
        return _("缺陷产品召回信息") + (f" · {label}" if label else "")

    def link(self, category):
        return reverse("recalls_public:search") + (f"?category={category}" if category else "")

    def subtitle(self, category):
        return _("已发布的缺陷产品召回公告（新发布和更新）。")

    def items(self, category):
        qs = published_recalls().order_by("-last_published_at", "-id")
        if category:
            qs = qs.filter(category=category)
        return qs[:FEED_ITEMS]

    def item_title(self, recall):
        return f"{recall.producer.name}召回部分{recall.brand}{recall.product}"

    def item_description(self, recall):
        return _("召回编号 %(no)s；涉及数量 %(units)s；缺陷：%(defect)s") % {
            "no": recall.recall_no,
            "units": recall.units_affected,
            "defect": recall.defect,
        }

    def item_link(self, recall):
        return reverse("recalls_public:notice", args=[recall.pk])

    def item_guid(self, recall):
        return f"tag:zhijiantong,{recall.published_on.isoformat()}:recall/{recall.recall_no}"

    item_guid_is_permalink = False

    def item_pubdate(self, recall):
        from datetime import datetime, time

        from django.utils import timezone

        return timezone.make_aware(datetime.combine(recall.published_on, time(9)))

    def item_updateddate(self, recall):
        return recall.last_published_at

    def item_author_name(self, recall):
        return recall.producer.name

    def item_categories(self, recall):
        return [recall.get_category_display()]


class LookupForm(forms.Form):
    vin = forms.CharField(label=gettext_lazy("车辆识别代号（VIN）"), required=False, max_length=40)
    brand = forms.CharField(label=gettext_lazy("品牌"), required=False, max_length=64)
    model = forms.CharField(label=gettext_lazy("型号"), required=False, max_length=64)
    batch = forms.CharField(label=gettext_lazy("生产批号"), required=False, max_length=64)


@require_GET
@ratelimit(key="ip", rate=_lookup_rate, block=False)
def lookup(request):
    if getattr(request, "limited", False):
        return render(request, "recalls/public/limited.html", status=429)
    form = LookupForm(request.GET or None)
    results, searched, error, vin = None, False, "", ""
    if form.is_valid() and any(form.cleaned_data.values()):
        searched = True
        data = form.cleaned_data
        if data["vin"]:
            try:
                vin = validate_vin(data["vin"])
            except VinError as exc:
                error = str(exc)
                form.add_error(None, error)
            else:
                results = list(recalls_covering_vin(vin))
        elif data["model"] or data["batch"]:
            results = list(recalls_covering_product(brand=data["brand"], model=data["model"], batch=data["batch"]))
        else:
            error = _("请填写 VIN，或填写型号（或生产批号）后查询。")
    return render(
        request,
        "recalls/public/lookup.html",
        {"form": form, "results": results, "searched": searched, "error": error, "vin": vin},
        status=400 if error else 200,
    )


@ratelimit(key="ip", rate=_report_rate, method="POST", block=False)
def report_defect(request):
    if getattr(request, "limited", False):
        return render(request, "recalls/public/limited.html", status=429)
    form = DefectReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            report = defect_report_submit(**data, user=request.user if request.user.is_authenticated else None)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            request.session["recalls_report_no"] = report.report_no
            return redirect("recalls_public:report_done")
    return render(
        request, "recalls/public/report_form.html", {"form": form}, status=400 if request.method == "POST" else 200
    )


@require_GET
def report_done(request):
    return render(request, "recalls/public/report_done.html", {"report_no": request.session.get("recalls_report_no")})


urlpatterns = [
    path("recalls/", recall_search, name="search"),
    path("recalls/feed/", RecallFeed(), name="feed"),
    path("recalls/lookup/", lookup, name="lookup"),
    path("recalls/report/", report_defect, name="report"),
    path("recalls/report/done/", report_done, name="report_done"),
    path("recalls/<int:pk>/", recall_notice, name="notice"),
    path("recalls/<int:pk>/chart.svg", recall_notice_chart, name="notice_chart"),
]

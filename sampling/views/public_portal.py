"""More of the public portal (no sign-in): an announcement as PDF and Excel, and the enterprise's online objection.

Downloads read published_announcements() / public_results() only, like every public page.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.decorators import ratelimit

from core import ratelimits
from core.reports.render import html_to_pdf
from sampling.forms.objection_requests import ObjectionRequestForm
from sampling.models import ObjectionRequest
from sampling.selectors import public_results, published_announcements
from sampling.services.objection_requests import RequestInvalid, objection_request_submit
from sampling.xlsx import XLSX_CONTENT_TYPE, workbook_bytes


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    from urllib.parse import quote

    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def _announcement_rows(announcement):
    return list(public_results().filter(announcement=announcement).order_by("sample_no"))


def _final(sample):
    results = getattr(sample, "confirmed_results", None) or []
    return results[0] if results else None


def _verdict_word(sample) -> str:
    return {"pass": _("合格"), "fail": _("不合格")}.get(sample.final_verdict, _("待检验"))


@require_GET
def announcement_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    announcement = get_object_or_404(published_announcements(), pk=pk)
    rows = _announcement_rows(announcement)
    html = render_to_string(
        "public/announcement_pdf.html",
        {
            "announcement": announcement,
            "rows": [(sample, _final(sample)) for sample in rows],
            "counts": {"batches": len(rows), "failed": sum(1 for s in rows if s.final_verdict == "fail")},
            "font_family": settings.REPORT_FONT_FAMILY,
            "generated_on": timezone.localdate(),
            "LANGUAGE_CODE": get_language(),
        },
    )
    name = announcement.number or f"announcement-{announcement.pk}"
    return _download(html_to_pdf(html), "application/pdf", f"{name}.pdf")


ANNOUNCEMENT_COLUMNS = [
    gettext_lazy("序号"),
    gettext_lazy("产品名称"),
    gettext_lazy("受检企业"),
    gettext_lazy("所在地区"),
    gettext_lazy("商标"),
    gettext_lazy("规格型号"),
    gettext_lazy("生产日期/批号"),
    gettext_lazy("抽样日期"),
    gettext_lazy("不合格项目"),
    gettext_lazy("检验机构"),
    gettext_lazy("检验结论"),
]


@require_GET
def announcement_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    announcement = get_object_or_404(published_announcements(), pk=pk)
    rows = []
    for index, sample in enumerate(_announcement_rows(announcement), start=1):
        result = _final(sample)
        rows.append(
            [
                index,
                sample.product_type.name,
                sample.enterprise.name,
                sample.region.full_name,
                sample.brand,
                sample.model_spec,
                sample.production_batch,
                sample.sampled_on,
                "、".join(result.failed_items) if result and result.failed_items else "",
                result.institution.name if result else "",
                _verdict_word(sample),
            ]
        )
    header = [str(column) for column in ANNOUNCEMENT_COLUMNS]
    meta = [
        [_("公告标题"), announcement.title],
        [_("公告编号"), announcement.number],
        [_("发布时间"), timezone.localtime(announcement.published_at).strftime("%Y-%m-%d")],
        [_("抽查任务"), announcement.task.name],
    ]
    content = workbook_bytes([(_("抽查结果"), header, rows), (_("公告信息"), [_("项目"), _("内容")], meta)])
    name = announcement.number or f"announcement-{announcement.pk}"
    return _download(content, XLSX_CONTENT_TYPE, f"{name}.xlsx")


@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate=ratelimits.rate("PUBLIC_OBJECTION_RATE"), method="POST", block=False)
def objection_request_new(request: HttpRequest) -> HttpResponse:
    if getattr(request, "limited", False):
        return ratelimits.limited(request)
    form = ObjectionRequestForm(request.POST or None, initial={"sample_no": request.GET.get("sample_no", "")})
    if request.method == "POST" and form.is_valid():
        try:
            submitted = objection_request_submit(**form.cleaned_data)
        except RequestInvalid as exc:
            for field, message in exc.errors.items():
                form.add_error(field if field in form.fields else None, message)
        else:
            request.session["objection_request"] = submitted.reference
            return redirect(reverse("public:objection_request_done", args=[submitted.reference]))
    return render(request, "public/objection_request_form.html", {"form": form})


@require_GET
def objection_request_done(request: HttpRequest, reference: str) -> HttpResponse:
    # Only the browser that submitted the request sees its receipt (the reference is not a secret lookup key).
    if request.session.get("objection_request") != reference:
        return redirect(reverse("public:objection_request_new"))
    submitted = get_object_or_404(ObjectionRequest.objects.select_related("sample"), reference=reference)
    return render(request, "public/objection_request_done.html", {"submitted": submitted})


urlpatterns = [
    path("announcements/<int:pk>/pdf/", announcement_pdf, name="announcement_pdf"),
    path("announcements/<int:pk>/xlsx/", announcement_xlsx, name="announcement_xlsx"),
    path("objections/new/", objection_request_new, name="objection_request_new"),
    path("objections/<str:reference>/", objection_request_done, name="objection_request_done"),
]

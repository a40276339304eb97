"""The report archive in the browser: list, ask for a report, follow its status, view, download."""

from __future__ import annotations

from urllib.parse import quote

from csp.decorators import csp_update
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.models_reports import ReportStatus
from core.reports import languages, services
from core.reports.forms import ReportFilterForm, ReportRequestForm
from core.reports.registry import get_kind
from core.reports.render import render_html

REPORTS_PER_PAGE = 30


def _list_page(request, request_form: ReportRequestForm, status: int = 200):
    reports = services.reports_visible_to(request.user)
    filters = ReportFilterForm(request.GET or None)
    if filters.is_valid():
        data = filters.cleaned_data
        if data["kind"]:
            reports = reports.filter(kind=data["kind"])
        if data["period"]:
            reports = reports.filter(period__startswith=data["period"].strip().upper())
        if data["status"]:
            reports = reports.filter(status=data["status"])
    page_obj = Paginator(reports, REPORTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page_obj,
        "filters": filters,
        "form": request_form,
        "can_request": request.user.has_role(*services.REQUEST_ROLES),
    }
    return render(request, "reports/report_list.html", context, status=status)


@login_required
def report_list(request):
    return _list_page(request, ReportRequestForm(user=request.user))


@login_required
@require_POST
def report_request(request):
    form = ReportRequestForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            report, created = services.report_request(
                kind=form.cleaned_data["kind"],
                period=form.cleaned_data["period"],
                jurisdiction=form.cleaned_data["jurisdiction"],
                user=request.user,
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            if created:
                messages.success(request, _("报告已加入生成队列。"))
            elif report.status == ReportStatus.QUEUED:
                messages.info(request, _("该报告已在生成队列中。"))
            else:
                messages.info(request, _("该报告已存在，无需重复生成。"))
            return redirect("core:report_detail", pk=report.pk)
    return _list_page(request, form, status=400)


def _visible_report(request, pk: int):
    return get_object_or_404(services.reports_visible_to(request.user), pk=pk)


@login_required
def report_detail(request, pk: int):
    report = _visible_report(request, pk)
    summary = ""
    language = translation.get_language()
    if report.status == ReportStatus.DONE and language and language != settings.LANGUAGE_CODE:
        summary = languages.localized_snapshot(get_kind(report.kind), report.snapshot, language).get("summary", "")
    return render(request, "reports/report_detail.html", {"report": report, "summary": summary})


@login_required
def report_status(request, pk: int):
    """The status fragment that the detail page polls (htmx, every 2 s) until the report is finished."""
    report = _visible_report(request, pk)
    response = render(request, "reports/_status.html", {"report": report})
    if request.htmx and report.is_finished:
        # The page polled until now: reload it once so the figures and the summary appear.
        response["HX-Refresh"] = "true"
    return response


# The report page is the PDF's own HTML with its embedded stylesheet; it alone may use inline styles (no script).
@csp_update({"style-src": ["'unsafe-inline'"]})
@login_required
def report_view(request, pk: int):
    """The report as HTML, rendered from the stored snapshot: it shows the same figures as the PDF."""
    report = _visible_report(request, pk)
    if report.status != ReportStatus.DONE:
        raise Http404(_("报告尚未生成。"))
    language = languages.requested_language(request)
    if language:
        return HttpResponse(languages.localized_html(get_kind(report.kind), report.snapshot, language))
    return HttpResponse(render_html(get_kind(report.kind), report.snapshot))


@login_required
def report_download(request, pk: int):
    report = _visible_report(request, pk)
    if report.status != ReportStatus.DONE or not report.file:
        raise Http404(_("报告尚未生成。"))
    language = languages.requested_language(request)
    if language:
        # Rendered from the stored snapshot on request; the stored PDF stays the one of record.
        kind = get_kind(report.kind)
        title = languages.localized_title(kind, report.snapshot, language) or report.title
        response = HttpResponse(
            languages.localized_pdf(kind, report.snapshot, language), content_type="application/pdf"
        )
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(title)}.pdf"
        return response
    return FileResponse(
        report.file.open("rb"), as_attachment=True, filename=f"{report.title}.pdf", content_type="application/pdf"
    )

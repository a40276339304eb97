"""The notices to the enterprise: the PDF to print and serve (with its 送达回证) and the record of its service."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.errors import PermissionDenied as DomainPermissionDenied
from sampling import policies
from sampling.forms.notices import NoticeServiceForm
from sampling.selectors import results_visible_to
from sampling.services.notice_documents import render_notice_pdf
from sampling.services.notices import NoticeInvalid, notice_kinds_for, notice_serve
from sampling.views.results import sample_url


def _notice_result(request, pk: int, kind: str):
    result = get_object_or_404(
        results_visible_to(request.user).select_related("sample__task", "sample__enterprise", "institution"), pk=pk
    )
    if kind not in notice_kinds_for(result):
        raise Http404
    if not policies.can_handle_objections(request.user, result.sample):
        raise PermissionDenied
    return result


@login_required
def notice_pdf(request, pk: int, kind: str):
    result = _notice_result(request, pk, kind)
    response = HttpResponse(render_notice_pdf(result, kind), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="notice-{result.sample.sample_no}-{kind}.pdf"'
    return response


@login_required
@require_POST
def notice_serve_record(request, pk: int, kind: str):
    result = _notice_result(request, pk, kind)
    form = NoticeServiceForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}：{' '.join(errors)}" if label else " ".join(errors))
        return redirect(sample_url(result.sample))
    try:
        service = notice_serve(user=request.user, result=result, kind=kind, **form.cleaned_data)
    except DomainPermissionDenied:
        raise PermissionDenied
    except NoticeInvalid as exc:
        for message in exc.errors.values():
            messages.error(request, str(message))
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("已登记%(kind)s %(no)s 的送达（%(method)s，%(on)s）。")
            % {
                "kind": service.get_kind_display(),
                "no": service.number,
                "method": service.get_method_display(),
                "on": service.served_on.isoformat(),
            },
        )
    return redirect(sample_url(result.sample))


urlpatterns = [
    path("results/<int:pk>/notices/<str:kind>.pdf", notice_pdf, name="notice_pdf"),
    path("results/<int:pk>/notices/<str:kind>/serve/", notice_serve_record, name="notice_serve"),
]

"""Sample pages: list, registration, detail with photos, and the printable sampling form (抽样单) as PDF."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.pagination import CappedCountPaginator
from sampling import policies
from sampling.forms.samples import PhotoForm, SampleFilterForm, SampleForm
from sampling.selectors import enterprises_for_sampling, filter_sample_list, samples_visible_to, tasks_related_to
from sampling.services.samples import sample_photo_add, sample_register

SAMPLES_PER_PAGE = 50


@login_required
def sample_list(request):
    filters = SampleFilterForm(request.GET or None, user=request.user)
    samples = samples_visible_to(request.user).order_by("-sampled_on", "-id")
    if filters.is_valid():
        samples = filter_sample_list(samples, request.GET)
    # A national user's list matches millions of batches: an exact total only up to a cap (core.pagination).
    page = CappedCountPaginator(samples, SAMPLES_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "sampling/sample_list.html",
        {
            "page": page,
            "filters": filters,
            "query": query.urlencode(),
            # An empty list explains itself: nothing matches the filters, or nothing in the jurisdiction yet.
            "filtered": bool(query),
            "jurisdiction": None if request.user.is_superuser else request.user.jurisdiction,
            "can_register": policies.can_register_samples(request.user),
            "can_export": policies.can_export(request.user),
        },
    )


def _int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
def sample_create(request):
    # The form is offered only to those the service accepts it from (an institution never gets it).
    if not policies.can_register_samples(request.user):
        raise PermissionDenied
    tasks = tasks_related_to(request.user)
    task = None
    if request.method == "GET" and _int_or_none(request.GET.get("task")):
        task = tasks.filter(pk=_int_or_none(request.GET.get("task"))).first()
    if request.method == "POST":
        form = SampleForm(request.POST, user=request.user)
        if form.is_valid():
            data = dict(form.cleaned_data)
            data.pop("enterprise_uscc")
            try:
                sample = sample_register(user=request.user, **data)
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("抽样单“%(no)s”已登记。") % {"no": sample.sample_no})
                return redirect("sampling:sample_detail", pk=sample.pk)
    else:
        initial = {"sampled_on": timezone.localdate()}
        if task is not None:
            initial["task"] = task.pk
        enterprise_id = _int_or_none(request.GET.get("enterprise"))
        if enterprise_id:
            enterprise = enterprises_for_sampling(request.user, task).filter(pk=enterprise_id).first()
            if enterprise is not None:
                initial["enterprise_uscc"] = enterprise.uscc
        inspector_ids = [i for i in (_int_or_none(v) for v in request.GET.getlist("inspectors")) if i]
        if inspector_ids:
            initial["inspectors"] = inspector_ids
        form = SampleForm(initial=initial, user=request.user, task=task)
    return render(request, "sampling/sample_form.html", {"form": form, "task": task})


def _detail_context(request, sample, photo_form=None) -> dict:
    return {
        "sample": sample,
        "inspectors": sample.inspectors.select_related("jurisdiction").order_by("id"),
        "photos": sample.photos.order_by("uploaded_at"),
        "photo_form": photo_form or PhotoForm(),
        "can_add_photo": policies.can_add_photo(request.user, sample),
        "can_receive": policies.can_receive_sample(request.user, sample),
    }


@login_required
def sample_detail(request, pk: int):
    sample = get_object_or_404(
        samples_visible_to(request.user).select_related("task__institution", "received_by__institution"), pk=pk
    )
    return render(request, "sampling/sample_detail.html", _detail_context(request, sample))


@login_required
@require_POST
def sample_photo_upload(request, pk: int):
    sample = get_object_or_404(samples_visible_to(request.user), pk=pk)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            sample_photo_add(
                user=request.user, sample=sample, image=form.cleaned_data["image"], caption=form.cleaned_data["caption"]
            )
        except DomainError as error:
            form.add_error("image", str(error))
        else:
            messages.success(request, _("照片已上传。"))
            return redirect("sampling:sample_detail", pk=sample.pk)
    return render(request, "sampling/sample_detail.html", _detail_context(request, sample, form), status=400)


def render_sample_form_pdf(sample) -> bytes:
    """The sampling form (抽样单) as an A4 PDF in Chinese fonts."""
    from weasyprint import HTML

    from core.reports.pipeline import issuer_for

    html = render_to_string(
        "sampling/sample_form_pdf.html",
        {
            "sample": sample,
            "inspectors": list(sample.inspectors.order_by("id")),
            # The bureau that organised the task issues the form (长沙市芙蓉区市场监督管理局 for a county task).
            "issuer": issuer_for(sample.task.region),
            "font_family": settings.REPORT_FONT_FAMILY,
        },
    )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


@login_required
def sample_pdf(request, pk: int):
    sample = get_object_or_404(samples_visible_to(request.user).select_related("task__institution"), pk=pk)
    response = HttpResponse(render_sample_form_pdf(sample), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="sample-{sample.pk}.pdf"'
    return response


urlpatterns = [
    path("samples/", sample_list, name="sample_list"),
    path("samples/new/", sample_create, name="sample_create"),
    path("samples/<int:pk>/", sample_detail, name="sample_detail"),
    path("samples/<int:pk>/photos/", sample_photo_upload, name="sample_photo_upload"),
    path("samples/<int:pk>/pdf/", sample_pdf, name="sample_pdf"),
]

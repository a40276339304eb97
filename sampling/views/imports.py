"""Spreadsheet import (结果导入) and export (导出 Excel) of sampling results, in the interchange format."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import DomainError
from sampling import policies
from sampling.selectors import filter_sample_list, samples_visible_to
from sampling.services.exporting import export_samples
from sampling.services.importing import import_sampling
from sampling.services.spreadsheets import SUPPORTED_EXTENSIONS, extension_of

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
ERRORS_SHOWN = 500
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _spreadsheet_field(label, *, required: bool) -> forms.FileField:
    return forms.FileField(label=label, required=required, help_text=gettext_lazy(".xlsx 或 .csv，不超过 20 MB"))


class ImportForm(forms.Form):
    file = _spreadsheet_field(gettext_lazy("抽查结果文件"), required=True)
    items_file = _spreadsheet_field(gettext_lazy("检验项目文件（可选）"), required=False)
    create_missing = forms.BooleanField(label=gettext_lazy("创建缺失的任务和企业"), required=False)
    dry_run = forms.BooleanField(label=gettext_lazy("仅校验，不写入（试运行）"), required=False)
    archive = forms.BooleanField(
        label=gettext_lazy("归档导入往年数据（后处理已在平台外办结）"),
        required=False,
        help_text=gettext_lazy("勾选后不合格批次不生成待办的后处理环节，登记为“平台外办结”并注明。"),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Only those the service accepts an archive import from see the box.
        if user is None or not policies.can_import_archive(user):
            del self.fields["archive"]

    def _check(self, upload):
        if upload is None:
            return upload
        if extension_of(upload.name) not in SUPPORTED_EXTENSIONS:
            raise forms.ValidationError(_("只接受 .xlsx 或 .csv 文件"))
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("文件不能超过 20 MB"))
        return upload

    def clean_file(self):
        return self._check(self.cleaned_data.get("file"))

    def clean_items_file(self):
        return self._check(self.cleaned_data.get("items_file"))


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("您没有此操作的权限"))


@login_required
def import_results(request):
    _require(policies.can_import(request.user))
    summary = None
    status = 200
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                summary = import_sampling(
                    file=data["file"],
                    items_file=data["items_file"],
                    user=request.user,
                    create_missing=data["create_missing"],
                    dry_run=data["dry_run"],
                    archive=data.get("archive", False),
                )
            except DomainError as error:
                form.add_error("file", str(error))
        if form.errors or (summary is not None and summary.errors):
            status = 400
    else:
        form = ImportForm(user=request.user)
    context = {
        "form": form,
        "summary": summary,
        "errors": summary.errors[:ERRORS_SHOWN] if summary else [],
        "errors_hidden": max(0, len(summary.errors) - ERRORS_SHOWN) if summary else 0,
    }
    return render(request, "sampling/import_form.html", context, status=status)


@login_required
def export_results(request):
    _require(policies.can_export(request.user))
    samples = filter_sample_list(samples_visible_to(request.user), request.GET)
    content = export_samples(samples)
    response = HttpResponse(content, content_type=XLSX_TYPE)
    filename = _("抽查结果_%(date)s.xlsx") % {"date": timezone.localdate().strftime("%Y%m%d")}
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


urlpatterns = [
    path("import/", import_results, name="import"),
    path("export/", export_results, name="export"),
]

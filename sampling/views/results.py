"""Pages of test results (entry, confirmation, amendment, receipt) and objections; thin over the services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import DomainError
from core.errors import PermissionDenied as DomainPermissionDenied
from core.models import Institution
from sampling import policies
from sampling.forms.results import (
    AmendReasonForm,
    ItemRowFormSet,
    ObjectionForm,
    ObjectionRejectForm,
    ResultHeaderForm,
    RetestAssignForm,
    VerdictReceivedForm,
)
from sampling.models import CorrectionStatus, ObjectionStatus, Sample, TestResult
from sampling.selectors import objections_visible_to, results_visible_to, samples_visible_to
from sampling.services import objections as objection_services
from sampling.services import results as result_services
from sampling.services.corrections import result_correction_submit


def sample_url(sample: Sample) -> str:
    """The sample detail page (written by the sample pages); the entry page when it is not there yet."""
    try:
        return reverse("sampling:sample_detail", args=[sample.pk])
    except NoReverseMatch:
        return reverse("sampling:result_entry", args=[sample.pk])


def _rows_for(sample: Sample, result: TestResult | None) -> list[dict]:
    """The item rows of the entry table: the existing result's items, else the product type's test items."""
    if result is not None and result.pk:
        items = list(result.items.all())
        if items:
            return [
                {
                    "item_name": i.item_name,
                    "standard": i.standard,
                    "requirement": i.requirement,
                    "test_item": i.test_item_id,
                    "measured_value": i.measured_value,
                    "verdict": i.verdict,
                }
                for i in items
            ]
    return [
        {
            "item_name": t.name,
            "standard": t.standard,
            "requirement": t.requirement + (f"（{t.unit}）" if t.unit else ""),
            "test_item": t.pk,
            "measured_value": "",
            "verdict": "",
        }
        for t in result_services.test_items_for(sample)
    ]


def _institutions_for_entry(user, sample: Sample, retest: bool):
    if retest:
        objection = sample.objections.filter(status=ObjectionStatus.RETESTING).first()
        if objection is None:
            return Institution.objects.none()
        return Institution.objects.filter(pk=objection.retest_institution_id)
    if user.role == "institution" and not user.is_superuser:
        return Institution.objects.filter(pk=user.institution_id)
    return Institution.objects.filter(is_active=True)


@login_required
def result_entry(request, pk: int, retest: bool = False):
    """Item-by-item entry of a sample's test (or re-test) results: one row per test item."""
    sample = get_object_or_404(samples_visible_to(request.user), pk=pk)
    if not policies.can_enter_result(request.user, sample):
        raise PermissionDenied
    result = sample.results.filter(is_retest=retest).select_related("institution").first()
    if result is not None and result.is_confirmed:
        messages.info(
            request, _("检验报告 %(no)s 已确认，修改请提出“更正”申请，经负责人批准后生效。") % {"no": result.report_no}
        )
        return redirect("sampling:result_amend", pk=result.pk)
    institutions = _institutions_for_entry(request.user, sample, retest)
    if retest and not institutions.exists():
        messages.error(request, _("抽样单 %(no)s 没有待复检的异议。") % {"no": sample.sample_no})
        return redirect(sample_url(sample))
    rows = _rows_for(sample, result)
    initial_header = (
        {"report_no": result.report_no, "institution": result.institution_id, "tested_on": result.tested_on}
        if result
        else {"institution": institutions.first().pk if retest else (sample.task.institution_id or None)}
    )
    if request.method == "POST":
        header = ResultHeaderForm(request.POST, institutions=institutions)
        formset = ItemRowFormSet(request.POST, prefix="items", initial=rows)
        if header.is_valid() and formset.is_valid():
            if len(formset.forms) != len(rows):
                header.add_error(None, _("检验项目已变化，请刷新页面后重新录入。"))
            else:
                items = [{**row, **form.cleaned_data} for row, form in zip(rows, formset.forms, strict=True)]
                try:
                    result_services.result_enter(
                        user=request.user,
                        sample=sample,
                        report_no=header.cleaned_data["report_no"],
                        institution=header.cleaned_data["institution"],
                        tested_on=header.cleaned_data["tested_on"],
                        items=items,
                        retest=retest,
                    )
                except DomainError as exc:
                    header.add_error(None, str(exc))
                else:
                    messages.success(request, _("检验结果已保存。"))
                    return redirect(sample_url(sample))
    else:
        header = ResultHeaderForm(initial=initial_header, institutions=institutions)
        formset = ItemRowFormSet(prefix="items", initial=rows)
    focus_items = bool(initial_header.get("report_no")) or request.method == "POST"
    if not focus_items:
        header.fields["report_no"].widget.attrs["autofocus"] = True
    return render(
        request,
        "sampling/result_entry.html",
        {
            "sample": sample,
            "header": header,
            "formset": formset,
            "rows": list(zip(rows, formset.forms, strict=False)),
            "retest": retest,
            "result": result,
            "sample_url": sample_url(sample),
            "focus_items": focus_items,
        },
    )


def _result_for(request, pk: int) -> TestResult:
    return get_object_or_404(results_visible_to(request.user).select_related("sample__task"), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def result_confirm(request, pk: int):
    """GET: what confirming will do (a page, no JavaScript); POST: confirm (result_confirm)."""
    result = _result_for(request, pk)
    if request.method == "GET":
        if not policies.can_confirm_result(request.user, result):
            raise PermissionDenied
        return render(request, "sampling/confirm_action.html", _confirm_context(result))
    try:
        result_services.result_confirm(user=request.user, result=result)
    except DomainPermissionDenied:
        raise PermissionDenied
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("检验报告 %(no)s 已确认。") % {"no": result.report_no})
    return redirect(sample_url(result.sample))


def _confirm_context(result) -> dict:
    sample = result.sample
    failed = [item.item_name for item in result.items.all() if item.verdict == "fail"]
    consequences = [
        _("检验报告 %(no)s 的结论“%(verdict)s”生效并锁定，不能再修改录入；此后只能提出更正，须写明理由并留痕。")
        % {"no": result.report_no or "—", "verdict": result.get_verdict_display() or "—"},
        _("抽样单 %(no)s 的最终结论随之确定，计入统计，并可纳入结果公告。") % {"no": sample.sample_no},
    ]
    if result.verdict == "fail":
        consequences.append(_("结论为不合格：将进入不合格后处理，向企业送达结论后，企业可在法定期限内提出异议。"))
    return {
        "heading": _("确认检验结果"),
        "subject": _("%(sample)s · %(enterprise)s · %(product)s")
        % {"sample": sample.sample_no, "enterprise": sample.enterprise.name, "product": sample.product_type.name},
        "consequences": consequences,
        "listing": failed,
        "listing_title": _("不合格项目（%(n)s 项）") % {"n": len(failed)},
        "button": _("确认结果"),
        "back_url": sample_url(sample),
    }


@login_required
def result_amend(request, pk: int):
    """更正 of a confirmed result: a 修改申请 with a reason, the result before and after; it takes effect only
    when a leader of the jurisdiction other than the requester approves it (services.corrections)."""
    result = _result_for(request, pk)
    sample = result.sample
    if not result.is_confirmed:
        return redirect("sampling:retest_entry" if result.is_retest else "sampling:result_entry", pk=sample.pk)
    if not policies.can_amend_result(request.user, result):
        pending = result.correction_requests.filter(status=CorrectionStatus.REQUESTED).first()
        if pending is not None and policies.can_see_correction(request.user, pending):
            messages.info(request, _("该检验结果已有待审批的更正申请；审批前结果保持不变。"))
            return redirect("sampling:correction_detail", pk=pending.pk)
        raise PermissionDenied
    rows = _rows_for(sample, result)
    institutions = (
        Institution.objects.filter(pk=request.user.institution_id)
        if request.user.role == "institution" and not request.user.is_superuser
        else Institution.objects.filter(is_active=True)
    )
    if request.method == "POST":
        header = ResultHeaderForm(request.POST, institutions=institutions)
        formset = ItemRowFormSet(request.POST, prefix="items", initial=rows)
        reason_form = AmendReasonForm(request.POST)
        if header.is_valid() and formset.is_valid() and reason_form.is_valid():
            items = [{**row, **form.cleaned_data} for row, form in zip(rows, formset.forms, strict=False)]
            changes = {**header.cleaned_data, "items": items}
            try:
                correction = result_correction_submit(
                    user=request.user, result=result, reason=reason_form.cleaned_data["reason"], changes=changes
                )
            except DomainPermissionDenied:
                raise PermissionDenied
            except DomainError as exc:
                reason_form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    _("更正申请已提交，待所在辖区的负责人审批；批准前检验结果保持不变。"),
                )
                return redirect("sampling:correction_detail", pk=correction.pk)
    else:
        header = ResultHeaderForm(
            initial={
                "report_no": result.report_no,
                "institution": result.institution_id,
                "tested_on": result.tested_on,
            },
            institutions=institutions,
        )
        formset = ItemRowFormSet(prefix="items", initial=rows)
        reason_form = AmendReasonForm()
    return render(
        request,
        "sampling/result_amend.html",
        {
            "sample": sample,
            "result": result,
            "header": header,
            "formset": formset,
            "reason_form": reason_form,
            "rows": list(zip(rows, formset.forms, strict=False)),
            "sample_url": sample_url(sample),
        },
    )


@login_required
@require_POST
def result_received(request, pk: int):
    result = _result_for(request, pk)
    form = VerdictReceivedForm(request.POST)
    if form.is_valid():
        try:
            objection_services.verdict_received(
                user=request.user, result=result, received_on=form.cleaned_data["received_on"]
            )
        except DomainPermissionDenied:
            raise PermissionDenied
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("已登记企业收到检验结论的日期。"))
    else:
        messages.error(request, _("收到日期：请填写正确的日期。"))
    return redirect(sample_url(result.sample))


@login_required
def objection_file(request, pk: int):
    sample = get_object_or_404(samples_visible_to(request.user), pk=pk)
    if not policies.can_handle_objections(request.user, sample):
        raise PermissionDenied
    form = ObjectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            objection_services.objection_file(user=request.user, sample=sample, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("异议已登记。"))
            return redirect(sample_url(sample))
    first = sample.results.filter(is_retest=False).first()
    return render(
        request,
        "sampling/objection_form.html",
        {
            "sample": sample,
            "form": form,
            "result": first,
            "deadline": objection_services.objection_deadline(first) if first else None,
            "deadline_due": objection_services.objection_due(first) if first else None,
            "sample_url": sample_url(sample),
        },
    )


@login_required
def objection_retest(request, pk: int):
    """Assign the re-test to another institution, or refuse the objection."""
    objection = get_object_or_404(objections_visible_to(request.user), pk=pk)
    sample = objection.sample
    if not policies.can_handle_objections(request.user, sample):
        raise PermissionDenied
    institutions = objection_services.retest_institutions_for(objection)
    assign_form = RetestAssignForm(institutions=institutions)
    reject_form = ObjectionRejectForm()
    if request.method == "POST":
        action = request.POST.get("action", "assign")
        try:
            if action == "reject":
                reject_form = ObjectionRejectForm(request.POST)
                if reject_form.is_valid():
                    objection_services.objection_reject(
                        user=request.user, objection=objection, note=reject_form.cleaned_data["note"]
                    )
                    messages.success(request, _("异议已不予受理。"))
                    return redirect(sample_url(sample))
            else:
                # Any institution is accepted by the form; the service refuses the first test's.
                assign_form = RetestAssignForm(request.POST, institutions=Institution.objects.all())
                if assign_form.is_valid():
                    objection_services.objection_assign_retest(
                        user=request.user, objection=objection, institution=assign_form.cleaned_data["institution"]
                    )
                    messages.success(request, _("已安排复检。"))
                    return redirect(sample_url(sample))
        except DomainError as exc:
            (reject_form if action == "reject" else assign_form).add_error(None, str(exc))
        assign_form.fields["institution"].queryset = institutions
    return render(
        request,
        "sampling/objection_retest.html",
        {
            "sample": sample,
            "objection": objection,
            "assign_form": assign_form,
            "reject_form": reject_form,
            "sample_url": sample_url(sample),
        },
    )


urlpatterns = [
    path("samples/<int:pk>/results/enter/", result_entry, name="result_entry"),
    path("samples/<int:pk>/results/retest/", result_entry, {"retest": True}, name="retest_entry"),
    path("results/<int:pk>/confirm/", result_confirm, name="result_confirm"),
    path("results/<int:pk>/amend/", result_amend, name="result_amend"),
    path("results/<int:pk>/received/", result_received, name="result_received"),
    path("samples/<int:pk>/objections/new/", objection_file, name="objection_file"),
    path("objections/<int:pk>/retest/", objection_retest, name="objection_retest"),
]

"""Recall pages for staff and producers: the list with what is owed, a recall's page with its plan, versions,
reports, due dates and completion rate, and the forms of every step (each calls one service)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import timelimits
from recalls import policies
from recalls.charts import completion_points, completion_svg
from recalls.forms import DateForm, ProgressForm, ReasonForm, RecallPlanForm, SummaryForm
from recalls.models import Category, RecallStatus, ReportKind
from recalls.selectors import open_reports_visible_to, pending_deadlines, recalls_visible_to
from recalls.services import recalls as services
from recalls.views.common import form_action, producer_by_uscc

ACTIONS = [
    # (code, label, policy, style)
    ("refile", gettext_lazy("变更并重新备案"), policies.can_refile, ""),
    ("plan", gettext_lazy("提交召回计划"), policies.can_file_ordered_plan, "primary"),
    ("publish", gettext_lazy("发布召回公告"), policies.can_publish_notice, "primary"),
    ("progress", gettext_lazy("报送进展报告"), policies.can_report_progress, "primary"),
    ("end", gettext_lazy("实施结束"), policies.can_end, ""),
    ("summary", gettext_lazy("报送总结报告"), policies.can_submit_summary, "primary"),
    ("refuse", gettext_lazy("记录拒不召回"), policies.can_record_refusal, "danger"),
    ("terminate", gettext_lazy("终止召回"), policies.can_terminate, "danger"),
]


def _recall_or_404(request, pk: int):
    recall = get_object_or_404(recalls_visible_to(request.user), pk=pk)
    return recall


def _require_user(request):
    if not policies.can_use_recalls(request.user):
        raise PermissionDenied


@login_required
def recall_list(request):
    _require_user(request)
    qs = recalls_visible_to(request.user)
    status, category, q = request.GET.get("status", ""), request.GET.get("category", ""), request.GET.get("q", "")
    if status in RecallStatus.values:
        qs = qs.filter(status=status)
    if category in Category.values:
        qs = qs.filter(category=category)
    if q.strip():
        qs = qs.filter(Q(search_text__icontains=q.strip()) | Q(recall_no=q.strip()))
    page = Paginator(qs.order_by("-id"), 30).get_page(request.GET.get("page"))
    overdue = list(open_reports_visible_to(request.user, state="overdue")[:50])
    late_notices = pending_deadlines(request.user, overdue_only=True)
    return render(
        request,
        "recalls/recall_list.html",
        {
            "page_obj": page,
            "recalls": page.object_list,
            "statuses": RecallStatus.choices,
            "categories": Category.choices,
            "overdue": overdue,
            "late_notices": late_notices,
            "can_file": policies.is_producer(request.user) or policies.can_supervise(request.user),
            "today": timezone.localdate(),
        },
    )


def _due_rows(recall):
    """Every limit of the recall with its due date, basis and explanation, for the page."""
    rows = []
    for clock in timelimits.clocks_of(recall):
        rows.append({"name": clock.limit.label, "clock": clock, "due": timelimits.clock_due(clock)})
    return rows


@login_required
def recall_detail(request, pk: int):
    recall = _recall_or_404(request, pk)
    reports = list(recall.reports.order_by("kind", "number"))
    report_dues = []
    for report in reports:
        clock = timelimits.clock_for(
            report, services.PROGRESS_LIMIT if report.kind == ReportKind.PROGRESS else services.SUMMARY_LIMIT
        )
        report_dues.append((report, timelimits.clock_due(clock) if clock else None))
    vin_ranges = list(recall.vin_ranges.order_by("stem", "serial_from")[:50])
    actions = [(code, label, style) for code, label, policy, style in ACTIONS if policy(request.user, recall)]
    points = completion_points(recall)
    return render(
        request,
        "recalls/recall_detail.html",
        {
            "recall": recall,
            "report_dues": report_dues,
            "dues": _due_rows(recall),
            "vin_ranges": vin_ranges,
            "vin_range_count": recall.vin_ranges.count(),
            "versions": recall.versions.select_related("filed_by").order_by("-number"),
            "actions": actions,
            "chart": completion_svg(recall, points),
            "today": timezone.localdate(),
        },
    )


@login_required
def recall_chart(request, pk: int):
    recall = _recall_or_404(request, pk)
    return HttpResponse(completion_svg(recall), content_type="image/svg+xml")


def _detail(recall) -> str:
    return reverse("recalls:recall_detail", args=[recall.pk])


@login_required
def recall_file(request):
    _require_user(request)
    producer_fixed = policies.is_producer(request.user)
    form = RecallPlanForm(request.POST or None, producer_fixed=producer_fixed)

    def run(data):
        producer = request.user.enterprise if producer_fixed else producer_by_uscc(data.get("producer_uscc"))
        recall = services.recall_file(user=request.user, producer=producer, plan=form.plan())
        return _detail(recall)

    return form_action(
        request,
        form=form,
        title=_("召回计划备案"),
        back=reverse("recalls:recall_list"),
        run=run,
        done=_("召回计划已备案。召回公告应在 5 个工作日内发布。"),
        template="recalls/recall_form.html",
    )


def _plan_initial(recall) -> dict:
    initial = {name: getattr(recall, name) for name in services.PLAN_FIELDS}
    initial["models_list"] = "，".join(recall.models_list)
    return initial


@login_required
def recall_action(request, pk: int, action: str):
    recall = _recall_or_404(request, pk)
    policy = {code: p for code, _label, p, _style in ACTIONS}.get(action)
    if policy is None or not policy(request.user, recall):
        raise PermissionDenied
    user, back = request.user, _detail(recall)
    today = timezone.localdate()
    if action == "refile":
        form = RecallPlanForm(request.POST or None, refile=True, initial=_plan_initial(recall))
        return form_action(
            request,
            form=form,
            title=_("变更召回计划并重新备案"),
            back=back,
            template="recalls/recall_form.html",
            run=lambda d: services.recall_refile(user=user, recall=recall, plan=form.plan(), reason=d["reason"]),
            done=_("已重新备案，原计划作为历史版本保留。"),
            extra={"recall": recall},
        )
    if action == "plan":
        form = RecallPlanForm(request.POST or None, producer_fixed=True, initial=_plan_initial(recall))
        return form_action(
            request,
            form=form,
            title=_("按责令召回通知提交召回计划"),
            back=back,
            template="recalls/recall_form.html",
            run=lambda d: services.recall_file_ordered_plan(user=user, recall=recall, plan=form.plan()),
            done=_("召回计划已备案。"),
            extra={"recall": recall},
        )
    if action == "publish":
        form = DateForm(request.POST or None, initial={"on": today})
        due = services.notice_due(recall)
        return form_action(
            request,
            form=form,
            title=_("发布召回公告"),
            back=back,
            intro=due.explanation if due else "",
            run=lambda d: services.recall_publish_notice(user=user, recall=recall, on=d["on"]),
            done=_("召回公告已发布，公众可在召回信息查询中看到。"),
            extra={"recall": recall},
        )
    if action == "progress":
        form = ProgressForm(
            request.POST or None,
            initial={
                "units_affected": recall.units_affected,
                "units_remedied": recall.units_remedied,
                "units_unreachable": recall.units_unreachable,
            },
        )
        owed = services.open_report(recall, ReportKind.PROGRESS)
        return form_action(
            request,
            form=form,
            title=_("报送召回阶段性进展报告"),
            back=back,
            intro=(_("本期报告应于 %(due)s 前报送（%(basis)s）。") % {"due": owed.due_on, "basis": owed.due_basis})
            if owed
            else "",
            run=lambda d: services.progress_report_submit(user=user, recall=recall, **d),
            done=_("进展报告已报送，完成率已更新。"),
            extra={"recall": recall},
        )
    if action == "end":
        form = DateForm(request.POST or None, initial={"on": today})
        return form_action(
            request,
            form=form,
            title=_("召回实施结束"),
            back=back,
            intro=_("实施结束后应在 15 个工作日内报送总结报告。"),
            run=lambda d: services.recall_end(user=user, recall=recall, ended_on=d["on"]),
            done=_("已记录实施结束，请按期报送总结报告。"),
            extra={"recall": recall},
        )
    if action == "summary":
        form = SummaryForm(
            request.POST or None,
            initial={
                "units_affected": recall.units_affected,
                "units_remedied": recall.units_remedied,
                "units_unreachable": recall.units_unreachable,
            },
        )
        return form_action(
            request,
            form=form,
            title=_("报送召回总结报告"),
            back=back,
            run=lambda d: services.recall_summary_submit(user=user, recall=recall, **d),
            done=_("总结报告已报送，召回已完成。"),
            extra={"recall": recall},
        )
    form = ReasonForm(request.POST or None)
    if action == "refuse":
        return form_action(
            request,
            form=form,
            title=_("记录拒不召回"),
            back=back,
            run=lambda d: services.recall_record_refusal(user=user, recall=recall, reason=d["reason"]),
            done=_("已记录拒不召回。"),
            extra={"recall": recall},
        )
    return form_action(
        request,
        form=form,
        title=_("终止召回"),
        back=back,
        run=lambda d: services.recall_terminate(user=user, recall=recall, reason=d["reason"]),
        done=_("召回已终止。"),
        extra={"recall": recall},
    )


urlpatterns = [
    path("", recall_list, name="recall_list"),
    path("file/", recall_file, name="recall_file"),
    path("<int:pk>/", recall_detail, name="recall_detail"),
    path("<int:pk>/chart.svg", recall_chart, name="recall_chart"),
    path("<int:pk>/<slug:action>/", recall_action, name="recall_action"),
]

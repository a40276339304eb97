"""Staff pages of defect reports (triage, clusters) and defect investigations (findings, conclusion, the
producer's objection, the final conclusion, and the recall request or order that follows)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import timelimits
from recalls import policies
from recalls.forms import (
    ConclusionForm,
    DateForm,
    FinaliseForm,
    FindingsForm,
    InvestigationForm,
    ObjectionForm,
    TriageForm,
)
from recalls.models import DefectReportStatus, InvestigationStatus
from recalls.selectors import CLUSTER_DAYS, CLUSTER_MIN_REPORTS, clusters, investigations_visible_to, reports_visible_to
from recalls.services import defect_reports, investigations
from recalls.services import recalls as recall_services
from recalls.views.common import form_action, producer_by_uscc


@login_required
def defect_report_list(request):
    if not policies.can_supervise(request.user):
        raise PermissionDenied
    qs = reports_visible_to(request.user)
    status, group = request.GET.get("status", ""), request.GET.get("group", "")
    if status in DefectReportStatus.values:
        qs = qs.filter(status=status)
    if group:
        qs = qs.filter(group_key=group)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "recalls/defect_report_list.html",
        {
            "page_obj": page,
            "reports": page.object_list,
            "statuses": DefectReportStatus.choices,
            "clusters": clusters(request.user),
            "cluster_days": CLUSTER_DAYS,
            "cluster_min": CLUSTER_MIN_REPORTS,
        },
    )


@login_required
def defect_report_detail(request, pk: int):
    report = get_object_or_404(reports_visible_to(request.user).prefetch_related("photos"), pk=pk)
    if not policies.can_supervise(request.user):
        raise PermissionDenied
    same = (
        reports_visible_to(request.user).filter(group_key=report.group_key).exclude(pk=report.pk).order_by("-id")[:20]
    )
    form = TriageForm(request.POST or None, initial={"producer_uscc": report.producer.uscc if report.producer else ""})
    back = reverse("recalls:defect_report_detail", args=[report.pk])

    def run(data):
        producer = producer_by_uscc(data["producer_uscc"]) if data.get("producer_uscc") else None
        defect_reports.defect_report_triage(
            user=request.user, report=report, status=data["status"], note=data["note"], producer=producer
        )
        return back

    can_triage = policies.can_triage(request.user, report) and report.status in (
        DefectReportStatus.NEW,
        DefectReportStatus.DISMISSED,
        DefectReportStatus.ACCEPTED,
    )
    return form_action(
        request,
        form=form,
        title=_("缺陷线索 %(no)s") % {"no": report.report_no},
        back=back,
        run=run,
        done=_("分拣结果已保存。"),
        template="recalls/defect_report_detail.html",
        extra={"report": report, "same": same, "can_triage": can_triage},
    )


@login_required
def defect_photo(request, pk: int):
    from django.http import FileResponse

    from recalls.models import DefectReportPhoto

    photo = get_object_or_404(DefectReportPhoto.objects.select_related("report"), pk=pk)
    if not (policies.can_supervise(request.user) and reports_visible_to(request.user).filter(pk=photo.report_id)):
        raise PermissionDenied
    return FileResponse(photo.image.open("rb"), content_type=photo.content_type)


@login_required
def investigation_list(request):
    if not policies.can_use_recalls(request.user):
        raise PermissionDenied
    qs = investigations_visible_to(request.user)
    status = request.GET.get("status", "")
    if status in InvestigationStatus.values:
        qs = qs.filter(status=status)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "recalls/investigation_list.html",
        {"page_obj": page, "investigations": page.object_list, "statuses": InvestigationStatus.choices},
    )


@login_required
def investigation_open(request):
    if not policies.can_supervise(request.user):
        raise PermissionDenied
    ids = [int(i) for i in request.GET.getlist("report") + request.POST.getlist("report") if str(i).isdigit()]
    picked = list(reports_visible_to(request.user).filter(pk__in=ids))
    first = picked[0] if picked else None
    initial = {"opened_on": timezone.localdate()}
    if first:
        initial.update(
            category=first.category,
            product=first.product,
            brand=first.brand,
            models_text=first.model,
            producer_uscc=first.producer.uscc if first.producer else "",
        )
    form = InvestigationForm(request.POST or None, initial=initial)

    def run(data):
        producer = producer_by_uscc(data.pop("producer_uscc"))
        investigation = investigations.investigation_open(user=request.user, producer=producer, reports=picked, **data)
        return reverse("recalls:investigation_detail", args=[investigation.pk])

    return form_action(
        request,
        form=form,
        title=_("开展缺陷调查"),
        back=reverse("recalls:investigation_list"),
        run=run,
        done=_("缺陷调查已立项。"),
        extra={"picked": picked},
    )


INVESTIGATION_ACTIONS = [
    (
        "findings",
        gettext_lazy("记录检测与发现"),
        lambda u, i: i.status == InvestigationStatus.OPEN and policies.staff_in(u, i.region_id, *policies.RECALL_STAFF),
        "",
    ),
    ("conclude", gettext_lazy("作出结论并通知生产者"), policies.can_conclude, "primary"),
    ("object", gettext_lazy("提出异议"), policies.can_object, ""),
    ("finalise", gettext_lazy("确定结论"), policies.can_finalise, "primary"),
    ("request", gettext_lazy("通知生产者召回"), policies.can_order_recall, "primary"),
    ("order", gettext_lazy("责令召回"), policies.can_order_recall, "danger"),
]


@login_required
def investigation_detail(request, pk: int):
    investigation = get_object_or_404(investigations_visible_to(request.user), pk=pk)
    actions = [(c, label, s) for c, label, p, s in INVESTIGATION_ACTIONS if p(request.user, investigation)]
    dues = [(c.limit.label, timelimits.clock_due(c), c) for c in timelimits.clocks_of(investigation)]
    return render(
        request,
        "recalls/investigation_detail.html",
        {
            "investigation": investigation,
            "reports": investigation.reports.all() if policies.can_supervise(request.user) else [],
            "recalls": investigation.recalls.all(),
            "actions": actions,
            "dues": dues,
        },
    )


@login_required
def investigation_action(request, pk: int, action: str):
    investigation = get_object_or_404(investigations_visible_to(request.user), pk=pk)
    policy = {c: p for c, _l, p, _s in INVESTIGATION_ACTIONS}.get(action)
    if policy is None or not policy(request.user, investigation):
        raise PermissionDenied
    user, back = request.user, reverse("recalls:investigation_detail", args=[investigation.pk])
    today = timezone.localdate()
    extra = {"investigation": investigation}
    if action == "findings":
        form = FindingsForm(
            request.POST or None, initial={"tests": investigation.tests, "findings": investigation.findings}
        )
        return form_action(
            request,
            form=form,
            title=_("记录检测与调查发现"),
            back=back,
            extra=extra,
            run=lambda d: investigations.investigation_update_findings(user=user, investigation=investigation, **d),
            done=_("已保存。"),
        )
    if action == "conclude":
        form = ConclusionForm(
            request.POST or None,
            initial={"tests": investigation.tests, "findings": investigation.findings, "notified_on": today},
        )
        return form_action(
            request,
            form=form,
            title=_("作出调查结论"),
            back=back,
            extra=extra,
            intro=_("生产者可自收到结论通知之日起 15 个工作日内提出异议。"),
            run=lambda d: investigations.investigation_conclude(user=user, investigation=investigation, **d),
            done=_("调查结论已通知生产者。"),
        )
    if action == "object":
        form = ObjectionForm(request.POST or None, initial={"on": today})
        due = investigations.objection_due(investigation)
        return form_action(
            request,
            form=form,
            title=_("对调查结论提出异议"),
            back=back,
            extra=extra,
            intro=due.explanation if due else "",
            run=lambda d: investigations.investigation_object(user=user, investigation=investigation, **d),
            done=_("异议已提交。"),
        )
    if action == "finalise":
        form = FinaliseForm(request.POST or None, initial={"on": today})
        return form_action(
            request,
            form=form,
            title=_("确定调查结论"),
            back=back,
            extra=extra,
            run=lambda d: investigations.investigation_finalise(
                user=user, investigation=investigation, reply=d["reply"], conclusion=d["conclusion"] or None, on=d["on"]
            ),
            done=_("调查结论已确定。"),
        )
    form = DateForm(request.POST or None, initial={"on": today})
    if action == "request":
        return form_action(
            request,
            form=form,
            title=_("通知生产者召回"),
            back=back,
            extra=extra,
            intro=_("生产者应在 5 个工作日内提交召回计划备案。"),
            run=lambda d: investigations.investigation_request_recall(
                user=user, investigation=investigation, on=d["on"]
            ),
            done=_("已通知生产者召回。"),
        )
    return form_action(
        request,
        form=form,
        title=_("责令召回"),
        back=back,
        extra=extra,
        intro=_("生产者应在 5 个工作日内提交召回计划备案；拒不召回的记入信用记录。"),
        run=lambda d: reverse(
            "recalls:recall_detail",
            args=[recall_services.recall_order(user=user, investigation=investigation, on=d["on"]).pk],
        ),
        done=_("已责令召回。"),
    )


urlpatterns = [
    path("defect-reports/", defect_report_list, name="defect_report_list"),
    path("defect-reports/<int:pk>/", defect_report_detail, name="defect_report_detail"),
    path("defect-reports/photos/<int:pk>/", defect_photo, name="defect_photo"),
    path("investigations/", investigation_list, name="investigation_list"),
    path("investigations/open/", investigation_open, name="investigation_open"),
    path("investigations/<int:pk>/", investigation_detail, name="investigation_detail"),
    path("investigations/<int:pk>/<slug:action>/", investigation_action, name="investigation_action"),
]

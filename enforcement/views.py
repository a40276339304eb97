"""Staff pages of enforcement: case lists, the case page with its actions, clues, evidence and documents."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core import timelimits
from core.errors import DomainError
from core.models import Enterprise
from core.navigation import pk_url
from core.pagination import CappedCountPaginator
from core.selectors import regions_visible_to
from enforcement import actions, forms, policies, selectors, services
from enforcement.models import CaseDocument, CaseStatus, ClueSource, Evidence
from enforcement.services.documents import render_document_pdf
from enforcement.services.publication import late_fee, payment_due_on

STATES = [
    ("open", gettext_lazy("办理中")),
    ("overdue", gettext_lazy("已逾期")),
    ("due_soon", gettext_lazy("7 日内到期")),
    ("paused", gettext_lazy("期限中止")),
    ("review", gettext_lazy("待法制审核")),
    ("closed", gettext_lazy("已办结")),
    ("all", gettext_lazy("全部")),
]
PAGE_SIZE = 50
# The columns the case list shows (and its status badge needs); the other ~60 columns of a case stay unread.
LIST_COLUMNS = (
    "id", "case_no", "party_name", "title", "source", "status", "next_due_on", "next_due_label",
    "region__name", "region__name_en",
)  # fmt: skip


def _require_staff(user):
    if not policies.can_view_cases(user):
        raise PermissionDenied


@login_required
def case_list(request, state: str | None = None):
    _require_staff(request.user)
    state = state or request.GET.get("state", "open")
    if state not in dict(STATES):
        state = "open"
    status = request.GET.get("status", "")
    if status not in CaseStatus.values:
        status = ""
    query = request.GET.get("q", "")
    qs = selectors.case_list(request.user, state=state, status=status, query=query).only(*LIST_COLUMNS)
    # The total is exact up to 10,000 cases and the planner's estimate above ("约 N 条"): a provincial leader's
    # COUNT(*) over 100,000 cases cost more than reading the page.
    page = CappedCountPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    # Labels, badge and link once per page, not per row: get_FOO_display() rebuilds (and translates) the whole
    # choices list on every call, and reverse() and an {% include %} per row cost more than the page's SQL.
    statuses = {value: str(label) for value, label in CaseStatus.choices}
    sources = {value: str(label) for value, label in ClueSource.choices}
    detail_url = pk_url("enforcement:case_detail")
    today = timezone.localdate()
    for case in page.object_list:
        case.status_label, case.source_label = statuses[case.status], sources[case.source]
        case.badge = case.status_tone_on(today)
        case.url = detail_url(case.pk)
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "enforcement/case_list.html",
        {
            "page_obj": page,
            "cases": page.object_list,
            "states": STATES,
            "state": state,
            "status": status,
            "statuses": CaseStatus.choices,
            "q": query,
            "query": params.urlencode(),
            "today": today,
            "can_register": policies.can_register_clue(request.user, request.user.jurisdiction_id),
        },
    )


@login_required
def overdue(request):
    return case_list(request, state="overdue")


def _clues_with_links(user, case) -> list:
    """The case's clues; a failed sample's follow-up step is linked only for those who may handle it (a legal
    reviewer sees the sample, not a page that would refuse him)."""
    from sampling.policies import can_handle_followups

    clues = list(selectors.clues_of_case(case))
    for clue in clues:
        clue.followup_link = bool(clue.followup_id and clue.sample and can_handle_followups(user, clue.sample))
    return clues


def _clock_rows(case):
    rows = []
    for clock in timelimits.clocks_of(case):
        due = timelimits.clock_due(clock)
        rows.append(
            {"clock": clock, "due": due, "overdue": clock.state == "running" and due.due < timezone.localdate()}
        )
    return rows


def _case_context(request, case, *, failed=None):
    user = request.user
    offered = actions.available(user, case)
    forms_by_code = {a.code: a.make_form(case) for a in offered}
    if failed is not None:
        forms_by_code[failed[0]] = failed[1]
    today = timezone.localdate()
    due = payment_due_on(case)
    return {
        "case": case,
        "clocks": _clock_rows(case),
        "actions": [{"action": a, "form": forms_by_code[a.code]} for a in offered],
        "clues": _clues_with_links(user, case),
        "candidates": services.merge_candidates(case).select_related("region")[:20],
        "evidence": case.evidence.select_related("collected_by", "corrects").order_by("created_at", "id"),
        "documents": case.documents.order_by("created_at", "id"),
        "timeline": case.timeline.select_related("user").order_by("created_at", "id"),
        "payments": case.payments.order_by("paid_on", "id"),
        "publications": case.publications.order_by("-published_on"),
        "reviews": case.reviews.select_related("reviewer"),
        "discussions": case.discussions.all(),
        "transfers": case.transfers.all(),
        "handlers": case.handlers.order_by("id"),
        "bases": case.legal_bases.order_by("order", "id"),
        "evidence_form": forms.EvidenceForm(prefix="evidence") if policies.can_add_evidence(user, case) else None,
        "payment_due": due,
        "late_fee_today": late_fee(case, today) if due else None,
        "today": today,
        "can_withdraw": [p for p in case.publications.all() if policies.can_withdraw_publication(user, p)],
        "withdraw_form": forms.WithdrawForm(prefix="withdraw"),
        "overturn_form": forms.OverturnForm(prefix="overturn"),
    }


def _visible_case(request, pk):
    _require_staff(request.user)
    return get_object_or_404(
        selectors.cases_visible_to(request.user).select_related("region", "enterprise", "product_type", "merged_into"),
        pk=pk,
    )


@login_required
def case_detail(request, pk: int):
    case = _visible_case(request, pk)
    return render(request, "enforcement/case_detail.html", _case_context(request, case))


@login_required
@require_POST
def case_action(request, pk: int, code: str):
    case = _visible_case(request, pk)
    action = actions.ACTIONS_BY_CODE.get(code)
    if action is None or not action.policy(request.user, case):
        raise PermissionDenied
    form = action.make_form(case, request.POST, request.FILES)
    if form.is_valid():
        try:
            action.run(request.user, case, form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已办理：%(action)s。") % {"action": action.label})
            return redirect("enforcement:case_detail", pk=case.pk)
    case.refresh_from_db()
    messages.error(request, _("未能办理“%(action)s”，请检查表单。") % {"action": action.label})
    return render(
        request, "enforcement/case_detail.html", _case_context(request, case, failed=(code, form)), status=400
    )


@login_required
@require_POST
def evidence_upload(request, pk: int):
    case = _visible_case(request, pk)
    if not policies.can_add_evidence(request.user, case):
        raise PermissionDenied
    form = forms.EvidenceForm(request.POST, request.FILES, prefix="evidence")
    if form.is_valid():
        data = form.cleaned_data
        corrects = case.evidence.filter(pk=data["corrects"]).first() if data.get("corrects") else None
        try:
            services.evidence_add(
                user=request.user,
                case=case,
                kind=data["kind"],
                title=data["title"],
                description=data["description"],
                collected_on=data["collected_on"],
                collected_at=data["collected_at"],
                upload=data.get("file"),
                corrects=corrects,
                correction_reason=data["correction_reason"],
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("证据已登记。"))
            return redirect(reverse("enforcement:case_detail", args=[case.pk]) + "#evidence")
    context = _case_context(request, case)
    context["evidence_form"] = form
    return render(request, "enforcement/case_detail.html", context, status=400)


@login_required
def evidence_file(request, pk: int):
    _require_staff(request.user)
    evidence = get_object_or_404(
        Evidence.objects.filter(case__in=selectors.cases_visible_to(request.user)).exclude(file=""), pk=pk
    )
    response = FileResponse(evidence.file.open("rb"), content_type=evidence.content_type)
    response["Content-Disposition"] = f'inline; filename="evidence-{evidence.pk}{evidence.extension}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def document_pdf(request, pk: int):
    _require_staff(request.user)
    document = get_object_or_404(
        CaseDocument.objects.filter(case__in=selectors.cases_visible_to(request.user)).select_related("case"), pk=pk
    )
    response = HttpResponse(render_document_pdf(document), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="document-{document.pk}.pdf"'
    return response


@login_required
def clue_new(request):
    _require_staff(request.user)
    regions = regions_visible_to(request.user).filter(level__in=["county", "city"]).order_by("code")
    form = forms.ClueForm(request.POST or None, regions=regions, initial={"region": request.user.jurisdiction_id})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        enterprise = None
        if data["uscc"].strip():
            enterprise = Enterprise.objects.filter(uscc=data["uscc"].strip().upper()).first()
            if enterprise is None:
                form.add_error("uscc", _("统一社会信用代码：未找到该企业。"))
        if not form.errors:
            try:
                clue = services.clue_register(
                    user=request.user,
                    source=data["source"],
                    channel=data["channel"] if data["source"] == ClueSource.COMPLAINT else "",
                    region=enterprise.region if enterprise else data["region"],
                    enterprise=enterprise,
                    enterprise_name=data["enterprise_name"],
                    product_type=data["product_type"],
                    product=data["product"],
                    brand=data["brand"],
                    model_spec=data["model_spec"],
                    referred_by=data["referred_by"],
                    referral_no=data["referral_no"],
                    description=data["description"],
                    received_on=data["received_on"],
                )
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("线索 %(no)s 已登记。") % {"no": clue.clue_no})
                return redirect("enforcement:case_detail", pk=clue.case_id)
    return render(request, "enforcement/clue_form.html", {"form": form})


@login_required
@require_POST
def case_from_sample(request, pk: int):
    from sampling.selectors import samples_visible_to

    sample = get_object_or_404(samples_visible_to(request.user), pk=pk)
    if not policies.can_register_clue(request.user, sample.region_id):
        raise PermissionDenied
    try:
        clue = services.case_from_sample(user=request.user, sample=sample)
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect(request.META.get("HTTP_REFERER") or reverse("enforcement:case_list"))
    messages.success(request, _("已移送立案查处：案件 %(no)s。") % {"no": clue.case.case_no})
    return redirect("enforcement:case_detail", pk=clue.case_id)


@login_required
@require_POST
def case_from_followup(request, pk: int):
    from sampling.models import FollowUp
    from sampling.selectors import samples_visible_to

    followup = get_object_or_404(
        FollowUp.objects.filter(sample__in=samples_visible_to(request.user)).select_related("sample"), pk=pk
    )
    if not policies.can_register_clue(request.user, followup.sample.region_id):
        raise PermissionDenied
    try:
        clue = services.case_from_sample(user=request.user, sample=followup.sample, followup=followup)
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect(reverse("sampling:followup_complete", args=[followup.pk]))
    messages.success(request, _("已移送立案查处：案件 %(no)s。") % {"no": clue.case.case_no})
    return redirect("enforcement:case_detail", pk=clue.case_id)


@login_required
@require_POST
def publication_overturned(request, pk: int):
    """登记 the decision changed, revoked or held void: starts the 3-工作日 withdrawal limit."""
    _require_staff(request.user)
    publication = get_object_or_404(selectors.publications_visible_to(request.user), pk=pk)
    if not policies.can_withdraw_publication(request.user, publication):
        raise PermissionDenied
    form = forms.OverturnForm(request.POST, prefix="overturn")
    if form.is_valid():
        try:
            publication = services.decision_overturned(user=request.user, publication=publication, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("已登记。请于 %(due)s 前撤下该公示。") % {"due": publication.withdrawal_due_on.isoformat()},
            )
    else:
        messages.error(
            request,
            "；".join(
                f"{form.fields[name].label}：{'，'.join(errors)}" if name in form.fields else "，".join(errors)
                for name, errors in form.errors.items()
            ),
        )
    return redirect("enforcement:case_detail", pk=publication.case_id)


@login_required
@require_POST
def publication_withdraw(request, pk: int):
    _require_staff(request.user)
    publication = get_object_or_404(selectors.publications_visible_to(request.user), pk=pk)
    if not policies.can_withdraw_publication(request.user, publication):
        raise PermissionDenied
    form = forms.WithdrawForm(request.POST, prefix="withdraw")
    if form.is_valid():
        try:
            services.penalty_withdraw(user=request.user, publication=publication, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("公示已撤下。"))
    else:
        messages.error(request, _("撤下理由：不能为空。"))
    return redirect("enforcement:case_detail", pk=publication.case_id)


@login_required
def dashboard(request):
    if not policies.can_view_dashboard(request.user):
        raise PermissionDenied
    from enforcement.reports import dashboard_figures

    return render(request, "enforcement/dashboard.html", dashboard_figures(request.user))


urlpatterns = [
    path("cases/", case_list, name="case_list"),
    path("cases/overdue/", overdue, name="overdue"),
    path("cases/<int:pk>/", case_detail, name="case_detail"),
    path("cases/<int:pk>/act/<slug:code>/", case_action, name="case_action"),
    path("cases/<int:pk>/evidence/", evidence_upload, name="evidence_upload"),
    path("evidence/<int:pk>/file/", evidence_file, name="evidence_file"),
    path("documents/<int:pk>/pdf/", document_pdf, name="document_pdf"),
    path("clues/new/", clue_new, name="clue_new"),
    path("from-sample/<int:pk>/", case_from_sample, name="case_from_sample"),
    path("from-followup/<int:pk>/", case_from_followup, name="case_from_followup"),
    path("publications/<int:pk>/withdraw/", publication_withdraw, name="publication_withdraw"),
    path("publications/<int:pk>/overturned/", publication_overturned, name="publication_overturned"),
    path("dashboard/", dashboard, name="dashboard"),
]

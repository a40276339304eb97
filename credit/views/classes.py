"""Staff pages of credit classes: the overview, the enterprise list with classes, an enterprise's class page
with its explanation, and the rule sets (read, tune a draft, preview, activate)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError, PermissionDenied
from core.selectors import enterprise_search
from credit import policies, selectors
from credit.kinds import RECORD_KINDS, VARIANT_LABELS, kind_label
from credit.models import CLASSES, CreditClass, DecayMode, EnterpriseClass, RuleSet, RuleSetStatus
from credit.services.applications import removal_eligibility
from credit.services.classes import active_rule_set, explain
from credit.services.rules import (
    RULE_SET_FIELDS,
    rule_set_activate,
    rule_set_draft_create,
    rule_set_draft_update,
    rule_set_preview,
)

PER_PAGE = 30


def _require_staff(user) -> None:
    if not policies.can_view_credit(user):
        raise HttpForbidden(_("信用风险分类仅供监管人员使用。"))


def _draw_weights() -> dict[str, float]:
    # Credit sits above sampling and may read its services: the weights the draw applies per class.
    from sampling.services.draw import credit_weights

    return credit_weights()


def class_supervision(rule_set: RuleSet) -> list[dict]:
    """分类监管: per class, the draw weight and the recommended inspection interval."""
    weights = _draw_weights()
    return [
        {
            "code": cls,
            "label": CreditClass(cls).label,
            "weight": weights[cls],
            "interval": rule_set.interval_of(cls),
        }
        for cls in CLASSES
    ]


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    _require_staff(request.user)
    rule_set = active_rule_set()
    distribution = selectors.class_distribution(request.user)
    total = sum(distribution.values())
    classes = [
        {
            **row,
            "count": distribution.get(row["code"], 0),
            "share": round(distribution.get(row["code"], 0) * 100 / total, 1) if total else None,
        }
        for row in class_supervision(rule_set)
    ]
    changes = selectors.class_changes_visible_to(request.user).exclude(cause="initial")[:15]
    return render(
        request,
        "credit/overview.html",
        {"rule_set": rule_set, "classes": classes, "total": total, "changes": changes},
    )


@login_required
def enterprise_list(request: HttpRequest) -> HttpResponse:
    _require_staff(request.user)
    queryset = selectors.enterprises_visible_to(request.user)
    q = request.GET.get("q", "").strip()
    credit_class = request.GET.get("class", "")
    if q:
        queryset = enterprise_search(queryset, q)
    if credit_class in CLASSES:
        queryset = queryset.filter(credit_class=credit_class)
    page = Paginator(queryset.order_by("name", "id"), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "credit/enterprise_list.html",
        {"page": page, "q": q, "credit_class": credit_class, "classes": CreditClass.choices},
    )


@login_required
def enterprise_detail(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = get_object_or_404(selectors.enterprises_visible_to(request.user), pk=pk)
    stored = EnterpriseClass.objects.filter(enterprise=enterprise).select_related("rule_set").first()
    explanation = explain(enterprise)
    rule_set = explanation.rule_set
    records = Paginator(selectors.records_visible_to(request.user).filter(enterprise=enterprise), 50).get_page(
        request.GET.get("page")
    )
    changes = enterprise.credit_class_changes.select_related("rule_set").order_by("-changed_at", "-id")[:30]
    listings = enterprise.credit_listings.order_by("-proposed_on", "-id")
    supervision = {row["code"]: row for row in class_supervision(rule_set)}
    current = supervision.get(explanation.credit_class)
    return render(
        request,
        "credit/enterprise_detail.html",
        {
            "enterprise": enterprise,
            "stored": stored,
            "explanation": explanation,
            "rule_set": rule_set,
            "records": records,
            "changes": changes,
            "listings": listings,
            "applications": enterprise.credit_applications.order_by("-submitted_on", "-id"),
            "current": current,
            "supervision": supervision.values(),
            "kind_label": kind_label,
            "variant_labels": {k: str(v) for k, v in VARIANT_LABELS.items()},
            "removal": [(listing, removal_eligibility(listing)) for listing in listings if listing.status == "listed"],
        },
    )


# --- Rule sets ------------------------------------------------------------------------------------------


def _rule_rows(rule_set: RuleSet) -> list[dict]:
    existing = {(r.kind, r.variant): r for r in rule_set.rules.all()}
    rows = []
    for kind in RECORD_KINDS:
        variants = [v for (k, v) in existing if k == kind] or [""]
        for variant in sorted(variants):
            rule = existing.get((kind, variant))
            rows.append(
                {
                    "kind": kind,
                    "kind_label": kind_label(kind),
                    "variant": variant,
                    "variant_label": VARIANT_LABELS.get(variant, variant),
                    "points": rule.points if rule else 0,
                    "points_per_10k": rule.points_per_10k if rule else 0,
                    "cap": rule.cap if rule else None,
                }
            )
    return rows


@login_required
def rule_list(request: HttpRequest) -> HttpResponse:
    _require_staff(request.user)
    active_rule_set()
    return render(
        request,
        "credit/rule_list.html",
        {
            "rule_sets": RuleSet.objects.select_related("created_by", "activated_by"),
            "can_edit": policies.can_edit_rules(request.user),
        },
    )


@login_required
def rule_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_staff(request.user)
    rule_set = get_object_or_404(RuleSet, pk=pk)
    preview = rule_set.preview or {}
    prefix = request.user.jurisdiction.scope_prefix if not request.user.is_superuser else ""
    preview_rows = [e for e in preview.get("enterprises", []) if e["region"].startswith(prefix)]
    return render(
        request,
        "credit/rule_detail.html",
        {
            "rule_set": rule_set,
            "rows": _rule_rows(rule_set),
            "supervision": class_supervision(rule_set),
            "can_edit": policies.can_edit_rules(request.user) and rule_set.status == RuleSetStatus.DRAFT,
            "preview": preview,
            "preview_rows": preview_rows,
            "preview_current": bool(rule_set.previewed_at),
        },
    )


@login_required
@require_POST
def rule_new(request: HttpRequest) -> HttpResponse:
    try:
        draft = rule_set_draft_create(user=request.user)
    except DomainError as exc:
        raise HttpForbidden(str(exc))
    return redirect("credit:rule_edit", draft.pk)


@login_required
def rule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    rule_set = get_object_or_404(RuleSet, pk=pk)
    if not policies.can_edit_rules(request.user):
        raise HttpForbidden(_("只有系统管理员可以调整信用分类规则。"))
    if rule_set.status != RuleSetStatus.DRAFT:
        raise Http404
    error = ""
    if request.method == "POST":
        fields = {name: request.POST.get(name, "") for name in RULE_SET_FIELDS}
        rules = [
            {
                "kind": kind,
                "variant": variant,
                "points": request.POST.get(f"points__{kind}__{variant}", "0"),
                "points_per_10k": request.POST.get(f"per10k__{kind}__{variant}", "0"),
                "cap": request.POST.get(f"cap__{kind}__{variant}", ""),
            }
            for kind, variant in (key.split("__")[1:3] for key in request.POST if key.startswith("points__"))
        ]
        try:
            rule_set = rule_set_draft_update(user=request.user, rule_set=rule_set, fields=fields, rules=rules)
            if "preview" in request.POST:
                rule_set_preview(user=request.user, rule_set=rule_set)
                messages.success(request, _("已保存草稿并完成预览，请核对将改变分类的企业后再启用。"))
                return redirect("credit:rule_detail", rule_set.pk)
            messages.success(request, _("草稿已保存。启用前须先预览。"))
            return redirect("credit:rule_edit", rule_set.pk)
        except DomainError as exc:
            error = str(exc)
    return render(
        request,
        "credit/rule_edit.html",
        {
            "rule_set": rule_set,
            "rows": _rule_rows(rule_set),
            "decay_modes": DecayMode.choices,
            "error": error,
            "post": request.POST if error else None,
        },
    )


@login_required
@require_POST
def rule_preview(request: HttpRequest, pk: int) -> HttpResponse:
    rule_set = get_object_or_404(RuleSet, pk=pk)
    try:
        rule_set_preview(user=request.user, rule_set=rule_set)
        messages.success(request, _("预览已完成。"))
    except PermissionDenied as exc:  # the policy refused: a 403, not a flash message
        raise HttpForbidden(str(exc)) from exc
    except DomainError as exc:
        messages.error(request, str(exc))
    return redirect("credit:rule_detail", pk)


@login_required
@require_POST
def rule_activate(request: HttpRequest, pk: int) -> HttpResponse:
    rule_set = get_object_or_404(RuleSet, pk=pk)
    try:
        rule_set_activate(user=request.user, rule_set=rule_set)
        messages.success(request, _("第 %(v)s 版规则已启用，全部企业的分类已重新计算。") % {"v": rule_set.version})
    except PermissionDenied as exc:  # the policy refused: a 403, not a flash message
        raise HttpForbidden(str(exc)) from exc
    except DomainError as exc:
        messages.error(request, str(exc))
    return redirect("credit:rule_detail", pk)


urlpatterns = [
    path("credit/", overview, name="overview"),
    path("credit/enterprises/", enterprise_list, name="enterprise_list"),
    path("credit/enterprises/<int:pk>/", enterprise_detail, name="enterprise_detail"),
    path("credit/rules/", rule_list, name="rule_list"),
    path("credit/rules/new/", rule_new, name="rule_new"),
    path("credit/rules/<int:pk>/", rule_detail, name="rule_detail"),
    path("credit/rules/<int:pk>/edit/", rule_edit, name="rule_edit"),
    path("credit/rules/<int:pk>/preview/", rule_preview, name="rule_preview"),
    path("credit/rules/<int:pk>/activate/", rule_activate, name="rule_activate"),
]

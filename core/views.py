"""Core pages: the home page, the enterprise registry and the audit history of a record."""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import can_view_history, can_view_history_of, history_model
from core.audit import history_of
from core.forms import EnterpriseFilterForm
from core.history_display import history_rows
from core.home import due_categories, due_items_for, home_panels_for
from core.navigation import quick_links_for
from core.selectors import enterprises_visible_to

ENTERPRISES_PER_PAGE = 20
DUE_ITEMS_PER_PAGE = 10


def _greeting() -> str:
    hour = timezone.localtime().hour
    if hour < 11:
        return _("上午好")
    if hour < 13:
        return _("中午好")
    if hour < 18:
        return _("下午好")
    return _("晚上好")


@login_required
def home(request):
    user = request.user
    due_items = due_items_for(user)
    categories = due_categories(due_items)
    category = request.GET.get("category", "")
    if category not in {c.name for c in categories}:
        category = ""  # an unknown or emptied category shows the whole list rather than an empty one
    shown = [item for item in due_items if item.category == category] if category else due_items
    return render(
        request,
        "core/home.html",
        {
            "greeting": _greeting(),
            "jurisdiction_name": user.jurisdiction.display_full_name or user.jurisdiction.display_name,
            "quick_links": quick_links_for(user),
            "due_total": len(due_items),
            "due_overdue": sum(item.is_overdue for item in due_items),
            "due_categories": categories,
            "due_category": category,
            "page_obj": Paginator(shown, DUE_ITEMS_PER_PAGE).get_page(request.GET.get("page")),
            "panels": home_panels_for(user),
            "today": timezone.localdate(),
        },
    )


@login_required
def enterprise_list(request):
    form = EnterpriseFilterForm(request.GET or None, user=request.user)
    queryset = enterprises_visible_to(request.user)
    if form.is_bound:
        queryset = form.filter(queryset)
    page_obj = Paginator(queryset.order_by("name", "id"), ENTERPRISES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "core/enterprise_list.html", {"form": form, "page_obj": page_obj})


@login_required
def enterprise_detail(request, pk: int):
    enterprise = get_object_or_404(enterprises_visible_to(request.user).select_related("region"), pk=pk)
    return render(
        request,
        "core/enterprise_detail.html",
        {"enterprise": enterprise, "can_view_history": can_view_history(request.user)},
    )


def _back_url(obj) -> str | None:
    if obj._meta.label == "core.Enterprise":
        return reverse("core:enterprise_detail", args=[obj.pk])
    get_url = getattr(obj, "get_absolute_url", None)
    return get_url() if callable(get_url) else None


@login_required
def history(request, app_label: str, model_name: str, pk: str):
    """The audit trail of one record; for the audit roles and records of their jurisdiction only."""
    if not can_view_history(request.user):
        raise PermissionDenied(_("只有负责人、系统管理员和法制审核人员可以查看修改记录。"))
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError:
        raise Http404(_("没有这种记录。"))
    if history_model(model) is None:  # only the domain's own models, as their apps registered them
        raise Http404(_("没有这种记录。"))
    try:
        obj = get_object_or_404(model._default_manager, pk=pk)
    except (ValueError, ValidationError):
        raise Http404(_("没有这种记录。"))
    if not can_view_history_of(request.user, obj):
        raise Http404(_("没有这种记录。"))
    events = list(history_of(obj))
    return render(
        request,
        "core/history.html",
        {
            "object": obj,
            "verbose_name": model._meta.verbose_name,
            "rows": history_rows(model, events),
            "back_url": _back_url(obj),
        },
    )

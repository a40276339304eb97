"""Warning pages: the list with filters and each signal's history chart, a warning with its figures and evidence,
and the actions (研判, 处置, 排除, 列入下一轮抽查). Thin over credit.warnings.services and selectors."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.errors import DomainError, PermissionDenied
from core.selectors import regions_visible_to
from credit.models_warnings import SignalCode, WarningLevel, WarningState
from credit.warnings import policies
from credit.warnings.charts import history_svg
from credit.warnings.evidence import evidence_rows, subject_url
from credit.warnings.selectors import signal_history, warnings_filtered, warnings_visible_to
from credit.warnings.services import (
    signal_settings,
    warning_assess,
    warning_dismiss,
    warning_handle,
    warning_to_task,
)
from credit.warnings.signals import SIGNALS

FIGURE_LABELS = {
    "batches": gettext_lazy("本期批次"),
    "passed": gettext_lazy("本期合格批次"),
    "pass_rate": gettext_lazy("本期合格率"),
    "pass_rate_ci": gettext_lazy("本期合格率 95% 置信区间（Wilson）"),
    "history_batches": gettext_lazy("历史批次"),
    "history_passed": gettext_lazy("历史合格批次"),
    "history_pass_rate": gettext_lazy("历史合格率"),
    "drop": gettext_lazy("下降幅度"),
    "z": gettext_lazy("检验统计量 z"),
    "z_threshold": gettext_lazy("临界值 z"),
    "p_value": gettext_lazy("p 值"),
    "alpha": gettext_lazy("显著性水平"),
    "failures": gettext_lazy("不合格批次"),
    "threshold": gettext_lazy("触发阈值"),
    "severe_threshold": gettext_lazy("严重阈值"),
    "products": gettext_lazy("涉及产品"),
    "item": gettext_lazy("检验项目"),
    "products_failed": gettext_lazy("不合格产品种数"),
    "share": gettext_lazy("本期不合格占比"),
    "history_failures": gettext_lazy("历史不合格批次"),
    "history_share": gettext_lazy("历史不合格占比"),
    "rise": gettext_lazy("上升幅度"),
    "month": gettext_lazy("聚集月份"),
    "count": gettext_lazy("本月件数"),
    "complaints": gettext_lazy("投诉举报"),
    "defect_reports": gettext_lazy("缺陷线索"),
    "history_months": gettext_lazy("基线月数"),
    "history_count": gettext_lazy("基线期件数"),
    "baseline": gettext_lazy("期望月均件数"),
    "rectification_overdue": gettext_lazy("整改逾期"),
    "fines_overdue": gettext_lazy("罚款逾期"),
    "recall_reports_late": gettext_lazy("召回报告逾期"),
    "kinds": gettext_lazy("逾期类别数"),
}
TEST_LABELS = {
    "two_proportion_z": gettext_lazy("单侧两比例 z 检验"),
    "poisson": gettext_lazy("泊松分布上尾概率"),
    "count": gettext_lazy("计数阈值"),
}
PERCENT_FIGURES = {"pass_rate", "history_pass_rate", "drop", "share", "history_share", "rise"}


def _format(key: str, value) -> str:
    if key in PERCENT_FIGURES and isinstance(value, int | float):
        return f"{value * 100:.2f}%"
    if key == "pass_rate_ci" and isinstance(value, list) and len(value) == 2:
        return f"{value[0] * 100:.1f}% – {value[1] * 100:.1f}%"
    if key in ("p_value", "alpha") and isinstance(value, float):
        return f"{value:.3g}"
    if isinstance(value, list):
        return "、".join(str(v) for v in value) or "—"
    return str(value)


def figure_rows(figures: dict) -> list[tuple[str, str]]:
    rows = []
    if figures.get("test") in TEST_LABELS:
        rows.append((_("检验方法"), str(TEST_LABELS[figures["test"]])))
    for key, label in FIGURE_LABELS.items():
        if key in figures:
            rows.append((str(label), _format(key, figures[key])))
    return rows


def _param_display(value) -> str:
    if isinstance(value, bool):
        return _("是") if value else _("否")
    return str(value)


def _forbid_unless(allowed: bool) -> None:
    if not allowed:
        raise DjangoPermissionDenied(_("您无权查看风险预警。"))


@login_required
def warning_list(request):
    _forbid_unless(policies.can_view_warnings(request.user))
    signal = request.GET.get("signal", "")
    level = request.GET.get("level", "")
    state = request.GET.get("state", "open" if "state" not in request.GET else request.GET.get("state", ""))
    region = request.GET.get("region", "").strip()
    queryset = warnings_filtered(request.user, signal=signal, level=level, state=state, region=region)
    page = Paginator(queryset.select_related("region"), 30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    history = signal_history(request.user)
    settings = signal_settings()
    signals = [
        {
            "code": code,
            "label": spec.label,
            "rule": spec.rule,
            "enabled": settings[code][0],
            "params": [(str(p.label), _param_display(settings[code][1][p.name])) for p in spec.params],
            "chart": history_svg(history.get(code, [])),
            "total": sum(n for _p, n in history.get(code, [])),
        }
        for code, spec in SIGNALS.items()
    ]
    regions = regions_visible_to(request.user).exclude(level="county").order_by("code")[:200]
    return render(
        request,
        "credit/warnings/warning_list.html",
        {
            "page": page,
            "signal": signal,
            "level": level,
            "state": state,
            "region": region,
            "signal_choices": SignalCode.choices,
            "level_choices": WarningLevel.choices,
            "state_choices": WarningState.choices,
            "regions": regions,
            "query": query.urlencode(),
            "signals": signals,
            "can_tune": policies.can_tune_signals(request.user),
        },
    )


class ReasonForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("意见或理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


@login_required
def warning_detail(request, pk: int):
    warning = get_object_or_404(warnings_visible_to(request.user).select_related("sampling_task"), pk=pk)
    user = request.user
    return render(
        request,
        "credit/warnings/warning_detail.html",
        {
            "warning": warning,
            "figures": figure_rows(warning.figures),
            "history": warning.figures.get("history") or [],
            "evidence": evidence_rows(warning),
            "subject_url": subject_url(warning),
            "hits": list(warning.hits.order_by("period")),
            "rule": SIGNALS[warning.signal].rule if warning.signal in SIGNALS else "",
            "can_assess": policies.can_assess(user, warning),
            "can_handle": policies.can_handle(user, warning),
            "can_dismiss": policies.can_dismiss(user, warning),
            "can_make_task": policies.can_make_task(user, warning),
            "form": ReasonForm(),
        },
    )


def _act(request, pk: int, action, success: str):
    warning = get_object_or_404(warnings_visible_to(request.user), pk=pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("意见或理由：不能为空。"))
        return redirect("warnings:detail", pk=warning.pk)
    try:
        action(request.user, warning, form.cleaned_data["text"])
    except PermissionDenied as error:
        raise DjangoPermissionDenied(str(error))
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return redirect("warnings:detail", pk=warning.pk)


@login_required
@require_POST
def warning_assess_view(request, pk: int):
    return _act(request, pk, lambda u, w, t: warning_assess(user=u, warning=w, assessment=t), _("已记录研判意见。"))


@login_required
@require_POST
def warning_handle_view(request, pk: int):
    return _act(request, pk, lambda u, w, t: warning_handle(user=u, warning=w, reason=t), _("预警已处置。"))


@login_required
@require_POST
def warning_dismiss_view(request, pk: int):
    return _act(request, pk, lambda u, w, t: warning_dismiss(user=u, warning=w, reason=t), _("预警已排除。"))


@login_required
@require_POST
def warning_task_view(request, pk: int):
    warning = get_object_or_404(warnings_visible_to(request.user), pk=pk)
    try:
        task = warning_to_task(user=request.user, warning=warning)
    except PermissionDenied as error:
        raise DjangoPermissionDenied(str(error))
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("warnings:detail", pk=warning.pk)
    messages.success(request, _("已生成下一轮抽查任务“%(code)s”（计划中）。") % {"code": task.code})
    return redirect("sampling:task_detail", pk=task.pk)


urlpatterns = [
    path("", warning_list, name="list"),
    path("<int:pk>/", warning_detail, name="detail"),
    path("<int:pk>/assess/", warning_assess_view, name="assess"),
    path("<int:pk>/handle/", warning_handle_view, name="handle"),
    path("<int:pk>/dismiss/", warning_dismiss_view, name="dismiss"),
    path("<int:pk>/task/", warning_task_view, name="task"),
]

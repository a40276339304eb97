"""Plugging early warning into core, called once from CreditConfig.ready(): the fact kinds it records, the menu
entry and quick links, the home-page panel of leaders and inspectors, the draw's weight multiplier, the admin
and the Celery tasks."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


def warning_panel(user):
    """Home page of leaders and inspectors: the open warnings of their jurisdiction, most severe first, each with
    the figures that raised it; a product-type warning says it can become next round's task."""
    from django.urls import reverse
    from django.utils.translation import gettext

    from core.home import HomePanel, PanelItem
    from credit.warnings import policies
    from credit.warnings.selectors import home_warnings, warnings_filtered

    if not (user.is_authenticated and user.has_role(*policies.HOME_ROLES)):
        return None
    items = []
    for w in home_warnings(user, limit=8):
        detail = gettext("%(summary)s · %(region)s · %(period)s") % {
            "summary": w.summary,
            "region": w.region.name,
            "period": w.period,
        }
        if policies.can_make_task(user, w):
            detail += gettext(" · 可列入下一轮抽查任务")
        items.append(
            PanelItem(
                title=gettext("%(signal)s：%(subject)s")
                % {"signal": w.get_signal_display(), "subject": w.subject_name},
                url=reverse("warnings:detail", args=[w.pk]),
                detail=detail,
                badge=w.get_level_display(),
                tone=w.level_tone,
            )
        )
    return HomePanel(
        title=gettext("风险预警"),
        items=items,
        more_url=reverse("warnings:list"),
        more_label=gettext("全部预警"),
        empty=gettext("辖区内暂无未办结的风险预警"),
        total=warnings_filtered(user, open_only=True).count(),
    )


def _draw_multipliers(enterprise_ids):
    from credit.warnings.services import draw_weight_multipliers

    return draw_weight_multipliers(enterprise_ids)


def _report_counts(period, region):
    from credit.warnings.selectors import warning_report_counts

    return warning_report_counts(region, period)


def register() -> None:
    from core import services as core_services
    from core.facts import register_fact_kind
    from core.home import register_home_panel
    from core.navigation import MenuEntry, register_menu_entry, register_quick_link
    from credit.warnings import policies

    register_fact_kind("credit.warning_raised", _("风险预警"), category="credit")
    register_fact_kind("credit.warning_closed", _("风险预警办结"), category="credit")
    register_home_panel(warning_panel)
    register_menu_entry(MenuEntry(_("风险预警"), "warnings:list", allowed=policies.can_view_warnings))
    for role in ("leader", "inspector"):
        register_quick_link(role, MenuEntry(_("风险预警"), "warnings:list"))
    register_provider = getattr(core_services, "register_draw_weight_provider", None)
    if register_provider is not None:
        register_provider(_draw_multipliers)
    from core.reports.registry import register_supplement

    register_supplement("warnings", _report_counts)  # the pass-rate report's 风险预警 section
    from credit.warnings import admin, tasks  # noqa: F401  (admin pages; Celery task registration)

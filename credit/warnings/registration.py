"""Plugging early warning into core, called once from CreditConfig.ready(): the fact kinds it records, the menu
entry and quick links, the home-page items of leaders and inspectors, the draw's weight multiplier, the admin
and the Celery tasks."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


def warning_due_items(user):
    """Home page: open warnings of the user's jurisdiction, most severe first (leaders and inspectors)."""
    from django.urls import reverse
    from django.utils.translation import gettext

    from core.home import DueItem
    from credit.warnings.selectors import home_warnings

    return [
        DueItem(
            title=gettext("【%(level)s】%(signal)s：%(subject)s")
            % {"level": w.get_level_display(), "signal": w.get_signal_display(), "subject": w.subject_name},
            url=reverse("warnings:detail", args=[w.pk]),
            category=gettext("风险预警"),
        )
        for w in home_warnings(user)
    ]


def _draw_multipliers(enterprise_ids):
    from credit.warnings.services import draw_weight_multipliers

    return draw_weight_multipliers(enterprise_ids)


def register() -> None:
    from core import services as core_services
    from core.facts import register_fact_kind
    from core.home import register_due_provider
    from core.navigation import MenuEntry, register_menu_entry, register_quick_link
    from credit.warnings import policies

    register_fact_kind("credit.warning_raised", _("风险预警"), category="credit")
    register_fact_kind("credit.warning_closed", _("风险预警办结"), category="credit")
    register_due_provider(warning_due_items)
    register_menu_entry(MenuEntry(_("风险预警"), "warnings:list", allowed=policies.can_view_warnings))
    for role in ("leader", "inspector"):
        register_quick_link(role, MenuEntry(_("风险预警"), "warnings:list"))
    register_provider = getattr(core_services, "register_draw_weight_provider", None)
    if register_provider is not None:
        register_provider(_draw_multipliers)
    from credit.warnings import admin, tasks  # noqa: F401  (admin pages; Celery task registration)

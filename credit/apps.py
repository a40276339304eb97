from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def credit_due_items(user):
    """Home page: applications waiting for a decision, listings waiting for the user's next step."""
    from django.urls import reverse
    from django.utils.translation import gettext

    from core.home import DueItem
    from credit import policies, selectors

    if not policies.can_view_credit(user):
        return []
    items = []
    for application in (
        selectors.applications_visible_to(user).filter(status="submitted").order_by("decision_due_on")[:20]
    ):
        if policies.can_decide_application(user, application):
            items.append(
                DueItem(
                    title=gettext("%(no)s %(enterprise)s：%(kind)s待决定")
                    % {
                        "no": application.number,
                        "enterprise": application.enterprise.name,
                        "kind": application.get_kind_display(),
                    },
                    url=reverse("credit:application_detail", args=[application.pk]),
                    due_on=application.decision_due_on,
                    category=gettext("质量信用"),
                )
            )
    waiting = selectors.listings_visible_to(user).filter(status__in=["noticed", "pending_approval", "approved"])
    for listing in waiting.order_by("defence_due_on")[:20]:
        if policies.can_approve(user, listing) or policies.can_decide_listing(user, listing):
            items.append(
                DueItem(
                    title=gettext("%(no)s %(enterprise)s：%(status)s")
                    % {
                        "no": listing.number,
                        "enterprise": listing.enterprise_name,
                        "status": listing.get_status_display(),
                    },
                    url=reverse("credit:listing_detail", args=[listing.pk]),
                    due_on=None,
                    category=gettext("严重违法失信名单"),
                )
            )
    return items


class CreditConfig(AppConfig):
    name = "credit"
    verbose_name = _("质量信用")

    def ready(self) -> None:
        from core.access import register_history_model
        from core.facts import register_fact_kind

        register_history_model("credit.Listing")
        register_history_model("credit.CreditApplication")
        register_history_model("credit.RuleSet", national=True)
        register_history_model("credit.Rule", national=True)

        # Only credit's own kinds: the other apps register theirs (an unregistered kind is ignored).
        register_fact_kind("credit.listed", _("列入严重违法失信名单"), category="credit", polarity=-1)
        register_fact_kind("credit.removed", _("移出严重违法失信名单"), category="credit")
        register_fact_kind("credit.penalty_repaired", _("行政处罚信息信用修复"), category="credit", polarity=1)
        self._plug_in()
        # Early warning (credit.warnings, its own owner) plugs in through its own ready() when it has one.
        from credit import warnings as early_warning

        if hasattr(early_warning, "ready"):
            early_warning.ready()

    def _plug_in(self) -> None:
        from core.home import register_due_provider
        from core.navigation import (
            MenuEntry,
            PublicSection,
            register_menu_entry,
            register_public_section,
            register_quick_link,
        )
        from credit import policies

        register_public_section(PublicSection(_("严重违法失信名单"), "credit_public:blacklist", 40, "credit_public"))
        register_menu_entry(MenuEntry(_("质量信用"), "credit:overview", allowed=policies.can_view_credit))
        register_menu_entry(MenuEntry(_("企业服务"), "credit:portal_home", allowed=policies.is_enterprise_account))
        register_quick_link("leader", MenuEntry(_("严重违法失信名单"), "credit:listing_list"))
        register_quick_link("case_handler", MenuEntry(_("严重违法失信名单"), "credit:listing_list"))
        register_quick_link("administrator", MenuEntry(_("信用分类规则"), "credit:rule_list"))
        register_quick_link("enterprise", MenuEntry(_("企业服务"), "credit:portal_home"), first=True)
        register_due_provider(credit_due_items)
        from credit import reports  # noqa: F401  (registers the credit report kind)

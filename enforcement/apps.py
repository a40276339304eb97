from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

FACT_KINDS = (
    ("enforcement.complaint_received", _("收到投诉举报"), -1),
    ("enforcement.complaint_substantiated", _("投诉举报经核查立案"), -1),
    ("enforcement.case_filed", _("立案调查"), -1),
    ("enforcement.penalty_decided", _("行政处罚决定"), -1),
    ("enforcement.penalty_published", _("行政处罚信息公示"), -1),
    ("enforcement.penalty_withdrawn", _("撤下行政处罚信息公示"), 0),
    ("enforcement.penalty_revoked", _("行政处罚决定被撤销或确认无效"), 0),
    ("enforcement.fine_paid", _("罚款已缴清"), 1),
    ("enforcement.fine_overdue", _("逾期未缴纳罚款"), -1),
    ("enforcement.penalty_fulfilled", _("行政处罚履行完毕"), 1),
)


class EnforcementConfig(AppConfig):
    name = "enforcement"
    verbose_name = _("执法办案")

    def ready(self) -> None:
        from core.access import register_history_model
        from core.facts import register_fact_kind
        from core.home import register_due_provider
        from core.links import register_record_links
        from core.navigation import (
            MenuEntry,
            PublicSection,
            register_menu_entry,
            register_public_section,
            register_quick_link,
        )
        from enforcement import links, policies

        register_public_section(
            PublicSection(_("行政处罚"), "public_enforcement:penalty_list", 20, "public_enforcement")
        )
        # Audit history pages: the case and what belongs to it take the case's region.
        register_history_model("enforcement.Case")
        register_history_model("enforcement.Clue")
        for model in ("LegalReview", "Discussion", "Evidence", "CaseDocument", "Payment", "PoliceTransfer"):
            register_history_model(f"enforcement.{model}", region_of=lambda obj: obj.case.region_id)
        register_history_model("enforcement.PenaltyPublication")
        register_history_model("enforcement.LegalBasis", national=True)

        for code, label, polarity in FACT_KINDS:
            register_fact_kind(code, label, category="enforcement", polarity=polarity)
        register_due_provider(links.case_due_items)
        register_record_links("sampling.sample", links.sample_links)
        register_record_links("sampling.followup", links.followup_links)
        register_menu_entry(MenuEntry(_("执法办案"), "enforcement:case_list", allowed=policies.can_view_cases))
        register_menu_entry(MenuEntry(_("办案看板"), "enforcement:dashboard", allowed=policies.can_view_dashboard))
        quick = {
            "case_handler": [(_("我的案件"), "enforcement:case_list"), (_("逾期案件"), "enforcement:overdue")],
            "legal_reviewer": [(_("待审核案件"), "enforcement:case_list")],
            "leader": [(_("办案看板"), "enforcement:dashboard"), (_("逾期案件"), "enforcement:overdue")],
            "inspector": [(_("登记线索"), "enforcement:clue_new")],
        }
        for role, entries in quick.items():
            for label, url_name in entries:
                register_quick_link(role, MenuEntry(label, url_name))
        from enforcement import reports  # noqa: F401  (registers the case report kind)

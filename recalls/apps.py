from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

FACT_KINDS = (
    ("recalls.defect_report_received", _("收到缺陷线索"), 0),
    ("recalls.recall_filed", _("召回计划备案"), 0),
    ("recalls.notice_published", _("发布召回公告"), 0),
    ("recalls.report_late", _("召回报告逾期或未报"), -1),
    ("recalls.defect_concealed", _("隐瞒产品缺陷"), -1),
    ("recalls.order_refused", _("拒不执行责令召回"), -1),
    ("recalls.recall_completed", _("召回完成"), 1),
)


def recall_due_items(user):
    """Home page: recall notices, plans, progress reports and summaries overdue or due soon — for staff of
    the jurisdiction and for the producer's own account."""
    from django.urls import reverse
    from django.utils.translation import gettext

    from core.home import DueItem
    from recalls import policies
    from recalls.selectors import open_reports_visible_to, pending_deadlines

    if not user.is_authenticated or not policies.can_use_recalls(user):
        return []
    items = []
    for state in ("overdue", "due_soon"):
        for report in open_reports_visible_to(user, state=state)[:20]:
            items.append(
                DueItem(
                    title=gettext("%(no)s %(producer)s：%(report)s")
                    % {
                        "no": report.recall.recall_no,
                        "producer": report.recall.producer.name,
                        "report": report.get_kind_display(),
                    },
                    url=reverse("recalls:recall_detail", args=[report.recall_id]),
                    due_on=report.due_on,
                    category=gettext("召回"),
                )
            )
    for recall, clock in pending_deadlines(user, limit=20):
        items.append(
            DueItem(
                title=gettext("%(no)s %(producer)s：%(what)s")
                % {"no": recall.recall_no, "producer": recall.producer.name, "what": clock.limit.label},
                url=reverse("recalls:recall_detail", args=[recall.pk]),
                due_on=clock.due_on,
                category=gettext("召回"),
            )
        )
    return items


class RecallsConfig(AppConfig):
    name = "recalls"
    verbose_name = _("缺陷产品召回")

    def ready(self) -> None:
        from core.access import register_history_model
        from core.facts import register_fact_kind
        from core.home import register_due_provider
        from core.navigation import (
            MenuEntry,
            PublicSection,
            register_menu_entry,
            register_public_section,
            register_quick_link,
        )

        register_public_section(PublicSection(_("缺陷产品召回"), "recalls_public:search", 30, "recalls_public"))
        for model in ("DefectReport", "Investigation", "Recall"):
            register_history_model(f"recalls.{model}")
        register_history_model("recalls.RecallReport", region_of=lambda obj: obj.recall.region_id)
        from recalls import policies

        for code, label, polarity in FACT_KINDS:
            register_fact_kind(code, label, category="recalls", polarity=polarity)
        register_due_provider(recall_due_items)
        register_menu_entry(MenuEntry(_("召回"), "recalls:recall_list", allowed=policies.can_use_recalls))
        register_menu_entry(MenuEntry(_("缺陷线索"), "recalls:defect_report_list", allowed=policies.can_supervise))
        register_menu_entry(MenuEntry(_("缺陷调查"), "recalls:investigation_list", allowed=policies.can_use_recalls))
        register_menu_entry(MenuEntry(_("召回统计"), "recalls:dashboard", allowed=policies.can_view_dashboard))
        register_quick_link("leader", MenuEntry(_("召回统计"), "recalls:dashboard"))
        for role in ("inspector", "case_handler", "leader", "administrator", "enterprise"):
            register_quick_link(role, MenuEntry(_("召回"), "recalls:recall_list"))
        for role in ("inspector", "case_handler"):
            register_quick_link(role, MenuEntry(_("缺陷线索"), "recalls:defect_report_list"))
        from recalls import reports  # noqa: F401  (registers the recall report kind)

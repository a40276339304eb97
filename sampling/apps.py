from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def followup_due_items(user):
    """Home page: open post-processing steps of the user's jurisdiction that are overdue or due soon."""
    from django.urls import reverse
    from django.utils.translation import gettext

    from sampling.selectors import followups_visible_to
    from sampling.services.followups import FOLLOWUP_ROLES

    if not user.is_authenticated or not user.has_role(*FOLLOWUP_ROLES):
        return []
    from core.home import DueItem

    items = []
    overdue = list(followups_visible_to(user, state="overdue")[:20])
    soon = list(followups_visible_to(user, state="due_soon")[:20])
    for followup in overdue + soon:
        items.append(
            DueItem(
                title=gettext("%(sample_no)s %(enterprise)s：%(step)s")
                % {
                    "sample_no": followup.sample.sample_no,
                    "enterprise": followup.sample.enterprise.name,
                    "step": followup.get_step_display(),
                },
                url=reverse("sampling:followup_complete", args=[followup.pk]),
                due_on=followup.due_on,
                category=gettext("后处理"),
            )
        )
    return items


class SamplingConfig(AppConfig):
    name = "sampling"
    verbose_name = _("抽查")

    def ready(self) -> None:
        from core.home import register_due_provider
        from core.navigation import MenuEntry, register_menu_entry, register_quick_link

        register_due_provider(followup_due_items)
        for entry in (
            MenuEntry(_("抽查任务"), "sampling:task_list", ("inspector", "institution", "leader", "administrator")),
            MenuEntry(_("抽样单"), "sampling:sample_list", ("inspector", "institution", "leader", "administrator")),
            MenuEntry(_("结果导入"), "sampling:import", ("inspector", "institution", "administrator")),
            MenuEntry(_("后处理"), "sampling:followup_list", ("inspector", "leader", "administrator", "case_handler")),
            MenuEntry(_("结果公告"), "sampling:announcement_list", ("inspector", "leader", "administrator")),
            MenuEntry(_("统计分析"), "sampling:dashboard", ("inspector", "leader", "administrator", "institution")),
        ):
            register_menu_entry(entry)
        quick = {
            "inspector": [
                (_("抽查任务"), "sampling:task_list"),
                (_("抽样单"), "sampling:sample_list"),
                (_("结果导入"), "sampling:import"),
                (_("后处理"), "sampling:followup_list"),
            ],
            "institution": [
                (_("抽样单"), "sampling:sample_list"),
                (_("结果导入"), "sampling:import"),
                (_("统计分析"), "sampling:dashboard"),
            ],
            "case_handler": [(_("后处理"), "sampling:followup_list")],
            "leader": [(_("统计分析"), "sampling:dashboard"), (_("结果公告"), "sampling:announcement_list")],
            "administrator": [(_("抽查任务"), "sampling:task_list")],
        }
        for role, links in quick.items():
            for position, (label, url_name) in enumerate(links):
                register_quick_link(role, MenuEntry(label, url_name), first=position == 0 and role != "administrator")
        from sampling import reports  # noqa: F401  (registers the pass-rate report kind)

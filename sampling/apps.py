from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def followup_due_items(user):
    """Home page: open post-processing steps of the user's jurisdiction that are overdue or due soon."""
    from django.urls import reverse
    from django.utils.translation import gettext

    from sampling.policies import can_see_followups
    from sampling.selectors import followups_visible_to

    if not can_see_followups(user):
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


def redraw_due_items(user):
    """Home page: re-draw requests (重新抽取申请) waiting for this leader's decision."""
    from django.urls import reverse
    from django.utils.translation import gettext

    from core.home import DueItem
    from sampling.policies import can_approve_redraw
    from sampling.selectors import redraw_requests_pending

    return [
        DueItem(
            title=gettext("%(code)s 重新抽取申请：%(reason)s") % {"code": r.task.code, "reason": r.reason[:40]},
            url=reverse("sampling:task_detail", args=[r.task_id]) + "#draws",
            category=gettext("随机抽取"),
        )
        for r in redraw_requests_pending(user)
        if can_approve_redraw(user, r)
    ]


def correction_due_items(user):
    """Home page: 修改申请 / 作废申请 waiting for this leader's decision (never their own)."""
    from django.urls import reverse
    from django.utils.translation import gettext

    from core.home import DueItem
    from sampling.selectors_corrections import corrections_pending_for

    return [
        DueItem(
            title=gettext("%(target)s %(kind)s：%(reason)s")
            % {
                "target": (f"{c.sample.sample_no} {c.result.report_no}" if c.result_id else c.sample.sample_no)
                if c.sample_id
                else c.task.code,
                "kind": c.get_kind_display(),
                "reason": c.reason[:40],
            },
            url=reverse("sampling:correction_detail", args=[c.pk]),
            category=gettext("更正申请"),
        )
        for c in corrections_pending_for(user)[:20]
    ]


def work_queue_due_items(user):
    """Home page: an inspector's drawn enterprises still to sample (per task), an institution's 收样 / 待检 /
    待确认 queues, each with its count and the earliest task deadline."""
    from django.db.models import Count, Min
    from django.urls import reverse
    from django.utils.translation import gettext

    from core.home import DueItem
    from sampling import policies
    from sampling.selectors_queues import drawn_work_for, results_to_confirm, samples_to_receive, samples_to_test

    items = []
    if policies.can_see_drawn_work(user):
        by_task: dict = {}
        for row in drawn_work_for(user):
            if row.sample is None:
                by_task.setdefault(row.task, []).append(row)
        for task, rows in by_task.items():
            items.append(
                DueItem(
                    title=gettext("%(code)s %(name)s：待抽样 %(count)s 家企业")
                    % {"code": task.code, "name": task.name, "count": len(rows)},
                    url=reverse("sampling:drawn_work"),
                    due_on=task.deadline,
                    category=gettext("我的抽样任务"),
                )
            )
    if policies.can_see_institution_queues(user):
        queues = (
            ("receive", gettext("待收样 %(count)s 件"), samples_to_receive(user), "task__deadline"),
            ("test", gettext("待检 %(count)s 件"), samples_to_test(user), "task__deadline"),
            ("confirm", gettext("待确认结果 %(count)s 份"), results_to_confirm(user), "sample__task__deadline"),
        )
        for code, title, rows, deadline in queues:
            summary = rows.order_by().aggregate(count=Count("pk"), due=Min(deadline))
            if summary["count"]:
                items.append(
                    DueItem(
                        title=title % {"count": summary["count"]},
                        url=reverse("sampling:lab_queue") + f"?queue={code}",
                        due_on=summary["due"],
                        category=gettext("检验工作台"),
                    )
                )
    return items


DRAW_WEIGHT_SETTINGS = ("CREDIT_WEIGHT_A", "CREDIT_WEIGHT_B", "CREDIT_WEIGHT_C", "CREDIT_WEIGHT_D")


def draw_weights_not_all_zero(cleaned: dict) -> None:
    """The rule settings form: each weight is ≥ 0 (its field checks that); all four at 0 would draw no one."""
    from django import forms
    from django.utils.translation import gettext

    values = [cleaned.get(key) for key in DRAW_WEIGHT_SETTINGS]
    if all(value is not None for value in values) and all(float(value) == 0 for value in values):
        raise forms.ValidationError(gettext("分类监管抽查权重：A、B、C、D 四类权重不能全部为 0。"))


class SamplingConfig(AppConfig):
    name = "sampling"
    verbose_name = _("抽查")

    def ready(self) -> None:
        from core.admin import register_config_check
        from core.home import register_due_provider
        from core.navigation import (
            MenuEntry,
            PublicSection,
            register_menu_entry,
            register_public_section,
            register_quick_link,
        )
        from sampling import policies
        from sampling.services.facts import register_kinds

        register_public_section(PublicSection(_("抽查结果"), "public:index", 10, "public"))
        register_kinds()
        register_config_check(draw_weights_not_all_zero)
        register_due_provider(followup_due_items)
        register_due_provider(redraw_due_items)
        register_due_provider(correction_due_items)
        register_due_provider(work_queue_due_items)
        for entry in (
            MenuEntry(_("我的抽样任务"), "sampling:drawn_work", allowed=policies.can_see_drawn_work),
            MenuEntry(_("检验工作台"), "sampling:lab_queue", allowed=policies.can_see_institution_queues),
            MenuEntry(_("抽查任务"), "sampling:task_list", ("inspector", "institution", "leader", "administrator")),
            MenuEntry(_("抽样单"), "sampling:sample_list", ("inspector", "institution", "leader", "administrator")),
            MenuEntry(_("结果导入"), "sampling:import", allowed=policies.can_import),
            MenuEntry(_("后处理"), "sampling:followup_list", allowed=policies.can_see_followups),
            MenuEntry(_("结果公告"), "sampling:announcement_list", allowed=policies.can_draft_announcements),
            MenuEntry(_("统计分析"), "sampling:dashboard", allowed=policies.can_see_statistics),
        ):
            register_menu_entry(entry)
        quick = {
            "inspector": [
                (_("我的抽样任务"), "sampling:drawn_work"),
                (_("抽查任务"), "sampling:task_list"),
                (_("抽样单"), "sampling:sample_list"),
                (_("结果导入"), "sampling:import"),
                (_("后处理"), "sampling:followup_list"),
            ],
            "institution": [
                (_("检验工作台"), "sampling:lab_queue"),
                (_("抽样单"), "sampling:sample_list"),
                (_("结果导入"), "sampling:import"),
                (_("统计分析"), "sampling:dashboard"),
            ],
            "case_handler": [(_("后处理"), "sampling:followup_list")],
            "leader": [
                (_("统计分析"), "sampling:dashboard"),
                (_("结果公告"), "sampling:announcement_list"),
                (_("更正申请"), "sampling:correction_list"),
            ],
            "administrator": [(_("抽查任务"), "sampling:task_list")],
        }
        # A quick link asks the same policy as its page (a role never gets a link to a page it is refused).
        link_policies = {
            "sampling:drawn_work": policies.can_see_drawn_work,
            "sampling:lab_queue": policies.can_see_institution_queues,
            "sampling:import": policies.can_import,
            "sampling:followup_list": policies.can_see_followups,
            "sampling:announcement_list": policies.can_draft_announcements,
            "sampling:dashboard": policies.can_see_statistics,
            "sampling:correction_list": policies.can_see_corrections,
        }
        for role, links in quick.items():
            for position, (label, url_name) in enumerate(links):
                entry = MenuEntry(label, url_name, allowed=link_policies.get(url_name))
                register_quick_link(role, entry, first=position == 0 and role != "administrator")
        from sampling import reports  # noqa: F401  (registers the pass-rate report kind)
        from sampling.portal import register as register_portal

        register_portal()  # public portal: online objection requests on the staff home page

        _register_access()


def _can_view_photo(user, photo) -> bool:
    from sampling.selectors import samples_visible_to

    return samples_visible_to(user).filter(pk=photo.sample_id).exists()


def _register_access() -> None:
    """History pages and protected files of sampling's records (core names no app)."""
    from core.access import register_history_model
    from core.uploads import register_protected_files

    for model in (
        "SamplingTask",
        "RedrawRequest",
        "Sample",
        "TestResult",
        "ItemResult",
        "SamplePhoto",
        "Objection",
        "FollowUp",
        "Announcement",
        "CorrectionRequest",
    ):
        register_history_model(f"sampling.{model}")
    register_protected_files("sampling.SamplePhoto", fields=("image",), can_view=_can_view_photo)

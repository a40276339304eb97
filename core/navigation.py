"""The navigation menu by role. Apps add their entries here as they land."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class MenuEntry:
    label: str
    url_name: str
    roles: tuple[str, ...] = ()  # empty: every staff role

    def url(self) -> str | None:
        try:
            return reverse(self.url_name)
        except NoReverseMatch:
            return None


ALL_STAFF: tuple[str, ...] = ()

MENU: list[MenuEntry] = [
    MenuEntry(_("工作台"), "home"),
    MenuEntry(_("抽查任务"), "sampling:task_list", ("inspector", "institution", "leader", "administrator")),
    MenuEntry(_("抽样单"), "sampling:sample_list", ("inspector", "institution", "leader", "administrator")),
    MenuEntry(_("结果导入"), "sampling:import", ("inspector", "institution", "administrator")),
    MenuEntry(_("后处理"), "sampling:followup_list", ("inspector", "leader", "administrator", "case_handler")),
    MenuEntry(_("结果公告"), "sampling:announcement_list", ("inspector", "leader", "administrator")),
    MenuEntry(_("统计分析"), "sampling:dashboard", ("inspector", "leader", "administrator", "institution")),
    MenuEntry(_("报告"), "core:report_list", ("leader", "administrator", "inspector")),
    MenuEntry(_("企业"), "core:enterprise_list"),
    MenuEntry(_("系统管理"), "admin:index", ("administrator",)),
]


def menu_for(user) -> list[dict]:
    entries = []
    for entry in MENU:
        if entry.roles and not (user.is_superuser or user.role in entry.roles):
            continue
        url = entry.url()
        if url:
            entries.append({"label": entry.label, "url": url})
    return entries


# Quick links on the home page, by role (the first entries a role needs every day).
QUICK_LINKS: dict[str, list[MenuEntry]] = {
    "inspector": [
        MenuEntry(_("抽查任务"), "sampling:task_list"),
        MenuEntry(_("抽样单"), "sampling:sample_list"),
        MenuEntry(_("结果导入"), "sampling:import"),
        MenuEntry(_("后处理"), "sampling:followup_list"),
        MenuEntry(_("企业查询"), "core:enterprise_list"),
    ],
    "institution": [
        MenuEntry(_("抽样单"), "sampling:sample_list"),
        MenuEntry(_("结果导入"), "sampling:import"),
        MenuEntry(_("统计分析"), "sampling:dashboard"),
    ],
    "case_handler": [
        MenuEntry(_("后处理"), "sampling:followup_list"),
        MenuEntry(_("企业查询"), "core:enterprise_list"),
    ],
    "legal_reviewer": [
        MenuEntry(_("企业查询"), "core:enterprise_list"),
    ],
    "leader": [
        MenuEntry(_("统计分析"), "sampling:dashboard"),
        MenuEntry(_("结果公告"), "sampling:announcement_list"),
        MenuEntry(_("报告"), "core:report_list"),
        MenuEntry(_("企业查询"), "core:enterprise_list"),
    ],
    "administrator": [
        MenuEntry(_("系统管理"), "admin:index"),
        MenuEntry(_("抽查任务"), "sampling:task_list"),
        MenuEntry(_("企业查询"), "core:enterprise_list"),
        MenuEntry(_("报告"), "core:report_list"),
    ],
}


def quick_links_for(user) -> list[dict]:
    """The role's quick links whose pages exist (superusers get the administrator's)."""
    role = "administrator" if user.is_superuser else user.role
    links = []
    for entry in QUICK_LINKS.get(role, []):
        url = entry.url()
        if url:
            links.append({"label": entry.label, "url": url})
    return links

"""The navigation menu and home-page quick links. Apps register their entries from AppConfig.ready()."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class MenuEntry:
    label: str
    url_name: str
    roles: tuple[str, ...] = ()  # empty: every staff role
    # A policy (user -> bool) that decides instead of the roles, when given.
    allowed: Callable | None = None

    def url(self) -> str | None:
        try:
            return reverse(self.url_name)
        except NoReverseMatch:
            return None


ALL_STAFF: tuple[str, ...] = ()

# Core's own entries; apps add theirs from AppConfig.ready() with register_menu_entry (core names no app).
MENU: list[MenuEntry] = [
    MenuEntry(_("工作台"), "home"),
]
# Entries that stay last whatever the apps add.
_TAIL: list[MenuEntry] = [
    MenuEntry(_("报告"), "core:report_list", ("leader", "administrator", "inspector")),
    MenuEntry(
        _("企业"),
        "core:enterprise_list",
        ("inspector", "institution", "case_handler", "legal_reviewer", "leader", "administrator"),
    ),
    MenuEntry(_("系统管理"), "admin:index", ("administrator",)),
]


def register_menu_entry(entry: MenuEntry) -> MenuEntry:
    if all(e.url_name != entry.url_name for e in MENU):
        MENU.append(entry)
    return entry


def menu_for(user) -> list[dict]:
    entries = []
    for entry in [*MENU, *_TAIL]:
        if entry.allowed is not None:
            if not entry.allowed(user):
                continue
        elif entry.roles:
            if not (user.is_superuser or user.role in entry.roles):
                continue
        elif getattr(user, "role", "") == "enterprise":
            continue
        url = entry.url()
        if url:
            entries.append({"label": entry.label, "url": url})
    return entries


# Quick links on the home page, by role (the first entries a role needs every day).
QUICK_LINKS: dict[str, list[MenuEntry]] = {
    "inspector": [MenuEntry(_("企业查询"), "core:enterprise_list")],
    "institution": [],
    "case_handler": [MenuEntry(_("企业查询"), "core:enterprise_list")],
    "legal_reviewer": [MenuEntry(_("企业查询"), "core:enterprise_list")],
    "leader": [MenuEntry(_("报告"), "core:report_list"), MenuEntry(_("企业查询"), "core:enterprise_list")],
    "administrator": [
        MenuEntry(_("系统管理"), "admin:index"),
        MenuEntry(_("企业查询"), "core:enterprise_list"),
        MenuEntry(_("报告"), "core:report_list"),
    ],
}


def register_quick_link(role: str, entry: MenuEntry, *, first: bool = False) -> MenuEntry:
    """Add an app's page to a role's quick links on the home page (from AppConfig.ready())."""
    links = QUICK_LINKS.setdefault(role, [])
    if all(e.url_name != entry.url_name for e in links):
        links.insert(0, entry) if first else links.append(entry)
    return entry


def quick_links_for(user) -> list[dict]:
    """The role's quick links whose pages exist (superusers get the administrator's)."""
    role = "administrator" if user.is_superuser else user.role
    links = []
    for entry in QUICK_LINKS.get(role, []):
        if entry.allowed is not None and not entry.allowed(user):
            continue
        url = entry.url()
        if url:
            links.append({"label": entry.label, "url": url})
    return links


# --- The public site's sections: each app registers its public pages (抽查结果, 行政处罚, 召回, 失信名单) so a
# citizen who arrives on any of them can reach the others. ---------------------------------------------------


@dataclass(frozen=True)
class PublicSection:
    label: str
    url_name: str
    order: int = 100
    # The url names (without namespace) that belong to this section, to mark it as the current one.
    namespace: str = ""

    def url(self) -> str | None:
        try:
            return reverse(self.url_name)
        except NoReverseMatch:
            return None


PUBLIC_SECTIONS: list[PublicSection] = []


def register_public_section(section: PublicSection) -> PublicSection:
    if all(s.url_name != section.url_name for s in PUBLIC_SECTIONS):
        PUBLIC_SECTIONS.append(section)
        PUBLIC_SECTIONS.sort(key=lambda s: s.order)
    return section


def public_sections(current_namespace: str = "") -> list[dict]:
    return [
        {"label": s.label, "url": url, "current": bool(s.namespace) and s.namespace == current_namespace}
        for s in PUBLIC_SECTIONS
        if (url := s.url()) is not None
    ]


def pk_url(name: str):
    """pk → URL of the page ``name`` (one integer argument), reversing once for a whole list instead of once a
    row: the URL is built around a marker and the pk is put in by string formatting."""
    marker = "2147483647"
    head, found, tail = reverse(name, args=[int(marker)]).rpartition(marker)
    if not found:
        return lambda pk: reverse(name, args=[pk])
    return lambda pk: f"{head}{int(pk)}{tail}"

"""What is due for a user on their home page. Apps register providers in their AppConfig.ready().

A provider takes the user and returns a list of DueItem (empty when nothing is due)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class DueItem:
    title: str
    url: str
    due_on: dt.date | None = None
    category: str = ""

    @property
    def is_overdue(self) -> bool:
        from django.utils import timezone

        return self.due_on is not None and self.due_on < timezone.localdate()


_providers: list[Callable] = []


def register_due_provider(provider: Callable) -> Callable:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def due_items_for(user) -> list[DueItem]:
    items: list[DueItem] = []
    for provider in _providers:
        items.extend(provider(user))
    return sorted(items, key=lambda i: (i.due_on is None, i.due_on or dt.date.max))


@dataclass(frozen=True)
class DueCategory:
    name: str
    count: int
    overdue: int


def due_categories(items: list[DueItem]) -> list[DueCategory]:
    """The categories of a due list, in order of first appearance (so the most urgent first), with their counts."""
    counts: dict[str, list[int]] = {}
    for item in items:
        entry = counts.setdefault(item.category, [0, 0])
        entry[0] += 1
        entry[1] += item.is_overdue
    return [DueCategory(name, total, overdue) for name, (total, overdue) in counts.items() if name]


# --- Panels: a higher app's own card on the home page (early warning's open warnings) --------------------


@dataclass(frozen=True)
class PanelItem:
    title: str
    url: str
    detail: str = ""  # one line of evidence under the title
    badge: str = ""  # e.g. the warning's level
    tone: str = ""  # the badge's CSS class: overdue (red), due (amber), pending (grey)


@dataclass(frozen=True)
class HomePanel:
    title: str
    items: list[PanelItem]
    more_url: str = ""
    more_label: str = ""
    empty: str = ""
    total: int = 0


_panel_providers: list[Callable] = []


def register_home_panel(provider: Callable) -> Callable:
    """``provider(user) -> HomePanel | None`` (None: the user does not see that panel)."""
    if provider not in _panel_providers:
        _panel_providers.append(provider)
    return provider


def home_panels_for(user) -> list[HomePanel]:
    return [panel for provider in _panel_providers if (panel := provider(user)) is not None]

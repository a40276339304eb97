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

"""Shared building blocks of the apps' policies (who may do what).

Each app keeps its named predicates in its own ``policies.py`` (``can_decide(user, case)``); this module
gives them the common parts: staff in the record's jurisdiction with one of the roles, and
``available_actions`` to list what a user may do now, so pages offer only what the services accept.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from core.models import Role
from core.selectors import region_in_jurisdiction

STAFF_ROLES = tuple(r for r in Role.values if r != "enterprise")


def is_staff(user) -> bool:
    return bool(user and user.is_authenticated and (user.is_superuser or getattr(user, "role", "") in STAFF_ROLES))


def staff_in(user, region_code: str | None, *roles: str) -> bool:
    """An active staff account with one of ``roles`` (any staff role when none given) whose jurisdiction
    covers ``region_code``."""
    if not is_staff(user) or region_code is None:
        return False
    if roles and not user.has_role(*roles):
        return False
    return region_in_jurisdiction(user, region_code)


@dataclass(frozen=True)
class Action:
    """An action a page may offer: its code (the URL or form name), label, and the policy that allows it."""

    code: str
    label: str
    policy: Callable[..., bool]
    style: str = ""  # "primary", "danger" ...
    confirm: str = ""  # a confirmation text for irreversible actions


def available_actions(user, obj, actions: Iterable[Action]) -> list[Action]:
    return [action for action in actions if action.policy(user, obj)]

"""Object-level checks of the core pages that are not plain jurisdiction scoping."""

from __future__ import annotations

from core.models import Role, User
from core.selectors import region_in_jurisdiction

# Who may read the audit history of records (负责人, 系统管理员, 法制审核人员).
HISTORY_ROLES: tuple[str, ...] = (Role.LEADER, Role.ADMINISTRATOR, Role.LEGAL_REVIEWER)


def can_view_history(user: User) -> bool:
    return user.is_authenticated and user.has_role(*HISTORY_ROLES)


def record_region_code(obj) -> str | None:
    """The region a record belongs to, for the jurisdiction check; None when it has none (national data).

    A model may say it itself with a ``history_region_code`` attribute; otherwise the record's
    region, the jurisdiction of a user, or the region of the record it belongs to is used.
    """
    if hasattr(obj, "history_region_code"):
        return obj.history_region_code
    for attname in ("region_id", "jurisdiction_id"):
        if hasattr(obj, attname):
            return getattr(obj, attname)
    # Records that belong to another record take its region: a result its sample's, an item its result's.
    for relation in ("enterprise", "sample", "result", "task"):
        related = getattr(obj, relation, None)
        if related is not None and related is not obj:
            code = record_region_code(related)
            if code is not None:
                return code
    return None


def can_view_history_of(user: User, obj) -> bool:
    """History is shown to the audit roles, and only for records of their jurisdiction."""
    if not can_view_history(user):
        return False
    code = record_region_code(obj)
    return code is None or region_in_jurisdiction(user, code)

"""Object-level checks of the core pages that are not plain jurisdiction scoping."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

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


@dataclass(frozen=True)
class HistoryModel:
    label: str
    national: bool = False
    region_of: Callable | None = None


# Models whose audit history may be read, registered by their app's ready(); anything else (logins, settings,
# sessions, other packages' models) has no history page.
_HISTORY_MODELS: dict[str, HistoryModel] = {}


def register_history_model(label: str, *, national: bool = False, region_of: Callable | None = None) -> None:
    """``label`` ("app.Model") gets a history page; ``national`` records (catalogue, calendar) are shown to every
    audit role, others only within the jurisdiction of ``region_of(obj)`` (default ``record_region_code``)."""
    _HISTORY_MODELS[label.lower()] = HistoryModel(label.lower(), national, region_of)


def history_model(model) -> HistoryModel | None:
    return _HISTORY_MODELS.get(model._meta.label_lower)


def can_view_history_of(user: User, obj) -> bool:
    """History is shown to the audit roles, for registered models and only for records of their jurisdiction."""
    if not can_view_history(user):
        return False
    entry = history_model(obj)
    if entry is None:
        return False
    if entry.national:
        return True
    code = entry.region_of(obj) if entry.region_of else record_region_code(obj)
    return code is not None and region_in_jurisdiction(user, code)


def client_ip(request) -> str:
    """The client's address for lockouts: the connection's, or behind TRUSTED_PROXY_COUNT proxies the address the
    outermost trusted proxy saw (X-Forwarded-For is counted from the right, so a client cannot forge it)."""
    from django.conf import settings

    proxies = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0))
    remote = request.META.get("REMOTE_ADDR", "")
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    return forwarded[-proxies] if len(forwarded) >= proxies else remote


def lockout_response(request, original_response=None, credentials=None):
    """The locked message: JSON for the API (token endpoint), the lockout page for the browser."""
    from axes.helpers import get_cool_off
    from django.conf import settings
    from django.http import JsonResponse
    from django.shortcuts import render
    from django.utils.translation import gettext as _

    cool_off = get_cool_off(request)
    minutes = int(cool_off.total_seconds() // 60) if cool_off else 15
    if request.path.startswith("/api/"):
        message = _("登录失败次数过多，账户已锁定 %(minutes)d 分钟，请稍后再试。") % {"minutes": minutes}
        response = JsonResponse({"detail": message}, status=429, json_dumps_params={"ensure_ascii": False})
        response["Retry-After"] = str(minutes * 60)
        return response
    context = {"cooloff_timedelta": cool_off, "failure_limit": settings.AXES_FAILURE_LIMIT}
    return render(request, settings.AXES_LOCKOUT_TEMPLATE, context, status=settings.AXES_HTTP_RESPONSE_CODE)

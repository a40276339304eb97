"""The admin in Chinese: its titles, and the names that third-party apps (axes, pghistory, constance) bring in English.

Applied from CoreConfig.ready(). Only display names change: app verbose names are not migration state, model
verbose names are read from `_meta.original_attrs` by the migration autodetector (so assigning them here adds no
migration), and the pghistory fields renamed here belong to an unmanaged model. Field labels of axes' managed models
are translated by `locale/zh_Hans/LC_MESSAGES/django.po` instead, which leaves their migration state alone.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

APP_NAMES = {
    "axes": _("登录安全"),
    "pghistory": _("审计记录"),
    "constance": _("规则配置"),
}

MODEL_NAMES = {
    "axes.AccessAttempt": (_("登录失败记录"), _("登录失败记录")),
    "axes.AccessLog": (_("登录日志"), _("登录日志")),
    "axes.AccessFailureLog": (_("登录失败日志"), _("登录失败日志")),
    "axes.AccessAttemptExpiration": (_("登录锁定到期时间"), _("登录锁定到期时间")),
    "pghistory.Context": (_("操作上下文"), _("操作上下文")),
    "pghistory.Events": (_("变更事件"), _("变更事件")),
    "pghistory.MiddlewareEvents": (_("操作变更记录"), _("操作变更记录")),
}

# Column headers of the audit list (pghistory's unmanaged Events model and its proxy).
EVENT_FIELD_NAMES = {
    "pgh_slug": _("事件标识"),
    "pgh_model": _("事件表"),
    "pgh_id": _("事件编号"),
    "pgh_created_at": _("发生时间"),
    "pgh_label": _("事件类型"),
    "pgh_data": _("记录内容"),
    "pgh_diff": _("变更内容"),
    "pgh_context_id": _("上下文编号"),
    "pgh_context": _("操作上下文"),
    "pgh_obj_model": _("记录类型"),
    "pgh_obj_id": _("记录编号"),
    "user": _("操作人"),
    "url": _("页面地址"),
}


def apply() -> None:
    admin.site.site_header = _("质监通 系统管理")
    admin.site.site_title = _("质监通 系统管理")
    admin.site.index_title = _("系统管理")
    for label, name in APP_NAMES.items():
        if label in apps.app_configs:
            apps.get_app_config(label).verbose_name = name
    for model_label, (singular, plural) in MODEL_NAMES.items():
        try:
            model = apps.get_model(model_label)
        except LookupError:
            continue
        model._meta.verbose_name = singular
        model._meta.verbose_name_plural = plural
    _rename_event_fields()
    _rename_event_filters()
    _rename_login_columns()


def _rename_event_fields() -> None:
    try:
        events = apps.get_model("pghistory.MiddlewareEvents")
    except LookupError:
        return
    for field in events._meta.get_fields():
        name = EVENT_FIELD_NAMES.get(field.name)
        if name is not None and hasattr(field, "verbose_name"):
            field.verbose_name = name


def _rename_event_filters() -> None:
    try:
        from pghistory.admin import core as event_admin
    except ImportError:  # pragma: no cover - pghistory.admin is installed in every settings module
        return
    for filter_class, title in (
        ("LabelFilter", _("事件类型")),
        ("EventModelFilter", _("事件表")),
        ("MethodFilter", _("关联方式")),
        ("ObjFilter", _("记录")),
        ("ModelFilter", _("记录类型")),
    ):
        if hasattr(event_admin, filter_class):
            getattr(event_admin, filter_class).title = title


def _rename_login_columns() -> None:
    """axes' computed columns have no description and would show as “Status” and “Expiration”."""
    try:
        from axes.admin import AccessAttemptAdmin
    except ImportError:  # pragma: no cover - axes is installed in every settings module
        return
    AccessAttemptAdmin.status.short_description = _("状态")
    AccessAttemptAdmin.expiration.short_description = _("锁定到期时间")

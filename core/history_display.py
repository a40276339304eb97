"""Turns pghistory events of one record into rows a person can read: who, when, from where,
and each changed field by its verbose name with the value before and after."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.models import User

EVENT_LABELS = {"insert": gettext_lazy("新建"), "update": gettext_lazy("修改"), "delete": gettext_lazy("删除")}


def _shown_fields(model) -> dict[str, models.Field]:
    """Column name → field, in model order; the key and automatic timestamps are left out (noise)."""
    fields = {}
    for field in model._meta.concrete_fields:
        if field.primary_key and isinstance(field, models.AutoField):
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            continue
        fields[field.attname] = field
    return fields


def _related_names(fields: dict[str, models.Field], events) -> dict[tuple[str, str], str]:
    """Names of the records foreign keys point to, one query per foreign key field."""
    wanted: dict[str, set] = {}
    for event in events:
        pairs = event.pgh_diff.items() if event.pgh_diff else ((k, [v]) for k, v in (event.pgh_data or {}).items())
        for attname, values in pairs:
            field = fields.get(attname)
            if field is not None and field.is_relation:
                wanted.setdefault(attname, set()).update(v for v in values if v not in (None, ""))
    names = {}
    for attname, pks in wanted.items():
        related = fields[attname].related_model
        for pk, obj in related._default_manager.in_bulk(list(pks)).items():
            names[(attname, str(pk))] = str(obj)
    return names


def _display(field: models.Field, value, related: dict) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        name = related.get((field.attname, str(value)))
        return f"{name}（{value}）" if name else str(value)
    if isinstance(field, models.DateTimeField) and isinstance(value, str):
        parsed = parse_datetime(value)
        if parsed is not None:
            return date_format(timezone.localtime(parsed), "Y-m-d H:i:s")
    return str(value)


def history_rows(model, events) -> list[dict]:
    fields = _shown_fields(model)
    related = _related_names(fields, events)
    user_ids = {e.pgh_context.get("user") for e in events if e.pgh_context and e.pgh_context.get("user")}
    users = User.objects.in_bulk(list(user_ids)) if user_ids else {}
    rows = []
    for event in events:
        context = event.pgh_context or {}
        user = users.get(context.get("user"))
        is_insert = not event.pgh_diff
        if is_insert:
            # An insert (or the first event recorded): the values it recorded.
            changes = {name: (None, value) for name, value in (event.pgh_data or {}).items()}
        else:
            changes = {name: tuple(pair) for name, pair in event.pgh_diff.items()}
        diff = [
            {
                "field": str(field.verbose_name),
                "before": _display(field, changes[attname][0], related),
                "after": _display(field, changes[attname][1], related),
            }
            for attname, field in fields.items()
            if attname in changes
        ]
        rows.append(
            {
                "at": event.pgh_created_at,
                "who": user.display_name if user else context.get("username") or _("系统"),
                "url": context.get("url") or context.get("source") or "",
                "kind": event.pgh_label,
                "label": EVENT_LABELS.get(event.pgh_label, event.pgh_label),
                "is_insert": is_insert,
                "diff": diff,
            }
        )
    return rows

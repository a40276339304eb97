"""One timeline per sample and per task (变更时间线): the pghistory events of the record and of the rows that
belong to it, merged newest first, each with who, when, and every changed field by its Chinese label.

pghistory is the audit trail for people (docs/STYLE "Workflows"): this module only reads it for display.
A sample's timeline covers its results and their items, photos, objections, online objection requests,
follow-up steps and correction requests; a task's covers the task, its draws, re-draw and correction requests,
announcements and the samples registered under it (each sample's own timeline has the rest).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.apps import apps
from django.utils import timezone
from django.utils.translation import gettext as _

from core.history_display import history_rows
from core.models import User

# At most this many entries on one page (newest first); the filters narrow a long history.
TIMELINE_LIMIT = 300


@dataclass(frozen=True)
class TimelineFilter:
    user_id: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def _sample_records(sample) -> list:
    from sampling.models import ItemResult

    results = list(sample.results.all())
    return [
        sample,
        *results,
        *ItemResult.objects.filter(result__in=results),
        *sample.photos.all(),
        *sample.objections.all(),
        *sample.objection_requests.all(),
        *sample.followups.all(),
        *sample.correction_requests.all(),
    ]


def _task_records(task) -> list:
    return [
        task,
        *task.redraw_requests.all(),
        *task.correction_requests.all(),
        *task.announcements.all(),
        *task.samples.all(),
    ]


def _label_of(obj) -> str:
    return f"{obj._meta.verbose_name} {obj}"


def _by_model(records: list) -> dict:
    groups = defaultdict(list)
    for obj in records:
        groups[type(obj)].append(obj)
    return groups


def _events(records: list, flt: TimelineFilter):
    """The events of the records, newest first: one query per model (pghistory tracks one model at a time)."""
    from pghistory.models import MiddlewareEvents

    tz = timezone.get_current_timezone()
    found = []
    for objs in _by_model(records).values():
        events = MiddlewareEvents.objects.tracks(objs)
        if flt.user_id:
            events = events.filter(pgh_context__user=flt.user_id)
        if flt.date_from:
            events = events.filter(pgh_created_at__gte=dt.datetime.combine(flt.date_from, dt.time.min, tzinfo=tz))
        if flt.date_to:
            end = dt.datetime.combine(flt.date_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
            events = events.filter(pgh_created_at__lt=end)
        found.extend(events.order_by("-pgh_created_at", "-pgh_id")[:TIMELINE_LIMIT])
    found.sort(key=lambda e: (e.pgh_created_at, e.pgh_id), reverse=True)
    return found[:TIMELINE_LIMIT]


def _entries(records: list, events) -> list[dict]:
    """history_rows per model, each row told which record it is about, merged newest first."""
    by_key = {(obj._meta.label, str(obj.pk)): obj for obj in records}
    grouped = defaultdict(list)
    for event in events:
        grouped[event.pgh_obj_model].append(event)
    entries = []
    for label, model_events in grouped.items():
        model = apps.get_model(label)
        for event, row in zip(model_events, history_rows(model, model_events), strict=True):
            obj = by_key.get((label, str(event.pgh_obj_id)))
            row["record"] = _label_of(obj) if obj is not None else f"{model._meta.verbose_name} #{event.pgh_obj_id}"
            row["model"] = model._meta.model_name
            row["user_id"] = (event.pgh_context or {}).get("user")
            if model._meta.model_name == "correctionrequest":
                _readable_changes(row, event)
            entries.append(row)
    return entries


def _readable_changes(row: dict, event) -> None:
    """A correction request's 修改内容 by field label, before → after, instead of its JSON."""
    from sampling.models import CorrectionRequest
    from sampling.services.corrections import change_rows

    data = event.pgh_data or {}
    if not data.get("changes"):
        return
    probe = CorrectionRequest(
        task_id=data.get("task_id"),
        sample_id=data.get("sample_id"),
        result_id=data.get("result_id"),
        changes=data["changes"],
    )
    text = "；".join(f"{r['field']}：{r['before']} → {r['after']}" for r in change_rows(probe))
    label = str(CorrectionRequest._meta.get_field("changes").verbose_name)
    for item in row["diff"]:
        if item["field"] == label:
            item["after"] = text
            if item["before"] != "—":
                item["before"] = ""


def _draw_entries(task, flt: TimelineFilter) -> list[dict]:
    """Draws are insert-only evidence (no pghistory): each attempt is one entry with its drawer and seed."""
    draws = task.draws.select_related("created_by")
    if flt.user_id:
        draws = draws.filter(created_by_id=flt.user_id)
    if flt.date_from:
        draws = draws.filter(created_at__date__gte=flt.date_from)
    if flt.date_to:
        draws = draws.filter(created_at__date__lte=flt.date_to)
    return [
        {
            "at": draw.created_at,
            "who": draw.created_by.display_name,
            "user_id": draw.created_by_id,
            "url": "",
            "kind": "insert",
            "label": _("随机抽取"),
            "is_insert": True,
            "record": _("随机抽取 第 %(n)d 次") % {"n": draw.attempt},
            "model": "draw",
            "diff": [
                {"field": _("抽中企业"), "before": "—", "after": str(len(draw.selected or []))},
                {"field": _("随机种子"), "before": "—", "after": draw.seed},
            ],
        }
        for draw in draws
    ]


def _people(records: list, extra_ids=()) -> list[User]:
    """Everyone who appears in the unfiltered timeline, for the 操作人 filter."""
    from pghistory.models import MiddlewareEvents

    ids = set(extra_ids)
    for objs in _by_model(records).values():
        for context in MiddlewareEvents.objects.tracks(objs).values_list("pgh_context", flat=True):
            if context and context.get("user"):
                ids.add(context["user"])
    return list(User.objects.filter(pk__in=ids).order_by("username"))


def sample_timeline(sample, flt: TimelineFilter = TimelineFilter()) -> tuple[list[dict], list[User]]:
    records = _sample_records(sample)
    entries = _entries(records, _events(records, flt))
    entries.sort(key=lambda e: e["at"], reverse=True)
    return entries, _people(records)


def task_timeline(task, flt: TimelineFilter = TimelineFilter()) -> tuple[list[dict], list[User]]:
    records = _task_records(task)
    entries = _entries(records, _events(records, flt)) + _draw_entries(task, flt)
    entries.sort(key=lambda e: e["at"], reverse=True)
    drawers = task.draws.values_list("created_by_id", flat=True)
    return entries[:TIMELINE_LIMIT], _people(records, drawers)

"""Audit trail: django-pghistory triggers record every insert/update/delete of tracked models;
this module attaches *who* and *from where* to the events and reads a record's history back."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pghistory


@contextlib.contextmanager
def audit_context(*, user=None, source: str, **extra) -> Iterator[None]:
    """Label every tracked change made inside the block (commands, Celery tasks, services outside a request).

    Inside a request the HistoryMiddleware already records the user and URL; nesting adds to it.
    """
    values = {"source": source, **extra}
    if user is not None:
        values["user"] = user.pk
        values["username"] = user.get_username()
    with pghistory.context(**values):
        yield


def history_of(obj, *, limit: int = 200):
    """The events of one record, newest first, with the diff of each update and its context."""
    from pghistory.models import MiddlewareEvents

    return MiddlewareEvents.objects.tracks(obj).order_by("-pgh_created_at")[:limit]

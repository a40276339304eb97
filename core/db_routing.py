"""Reads of statistics and reports from a PostgreSQL streaming replica; every other query on the primary.

With ``DATABASE_REPLICA_URL`` set the settings add a ``replica`` database alias and ``ReplicaRouter``. Code that only
reads aggregates (``sampling.statistics``, the report kinds' queries in ``core.reports.pipeline.build_snapshot``)
runs inside ``replica_reads()``: ORM reads there go to the replica, raw SQL takes ``read_connection()``. Writes,
migrations and every read outside such a block stay on the primary, so a page never reads its own write from a
replica that lags behind. ``REPLICA_READS = False`` (the test settings) keeps the alias configured but unused.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import connections

REPLICA = "replica"
_reading = ContextVar("replica_reads", default=False)


def read_alias() -> str:
    """The alias aggregate reads use now: the replica inside ``replica_reads()`` when one is configured."""
    if _reading.get() and REPLICA in settings.DATABASES and getattr(settings, "REPLICA_READS", True):
        return REPLICA
    return "default"


def read_connection():
    return connections[read_alias()]


@contextmanager
def replica_reads():
    """Within the block (or decorated function) reads go to the replica; nested blocks are harmless."""
    token = _reading.set(True)
    try:
        yield
    finally:
        _reading.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return read_alias()

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same data on both servers

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"

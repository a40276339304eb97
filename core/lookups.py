"""Query helpers the PostgreSQL indexes need."""

from __future__ import annotations

from django.db.models import Lookup, Value


class ILike(Lookup):
    """``column ILIKE pattern``: unlike Django's icontains (``UPPER(column) LIKE UPPER(...)``) the
    pg_trgm GIN index on the bare column serves it."""

    lookup_name = "ilike"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs}::text ILIKE {rhs}", [*lhs_params, *rhs_params]


def contains_pattern(text: str) -> Value:
    """An ILIKE pattern matching ``text`` anywhere, with LIKE's wildcards escaped."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return Value(f"%{escaped}%")

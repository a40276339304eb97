"""Schema helpers for the API (drf-spectacular)."""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema


class SingleObjectSchema(AutoSchema):
    """For a ViewSet whose ``list`` answers one object (a report of figures), not a list: no array, no pagination."""

    def _is_list_view(self, serializer=None) -> bool:
        return False

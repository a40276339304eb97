"""A paginator that counts at most ``cap`` rows: counting every match of a broad public search over tens of
thousands of notices costs more than the page itself; the page then says "1,000+" instead."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.utils.functional import cached_property

COUNT_CAP = 1000


class CappedPaginator(Paginator):
    cap = COUNT_CAP

    @cached_property
    def _found(self) -> int:
        # COUNT(*) over a LIMIT-ed subquery: stops after cap + 1 matching rows.
        return self.object_list.values("pk").order_by()[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._found, self.cap)

    @property
    def is_capped(self) -> bool:
        return self._found > self.cap

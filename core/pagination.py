"""Page lists whose exact total would cost more than the page: count up to a cap, estimate beyond it.

A national user's sample list matches millions of rows; ``COUNT(*)`` over them took longer than reading the
page. Up to ``COUNTED_UP_TO`` rows the total is exact (a ``LIMIT`` sub-select stops there); above it the
planner's row estimate is shown as "约 N 条" (``paginator.count_is_estimate``).

The public searches (results, recall notices) use ``CappedPaginator`` instead: no estimate at all, at most
``cap`` rows counted, and the page says "more than 1,000, narrow the search" (``paginator.is_capped``), as public
query portals do.
"""

from __future__ import annotations

import json
from functools import cached_property

from django.core.paginator import Paginator
from django.db import connections

COUNTED_UP_TO = 10_000


def planner_rows(queryset) -> int:
    """The planner's estimate of the rows ``queryset`` returns (EXPLAIN, no execution)."""
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


class CappedCountPaginator(Paginator):
    count_is_estimate = False

    def __init__(self, *args, counted_up_to: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.counted_up_to = counted_up_to or COUNTED_UP_TO

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        capped = queryset.order_by()[: self.counted_up_to + 1].count()
        if capped <= self.counted_up_to:
            return capped
        self.count_is_estimate = True
        return max(planner_rows(queryset), capped)


PUBLIC_COUNT_CAP = 1000


class CappedPaginator(Paginator):
    """A paginator that counts at most ``cap`` rows; ``is_capped`` tells that more exist."""

    def __init__(self, object_list, per_page, *, cap: int | None = None, count_in_order: bool = False, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap if cap is not None else PUBLIC_COUNT_CAP
        self.count_in_order = count_in_order

    @cached_property
    def _found(self) -> int:
        # COUNT(*) over a LIMIT-ed subquery: stops after cap + 1 matching rows. In the list's order when asked
        # (a region search of published batches): the region's index is then read in order and stops there, where
        # a bitmap scan of the unordered count read every batch of a province before counting (112,000 entries).
        rows = self.object_list.values("pk")
        if not self.count_in_order:
            rows = rows.order_by()
        return rows[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._found, self.cap)

    @property
    def is_capped(self) -> bool:
        return self._found > self.cap

"""Page lists whose exact total would cost more than the page: count up to a cap, estimate beyond it.

A national user's sample list matches millions of rows; ``COUNT(*)`` over them took longer than reading the
page. Up to ``COUNTED_UP_TO`` rows the total is exact (a ``LIMIT`` sub-select stops there); above it the
planner's row estimate is shown as "约 N 条" (``paginator.count_is_estimate``).
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

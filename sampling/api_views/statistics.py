"""Statistics API: batch pass rates and the most frequent failed items, scoped to the user's jurisdiction.

GET /api/v1/statistics/pass-rate/?by=zone&year=2017&task=HN2017-01&region=4301
GET /api/v1/statistics/failed-items/?year=2017&limit=10
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from core.api_schema import SingleObjectSchema
from sampling.statistics import (
    BY_CHOICES,
    failed_item_ranking,
    narrow_prefix,
    pass_rate_rows,
    pass_rate_total,
    scope_prefix_for,
)


class PassRateRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    batches = serializers.IntegerField()
    passed = serializers.IntegerField()
    failed = serializers.IntegerField()
    pass_rate = serializers.FloatField(allow_null=True)


class PassRateSerializer(serializers.Serializer):
    by = serializers.CharField()
    rows = PassRateRowSerializer(many=True)
    total = PassRateRowSerializer()


class FailedItemSerializer(serializers.Serializer):
    item = serializers.CharField()
    count = serializers.IntegerField()


FILTER_PARAMETERS = [
    OpenApiParameter("year", OpenApiTypes.INT, description=gettext_lazy("年度")),
    OpenApiParameter("task", OpenApiTypes.STR, description=gettext_lazy("任务编号")),
    OpenApiParameter("region", OpenApiTypes.STR, description=gettext_lazy("地区代码前缀（限于本人管辖范围）")),
    OpenApiParameter("date_from", OpenApiTypes.DATE, description=gettext_lazy("抽样日期起")),
    OpenApiParameter("date_to", OpenApiTypes.DATE, description=gettext_lazy("抽样日期止")),
]


def _filters(request) -> dict | None:
    """The statistics filters of a request, limited to the user's jurisdiction; None means nothing visible."""
    params = request.query_params
    prefix = narrow_prefix(scope_prefix_for(request.user), params.get("region", "").strip())
    if prefix is None:
        return None
    filters: dict = {"region_prefix": prefix, "task_code": params.get("task") or None}
    year = params.get("year", "").strip()
    if year:
        if not year.isdigit():
            raise ValidationError({"year": [_("年度应为四位数字")]})
        filters["year"] = int(year)
    for name in ("date_from", "date_to"):
        value = params.get(name, "").strip()
        if value:
            try:
                filters[name] = dt.date.fromisoformat(value)
            except ValueError:
                raise ValidationError({name: [_("日期应为 YYYY-MM-DD")]})
    return filters


class PassRateViewSet(viewsets.ViewSet):
    """批次合格率：按 by 分组的各行与合计。"""

    # One object ({by, rows, total}), though served by ``list``.
    schema = SingleObjectSchema()

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "by", OpenApiTypes.STR, required=True, enum=list(BY_CHOICES), description=gettext_lazy("分组方式")
            ),
            *FILTER_PARAMETERS,
        ],
        responses=PassRateSerializer,
    )
    def list(self, request):
        by = request.query_params.get("by", "")
        if by not in BY_CHOICES:
            raise ValidationError({"by": [_("分组方式应为 %(choices)s 之一") % {"choices": " / ".join(BY_CHOICES)}]})
        filters = _filters(request)
        if filters is None:
            empty = {"key": "total", "label": _("合计"), "batches": 0, "passed": 0, "failed": 0, "pass_rate": None}
            return Response({"by": by, "rows": [], "total": empty})
        return Response({"by": by, "rows": pass_rate_rows(by=by, **filters), "total": pass_rate_total(**filters)})


class FailedItemsViewSet(viewsets.ViewSet):
    """不合格项目排名：按出现该项目的不合格批次数排序。"""

    @extend_schema(
        parameters=[
            *FILTER_PARAMETERS,
            OpenApiParameter("limit", OpenApiTypes.INT, description=gettext_lazy("条数（默认 10）")),
        ],
        responses=FailedItemSerializer(many=True),
    )
    def list(self, request):
        filters = _filters(request)
        limit = request.query_params.get("limit", "10")
        if not limit.isdigit() or not 1 <= int(limit) <= 100:
            raise ValidationError({"limit": [_("条数应为 1 至 100 之间的整数")]})
        if filters is None:
            return Response([])
        return Response(failed_item_ranking(limit=int(limit), **filters))


def register(router) -> None:
    router.register("statistics/pass-rate", PassRateViewSet, basename="statistics-pass-rate")
    router.register("statistics/failed-items", FailedItemsViewSet, basename="statistics-failed-items")

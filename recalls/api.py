"""Recall API: the open read-only recall API (no sign-in, rate-limited) and the public defect report.

``GET /api/v1/public/recalls/`` lists published notices only (recalls.selectors.published_recalls) with
fields in the spirit of the US CPSC recall API (products, units, hazards, remedies, images, injuries,
manufacturers, retailers, last publish date); ``?since=`` gives the notices changed after a moment, for
incremental sync; ``?vin=`` is the owners' lookup. Internal notes, versions, reporters never appear.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, parsers, permissions, serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle

from core.api_pagination import StandardPagination
from core.errors import DomainError
from core.models import Region
from core.pagination import CappedPaginator
from recalls.models import Category, Recall, Remedy
from recalls.selectors import public_search, published_recalls, recalls_covering_vin
from recalls.services.defect_reports import defect_report_submit
from recalls.vin import VinError, validate_vin

TAG = gettext_lazy("社会公众")


class PublicRecallSerializer(serializers.ModelSerializer):
    title = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    last_publish_date = serializers.DateTimeField(source="last_published_at")
    manufacturers = serializers.SerializerMethodField()
    products = serializers.SerializerMethodField()
    hazards = serializers.SerializerMethodField()
    remedies = serializers.SerializerMethodField()
    images = serializers.SerializerMethodField()
    injuries = serializers.SerializerMethodField()
    retailers = serializers.SerializerMethodField()
    completion = serializers.SerializerMethodField()
    category_display = serializers.CharField(source="get_category_display")
    kind_display = serializers.CharField(source="get_kind_display")
    status_display = serializers.CharField(source="get_status_display")

    class Meta:
        model = Recall
        fields = [
            "id",
            "recall_no",
            "title",
            "url",
            "category",
            "category_display",
            "kind",
            "kind_display",
            "status",
            "status_display",
            "published_on",
            "last_publish_date",
            "started_on",
            "planned_end_on",
            "ended_on",
            "manufacturers",
            "products",
            "units_affected",
            "defect",
            "hazards",
            "emergency_measures",
            "remedies",
            "owner_notification",
            "hotline",
            "images",
            "injuries",
            "retailers",
            "completion",
        ]

    def get_title(self, recall) -> str:
        return f"{recall.producer.name}召回部分{recall.brand}{recall.product}"

    def get_url(self, recall) -> str:
        url = reverse("recalls_public:notice", args=[recall.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url

    def get_manufacturers(self, recall) -> list[dict]:
        return [{"name": recall.producer.name, "uscc": recall.producer.uscc}]

    def get_products(self, recall) -> list[dict]:
        return [
            {
                "name": recall.product,
                "brand": recall.brand,
                "models": recall.models_list,
                "production_from": recall.production_from,
                "production_to": recall.production_to,
                "batches": recall.batches,
                "units": recall.units_affected,
                "type": recall.product_type.name if recall.product_type_id else "",
            }
        ]

    def get_hazards(self, recall) -> list[dict]:
        return [{"description": recall.hazard}] if recall.hazard else []

    def get_remedies(self, recall) -> list[dict]:
        labels = dict(Remedy.choices)
        items = [{"code": code, "name": str(labels.get(code, code))} for code in recall.remedies]
        if recall.remedy_detail and items:
            items[0]["detail"] = recall.remedy_detail
        return items

    def get_images(self, recall) -> list[dict]:
        return []

    def get_injuries(self, recall) -> list[dict]:
        return [{"description": recall.injuries}] if recall.injuries else []

    def get_retailers(self, recall) -> list[dict]:
        return [{"name": recall.retailers}] if recall.retailers else []

    def get_completion(self, recall) -> dict:
        return {
            "units_affected": recall.units_affected,
            "units_remedied": recall.units_remedied,
            "units_unreachable": recall.units_unreachable,
            "rate": None if recall.completion_rate is None else round(recall.completion_rate, 4),
            "rate_all_units": None if recall.completion_rate_all is None else round(recall.completion_rate_all, 4),
            "as_of": recall.figures_as_of,
            "explanation": _("rate = 已完成召回 ÷（涉及 − 无法联系）；rate_all_units = 已完成召回 ÷ 涉及。"),
        }


class PublicRecallPagination(StandardPagination):
    """Pages of 20 (at most 100); ``count`` stops at 1,000 (a broad search says "1,000" and pages on)."""

    page_size = 20
    max_page_size = 100
    django_paginator_class = CappedPaginator


class PublicRecallThrottle(ScopedRateThrottle):
    scope_attr = "throttle_scope"


def _since(value: str):
    if not value:
        return None
    moment = parse_datetime(value)
    if moment is None:
        day = parse_date(value)
        if day is None:
            raise exceptions.ValidationError({"since": _("since：应为日期（2026-01-31）或 ISO 8601 时间。")})
        moment = dt.datetime.combine(day, dt.time.min)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy("已发布的缺陷产品召回公告（开放接口）"),
        tags=[TAG],
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, description=gettext_lazy("产品、品牌、型号、生产者或召回编号")),
            OpenApiParameter("brand", OpenApiTypes.STR, description=gettext_lazy("品牌（完全一致，不区分大小写）")),
            OpenApiParameter("model", OpenApiTypes.STR, description=gettext_lazy("型号（完全一致）")),
            OpenApiParameter("category", OpenApiTypes.STR, enum=Category.values, description=gettext_lazy("产品类别")),
            OpenApiParameter(
                "since",
                OpenApiTypes.DATETIME,
                description=gettext_lazy("只返回此时间之后发布或更新的公告（增量同步，按更新时间升序）"),
            ),
            OpenApiParameter(
                "vin",
                OpenApiTypes.STR,
                description=gettext_lazy("车辆识别代号：返回涉及该车辆的召回；格式错误时返回 400 并说明原因"),
            ),
        ],
    ),
    retrieve=extend_schema(summary=gettext_lazy("一则已发布的召回公告"), tags=[TAG]),
)
class PublicRecallViewSet(viewsets.ReadOnlyModelViewSet):
    """Published recall notices. No sign-in; rate-limited per client (scope ``public_recalls``)."""

    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []
    throttle_classes = [PublicRecallThrottle]
    throttle_scope = "public_recalls"
    serializer_class = PublicRecallSerializer
    pagination_class = PublicRecallPagination
    filter_backends: list = []

    def list(self, request, *args, **kwargs):
        if not request.query_params.get("vin", "").strip():
            return super().list(request, *args, **kwargs)
        # The owners' lookup: a handful of recalls at most, one query, no count.
        rows = self.get_serializer(list(self.get_queryset()[:100]), many=True).data
        return Response({"count": len(rows), "next": None, "previous": None, "results": rows})

    def get_queryset(self):
        if self.action != "list":
            return published_recalls()
        params = self.request.query_params
        vin = params.get("vin", "").strip()
        if vin:
            try:
                return recalls_covering_vin(validate_vin(vin))
            except VinError as exc:
                raise exceptions.ValidationError({"vin": [str(exc)]}) from exc
        category = params.get("category", "")
        if category and category not in Category.values:
            raise exceptions.ValidationError({"category": [_("category：只能是 vehicle 或 consumer。")]})
        since = _since(params.get("since", ""))
        return public_search(
            q=params.get("q", "")[:100],
            brand=params.get("brand", "")[:64],
            model=params.get("model", "")[:64],
            category=category,
            since=since,
            order="updated_asc" if since else "-published_on",
        )


class PublicDefectReportSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=Category.choices)
    product = serializers.CharField(max_length=128)
    brand = serializers.CharField(max_length=64)
    model = serializers.CharField(max_length=64)
    vin = serializers.CharField(max_length=40, required=False, allow_blank=True)
    batch = serializers.CharField(max_length=64, required=False, allow_blank=True)
    purchased_on = serializers.DateField(required=False, allow_null=True)
    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.filter(is_active=True))
    description = serializers.CharField()
    injury = serializers.BooleanField(required=False, default=False)
    injury_detail = serializers.CharField(max_length=255, required=False, allow_blank=True)
    reporter_name = serializers.CharField(max_length=64, write_only=True)
    reporter_phone = serializers.CharField(max_length=32, write_only=True)
    reporter_email = serializers.EmailField(required=False, allow_blank=True, write_only=True)
    consent_publish = serializers.BooleanField(required=False, default=False)
    photos = serializers.ListField(child=serializers.FileField(), required=False, write_only=True)
    report_no = serializers.CharField(read_only=True)


@extend_schema_view(
    create=extend_schema(summary=gettext_lazy("报告产品缺陷（无需登录）"), tags=[TAG]),
)
class PublicDefectReportViewSet(mixins.CreateModelMixin, viewsets.GenericViewSet):
    """A citizen's defect report; the answer carries only its number. Rate-limited (``public_defect_reports``)."""

    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []
    throttle_classes = [PublicRecallThrottle]
    throttle_scope = "public_defect_reports"
    serializer_class = PublicDefectReportSerializer
    parser_classes = [parsers.MultiPartParser, parsers.FormParser, parsers.JSONParser]

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data["photos"] = request.FILES.getlist("photos") if hasattr(request, "FILES") else []
        try:
            report = defect_report_submit(**data)
        except DomainError as exc:
            raise exceptions.ValidationError({"detail": str(exc)}) from exc
        return Response({"report_no": report.report_no}, status=status.HTTP_201_CREATED)


def register(router) -> None:
    router.register("public/recalls", PublicRecallViewSet, basename="public-recall")
    router.register("public/defect-reports", PublicDefectReportViewSet, basename="public-defect-report")

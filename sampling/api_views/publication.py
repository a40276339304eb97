"""API of publication: the open read-only public API and the staff announcements API.

Public endpoints (AllowAny) read only sampling.selectors.published_samples() / published_announcements().
"""

from __future__ import annotations

from django.db.models import Count
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api_pagination import LongListCursorPagination
from core.errors import PermissionDenied
from sampling import policies
from sampling.models import Announcement, Sample, SamplingTask
from sampling.public_filters import PublishedAnnouncementFilter, PublishedSampleFilter
from sampling.selectors import (
    announcements_visible_to,
    public_results,
    published_announcements,
    tasks_visible_to,
)
from sampling.services.publication import (
    announcement_create,
    announcement_publish,
    announcement_withdraw,
)

# --- Public (社会公众) ----------------------------------------------------------------------------


class PublicResultCursorPagination(LongListCursorPagination):
    page_size = 50
    ordering = ("-sampled_on", "-id")


class PublicAnnouncementCursorPagination(LongListCursorPagination):
    page_size = 50
    ordering = ("-published_at", "-id")


class PublicResultSerializer(serializers.ModelSerializer):
    announcement_id = serializers.IntegerField(read_only=True)
    announcement_title = serializers.CharField(source="announcement.title", read_only=True)
    product_group = serializers.CharField(source="product_type.group.name", read_only=True)
    product_type = serializers.CharField(source="product_type.name", read_only=True)
    enterprise = serializers.CharField(source="enterprise.name", read_only=True)
    region_code = serializers.CharField(source="region_id", read_only=True)
    region = serializers.CharField(source="region.full_name", read_only=True)
    stage = serializers.CharField(source="get_stage_display", read_only=True)
    verdict = serializers.CharField(source="get_final_verdict_display", read_only=True)
    result = serializers.CharField(source="final_verdict", read_only=True, help_text=_("pass 合格 / fail 不合格"))
    failed_items = serializers.SerializerMethodField()
    institution = serializers.SerializerMethodField()

    class Meta:
        model = Sample
        fields = [
            "id",
            "announcement_id",
            "announcement_title",
            "product_group",
            "product_type",
            "enterprise",
            "region_code",
            "region",
            "brand",
            "model_spec",
            "production_batch",
            "stage",
            "sampled_on",
            "year",
            "failed_items",
            "institution",
            "result",
            "verdict",
        ]
        read_only_fields = fields

    @staticmethod
    def _final(sample):
        results = getattr(sample, "confirmed_results", None) or []
        return results[0] if results else None

    def get_failed_items(self, sample) -> list[str]:
        result = self._final(sample)
        return list(result.failed_items) if result else []

    def get_institution(self, sample) -> str:
        result = self._final(sample)
        return result.institution.name if result else ""


class PublicAnnouncementSerializer(serializers.ModelSerializer):
    task_name = serializers.CharField(source="task.name", read_only=True)
    year = serializers.IntegerField(source="task.year", read_only=True)
    region_code = serializers.CharField(source="region_id", read_only=True)
    region = serializers.CharField(source="region.name", read_only=True)
    results_url = serializers.SerializerMethodField()

    class Meta:
        model = Announcement
        fields = [
            "id",
            "title",
            "number",
            "summary",
            "task_name",
            "year",
            "region_code",
            "region",
            "published_at",
            "batch_count",
            "failed_count",
            "results_url",
        ]
        read_only_fields = fields

    def get_results_url(self, announcement) -> str:
        request = self.context.get("request")
        url = f"/api/v1/public/results/?announcement={announcement.pk}"
        return request.build_absolute_uri(url) if request else url


@extend_schema_view(
    list=extend_schema(summary=_("已发布的抽查结果公告"), tags=[_("社会公众")]),
    retrieve=extend_schema(summary=_("一则已发布的抽查结果公告"), tags=[_("社会公众")]),
)
class PublicAnnouncementViewSet(viewsets.ReadOnlyModelViewSet):
    """Published results announcements (抽查结果公告), newest first. No sign-in."""

    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []
    serializer_class = PublicAnnouncementSerializer
    pagination_class = PublicAnnouncementCursorPagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = PublishedAnnouncementFilter

    def get_queryset(self):
        return published_announcements()


@extend_schema_view(
    list=extend_schema(summary=_("已公开的抽查结果查询"), tags=[_("社会公众")]),
    retrieve=extend_schema(summary=_("一个已公开的抽查批次"), tags=[_("社会公众")]),
)
class PublicResultViewSet(viewsets.ReadOnlyModelViewSet):
    """Published sampled batches (抽查结果): search by product, enterprise, region, result, year. No sign-in."""

    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []
    serializer_class = PublicResultSerializer
    pagination_class = PublicResultCursorPagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = PublishedSampleFilter

    def get_queryset(self):
        return public_results()


# --- Staff (结果公告管理) -------------------------------------------------------------------------


class AnnouncementSerializer(serializers.ModelSerializer):
    task = serializers.PrimaryKeyRelatedField(queryset=SamplingTask.objects.none())
    samples = serializers.PrimaryKeyRelatedField(
        many=True,
        required=False,
        queryset=Sample.objects.all(),
        help_text=_("省略时：任务中全部有最终结论且未公告的批次"),
    )
    # The batches a staff announcement carries (a draft too); the public one reads the stored published counts.
    batch_count = serializers.IntegerField(source="carried_count", read_only=True)

    class Meta:
        model = Announcement
        fields = [
            "id",
            "task",
            "title",
            "number",
            "summary",
            "status",
            "region",
            "published_at",
            "published_by",
            "created_at",
            "batch_count",
            "samples",
        ]
        read_only_fields = ["id", "status", "region", "published_at", "published_by", "created_at", "batch_count"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            self.fields["task"].queryset = tasks_visible_to(request.user)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data.pop("samples", None)
        return data


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, help_text=_("撤回理由"))


class _RaiseForbidden:
    """Run a service and turn its PermissionDenied into HTTP 403 (other domain errors become 400)."""

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None and issubclass(exc_type, PermissionDenied):
            raise exceptions.PermissionDenied(str(exc))
        return False


class StaffRolePermission(permissions.BasePermission):
    message = _("您的角色无权办理结果公告")

    def has_permission(self, request, view) -> bool:
        return policies.can_draft_announcements(request.user)


@extend_schema_view(
    list=extend_schema(summary=_("本辖区的结果公告"), tags=[_("结果公告")]),
    retrieve=extend_schema(summary=_("一则结果公告"), tags=[_("结果公告")]),
    create=extend_schema(summary=_("起草结果公告"), tags=[_("结果公告")]),
)
class AnnouncementViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Results announcements of the user's jurisdiction: draft, publish, withdraw."""

    permission_classes = [permissions.IsAuthenticated, StaffRolePermission]
    serializer_class = AnnouncementSerializer
    filterset_fields = ["status", "task"]
    ordering_fields = ["created_at", "published_at"]
    search_fields = ["title", "number"]

    def get_queryset(self):
        return (
            announcements_visible_to(self.request.user)
            .annotate(carried_count=Count("samples"))
            .order_by("-created_at", "-id")
        )

    def perform_create(self, serializer):
        data = serializer.validated_data
        with _RaiseForbidden():
            serializer.instance = announcement_create(
                user=self.request.user,
                task=data["task"],
                title=data["title"],
                number=data.get("number", ""),
                summary=data.get("summary", ""),
                samples=data.get("samples"),
            )
        serializer.instance.carried_count = serializer.instance.samples.count()

    def _reload(self, pk: int) -> Announcement:
        return get_object_or_404(self.get_queryset(), pk=pk)

    @extend_schema(summary=_("发布结果公告"), tags=[_("结果公告")], request=None, responses=AnnouncementSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        announcement = self.get_object()
        with _RaiseForbidden():
            announcement_publish(user=request.user, announcement=announcement)
        return Response(self.get_serializer(self._reload(announcement.pk)).data)

    @extend_schema(
        summary=_("撤回结果公告"), tags=[_("结果公告")], request=WithdrawSerializer, responses=AnnouncementSerializer
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        announcement = self.get_object()
        body = WithdrawSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with _RaiseForbidden():
            announcement_withdraw(user=request.user, announcement=announcement, reason=body.validated_data["reason"])
        return Response(self.get_serializer(self._reload(announcement.pk)).data, status=status.HTTP_200_OK)


def register(router) -> None:
    router.register("public/announcements", PublicAnnouncementViewSet, basename="public-announcement")
    router.register("public/results", PublicResultViewSet, basename="public-result")
    router.register("sampling/announcements", AnnouncementViewSet, basename="sampling-announcement")

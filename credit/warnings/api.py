"""API of early warning: warnings of the caller's jurisdiction (filters signal, level, state, region) and the
workflow actions, thin over credit.warnings.services; the figures and evidence travel with each warning."""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied as DRFPermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from credit.models_warnings import EarlyWarning
from credit.warnings import policies
from credit.warnings.evidence import evidence_rows
from credit.warnings.selectors import warnings_filtered, warnings_visible_to
from credit.warnings.services import warning_assess, warning_dismiss, warning_handle, warning_to_task


class WarningSerializer(serializers.ModelSerializer):
    signal_label = serializers.CharField(source="get_signal_display", read_only=True)
    level_label = serializers.CharField(source="get_level_display", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    evidence = serializers.SerializerMethodField()

    class Meta:
        model = EarlyWarning
        fields = [
            "id", "signal", "signal_label", "subject_type", "subject_key", "subject_name", "subject_code",
            "enterprise", "product_type", "region", "region_name", "level", "level_label", "state", "state_label",
            "period", "first_period", "figures", "evidence", "summary", "times_raised", "raised_at", "updated_at",
            "assessment", "assessed_at", "close_reason", "closed_at", "sampling_task",
        ]  # fmt: skip
        read_only_fields = fields

    def get_evidence(self, warning) -> list[dict]:
        return evidence_rows(warning)


class ReasonSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=2000, help_text=gettext_lazy("研判意见或处置、排除理由"))


class CanViewWarnings(IsAuthenticated):
    def has_permission(self, request, view) -> bool:
        return super().has_permission(request, view) and policies.can_view_warnings(request.user)


_FILTERS = [
    OpenApiParameter("signal", str, description=gettext_lazy("预警信号")),
    OpenApiParameter("level", str, description=gettext_lazy("预警等级：attention / warning / severe")),
    OpenApiParameter("state", str, description=gettext_lazy("状态：new / assessed / handled / dismissed / open")),
    OpenApiParameter("region", str, description=gettext_lazy("地区代码（含下级）")),
]


@extend_schema(tags=["early-warning"])
class WarningViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """风险预警: only the caller's jurisdiction and below."""

    serializer_class = WarningSerializer
    permission_classes = [CanViewWarnings]

    def get_queryset(self):
        if self.action == "list":
            params = self.request.query_params
            return warnings_filtered(
                self.request.user,
                signal=params.get("signal", ""),
                level=params.get("level", ""),
                state=params.get("state", ""),
                region=params.get("region", ""),
            )
        return warnings_visible_to(self.request.user).order_by("-id")

    @extend_schema(parameters=_FILTERS)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def _run(self, call):
        warning = self.get_object()
        text = ReasonSerializer(data=self.request.data)
        text.is_valid(raise_exception=True)
        result = call(warning, text.validated_data["text"])
        return Response(WarningSerializer(result).data)

    @extend_schema(request=ReasonSerializer, responses=WarningSerializer)
    @action(detail=True, methods=["post"])
    def assess(self, request, pk=None):
        return self._run(lambda w, t: warning_assess(user=request.user, warning=w, assessment=t))

    @extend_schema(request=ReasonSerializer, responses=WarningSerializer)
    @action(detail=True, methods=["post"])
    def handle(self, request, pk=None):
        return self._run(lambda w, t: warning_handle(user=request.user, warning=w, reason=t))

    @extend_schema(request=ReasonSerializer, responses=WarningSerializer)
    @action(detail=True, methods=["post"])
    def dismiss(self, request, pk=None):
        return self._run(lambda w, t: warning_dismiss(user=request.user, warning=w, reason=t))

    @extend_schema(request=None, responses=WarningSerializer)
    @action(detail=True, methods=["post"], url_path="sampling-task")
    def sampling_task(self, request, pk=None):
        warning = self.get_object()
        if not policies.can_view(request.user, warning):
            raise DRFPermissionDenied()
        warning_to_task(user=request.user, warning=warning)
        warning.refresh_from_db()
        return Response(WarningSerializer(warning).data, status=201)


def register(router) -> None:
    router.register("warnings", WarningViewSet, basename="warning")

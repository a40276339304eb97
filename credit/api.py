"""Credit API: staff read records, classes with their explanations, listings and applications (scoped to the
jurisdiction; an enterprise account reads its own applications); the public reads the serious-violation
list (no sign-in, published listings only, never a class)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import permissions, serializers, viewsets

from core.api_pagination import StandardPagination
from credit import policies, selectors
from credit.kinds import kind_label
from credit.models import CreditApplication, CreditRecord, Listing
from credit.services.classes import explain


class CanViewCredit(permissions.BasePermission):
    message = _("信用信息仅供监管人员查看。")

    def has_permission(self, request, view):
        return policies.can_view_credit(request.user)


class CreditRecordSerializer(serializers.ModelSerializer):
    kind_label = serializers.SerializerMethodField()

    class Meta:
        model = CreditRecord
        fields = [
            "id",
            "fact",
            "enterprise",
            "region_code",
            "kind",
            "kind_label",
            "variant",
            "occurred_on",
            "source_type",
            "source_id",
            "source_label",
            "summary",
            "amount",
            "ended_on",
        ]

    def get_kind_label(self, obj) -> str:
        return kind_label(obj.kind)


@extend_schema(tags=[_("质量信用")])
@extend_schema_view(list=extend_schema(parameters=[OpenApiParameter("enterprise", OpenApiTypes.INT)]))
class CreditRecordViewSet(viewsets.ReadOnlyModelViewSet):
    """信用记录: one per ledger fact, citing the fact and its source record."""

    serializer_class = CreditRecordSerializer
    permission_classes = [permissions.IsAuthenticated, CanViewCredit]
    filter_backends: list = []

    def get_queryset(self):
        qs = selectors.records_visible_to(self.request.user).order_by("-occurred_on", "-id")
        enterprise = self.request.query_params.get("enterprise")
        return qs.filter(enterprise_id=enterprise) if enterprise and enterprise.isdigit() else qs


class EnterpriseClassSerializer(serializers.Serializer):
    enterprise = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    uscc = serializers.CharField()
    region_code = serializers.CharField(source="region_id")
    credit_class = serializers.CharField()
    score = serializers.SerializerMethodField()
    rule_set_version = serializers.SerializerMethodField()
    computed_on = serializers.SerializerMethodField()

    def get_score(self, obj) -> str | None:
        stored = _classification(obj)
        return str(stored.score) if stored else None

    def get_rule_set_version(self, obj) -> int | None:
        stored = _classification(obj)
        return stored.rule_set.version if stored else None

    def get_computed_on(self, obj) -> str | None:
        stored = _classification(obj)
        return stored.computed_on.isoformat() if stored else None


def _classification(enterprise):
    from credit.models import EnterpriseClass

    try:
        return enterprise.credit_classification
    except EnterpriseClass.DoesNotExist:
        return None


class ExplanationRowSerializer(serializers.Serializer):
    fact_id = serializers.IntegerField()
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    variant = serializers.CharField()
    occurred_on = serializers.DateField()
    source_label = serializers.CharField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    rule_id = serializers.IntegerField()
    rule_points = serializers.DecimalField(max_digits=8, decimal_places=2)
    points_per_10k = serializers.DecimalField(max_digits=8, decimal_places=2)
    cap = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)
    decay = serializers.FloatField()
    points = serializers.DecimalField(max_digits=10, decimal_places=2)


class EnterpriseClassDetailSerializer(EnterpriseClassSerializer):
    explanation = serializers.SerializerMethodField()

    def get_explanation(self, obj) -> dict:
        explanation = explain(obj)
        return {
            "credit_class": explanation.credit_class,
            "score": str(explanation.score),
            "rule_set_version": explanation.rule_set.version,
            "on": explanation.on.isoformat(),
            "thresholds": {
                "B": str(explanation.rule_set.threshold_b),
                "C": str(explanation.rule_set.threshold_c),
                "D": str(explanation.rule_set.threshold_d),
            },
            "rows": ExplanationRowSerializer(explanation.rows, many=True).data,
            "total": str(explanation.total),
        }


@extend_schema(tags=[_("质量信用")])
class EnterpriseClassViewSet(viewsets.ReadOnlyModelViewSet):
    """企业信用风险分类 (internal to staff); the detail carries the explanation (records, rules, points)."""

    permission_classes = [permissions.IsAuthenticated, CanViewCredit]
    filter_backends: list = []

    def get_queryset(self):
        return selectors.enterprises_visible_to(self.request.user).order_by("id")

    def get_serializer_class(self):
        return EnterpriseClassDetailSerializer if self.action == "retrieve" else EnterpriseClassSerializer


class ListingSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Listing
        fields = [
            "id",
            "number",
            "enterprise",
            "enterprise_name",
            "uscc",
            "legal_representative",
            "decision_no",
            "reason",
            "basis",
            "authority_name",
            "status",
            "status_label",
            "proposed_on",
            "noticed_on",
            "defence_due_on",
            "needs_approval",
            "approved_on",
            "decided_on",
            "listed_on",
            "planned_removal_on",
            "removed_on",
            "removal_how",
            "appeal",
        ]


@extend_schema(tags=[_("质量信用")])
class ListingViewSet(viewsets.ReadOnlyModelViewSet):
    """严重违法失信名单 (staff): every state, scoped to the jurisdiction."""

    serializer_class = ListingSerializer
    permission_classes = [permissions.IsAuthenticated, CanViewCredit]
    filter_backends: list = []

    def get_queryset(self):
        return selectors.listings_visible_to(self.request.user).order_by("-proposed_on", "-id")


class ApplicationSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    documents = serializers.SerializerMethodField()

    class Meta:
        model = CreditApplication
        fields = [
            "id",
            "number",
            "kind",
            "kind_label",
            "status",
            "status_label",
            "enterprise",
            "listing",
            "penalty_fact",
            "statement",
            "harm_removed",
            "commitment",
            "submitted_on",
            "decision_due_on",
            "decided_on",
            "decision_note",
            "documents",
        ]

    def get_documents(self, obj) -> list[dict]:
        return [
            {"id": d.pk, "name": d.original_name, "content_type": d.content_type, "size": d.size, "sha256": d.sha256}
            for d in obj.documents.all()
        ]


class CanViewApplications(permissions.BasePermission):
    message = _("您无权查看信用申请。")

    def has_permission(self, request, view):
        return policies.can_view_credit(request.user) or policies.is_enterprise_account(request.user)


@extend_schema(tags=[_("质量信用")])
class ApplicationViewSet(viewsets.ReadOnlyModelViewSet):
    """信用申请 (提前移出, 信用修复): staff of the jurisdiction, or the enterprise's own account."""

    serializer_class = ApplicationSerializer
    permission_classes = [permissions.IsAuthenticated, CanViewApplications]
    filter_backends: list = []

    def get_queryset(self):
        return (
            selectors.applications_visible_to(self.request.user)
            .prefetch_related("documents")
            .order_by("-submitted_on", "-id")
        )


# --- Public -----------------------------------------------------------------------------------------------


class PublicListingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Listing
        fields = [
            "number",
            "enterprise_name",
            "uscc",
            "legal_representative",
            "reason",
            "basis",
            "authority_name",
            "listed_on",
            "planned_removal_on",
            "appeal",
        ]


@extend_schema(tags=[_("社会公众")])
@extend_schema_view(
    list=extend_schema(
        parameters=[OpenApiParameter("q", OpenApiTypes.STR, description=_("企业名称（任意片段）或统一社会信用代码"))]
    )
)
class PublicBlacklistViewSet(viewsets.ReadOnlyModelViewSet):
    """严重违法失信名单 (public, read-only): the enterprises listed today; search by name or USCC."""

    serializer_class = PublicListingSerializer
    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []
    pagination_class = StandardPagination
    filter_backends: list = []
    lookup_field = "number"

    def get_queryset(self):
        return selectors.search_public_listings(self.request.query_params.get("q", "")[:100])


def register(router) -> None:
    router.register("credit/records", CreditRecordViewSet, basename="credit-record")
    router.register("credit/classes", EnterpriseClassViewSet, basename="credit-class")
    router.register("credit/listings", ListingViewSet, basename="credit-listing")
    router.register("credit/applications", ApplicationViewSet, basename="credit-application")
    router.register("public/blacklist", PublicBlacklistViewSet, basename="public-blacklist")

"""Enforcement API (thin over the same selectors, policies and services as the pages).

Staff: /api/v1/enforcement/clues/, cases/ (+ /{id}/transition/, /{id}/evidence/, /{id}/documents/),
documents/{id}/pdf/. Public: POST /api/v1/public/complaints/, POST /api/v1/public/complaints/status/,
GET /api/v1/public/penalties/."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpResponse
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied as DRFPermissionDenied
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from core import timelimits
from core.models import Enterprise, Region
from enforcement import actions, policies, selectors, services
from enforcement.models import Case, CaseDocument, Channel, Clue, ClueSource, Evidence, PenaltyPublication
from enforcement.services.documents import render_document_pdf


class CasePermission(permissions.BasePermission):
    def has_permission(self, request, view):
        return policies.can_view_cases(request.user)


class CaseCursorPagination(CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    ordering = ("-created_at", "-id")


class PublicCursorPagination(CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = ("-published_on", "-id")


class ClueSerializer(serializers.ModelSerializer):
    case_no = serializers.CharField(source="case.case_no", read_only=True)

    class Meta:
        model = Clue
        fields = [
            "id", "clue_no", "case", "case_no", "source", "channel", "region", "enterprise", "enterprise_name",
            "product", "product_type", "brand", "model_spec", "description", "received_on", "sample", "followup",
            "referred_by", "referral_no", "receipt_no",
        ]  # fmt: skip
        read_only_fields = fields


class ClueCreateSerializer(serializers.Serializer):
    source = serializers.ChoiceField(choices=[c for c in ClueSource.choices if c[0] != ClueSource.SAMPLE])
    channel = serializers.ChoiceField(choices=Channel.choices, required=False, allow_blank=True, default="")
    region = serializers.CharField(max_length=6)
    uscc = serializers.CharField(max_length=18, required=False, allow_blank=True, default="")
    enterprise_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    product = serializers.CharField(max_length=128, required=False, allow_blank=True, default="")
    description = serializers.CharField()
    received_on = serializers.DateField()
    referred_by = serializers.CharField(max_length=128, required=False, allow_blank=True, default="")


class CaseSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Case
        fields = [
            "id", "case_no", "title", "status", "status_display", "procedure", "source", "region", "enterprise",
            "party_name", "violation_type", "goods_value", "illegal_gains", "fine", "confiscation", "paid_total",
            "penalty_types", "discovered_on", "filed_on", "notified_on", "decided_on", "decision_no", "served_on",
            "closed_on", "next_due_on", "next_due_label",
        ]  # fmt: skip
        read_only_fields = fields


class ClockSerializer(serializers.Serializer):
    name = serializers.CharField(source="clock.limit.name")
    state = serializers.CharField(source="clock.state")
    amount = serializers.IntegerField(source="clock.amount")
    unit = serializers.CharField(source="clock.unit")
    started_on = serializers.DateField(source="clock.started_on")
    due_on = serializers.DateField(source="due.due")
    basis = serializers.CharField(source="due.basis")
    explanation = serializers.CharField(source="due.explanation")


class CaseDetailSerializer(CaseSerializer):
    clocks = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()

    class Meta(CaseSerializer.Meta):
        fields = [*CaseSerializer.Meta.fields, "facts", "clocks", "actions"]
        read_only_fields = fields

    @extend_schema(responses=ClockSerializer(many=True))
    def get_clocks(self, case) -> list[dict]:
        rows = [{"clock": c, "due": timelimits.clock_due(c)} for c in timelimits.clocks_of(case)]
        return ClockSerializer(rows, many=True).data

    def get_actions(self, case) -> list[str]:
        return [a.code for a in actions.available(self.context["request"].user, case)]


class EvidenceSerializer(serializers.ModelSerializer):
    collected_by = serializers.CharField(source="collected_by.display_name", read_only=True)

    class Meta:
        model = Evidence
        fields = [
            "id", "kind", "title", "description", "collected_by", "collected_on", "collected_at", "content_type",
            "size", "sha256", "corrects", "correction_reason", "created_at",
        ]  # fmt: skip
        read_only_fields = fields


class DocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = CaseDocument
        fields = ["id", "case", "kind", "number", "issued_on"]
        read_only_fields = fields


TransitionRequest = inline_serializer(
    "CaseTransitionRequest",
    fields={
        "action": serializers.ChoiceField(choices=[(a.code, str(a.label)) for a in actions.ACTIONS]),
        "fields": serializers.DictField(required=False, help_text='the action\'s form fields, e.g. {"reason": "…"}'),
    },
)


class ClueViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Clues of the caller's jurisdiction; POST registers an inspection, referral or complaint clue."""

    serializer_class = ClueSerializer
    permission_classes = [permissions.IsAuthenticated, CasePermission]
    pagination_class = CaseCursorPagination

    def get_queryset(self):
        return Clue.objects.filter(case__in=selectors.cases_visible_to(self.request.user)).order_by(
            "-created_at", "-id"
        )

    @extend_schema(request=ClueCreateSerializer, responses=ClueSerializer)
    def create(self, request, *args, **kwargs):
        data = ClueCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        region = Region.objects.filter(code=values.pop("region")).first()
        if region is None:
            raise ValidationError({"region": "所在地区：区划代码不存在。"})
        uscc = values.pop("uscc").strip().upper()
        enterprise = Enterprise.objects.filter(uscc=uscc).first() if uscc else None
        if uscc and enterprise is None:
            raise ValidationError({"uscc": "统一社会信用代码：未找到该企业。"})
        clue = services.clue_register(
            user=request.user, region=enterprise.region if enterprise else region, enterprise=enterprise, **values
        )
        return Response(ClueSerializer(clue).data, status=status.HTTP_201_CREATED)


class CaseViewSet(viewsets.ReadOnlyModelViewSet):
    """Cases of the caller's jurisdiction (?state=open|overdue|due_soon|paused|review|closed|all)."""

    permission_classes = [permissions.IsAuthenticated, CasePermission]
    pagination_class = CaseCursorPagination

    def get_serializer_class(self):
        return CaseDetailSerializer if self.action in ("retrieve", "transition") else CaseSerializer

    def get_queryset(self):
        if self.action == "list":
            state = self.request.query_params.get("state", "all")
            return selectors.case_list(
                self.request.user, state=state if state in selectors.LIST_STATES else "all"
            ).order_by("-created_at", "-id")
        return selectors.cases_visible_to(self.request.user)

    @extend_schema(request=TransitionRequest, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Take one action of the procedure (the same services, policies and forms as the case page)."""
        case = self.get_object()
        code = request.data.get("action", "")
        found = actions.ACTIONS_BY_CODE.get(code)
        if found is None:
            raise ValidationError({"action": "操作：无效的选项。"})
        if not found.policy(request.user, case):
            raise DRFPermissionDenied("您无权对该案件执行此操作。")
        fields = request.data.get("fields") or {}
        kwargs = found.form_kwargs(case) if found.form_kwargs else {}
        form = found.form(fields, **kwargs)
        if not form.is_valid():
            raise ValidationError(form.errors.get_json_data())
        with transaction.atomic():
            found.run(request.user, case, form.cleaned_data)
        case.refresh_from_db()
        return Response(CaseDetailSerializer(case, context={"request": request}).data)

    @extend_schema(responses=EvidenceSerializer(many=True))
    @action(detail=True, methods=["get"])
    def evidence(self, request, pk=None):
        case = self.get_object()
        return Response(EvidenceSerializer(case.evidence.select_related("collected_by"), many=True).data)

    @extend_schema(responses=DocumentSerializer(many=True))
    @action(detail=True, methods=["get"])
    def documents(self, request, pk=None):
        case = self.get_object()
        return Response(DocumentSerializer(case.documents.all(), many=True).data)


class DocumentViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = DocumentSerializer
    permission_classes = [permissions.IsAuthenticated, CasePermission]

    def get_queryset(self):
        return CaseDocument.objects.filter(case__in=selectors.cases_visible_to(self.request.user)).order_by("id")

    @extend_schema(responses={(200, "application/pdf"): bytes})
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        document = self.get_object()
        return HttpResponse(render_document_pdf(document), content_type="application/pdf")


# --- Public -------------------------------------------------------------------------------------


class PublicComplaintSerializer(serializers.Serializer):
    channel = serializers.ChoiceField(choices=Channel.choices)
    region = serializers.CharField(max_length=6)
    enterprise_name = serializers.CharField(max_length=200)
    uscc = serializers.CharField(max_length=18, required=False, allow_blank=True, default="")
    product = serializers.CharField(max_length=128)
    brand = serializers.CharField(max_length=128, required=False, allow_blank=True, default="")
    model_spec = serializers.CharField(max_length=128, required=False, allow_blank=True, default="")
    description = serializers.CharField(max_length=5000)
    complainant_name = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    complainant_phone = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")


class ComplaintReceiptSerializer(serializers.Serializer):
    receipt_no = serializers.CharField()
    query_code = serializers.CharField()
    received_on = serializers.DateField()


class ComplaintStatusRequest(serializers.Serializer):
    receipt_no = serializers.CharField(max_length=32)
    query_code = serializers.CharField(max_length=16)


class ComplaintStatusSerializer(serializers.Serializer):
    receipt_no = serializers.CharField()
    received_on = serializers.CharField()
    channel = serializers.CharField()
    stage = serializers.CharField()


class ComplaintThrottle(AnonRateThrottle):
    """Complaints and status queries from one address: enough for people, not for guessing query codes."""

    scope = "public_complaint"
    rate = "60/hour"


class PublicComplaintViewSet(viewsets.GenericViewSet):
    """POST a complaint or report (投诉举报): returns the receipt number and the query code (shown once)."""

    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []
    throttle_classes = [ComplaintThrottle]
    serializer_class = PublicComplaintSerializer

    @extend_schema(request=PublicComplaintSerializer, responses={201: ComplaintReceiptSerializer})
    def create(self, request):
        data = PublicComplaintSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        region = Region.objects.filter(code=values.pop("region")).first()
        if region is None:
            raise ValidationError({"region": "所在地区：区划代码不存在。"})
        with transaction.atomic():
            clue, code = services.complaint_submit(region=region, **values)
        return Response(
            {"receipt_no": clue.receipt_no, "query_code": code, "received_on": clue.received_on},
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=ComplaintStatusRequest, responses={200: ComplaintStatusSerializer})
    @action(detail=False, methods=["post"])
    def status(self, request):
        """The status of one complaint for its receipt number and query code (404 when they do not match)."""
        data = ComplaintStatusRequest(data=request.data)
        data.is_valid(raise_exception=True)
        found = services.complaint_status(**data.validated_data)
        if found is None:
            return Response({"detail": "未找到与该回执号和查询码对应的投诉举报。"}, status=status.HTTP_404_NOT_FOUND)
        return Response(found)


class PublicPenaltySerializer(serializers.ModelSerializer):
    region_name = serializers.CharField(source="region.name", read_only=True)

    class Meta:
        model = PenaltyPublication
        fields = [
            "id", "decision_no", "party_name", "party_id_no", "party_representative", "violation_type", "facts",
            "penalty", "basis", "authority", "decided_on", "published_on", "display_until", "region", "region_name",
        ]  # fmt: skip
        read_only_fields = fields


class PublicPenaltyViewSet(viewsets.ReadOnlyModelViewSet):
    """Published penalty decisions (Order 45), within their display period; personal data masked."""

    serializer_class = PublicPenaltySerializer
    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []
    pagination_class = PublicCursorPagination

    def get_queryset(self):
        return selectors.public_penalties()


def register(router) -> None:
    router.register("enforcement/clues", ClueViewSet, basename="enforcement-clue")
    router.register("enforcement/cases", CaseViewSet, basename="enforcement-case")
    router.register("enforcement/documents", DocumentViewSet, basename="enforcement-document")
    router.register("public/complaints", PublicComplaintViewSet, basename="public-complaint")
    router.register("public/penalties", PublicPenaltyViewSet, basename="public-penalty")

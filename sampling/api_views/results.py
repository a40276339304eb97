"""API of test results, objections and post-processing: thin over the same services as the pages."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from core.errors import PermissionDenied as DomainPermissionDenied
from core.models import Institution
from sampling.models import CorrectionRequest, FollowUp, ItemResult, Objection, ResultAmendment, TestResult, Verdict
from sampling.selectors import followups_visible_to, objections_visible_to, results_visible_to, samples_visible_to
from sampling.services import followups as followup_services
from sampling.services import objections as objection_services
from sampling.services import results as result_services
from sampling.services.corrections import result_correction_submit


def _visible_sample(user, sample):
    """A sample outside the user's jurisdiction does not exist for them (404)."""
    if not samples_visible_to(user).filter(pk=sample.pk).exists():
        raise NotFound(_("抽样单不存在或不在您的管辖范围内。"))
    return sample


def _call(func, **kwargs):
    """Run a service; a refused permission is a 403, other domain errors become 400 (core.api_errors)."""
    try:
        return func(**kwargs)
    except DomainPermissionDenied as exc:
        raise PermissionDenied(str(exc))


class ItemResultSerializer(serializers.ModelSerializer):
    verdict = serializers.ChoiceField(choices=Verdict.choices, allow_blank=True, required=False, default="")

    class Meta:
        model = ItemResult
        fields = ["item_name", "standard", "requirement", "measured_value", "verdict", "test_item"]
        extra_kwargs = {"test_item": {"required": False}, "item_name": {"validators": []}}


class AmendmentSerializer(serializers.ModelSerializer):
    amended_by = serializers.CharField(source="amended_by.username", read_only=True)
    # The leader who approved the 修改申请 (empty for a re-import).
    approved_by = serializers.CharField(source="correction.decided_by.username", read_only=True, default=None)

    class Meta:
        model = ResultAmendment
        fields = ["id", "reason", "before", "after", "amended_by", "approved_by", "correction", "amended_at"]


class TestResultSerializer(serializers.ModelSerializer):
    items = ItemResultSerializer(many=True)
    amendments = AmendmentSerializer(many=True, read_only=True)
    retest = serializers.BooleanField(write_only=True, required=False, default=False)

    class Meta:
        model = TestResult
        fields = [
            "id",
            "sample",
            "is_retest",
            "retest",
            "report_no",
            "institution",
            "tested_on",
            "verdict",
            "failed_items",
            "is_confirmed",
            "confirmed_at",
            "verdict_received_on",
            "items",
            "amendments",
        ]
        read_only_fields = [
            "is_retest",
            "verdict",
            "failed_items",
            "is_confirmed",
            "confirmed_at",
            "verdict_received_on",
        ]
        # Uniqueness (one test and one re-test per sample) is the service's business.
        validators = []


class AmendSerializer(serializers.Serializer):
    reason = serializers.CharField()
    report_no = serializers.CharField(required=False)
    institution = serializers.PrimaryKeyRelatedField(queryset=Institution.objects.all(), required=False)
    tested_on = serializers.DateField(required=False, allow_null=True)
    items = ItemResultSerializer(many=True, required=False)


class ResultCorrectionSerializer(serializers.ModelSerializer):
    """The 修改申请 an API 更正 creates: the result before and after, waiting for a leader's approval."""

    requested_by = serializers.CharField(source="requested_by.username", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = CorrectionRequest
        fields = [
            "id",
            "kind",
            "status",
            "status_display",
            "sample",
            "result",
            "changes",
            "reason",
            "requested_by",
            "requested_at",
        ]
        read_only_fields = fields


class ReceivedSerializer(serializers.Serializer):
    received_on = serializers.DateField()


class TestResultViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Test results of the user's jurisdiction. POST enters (or re-enters, until confirmed) a result."""

    serializer_class = TestResultSerializer
    filterset_fields = ["sample", "is_retest", "verdict", "is_confirmed"]

    def get_queryset(self):
        return (
            results_visible_to(self.request.user)
            .prefetch_related("amendments__amended_by", "amendments__correction__decided_by")
            .order_by("-id")
        )

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        result = _call(
            result_services.result_enter,
            user=request.user,
            sample=_visible_sample(request.user, data["sample"]),
            report_no=data["report_no"],
            institution=data["institution"],
            tested_on=data.get("tested_on"),
            items=[dict(item) for item in data["items"]],
            retest=data.get("retest", False),
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=result.pk)).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        result = _call(result_services.result_confirm, user=request.user, result=self.get_object())
        return Response(self.get_serializer(self.get_queryset().get(pk=result.pk)).data)

    @extend_schema(request=AmendSerializer, responses={202: ResultCorrectionSerializer})
    @action(detail=True, methods=["post"], serializer_class=AmendSerializer)
    def amend(self, request, pk=None):
        """更正 of a confirmed result: creates a 修改申请 (202); the result changes only when a leader of the
        jurisdiction other than the requester approves it on its page."""
        result = self.get_object()
        serializer = AmendSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        reason = changes.pop("reason")
        if "items" in changes:
            changes["items"] = [dict(item) for item in changes["items"]]
        correction = _call(result_correction_submit, user=request.user, result=result, reason=reason, changes=changes)
        return Response(ResultCorrectionSerializer(correction).data, status=status.HTTP_202_ACCEPTED)

    @action(detail=True, methods=["post"], serializer_class=ReceivedSerializer)
    def received(self, request, pk=None):
        result = self.get_object()
        serializer = ReceivedSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = _call(
            objection_services.verdict_received,
            user=request.user,
            result=result,
            received_on=serializer.validated_data["received_on"],
        )
        return Response(TestResultSerializer(self.get_queryset().get(pk=result.pk), context={"request": request}).data)


class ObjectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Objection
        fields = ["id", "sample", "filed_on", "reason", "status", "retest_institution", "decision_note", "created_at"]
        read_only_fields = ["status", "retest_institution", "decision_note", "created_at"]
        validators = []


class AssignRetestSerializer(serializers.Serializer):
    institution = serializers.PrimaryKeyRelatedField(queryset=Institution.objects.all(), label=_("复检机构"))


class ObjectionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Objections (异议) of the jurisdiction; POST files one within the window."""

    serializer_class = ObjectionSerializer
    filterset_fields = ["sample", "status"]

    def get_queryset(self):
        return objections_visible_to(self.request.user).order_by("-filed_on", "-id")

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data["sample"] = _visible_sample(request.user, data["sample"])
        objection = _call(objection_services.objection_file, user=request.user, **data)
        return Response(self.get_serializer(objection).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"], url_path="assign-retest", serializer_class=AssignRetestSerializer)
    def assign_retest(self, request, pk=None):
        objection = self.get_object()
        serializer = AssignRetestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        objection = _call(
            objection_services.objection_assign_retest,
            user=request.user,
            objection=objection,
            institution=serializer.validated_data["institution"],
        )
        return Response(ObjectionSerializer(objection, context={"request": request}).data)


class FollowUpSerializer(serializers.ModelSerializer):
    step_display = serializers.CharField(source="get_step_display", read_only=True)
    sample_no = serializers.CharField(source="sample.sample_no", read_only=True)
    enterprise = serializers.CharField(source="sample.enterprise.name", read_only=True)

    class Meta:
        model = FollowUp
        fields = [
            "id",
            "sample",
            "sample_no",
            "enterprise",
            "step",
            "step_display",
            "earliest_on",
            "due_on",
            "done_on",
            "outcome",
            "note",
        ]
        read_only_fields = fields


class CompleteSerializer(serializers.Serializer):
    done_on = serializers.DateField()
    outcome = serializers.ChoiceField(choices=["", "passed", "failed"], required=False, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class FollowUpCompletedSerializer(serializers.Serializer):
    """The answer of 完成: the completed step and the steps it opened."""

    followup = FollowUpSerializer()
    created = FollowUpSerializer(many=True)


class FollowUpViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Post-processing steps of the jurisdiction; ?state=overdue|due_soon|open|all (default open)."""

    serializer_class = FollowUpSerializer
    filterset_fields = ["sample", "step"]

    def get_queryset(self):
        state = self.request.query_params.get("state", "open") if self.action == "list" else "all"
        return followups_visible_to(self.request.user, state=state)

    @extend_schema(request=CompleteSerializer, responses=FollowUpCompletedSerializer)
    @action(detail=True, methods=["post"], serializer_class=CompleteSerializer)
    def complete(self, request, pk=None):
        followup = self.get_object()
        serializer = CompleteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        created = _call(
            followup_services.followup_complete, user=request.user, followup=followup, **serializer.validated_data
        )
        followup.refresh_from_db()
        return Response(
            {
                "followup": FollowUpSerializer(followup).data,
                "created": FollowUpSerializer(created, many=True).data,
            }
        )


def register(router) -> None:
    router.register("sampling/results", TestResultViewSet, basename="sampling-result")
    router.register("sampling/objections", ObjectionViewSet, basename="sampling-objection")
    router.register("sampling/followups", FollowUpViewSet, basename="sampling-followup")

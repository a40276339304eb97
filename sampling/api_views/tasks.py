"""API of tasks, the random draw and samples: thin over sampling.services, scoped by sampling.selectors."""

from __future__ import annotations

import django_filters
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response

from core.errors import DomainError
from core.models import Enterprise, Institution, ProductType, User
from sampling.models import Draw, RedrawRequest, Sample, SamplingTask, Stage, TaskLevel, TaskStatus, Verdict
from sampling.selectors import (
    enterprises_for_sampling,
    samples_visible_to,
    tasks_related_to,
    tasks_visible_to,
)
from sampling.services.draw import draw_enterprises, draw_verify, redraw_approve, redraw_reject, redraw_request
from sampling.services.samples import sample_register
from sampling.services.tasks import task_create

# --- Tasks ----------------------------------------------------------------------------------------


class TaskSerializer(serializers.ModelSerializer):
    region_name = serializers.CharField(source="region.name", read_only=True)
    institution_name = serializers.CharField(source="institution.name", read_only=True, default=None, allow_null=True)
    product_types = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    sampled_count = serializers.IntegerField(read_only=True, help_text=gettext_lazy("已抽样批次"))
    tested_count = serializers.IntegerField(read_only=True, help_text=gettext_lazy("已检验批次"))
    failed_count = serializers.IntegerField(read_only=True, help_text=gettext_lazy("不合格批次"))
    published_count = serializers.IntegerField(read_only=True, help_text=gettext_lazy("已公告批次"))

    class Meta:
        model = SamplingTask
        fields = [
            "id",
            "code",
            "name",
            "level",
            "year",
            "batch",
            "region",
            "region_name",
            "product_types",
            "target_batches",
            "institution",
            "institution_name",
            "budget",
            "deadline",
            "status",
            "created_at",
            "sampled_count",
            "tested_count",
            "failed_count",
            "published_count",
        ]
        read_only_fields = fields


class TaskCreateSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=64)
    name = serializers.CharField(max_length=200)
    level = serializers.ChoiceField(choices=TaskLevel.choices)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    batch = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    product_types = serializers.PrimaryKeyRelatedField(
        many=True, queryset=ProductType.objects.filter(is_active=True), allow_empty=False
    )
    target_batches = serializers.IntegerField(min_value=0, required=False, default=0)
    institution = serializers.PrimaryKeyRelatedField(
        queryset=Institution.objects.filter(is_active=True), required=False, allow_null=True, default=None
    )
    budget = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True, default=None
    )
    deadline = serializers.DateField(required=False, allow_null=True, default=None)


class DrawRequestSerializer(serializers.Serializer):
    """The draw's conditions. There is no seed: the server makes it, and a request naming one is refused."""

    count = serializers.IntegerField(min_value=1, max_value=10000)
    region_code = serializers.CharField(max_length=6, required=False, allow_blank=True, default="")
    product_type_ids = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    stage = serializers.ChoiceField(choices=Stage.choices, required=False, allow_blank=True, default="")
    industry = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")


class DrawSerializer(serializers.ModelSerializer):
    candidates = serializers.ListField(
        child=serializers.ListField(),
        help_text=gettext_lazy("[[企业 ID, 统一社会信用代码, 信用风险分类, 权重], ...]，按企业 ID 升序"),
    )
    pool_sha256 = serializers.CharField(help_text=gettext_lazy("候选企业池规范 JSON 的 SHA-256（见 docs/draw.md）"))
    redraw_reason = serializers.CharField(source="redraw_request.reason", default="", read_only=True)
    selected = serializers.ListField(child=serializers.IntegerField())
    inspector_pool = serializers.ListField(child=serializers.IntegerField())
    assignments = serializers.DictField(
        child=serializers.ListField(child=serializers.IntegerField()),
        help_text=gettext_lazy("{企业 ID: [抽样人员 ID, 抽样人员 ID]}"),
    )
    weights = serializers.DictField(child=serializers.FloatField())
    criteria = serializers.DictField()

    class Meta:
        model = Draw
        fields = [
            "id",
            "task",
            "attempt",
            "redraw_request",
            "redraw_reason",
            "seed",
            "pool_sha256",
            "criteria",
            "weights",
            "candidates",
            "selected",
            "inspector_pool",
            "assignments",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields


class DrawVerifyRequestSerializer(serializers.Serializer):
    draw = serializers.IntegerField(required=False, help_text=gettext_lazy("抽取记录 ID；省略时复核最近一次抽取"))


class DrawVerificationSerializer(serializers.Serializer):
    draw = serializers.IntegerField()
    reproduced = serializers.BooleanField(help_text=gettext_lazy("重新运行是否得到相同的企业名单和人员分配"))
    selected = serializers.ListField(child=serializers.IntegerField())
    assignments = serializers.DictField(child=serializers.ListField(child=serializers.IntegerField()))
    selected_matches = serializers.BooleanField()
    assignments_matches = serializers.BooleanField()
    pool_matches = serializers.BooleanField(help_text=gettext_lazy("候选企业池的 SHA-256 是否与记录一致"))
    error = serializers.CharField(allow_blank=True)


class RedrawRequestCreateSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000, help_text=gettext_lazy("重新抽取理由"))


class RedrawDecisionSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class RedrawRequestSerializer(serializers.ModelSerializer):
    class Meta:
        model = RedrawRequest
        fields = [
            "id",
            "task",
            "draw",
            "reason",
            "status",
            "requested_by",
            "requested_at",
            "decided_by",
            "decided_at",
            "decision_note",
        ]
        read_only_fields = fields


class TaskFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter()
    level = django_filters.ChoiceFilter(choices=TaskLevel.choices)
    status = django_filters.ChoiceFilter(choices=TaskStatus.choices)

    class Meta:
        model = SamplingTask
        fields = ["year", "level", "status"]


class TaskViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """抽查任务：列表、详情、创建；随机抽取（双随机）与复核。只返回本辖区及下级的任务。"""

    serializer_class = TaskSerializer
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    filterset_class = TaskFilter
    ordering_fields = ["year", "created_at", "code"]

    def get_queryset(self):
        return (
            # The progress counts are stored on the task (sampling.progress).
            tasks_visible_to(self.request.user)
            .prefetch_related("product_types")
            .order_by("-year", "-created_at", "-pk")
        )

    def get_serializer_class(self):
        if self.action == "create":
            return TaskCreateSerializer
        return TaskSerializer

    @extend_schema(request=TaskCreateSerializer, responses={201: TaskSerializer})
    def create(self, request, *args, **kwargs):
        serializer = TaskCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        task = task_create(user=request.user, **serializer.validated_data)
        task = self.get_queryset().get(pk=task.pk)
        return Response(TaskSerializer(task).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DrawRequestSerializer, responses={201: DrawSerializer})
    @action(detail=True, methods=["post"])
    def draw(self, request, pk=None):
        """随机抽取企业并为每家企业分配 2 名抽样人员。"""
        task = self.get_object()
        if "seed" in request.data:
            raise DomainError(_("随机种子：由系统在抽取时生成，不能指定。"))
        serializer = DrawRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        draw = draw_enterprises(
            task=task,
            user=request.user,
            region_code=data["region_code"] or None,
            product_type_ids=data["product_type_ids"],
            stage=data["stage"] or None,
            industry=data["industry"],
            count=data["count"],
        )
        return Response(DrawSerializer(draw).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: DrawSerializer(many=True)})
    @action(detail=True, methods=["get"], pagination_class=None)
    def draws(self, request, pk=None):
        """本任务的全部随机抽取记录，最近的在前。"""
        task = self.get_object()
        return Response(DrawSerializer(task.draws.order_by("-created_at", "-pk"), many=True).data)

    @extend_schema(request=DrawVerifyRequestSerializer, responses={200: DrawVerificationSerializer})
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        """复核：按记录的种子、候选池和权重重新运行一次抽取，比较结果。"""
        task = self.get_object()
        serializer = DrawVerifyRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        draws = task.draws.order_by("-created_at", "-pk")
        draw_id = serializer.validated_data.get("draw")
        draw = get_object_or_404(draws, pk=draw_id) if draw_id else draws.first()
        if draw is None:
            raise serializers.ValidationError({"draw": _("该任务尚未进行随机抽取。")})
        result = draw_verify(draw=draw)
        return Response(
            DrawVerificationSerializer(
                {
                    "draw": draw.pk,
                    "reproduced": result.reproduced,
                    "selected": result.selected,
                    "assignments": result.assignments,
                    "selected_matches": result.selected_matches,
                    "assignments_matches": result.assignments_matches,
                    "pool_matches": result.pool_matches,
                    "error": result.error,
                }
            ).data
        )

    @extend_schema(request=RedrawRequestCreateSerializer, responses={200: RedrawRequestSerializer(many=True)})
    @action(detail=True, methods=["get", "post"], url_path="redraw-requests", pagination_class=None)
    def redraw_requests(self, request, pk=None):
        """重新抽取申请：GET 列出本任务的全部申请；POST 提交申请（须说明理由，待负责人审批）。"""
        task = self.get_object()
        if request.method == "POST":
            serializer = RedrawRequestCreateSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            created = redraw_request(user=request.user, task=task, reason=serializer.validated_data["reason"])
            return Response(RedrawRequestSerializer(created).data, status=status.HTTP_201_CREATED)
        return Response(RedrawRequestSerializer(task.redraw_requests.order_by("-requested_at", "-id"), many=True).data)


class RedrawRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """重新抽取申请：本辖区（及抽中本人的）任务的申请；负责人（申请人以外）批准或驳回。"""

    serializer_class = RedrawRequestSerializer
    pagination_class = None

    def get_queryset(self):
        return RedrawRequest.objects.filter(task__in=tasks_visible_to(self.request.user)).order_by(
            "-requested_at", "-id"
        )

    @extend_schema(request=RedrawDecisionSerializer, responses={200: RedrawRequestSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """批准：抽取人可再抽取一次。"""
        serializer = RedrawDecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        decided = redraw_approve(user=request.user, request=self.get_object(), note=serializer.validated_data["note"])
        return Response(RedrawRequestSerializer(decided).data)

    @extend_schema(request=RedrawDecisionSerializer, responses={200: RedrawRequestSerializer})
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """驳回（须说明理由）：原抽取结果继续有效。"""
        serializer = RedrawDecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        decided = redraw_reject(user=request.user, request=self.get_object(), note=serializer.validated_data["note"])
        return Response(RedrawRequestSerializer(decided).data)


# --- Samples --------------------------------------------------------------------------------------


class SampleSerializer(serializers.ModelSerializer):
    task_code = serializers.CharField(source="task.code", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    enterprise_uscc = serializers.CharField(source="enterprise.uscc", read_only=True)
    product_type_name = serializers.CharField(source="product_type.name", read_only=True)
    inspectors = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Sample
        fields = [
            "id",
            "task",
            "task_code",
            "sample_no",
            "enterprise",
            "enterprise_name",
            "enterprise_uscc",
            "product_type",
            "product_type_name",
            "brand",
            "model_spec",
            "production_batch",
            "stage",
            "place",
            "sampled_on",
            "quantity",
            "base_price",
            "inspectors",
            "region",
            "zone",
            "enterprise_size",
            "year",
            "final_verdict",
            "is_published",
            "created_at",
        ]
        read_only_fields = fields


class SampleCreateSerializer(serializers.Serializer):
    task = serializers.PrimaryKeyRelatedField(queryset=SamplingTask.objects.none())
    sample_no = serializers.CharField(max_length=64)
    enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.none())
    product_type = serializers.PrimaryKeyRelatedField(queryset=ProductType.objects.all())
    brand = serializers.CharField(max_length=128, required=False, allow_blank=True, default="")
    model_spec = serializers.CharField(max_length=128, required=False, allow_blank=True, default="")
    production_batch = serializers.CharField(max_length=128, required=False, allow_blank=True, default="")
    stage = serializers.ChoiceField(choices=Stage.choices)
    place = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    sampled_on = serializers.DateField()
    quantity = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    base_price = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True, default=None
    )
    inspectors = serializers.PrimaryKeyRelatedField(many=True, queryset=User.objects.filter(is_active=True))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")  # absent when the schema is generated
        if request is not None:
            self.fields["task"].queryset = tasks_related_to(request.user)
            # A drawn inspector may name the enterprise the task's current draw sent him to (双随机).
            task_id = str(getattr(self, "initial_data", {}).get("task", ""))
            task = self.fields["task"].queryset.filter(pk=int(task_id)).first() if task_id.isdigit() else None
            self.fields["enterprise"].queryset = enterprises_for_sampling(request.user, task)


class SampleFilter(django_filters.FilterSet):
    task = django_filters.NumberFilter(field_name="task_id")
    year = django_filters.NumberFilter()
    final_verdict = django_filters.ChoiceFilter(
        choices=[
            (Verdict.PASS, gettext_lazy("合格")),
            (Verdict.FAIL, gettext_lazy("不合格")),
            ("pending", gettext_lazy("待检验")),
        ],
        method="filter_verdict",
    )
    stage = django_filters.ChoiceFilter(choices=Stage.choices)

    class Meta:
        model = Sample
        fields = ["task", "year", "final_verdict", "stage"]

    def filter_verdict(self, queryset, name, value):
        if value == "pending":  # 待检验: a voided sample (作废) will never be tested
            return queryset.filter(final_verdict="", voided_at__isnull=True)
        return queryset.filter(final_verdict=value)


class SampleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """抽样单：列表、详情、登记。只返回本辖区及下级的抽样单。"""

    serializer_class = SampleSerializer
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    filterset_class = SampleFilter
    ordering_fields = ["sampled_on", "sample_no", "id"]

    def get_queryset(self):
        return samples_visible_to(self.request.user).prefetch_related("inspectors").order_by("-sampled_on", "-id")

    def get_serializer_class(self):
        if self.action == "create":
            return SampleCreateSerializer
        return SampleSerializer

    @extend_schema(request=SampleCreateSerializer, responses={201: SampleSerializer})
    def create(self, request, *args, **kwargs):
        serializer = SampleCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        sample = sample_register(user=request.user, **serializer.validated_data)
        sample = self.get_queryset().get(pk=sample.pk)
        return Response(SampleSerializer(sample).data, status=status.HTTP_201_CREATED)


def register(router) -> None:
    router.register("tasks", TaskViewSet, basename="task")
    router.register("redraw-requests", RedrawRequestViewSet, basename="redraw-request")
    router.register("samples", SampleViewSet, basename="sample")

"""Core API: regions, enterprises, the product catalogue and testing institutions."""

from __future__ import annotations

from django.db.models import Count, Prefetch
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, viewsets

from core import services
from core.api_pagination import LongListCursorPagination
from core.filters import EnterpriseFilter, ProductTypeFilter, RegionFilter
from core.models import Institution, ProductGroup, ProductType, Region, TestItem
from core.selectors import can_change_enterprise, enterprises_visible_to
from core.serializers import (
    EnterpriseSerializer,
    InstitutionSerializer,
    ProductGroupSerializer,
    ProductTypeSerializer,
    RegionSerializer,
)

ENTERPRISE_EDITOR_ROLES = ("inspector", "administrator", "case_handler")


@extend_schema(tags=[_("基础数据")])
class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    """行政区划 (GB/T 2260): national reference data, the same for every user."""

    queryset = Region.objects.all()
    serializer_class = RegionSerializer
    filterset_class = RegionFilter
    filter_backends = [DjangoFilterBackend]


class CanChangeEnterprise(permissions.BasePermission):
    message = _("您无权登记或修改企业信息。")

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        return request.user.has_role(*ENTERPRISE_EDITOR_ROLES)

    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS:
            return True
        return can_change_enterprise(request.user, obj)


@extend_schema(tags=[_("企业")])
class EnterpriseViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """企业: scoped to the user's jurisdiction; inspectors and administrators register and update them."""

    serializer_class = EnterpriseSerializer
    filterset_class = EnterpriseFilter
    filter_backends = [DjangoFilterBackend]
    pagination_class = LongListCursorPagination
    permission_classes = [permissions.IsAuthenticated, CanChangeEnterprise]

    def get_queryset(self):
        return enterprises_visible_to(self.request.user)

    def perform_create(self, serializer):
        serializer.instance = services.enterprise_create(user=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.enterprise_update(
            user=self.request.user, enterprise=serializer.instance, **serializer.validated_data
        )


@extend_schema(tags=[_("基础数据")])
class ProductGroupViewSet(viewsets.ReadOnlyModelViewSet):
    """抽查产品目录的产品类别."""

    queryset = ProductGroup.objects.annotate(product_type_count=Count("product_types")).order_by("order", "code")
    serializer_class = ProductGroupSerializer
    filter_backends = []


@extend_schema(tags=[_("基础数据")])
class ProductTypeViewSet(viewsets.ReadOnlyModelViewSet):
    """产品种类 with their test items (检验项目)."""

    queryset = ProductType.objects.select_related("group").prefetch_related(
        Prefetch("test_items", queryset=TestItem.objects.order_by("order", "id"))
    )
    serializer_class = ProductTypeSerializer
    filterset_class = ProductTypeFilter
    filter_backends = [DjangoFilterBackend]


@extend_schema(tags=[_("基础数据")])
class InstitutionViewSet(viewsets.ReadOnlyModelViewSet):
    """检验机构."""

    queryset = Institution.objects.all()
    serializer_class = InstitutionSerializer
    filterset_fields = ["region", "is_active"]
    filter_backends = [DjangoFilterBackend]


def register(router) -> None:
    router.register("regions", RegionViewSet, basename="region")
    router.register("enterprises", EnterpriseViewSet, basename="enterprise")
    router.register("product-groups", ProductGroupViewSet, basename="product-group")
    router.register("product-types", ProductTypeViewSet, basename="product-type")
    router.register("institutions", InstitutionViewSet, basename="institution")

"""API representations of core reference data."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.validators import UniqueValidator

from core.models import CreditClass, Enterprise, Institution, ProductGroup, ProductType, Region, TestItem
from core.selectors import region_in_jurisdiction


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["code", "name", "level", "parent", "zone", "is_active", "retired_on"]


class EnterpriseSerializer(serializers.ModelSerializer):
    region_name = serializers.CharField(source="region.name", read_only=True)
    # "" (not yet rated) is a value the API returns, so the schema's enum lists it.
    credit_class = serializers.ChoiceField(
        label=_("信用风险分类"), choices=[("", _("未评级")), *CreditClass.choices], read_only=True
    )
    uscc = serializers.CharField(
        label=_("统一社会信用代码"),
        max_length=18,
        validators=[
            *Enterprise._meta.get_field("uscc").validators,
            UniqueValidator(queryset=Enterprise.objects.all(), message=_("该统一社会信用代码已登记。")),
        ],
    )

    class Meta:
        model = Enterprise
        fields = [
            "id",
            "name",
            "uscc",
            "legal_representative",
            "address",
            "region",
            "region_name",
            "industry",
            "size",
            "status",
            "credit_class",
            "created_at",
            "updated_at",
        ]
        # The credit class is computed by the credit app, never entered.
        read_only_fields = ["credit_class", "created_at", "updated_at"]

    def to_internal_value(self, data):
        if isinstance(data, dict) and isinstance(data.get("uscc"), str):
            data = {**data, "uscc": data["uscc"].strip().upper()}
        return super().to_internal_value(data)

    def validate_region(self, region: Region) -> Region:
        user = self.context["request"].user
        if not region_in_jurisdiction(user, region.code):
            raise serializers.ValidationError(_("所在地区“%(name)s”不在您的管辖范围内。") % {"name": region.name})
        return region


class TestItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = TestItem
        fields = ["id", "name", "standard", "requirement", "unit", "order"]


class ProductTypeSerializer(serializers.ModelSerializer):
    test_items = TestItemSerializer(many=True, read_only=True)
    group_name = serializers.CharField(source="group.name", read_only=True)

    class Meta:
        model = ProductType
        fields = ["id", "code", "name", "group", "group_name", "risk_level", "is_active", "test_items"]


class ProductGroupSerializer(serializers.ModelSerializer):
    product_type_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = ProductGroup
        fields = ["id", "code", "name", "order", "product_type_count"]


class InstitutionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Institution
        fields = ["id", "name", "region", "accreditation_no", "is_active"]

"""django-filter sets of the core API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from core.models import CreditClass, Enterprise, EnterpriseSize, EnterpriseStatus, ProductType, Region
from core.selectors import enterprise_search


class RegionFilter(django_filters.FilterSet):
    class Meta:
        model = Region
        fields = ["level", "parent", "zone", "is_active"]


class EnterpriseFilter(django_filters.FilterSet):
    region = django_filters.CharFilter(
        label=_("地区代码前缀"), field_name="region__code", lookup_expr="startswith", max_length=6
    )
    size = django_filters.ChoiceFilter(label=_("企业规模"), choices=EnterpriseSize.choices)
    status = django_filters.ChoiceFilter(label=_("经营状态"), choices=EnterpriseStatus.choices)
    credit_class = django_filters.ChoiceFilter(label=_("信用风险分类"), choices=CreditClass.choices)
    search = django_filters.CharFilter(label=_("企业名称或统一社会信用代码"), method="filter_search")

    class Meta:
        model = Enterprise
        fields = ["region", "size", "status", "credit_class"]

    def filter_search(self, queryset, name, value):
        return enterprise_search(queryset, value)


class ProductTypeFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(label=_("产品名称"), lookup_expr="icontains")

    class Meta:
        model = ProductType
        fields = ["group", "risk_level", "is_active", "name"]

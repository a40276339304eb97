"""Filters of the public result search, shared by the public pages and the public API."""

from __future__ import annotations

import django_filters
from django.core.validators import RegexValidator
from django.db.models import Q, QuerySet
from django.db.models.functions import Substr
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import ProductGroup, ProductType, Region, RegionLevel
from core.selectors import enterprise_ids_named
from sampling.models import Announcement, AnnouncementStatus, Sample, Verdict

RESULT_CHOICES = [(Verdict.PASS.value, _("合格")), (Verdict.FAIL.value, _("不合格"))]


def region_prefix(code: str) -> str:
    """The code prefix of a region and everything below it: 43 / 4301 / 430102 (a 2- or 4-digit prefix passes)."""
    code = (code or "").strip()
    if not code.isdigit() or len(code) not in (2, 4, 6):
        return ""
    if len(code) == 6:
        if code.endswith("0000"):
            return code[:2]
        if code.endswith("00"):
            return code[:4]
    return code


def filter_by_region_prefix(queryset: QuerySet, prefix: str) -> QuerySet:
    """Batches of the region with this code prefix and below: a county (6 digits, the code itself), a city (4:
    every county of it and the city's own code) or a province (2). Region codes are always 6 digits, so this is
    ``region_id LIKE 'prefix%'`` written as the equality each of the indexes sample_pub_county_idx /
    sample_pub_city_idx / sample_pub_province_idx serves in the list's order (sampled_on DESC, id DESC): a LIKE
    range gives no order, and walking the national newest-first index past every other region's batches cost
    150,000 rows for a city whose batches are not among the newest."""
    if len(prefix) == 6:
        return queryset.filter(region_id=prefix)
    if len(prefix) in (2, 4):
        name = f"region_code_{len(prefix)}"
        return queryset.alias(**{name: Substr("region_id", 1, len(prefix))}).filter(**{name: prefix})
    return queryset.filter(region__code__startswith=prefix)


# A bad query parameter is refused with a message naming it (page: shown above the form; API: 400).
YEAR_ERRORS = {
    "invalid": _("年度（year）：请填写 4 位数字的年份，如 2026。"),
    "min_value": _("年度（year）：应在 2000 至 2100 之间。"),
    "max_value": _("年度（year）：应在 2000 至 2100 之间。"),
    "max_digits": _("年度（year）：请填写 4 位数字的年份，如 2026。"),
    "max_decimal_places": _("年度（year）：请填写整数年份。"),
    "max_whole_digits": _("年度（year）：请填写 4 位数字的年份，如 2026。"),
}
REGION_CODE = RegexValidator(
    r"^\s*(\d{2}|\d{4}|\d{6})\s*$", _("地区代码（region）：应为 2、4 或 6 位数字的行政区划代码，如 430102。")
)


class PublishedSampleFilter(django_filters.FilterSet):
    """Search of published batches: product, enterprise, region, result, year, announcement."""

    product_group = django_filters.ModelChoiceFilter(
        label=_("产品类别"),
        empty_label=_("全部"),
        field_name="product_type__group",
        queryset=ProductGroup.objects.all(),
    )
    product_type = django_filters.ModelChoiceFilter(
        label=_("产品名称"),
        empty_label=_("全部"),
        field_name="product_type",
        queryset=ProductType.objects.filter(is_active=True),
    )
    product = django_filters.CharFilter(label=_("产品名称关键字"), method="filter_product")
    enterprise = django_filters.CharFilter(label=_("企业名称"), method="filter_enterprise", max_length=100)
    province = django_filters.ModelChoiceFilter(
        # “省”/“市” here name a region level of the filter (Province, City), not a task's level (Provincial).
        label=pgettext_lazy("region filter", "省"),
        empty_label=_("全部"),
        queryset=Region.objects.filter(level=RegionLevel.PROVINCE),
        method="filter_region_choice",
    )
    city = django_filters.ModelChoiceFilter(
        # “省”/“市” here name a region level of the filter (Province, City), not a task's level (Provincial).
        label=pgettext_lazy("region filter", "市"),
        empty_label=_("全部"),
        queryset=Region.objects.filter(level=RegionLevel.CITY),
        method="filter_region_choice",
    )
    county = django_filters.ModelChoiceFilter(
        label=_("县（区）"),
        empty_label=_("全部"),
        queryset=Region.objects.filter(level=RegionLevel.COUNTY),
        method="filter_region_choice",
    )
    region = django_filters.CharFilter(
        label=_("地区代码"), method="filter_region_code", max_length=6, validators=[REGION_CODE]
    )
    result = django_filters.ChoiceFilter(
        label=_("检验结论"), empty_label=_("全部"), field_name="final_verdict", choices=RESULT_CHOICES
    )
    year = django_filters.NumberFilter(
        label=_("年度"),
        field_name="year",
        min_value=2000,
        max_value=2100,
        error_messages=YEAR_ERRORS,
    )
    announcement = django_filters.ModelChoiceFilter(
        label=_("结果公告"),
        field_name="announcement",
        queryset=Announcement.objects.filter(status=AnnouncementStatus.PUBLISHED),
    )

    class Meta:
        model = Sample
        fields: list[str] = []

    def filter_product(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(product_type__name__icontains=value) | Q(product_type__group__name__icontains=value))

    def filter_enterprise(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Enterprise name contains the text (any case): ILIKE on the name itself, so the trigram index
        enterprise_name_trgm finds the enterprises (Django's icontains compares UPPER(name), which no index
        serves), and a semi-join lets PostgreSQL keep reading the newest published batches first."""
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(enterprise_id__in=enterprise_ids_named(value))

    def filter_region_choice(self, queryset: QuerySet, name: str, value: Region | None) -> QuerySet:
        if value is None:
            return queryset
        return filter_by_region_prefix(queryset, value.scope_prefix)

    def filter_region_code(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        prefix = region_prefix(value)
        if not prefix:
            return queryset.none() if value.strip() else queryset
        return filter_by_region_prefix(queryset, prefix)


class PublishedAnnouncementFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("标题或编号"), method="filter_text", max_length=100)
    year = django_filters.NumberFilter(label=_("年度"), field_name="task__year")
    region = django_filters.CharFilter(label=_("发布机关地区代码"), method="filter_region_code", max_length=6)

    class Meta:
        model = Announcement
        fields: list[str] = []

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(number__icontains=value))

    def filter_region_code(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        prefix = region_prefix(value)
        if not prefix:
            return queryset.none() if value.strip() else queryset
        return queryset.filter(region__code__startswith=prefix)


def narrow_search_choices(form, data) -> None:
    """On the search page, offer only the product types of the chosen group and the cities and counties
    of the chosen province and city (the API keeps the full lists)."""
    form.narrowed = True  # public_portal.public_select keys its cached selects on the parameters read here
    group = (data.get("product_group") or "").strip()
    if group.isdigit():
        form.fields["product_type"].queryset = ProductType.objects.filter(is_active=True, group_id=int(group))
    province = (data.get("province") or "").strip()
    city = (data.get("city") or "").strip()
    if len(province) == 6 and province.isdigit():
        form.fields["city"].queryset = Region.objects.filter(level=RegionLevel.CITY, parent_id=province)
    else:
        form.fields["city"].queryset = Region.objects.none()
    if len(city) == 6 and city.isdigit() and city.startswith(province[:2]):
        form.fields["county"].queryset = Region.objects.filter(level=RegionLevel.COUNTY, parent_id=city)
    else:
        form.fields["county"].queryset = Region.objects.none()

"""From a figure of the statistics to its batches: the sample-list parameters of a statistics row, and the
filter that reads them back (the sample list and its Excel export share sampling.selectors.filter_sample_list).

The keys are those of sampling.statistics: group and type by name, region by code (its scope prefix), zone,
size and stage by their Chinese key words; failed_item by the item's name.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse

from sampling.statistics import SIZE_KEYS, STAGE_KEYS, ZONE_KEYS

# statistics dimension → the sample-list parameter that narrows to one of its rows
DIMENSION_PARAMS = {
    "group": "product_group",
    "type": "product_type_name",
    "region": "region",
    "zone": "zone",
    "size": "size",
    "stage": "stage",
}
_STORED = {
    "zone": {word: value for value, word in ZONE_KEYS.items()},
    "size": {word: value for value, word in SIZE_KEYS.items()},
    "stage": {word: value for value, word in STAGE_KEYS.items()},
}


def batch_list_url(
    *, year: int | None = None, by: str | None = None, key: str | None = None, verdict: str = "", failed_item: str = ""
) -> str:
    """The staff sample list narrowed to one statistics figure (judged batches only, like the statistics)."""
    params: dict[str, str] = {}
    if year:
        params["year"] = str(year)
    if by in DIMENSION_PARAMS and key not in (None, ""):
        # zone, size and stage travel as their stored values, the others as the statistics key
        params[DIMENSION_PARAMS[by]] = _STORED.get(by, {}).get(key, key)
    if failed_item:
        params["failed_item"] = failed_item
        verdict = verdict or "fail"
    params["verdict"] = verdict or "judged"
    return f"{reverse('sampling:sample_list')}?{urlencode(params)}"


def filter_by_statistics_keys(samples: QuerySet, params) -> QuerySet:
    """Apply the statistics parameters of batch_list_url(); unknown or empty values are ignored."""
    from core.models import Region
    from sampling.models import TestResult

    group = (params.get("product_group") or "").strip()
    if group:
        samples = samples.filter(product_type__group__name=group)
    type_name = (params.get("product_type_name") or "").strip()
    if type_name:
        samples = samples.filter(product_type__name=type_name)
    code = (params.get("region") or "").strip()
    if code.isdigit() and len(code) == 6:
        region = Region.objects.filter(code=code).first()
        if region is not None and region.scope_prefix:
            samples = samples.filter(region__code__startswith=region.scope_prefix)
    zone = params.get("zone")
    if zone is not None and zone in ZONE_KEYS and "zone" in params:
        samples = samples.filter(zone=zone)
    size = params.get("size", "")
    if size in SIZE_KEYS:
        samples = samples.filter(enterprise_size=size)
    item = (params.get("failed_item") or "").strip()
    if item:
        confirmed = TestResult.objects.filter(sample=OuterRef("pk"), is_confirmed=True)
        samples = samples.filter(
            Exists(confirmed.filter(Q(failed_items__contains=[item]) | Q(items__item_name=item, items__verdict="fail")))
        )
    return samples


def dimension_filter_labels(params) -> list[tuple[str, str]]:
    """(label, value) of the statistics parameters in use, to show on the list what narrowed it."""
    from django.utils.translation import gettext as _

    labels = {
        "product_group": _("产品类别"),
        "product_type_name": _("产品种类"),
        "region": _("地区"),
        "zone": _("经济区域"),
        "size": _("企业规模"),
        "failed_item": _("不合格项目"),
    }
    shown = []
    for param, label in labels.items():
        value = (params.get(param) or "").strip() if param != "zone" else params.get("zone")
        if value is None or (value == "" and param != "zone") or param not in params:
            continue
        if param == "region":
            from core.models import Region

            region = Region.objects.filter(code=value).first()
            value = region.name if region else value
        elif param == "zone":
            value = ZONE_KEYS.get(value, value)
        elif param == "size":
            value = SIZE_KEYS.get(value, value)
        shown.append((label, value))
    return shown

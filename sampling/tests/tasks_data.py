"""Small builders of tasks, enterprises and samples for the task, draw and sample tests."""

from __future__ import annotations

import datetime as dt
import itertools

from core.models import Region, Role
from core.tests.factories import EnterpriseFactory, ProductTypeFactory, UserFactory
from sampling.models import Sample, SamplingTask, Stage, TaskLevel

_numbers = itertools.count(1)

LEVEL_OF_REGION = {"province": TaskLevel.PROVINCE, "city": TaskLevel.CITY, "county": TaskLevel.COUNTY}


def make_task(*, region_code: str = "430102", year: int = 2026, product_types=(), **extra) -> SamplingTask:
    """A task organised at ``region_code`` with the level of that region, written directly (no service)."""
    n = next(_numbers)
    region = Region.objects.get(code=region_code)
    task = SamplingTask.objects.create(
        code=extra.pop("code", f"T-{year}-{n:04d}"),
        name=extra.pop("name", f"{year}年{region.name}电热水壶监督抽查"),
        level=extra.pop("level", LEVEL_OF_REGION.get(region.level, TaskLevel.NATIONAL)),
        year=year,
        region=region,
        **extra,
    )
    task.product_types.set(product_types or [ProductTypeFactory()])
    return task


def make_enterprise(region_code: str = "430102", credit_class: str = "", **extra):
    return EnterpriseFactory(region=Region.objects.get(code=region_code), credit_class=credit_class, **extra)


def make_inspectors(n: int, region_code: str = "430102", prefix: str = "insp", *, credential: bool = True) -> list:
    """``n`` inspectors of the region, holding an enforcement credential (执法证号) unless told otherwise."""
    region = Region.objects.get(code=region_code)
    return [
        UserFactory(
            username=f"{prefix}{region_code}_{i}",
            role=Role.INSPECTOR,
            jurisdiction=region,
            last_name=f"员{i}",
            enforcement_credential=f"{region_code}{prefix[:4]}{i:03d}" if credential else "",
        )
        for i in range(n)
    ]


def make_sample(task: SamplingTask, enterprise, *, inspectors=(), final_verdict: str = "", is_published=False):
    n = next(_numbers)
    sample = Sample.objects.create(
        task=task,
        sample_no=f"CY{n:06d}",
        enterprise=enterprise,
        product_type=task.product_types.first(),
        stage=Stage.PRODUCTION,
        sampled_on=dt.date(2026, 5, 10),
        region=enterprise.region,
        zone=enterprise.region.zone,
        enterprise_size=enterprise.size,
        year=task.year,
        final_verdict=final_verdict,
        is_published=is_published,
    )
    sample.inspectors.set(inspectors)
    return sample

"""Builders for the results, objection and post-processing tests: a task, a sample with catalogue test items."""

from __future__ import annotations

import datetime as dt
import itertools

from core.models import EnterpriseSize, Region
from core.tests.factories import EnterpriseFactory, InstitutionFactory, ProductTypeFactory, TestItemFactory
from sampling.models import Sample, SamplingTask, Stage, TaskLevel

_numbers = itertools.count(1)

KETTLE_ITEMS = [
    ("标志和说明", "GB 4706.1-2005", "应符合第 7 章要求"),
    ("输入功率和电流", "GB 4706.1-2005", "偏差不超过 +5%/-10%"),
    ("泄漏电流", "GB 4706.1-2005", "≤ 0.75 mA"),
]


def make_sample(*, region_code: str = "430102", institution=None, items=KETTLE_ITEMS) -> Sample:
    """A sample of a product type with test items, in a task tested by ``institution``."""
    n = next(_numbers)
    # A name of its own: InstitutionFactory gets or creates by name, and its sequence uses the plain pattern.
    institution = institution or InstitutionFactory(name=f"结果测试检验机构{n}")
    region = Region.objects.get(code=region_code)
    task = SamplingTask.objects.create(
        code=f"RES-2026-{n:03d}",
        name="2026年电热水壶监督抽查",
        level=TaskLevel.COUNTY,
        year=2026,
        region=region,
        institution=institution,
    )
    product_type = ProductTypeFactory(name=f"电热水壶R{n}")
    for order, (name, standard, requirement) in enumerate(items, start=1):
        TestItemFactory(product_type=product_type, name=name, standard=standard, requirement=requirement, order=order)
    task.product_types.add(product_type)
    enterprise = EnterpriseFactory(region=region)
    return Sample.objects.create(
        task=task,
        sample_no=f"CY-{n:04d}",
        enterprise=enterprise,
        product_type=product_type,
        brand="美的",
        model_spec="MK-17",
        stage=Stage.PRODUCTION,
        sampled_on=dt.date(2026, 3, 2),
        region=region,
        zone=region.zone,
        enterprise_size=EnterpriseSize.SMALL,
        year=2026,
    )


def item_rows(sample: Sample, verdicts: list[str], values: list[str] | None = None) -> list[dict]:
    """Rows for result_enter from the sample's catalogue test items."""
    values = values or [f"实测{i}" for i in range(len(verdicts))]
    return [
        {
            "item_name": t.name,
            "standard": t.standard,
            "requirement": t.requirement,
            "test_item": t,
            "measured_value": value,
            "verdict": verdict,
        }
        for t, verdict, value in zip(sample.product_type.test_items.order_by("order"), verdicts, values, strict=True)
    ]


def confirmed_on_day(result, day) -> None:
    """Backdate a confirmation (a received or served date may not be earlier than the confirmation)."""
    import datetime as dt

    from django.utils import timezone

    from sampling.models import TestResult

    at = timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))
    TestResult.objects.filter(pk=result.pk).update(confirmed_at=at)
    result.confirmed_at = at


def confirmed_days_ago(result, days: int) -> None:
    import datetime as dt

    from django.utils import timezone

    confirmed_on_day(result, timezone.localdate() - dt.timedelta(days=days))

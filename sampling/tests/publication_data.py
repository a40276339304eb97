"""Small builders of tasks and judged samples for the publication tests."""

from __future__ import annotations

import datetime as dt
import itertools

from core.models import EnterpriseSize, ProductType, Region
from core.tests.factories import EnterpriseFactory, InstitutionFactory, ProductGroupFactory, ProductTypeFactory
from sampling.models import Sample, SamplingTask, Stage, TaskLevel, TestResult, Verdict

_numbers = itertools.count(1)


def product(name: str, group_name: str = "电子电器产品", group_code: str = "G02"):
    """A product type of the catalogue, made once per name."""
    group = ProductGroupFactory(code=group_code, name=group_name)
    existing = ProductType.objects.filter(group=group, name=name).first()
    return existing or ProductTypeFactory(group=group, name=name)


def make_task(*, region_code: str = "430000", code: str | None = None, name: str = "2026年电热水壶省级监督抽查"):
    n = next(_numbers)
    return SamplingTask.objects.create(
        code=code or f"HN-2026-{n:03d}",
        name=name,
        level=TaskLevel.PROVINCE,
        year=2026,
        region=Region.objects.get(code=region_code),
    )


def make_sample(
    task: SamplingTask,
    *,
    verdict: str = Verdict.PASS,
    failed_items: tuple[str, ...] = (),
    enterprise=None,
    enterprise_name: str | None = None,
    region_code: str = "430102",
    product_type=None,
    sampled_on: dt.date = dt.date(2026, 5, 10),
    institution=None,
    confirmed: bool = True,
) -> Sample:
    """A sampled batch; with a verdict, also a confirmed test result with its institution and failed items."""
    n = next(_numbers)
    region = Region.objects.get(code=region_code)
    if enterprise is None:
        kwargs = {"region": region}
        if enterprise_name:
            kwargs["name"] = enterprise_name
        enterprise = EnterpriseFactory(**kwargs)
    product_type = product_type or product("电热水壶")
    sample = Sample.objects.create(
        task=task,
        sample_no=f"CJ2026{n:05d}",
        enterprise=enterprise,
        product_type=product_type,
        brand="美好",
        model_spec="SWF-17E",
        production_batch="2026-03-01",
        stage=Stage.PRODUCTION,
        sampled_on=sampled_on,
        region=region,
        zone=region.zone,
        enterprise_size=EnterpriseSize.SMALL,
        year=sampled_on.year,
        final_verdict=verdict if confirmed else "",
    )
    if verdict:
        TestResult.objects.create(
            sample=sample,
            report_no=f"R2026{n:05d}",
            institution=institution or InstitutionFactory(name="湖南省产品质量检验研究院"),
            verdict=verdict,
            failed_items=list(failed_items),
            is_confirmed=confirmed,
            status="confirmed" if confirmed else "entered",
        )
    return sample

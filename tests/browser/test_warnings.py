"""Real Chromium, at desk and phone width: a provincial leader finds the warnings that matter on the home page,
each with the figures that raised it, opens the product-type warning and turns it into next round's sampling
task (issue "early warning", Done when)."""

from __future__ import annotations

import os

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from conftest import PASSWORD
from credit.models_warnings import EarlyWarning, SignalCode
from credit.warnings.evaluation import evaluate
from credit.warnings.tests.data import planted_drop
from sampling.models import SamplingTask

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _look(page, name: str) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") == page.viewport_size["width"]
    if os.environ.get("SCREENSHOT_DIR"):  # for looking at the pages by hand
        page.screenshot(path=f"{os.environ['SCREENSHOT_DIR']}/{name}-{page.viewport_size['width']}.png", full_page=True)


@pytest.mark.parametrize("width", [1366, 390])
def test_a_leader_turns_a_warning_from_the_home_page_into_next_rounds_task(
    live_server, transactional_db, page, regions, provincial_leader, width
):
    from core.reports.periods import Period

    planted_drop()
    evaluate(period=Period.parse("2017"))
    kettle = EarlyWarning.objects.get(signal=SignalCode.PASS_RATE_DROP_TYPE, subject_name="电热水壶")

    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + reverse("login"))
    page.fill("#id_username", provincial_leader.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)

    panel = page.locator("section.home-panel", has_text="风险预警")
    item = panel.locator("li", has_text="产品合格率显著下降：电热水壶")
    expect(item).to_be_visible()
    # The evidence on the home page itself: the rate against its history, the test statistic, where and when.
    expect(item).to_contain_text("批次合格率 75.0%")
    expect(item).to_contain_text("z =")
    expect(item).to_contain_text("可列入下一轮抽查任务")
    expect(item.locator(".badge")).to_have_text(kettle.get_level_display())
    _look(page, "warnings-home")

    item.get_by_role("link").click()
    expect(page.get_by_role("heading", name="触发数据")).to_be_visible()
    _look(page, "warning-detail")
    page.get_by_role("button", name="列入下一轮抽查任务").click()

    task = SamplingTask.objects.get(code__startswith="YJ-")
    expect(page.get_by_text(task.code).first).to_be_visible()
    assert task.product_types.get().name == "电热水壶" and task.status == "planned"
    kettle.refresh_from_db()
    assert kettle.state == "handled" and kettle.sampling_task == task
    # Handled: it leaves the home page.
    page.goto(live_server.url + reverse("home"))
    expect(page.locator("section.home-panel li", has_text="电热水壶")).to_have_count(0)

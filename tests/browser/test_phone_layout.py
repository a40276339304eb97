"""Real Chromium at 390 px: staff pages never scroll sideways, lists read as cards, and the menu opens."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from conftest import PASSWORD
from sampling.models import Verdict
from sampling.tests.publication_data import make_sample, make_task
from sampling.tests.results_support import make_sample as make_untested_sample

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 390, "height": 844}
LONG_NAME = "长沙市芙蓉区某某某某家用电器制造销售有限责任公司第一分公司"


def _sign_in(browser, live_server, user, viewport):
    context = browser.new_context(locale="zh-CN", viewport=viewport)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(live_server.url + reverse("login"))
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    return context, page


def _scroll_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_staff_pages_fit_a_phone_and_the_menu_opens(live_server, transactional_db, browser, county_inspector):
    # given samples of the inspector's county, one of an enterprise with a very long name, one failed
    task = make_task(name="2026年电热水壶省级监督抽查")
    make_sample(task, enterprise_name=LONG_NAME, region_code="430102")
    make_sample(task, verdict=Verdict.FAIL, failed_items=("泄漏电流",), region_code="430102")
    untested = make_untested_sample(region_code="430102")
    context, page = _sign_in(browser, live_server, county_inspector, PHONE)
    try:
        # when the inspector opens the main staff pages on a 390 px phone
        for name in (
            "home",
            "sampling:sample_list",
            "sampling:task_list",
            "sampling:followup_list",
            "sampling:dashboard",
        ):
            page.goto(live_server.url + reverse(name))
            # then nothing scrolls sideways
            assert _scroll_width(page) <= PHONE["width"], f"{name} 在 390 px 宽度下出现横向滚动"

        # and the result-entry page: its item rows are cards with full-size inputs
        page.goto(live_server.url + reverse("sampling:result_entry", args=[untested.pk]))
        assert _scroll_width(page) <= PHONE["width"], "结果录入页在 390 px 宽度下出现横向滚动"
        measured = page.locator("#id_items-0-measured_value").bounding_box()
        assert measured["height"] >= 38 and measured["x"] + measured["width"] <= PHONE["width"]
        assert page.locator("#id_items-0-verdict").bounding_box()["height"] >= 38

        # and the sample list reads as cards: each cell is labelled with its column
        page.goto(live_server.url + reverse("sampling:sample_list"))
        cell = page.locator("table.data.cards tbody td", has_text=LONG_NAME)
        expect(cell).to_be_visible()
        assert cell.get_attribute("data-label") == "受检企业"
        label = cell.evaluate("el => getComputedStyle(el, '::before').content")
        assert "受检企业" in label
        assert page.locator("table.data.cards thead").bounding_box()["height"] <= 1
        # the filter inputs are finger-sized, not 25 px slivers
        assert page.locator("form.toolbar select").first.bounding_box()["height"] >= 38

        # and the menu is folded behind a button that opens it
        menu_link = page.locator(".mainnav a", has_text="抽查任务")
        toggle = page.get_by_role("button", name="菜单")
        expect(menu_link).to_be_hidden()
        expect(toggle).to_have_attribute("aria-expanded", "false")
        toggle.click()
        expect(toggle).to_have_attribute("aria-expanded", "true")
        expect(menu_link).to_be_visible()
        assert _scroll_width(page) <= PHONE["width"]
        menu_link.click()
        page.wait_for_url(live_server.url + reverse("sampling:task_list"))
        expect(page.get_by_role("heading", name="抽查任务")).to_be_visible()
    finally:
        context.close()


def test_a_failed_samples_page_reads_as_cards_on_a_phone(live_server, transactional_db, browser, county_inspector):
    # given a failed sample with a confirmed result and its follow-up chain (notice, rectification, …)
    import datetime as dt

    from django.utils import timezone

    from sampling.services.results import result_confirm, result_enter
    from sampling.tests.results_support import item_rows

    sample = make_untested_sample(region_code="430102")
    result = result_enter(
        user=county_inspector,
        sample=sample,
        report_no="WT-PHONE-1",
        institution=sample.task.institution,
        tested_on=timezone.localdate() - dt.timedelta(days=3),
        items=item_rows(sample, [Verdict.PASS, Verdict.FAIL, Verdict.PASS]),
    )
    result_confirm(user=county_inspector, result=result)
    context, page = _sign_in(browser, live_server, county_inspector, PHONE)
    try:
        # when the inspector opens the sample on a 390 px phone
        page.goto(live_server.url + reverse("sampling:sample_detail", args=[sample.pk]))
        assert _scroll_width(page) <= PHONE["width"]
        # then the item results and the follow-up steps are cards, each value labelled with its column
        measured = page.locator("table.data.cards td[data-label='实测值']").first
        expect(measured).to_be_visible()
        assert "实测值" in measured.evaluate("el => getComputedStyle(el, '::before').content")
        due = page.locator("table.data.cards td[data-label='期限']").first
        expect(due).to_be_visible()
        assert due.bounding_box()["x"] + due.bounding_box()["width"] <= PHONE["width"]
    finally:
        context.close()


def test_desktop_keeps_the_table_and_a_one_line_menu(live_server, transactional_db, browser, county_inspector):
    # given a sample; when the inspector opens the sample list at 1366 px
    make_sample(make_task(), region_code="430102")
    context, page = _sign_in(browser, live_server, county_inspector, {"width": 1366, "height": 900})
    try:
        page.goto(live_server.url + reverse("sampling:sample_list"))
        # then the header row is a real table header, the toggle is hidden and the menu is one row
        expect(page.locator("table.data.cards thead th").first).to_be_visible()
        expect(page.get_by_role("button", name="菜单")).to_be_hidden()
        tops = page.locator(".mainnav a").evaluate_all("links => links.map(a => a.getBoundingClientRect().top)")
        assert len(set(tops)) == 1, "菜单在 1366 px 下换行"
        assert _scroll_width(page) <= 1366
    finally:
        context.close()


def test_the_english_menu_of_a_leader_stays_on_one_line_at_1366(
    live_server, transactional_db, browser, provincial_leader
):
    # given a provincial leader, who has the longest menu, reading the platform in English
    context, page = _sign_in(browser, live_server, provincial_leader, {"width": 1366, "height": 900})
    try:
        context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
        page.goto(live_server.url + reverse("home"))
        assert page.evaluate("document.documentElement.lang") == "en"
        # then every visible menu entry sits on the same line, and nothing scrolls sideways
        tops = page.locator(".mainnav > a:visible, .nav-more:visible").evaluate_all(
            "els => els.map(el => Math.round(el.getBoundingClientRect().top))"
        )
        assert len(set(tops)) == 1, "英文菜单在 1366 px 下换行"
        assert _scroll_width(page) <= 1366
        # and entries that do not fit are one click away under “more”
        more = page.locator(".nav-more")
        if more.is_visible():
            more.locator("button").click()
            expect(more.locator(".nav-more-panel a").first).to_be_visible()
    finally:
        context.close()

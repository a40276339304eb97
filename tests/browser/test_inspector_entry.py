"""Real Chromium: an inspector signs in, enters a sample's item results with the keyboard, and sees the verdict."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from conftest import PASSWORD
from sampling.tests.results_support import make_sample

# Chromium, its flags and the `browser`/`page` fixtures live in tests/browser/conftest.py.
# Live-server tests flush the database afterwards; serialized_rollback restores the rows that migrations
# create (the national region, settings), so tests that run after these on the same worker still find them.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_inspector_enters_results_and_sees_the_verdict(live_server, transactional_db, page, county_inspector):
    # given a sample of the inspector's county with three test items
    sample = make_sample(region_code="430102")
    # when the inspector signs in on the real login page
    page.goto(live_server.url + reverse("login"))
    page.fill("#id_username", county_inspector.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)

    # and opens the entry page: the report number has the focus
    page.goto(live_server.url + reverse("sampling:result_entry", args=[sample.pk]))
    expect(page.locator("#id_report_no")).to_be_focused()
    page.keyboard.type("WT2026-B001")

    # and types the items row by row with the keyboard (Tab down the rows, 1 = 合格, 2 = 不合格)
    page.focus("#id_items-0-measured_value")
    live = page.locator("#live-verdict")
    expect(live).to_have_text("待检验")
    for value, key in [("符合", "1"), ("2150 W", "1"), ("0.21 mA", "1")]:
        page.keyboard.type(value)
        page.keyboard.press("Tab")
        page.keyboard.press(key)
        page.keyboard.press("Tab")
    expect(live).to_have_text("合格")
    # Enter in a field moves on instead of submitting the form
    page.focus("#id_items-1-measured_value")
    page.keyboard.press("Enter")
    expect(page.locator("#id_items-1-verdict")).to_be_focused()
    page.keyboard.press("2")
    expect(live).to_have_text("不合格")
    assert "/results/enter/" in page.url

    # and saves
    page.get_by_role("button", name="保存").click()

    # then the sample page shows the result with its verdict 不合格, not yet final: it is still unconfirmed
    page.wait_for_url(live_server.url + reverse("sampling:sample_detail", args=[sample.pk]))
    result_box = page.locator("[data-result]")
    expect(result_box.locator(".badge.fail").first).to_have_text("不合格")
    expect(result_box.get_by_text("未确认")).to_be_visible()
    expect(page.locator("[data-final-verdict]")).to_have_text("待检验")
    expect(page.get_by_text("WT2026-B001")).to_be_visible()
    expect(page.get_by_role("cell", name="2150 W")).to_be_visible()
    sample.refresh_from_db()
    assert sample.final_verdict == ""

    # and once he confirms it, the verdict 不合格 is final
    # (确认结果 opens a page that says what confirming does; its own button confirms)
    page.get_by_role("link", name="确认结果").first.click()
    page.get_by_role("button", name="确认结果").click()
    expect(page.locator("[data-final-verdict]")).to_have_text("不合格")
    sample.refresh_from_db()
    assert sample.final_verdict == "fail"
    assert sample.results.get().failed_items == ["输入功率和电流"]

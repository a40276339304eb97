"""Real Chromium: a citizen, without signing in, searches the published results and never sees a draft batch."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from core.tests.factories import InstitutionFactory
from sampling.models import Verdict
from sampling.services.publication import announcement_create, announcement_publish
from sampling.tests.publication_data import make_sample, make_task

# Chromium, its flags and the `browser`/`page` fixtures live in tests/browser/conftest.py.
# Live-server tests flush the database afterwards; serialized_rollback restores the rows that migrations
# create (the national region, settings), so tests that run after these on the same worker still find them.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

FAILED_ENTERPRISE = "长沙某某电器有限公司"
PASSED_ENTERPRISE = "长沙美好家电有限公司"
DRAFT_ENTERPRISE = "长沙秘密草稿电器厂"
EMPTY_STATE = "没有符合条件的抽查结果。"


def test_citizen_searches_published_results_and_filters_by_verdict(
    live_server, transactional_db, page, provincial_leader
):
    # given a published announcement with a failed and a passed batch of two 长沙 enterprises
    lab = InstitutionFactory(name="湖南省产品质量检验研究院")
    task = make_task(name="2026年电热水壶省级监督抽查")
    make_sample(
        task,
        verdict=Verdict.FAIL,
        failed_items=("泄漏电流",),
        enterprise_name=FAILED_ENTERPRISE,
        institution=lab,
    )
    make_sample(task, verdict=Verdict.PASS, enterprise_name=PASSED_ENTERPRISE, institution=lab)
    published = announcement_create(user=provincial_leader, task=task, title="2026年第1期电热水壶抽查结果公告")
    announcement_publish(user=provincial_leader, announcement=published)
    # and a judged batch of a third 长沙 enterprise that sits in an unpublished draft announcement
    draft_task = make_task(name="2026年电暖器省级监督抽查")
    draft_sample = make_sample(
        draft_task, verdict=Verdict.FAIL, failed_items=("发热",), enterprise_name=DRAFT_ENTERPRISE, institution=lab
    )
    announcement_create(user=provincial_leader, task=draft_task, title="尚未发布的电暖器公告")
    draft_sample.refresh_from_db()
    assert draft_sample.announcement_id and not draft_sample.is_published

    # when a citizen opens the public home page, types part of an enterprise name and submits
    page.goto(live_server.url + reverse("public:index"))
    expect(page.get_by_role("heading", name="产品质量监督抽查结果查询")).to_be_visible()
    search_box = page.locator(".search-form input[name=enterprise]")
    search_box.fill("长沙")
    search_box.press("Enter")

    # then the search page lists both published batches: the failed one with 不合格 and its failed item
    page.wait_for_url(lambda url: reverse("public:result_search") + "?" in url)
    rows = page.locator("table.batches tbody tr")
    expect(page.get_by_text("共找到 2 条已公开的抽查结果。")).to_be_visible()
    expect(rows).to_have_count(2)
    failed_row = rows.filter(has_text=FAILED_ENTERPRISE)
    expect(failed_row.locator(".badge.fail")).to_have_text("不合格")
    expect(failed_row).to_contain_text("泄漏电流")
    expect(rows.filter(has_text=PASSED_ENTERPRISE).locator(".badge.pass")).to_have_text("合格")
    # and the draft batch of a 长沙 enterprise is not among them
    expect(page.locator("table.batches")).not_to_contain_text(DRAFT_ENTERPRISE)

    # when the citizen keeps the keyword and filters by result 合格
    expect(page.locator(".search-form input[name=enterprise]")).to_have_value("长沙")
    page.locator(".search-form select[name=result]").select_option(label="合格")
    page.get_by_role("button", name="查询").click()

    # then only the passed batch is left
    page.wait_for_url(lambda url: "result=pass" in url)
    expect(page.get_by_text("共找到 1 条已公开的抽查结果。")).to_be_visible()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(PASSED_ENTERPRISE)
    expect(rows.first.locator(".badge.pass")).to_have_text("合格")
    expect(page.locator("table.batches")).not_to_contain_text(FAILED_ENTERPRISE)

    # when the citizen searches for the draft batch's enterprise by its full name, with any result
    page.locator(".search-form select[name=result]").select_option(label="全部")
    page.locator(".search-form input[name=enterprise]").fill(DRAFT_ENTERPRISE)
    page.get_by_role("button", name="查询").click()

    # then nothing is found: the empty-state text, and the name appears nowhere in the results
    page.wait_for_url(lambda url: "result=pass" not in url)
    expect(page.get_by_text("共找到 0 条已公开的抽查结果。")).to_be_visible()
    expect(page.locator("table.batches td.empty")).to_have_text(EMPTY_STATE)
    expect(rows).to_have_count(1)
    expect(page.locator("table.batches")).not_to_contain_text(DRAFT_ENTERPRISE)

"""Public pages (社会公众查询): only published results are ever shown, and the search filters work."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from core.tests.factories import InstitutionFactory
from sampling.models import Verdict
from sampling.selectors import public_results
from sampling.services.publication import announcement_create, announcement_publish, announcement_withdraw
from sampling.tests.publication_data import make_sample, make_task, product

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(regions, provincial_leader):
    """A published announcement (two batches), a draft announcement (one batch), a task never announced."""
    lab = InstitutionFactory(name="国家电器产品质量检验检测中心")
    published_task = make_task(name="2026年电器产品省级监督抽查")
    kettle = make_sample(
        published_task,
        verdict=Verdict.PASS,
        enterprise_name="长沙美好电器有限公司",
        region_code="430102",
        product_type=product("电热水壶"),
        institution=lab,
        sampled_on=dt.date(2026, 5, 10),
    )
    heater = make_sample(
        published_task,
        verdict=Verdict.FAIL,
        failed_items=("泄漏电流", "发热"),
        enterprise_name="株洲温暖取暖器厂",
        region_code="430202",
        product_type=product("电暖器"),
        institution=lab,
        sampled_on=dt.date(2026, 5, 12),
    )
    published = announcement_create(
        user=provincial_leader, task=published_task, title="2026年第1期电器产品抽查结果公告"
    )
    announcement_publish(user=provincial_leader, announcement=published)

    draft_task = make_task(name="2026年纺织品省级监督抽查")
    draft_sample = make_sample(
        draft_task,
        verdict=Verdict.FAIL,
        failed_items=("甲醛含量",),
        enterprise_name="芙蓉秘密草稿纺织有限公司",
        product_type=product("童装", group_name="日用及纺织品", group_code="G01"),
    )
    draft = announcement_create(user=provincial_leader, task=draft_task, title="尚未发布的纺织品公告")

    hidden_task = make_task(name="未公告的任务")
    hidden_sample = make_sample(hidden_task, verdict=Verdict.FAIL, enterprise_name="从未公告的隐秘企业")
    return {
        "published": published,
        "kettle": kettle,
        "heater": heater,
        "draft": draft,
        "draft_sample": draft_sample,
        "hidden_sample": hidden_sample,
        "leader": provincial_leader,
    }


def _search(client, **params) -> str:
    response = client.get(reverse("public:result_search"), params)
    assert response.status_code == 200
    return response.content.decode()


# --- never anything unpublished -----------------------------------------------------------------


def test_index_is_public_and_shows_the_latest_published_announcements(client, world):
    response = client.get("/public/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "社会公众查询" in page
    assert "抽查结果公告" in page and "结果查询" in page
    assert "2026年第1期电器产品抽查结果公告" in page
    assert "尚未发布的纺织品公告" not in page


def test_announcement_list_and_detail_show_published_only(client, world):
    page = client.get(reverse("public:announcement_list")).content.decode()
    assert "2026年第1期电器产品抽查结果公告" in page
    assert "尚未发布的纺织品公告" not in page

    assert client.get(reverse("public:announcement_detail", args=[world["draft"].pk])).status_code == 404


def test_announcement_detail_lists_each_batch_as_published(client, world):
    response = client.get(reverse("public:announcement_detail", args=[world["published"].pk]))
    page = response.content.decode()
    assert response.status_code == 200
    for text in (
        "电暖器",  # product
        "株洲温暖取暖器厂",  # enterprise
        "湖南省株洲市荷塘区",  # region
        "SWF-17E",  # model
        "2026-03-01",  # production batch
        "泄漏电流、发热",  # failed items
        "国家电器产品质量检验检测中心",  # institution
        "不合格",  # verdict
        "长沙美好电器有限公司",
    ):
        assert text in page, text
    assert "芙蓉秘密草稿纺织有限公司" not in page


def test_search_never_shows_draft_or_unannounced_batches(client, world):
    page = _search(client)
    assert "长沙美好电器有限公司" in page and "株洲温暖取暖器厂" in page
    assert "芙蓉秘密草稿纺织有限公司" not in page
    assert "从未公告的隐秘企业" not in page
    assert "芙蓉秘密草稿纺织有限公司" not in _search(client, enterprise="秘密")
    assert "从未公告的隐秘企业" not in _search(client, enterprise="隐秘")


def test_result_detail_of_unpublished_batches_is_404(client, world):
    assert client.get(reverse("public:result_detail", args=[world["heater"].pk])).status_code == 200
    for key in ("draft_sample", "hidden_sample"):
        assert client.get(reverse("public:result_detail", args=[world[key].pk])).status_code == 404


def test_publishing_shows_and_withdrawing_hides_again(client, world, django_capture_on_commit_callbacks):
    leader = world["leader"]
    # The search seen before: kept rendered (sampling.public_cache), and still right after each change, because
    # the services move the public data on when they commit.
    announcements = reverse("public:announcement_list")
    assert "芙蓉秘密草稿纺织有限公司" not in _search(client)
    assert "尚未发布的纺织品公告" not in client.get(announcements).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        announcement_publish(user=leader, announcement=world["draft"])
    assert "芙蓉秘密草稿纺织有限公司" in _search(client)
    assert "尚未发布的纺织品公告" in client.get(announcements).content.decode()
    assert client.get(reverse("public:announcement_detail", args=[world["draft"].pk])).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        announcement_withdraw(user=leader, announcement=world["draft"], reason="企业名称录入错误")
    assert "芙蓉秘密草稿纺织有限公司" not in _search(client)
    assert "尚未发布的纺织品公告" not in client.get(announcements).content.decode()
    assert client.get(reverse("public:announcement_detail", args=[world["draft"].pk])).status_code == 404
    assert client.get(reverse("public:result_detail", args=[world["draft_sample"].pk])).status_code == 404


def test_a_repeated_search_is_served_without_reading_the_batches(client, world):
    """The result section is the same for every visitor: the second visitor's page reads no batch."""
    from django.test.utils import CaptureQueriesContext

    first = _search(client, product="暖器")
    with CaptureQueriesContext(connection) as queries:
        second = Client().get(reverse("public:result_search"), {"product": "暖器"})
    assert second.status_code == 200
    assert not [q["sql"] for q in queries if "sampling_sample" in q["sql"]]
    assert "株洲温暖取暖器厂" in first and "株洲温暖取暖器厂" in second.content.decode()
    # Another language, another page number or another search is rendered for itself.
    visitor = Client()
    visitor.post(reverse("set_language"), {"language": "en", "next": reverse("public:index")})
    english = visitor.get(reverse("public:result_search"), {"product": "暖器"})
    assert "1 published spot-check result found." in english.content.decode()
    assert "共找到 1 条已公开的抽查结果" in second.content.decode()
    other = _search(client, product="电热水壶")
    assert "长沙美好电器有限公司" in other and "株洲温暖取暖器厂" not in other


# --- each search filter -------------------------------------------------------------------------


def test_search_by_product(client, world):
    page = _search(client, product="暖器")
    assert "株洲温暖取暖器厂" in page and "长沙美好电器有限公司" not in page
    page = _search(client, product_type=world["kettle"].product_type_id)
    assert "长沙美好电器有限公司" in page and "株洲温暖取暖器厂" not in page
    page = _search(client, product_group=world["kettle"].product_type.group_id)
    assert "长沙美好电器有限公司" in page and "株洲温暖取暖器厂" in page


def test_search_by_enterprise_name(client, world):
    page = _search(client, enterprise="美好电器")
    assert "长沙美好电器有限公司" in page and "株洲温暖取暖器厂" not in page


def test_search_by_region(client, world):
    page = _search(client, province="430000", city="430100")
    assert "长沙美好电器有限公司" in page and "株洲温暖取暖器厂" not in page
    page = _search(client, province="430000", city="430200", county="430202")
    assert "株洲温暖取暖器厂" in page and "长沙美好电器有限公司" not in page
    page = _search(client, region="4302")
    assert "株洲温暖取暖器厂" in page and "长沙美好电器有限公司" not in page
    page = _search(client, province="440000")
    assert "株洲温暖取暖器厂" not in page and "长沙美好电器有限公司" not in page
    assert "没有符合条件的抽查结果" in page


def test_search_by_result_and_year(client, world):
    page = _search(client, result="fail")
    assert "株洲温暖取暖器厂" in page and "长沙美好电器有限公司" not in page
    page = _search(client, result="pass")
    assert "长沙美好电器有限公司" in page and "株洲温暖取暖器厂" not in page
    assert "长沙美好电器有限公司" in _search(client, year=2026)
    assert "长沙美好电器有限公司" not in _search(client, year=2025)


def test_search_is_paginated_by_25_newest_first(client, regions, provincial_leader):
    task = make_task()
    for day in range(1, 28):
        make_sample(task, enterprise_name=f"分页测试企业{day:02d}号", sampled_on=dt.date(2026, 3, day))
    announcement_publish(
        user=provincial_leader, announcement=announcement_create(user=provincial_leader, task=task, title="分页公告")
    )

    first = _search(client)
    assert "分页测试企业27号" in first and "分页测试企业03号" in first
    assert "分页测试企业02号" not in first
    assert first.index("分页测试企业27号") < first.index("分页测试企业26号")
    second = _search(client, page=2)
    assert "分页测试企业02号" in second and "分页测试企业01号" in second


# --- lean queries -------------------------------------------------------------------------------


def test_public_pages_do_not_grow_queries_with_rows(client, world, django_assert_max_num_queries):
    # given a dozen more published batches
    task = make_task()
    for n in range(12):
        make_sample(task, verdict=Verdict.FAIL, failed_items=("标志",), enterprise_name=f"批量企业{n}")
    announcement_publish(
        user=world["leader"],
        announcement=announcement_create(user=world["leader"], task=task, title="批量公告"),
    )
    # then each list page needs a fixed handful of queries (count, rows, final results, form choices)
    with django_assert_max_num_queries(8):
        assert "批量企业11" in _search(client)
    with django_assert_max_num_queries(8):
        assert "批量企业11" in _search(client, enterprise="批量", result="fail", province="430000")
    with django_assert_max_num_queries(6):
        client.get(reverse("public:announcement_list"))
    with django_assert_max_num_queries(8):
        client.get("/public/")


def test_the_public_list_reads_the_partial_index(world):
    sql, params = public_results()[:25].query.sql_with_params()
    with connection.cursor() as cursor:
        # The test database is tiny, so a scan-and-sort would win here; forbid both so the planner shows
        # whether an index can deliver published rows already in (-sampled_on, -id) order.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "sample_published_idx" in plan, plan


def test_the_home_page_totals_follow_publication_at_once(client, world, django_capture_on_commit_callbacks):
    def totals() -> tuple[int, int, int]:
        figures = client.get(reverse("public:index")).context["totals"]
        return figures["batches"], figures["failed"], figures["enterprises"]

    assert totals() == (2, 1, 2)

    # The figures are cached; publishing drops them, so citizens see the new batches immediately.
    with django_capture_on_commit_callbacks(execute=True):
        announcement_publish(user=world["leader"], announcement=world["draft"])
    assert totals() == (3, 2, 3)

    with django_capture_on_commit_callbacks(execute=True):
        announcement_withdraw(user=world["leader"], announcement=world["published"], reason="数据更正")
    assert totals() == (1, 1, 1)

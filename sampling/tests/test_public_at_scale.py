"""The public pages' answers to large data (bench/): a capped, honest result count, an indexable
enterprise-name search, announcement counts per page, statistics grouped on narrow columns."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sampling import statistics
from sampling.models import Verdict
from sampling.selectors import published_announcements
from sampling.services.publication import announcement_create, announcement_publish
from sampling.tests.publication_data import make_sample, make_task, product
from sampling.views import public

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(regions, provincial_leader):
    """One published announcement with four batches (one failed, enterprise names in mixed case)."""
    task = make_task()
    make_sample(task, enterprise_name="长沙ABC电器有限公司")
    make_sample(task, enterprise_name="株洲100%_纯棉有限公司", region_code="430202")
    make_sample(task, verdict=Verdict.FAIL, failed_items=("发热",), enterprise_name="天心美好电器厂")
    make_sample(task, enterprise_name="芙蓉美好家纺", product_type=product("童装", "日用及纺织品", "G01"))
    announcement = announcement_create(user=provincial_leader, task=task, title="大数据量公告")
    announcement_publish(user=provincial_leader, announcement=announcement)
    return announcement


def _search(client, **params) -> str:
    response = client.get(reverse("public:result_search"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_result_count_is_exact_up_to_the_cap(client, published):
    html = _search(client)
    assert "共找到 4 条已公开的抽查结果。" in html
    assert "超过" not in html


def test_beyond_the_cap_the_page_says_more_and_asks_to_narrow(client, published, monkeypatch):
    monkeypatch.setattr(public, "RESULT_COUNT_CAP", 3)
    html = _search(client)
    assert "找到超过 3 条已公开的抽查结果，仅可翻阅前 3 条；请增加查询条件缩小范围。" in html
    assert "共找到" not in html


def test_enterprise_search_ignores_case_and_takes_wildcards_literally(client, published):
    assert "长沙ABC电器有限公司" in _search(client, enterprise="abc")
    found = _search(client, enterprise="100%_")
    assert "株洲100%_纯棉有限公司" in found and "长沙ABC电器有限公司" not in found
    # "_" is not "any character": "a_c" does not find "ABC"
    assert "共找到 0 条" in _search(client, enterprise="a_c")


def test_a_two_character_name_search_finds_the_same_through_the_bigram_index(client, published):
    """Two characters have no trigram: the bigram index (core.lookups.name_contains) answers them, same matches."""
    from django.db import connection

    from core.selectors import enterprise_ids_named

    assert "长沙ABC电器有限公司" in _search(client, enterprise="bc")  # any case, as with longer terms
    html = _search(client, enterprise="纯棉")
    assert "株洲100%_纯棉有限公司" in html and "长沙ABC电器有限公司" not in html
    assert "共找到 0 条" in _search(client, enterprise="棉纯")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = enterprise_ids_named("纯棉").query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "enterprise_name_bigram" in plan


def test_announcement_counts_are_those_of_its_published_batches(client, published):
    [row] = published_announcements()
    assert (row.batch_count, row.failed_count) == (4, 1)
    html = client.get(reverse("public:announcement_list")).content.decode()
    assert "大数据量公告" in html


def test_group_rows_roll_product_types_up_and_sum_to_the_total(published):
    rows, total = statistics.pass_rate_table(by="group")
    assert [(r["key"], r["batches"], r["passed"]) for r in rows] == [("日用及纺织品", 1, 1), ("电子电器产品", 3, 2)]
    assert total == statistics.pass_rate_total()
    regions = {r["key"]: r["label"] for r in statistics.pass_rate_rows(by="region")}
    assert regions == {"430102": "芙蓉区", "430202": "荷塘区"}

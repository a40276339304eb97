"""Public pages and API: the list, a listing, an enterprise profile with only published facts in their period;
never a class; two-character name search; a repaired penalty disappears the day it is granted."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.models import Role
from core.services import enterprise_account_create
from core.tests.factories import UserFactory
from credit.models import ApplicationKind
from credit.services.applications import application_decide, application_file
from credit.services.classes import recompute_classes
from credit.services.listings import listing_approve, listing_decide, listing_notice, listing_propose, listing_submit
from credit.services.records import take_up_facts
from credit.tests.factories import enterprise, make_fact, penalty, published_penalty


def _png() -> bytes:
    """A real 8×8 PNG: application images are decoded and re-encoded, so a bare header is refused."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def people(regions):
    return {
        "handler": UserFactory(username="p_handler", role=Role.CASE_HANDLER, jurisdiction=regions["430102"]),
        "leader": UserFactory(username="p_leader", role=Role.LEADER, jurisdiction=regions["430102"]),
        "city": UserFactory(username="p_city", role=Role.LEADER, jurisdiction=regions["430100"]),
    }


def _list(people, firm, listed_on):
    fact = penalty(firm, listed_on - dt.timedelta(days=30))
    listing = listing_propose(
        user=people["handler"],
        penalty_fact=fact,
        reason="严重违法",
        basis="《办法》第二条",
        on=listed_on - dt.timedelta(days=20),
    )
    listing = listing_notice(user=people["handler"], listing=listing, served_on=listed_on - dt.timedelta(days=20))
    listing = listing_submit(user=people["handler"], listing=listing, on=listed_on)
    listing = listing_approve(user=people["city"], listing=listing, on=listed_on)
    return listing_decide(user=people["leader"], listing=listing, on=listed_on)


@pytest.fixture
def listed(people):
    firm = enterprise(name="湘江", legal_representative="李四")
    return _list(people, firm, timezone.localdate() - dt.timedelta(days=10))


def test_two_character_name_search_finds_the_enterprise(listed, client):
    response = client.get(reverse("credit_public:blacklist"), {"q": "湘江"})
    assert response.status_code == 200 and listed.uscc in response.content.decode()
    api = client.get("/api/v1/public/blacklist/", {"q": "湘江"}).json()
    assert [row["number"] for row in api["results"]] == [listed.number]
    assert api["results"][0]["legal_representative"] == "李四"
    assert not {"credit_class", "score", "class"} & set(api["results"][0])
    assert client.get("/api/v1/public/blacklist/", {"q": "不存在"}).json()["results"] == []
    assert client.get("/api/v1/public/blacklist/", {"q": listed.uscc}).json()["count"] == 1
    assert client.get(f"/api/v1/public/blacklist/{listed.number}/").status_code == 200


def test_search_ignores_case_for_latin_names_and_uscc_and_treats_wildcards_as_text(people, client):
    firm = enterprise(name="长沙ABC电器有限公司")
    listing = _list(people, firm, timezone.localdate() - dt.timedelta(days=10))
    other = _list(people, enterprise(name="湘潭恒通有限公司"), timezone.localdate() - dt.timedelta(days=10))

    def numbers(q):
        return [row["number"] for row in client.get("/api/v1/public/blacklist/", {"q": q}).json()["results"]]

    assert numbers("abc电器") == [listing.number]
    assert numbers(firm.uscc.lower()) == [listing.number]
    assert numbers("恒通") == [other.number]
    assert numbers("%") == [] and numbers("_") == []
    page = client.get(reverse("credit_public:blacklist"), {"q": "Abc"}).content.decode()
    assert firm.uscc in page and other.uscc not in page


def test_listing_page_shows_published_fields(listed, client):
    text = client.get(reverse("credit_public:listing_detail", args=[listed.number])).content.decode()
    for value in (
        listed.enterprise_name,
        listed.uscc,
        "李四",
        "严重违法",
        "《办法》第二条",
        listed.authority_name,
        listed.planned_removal_on.isoformat(),
        "行政复议",
    ):
        assert value in text


def test_unpublished_listing_is_not_public(people, client):
    firm = enterprise(name="未决企业")
    fact = penalty(firm, timezone.localdate())
    listing = listing_propose(user=people["handler"], penalty_fact=fact, reason="x", basis="y")
    assert client.get(reverse("credit_public:listing_detail", args=[listing.number])).status_code == 404
    assert "未决企业" not in client.get(reverse("credit_public:blacklist")).content.decode()


def test_profile_shows_only_published_facts_in_period_and_never_a_class(people, client):
    today = timezone.localdate()
    firm = enterprise(name="公开测试有限公司")
    make_fact(firm, "sampling.verdict_failed", today, data={"sample_no": "SECRET-1"}, label="SECRET-1")
    make_fact(
        firm,
        "sampling.result_published",
        today,
        data={"verdict": "fail", "product_type": "电热水壶"},
        public_from=today,
        label="PUB-1",
    )
    make_fact(
        firm,
        "sampling.result_published",
        today - dt.timedelta(days=900),
        data={"verdict": "fail"},
        public_from=today - dt.timedelta(days=900),
        public_until=today - dt.timedelta(days=10),
        label="OLD-1",
    )
    make_fact(firm, "recalls.notice_published", today, public_from=today + dt.timedelta(days=3), label="LATER-1")
    published_penalty(penalty(firm, today), today, until=today + dt.timedelta(days=90))
    make_fact(firm, "recalls.order_refused", today)
    take_up_facts()
    recompute_classes()
    text = client.get(reverse("credit_public:enterprise_profile", args=[firm.uscc])).content.decode()
    assert "PUB-1" in text and "电热水壶" in text
    assert "SECRET-1" not in text and "OLD-1" not in text and "LATER-1" not in text
    assert "风险分值" not in text and "D 类" not in text and "信用风险" not in text


def test_repaired_penalty_disappears_from_public_pages_and_api(people, client, regions):
    today = timezone.localdate()
    firm = enterprise(name="修复测试有限公司")
    decided = penalty(firm, today - dt.timedelta(days=300), fine="2000.00", decision_no="湘芙市监处罚〔2026〕7号")
    published = published_penalty(decided, today - dt.timedelta(days=250), until=today + dt.timedelta(days=800))
    make_fact(
        firm, "enforcement.fine_paid", today - dt.timedelta(days=240), data={"decision_no": "湘芙市监处罚〔2026〕7号"}
    )
    profile = reverse("credit_public:enterprise_profile", args=[firm.uscc])
    assert "湘芙市监处罚〔2026〕7号" in client.get(profile).content.decode()
    account = enterprise_account_create(enterprise=firm, username="repair_pub", password="x")
    application = application_file(
        user=account,
        kind=ApplicationKind.PENALTY_REPAIR,
        penalty_fact=published,
        statement="已整改",
        harm_removed=True,
        commitment=True,
        files=[SimpleUploadedFile("a.png", _png())],
    )
    application_decide(user=people["leader"], application=application, grant=True, note="", evidence_checked=True)
    assert "湘芙市监处罚〔2026〕7号" not in client.get(profile).content.decode()
    from core.facts import public_facts

    assert not public_facts().filter(pk=published.pk).exists()


def test_removed_listing_leaves_the_public_list(people, client):
    firm = enterprise(name="已移出企业")
    listing = _list(people, firm, dt.date(2022, 6, 6))
    from credit.services.listings import listings_remove_expired

    listings_remove_expired()
    assert "已移出企业" not in client.get(reverse("credit_public:blacklist")).content.decode()
    text = client.get(reverse("credit_public:enterprise_profile", args=[firm.uscc])).content.decode()
    assert "曾列入" in text and listing.number in text


def test_each_profile_section_is_paged_on_its_own_so_old_penalties_stay_visible(people, client):
    today = timezone.localdate()
    firm = enterprise(name="分页测试有限公司")
    published_penalty(
        penalty(firm, today - dt.timedelta(days=30)), today - dt.timedelta(days=30), until=today + dt.timedelta(days=90)
    )
    for n in range(25):  # newer than the penalty: a list of the newest facts of every kind would hide it
        make_fact(
            firm, "sampling.result_published", today, data={"verdict": "pass"}, public_from=today, label=f"PUB-{n:02d}"
        )
    url = reverse("credit_public:enterprise_profile", args=[firm.uscc])

    first = client.get(url).content.decode()
    assert "无公示中的行政处罚信息" not in first  # the older penalty is still shown
    assert first.count("PUB-") == 20 and "第 1 页" in first and "results_page=2#results" in first

    second = client.get(url, {"results_page": 2}).content.decode()
    assert second.count("PUB-") == 5 and "无公示中的行政处罚信息" not in second
    assert "results_page=1#results" in second and "results_page=3" not in second  # back, and no page 3

"""Staff pages and the enterprise portal: who sees what, the explanation on the class page, the rule editor
with its preview, listing actions, applications with documents."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.models import Role
from core.services import enterprise_account_create
from core.tests.factories import UserFactory
from credit.models import CreditApplication, EnterpriseClass, Listing, RuleSet
from credit.services.classes import recompute_classes
from credit.services.records import take_up_facts
from credit.tests.factories import enterprise, make_fact, penalty, published_penalty


@pytest.fixture
def firm(regions):
    firm = enterprise(name="芙蓉风险电器有限公司")
    make_fact(firm, "sampling.verdict_failed", timezone.localdate(), data={"sample_no": "S-1"})
    make_fact(firm, "recalls.order_refused", timezone.localdate())
    take_up_facts()
    recompute_classes()
    return firm


def test_class_page_shows_explanation_summing_to_class(firm, county_inspector, login):
    client = login(county_inspector)
    response = client.get(reverse("credit:enterprise_detail", args=[firm.pk]))
    assert response.status_code == 200
    stored = EnterpriseClass.objects.get(enterprise=firm)
    text = response.content.decode()
    from credit.kinds import kind_label

    assert "为什么是这个分类" in text and kind_label("recalls.order_refused") in text and str(stored.score) in text
    assert "抽取权重 4.0" in text and "建议检查间隔 3 个月" in text


def test_neighbour_and_institution_cannot_see_class(firm, neighbour_inspector, institution_user, login):
    assert login(neighbour_inspector).get(reverse("credit:enterprise_detail", args=[firm.pk])).status_code == 404
    assert login(institution_user).get(reverse("credit:enterprise_list")).status_code == 403


def test_enterprise_list_query_count(firm, county_inspector, login, django_assert_max_num_queries):
    for _ in range(5):
        enterprise()
    client = login(county_inspector)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("credit:enterprise_list"))
    assert response.status_code == 200 and firm.name in response.content.decode()


def test_rule_editor_preview_then_activate(firm, provincial_admin, login):
    client = login(provincial_admin)
    response = client.post(reverse("credit:rule_new"))
    draft = RuleSet.objects.get(status="draft")
    assert response.status_code == 302
    page = client.get(reverse("credit:rule_edit", args=[draft.pk]))
    assert page.status_code == 200
    data = {
        name: getattr(draft, name)
        for name in (
            "name",
            "decay_mode",
            "decay_months",
            "horizon_months",
            "threshold_b",
            "threshold_c",
            "threshold_d",
            "interval_a",
            "interval_b",
            "interval_c",
            "interval_d",
        )
    }
    for rule in draft.rules.all():
        data[f"points__{rule.kind}__{rule.variant}"] = rule.points
        data[f"per10k__{rule.kind}__{rule.variant}"] = rule.points_per_10k
        data[f"cap__{rule.kind}__{rule.variant}"] = "" if rule.cap is None else rule.cap
    data["points__recalls.order_refused__"] = "5"
    data["preview"] = "1"
    response = client.post(reverse("credit:rule_edit", args=[draft.pk]), data)
    assert response.status_code == 302
    detail = client.get(reverse("credit:rule_detail", args=[draft.pk])).content.decode()
    assert "启用本草稿将使 1 家企业的分类发生变化" in detail and firm.name in detail
    client.post(reverse("credit:rule_activate", args=[draft.pk]))
    assert EnterpriseClass.objects.get(enterprise=firm).credit_class == "C"


def test_bad_threshold_shows_error(provincial_admin, login, db):
    client = login(provincial_admin)
    client.post(reverse("credit:rule_new"))
    draft = RuleSet.objects.get(status="draft")
    response = client.post(
        reverse("credit:rule_edit", args=[draft.pk]),
        {
            "name": "x",
            "decay_mode": "none",
            "decay_months": "12",
            "horizon_months": "60",
            "threshold_b": "5",
            "threshold_c": "1",
            "threshold_d": "30",
            "interval_a": "1",
            "interval_b": "1",
            "interval_c": "1",
            "interval_d": "1",
        },
    )
    assert "B 类起点分 ≤ C 类起点分" in response.content.decode()


def test_listing_pages_and_actions(firm, regions, login):
    handler = UserFactory(username="fr_handler_v", role=Role.CASE_HANDLER, jurisdiction=regions["430102"])
    fact = penalty(firm, timezone.localdate() - dt.timedelta(days=10))
    client = login(handler)
    page = client.get(reverse("credit:listing_list"))
    assert fact.data["decision_no"] in page.content.decode()
    response = client.post(
        reverse("credit:listing_new", args=[fact.pk]), {"reason": "情节严重", "basis": "《办法》第二条"}
    )
    listing = Listing.objects.get()
    assert response.status_code == 302
    detail = client.get(reverse("credit:listing_detail", args=[listing.pk])).content.decode()
    assert "登记送达列入告知书" in detail
    client.post(
        reverse("credit:listing_action", args=[listing.pk, "notice"]), {"served_on": timezone.localdate().isoformat()}
    )
    listing.refresh_from_db()
    assert listing.status == "noticed"
    response = client.post(reverse("credit:listing_action", args=[listing.pk, "submit"]), follow=True)
    assert "届满后方可报送审核" in response.content.decode()


def test_enterprise_portal_shows_countdown_and_files_repair(regions, login):
    firm = enterprise(name="芙蓉食品厂")
    today = timezone.localdate()
    decided = penalty(firm, today - dt.timedelta(days=40), fine="1000.00")
    published = published_penalty(decided, today - dt.timedelta(days=30))
    account = enterprise_account_create(enterprise=firm, username="portal_firm", password="x")
    client = login(account)
    page = client.get(reverse("credit:portal_home")).content.decode()
    assert "最早可于" in page and "申请信用修复" in page and "风险分值" not in page and "信用风险分类" not in page
    # Not yet: the form refuses with the date.
    response = client.post(
        reverse("credit:portal_apply_repair", args=[published.pk]),
        {
            "statement": "已整改",
            "harm_removed": "1",
            "commitment": "1",
            "documents": SimpleUploadedFile("a.pdf", b"%PDF-1.4 x"),
        },
    )
    assert "最早可于" in response.content.decode() and not CreditApplication.objects.exists()
    # Staff pages are closed to it.
    assert client.get(reverse("credit:enterprise_list")).status_code == 403


def test_portal_is_for_enterprise_accounts_only(county_inspector, login, db):
    assert login(county_inspector).get(reverse("credit:portal_home")).status_code == 403

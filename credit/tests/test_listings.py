"""The serious-violation list: the transition table, notice and defence period, the upper bureau's approval,
removal at expiry on the right day, early removal."""

import datetime as dt

import pytest
from constance.test import override_config
from django.core.files.uploadedfile import SimpleUploadedFile

from core.errors import DomainError, PermissionDenied
from core.facts import public_facts
from core.models import Role
from core.models_facts import EnterpriseFact
from core.tests.factories import UserFactory
from core.transitions import TransitionRefused
from credit.models import ApplicationKind, ApplicationStatus, Listing, ListingStatus, ListingStep, RemovalHow
from credit.services.applications import application_decide, application_file
from credit.services.listings import (
    listing_approve,
    listing_decide,
    listing_decline,
    listing_notice,
    listing_propose,
    listing_record_defence,
    listing_submit,
    listings_remove_expired,
)
from credit.tests.factories import enterprise, make_fact, penalty
from credit.transitions import LISTING_FLOW

MONDAY = dt.date(2026, 3, 2)  # served on a Monday: 5 工作日 → Monday 2026-03-09


def pdf(name="证明.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n%test\n", content_type="application/pdf")


@pytest.fixture
def people(regions):
    def user(name, role, code):
        return UserFactory(username=name, role=role, jurisdiction=regions[code])

    return {
        "county_handler": user("fr_handler", Role.CASE_HANDLER, "430102"),
        "county_leader": user("fr_leader", Role.LEADER, "430102"),
        "neighbour_leader": user("tx_leader", Role.LEADER, "430103"),
        "city_leader": user("cs_leader", Role.LEADER, "430100"),
        "province_leader": user("hn_leader2", Role.LEADER, "430000"),
    }


@pytest.fixture
def firm(regions):
    return enterprise()


def _noticed(people, firm, *, on=MONDAY, fine="50000.00"):
    fact = penalty(firm, on - dt.timedelta(days=20), fine=fine)
    listing = listing_propose(
        user=people["county_handler"],
        penalty_fact=fact,
        reason="生产销售不合格产品，情节严重",
        basis="《办法》第二条",
        on=on,
    )
    return listing_notice(user=people["county_handler"], listing=listing, served_on=on)


def _listed(people, firm, *, on=MONDAY, fine="50000.00"):
    listing = _noticed(people, firm, on=on, fine=fine)
    after = listing.defence_due_on + dt.timedelta(days=1)
    listing = listing_submit(user=people["county_handler"], listing=listing, on=after)
    listing = listing_approve(user=people["city_leader"], listing=listing, on=after)
    return listing_decide(user=people["county_leader"], listing=listing, on=after)


class Dummy:
    def __init__(self, status):
        self.status = status


def test_transition_table_every_edge_and_only_those():
    edges = LISTING_FLOW.edges()
    for source, target in LISTING_FLOW.all_pairs():
        if (source, target) in edges:
            LISTING_FLOW.require(Dummy(source), target)
        else:
            with pytest.raises(TransitionRefused):
                LISTING_FLOW.require(Dummy(source), target)


def test_listing_without_notice_is_refused(people, firm):
    fact = penalty(firm, MONDAY)
    listing = listing_propose(user=people["county_handler"], penalty_fact=fact, reason="事由", basis="依据", on=MONDAY)
    assert listing.needs_approval and listing.authority_name == "长沙市芙蓉区市场监督管理局"
    with pytest.raises(TransitionRefused, match="拟列入"):
        listing_decide(user=people["county_leader"], listing=listing, on=MONDAY + dt.timedelta(days=30))


def test_warning_cannot_be_proposed_and_neighbour_cannot(people, firm):
    with pytest.raises(PermissionDenied):
        listing_propose(
            user=people["county_handler"], penalty_fact=penalty(firm, MONDAY, warning_only=True), reason="x", basis="y"
        )
    with pytest.raises(PermissionDenied):
        listing_propose(user=people["neighbour_leader"], penalty_fact=penalty(firm, MONDAY), reason="x", basis="y")


def test_defence_period_must_end_first(people, firm):
    listing = _noticed(people, firm)
    assert listing.defence_due_on == dt.date(2026, 3, 9)
    listing_record_defence(user=people["county_handler"], listing=listing, text="已整改", on=dt.date(2026, 3, 5))
    with pytest.raises(DomainError, match="陈述申辩期限至 2026-03-09 届满"):
        listing_submit(user=people["county_handler"], listing=listing, on=dt.date(2026, 3, 9))
    with pytest.raises(DomainError, match="上一级局审核"):
        listing_decide(user=people["county_leader"], listing=listing, on=dt.date(2026, 3, 10))


def test_county_listing_waits_for_city_approval(people, firm):
    listing = _noticed(people, firm)
    day = dt.date(2026, 3, 10)
    listing = listing_submit(user=people["county_handler"], listing=listing, on=day)
    assert listing.status == ListingStatus.PENDING_APPROVAL
    with pytest.raises(TransitionRefused):
        listing_decide(user=people["county_leader"], listing=listing, on=day)
    with pytest.raises(PermissionDenied):
        listing_approve(user=people["county_leader"], listing=listing, on=day)
    listing = listing_approve(user=people["city_leader"], listing=listing, on=day, note="同意")
    listing = listing_decide(user=people["county_leader"], listing=listing, on=day)
    assert listing.status == ListingStatus.LISTED and listing.listed_on == day
    assert listing.planned_removal_on == dt.date(2029, 3, 12)  # 2029-03-10 is a Saturday → Monday
    fact = EnterpriseFact.objects.get(kind="credit.listed", source_id=str(listing.pk))
    assert fact.public_from == day and fact.data["listing_no"] == listing.number
    actions = list(ListingStep.objects.filter(listing=listing).values_list("action", flat=True))
    assert actions == ["propose", "notice", "submit", "approve", "decide"]


@override_config(CREDIT_LISTING_UPPER_APPROVAL=False)
def test_without_the_approval_setting_a_county_decides_itself(people, firm):
    listing = _noticed(people, firm)
    assert not listing.needs_approval
    listing = listing_decide(user=people["county_leader"], listing=listing, on=dt.date(2026, 3, 10))
    assert listing.status == ListingStatus.LISTED


def test_decline_keeps_the_listing(people, firm):
    listing = _noticed(people, firm)
    listing = listing_decline(user=people["county_leader"], listing=listing, reason="申辩成立", on=dt.date(2026, 3, 10))
    assert Listing.objects.get(pk=listing.pk).status == ListingStatus.NOT_LISTED


def test_removal_at_expiry_on_the_right_day(people, firm):
    listing = _listed(people, firm)
    due = listing.planned_removal_on
    assert listings_remove_expired(today=due - dt.timedelta(days=1)) == []
    assert Listing.objects.get(pk=listing.pk).is_listed_on(due - dt.timedelta(days=1))
    # The job runs a day late: the listing still ends on its due day.
    [removed] = listings_remove_expired(today=due + dt.timedelta(days=1))
    assert (removed.status, removed.removed_on, removed.removal_how) == (ListingStatus.REMOVED, due, RemovalHow.EXPIRY)
    assert not removed.is_listed_on(due)
    ended = EnterpriseFact.objects.get(kind="credit.removed")
    assert ended.ends_id == removed.listed_fact_id and ended.occurred_on == due
    assert not public_facts(due).filter(kind="credit.listed").exists()
    assert public_facts(due - dt.timedelta(days=1)).filter(kind="credit.listed").exists()


def _apply(user, listing, on, harm=True):
    return application_file(
        user=user,
        kind=ApplicationKind.EARLY_REMOVAL,
        listing=listing,
        statement="已缴纳罚款并整改",
        harm_removed=harm,
        commitment=True,
        files=[pdf()],
        on=on,
    )


def test_early_removal_rules(people, firm):
    from core.services import enterprise_account_create

    listing = _listed(people, firm)
    account = enterprise_account_create(enterprise=firm, username="firm_user", password="x")
    year_later = listing.listed_on.replace(year=listing.listed_on.year + 1)
    with pytest.raises(DomainError, match="列入满 1 年后方可申请提前移出"):
        _apply(account, listing, year_later - dt.timedelta(days=1))
    with pytest.raises(DomainError, match="罚款 50,000.00 元尚未缴纳"):
        _apply(account, listing, year_later)
    make_fact(
        firm, "enforcement.fine_paid", listing.listed_on, data={"decision_no": listing.decision_no, "fine": "50000.00"}
    )
    heavier = penalty(firm, listing.listed_on + dt.timedelta(days=60), fine="80000.00")
    with pytest.raises(DomainError, match="更重的行政处罚"):
        _apply(account, listing, year_later)
    assert heavier.pk
    Listing.objects.filter(pk=listing.pk)  # the heavier penalty stays in the ledger; take another enterprise
    other = enterprise()
    listing2 = _listed(people, other, on=dt.date(2026, 4, 6))
    make_fact(other, "enforcement.penalty_fulfilled", listing2.listed_on, data={"decision_no": listing2.decision_no})
    penalty(other, listing2.listed_on + dt.timedelta(days=30), fine="100.00")  # lighter: no obstacle
    account2 = enterprise_account_create(enterprise=other, username="other_user", password="x")
    day = listing2.listed_on.replace(year=2027)
    with pytest.raises(DomainError, match="消除危害后果"):
        _apply(account2, listing2, day, harm=False)
    application = _apply(account2, listing2, day)
    assert application.decision_due_on > day and application.documents.count() == 1
    with pytest.raises(PermissionDenied):
        application_decide(
            user=people["neighbour_leader"], application=application, grant=True, note="", evidence_checked=True, on=day
        )
    with pytest.raises(DomainError, match="审查申请材料"):
        application_decide(
            user=people["county_leader"], application=application, grant=True, note="", evidence_checked=False, on=day
        )
    application = application_decide(
        user=people["county_leader"],
        application=application,
        grant=True,
        note="符合条件",
        evidence_checked=True,
        on=day,
    )
    assert application.status == ApplicationStatus.GRANTED
    listing2.refresh_from_db()
    assert (listing2.status, listing2.removal_how, listing2.removed_on) == (
        ListingStatus.REMOVED,
        RemovalHow.EARLY,
        day,
    )


def test_application_transition_table_every_edge_and_only_those():
    from credit.transitions import APPLICATION_FLOW

    edges = APPLICATION_FLOW.edges()
    for source, target in APPLICATION_FLOW.all_pairs():
        if (source, target) in edges:
            APPLICATION_FLOW.require(Dummy(source), target)
        else:
            with pytest.raises(TransitionRefused):
                APPLICATION_FLOW.require(Dummy(source), target)


def test_listing_pages_are_scoped(people, firm, client, django_assert_max_num_queries):
    from django.urls import reverse

    listing = _noticed(people, firm)
    for _ in range(3):
        _noticed(people, enterprise())
    client.force_login(people["neighbour_leader"])
    assert client.get(reverse("credit:listing_detail", args=[listing.pk])).status_code == 404
    assert listing.number not in client.get(reverse("credit:listing_list")).content.decode()
    client.force_login(people["city_leader"])
    with django_assert_max_num_queries(14):
        page = client.get(reverse("credit:listing_list"))
    assert listing.number in page.content.decode()
    # The neighbour cannot act on it either.
    with pytest.raises(PermissionDenied):
        listing_decline(user=people["neighbour_leader"], listing=listing, reason="x", on=MONDAY)

"""Credit repair of published penalties (信用修复管理办法 art. 6)."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.errors import DomainError
from core.facts import public_facts
from core.models import Role
from core.services import enterprise_account_create
from core.tests.factories import UserFactory
from credit.models import ApplicationDocument, ApplicationKind, CreditApplication
from credit.services.applications import application_decide, application_file, repair_eligibility
from credit.tests.factories import enterprise, make_fact, penalty, published_penalty

PUBLISHED = dt.date(2025, 1, 10)


def pdf():
    return SimpleUploadedFile("缴款凭证.pdf", b"%PDF-1.7\nbody", content_type="application/pdf")


@pytest.fixture
def setting(regions):
    firm = enterprise()
    decided = penalty(firm, PUBLISHED - dt.timedelta(days=5), fine="30000.00")
    published = published_penalty(decided, PUBLISHED, until=dt.date(2028, 1, 10))
    make_fact(firm, "enforcement.fine_paid", PUBLISHED, data={"decision_no": decided.data["decision_no"]})
    account = enterprise_account_create(enterprise=firm, username="repair_firm", password="x")
    leader = UserFactory(username="fr_leader_r", role=Role.LEADER, jurisdiction=regions["430102"])
    return firm, published, account, leader


def _file(account, published, on, files=None):
    return application_file(
        user=account,
        kind=ApplicationKind.PENALTY_REPAIR,
        penalty_fact=published,
        statement="已整改完毕",
        harm_removed=True,
        commitment=True,
        files=files or [pdf()],
        on=on,
    )


def test_repair_waits_six_months_then_ends_publication_the_day_it_is_granted(setting):
    firm, published, account, leader = setting
    eligibility = repair_eligibility(published, today=dt.date(2025, 3, 1))
    assert eligibility.eligible_from == dt.date(2025, 7, 10) and eligibility.days_left(dt.date(2025, 3, 1)) == 131
    with pytest.raises(DomainError, match="最早可于 2025-07-10 申请"):
        _file(account, published, dt.date(2025, 7, 9))
    application = _file(account, published, dt.date(2025, 7, 10))
    grant_day = dt.date(2025, 7, 20)
    application_decide(user=leader, application=application, grant=True, note="", evidence_checked=True, on=grant_day)
    assert public_facts(grant_day - dt.timedelta(days=1)).filter(pk=published.pk).exists()
    assert not public_facts(grant_day).filter(pk=published.pk).exists()
    # The ledger keeps it and its ending.
    assert published.ended_by.get().kind == "credit.penalty_repaired"


def test_food_penalty_waits_a_year_and_non_repairable_is_refused(regions):
    firm = enterprise()
    food = published_penalty(penalty(firm, PUBLISHED, sector="food"), PUBLISHED)
    assert repair_eligibility(food, today=PUBLISHED).eligible_from == dt.date(2026, 1, 12)  # 01-10 is a Saturday
    revoked = published_penalty(penalty(firm, PUBLISHED, repairable=False), PUBLISHED)
    eligibility = repair_eligibility(revoked, today=dt.date(2027, 1, 1))
    assert eligibility.blocked and "不予信用修复" in eligibility.problems[0]


def test_bad_documents_are_refused_and_nothing_is_written(setting):
    firm, published, account, leader = setting
    fake = SimpleUploadedFile("证明.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(DomainError, match="只接受 PDF、JPEG 或 PNG"):
        _file(account, published, dt.date(2025, 8, 1), files=[pdf(), fake])
    assert not CreditApplication.objects.exists() and not ApplicationDocument.objects.exists()
    application = _file(account, published, dt.date(2025, 8, 1))
    document = application.documents.get()
    assert document.file.name.endswith(".pdf") and "证明" not in document.file.name
    assert document.content_type == "application/pdf"


def test_unfulfilled_penalty_cannot_be_repaired(regions):
    firm = enterprise()
    published = published_penalty(penalty(firm, PUBLISHED), PUBLISHED)
    eligibility = repair_eligibility(published, today=dt.date(2026, 1, 1))
    assert any("尚未履行完毕" in p for p in eligibility.problems)

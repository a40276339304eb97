"""Time limits, money, evidence, documents and publication rules of the procedure."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from core import timelimits
from core.errors import DomainError, PermissionDenied
from core.facts import record_fact
from enforcement import services
from enforcement.models import Case, CaseStatus, DocumentKind, EvidenceKind
from enforcement.selectors import public_penalties
from enforcement.services.documents import render_document_pdf
from enforcement.services.publication import mask_personal
from enforcement.tests.factories import build_case, day, register

pytestmark = pytest.mark.django_db


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(out, "PNG")
    return out.getvalue()


def test_filing_limit_counts_working_days_across_national_day(team):
    # Clue on 2025-09-26 (Fri): 9-28 (Sun) and 10-11 (Sat) are make-up working days, 10-01…10-08 the holiday.
    case = register(team, received_on=dt.date(2025, 9, 26))
    clock = timelimits.clock_for(case, "enforcement.filing")
    assert clock.unit == "workday" and clock.amount == 15
    assert clock.due_on == dt.date(2025, 10, 23)
    assert "第十八条" in timelimits.clock_due(clock).basis_display
    services.case_extend_filing(user=team.leader, case=case, reason="案情复杂", on=dt.date(2025, 10, 10))
    assert timelimits.clock_for(case, "enforcement.filing").due_on == dt.date(2025, 11, 13)
    with pytest.raises(DomainError, match="只能延长一次"):
        services.case_extend_filing(user=team.leader, case=case, reason="再延长", on=dt.date(2025, 10, 11))


def test_decision_limit_of_90_days_across_a_holiday_with_pause_and_extension(team):
    case = build_case(team, CaseStatus.INVESTIGATING)  # filed 2026-09-03
    clock = timelimits.clock_for(case, "enforcement.decision")
    assert (clock.amount, clock.unit) == (90, "day")
    assert clock.due_on == dt.date(2026, 12, 2)  # 09-03 + 90 日, a Wednesday
    # Testing from 09-30 to 10-10 (across the National Day): 10 days do not count.
    services.case_pause(user=team.handler, case=case, reason="testing", note="送检", on=dt.date(2026, 9, 30))
    services.case_resume(user=team.handler, case=case, on=dt.date(2026, 10, 10))
    clock = timelimits.clock_for(case, "enforcement.decision")
    assert clock.due_on == dt.date(2026, 12, 14)  # 12-12 is a Saturday: moved to Monday 12-14
    due = timelimits.clock_due(clock)
    assert due.paused_days == 10 and due.moved_from == dt.date(2026, 12, 12)
    services.case_extend_decision(user=team.leader, case=case, reason="案情复杂", on=dt.date(2026, 11, 20))
    clock = timelimits.clock_for(case, "enforcement.decision")
    assert clock.due_on == dt.date(2027, 1, 11)  # 12-12 + 30 日 = 01-11
    with pytest.raises(DomainError, match="集体讨论"):
        services.case_extend_decision(user=team.leader, case=case, reason="再延长", on=dt.date(2026, 11, 21))
    with pytest.raises(PermissionDenied):
        services.case_extend_decision(user=team.handler, case=case, reason="延长", on=dt.date(2026, 11, 21))


def test_late_fee_on_a_given_day(team):
    case = build_case(team, CaseStatus.SERVED)  # fine 50000 + confiscation 1200, served 2026-09-28
    assert timelimits.clock_for(case, "enforcement.payment").due_on == dt.date(2026, 10, 13)  # 10-13 (Tue)
    assert services.late_fee(case, dt.date(2026, 10, 13)) == Decimal("0.00")
    assert services.late_fee(case, dt.date(2026, 10, 17)) == Decimal("6000.00")  # 4 days × 3 % × 50000
    assert services.late_fee(case, dt.date(2027, 3, 1)) == Decimal("50000.00")  # capped at the fine
    services.payment_record(user=team.handler, case=case, amount="30000.00", paid_on=day(30), instalment=True)
    assert services.late_fee(Case.objects.get(pk=case.pk), dt.date(2026, 10, 14)) == Decimal("600.00")


def test_two_credentialed_handlers_are_required(team):
    case = build_case(team, CaseStatus.CHECKING)
    with pytest.raises(DomainError, match="至少需要两名"):
        services.case_request_filing(user=team.handler, case=case, handlers=[team.handler], title="案", facts="事实")
    with pytest.raises(DomainError, match="没有执法证"):
        services.case_request_filing(
            user=team.handler, case=case, handlers=[team.handler, team.leader], title="案", facts="事实"
        )


def test_reviewer_must_not_be_a_handler_and_decision_needs_agreement(team):
    case = build_case(team, CaseStatus.LEGAL_REVIEW)
    team.handler.role = "legal_reviewer"
    team.handler.save()
    with pytest.raises(PermissionDenied):
        services.case_review(user=team.handler, case=case, opinion="agree", comment="同意")
    services.case_review(user=team.reviewer, case=case, opinion="disagree", comment="处罚过重", on=day(11))
    assert Case.objects.get(pk=case.pk).status == CaseStatus.INVESTIGATING


def test_simple_procedure_limits(team):
    case = register(team)
    with pytest.raises(DomainError, match="3000"):
        services.case_decide_simple(
            user=team.handler, case=case, penalty_types=["fine"], fine="3000.01", facts="事实", bases=[team.basis]
        )
    with pytest.raises(DomainError, match="200"):
        services.case_decide_simple(
            user=team.handler,
            case=case,
            penalty_types=["fine"],
            fine="201",
            facts="事实",
            bases=[team.basis],
            party_type="person",
        )


def test_evidence_checked_by_content_and_frozen_after_decision(team):
    case = build_case(team, CaseStatus.INVESTIGATING)
    fake = SimpleUploadedFile("photo.png", b"not an image at all", content_type="image/png")
    with pytest.raises(DomainError, match="按文件内容识别"):
        services.evidence_add(
            user=team.handler, case=case, kind=EvidenceKind.PHYSICAL, title="样品", collected_on=day(4), upload=fake
        )
    evidence = services.evidence_add(
        user=team.handler,
        case=case,
        kind=EvidenceKind.PHYSICAL,
        title="样品照片",
        collected_on=day(4),
        upload=SimpleUploadedFile("../../etc/passwd.png", _png()),
    )
    assert evidence.content_type == "image/png" and "passwd" not in evidence.file.name
    fix = services.evidence_add(
        user=team.handler,
        case=case,
        kind=EvidenceKind.PHYSICAL,
        title="样品照片（更正）",
        collected_on=day(4),
        corrects=evidence,
        correction_reason="拍摄日期有误",
    )
    assert fix.corrects == evidence
    from django.db import DatabaseError, transaction

    with pytest.raises(DatabaseError), transaction.atomic():
        type(evidence).objects.filter(pk=evidence.pk).update(title="改")
    decided = build_case(team, CaseStatus.DECIDED)
    with pytest.raises(DomainError, match="证据已固定"):
        services.evidence_add(
            user=team.handler, case=decided, kind=EvidenceKind.DOCUMENTARY, title="补充", collected_on=day(25)
        )


def test_decision_pdf_text_and_numbers(team):
    case = build_case(team, CaseStatus.DECIDED)
    document = case.documents.get(kind=DocumentKind.DECISION)
    assert document.number.startswith("湘长芙市监处罚〔2026〕") and document.number.endswith("号")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(render_document_pdf(document))).pages)
    text = text.replace(" ", "").replace("\n", "")
    assert case.party_name in text
    assert "电热水壶500台" in text
    assert "第四十九条" in text
    assert "罚款人民币50000.00元" in text
    assert "行政复议" in text and "行政诉讼" in text
    second = build_case(team, CaseStatus.DECIDED)
    assert second.decision_no != case.decision_no


def test_the_decision_pdf_in_english_has_its_title_labels_and_citation_in_english(team):
    from django.utils import translation

    case = build_case(team, CaseStatus.DECIDED)
    document = case.documents.get(kind=DocumentKind.DECISION)
    with translation.override("en"):
        pdf = render_document_pdf(document)
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "Administrative penalty decision" in text and "行政处罚决定书" not in text
    assert "Product Quality Law of the People's Republic of China, Art. 49" in text
    # The issued text stays as issued: the number and the facts are the Chinese record.
    assert document.number in text


def test_publication_masks_personal_data_and_ends_with_its_period(team):
    assert (
        mask_personal("联系人 13812345678，身份证 430102199001011234")
        == "联系人 138****5678，身份证 430102********1234"
    )
    open_case = build_case(team, CaseStatus.INVESTIGATING)
    case = build_case(team, CaseStatus.DECIDED)
    Case.objects.filter(pk=case.pk).update(facts=case.facts + "举报人电话 13812345678")
    publication = services.penalty_publish(user=team.leader, case=Case.objects.get(pk=case.pk), on=day(26))
    assert "138****5678" in publication.facts
    assert publication.display_until == dt.date(2029, 9, 27)  # 3 年 (fine over the threshold), 09-27 is a Thursday
    assert list(public_penalties(on=day(27))) == [publication]
    assert not public_penalties(on=day(27)).filter(case=open_case).exists()
    assert not public_penalties(on=dt.date(2029, 9, 28)).exists()
    # Credit repair ends the published fact: the penalty is no longer shown.
    from core.facts import facts_of_source

    published = facts_of_source(publication, kind="enforcement.penalty_published").get()
    from django.db import transaction

    from core.facts import register_fact_kind

    register_fact_kind("credit.penalty_repaired", "信用修复", category="credit")
    with transaction.atomic():
        record_fact(enterprise=case.enterprise, kind="credit.penalty_repaired", source=case, on=day(60), ends=published)
    assert not public_penalties(on=day(61)).exists()


def test_warning_only_is_not_published_and_low_fine_shows_three_months(team):
    case = build_case(team, CaseStatus.DECIDED, fine="5000.00", confiscation=None, penalty_types=["fine"])
    publication = services.penalty_publish(user=team.leader, case=case, on=day(26))
    assert publication.display_until == dt.date(2026, 12, 28)  # 3 个月 from 09-27 → 12-27 (Sun) → 12-28
    warning = services.case_decide_simple(
        user=team.handler, case=register(team), penalty_types=["warning"], facts="事实", bases=[team.basis], on=day(1)
    )
    with pytest.raises(DomainError):
        services.penalty_publish(user=team.leader, case=warning, on=day(2))


def test_cancelling_a_decided_case_withdraws_its_publication(team):
    case = build_case(team, CaseStatus.DECIDED)
    services.penalty_publish(user=team.leader, case=case, on=day(26))
    services.case_cancel(user=team.leader, case=Case.objects.get(pk=case.pk), reason="行政复议撤销原决定")
    publication = case.publications.get()
    assert publication.withdrawn_on and "行政复议" in publication.withdrawal_reason
    assert not public_penalties().exists()

"""Case documents (执法文书): numbered in the bureau's style, stored with the snapshot they print, rendered
to PDF through core's renderer. A number comes from the bureau's yearly series and is never reused."""

from __future__ import annotations

import datetime as dt

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from core.reports.render import html_to_pdf
from enforcement.models import Case, CaseDocument, DocumentKind, Outcome, PartyType
from enforcement.services.common import bureau_for, document_number

# The word of each numbered series: 湘长市监处罚〔2026〕12号, 湘长市监罚告〔2026〕3号 …
NUMBER_WORDS = {
    DocumentKind.FILING: "立",
    DocumentKind.NOTICE: "罚告",
    DocumentKind.HEARING_NOTICE: "听告",
    DocumentKind.DECISION: "处罚",
    DocumentKind.CLOSING: "结",
}
NO_PENALTY_WORD = "不罚"

# The party's remedies (行政复议法 2023 art. 20: 60 日; 行政诉讼法 art. 46: 6 个月).
REVIEW_DAYS = 60
LITIGATION_MONTHS = 6


def decision_number(case: Case, on: dt.date) -> str:
    word = NUMBER_WORDS[DocumentKind.DECISION] if case.outcome != Outcome.NO_PENALTY else NO_PENALTY_WORD
    return document_number(bureau_for(case.region), on.year, word)


def _people(users) -> list[dict]:
    return [{"name": u.display_name, "credential": u.enforcement_credential} for u in users]


def document_snapshot(case: Case, kind: str, on: dt.date) -> dict:
    """Everything the document prints, as served: party, facts, evidence, bases, penalty, rights, bureau."""
    from enforcement.services.procedure import penalty_text

    bureau = bureau_for(case.region)
    latest_review = case.reviews.order_by("-id").first()
    discussion = case.discussions.order_by("-id").first()
    payment_due = None
    from core.timelimits import clock_for

    payment_clock = clock_for(case, "enforcement.payment")
    if payment_clock is not None:
        payment_due = payment_clock.due_on.isoformat()
    return {
        "kind": kind,
        "title": _document_title(case, kind),
        "issued_on": on.isoformat(),
        "bureau": {
            "name": bureau.name,
            "address": bureau.address,
            "phone": bureau.phone,
            "review_body": bureau.review_body,
            "court": bureau.court,
        },
        "case": {
            "case_no": case.case_no,
            "title": case.title,
            "source": case.get_source_display(),
            "procedure": case.get_procedure_display(),
            "discovered_on": case.discovered_on.isoformat(),
            "filed_on": case.filed_on.isoformat() if case.filed_on else "",
            "notified_on": case.notified_on.isoformat() if case.notified_on else "",
            "decided_on": case.decided_on.isoformat() if case.decided_on else "",
            "served_on": case.served_on.isoformat() if case.served_on else "",
            "served_how": case.served_how,
            "closed_on": case.closed_on.isoformat() if case.closed_on else "",
            "decision_no": case.decision_no,
            "violation_type": case.violation_type,
            "facts": case.facts,
            "report": case.investigation_report,
            "defence": case.defence_text,
            "decision_reason": case.decision_reason,
            "closing_summary": case.closing_summary,
            "outcome": case.outcome,
            "penalty": penalty_text(case),
            "fine": f"{case.fine:.2f}" if case.fine is not None else "",
            "confiscation": f"{case.confiscation:.2f}" if case.confiscation is not None else "",
            "illegal_gains": f"{case.illegal_gains:.2f}" if case.illegal_gains is not None else "",
            "goods_value": f"{case.goods_value:.2f}" if case.goods_value is not None else "",
            "paid_total": f"{case.paid_total:.2f}",
            "payment_due": payment_due,
            "hearing_eligible": case.hearing_eligible,
            "hearing_on": case.hearing_on.isoformat() if case.hearing_on else "",
            "hearing_place": case.hearing_place,
            "hearing_host": case.hearing_host,
            "hearing_record": case.hearing_record,
            "not_filed_reason": case.not_filed_reason,
        },
        "party": {
            "name": case.party_name,
            "type": case.party_type,
            "type_label": str(PartyType(case.party_type).label),
            "id_no": case.party_id_no,
            "representative": case.party_representative,
            "address": case.party_address,
            "phone": case.party_phone,
        },
        "handlers": _people(case.handlers.order_by("id")),
        "approved_by": case.filing_approved_by.display_name if case.filing_approved_by_id else "",
        "decided_by": case.decided_by.display_name if case.decided_by_id else "",
        "bases": [
            {"law": b.law, "article": b.article, "summary": b.summary, "penalty_text": b.penalty_text}
            for b in case.legal_bases.order_by("order", "id")
        ],
        "evidence": [
            {"kind": e.get_kind_display(), "title": e.title, "collected_on": e.collected_on.isoformat()}
            for e in case.evidence.order_by("created_at", "id")
        ],
        "review": {
            "opinion": latest_review.get_opinion_display(),
            "comment": latest_review.comment,
            "reviewer": latest_review.reviewer.display_name,
            "reviewed_on": latest_review.reviewed_on.isoformat(),
        }
        if latest_review
        else None,
        "discussion": {
            "held_on": discussion.held_on.isoformat(),
            "participants": discussion.participants,
            "conclusion": discussion.conclusion,
        }
        if discussion
        else None,
        "rights": {"review_days": REVIEW_DAYS, "litigation_months": LITIGATION_MONTHS},
    }


def _document_title(case: Case, kind: str) -> str:
    if kind == DocumentKind.DECISION and case.outcome == Outcome.NO_PENALTY:
        return _("不予行政处罚决定书")
    if kind == DocumentKind.DECISION and case.procedure == "simple":
        return _("当场行政处罚决定书")
    return str(DocumentKind(kind).label)


def document_issue(*, case: Case, kind: str, user, on: dt.date, number: str | None = None) -> CaseDocument:
    """Issue a document of the case (in the caller's transaction): its number and its snapshot."""
    if number is None:
        word = NUMBER_WORDS.get(kind)
        number = document_number(bureau_for(case.region), on.year, word) if word else ""
    from enforcement.services.common import event

    document = CaseDocument.objects.create(
        case=case,
        kind=kind,
        number=number,
        issued_on=on,
        snapshot=document_snapshot(case, kind, on),
        issued_by=user if getattr(user, "pk", None) else None,
    )
    event(
        case,
        "document",
        _("制作%(title)s %(no)s") % {"title": document.snapshot["title"], "no": number},
        user=user,
        on=on,
    )
    return document


def render_document_html(document: CaseDocument) -> str:
    from django.conf import settings

    return render_to_string(
        "enforcement/documents/document.html",
        {"doc": document.snapshot, "number": document.number, "font_family": settings.REPORT_FONT_FAMILY},
    )


def render_document_pdf(document: CaseDocument) -> bytes:
    return html_to_pdf(render_document_html(document))

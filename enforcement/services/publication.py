"""Payments, the late fee, and the publication of decisions (行政处罚信息公示, SAMR Order 45 of 2021)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core import timelimits
from core.errors import DomainError
from core.facts import facts_of_source, record_fact
from core.models_timelimits import ClockState
from enforcement import policies
from enforcement.models import Case, CaseStatus, OverturnKind, PartyType, Payment, PenaltyPublication, PenaltyType
from enforcement.services.common import (
    CENT,
    bureau_for,
    check,
    clock,
    event,
    locked,
    money,
    refresh_next_due,
    require_text,
    start_clock,
    stop_clock,
    today,
)

# 加处罚款 (行政处罚法 art. 72): 3 % of the fine a day, in total at most the fine.
LATE_FEE_RATE = Decimal("0.03")
LATE_FEE_BASIS = gettext_noop("《中华人民共和国行政处罚法》第七十二条")


def payment_due_on(case: Case) -> dt.date | None:
    running = clock(case, "enforcement.payment")
    if running is None:
        return None
    return timelimits.clock_due(running).due


def late_fee(case: Case, on: dt.date) -> Decimal:
    """The late fee owed on ``on``: 3 % of the unpaid fine for each day after the payment limit, capped at
    the fine (行政处罚法 art. 72). Payments made by ``on`` reduce the fine it is computed on."""
    due = payment_due_on(case)
    fine = case.fine or Decimal("0")
    if due is None or fine <= 0 or on <= due:
        return Decimal("0.00")
    paid_by_due = sum((p.amount for p in case.payments.filter(paid_on__lte=due)), Decimal("0"))
    unpaid = max(fine - paid_by_due, Decimal("0"))
    if unpaid <= 0:
        return Decimal("0.00")
    days = (on - due).days
    fee = (unpaid * LATE_FEE_RATE * days).quantize(CENT, rounding=ROUND_HALF_UP)
    return min(fee, unpaid.quantize(CENT))


@transaction.atomic
def payment_record(
    *, user, case: Case, amount, paid_on: dt.date, receipt_no: str = "", late_fee_paid=None, instalment: bool = False
) -> Payment:
    """A payment or an instalment (分期缴纳, 行政处罚法 art. 66) against the fine and confiscation."""
    case = locked(case)
    check(policies.can_record_payment(user, case), _("您无权登记缴款。"))
    try:
        amount = money(amount)
        fee = money(late_fee_paid) or Decimal("0.00")
    except Exception:
        raise DomainError(_("金额（元）：请输入金额。"))
    if amount is None or amount <= 0:
        raise DomainError(_("金额（元）：必须大于 0。"))
    if amount > case.outstanding_total:
        raise DomainError(_("金额（元）：超过未缴金额 %(amount)s 元。") % {"amount": case.outstanding_total})
    if paid_on > today() or (case.served_on and paid_on < case.served_on):
        raise DomainError(_("缴款日期：应在送达日之后、今天之前。"))
    payment = Payment.objects.create(
        case=case,
        amount=amount,
        late_fee=fee,
        paid_on=paid_on,
        receipt_no=receipt_no.strip(),
        is_instalment=instalment,
        recorded_by=user,
    )
    case.paid_total = (case.paid_total or Decimal("0")) + amount
    fields = ["paid_total"]
    if case.outstanding_total <= 0:
        case.fine_paid_on = paid_on
        fields.append("fine_paid_on")
    case.save(update_fields=[*fields, "updated_at"])
    event(case, "paid", _("缴纳罚没款 %(amount)s 元") % {"amount": amount}, user=user, on=paid_on)
    if case.fine_paid_on:
        stop_clock(case, "enforcement.payment", paid_on)
        refresh_next_due(case)
        if case.enterprise_id:
            record_fact(
                enterprise=case.enterprise,
                kind="enforcement.fine_paid",
                source=case,
                on=paid_on,
                data={"decision_no": case.decision_no, "fine": f"{case.fine or 0:.2f}", "paid_on": paid_on.isoformat()},
                summary=_("罚没款已缴清"),
                user=user,
            )
    return payment


def fines_overdue_record(*, on: dt.date | None = None) -> int:
    """Daily job: a fact for each served decision whose payment limit passed unpaid (once per case)."""
    on = on or today()
    from django.contrib.contenttypes.models import ContentType

    from core.models_timelimits import Clock

    content_type = ContentType.objects.get_for_model(Case)
    ids = Clock.objects.filter(
        content_type=content_type, limit__key="enforcement.payment", state=ClockState.RUNNING, due_on__lt=on
    ).values_list("object_id", flat=True)
    count = 0
    for case in Case.objects.filter(pk__in=[int(i) for i in ids], enterprise__isnull=False).select_related(
        "enterprise"
    ):
        if facts_of_source(case, kind="enforcement.fine_overdue").exists():
            continue
        with transaction.atomic():
            due = payment_due_on(case)
            record_fact(
                enterprise=case.enterprise,
                kind="enforcement.fine_overdue",
                source=case,
                on=on,
                data={"decision_no": case.decision_no, "fine": f"{case.fine or 0:.2f}", "due_on": due.isoformat()},
                summary=_("逾期未缴纳罚款"),
            )
            count += 1
    return count


# --- Publication -------------------------------------------------------------------------------------

ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[\dXx])(?![0-9A-Za-z])")
MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")
LANDLINE = re.compile(r"(?<!\d)(0\d{2,3})-?\d{4}(\d{3,4})(?!\d)")


def mask_personal(text: str) -> str:
    """Personal identifiers and phone numbers masked (Order 45 art. 7): 430102********1234, 138****5678."""
    text = ID_NUMBER.sub(lambda m: m.group(1) + "********" + m.group(2), text or "")
    text = MOBILE.sub(lambda m: m.group(1) + "****" + m.group(2), text)
    return LANDLINE.sub(lambda m: m.group(1) + "-****" + m.group(2), text)


def mask_name(name: str) -> str:
    """A natural person's name as published: 张*、欧阳**."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    keep = 2 if len(name) >= 4 else 1
    return name[:keep] + "*" * (len(name) - keep)


def low_fine_threshold() -> Decimal:
    from constance import config

    return Decimal(str(getattr(config, "PENALTY_LOW_FINE_THRESHOLD", 10000)))


def display_is_short(case: Case) -> bool:
    """Order 45 art. 13: 3 个月 for 通报批评 or a low fine only (the province sets the threshold); 3 年 otherwise."""
    codes = set(case.penalty_types) - {PenaltyType.WARNING}
    if not codes or not codes <= {PenaltyType.CRITICISM, PenaltyType.FINE}:
        return False
    return PenaltyType.FINE not in codes or (case.fine or Decimal("0")) <= low_fine_threshold()


@transaction.atomic
def penalty_publish(*, user, case: Case, on: dt.date | None = None) -> PenaltyPublication:
    """Publish a decided penalty within 20 工作日 (Order 45 art. 9); warning-only decisions are not published
    (art. 2). Personal data is masked; the display period is 3 个月 or 3 年 (art. 13)."""
    from enforcement.services.procedure import is_warning_only, penalty_fact_data, penalty_text

    case = locked(case)
    check(policies.can_publish(user, case), _("您无权公示该处罚决定，或该决定已公示。"))
    if is_warning_only(case):
        raise DomainError(_("仅给予警告的行政处罚信息不予公示（《市场监督管理行政处罚信息公示规定》第二条）。"))
    on = on or today()
    if on < case.decided_on or on > today():
        raise DomainError(_("公示日期：应在决定日之后、今天之前。"))
    key = "enforcement.display_short" if display_is_short(case) else "enforcement.display_long"
    display = timelimits.due_for(key, on)
    is_person = case.party_type == PartyType.PERSON
    bases = "；".join(f"{b.law}{b.article}" for b in case.legal_bases.order_by("order", "id"))
    publication = PenaltyPublication.objects.create(
        case=case,
        decision_no=case.decision_no,
        party_name=mask_name(case.party_name) if is_person else case.party_name,
        party_id_no="" if is_person else case.party_id_no,
        party_representative="" if is_person else case.party_representative,
        violation_type=case.violation_type or case.title,
        facts=mask_personal(case.facts),
        penalty=penalty_text(case),
        basis=bases,
        authority=bureau_for(case.region).name,
        decided_on=case.decided_on,
        published_on=on,
        display_until=display.due,
        region=case.region,
        published_by=user,
    )
    stop_clock(case, "enforcement.publication", on)
    refresh_next_due(case)
    event(case, "published", _("公示行政处罚信息，公示至 %(until)s") % {"until": display.due}, user=user, on=on)
    if case.enterprise_id:
        record_fact(
            enterprise=case.enterprise,
            kind="enforcement.penalty_published",
            source=publication,
            on=on,
            data={**penalty_fact_data(case), "authority": publication.authority},
            summary=_("行政处罚信息公示：%(no)s") % {"no": case.decision_no},
            public_from=on,
            public_until=display.due,
            user=user,
        )
    return publication


@transaction.atomic
def penalty_push(*, user, case: Case, recipient: str, on: dt.date | None = None) -> Case:
    """推送 the decision of a party registered in another province to its registration authority within
    10 工作日 (Order 45 art. 10); that authority publishes it within 10 工作日 of receipt."""
    case = locked(case)
    check(policies.can_push_publication(user, case), _("该案当事人不在外省登记，或已推送，或您无权推送。"))
    on = on or today()
    if on < case.decided_on or on > today():
        raise DomainError(_("推送日期：应在决定日之后、今天之前。"))
    case.publication_pushed_to = require_text(recipient, _("推送至"))[:128]
    case.publication_pushed_on = on
    case.save(update_fields=["publication_pushed_on", "publication_pushed_to", "updated_at"])
    stop_clock(case, "enforcement.publication_push", on)
    refresh_next_due(case)
    event(
        case,
        "pushed",
        _("行政处罚信息已推送至当事人登记地：%(to)s") % {"to": case.publication_pushed_to},
        user=user,
        on=on,
    )
    return case


WITHDRAWAL_LIMIT = "enforcement.publication_withdrawal"


@transaction.atomic
def decision_overturned(
    *,
    user,
    publication: PenaltyPublication,
    kind: str,
    on: dt.date,
    authority: str,
    document_no: str = "",
) -> PenaltyPublication:
    """The published decision was changed, revoked or held void (by 行政复议, a court, or the bureau itself):
    from ``on`` the publication must come down within 3 工作日 (Order 45 art. 11). Starts that clock; the
    withdrawal stops it. The publication stays up until someone withdraws it, so the due item is visible."""
    publication = PenaltyPublication.objects.select_for_update().get(pk=publication.pk)
    check(policies.can_withdraw_publication(user, publication), _("您无权登记该决定的变更情形。"))
    if publication.overturned_on:
        raise DomainError(_("该决定的变更情形已登记。"))
    if kind not in OverturnKind.values:
        raise DomainError(_("变更情形：请选择变更、撤销或确认无效。"))
    if on is None or on > today():
        raise DomainError(_("决定被变更、撤销或确认无效的日期：不能晚于今天。"))
    if on < publication.decided_on:
        raise DomainError(_("决定被变更、撤销或确认无效的日期：不能早于处罚决定日期。"))
    authority = require_text(authority, _("作出机关"))
    case = publication.case
    running = start_clock(case, WITHDRAWAL_LIMIT, on)
    publication.overturned_on = on
    publication.overturn_kind = kind
    publication.overturn_authority = authority[:128]
    publication.overturn_document_no = (document_no or "").strip()[:64]
    publication.withdrawal_due_on = timelimits.clock_due(running).due
    publication.save(
        update_fields=[
            "overturned_on",
            "overturn_kind",
            "overturn_authority",
            "overturn_document_no",
            "withdrawal_due_on",
        ]
    )
    event(
        case,
        "overturned",
        _("处罚决定被%(kind)s（%(authority)s %(doc)s），应于 %(due)s 前撤下公示")
        % {
            "kind": OverturnKind(kind).label,
            "authority": authority,
            "doc": publication.overturn_document_no,
            "due": publication.withdrawal_due_on.isoformat(),
        },
        user=user,
        on=on,
    )
    if kind in (OverturnKind.REVOKED, OverturnKind.VOID):
        # The penalty no longer stands: its credit record ends (a changed decision stands, in its new form).
        decided = facts_of_source(case, kind="enforcement.penalty_decided").first()
        if decided is not None:
            record_fact(
                enterprise=decided.enterprise,
                kind="enforcement.penalty_revoked",
                source=publication,
                on=on,
                data={"kind": kind, "authority": authority, "document_no": publication.overturn_document_no},
                summary=_("行政处罚决定被%(kind)s") % {"kind": OverturnKind(kind).label},
                ends=decided,
                user=user,
            )
    refresh_next_due(case)
    return publication


@transaction.atomic
def penalty_withdraw(
    *, user, publication: PenaltyPublication, reason: str, on: dt.date | None = None, check_policy: bool = True
) -> PenaltyPublication:
    """撤下 within 3 工作日 when the decision is changed, revoked or held void (Order 45 art. 11), with the
    reason; the withdrawal ends the published fact."""
    publication = PenaltyPublication.objects.select_for_update().get(pk=publication.pk)
    if check_policy:
        check(policies.can_withdraw_publication(user, publication), _("您无权撤下该公示。"))
    if publication.withdrawn_on:
        raise DomainError(_("该公示已撤下。"))
    publication.withdrawal_reason = require_text(reason, _("撤下理由"))
    publication.withdrawn_on = on or today()
    if publication.overturned_on and publication.withdrawn_on < publication.overturned_on:
        raise DomainError(_("撤下日期：不能早于决定被变更、撤销或确认无效的日期。"))
    publication.save(update_fields=["withdrawn_on", "withdrawal_reason"])
    case = publication.case
    if publication.overturned_on:
        stop_clock(case, WITHDRAWAL_LIMIT, publication.withdrawn_on)
        refresh_next_due(case)
    event(
        case,
        "withdrawn",
        _("撤下行政处罚信息公示：%(reason)s") % {"reason": publication.withdrawal_reason},
        user=user,
        on=publication.withdrawn_on,
    )
    published = facts_of_source(publication, kind="enforcement.penalty_published").first()
    if published is not None:
        record_fact(
            enterprise=published.enterprise,
            kind="enforcement.penalty_withdrawn",
            source=publication,
            on=publication.withdrawn_on,
            data={"reason": publication.withdrawal_reason},
            summary=_("撤下行政处罚信息公示"),
            ends=published,
            user=user,
        )
    return publication


def case_status_allows_publication(case: Case) -> bool:
    return case.status in (CaseStatus.DECIDED, CaseStatus.SERVED, CaseStatus.EXECUTED, CaseStatus.CLOSED)

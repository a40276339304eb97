"""The procedure: one service per transition of ``enforcement.transitions`` (and the steps that move no
status: proposals, pauses, extensions, the hearing record). Each checks its policy and the table, locks the
case, writes with ``update_fields``, puts the step on the timeline and records the ledger facts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from core import timelimits
from core.errors import DomainError
from core.facts import record_fact
from core.models_timelimits import ClockState, TimeUnit
from enforcement import policies
from enforcement.models import (
    UNREPAIRABLE_PENALTIES,
    Case,
    CaseStatus,
    ClueSource,
    Discussion,
    LegalReview,
    Outcome,
    PartyType,
    PauseReason,
    PenaltyType,
    PoliceTransfer,
    Procedure,
    ReviewOpinion,
    Sector,
)
from enforcement.services.common import (
    check,
    clock,
    event,
    locked,
    money,
    move,
    refresh_next_due,
    registered_elsewhere,
    require_text,
    start_clock,
    start_publication_clocks,
    stop_all_clocks,
    stop_clock,
    today,
)

# 简易程序 (行政处罚法 art. 51): a warning, or a fine up to 200 yuan (person) / 3,000 yuan (organisation).
SIMPLE_FINE_LIMITS = {PartyType.PERSON: Decimal("200.00"), PartyType.ORGANISATION: Decimal("3000.00")}
SIMPLE_PENALTIES = {PenaltyType.WARNING, PenaltyType.FINE}
# Penalties that give the party the right to a hearing (行政处罚法 art. 63), besides large fines.
HEARING_PENALTIES = {
    PenaltyType.LOWER_QUALIFICATION,
    PenaltyType.REVOKE_LICENCE,
    PenaltyType.STOP_BUSINESS,
    PenaltyType.CLOSE_DOWN,
    PenaltyType.RESTRICT_EMPLOYMENT,
    PenaltyType.RESTRICT_ACTIVITY,
}
MONEY_PENALTIES = {PenaltyType.FINE, PenaltyType.CONFISCATE_GAINS}


def _on(on: dt.date | None, case: Case | None = None, floor: dt.date | None = None) -> dt.date:
    on = on or today()
    if on > today():
        raise DomainError(_("日期：不能晚于今天。"))
    if floor and on < floor:
        raise DomainError(_("日期：不能早于 %(date)s。") % {"date": floor.isoformat()})
    return on


def _latest_review(case: Case) -> LegalReview | None:
    return case.reviews.order_by("-created_at", "-id").first()


def hearing_fine_threshold(party_type: str) -> Decimal:
    from constance import config

    key = "HEARING_FINE_PERSON" if party_type == PartyType.PERSON else "HEARING_FINE_ORGANISATION"
    return Decimal(str(getattr(config, key, 10000 if party_type == PartyType.PERSON else 100000)))


def penalty_text(case: Case) -> str:
    """处罚内容 as served: 警告；罚款人民币 5000.00 元；没收违法所得 1200.00 元 …"""
    parts = []
    for code in case.penalty_types:
        label = str(PenaltyType(code).label)
        if code == PenaltyType.FINE and case.fine:
            parts.append(_("罚款人民币 %(amount)s 元") % {"amount": case.fine})
        elif code == PenaltyType.CONFISCATE_GAINS and case.confiscation:
            parts.append(_("没收违法所得人民币 %(amount)s 元") % {"amount": case.confiscation})
        elif code == PenaltyType.CONFISCATE_PROPERTY and case.confiscated_goods:
            parts.append(_("没收%(goods)s") % {"goods": case.confiscated_goods})
        else:
            parts.append(label)
    return "；".join(parts)


def is_warning_only(case: Case) -> bool:
    return list(case.penalty_types) == [PenaltyType.WARNING]


def penalty_fact_data(case: Case) -> dict:
    sector = case.sector
    return {
        "decision_no": case.decision_no,
        "penalty_types": list(case.penalty_types),
        "fine": f"{case.fine or Decimal('0.00'):.2f}",
        "confiscation": f"{case.confiscation or Decimal('0.00'):.2f}",
        "illegal_gains": f"{case.illegal_gains or Decimal('0.00'):.2f}",
        "violation_type": case.violation_type,
        "warning_only": is_warning_only(case),
        "sector": sector,
        "repairable": not (set(case.penalty_types) & set(UNREPAIRABLE_PENALTIES)),
    }


def _clean_sector(sector: str | None) -> str:
    sector = sector or ""
    if sector not in Sector.values:
        raise DomainError(_("领域：无效的选项。"))
    return sector


def _clean_penalties(penalty_types, *, fine, confiscation) -> list[str]:
    codes = list(dict.fromkeys(penalty_types or []))
    unknown = [c for c in codes if c not in PenaltyType.values]
    if unknown:
        raise DomainError(_("处罚种类：无效的选项 %(codes)s。") % {"codes": "、".join(unknown)})
    if not codes:
        raise DomainError(_("处罚种类：请至少选择一种。"))
    if PenaltyType.FINE in codes and not fine:
        raise DomainError(_("罚款（元）：选择了罚款时必须填写大于 0 的金额。"))
    if PenaltyType.FINE not in codes and fine:
        raise DomainError(_("罚款（元）：未选择“罚款”时不能填写罚款金额。"))
    if PenaltyType.CONFISCATE_GAINS in codes and not confiscation:
        raise DomainError(_("没收违法所得（元）：选择了没收违法所得时必须填写金额。"))
    return codes


def _clean_money(**values) -> dict:
    cleaned = {}
    labels = {
        "fine": _("罚款（元）"),
        "confiscation": _("没收违法所得（元）"),
        "illegal_gains": _("违法所得（元）"),
        "goods_value": _("涉案货值（元）"),
    }
    for name, value in values.items():
        try:
            amount = money(value)
        except Exception:
            raise DomainError(_("%(field)s：请输入金额。") % {"field": labels[name]})
        if amount is not None and amount < 0:
            raise DomainError(_("%(field)s：不能为负数。") % {"field": labels[name]})
        cleaned[name] = amount
    return cleaned


# --- 核查 and 立案 -------------------------------------------------------------------------------------


@transaction.atomic
def case_start_check(*, user, case: Case, on: dt.date | None = None) -> Case:
    """核查: a credentialed handler takes up the clue."""
    case = locked(case)
    check(policies.can_check(user, case), _("您无权核查该线索。"))
    on = _on(on, floor=case.discovered_on)
    move(case, CaseStatus.CHECKING, user=user, on=on, text=_("开始核查"))
    return case


@transaction.atomic
def case_request_filing(
    *,
    user,
    case: Case,
    handlers,
    title: str,
    facts: str,
    violation_type: str = "",
    on: dt.date | None = None,
) -> Case:
    """提请立案: names the handlers (at least two holding enforcement credentials, 处罚程序规定 art. 11)."""
    case = locked(case)
    check(policies.can_request_filing(user, case), _("您无权提请立案。"))
    on = _on(on, floor=case.discovered_on)
    handlers = list(dict.fromkeys(handlers))
    if len(handlers) < 2:
        raise DomainError(_("承办人：至少需要两名执法人员。"))
    for handler in handlers:
        if not policies.holds_credential(handler):
            raise DomainError(_("承办人：%(name)s 没有执法证，不能承办案件。") % {"name": handler.display_name})
        if not policies.staff_in_case_region(handler, case):
            raise DomainError(_("承办人：%(name)s 不属于本案管辖区域。") % {"name": handler.display_name})
    case.title = require_text(title, _("案由"))
    case.facts = require_text(facts, _("违法事实"))
    case.violation_type = violation_type.strip()
    case.filing_requested_on = on
    case.handlers.set(handlers)
    move(
        case,
        CaseStatus.FILING_APPROVAL,
        user=user,
        on=on,
        text=_("提请立案，承办人：%(names)s") % {"names": "、".join(h.display_name for h in handlers)},
        fields=("title", "facts", "violation_type", "filing_requested_on"),
    )
    return case


@transaction.atomic
def case_approve_filing(*, user, case: Case, on: dt.date | None = None) -> Case:
    """立案: the head approves (处罚程序规定 art. 18); the 90-日 decision limit starts (行政处罚法 art. 60)."""
    from enforcement.services.documents import document_issue

    case = locked(case)
    check(policies.can_approve_filing(user, case), _("只有本辖区负责人可以批准立案。"))
    on = _on(on, floor=case.filing_requested_on)
    case.filed_on, case.filing_approved_by = on, user
    move(
        case,
        CaseStatus.INVESTIGATING,
        user=user,
        on=on,
        text=_("负责人批准立案"),
        fields=("filed_on", "filing_approved_by"),
    )
    stop_clock(case, "enforcement.filing", on)
    start_clock(case, "enforcement.decision", on)
    refresh_next_due(case)
    document_issue(case=case, kind="filing", user=user, on=on)
    if case.enterprise_id:
        record_fact(
            enterprise=case.enterprise,
            kind="enforcement.case_filed",
            source=case,
            on=on,
            data={"case_no": case.case_no, "violation_type": case.violation_type},
            summary=_("立案调查：%(title)s") % {"title": case.title},
            user=user,
        )
        for clue in case.clues.filter(source=ClueSource.COMPLAINT):
            record_fact(
                enterprise=case.enterprise,
                kind="enforcement.complaint_substantiated",
                source=clue,
                on=on,
                data={"case_no": case.case_no},
                summary=_("投诉举报经核查立案"),
                user=user,
            )
    return case


@transaction.atomic
def case_return_filing(*, user, case: Case, reason: str, on: dt.date | None = None) -> Case:
    """The head sends the filing request back for more checking."""
    case = locked(case)
    check(policies.can_approve_filing(user, case), _("只有本辖区负责人可以审批立案。"))
    reason = require_text(reason, _("退回理由"))
    on = _on(on, floor=case.filing_requested_on)
    move(case, CaseStatus.CHECKING, user=user, on=on, text=_("立案申请退回：%(reason)s") % {"reason": reason})
    return case


@transaction.atomic
def case_not_file(*, user, case: Case, reason: str, on: dt.date | None = None) -> Case:
    """不予立案, with its reason, decided by the head."""
    case = locked(case)
    check(policies.can_decide_not_to_file(user, case), _("只有本辖区负责人可以决定不予立案。"))
    case.not_filed_reason = require_text(reason, _("不予立案理由"))
    on = _on(on, floor=case.discovered_on)
    move(
        case,
        CaseStatus.NOT_FILED,
        user=user,
        on=on,
        text=_("不予立案：%(reason)s") % {"reason": case.not_filed_reason},
        fields=("not_filed_reason",),
    )
    stop_all_clocks(case, on)
    refresh_next_due(case)
    return case


@transaction.atomic
def case_extend_filing(*, user, case: Case, reason: str, on: dt.date | None = None) -> Case:
    """+15 工作日 for the filing decision, once, with the head's approval (处罚程序规定 art. 18)."""
    case = locked(case)
    check(policies.can_extend_filing(user, case), _("只有本辖区负责人可以批准延长立案核查期限。"))
    reason = require_text(reason, _("延长理由"))
    on = _on(on, floor=case.discovered_on)
    running = clock(case, "enforcement.filing")
    if running is None or running.state == ClockState.STOPPED:
        raise DomainError(_("立案核查期限已结束，不能延长。"))
    if running.extensions.exists():
        raise DomainError(_("立案核查期限只能延长一次。"))
    rule = timelimits.limit("enforcement.filing_extension")
    timelimits.clock_extend(
        clock=running, user=user, amount=rule.amount, unit=rule.unit, reason=reason, on=on, basis=rule.basis
    )
    refresh_next_due(case)
    event(
        case,
        "filing_extended",
        _("负责人批准延长立案核查期限 %(amount)s：%(reason)s") % {"amount": rule.amount_display, "reason": reason},
        user=user,
        on=on,
    )
    return case


# --- 简易程序 -----------------------------------------------------------------------------------------


@transaction.atomic
def case_decide_simple(
    *,
    user,
    case: Case,
    penalty_types,
    facts: str,
    bases,
    fine=None,
    party_type: str | None = None,
    sector: str = "",
    on: dt.date | None = None,
) -> Case:
    """当场处罚 (简易程序, 行政处罚法 arts. 51–52): a warning or a small fine, decided and served on the spot."""
    from enforcement.services.documents import decision_number, document_issue

    case = locked(case)
    check(policies.can_decide_simple(user, case), _("您无权适用简易程序作出决定。"))
    on = _on(on, floor=case.discovered_on)
    if party_type:
        case.party_type = party_type
    amounts = _clean_money(fine=fine)
    codes = _clean_penalties(penalty_types, fine=amounts["fine"], confiscation=None)
    if set(codes) - SIMPLE_PENALTIES:
        raise DomainError(_("处罚种类：简易程序只能给予警告或者罚款。"))
    limit = SIMPLE_FINE_LIMITS.get(case.party_type, SIMPLE_FINE_LIMITS[PartyType.ORGANISATION])
    if amounts["fine"] and amounts["fine"] > limit:
        raise DomainError(
            _("罚款（元）：简易程序对%(party)s的罚款不得超过 %(limit)s 元（行政处罚法第五十一条）。")
            % {"party": PartyType(case.party_type).label, "limit": limit}
        )
    bases = list(bases)
    if not bases:
        raise DomainError(_("处罚依据：请至少选择一条。"))
    case.facts = require_text(facts, _("违法事实"))
    case.sector = _clean_sector(sector)
    case.procedure = Procedure.SIMPLE
    case.outcome = Outcome.PENALTY
    case.penalty_types = codes
    case.fine = amounts["fine"]
    case.decided_on = case.served_on = on
    case.served_how = _("当场交付")
    case.decided_by = user
    case.decision_no = decision_number(case, on)
    case.legal_bases.set(bases)
    move(
        case,
        CaseStatus.DECIDED,
        user=user,
        on=on,
        text=_("简易程序当场作出处罚决定：%(penalty)s") % {"penalty": penalty_text(case)},
        fields=(
            "facts",
            "sector",
            "procedure",
            "outcome",
            "penalty_types",
            "fine",
            "decided_on",
            "served_on",
            "served_how",
            "decided_by",
            "decision_no",
            "party_type",
        ),
    )
    stop_clock(case, "enforcement.filing", on)
    document_issue(case=case, kind="decision", user=user, on=on, number=case.decision_no)
    _record_decided(case, user, on)
    if not is_warning_only(case):
        start_publication_clocks(case, on)
    refresh_next_due(case)
    return case


# --- 调查取证: proposals, pauses and extensions ----------------------------------------------------


@transaction.atomic
def case_propose(
    *,
    user,
    case: Case,
    report: str,
    facts: str,
    penalty_types,
    bases,
    violation_type: str = "",
    fine=None,
    confiscation=None,
    illegal_gains=None,
    goods_value=None,
    confiscated_goods: str = "",
    major_case: bool = False,
    complex_case: bool = False,
    public_interest: bool = False,
    outcome: str = Outcome.PENALTY,
    sector: str = "",
    on: dt.date | None = None,
) -> Case:
    """调查终结: the handlers' report and proposed penalty; sets which reviews the law requires
    (听证 art. 63, 法制审核 art. 58, 集体讨论 art. 57)."""
    case = locked(case)
    check(policies.can_investigate(user, case), _("您无权提交调查终结报告。"))
    on = _on(on, floor=case.filed_on)
    amounts = _clean_money(fine=fine, confiscation=confiscation, illegal_gains=illegal_gains, goods_value=goods_value)
    if outcome not in (Outcome.PENALTY, Outcome.NO_PENALTY):
        raise DomainError(_("处理意见：无效的选项。"))
    if outcome == Outcome.PENALTY:
        codes = _clean_penalties(penalty_types, fine=amounts["fine"], confiscation=amounts["confiscation"])
        bases = list(bases)
        if not bases:
            raise DomainError(_("处罚依据：请至少选择一条。"))
    else:
        codes, bases = [], list(bases)
        amounts["fine"] = amounts["confiscation"] = None
    case.investigation_report = require_text(report, _("调查终结报告"))
    case.facts = require_text(facts, _("违法事实"))
    case.violation_type = violation_type.strip() or case.violation_type
    case.outcome = outcome
    case.penalty_types = codes
    for name, value in amounts.items():
        setattr(case, name, value)
    case.confiscated_goods = confiscated_goods.strip()
    case.sector = _clean_sector(sector)
    threshold = hearing_fine_threshold(case.party_type)
    case.hearing_eligible = bool(
        set(codes) & HEARING_PENALTIES
        or (case.fine and case.fine >= threshold)
        or (case.confiscation and case.confiscation >= threshold)
    )
    case.major_case = bool(major_case)
    # 不予处罚 is decided without a notice, after the legal review.
    case.legal_review_required = bool(
        major_case or complex_case or public_interest or case.hearing_eligible or outcome == Outcome.NO_PENALTY
    )
    case.save(
        update_fields=[
            "investigation_report", "facts", "violation_type", "outcome", "penalty_types", "fine", "confiscation",
            "illegal_gains", "goods_value", "confiscated_goods", "hearing_eligible", "major_case",
            "legal_review_required", "sector", "updated_at",
        ]
    )  # fmt: skip
    case.legal_bases.set(bases)
    event(
        case,
        "proposed",
        _("调查终结，拟处理意见：%(penalty)s") % {"penalty": penalty_text(case) or Outcome(outcome).label},
        user=user,
        on=on,
    )
    return case


@transaction.atomic
def case_pause(*, user, case: Case, reason: str, note: str = "", on: dt.date | None = None) -> Case:
    """中止计时: testing, appraisal, hearing or public notice do not count towards the 90-日 limit."""
    case = locked(case)
    check(policies.can_pause(user, case), _("您无权中止办案期限。"))
    if reason not in PauseReason.values:
        raise DomainError(_("中止事由：无效的选项。"))
    on = _on(on, floor=case.filed_on)
    running = clock(case, "enforcement.decision")
    if running is None:
        raise DomainError(_("案件尚未立案，没有办案期限。"))
    text = str(PauseReason(reason).label) + (f"：{note.strip()}" if note.strip() else "")
    timelimits.clock_pause(clock=running, user=user, reason=text, on=on)
    refresh_next_due(case)
    event(case, "paused", _("办案期限中止（%(reason)s）") % {"reason": text}, user=user, on=on)
    return case


@transaction.atomic
def case_resume(*, user, case: Case, on: dt.date | None = None) -> Case:
    case = locked(case)
    check(policies.can_pause(user, case) or policies.can_hold_hearing(user, case), _("您无权恢复办案期限。"))
    running = clock(case, "enforcement.decision")
    if running is None:
        raise DomainError(_("案件尚未立案，没有办案期限。"))
    on = _on(on)
    timelimits.clock_resume(clock=running, user=user, on=on)
    refresh_next_due(case)
    event(case, "resumed", _("恢复计算办案期限"), user=user, on=on)
    return case


@transaction.atomic
def case_extend_decision(*, user, case: Case, reason: str, on: dt.date | None = None) -> Case:
    """+30 日 for the decision with the head's approval (处罚程序规定 art. 64); a longer period only by the
    heads' collective discussion (``case_discuss`` with ``extension_days``)."""
    case = locked(case)
    check(policies.can_extend_decision(user, case), _("只有本辖区负责人可以批准延长办案期限。"))
    reason = require_text(reason, _("延长理由"))
    on = _on(on, floor=case.filed_on)
    running = clock(case, "enforcement.decision")
    if running.extensions.exists():
        raise DomainError(_("办案期限已经负责人批准延长一次；再延长须经集体讨论决定。"))
    rule = timelimits.limit("enforcement.decision_extension")
    timelimits.clock_extend(
        clock=running, user=user, amount=rule.amount, unit=rule.unit, reason=reason, on=on, basis=rule.basis
    )
    refresh_next_due(case)
    event(
        case,
        "extended",
        _("负责人批准延长办案期限 %(amount)s：%(reason)s") % {"amount": rule.amount_display, "reason": reason},
        user=user,
        on=on,
    )
    return case


# --- 法制审核 and 告知 --------------------------------------------------------------------------------


@transaction.atomic
def case_submit_review(*, user, case: Case, on: dt.date | None = None) -> Case:
    """提交法制审核 (after the investigation, or again after a hearing)."""
    case = locked(case)
    check(policies.can_submit_review(user, case), _("您无权提交法制审核。"))
    if not case.investigation_report:
        raise DomainError(_("调查终结报告：提交法制审核前须先提交调查终结报告和拟处理意见。"))
    on = _on(on, floor=case.filed_on)
    move(case, CaseStatus.LEGAL_REVIEW, user=user, on=on, text=_("提交法制审核"))
    return case


@transaction.atomic
def case_review(*, user, case: Case, opinion: str, comment: str, on: dt.date | None = None) -> LegalReview:
    """法制审核 by a reviewer other than the handlers, with the opinion 同意 / 退回补充调查 / 不同意."""
    case = locked(case)
    check(policies.can_review(user, case), _("您无权审核该案件（承办人不能审核本人承办的案件）。"))
    if opinion not in ReviewOpinion.values:
        raise DomainError(_("审核意见：请选择同意、退回补充调查或不同意。"))
    comment = require_text(comment, _("审核说明"))
    on = _on(on, floor=case.filed_on)
    review = LegalReview.objects.create(case=case, reviewer=user, opinion=opinion, comment=comment, reviewed_on=on)
    label = ReviewOpinion(opinion).label
    text = _("法制审核意见：%(opinion)s。%(comment)s") % {"opinion": label, "comment": comment}
    if opinion != ReviewOpinion.AGREE:
        move(case, CaseStatus.INVESTIGATING, user=user, on=on, text=text)
    elif case.notified_on is None:
        event(case, "reviewed", text, user=user, on=on)  # 告知 follows (case_notify)
    else:
        event(case, "reviewed", text, user=user, on=on)  # after a hearing: 集体讨论 or 决定 follows
    return review


def review_agreed(case: Case) -> bool:
    latest = _latest_review(case)
    return latest is not None and latest.opinion == ReviewOpinion.AGREE


@transaction.atomic
def case_notify(*, user, case: Case, on: dt.date | None = None) -> Case:
    """告知 (行政处罚法 art. 44): the notice of the proposed penalty, and of the right to a hearing where
    art. 63 gives it; the 5-工作日 periods for the defence and the hearing request start."""
    from enforcement.services.documents import document_issue

    case = locked(case)
    check(policies.can_notify(user, case), _("您无权制作告知书。"))
    if not case.investigation_report:
        raise DomainError(_("调查终结报告：告知前须先提交调查终结报告和拟处理意见。"))
    if case.outcome != Outcome.PENALTY:
        raise DomainError(_("拟不予行政处罚的案件无需告知，请直接提请决定。"))
    if case.legal_review_required and not (case.status == CaseStatus.LEGAL_REVIEW and review_agreed(case)):
        raise DomainError(_("法制审核：本案须经法制审核同意后方可告知（行政处罚法第五十八条）。"))
    on = _on(on, floor=case.filed_on)
    case.notified_on = on
    move(case, CaseStatus.NOTIFIED, user=user, on=on, text=_("送达行政处罚告知书"), fields=("notified_on",))
    document_issue(case=case, kind="notice", user=user, on=on)
    start_clock(case, "enforcement.defence", on)
    if case.hearing_eligible:
        document_issue(case=case, kind="hearing_notice", user=user, on=on)
        start_clock(case, "enforcement.hearing_request", on)
    refresh_next_due(case)
    return case


@transaction.atomic
def case_record_defence(*, user, case: Case, text: str, on: dt.date | None = None) -> Case:
    """陈述申辩: the party's statement, recorded within the period."""
    case = locked(case)
    check(policies.can_record_defence(user, case), _("您无权登记陈述申辩。"))
    case.defence_text = require_text(text, _("陈述申辩意见"))
    on = _on(on, floor=case.notified_on)
    case.defence_on = on
    move(case, CaseStatus.DEFENCE, user=user, on=on, text=_("当事人陈述申辩"), fields=("defence_text", "defence_on"))
    stop_clock(case, "enforcement.defence", on)
    stop_clock(case, "enforcement.hearing_request", on)
    refresh_next_due(case)
    return case


@transaction.atomic
def case_request_hearing(
    *,
    user,
    case: Case,
    hearing_on: dt.date,
    place: str,
    host: str,
    on: dt.date | None = None,
    notice_on: dt.date | None = None,
) -> Case:
    """要求听证 within 5 工作日 of the notice (arts. 64, 85); the hearing is notified 7 工作日 before it is
    held, and the hearing's time does not count towards the decision limit."""
    case = locked(case)
    check(policies.can_request_hearing(user, case), _("本案不适用听证，或您无权登记听证申请。"))
    on = _on(on, floor=case.notified_on)
    request_due = timelimits.due_for("enforcement.hearing_request", case.notified_on)
    if on > request_due.due:
        raise DomainError(
            _("申请日期：已超过申请听证期限（%(due)s，%(basis)s）。")
            % {"due": request_due.due, "basis": request_due.basis_display}
        )
    notice_on = notice_on or on
    earliest = timelimits.due_for("enforcement.hearing_notice", notice_on)
    if hearing_on < earliest.due:
        raise DomainError(
            _("听证日期：应当在举行听证的七个工作日前通知当事人，最早为 %(date)s（%(basis)s）。")
            % {"date": earliest.due.isoformat(), "basis": earliest.basis_display}
        )
    case.hearing_requested_on, case.hearing_notice_on, case.hearing_on = on, notice_on, hearing_on
    case.hearing_place = require_text(place, _("听证地点"))
    case.hearing_host = require_text(host, _("听证主持人"))
    move(
        case,
        CaseStatus.HEARING,
        user=user,
        on=on,
        text=_("当事人要求听证，定于 %(date)s 在%(place)s举行")
        % {"date": hearing_on.isoformat(), "place": case.hearing_place},
        fields=("hearing_requested_on", "hearing_notice_on", "hearing_on", "hearing_place", "hearing_host"),
    )
    stop_clock(case, "enforcement.defence", on)
    stop_clock(case, "enforcement.hearing_request", on)
    running = clock(case, "enforcement.decision")
    if running is not None and running.state == ClockState.RUNNING:
        timelimits.clock_pause(clock=running, user=user, reason=str(PauseReason.HEARING.label), on=on)
    refresh_next_due(case)
    return case


@transaction.atomic
def case_hold_hearing(*, user, case: Case, record: str, on: dt.date | None = None) -> Case:
    """听证笔录: the hearing is held; the decision limit runs again from that day."""
    from enforcement.services.documents import document_issue

    case = locked(case)
    check(policies.can_hold_hearing(user, case), _("您无权登记听证笔录。"))
    if case.hearing_record:
        raise DomainError(_("听证笔录已登记。"))
    on = _on(on, floor=case.hearing_requested_on)
    case.hearing_record = require_text(record, _("听证笔录"))
    case.hearing_on = on
    case.save(update_fields=["hearing_record", "hearing_on", "updated_at"])
    running = clock(case, "enforcement.decision")
    if running is not None and running.state == ClockState.PAUSED:
        timelimits.clock_resume(clock=running, user=user, on=on)
    refresh_next_due(case)
    document_issue(case=case, kind="hearing_record", user=user, on=on)
    event(case, "hearing_held", _("举行听证"), user=user, on=on)
    return case


@transaction.atomic
def case_reopen(*, user, case: Case, reason: str, on: dt.date | None = None) -> Case:
    """The defence raises new facts: back to 调查取证."""
    case = locked(case)
    check(policies.can_reopen_investigation(user, case), _("您无权退回补充调查。"))
    reason = require_text(reason, _("理由"))
    on = _on(on)
    case.notified_on = None
    move(
        case,
        CaseStatus.INVESTIGATING,
        user=user,
        on=on,
        text=_("补充调查：%(reason)s") % {"reason": reason},
        fields=("notified_on",),
    )
    return case


# --- 集体讨论 and 决定 --------------------------------------------------------------------------------


def _defence_period_open(case: Case, on: dt.date) -> dt.date | None:
    """While the party may still state a defence or ask for a hearing, no decision is made."""
    if case.status != CaseStatus.NOTIFIED:
        return None
    dues = [timelimits.due_for("enforcement.defence", case.notified_on).due]
    if case.hearing_eligible:
        dues.append(timelimits.due_for("enforcement.hearing_request", case.notified_on).due)
    last = max(dues)
    return last if on <= last else None


@transaction.atomic
def case_discuss(
    *, user, case: Case, held_on: dt.date, participants: str, conclusion: str, extension_days: int | None = None
) -> Discussion:
    """集体讨论 (行政处罚法 art. 57): date, participants and conclusion; it may also set a longer period for
    the decision than the head's 30-日 extension."""
    case = locked(case)
    check(policies.can_discuss(user, case), _("只有本辖区负责人可以登记集体讨论。"))
    held_on = _on(held_on, floor=case.filed_on)
    if case.legal_review_required and not review_agreed(case):
        raise DomainError(_("法制审核：本案须经法制审核同意后方可提交集体讨论。"))
    if case.outcome == Outcome.PENALTY and case.notified_on is None:
        raise DomainError(_("告知：拟给予行政处罚的案件须先告知当事人（行政处罚法第四十四条）。"))
    blocking = _defence_period_open(case, held_on)
    if blocking:
        raise DomainError(_("陈述申辩、听证申请期限至 %(date)s 届满，届满后方可讨论决定。") % {"date": blocking})
    discussion = Discussion.objects.create(
        case=case,
        held_on=held_on,
        participants=require_text(participants, _("参加人员")),
        conclusion=require_text(conclusion, _("讨论结论")),
        extension_days=extension_days or None,
        recorded_by=user,
    )
    move(
        case,
        CaseStatus.DISCUSSION,
        user=user,
        on=held_on,
        text=_("负责人集体讨论：%(conclusion)s") % {"conclusion": discussion.conclusion},
    )
    if extension_days:
        running = clock(case, "enforcement.decision")
        timelimits.clock_extend(
            clock=running,
            user=user,
            amount=int(extension_days),
            unit=TimeUnit.DAY,
            reason=_("集体讨论决定延长"),
            on=held_on,
            basis=_("行政机关负责人集体讨论决定"),
        )
        refresh_next_due(case)
    for stale in ("enforcement.defence", "enforcement.hearing_request"):
        stop_clock(case, stale, held_on)
    refresh_next_due(case)
    return discussion


def _record_decided(case: Case, user, on: dt.date) -> None:
    if case.enterprise_id and case.outcome == Outcome.PENALTY:
        record_fact(
            enterprise=case.enterprise,
            kind="enforcement.penalty_decided",
            source=case,
            on=on,
            data=penalty_fact_data(case),
            summary=_("行政处罚：%(penalty)s") % {"penalty": penalty_text(case)},
            user=user,
        )


@transaction.atomic
def case_decide(
    *,
    user,
    case: Case,
    outcome: str | None = None,
    reason: str = "",
    penalty_types=None,
    fine=None,
    confiscation=None,
    bases=None,
    on: dt.date | None = None,
) -> Case:
    """决定 (处罚 / 不予处罚) by the head: after 法制审核 where art. 58 requires it, after 集体讨论 where art. 57
    requires it, and not before the party's defence period has ended."""
    from enforcement.services.documents import decision_number, document_issue

    case = locked(case)
    check(policies.can_decide(user, case), _("只有本辖区负责人可以作出处理决定。"))
    on = _on(on, floor=case.filed_on)
    outcome = outcome or case.outcome or Outcome.PENALTY
    if outcome not in (Outcome.PENALTY, Outcome.NO_PENALTY):
        raise DomainError(_("处理结果：无效的选项。"))
    if case.legal_review_required and not review_agreed(case):
        raise DomainError(_("法制审核：本案须经法制审核同意后方可作出决定（行政处罚法第五十八条）。"))
    if case.major_case and not case.discussions.exists():
        raise DomainError(_("集体讨论：重大、复杂案件须经负责人集体讨论决定（行政处罚法第五十七条）。"))
    if outcome == Outcome.PENALTY and case.notified_on is None:
        raise DomainError(_("告知：作出行政处罚决定前须告知当事人（行政处罚法第四十四条）。"))
    blocking = _defence_period_open(case, on)
    if blocking:
        raise DomainError(_("陈述申辩、听证申请期限至 %(date)s 届满，届满前不能作出决定。") % {"date": blocking})
    if case.status == CaseStatus.HEARING and not case.hearing_record:
        raise DomainError(_("听证笔录：听证结束并登记笔录后方可作出决定。"))
    if outcome == Outcome.PENALTY:
        if penalty_types is not None or fine is not None or confiscation is not None:
            amounts = _clean_money(
                fine=fine if fine is not None else case.fine,
                confiscation=confiscation if confiscation is not None else case.confiscation,
            )
            case.penalty_types = _clean_penalties(
                penalty_types if penalty_types is not None else case.penalty_types, **amounts
            )
            case.fine, case.confiscation = amounts["fine"], amounts["confiscation"]
        if not case.penalty_types:
            raise DomainError(_("处罚种类：请至少选择一种。"))
        if bases is not None:
            case.legal_bases.set(list(bases))
        if not case.legal_bases.exists():
            raise DomainError(_("处罚依据：请至少选择一条。"))
    else:
        case.penalty_types, case.fine, case.confiscation = [], None, None
    case.outcome = outcome
    case.decision_reason = reason.strip()
    case.decided_on, case.decided_by = on, user
    case.decision_no = decision_number(case, on)
    label = penalty_text(case) if outcome == Outcome.PENALTY else str(Outcome.NO_PENALTY.label)
    move(
        case,
        CaseStatus.DECIDED,
        user=user,
        on=on,
        text=_("作出决定 %(no)s：%(what)s") % {"no": case.decision_no, "what": label},
        fields=(
            "outcome",
            "decision_reason",
            "decided_on",
            "decided_by",
            "decision_no",
            "penalty_types",
            "fine",
            "confiscation",
        ),
    )
    for key in ("enforcement.decision", "enforcement.defence", "enforcement.hearing_request"):
        stop_clock(case, key, on)
    start_clock(case, "enforcement.delivery", on)
    if outcome == Outcome.PENALTY and not is_warning_only(case):
        start_publication_clocks(case, on)
    refresh_next_due(case)
    document_issue(case=case, kind="decision", user=user, on=on, number=case.decision_no)
    _record_decided(case, user, on)
    return case


# --- 移送公安机关 ---------------------------------------------------------------------------------------


@transaction.atomic
def case_transfer(
    *, user, case: Case, authority: str, reason: str, receipt_no: str = "", on: dt.date | None = None
) -> PoliceTransfer:
    """移送公安机关 (涉嫌犯罪): the case waits in its own state; the decision limit stops while it waits."""
    case = locked(case)
    check(policies.can_transfer(user, case), _("只有本辖区负责人可以批准移送公安机关。"))
    on = _on(on, floor=case.filed_on)
    transfer = PoliceTransfer.objects.create(
        case=case,
        authority=require_text(authority, _("接收机关")),
        reason=require_text(reason, _("移送理由")),
        receipt_no=receipt_no.strip(),
        transferred_on=on,
        created_by=user,
    )
    move(
        case,
        CaseStatus.TRANSFERRED,
        user=user,
        on=on,
        text=_("移送%(authority)s：%(reason)s") % {"authority": transfer.authority, "reason": transfer.reason},
    )
    running = clock(case, "enforcement.decision")
    if running is not None and running.state == ClockState.RUNNING:
        timelimits.clock_pause(clock=running, user=user, reason=_("移送公安机关"), on=on)
    for key in ("enforcement.defence", "enforcement.hearing_request"):
        stop_clock(case, key, on)
    refresh_next_due(case)
    return transfer


@transaction.atomic
def case_police_answer(*, user, case: Case, accepted: bool, answer: str, on: dt.date | None = None) -> Case:
    """The police's answer: accepted (立案侦查) closes the case; declined sends it back to 调查取证."""
    case = locked(case)
    check(policies.can_record_police_answer(user, case), _("您无权登记公安机关回复。"))
    transfer = case.transfers.filter(answered_on__isnull=True).order_by("-id").first()
    if transfer is None:
        raise DomainError(_("没有待回复的移送记录。"))
    on = _on(on, floor=transfer.transferred_on)
    transfer.accepted, transfer.answer, transfer.answered_on = bool(accepted), require_text(answer, _("回复内容")), on
    transfer.save(update_fields=["accepted", "answer", "answered_on"])
    if accepted:
        case.closed_on = on
        case.closing_summary = _("已移送%(authority)s立案侦查。") % {"authority": transfer.authority}
        move(
            case,
            CaseStatus.CLOSED,
            user=user,
            on=on,
            text=_("公安机关立案侦查，本案结案"),
            fields=("closed_on", "closing_summary"),
        )
        stop_all_clocks(case, on)
    else:
        move(
            case,
            CaseStatus.INVESTIGATING,
            user=user,
            on=on,
            text=_("公安机关不予立案，恢复调查：%(answer)s") % {"answer": transfer.answer},
        )
        running = clock(case, "enforcement.decision")
        if running is not None and running.state == ClockState.PAUSED:
            timelimits.clock_resume(clock=running, user=user, on=on)
    refresh_next_due(case)
    return case


# --- 送达, 执行, 结案, 撤销 ------------------------------------------------------------------------------


@transaction.atomic
def case_serve(*, user, case: Case, how: str, on: dt.date | None = None) -> Case:
    """送达 within 7 工作日 (art. 61); the 15-日 payment period runs from receipt (art. 67)."""
    from enforcement.services.documents import document_issue

    case = locked(case)
    check(policies.can_serve(user, case), _("您无权登记送达。"))
    on = _on(on, floor=case.decided_on)
    case.served_on, case.served_how = on, require_text(how, _("送达方式"))
    move(
        case,
        CaseStatus.SERVED,
        user=user,
        on=on,
        text=_("送达决定书（%(how)s）") % {"how": case.served_how},
        fields=("served_on", "served_how"),
    )
    stop_clock(case, "enforcement.delivery", on)
    if (case.fine or 0) + (case.confiscation or 0) > 0:
        start_clock(case, "enforcement.payment", on)
    refresh_next_due(case)
    document_issue(case=case, kind="service", user=user, on=on)
    return case


@transaction.atomic
def case_execute(*, user, case: Case, note: str = "", on: dt.date | None = None) -> Case:
    """执行完毕: every money penalty paid, the other penalties carried out."""
    case = locked(case)
    check(policies.can_execute(user, case), _("您无权登记执行情况。"))
    on = _on(on, floor=case.served_on)
    if case.outstanding_total > 0:
        raise DomainError(_("罚没款尚有 %(amount)s 元未缴清，不能登记执行完毕。") % {"amount": case.outstanding_total})
    case.executed_on = on
    move(
        case,
        CaseStatus.EXECUTED,
        user=user,
        on=on,
        text=_("执行完毕") + (f"：{note.strip()}" if note.strip() else ""),
        fields=("executed_on",),
    )
    return case


@transaction.atomic
def case_close(*, user, case: Case, summary: str, on: dt.date | None = None) -> Case:
    """结案 with the head's approval (结案审批表)."""
    from enforcement.services.documents import document_issue

    case = locked(case)
    check(policies.can_close(user, case), _("只有本辖区负责人可以批准结案。"))
    if case.status == CaseStatus.SERVED and case.outcome == Outcome.PENALTY and not is_warning_only(case):
        raise DomainError(_("处罚决定尚未执行完毕，不能结案。"))
    on = _on(on, floor=case.served_on)
    case.closed_on, case.closing_summary = on, require_text(summary, _("结案报告"))
    move(case, CaseStatus.CLOSED, user=user, on=on, text=_("结案"), fields=("closed_on", "closing_summary"))
    stop_all_clocks(case, on)
    # The publication limit keeps running after closure if the decision is not yet published.
    if case.outcome == Outcome.PENALTY and not is_warning_only(case):
        if not case.publications.exists():
            start_clock(case, "enforcement.publication", case.decided_on)
        if registered_elsewhere(case) and not case.publication_pushed_on:
            start_clock(case, "enforcement.publication_push", case.decided_on)
    refresh_next_due(case)
    document_issue(case=case, kind="closing", user=user, on=on)
    if case.enterprise_id and case.outcome == Outcome.PENALTY:
        record_fact(
            enterprise=case.enterprise,
            kind="enforcement.penalty_fulfilled",
            source=case,
            on=on,
            data={"decision_no": case.decision_no},
            summary=_("行政处罚履行完毕，结案"),
            user=user,
        )
    return case


@transaction.atomic
def case_cancel(*, user, case: Case, reason: str, on: dt.date | None = None) -> Case:
    """撤销 from any open state, with its reason; a published decision is withdrawn with it (Order 45 art. 11)."""
    from enforcement.services.publication import penalty_withdraw

    case = locked(case)
    check(policies.can_cancel(user, case), _("只有本辖区负责人可以撤销案件。"))
    case.cancel_reason = require_text(reason, _("撤销理由"))
    on = _on(on)
    case.cancelled_on, case.status_before_cancel = on, case.status
    move(
        case,
        CaseStatus.CANCELLED,
        user=user,
        on=on,
        text=_("撤销：%(reason)s") % {"reason": case.cancel_reason},
        fields=("cancel_reason", "cancelled_on", "status_before_cancel"),
    )
    stop_all_clocks(case, on)
    refresh_next_due(case)
    for publication in case.publications.filter(withdrawn_on__isnull=True):
        penalty_withdraw(
            user=user,
            publication=publication,
            reason=_("案件已撤销：%(reason)s") % {"reason": case.cancel_reason},
            on=on,
            check_policy=False,
        )
    return case

"""Enterprises' credit applications (信用修复管理办法 2021): early removal from the serious-violation list
(art. 7: listed ≥ 1 年, penalty fulfilled, harm removed, no new heavier penalty) and ending the publication of
a penalty (art. 6: published ≥ 6 个月, 1 年 for food, drugs and special equipment; not for the penalties that
cannot be repaired). Staff decide within the limit after seeing the documents."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError, PermissionDenied
from core.facts import public_facts_q, record_fact
from core.models_facts import EnterpriseFact
from core.timelimits import DueDate, due_for
from credit import policies
from credit.kinds import SPECIAL_SECTORS
from credit.models import ApplicationKind, ApplicationStatus, CreditApplication, Listing, ListingStatus, RemovalHow
from credit.services.documents import attach_documents
from credit.services.listings import listing_remove
from credit.transitions import APPLICATION_FLOW


def _fine(fact: EnterpriseFact) -> Decimal:
    try:
        return Decimal(str((fact.data or {}).get("fine") or "0"))
    except InvalidOperation:
        return Decimal("0")


def _decision_no(fact: EnterpriseFact) -> str:
    return str((fact.data or {}).get("decision_no", ""))


def penalty_fulfilled(enterprise_id: int, decision_no: str) -> bool:
    """A fulfilment fact of the decision: the penalty executed (penalty_fulfilled) or its fine paid."""
    return EnterpriseFact.objects.filter(
        enterprise_id=enterprise_id,
        kind__in=("enforcement.penalty_fulfilled", "enforcement.fine_paid"),
        data__decision_no=decision_no,
    ).exists()


def heavier_penalties_since(penalty: EnterpriseFact, since: dt.date) -> list[EnterpriseFact]:
    """Penalty decisions after ``since`` heavier than ``penalty``: a larger fine, or one that cannot be repaired
    (责令停产停业, 吊销 …). Warnings are not heavier."""
    later = EnterpriseFact.objects.filter(
        enterprise_id=penalty.enterprise_id, kind="enforcement.penalty_decided", occurred_on__gt=since
    ).exclude(pk=penalty.pk)
    fine = _fine(penalty)
    return [
        f
        for f in later
        if not (f.data or {}).get("warning_only") and (_fine(f) > fine or (f.data or {}).get("repairable") is False)
    ]


@dataclass
class Eligibility:
    """Whether, and from when, an application can be made; the reasons it cannot be granted now."""

    due: DueDate | None
    problems: list[str] = field(default_factory=list)
    blocked: bool = False  # cannot ever be made (a non-repairable penalty, a removed listing)

    @property
    def eligible_from(self) -> dt.date | None:
        return self.due.due if self.due else None

    @property
    def ok(self) -> bool:
        return not self.problems

    def days_left(self, today: dt.date) -> int:
        return max(0, (self.eligible_from - today).days) if self.eligible_from else 0


def removal_eligibility(listing: Listing, *, today: dt.date | None = None, harm_removed: bool = True) -> Eligibility:
    today = today or timezone.localdate()
    if listing.status != ListingStatus.LISTED or not listing.is_listed_on(today):
        return Eligibility(None, [_("该企业当前不在严重违法失信名单中。")], blocked=True)
    due = due_for("credit.early_removal_wait", listing.listed_on)
    result = Eligibility(due)
    if today < due.due:
        result.problems.append(
            _("列入满 1 年后方可申请提前移出，最早可于 %(date)s 申请（%(basis)s）。")
            % {"date": due.due.isoformat(), "basis": due.basis}
        )
    penalty = listing.penalty_fact
    if not penalty_fulfilled(listing.enterprise_id, listing.decision_no):
        if _fine(penalty) > 0:
            result.problems.append(
                _("处罚决定 %(no)s 的罚款 %(fine)s 元尚未缴纳，行政处罚未履行完毕。")
                % {"no": listing.decision_no, "fine": f"{_fine(penalty):,.2f}"}
            )
        else:
            result.problems.append(_("处罚决定 %(no)s 尚未履行完毕。") % {"no": listing.decision_no})
    heavier = heavier_penalties_since(penalty, penalty.occurred_on)
    if heavier:
        result.problems.append(
            _("列入后又受到更重的行政处罚（%(nos)s），不能提前移出。")
            % {"nos": "、".join(_decision_no(f) or f.source_label for f in heavier)}
        )
    if not harm_removed:
        result.problems.append(_("须已主动消除危害后果和不良社会影响。"))
    return result


def repair_eligibility(published: EnterpriseFact, *, today: dt.date | None = None) -> Eligibility:
    """Art. 6: ``published`` is an enforcement.penalty_published fact still shown to the public."""
    today = today or timezone.localdate()
    data = published.data or {}
    if data.get("repairable") is False:
        return Eligibility(
            None,
            [_("责令停产停业、吊销许可证或执照等行政处罚信息不予信用修复（《市场监督管理行政处罚信息公示规定》）。")],
            blocked=True,
        )
    if not EnterpriseFact.objects.filter(pk=published.pk).filter(public_facts_q(today)).exists():
        return Eligibility(None, [_("该行政处罚信息已不在公示期内，无需修复。")], blocked=True)
    key = "credit.repair_wait_special" if data.get("sector") in SPECIAL_SECTORS else "credit.repair_wait"
    due = due_for(key, published.public_from)
    result = Eligibility(due)
    if today < due.due:
        result.problems.append(
            _("公示满 %(amount)s %(unit)s后方可申请信用修复，最早可于 %(date)s 申请（%(basis)s）。")
            % {"amount": due.amount, "unit": due.unit_label, "date": due.due.isoformat(), "basis": due.basis}
        )
    decision_no = _decision_no(published)
    if not penalty_fulfilled(published.enterprise_id, decision_no):
        result.problems.append(_("处罚决定 %(no)s 尚未履行完毕（无罚款缴纳或履行记录）。") % {"no": decision_no})
    decided = EnterpriseFact.objects.filter(
        enterprise_id=published.enterprise_id, kind="enforcement.penalty_decided", data__decision_no=decision_no
    ).first()
    repeat = EnterpriseFact.objects.filter(
        enterprise_id=published.enterprise_id,
        kind="enforcement.penalty_decided",
        occurred_on__gt=published.public_from,
    ).exclude(Q(data__decision_no=decision_no) | Q(data__warning_only=True))
    if decided is not None:
        repeat = repeat.exclude(pk=decided.pk)
    if repeat.exists():
        result.problems.append(_("公示期间再次受到行政处罚，不予信用修复。"))
    return result


def _number(kind: str, on: dt.date) -> str:
    prefix = ("YCSQ" if kind == ApplicationKind.EARLY_REMOVAL else "XFSQ") + on.strftime("%Y%m%d")
    last = (
        CreditApplication.objects.filter(number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    return f"{prefix}{(int(last[len(prefix) :]) + 1) if last else 1:04d}"


@transaction.atomic
def application_file(
    *,
    user,
    kind: str,
    statement: str,
    listing: Listing | None = None,
    penalty_fact: EnterpriseFact | None = None,
    harm_removed: bool = False,
    commitment: bool = False,
    files=(),
    on: dt.date | None = None,
) -> CreditApplication:
    """File an application with its documents; refused (with every reason) when it cannot be granted now."""
    on = on or timezone.localdate()
    statement = (statement or "").strip()
    if kind == ApplicationKind.EARLY_REMOVAL:
        if listing is None:
            raise DomainError(_("名单：请选择申请提前移出的名单。"))
        listing = Listing.objects.select_for_update().select_related("penalty_fact").get(pk=listing.pk)
        enterprise = listing.enterprise
        eligibility = removal_eligibility(listing, today=on, harm_removed=harm_removed)
        limit_key, subject = "credit.removal_decision", {"listing": listing}
    elif kind == ApplicationKind.PENALTY_REPAIR:
        if penalty_fact is None or penalty_fact.kind != "enforcement.penalty_published":
            raise DomainError(_("行政处罚：请选择申请信用修复的公示信息。"))
        penalty_fact = EnterpriseFact.objects.select_related("enterprise").get(pk=penalty_fact.pk)
        enterprise = penalty_fact.enterprise
        eligibility = repair_eligibility(penalty_fact, today=on)
        if not harm_removed:
            eligibility.problems.append(_("须已主动消除危害后果和不良社会影响。"))
        limit_key, subject = "credit.repair_decision", {"penalty_fact": penalty_fact}
    else:
        raise DomainError(_("申请事项：无效。"))
    if not policies.can_apply_for(user, enterprise):
        raise PermissionDenied(_("只能为本企业提出申请。"))
    if not statement:
        raise DomainError(_("申请理由：不能为空。"))
    if not commitment:
        raise DomainError(_("信用承诺：请确认已作出信用承诺。"))
    if not eligibility.ok:
        raise DomainError("；".join(eligibility.problems))
    open_q = CreditApplication.objects.filter(kind=kind, status=ApplicationStatus.SUBMITTED, **subject)
    if open_q.exists():
        raise DomainError(_("已有同一事项的申请正在办理，不能重复申请。"))
    if not files:
        raise DomainError(_("申请材料：请至少上传一份证明材料（PDF、JPEG 或 PNG）。"))
    application = CreditApplication.objects.create(
        number=_number(kind, on),
        kind=kind,
        enterprise=enterprise,
        region_code=enterprise.region_id,
        statement=statement,
        harm_removed=harm_removed,
        commitment=commitment,
        submitted_by=user,
        submitted_on=on,
        decision_due_on=due_for(limit_key, on).due,
        **subject,
    )
    attach_documents(application=application, files=files, user=user)
    return application


def decision_due(application: CreditApplication) -> DueDate:
    key = "credit.removal_decision" if application.kind == ApplicationKind.EARLY_REMOVAL else "credit.repair_decision"
    return due_for(key, application.submitted_on)


@transaction.atomic
def application_decide(
    *, user, application: CreditApplication, grant: bool, note: str, evidence_checked: bool, on: dt.date | None = None
) -> CreditApplication:
    """准予 or 不予: staff who have examined the documents. Granting an early removal removes the listing on the
    day; granting a repair records credit.penalty_repaired, which ends the publication that day."""
    on = on or timezone.localdate()
    application = CreditApplication.objects.select_for_update().get(pk=application.pk)
    if not policies.can_decide_application(user, application):
        raise PermissionDenied(_("您无权决定该申请。"))
    target = ApplicationStatus.GRANTED if grant else ApplicationStatus.REFUSED
    APPLICATION_FLOW.require(application, target)
    note = (note or "").strip()
    if not evidence_checked:
        raise DomainError(_("申请材料：请先审查申请材料并勾选确认。"))
    if not application.documents.exists():
        raise DomainError(_("申请材料：该申请没有材料，不能作出决定。"))
    if not grant and not note:
        raise DomainError(_("决定理由：不予准许的，须说明理由。"))
    if grant:
        if application.kind == ApplicationKind.EARLY_REMOVAL:
            listing = Listing.objects.select_related("penalty_fact").get(pk=application.listing_id)
            eligibility = removal_eligibility(listing, today=on, harm_removed=application.harm_removed)
            if not eligibility.ok:
                raise DomainError("；".join(eligibility.problems))
            listing_remove(listing=listing, on=on, how=RemovalHow.EARLY, user=user, note=note, source=application)
        else:
            published = application.penalty_fact
            eligibility = repair_eligibility(published, today=on)
            if not eligibility.ok:
                raise DomainError("；".join(eligibility.problems))
            record_fact(
                enterprise=application.enterprise,
                kind="credit.penalty_repaired",
                source=application,
                on=on,
                data={"application_no": application.number},
                summary=_("行政处罚信息信用修复：%(no)s") % {"no": _decision_no(published)},
                ends=published,
                user=user,
                source_label=application.number,
            )
    application.status, application.decided_by, application.decided_on = target, user, on
    application.decision_note, application.evidence_checked = note, True
    application.save(
        update_fields=["status", "decided_by", "decided_on", "decision_note", "evidence_checked", "updated_at"]
    )
    return application


@transaction.atomic
def application_withdraw(*, user, application: CreditApplication) -> CreditApplication:
    application = CreditApplication.objects.select_for_update().get(pk=application.pk)
    if not policies.can_withdraw_application(user, application):
        raise PermissionDenied(_("只有申请企业可以撤回尚未决定的申请。"))
    APPLICATION_FLOW.require(application, ApplicationStatus.WITHDRAWN)
    application.status = ApplicationStatus.WITHDRAWN
    application.save(update_fields=["status", "updated_at"])
    return application

"""The serious-violation list (严重违法失信名单, SAMR Order 44 of 2021): proposal from a qualifying penalty,
prior notice with the right to state a defence, the upper bureau's approval (county and city bureaus), a
leader's decision, publication, and removal at the end of the term or early on application."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError, PermissionDenied
from core.facts import record_fact
from core.models import Enterprise, Region, RegionLevel
from core.models_facts import EnterpriseFact
from core.reports.pipeline import region_title_name
from core.timelimits import due_for
from credit import policies
from credit.models import Listing, ListingStatus, ListingStep, RemovalHow
from credit.transitions import LISTING_FLOW

DEFAULT_APPEAL = (
    "对列入严重违法失信名单决定不服的，可以自收到决定书之日起六十日内依法申请行政复议，"
    "或者自收到决定书之日起六个月内依法提起行政诉讼。"
)
DEFAULT_BASIS = "《市场监督管理严重违法失信名单管理办法》"


def authority_name(region: Region) -> str:
    if region.level == RegionLevel.NATIONAL:
        return _("国家市场监督管理总局")
    return _("%(region)s市场监督管理局") % {"region": region_title_name(region)}


def _next_number(authority: Region, year: int) -> str:
    prefix = f"SX{year}{authority.code}"
    last = (
        Listing.objects.filter(number__startswith=prefix).order_by("-number").values_list("number", flat=True).first()
    )
    sequence = int(last[len(prefix) :]) + 1 if last else 1
    return f"{prefix}{sequence:04d}"


def _step(listing: Listing, *, action: str, from_status: str, user, on: dt.date, note: str = "") -> None:
    ListingStep.objects.create(
        listing=listing,
        action=action,
        from_status=from_status,
        to_status=listing.status,
        on=on,
        by=user if getattr(user, "pk", None) else None,
        note=note,
    )


def _locked(listing: Listing) -> Listing:
    return Listing.objects.select_for_update().select_related("authority", "enterprise").get(pk=listing.pk)


def _take_up_soon() -> None:
    from credit.tasks import take_up_facts_task

    transaction.on_commit(lambda: take_up_facts_task.delay())


def _user_authority(user, enterprise: Enterprise) -> Region:
    """The bureau that lists: the proposer's own jurisdiction (it covers the enterprise)."""
    if user.is_superuser:
        return enterprise.region
    return user.jurisdiction


@transaction.atomic
def listing_propose(
    *, user, penalty_fact: EnterpriseFact, reason: str, basis: str, on: dt.date | None = None
) -> Listing:
    """拟列入: from a penalty decision (an enforcement.penalty_decided fact, not a warning) of the jurisdiction."""
    on = on or timezone.localdate()
    fact = EnterpriseFact.objects.select_related("enterprise", "enterprise__region").get(pk=penalty_fact.pk)
    if not policies.can_propose_listing(user, fact):
        raise PermissionDenied(_("只能由企业所在辖区的案件承办人或负责人，依据非警告类的行政处罚决定提出列入。"))
    reason, basis = (reason or "").strip(), (basis or "").strip()
    if not reason:
        raise DomainError(_("列入事由：不能为空。"))
    if not basis:
        raise DomainError(_("列入依据：不能为空。"))
    if Listing.objects.filter(penalty_fact=fact).exclude(status=ListingStatus.NOT_LISTED).exists():
        raise DomainError(_("该行政处罚已提出列入，不能重复提出。"))
    enterprise = fact.enterprise
    authority = _user_authority(user, enterprise)
    listing = Listing.objects.create(
        number=_next_number(authority, on.year),
        enterprise=enterprise,
        enterprise_name=enterprise.name,
        uscc=enterprise.uscc,
        legal_representative=enterprise.legal_representative,
        region_code=enterprise.region_id,
        penalty_fact=fact,
        decision_no=str((fact.data or {}).get("decision_no", ""))[:64],
        reason=reason,
        basis=basis[:255],
        authority=authority,
        authority_name=authority_name(authority),
        appeal=DEFAULT_APPEAL,
        status=ListingStatus.PROPOSED,
        proposed_on=on,
        needs_approval=policies.needs_upper_approval(authority),
    )
    _step(listing, action="propose", from_status="", user=user, on=on, note=reason)
    return listing


@transaction.atomic
def listing_notice(*, user, listing: Listing, served_on: dt.date) -> Listing:
    """告知: the prior notice is served; the enterprise may state its defence within the limit
    (credit.listing_defence, 5 工作日 by default)."""
    listing = _locked(listing)
    if not policies.can_serve_notice(user, listing):
        raise PermissionDenied(_("您无权送达该名单的列入告知书。"))
    LISTING_FLOW.require(listing, ListingStatus.NOTICED)
    if served_on < listing.proposed_on:
        raise DomainError(_("送达日期：不能早于提出列入日期 %(date)s。") % {"date": listing.proposed_on})
    due = due_for("credit.listing_defence", served_on)
    previous = listing.status
    listing.status, listing.noticed_on, listing.defence_due_on = ListingStatus.NOTICED, served_on, due.due
    listing.save(update_fields=["status", "noticed_on", "defence_due_on", "updated_at"])
    _step(listing, action="notice", from_status=previous, user=user, on=served_on, note=due.explanation)
    return listing


@transaction.atomic
def listing_record_defence(*, user, listing: Listing, text: str, on: dt.date | None = None) -> Listing:
    """陈述申辩: the enterprise's statement (by its own account or entered by staff), within the period."""
    on = on or timezone.localdate()
    listing = _locked(listing)
    if not policies.can_record_defence(user, listing):
        raise PermissionDenied(_("当前不能提交陈述申辩意见。"))
    text = (text or "").strip()
    if not text:
        raise DomainError(_("陈述申辩意见：不能为空。"))
    if listing.defence_due_on and on > listing.defence_due_on:
        raise DomainError(_("陈述申辩期限已于 %(date)s 届满。") % {"date": listing.defence_due_on})
    listing.defence = (listing.defence + "\n\n" if listing.defence else "") + f"{on.isoformat()}：{text}"
    listing.defence_on = on
    listing.save(update_fields=["defence", "defence_on", "updated_at"])
    _step(listing, action="defence", from_status=listing.status, user=user, on=on, note=text)
    return listing


def _require_defence_over(listing: Listing, on: dt.date) -> None:
    if listing.defence_due_on is None or on <= listing.defence_due_on:
        raise DomainError(
            _("陈述申辩期限至 %(date)s 届满，期限届满后方可报送审核或作出列入决定。")
            % {"date": listing.defence_due_on or "—"}
        )


@transaction.atomic
def listing_submit(*, user, listing: Listing, on: dt.date | None = None) -> Listing:
    """报上一级局审核 (county and city bureaus, while the setting requires it), after the defence period."""
    on = on or timezone.localdate()
    listing = _locked(listing)
    if not policies.can_submit_for_approval(user, listing):
        raise PermissionDenied(_("您无权报送该名单审核，或该名单无需上一级局审核。"))
    LISTING_FLOW.require(listing, ListingStatus.PENDING_APPROVAL)
    _require_defence_over(listing, on)
    previous, listing.status = listing.status, ListingStatus.PENDING_APPROVAL
    listing.save(update_fields=["status", "updated_at"])
    _step(listing, action="submit", from_status=previous, user=user, on=on)
    return listing


@transaction.atomic
def listing_approve(*, user, listing: Listing, note: str = "", on: dt.date | None = None) -> Listing:
    """上一级局同意: a leader of the bureau above the deciding one."""
    on = on or timezone.localdate()
    listing = _locked(listing)
    if not policies.can_approve(user, listing):
        raise PermissionDenied(_("须由上一级市场监督管理部门的负责人审核。"))
    LISTING_FLOW.require(listing, ListingStatus.APPROVED)
    previous, listing.status, listing.approved_on = listing.status, ListingStatus.APPROVED, on
    listing.save(update_fields=["status", "approved_on", "updated_at"])
    _step(listing, action="approve", from_status=previous, user=user, on=on, note=(note or "").strip())
    return listing


def listing_term(listed_on: dt.date):
    """The term of a listing (credit.listing_term, 3 年, calendar rule): it is removed on the due date."""
    return due_for("credit.listing_term", listed_on)


@transaction.atomic
def listing_decide(*, user, listing: Listing, on: dt.date | None = None) -> Listing:
    """决定列入 and publish: a leader of the deciding bureau, after the defence period and (where required)
    the upper bureau's approval. Records the credit.listed fact, public from the listing date."""
    on = on or timezone.localdate()
    listing = _locked(listing)
    if listing.status == ListingStatus.NOTICED and listing.needs_approval:
        raise DomainError(_("县级、市级市场监督管理部门列入严重违法失信名单，须先经上一级局审核同意。"))
    LISTING_FLOW.require(listing, ListingStatus.LISTED)
    if not policies.can_decide_listing(user, listing):
        raise PermissionDenied(_("须由作出列入决定的部门负责人决定。"))
    _require_defence_over(listing, on)
    term = listing_term(on)
    previous = listing.status
    listing.status, listing.decided_on, listing.listed_on = ListingStatus.LISTED, on, on
    listing.planned_removal_on = term.due
    listing.listed_fact = record_fact(
        enterprise=listing.enterprise,
        kind="credit.listed",
        source=listing,
        on=on,
        data={
            "listing_no": listing.number,
            "reason": listing.reason,
            "basis": listing.basis,
            "planned_removal_on": term.due.isoformat(),
        },
        summary=_("列入严重违法失信名单：%(reason)s") % {"reason": listing.reason[:200]},
        public_from=on,
        public_until=term.due - dt.timedelta(days=1),
        user=user,
        source_label=listing.number,
    )
    listing.save(update_fields=["status", "decided_on", "listed_on", "planned_removal_on", "listed_fact", "updated_at"])
    _step(listing, action="decide", from_status=previous, user=user, on=on, note=term.explanation)
    _take_up_soon()
    return listing


@transaction.atomic
def listing_decline(*, user, listing: Listing, reason: str, on: dt.date | None = None) -> Listing:
    """不予列入 (after the defence, or the upper bureau does not agree): closed with its reason, kept."""
    on = on or timezone.localdate()
    listing = _locked(listing)
    if not policies.can_decline_listing(user, listing):
        raise PermissionDenied(_("您无权作出不予列入的决定。"))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("不予列入理由：不能为空。"))
    LISTING_FLOW.require(listing, ListingStatus.NOT_LISTED)
    previous, listing.status, listing.closing_reason = listing.status, ListingStatus.NOT_LISTED, reason
    listing.save(update_fields=["status", "closing_reason", "updated_at"])
    _step(listing, action="decline", from_status=previous, user=user, on=on, note=reason)
    return listing


def listing_remove(*, listing: Listing, on: dt.date, how: str, user=None, note: str = "", source=None) -> Listing:
    """移出 (inside the caller's transaction): the listing ends on ``on``; credit.removed ends the listed fact."""
    listing = _locked(listing)
    LISTING_FLOW.require(listing, ListingStatus.REMOVED)
    if how not in RemovalHow.values:
        raise ValueError(how)
    previous = listing.status
    listing.status, listing.removed_on, listing.removal_how = ListingStatus.REMOVED, on, how
    listing.save(update_fields=["status", "removed_on", "removal_how", "updated_at"])
    record_fact(
        enterprise=listing.enterprise,
        kind="credit.removed",
        source=listing,
        on=on,
        data={"listing_no": listing.number, "how": how},
        summary=str(RemovalHow(how).label),
        ends=listing.listed_fact,
        user=user,
        source_label=listing.number,
    )
    _step(listing, action=f"remove_{how}", from_status=previous, user=user, on=on, note=note)
    _take_up_soon()
    return listing


def listings_remove_expired(*, today: dt.date | None = None) -> list[Listing]:
    """The daily job: every listing whose term has run out is removed on its planned removal date (the job
    running late still removes it as of that date)."""
    today = today or timezone.localdate()
    removed = []
    for listing in Listing.objects.filter(status=ListingStatus.LISTED, planned_removal_on__lte=today).order_by("pk"):
        with transaction.atomic():
            removed.append(
                listing_remove(
                    listing=listing,
                    on=listing.planned_removal_on,
                    how=RemovalHow.EXPIRY,
                    note=_("列入期限届满，自动移出。"),
                )
            )
    return removed

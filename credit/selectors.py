"""Reads of credit: staff reads scoped to the jurisdiction, an enterprise account's own records, and what the
public may see (published facts within their period, listings that were published)."""

from __future__ import annotations

import datetime as dt
import re

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from core.facts import public_facts_q
from core.lookups import ILike, contains_pattern
from core.models import Enterprise
from core.models_facts import EnterpriseFact
from core.selectors import jurisdiction_prefix, scope_to_jurisdiction
from credit import policies
from credit.models import (
    ClassChange,
    CreditApplication,
    CreditRecord,
    EnterpriseClass,
    Listing,
    ListingStatus,
)

PUBLISHED_LISTING_STATES = (ListingStatus.LISTED, ListingStatus.REMOVED)


def _prefix_q(user, field: str) -> Q:
    prefix = jurisdiction_prefix(user)
    if prefix is None or not policies.can_view_credit(user):
        return Q(pk__in=[])
    return Q(**{f"{field}__startswith": prefix}) if prefix else Q()


# --- Staff -----------------------------------------------------------------------------------------


def enterprises_visible_to(user) -> QuerySet[Enterprise]:
    if not policies.can_view_credit(user):
        return Enterprise.objects.none()
    return scope_to_jurisdiction(
        Enterprise.objects.select_related("region", "credit_classification", "credit_classification__rule_set"), user
    )


def records_visible_to(user) -> QuerySet[CreditRecord]:
    return CreditRecord.objects.filter(_prefix_q(user, "region_code"))


def class_changes_visible_to(user) -> QuerySet[ClassChange]:
    return ClassChange.objects.filter(_prefix_q(user, "enterprise__region__code")).select_related(
        "enterprise", "rule_set"
    )


def listings_visible_to(user) -> QuerySet[Listing]:
    """Listings of enterprises in the jurisdiction, and those its bureau decides or approves."""
    if not policies.can_view_listings(user):
        return Listing.objects.none()
    return Listing.objects.filter(_prefix_q(user, "region_code") | _prefix_q(user, "authority__code")).select_related(
        "authority", "enterprise"
    )


def applications_visible_to(user) -> QuerySet[CreditApplication]:
    if getattr(user, "is_enterprise_user", False):
        return CreditApplication.objects.filter(enterprise_id=user.enterprise_id).select_related(
            "listing", "enterprise"
        )
    return CreditApplication.objects.filter(_prefix_q(user, "region_code")).select_related("listing", "enterprise")


def penalties_to_propose(user) -> QuerySet[EnterpriseFact]:
    """Penalty decisions (not warnings) of the jurisdiction that have no open listing yet."""
    if not user.has_role("case_handler", "leader"):
        return EnterpriseFact.objects.none()
    open_listings = Listing.objects.exclude(status=ListingStatus.NOT_LISTED).values("penalty_fact_id")
    return (
        EnterpriseFact.objects.filter(_prefix_q(user, "region_code"), kind="enforcement.penalty_decided")
        .exclude(data__warning_only=True)
        .exclude(pk__in=open_listings)
        .select_related("enterprise")
        .order_by("-occurred_on", "-id")
    )


def class_distribution(user) -> dict[str, int]:
    rows = (
        EnterpriseClass.objects.filter(_prefix_q(user, "enterprise__region__code"))
        .values_list("credit_class")
        .order_by()
        .annotate(n=Count("pk"))
    )
    return dict(rows)


# --- An enterprise's own account ------------------------------------------------------------------------


def own_facts(enterprise: Enterprise) -> QuerySet[EnterpriseFact]:
    return EnterpriseFact.objects.filter(enterprise=enterprise).order_by("-occurred_on", "-id")


def own_listings(enterprise: Enterprise) -> QuerySet[Listing]:
    """The enterprise's listings from the prior notice on (a bare proposal is internal)."""
    return Listing.objects.filter(enterprise=enterprise).exclude(status=ListingStatus.PROPOSED).order_by("-proposed_on")


def own_published_penalties(enterprise: Enterprise, on: dt.date | None = None) -> QuerySet[EnterpriseFact]:
    """Its penalties the public sees now (the ones credit repair can end)."""
    return (
        EnterpriseFact.objects.filter(enterprise=enterprise, kind="enforcement.penalty_published")
        .filter(public_facts_q(on))
        .order_by("-public_from", "-id")
    )


# --- The public -----------------------------------------------------------------------------------------


def public_listings(*, on: dt.date | None = None) -> QuerySet[Listing]:
    """Listings on the list on ``on``: listed by then, and neither removed nor expired by then."""
    on = on or timezone.localdate()
    return Listing.objects.filter(
        status__in=PUBLISHED_LISTING_STATES, listed_on__lte=on, planned_removal_on__gt=on
    ).filter(Q(removed_on__isnull=True) | Q(removed_on__gt=on))


USCC_SHAPE = re.compile(r"[0-9A-Z]{18}")


def search_public_listings(text: str, *, on: dt.date | None = None) -> QuerySet[Listing]:
    """USCC (18 characters: the unique index) or name search of the list (substring, any length: the
    trigram index serves three characters and more, the small listing table is scanned for shorter ones).
    A name without letters that have a case (Chinese) is matched with LIKE, a Latin one with ILIKE: in
    UTF-8 ILIKE lower-cases every name it compares and scans the list eight times slower."""
    qs = public_listings(on=on)
    text = (text or "").strip()
    if not text:
        return qs.order_by("-listed_on", "-id")
    if USCC_SHAPE.fullmatch(text.upper()):
        found = Q(uscc=text.upper())
    elif text.lower() == text.upper():
        found = Q(enterprise_name__contains=text)
    else:
        found = ILike(F("enterprise_name"), contains_pattern(text))
    return qs.filter(found).order_by("-listed_on", "-id")


def public_listing(number: str) -> Listing | None:
    """A listing's public page: published listings only (a removed one says so)."""
    return Listing.objects.filter(number=number, status__in=PUBLISHED_LISTING_STATES).first()


PROFILE_KINDS = (
    "sampling.result_published",
    "enforcement.penalty_published",
    "recalls.notice_published",
    "credit.listed",
)


def public_profile_facts(enterprise: Enterprise, *, on: dt.date | None = None) -> QuerySet[EnterpriseFact]:
    """The enterprise's facts the public may see on ``on`` (published, within the period, not ended)."""
    return (
        EnterpriseFact.objects.filter(enterprise=enterprise, kind__in=PROFILE_KINDS)
        .filter(public_facts_q(on))
        .order_by("-occurred_on", "-id")
    )


def public_past_listings(enterprise: Enterprise, *, on: dt.date | None = None) -> QuerySet[Listing]:
    on = on or timezone.localdate()
    return Listing.objects.filter(enterprise=enterprise, status=ListingStatus.REMOVED, removed_on__lte=on).order_by(
        "-listed_on"
    )

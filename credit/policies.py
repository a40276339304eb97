"""Who may do what in credit: named predicates used by services, pages (buttons), the API and the menu."""

from __future__ import annotations

from constance import config

from core.models import RegionLevel
from core.policies import is_staff, staff_in

# The class is an internal supervision tool: staff who supervise enterprises see it, institutions do not.
CREDIT_VIEW_ROLES = ("inspector", "case_handler", "legal_reviewer", "leader", "administrator")
LISTING_ROLES = ("case_handler", "leader", "legal_reviewer")
DECIDING_ROLES = ("leader",)
APPLICATION_DECIDING_ROLES = ("leader", "legal_reviewer")


def can_view_credit(user) -> bool:
    return is_staff(user) and user.has_role(*CREDIT_VIEW_ROLES)


def can_view_enterprise_credit(user, enterprise) -> bool:
    return staff_in(user, enterprise.region_id, *CREDIT_VIEW_ROLES)


def can_edit_rules(user) -> bool:
    """Rule sets apply everywhere: administrators of a province or the nation (and superusers)."""
    if not is_staff(user):
        return False
    if user.is_superuser:
        return True
    return user.role == "administrator" and user.jurisdiction.level in (RegionLevel.NATIONAL, RegionLevel.PROVINCE)


def can_view_listings(user) -> bool:
    return can_view_credit(user)


def can_propose_listing(user, fact) -> bool:
    """A case handler or leader of the enterprise's jurisdiction, from a penalty that is not a warning."""
    return (
        staff_in(user, fact.region_code, "case_handler", "leader")
        and fact.kind == "enforcement.penalty_decided"
        and not (fact.data or {}).get("warning_only")
    )


def _of_authority(user, listing, *roles) -> bool:
    return staff_in(user, listing.authority_id, *roles)


def can_serve_notice(user, listing) -> bool:
    return listing.status == "proposed" and _of_authority(user, listing, "case_handler", "leader")


def can_record_defence(user, listing) -> bool:
    if listing.status != "noticed":
        return False
    if getattr(user, "is_enterprise_user", False):
        return user.enterprise_id == listing.enterprise_id
    return _of_authority(user, listing, "case_handler", "leader")


def needs_upper_approval(authority) -> bool:
    """County and city bureaus' listings need the next level's approval (switchable: a 2025 draft drops it)."""
    return bool(config.CREDIT_LISTING_UPPER_APPROVAL) and authority.level in (RegionLevel.COUNTY, RegionLevel.CITY)


def can_submit_for_approval(user, listing) -> bool:
    return (
        listing.status == "noticed"
        and listing.needs_approval
        and _of_authority(user, listing, "case_handler", "leader")
    )


def can_approve(user, listing) -> bool:
    """A leader of a bureau above the deciding one (its jurisdiction covers it and is not it)."""
    if listing.status != "pending_approval" or not staff_in(user, listing.authority_id, *DECIDING_ROLES):
        return False
    return user.is_superuser or user.jurisdiction_id != listing.authority_id


def can_decide_listing(user, listing) -> bool:
    if listing.status == "approved" or (listing.status == "noticed" and not listing.needs_approval):
        return _of_authority(user, listing, *DECIDING_ROLES)
    return False


def can_decline_listing(user, listing) -> bool:
    if listing.status in ("proposed", "noticed", "approved"):
        return _of_authority(user, listing, *DECIDING_ROLES)
    if listing.status == "pending_approval":
        return can_approve(user, listing)
    return False


def can_apply_for(user, enterprise) -> bool:
    """The enterprise's own account (or staff filing on its behalf in their jurisdiction)."""
    if getattr(user, "is_enterprise_user", False):
        return user.enterprise_id == enterprise.pk
    return staff_in(user, enterprise.region_id, "case_handler", "leader")


def can_view_application(user, application) -> bool:
    if getattr(user, "is_enterprise_user", False):
        return user.enterprise_id == application.enterprise_id
    return staff_in(user, application.region_code, *CREDIT_VIEW_ROLES)


def can_decide_application(user, application) -> bool:
    """Staff of the listing's bureau (early removal) or the enterprise's jurisdiction (repair)."""
    if application.status != "submitted" or getattr(user, "is_enterprise_user", False):
        return False
    region = application.listing.authority_id if application.listing_id else application.region_code
    return staff_in(user, region, *APPLICATION_DECIDING_ROLES)


def can_withdraw_application(user, application) -> bool:
    return (
        application.status == "submitted"
        and getattr(user, "is_enterprise_user", False)
        and (user.enterprise_id == application.enterprise_id)
    )


def is_enterprise_account(user) -> bool:
    return bool(user.is_authenticated and getattr(user, "is_enterprise_user", False) and user.enterprise_id)

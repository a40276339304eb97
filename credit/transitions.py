"""The credit workflows' transition tables: the serious-violation list (SAMR Order 44 of 2021) and the
enterprises' applications (信用修复管理办法 arts. 6–7). Services call ``*.require(obj, to)`` before writing."""

from __future__ import annotations

from core.transitions import Workflow
from credit.models import ApplicationStatus, ListingStatus

L = ListingStatus
LISTING_TRANSITIONS = {
    # Proposed from a qualifying penalty: notify the enterprise (right to state a defence), or drop it.
    L.PROPOSED: {L.NOTICED, L.NOT_LISTED},
    # After the defence period: to the upper bureau (county and city bureaus), or straight to the decision.
    L.NOTICED: {L.PENDING_APPROVAL, L.LISTED, L.NOT_LISTED},
    L.PENDING_APPROVAL: {L.APPROVED, L.NOT_LISTED},
    L.APPROVED: {L.LISTED, L.NOT_LISTED},
    # Removal at the end of the term (scheduled job) or early on the enterprise's application.
    L.LISTED: {L.REMOVED},
    L.REMOVED: set(),
    L.NOT_LISTED: set(),
}
LISTING_FLOW = Workflow("credit_listing", ListingStatus, LISTING_TRANSITIONS)

A = ApplicationStatus
APPLICATION_TRANSITIONS = {
    A.SUBMITTED: {A.GRANTED, A.REFUSED, A.WITHDRAWN},
    A.GRANTED: set(),
    A.REFUSED: set(),
    A.WITHDRAWN: set(),
}
APPLICATION_FLOW = Workflow("credit_application", ApplicationStatus, APPLICATION_TRANSITIONS)

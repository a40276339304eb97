"""Reads of correction requests (修改申请 / 作废申请), scoped to the user's jurisdiction."""

from __future__ import annotations

from django.db.models import QuerySet

from core.selectors import scope_to_jurisdiction
from sampling.models import CorrectionRequest, CorrectionStatus


def corrections_visible_to(user) -> QuerySet[CorrectionRequest]:
    """Requests about records of the jurisdiction and below (by the record's region, copied on the request)."""
    return scope_to_jurisdiction(
        CorrectionRequest.objects.select_related(
            "task", "sample__enterprise", "result", "requested_by", "decided_by", "region"
        ),
        user,
    )


def corrections_pending_for(user) -> QuerySet[CorrectionRequest]:
    """Pending requests a leader of the jurisdiction decides (never their own), oldest first."""
    if not getattr(user, "is_authenticated", False) or not user.has_role("leader"):
        return CorrectionRequest.objects.none()
    return (
        corrections_visible_to(user)
        .filter(status=CorrectionStatus.REQUESTED)
        .exclude(requested_by=user)
        .order_by("requested_at", "id")
    )

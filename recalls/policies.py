"""Who may do what in recalls: named predicates used by services, views, templates, the API and the menu.

Staff act on records of their jurisdiction (a recall and an investigation belong to the producer's region,
a defect report to the region it came from). A producer's own account (role ``enterprise``) acts only on
its own enterprise's recalls and sees nothing else.
"""

from __future__ import annotations

from core.models import Role
from core.policies import is_staff, staff_in
from recalls.models import Conclusion, InvestigationStatus, RecallStatus

# Staff who handle recalls day to day, and those who decide (publish, conclude, order).
RECALL_STAFF = (Role.INSPECTOR, Role.CASE_HANDLER, Role.LEADER, Role.ADMINISTRATOR)
RECALL_DECIDERS = (Role.LEADER, Role.ADMINISTRATOR)


def is_producer_of(user, enterprise_id: int | None) -> bool:
    return bool(
        user
        and user.is_authenticated
        and getattr(user, "is_enterprise_user", False)
        and enterprise_id is not None
        and user.enterprise_id == enterprise_id
    )


def is_producer(user) -> bool:
    return bool(user and user.is_authenticated and getattr(user, "is_enterprise_user", False))


def can_use_recalls(user) -> bool:
    """The menu: recall staff and producers' accounts."""
    return is_producer(user) or (is_staff(user) and user.has_role(*RECALL_STAFF))


def can_supervise(user) -> bool:
    return is_staff(user) and user.has_role(*RECALL_STAFF)


def can_view_dashboard(user) -> bool:
    return is_staff(user) and user.has_role(Role.LEADER, Role.ADMINISTRATOR, Role.INSPECTOR, Role.CASE_HANDLER)


# --- recalls ---------------------------------------------------------------------------------------


def can_view_recall(user, recall) -> bool:
    return is_producer_of(user, recall.producer_id) or staff_in(user, recall.region_id, *RECALL_STAFF)


def can_file_for(user, enterprise) -> bool:
    """File a recall plan: the producer itself, or staff of its jurisdiction on its behalf."""
    return is_producer_of(user, enterprise.pk) or staff_in(user, enterprise.region_id, *RECALL_STAFF)


def can_refile(user, recall) -> bool:

    return recall.status in (RecallStatus.FILED, RecallStatus.IMPLEMENTING) and can_file_for(user, recall.producer)


def can_file_ordered_plan(user, recall) -> bool:

    return recall.status in (RecallStatus.ORDERED, RecallStatus.REFUSED) and can_file_for(user, recall.producer)


def can_publish_notice(user, recall) -> bool:

    return recall.status == RecallStatus.FILED and staff_in(user, recall.region_id, *RECALL_DECIDERS)


def can_report_progress(user, recall) -> bool:

    return recall.status == RecallStatus.IMPLEMENTING and can_file_for(user, recall.producer)


def can_end(user, recall) -> bool:

    return recall.status == RecallStatus.IMPLEMENTING and can_file_for(user, recall.producer)


def can_submit_summary(user, recall) -> bool:

    return recall.status == RecallStatus.ENDED and can_file_for(user, recall.producer)


def can_terminate(user, recall) -> bool:

    return recall.status in (RecallStatus.FILED, RecallStatus.IMPLEMENTING) and staff_in(
        user, recall.region_id, *RECALL_DECIDERS
    )


def can_record_refusal(user, recall) -> bool:

    return recall.status == RecallStatus.ORDERED and staff_in(user, recall.region_id, *RECALL_DECIDERS)


def can_view_internal(user, recall) -> bool:
    return can_view_recall(user, recall)


# --- defect reports and investigations ---------------------------------------------------------------


def can_triage(user, report) -> bool:
    return staff_in(user, report.region_id, *RECALL_STAFF)


def can_open_investigation(user, producer) -> bool:
    return staff_in(user, producer.region_id, *RECALL_STAFF)


def can_view_investigation(user, investigation) -> bool:
    return is_producer_of(user, investigation.producer_id) or staff_in(user, investigation.region_id, *RECALL_STAFF)


def can_conclude(user, investigation) -> bool:

    return investigation.status == InvestigationStatus.OPEN and staff_in(
        user, investigation.region_id, *RECALL_DECIDERS
    )


def can_object(user, investigation) -> bool:
    """The producer objects to the conclusion (staff may record an objection received on paper)."""

    return investigation.status == InvestigationStatus.CONCLUDED and (
        is_producer_of(user, investigation.producer_id) or staff_in(user, investigation.region_id, *RECALL_STAFF)
    )


def can_finalise(user, investigation) -> bool:

    return investigation.status in (InvestigationStatus.CONCLUDED, InvestigationStatus.OBJECTED) and staff_in(
        user, investigation.region_id, *RECALL_DECIDERS
    )


def can_order_recall(user, investigation) -> bool:

    return (
        investigation.status == InvestigationStatus.FINAL
        and investigation.conclusion == Conclusion.DEFECT
        and not investigation.outcome
        and staff_in(user, investigation.region_id, *RECALL_DECIDERS)
    )

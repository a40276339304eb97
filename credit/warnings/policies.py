"""Who may do what with warnings: named predicates used by the services, pages, API and menu."""

from __future__ import annotations

from core.policies import staff_in
from credit.models_warnings import EarlyWarning, SubjectType, WarningState
from credit.warnings.transitions import WARNING_FLOW

# Staff who see warnings of their jurisdiction (the testing institutions do not).
VIEW_ROLES = ("inspector", "leader", "administrator", "case_handler", "legal_reviewer")
# Those the home page shows new warnings to.
HOME_ROLES = ("inspector", "leader")
ASSESS_ROLES = ("inspector", "leader")
CLOSE_ROLES = ("leader",)
TASK_ROLES = ("inspector", "leader")


def can_view_warnings(user) -> bool:
    return bool(user and user.is_authenticated and (user.is_superuser or user.has_role(*VIEW_ROLES)))


def can_view(user, warning: EarlyWarning) -> bool:
    return staff_in(user, warning.region_id, *VIEW_ROLES)


def can_assess(user, warning: EarlyWarning) -> bool:
    """研判: an inspector or leader of the warning's jurisdiction."""
    return WARNING_FLOW.allowed(warning.state, WarningState.ASSESSED) and staff_in(
        user, warning.region_id, *ASSESS_ROLES
    )


def can_handle(user, warning: EarlyWarning) -> bool:
    """处置 (after 研判): a leader of the warning's jurisdiction."""
    return WARNING_FLOW.allowed(warning.state, WarningState.HANDLED) and staff_in(user, warning.region_id, *CLOSE_ROLES)


def can_dismiss(user, warning: EarlyWarning) -> bool:
    """排除: a leader of the warning's jurisdiction."""
    return WARNING_FLOW.allowed(warning.state, WarningState.DISMISSED) and staff_in(
        user, warning.region_id, *CLOSE_ROLES
    )


def can_make_task(user, warning: EarlyWarning) -> bool:
    """列入下一轮抽查: an open product-type warning without a task yet, by a planner of its jurisdiction."""
    return (
        warning.subject_type == SubjectType.PRODUCT_TYPE
        and warning.product_type_id is not None
        and warning.sampling_task_id is None
        and warning.is_open
        and staff_in(user, warning.region_id, *TASK_ROLES)
    )


def can_tune_signals(user) -> bool:
    return bool(user and user.is_authenticated and user.has_role("administrator"))

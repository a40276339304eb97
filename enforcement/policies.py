"""Who may do what with cases: named predicates used by services, views, templates, the API and the menu.

Every predicate asks ``core.policies.staff_in`` for the role in the case's jurisdiction, so the right role
of a neighbouring county is refused."""

from __future__ import annotations

from core.models import Role
from core.policies import staff_in
from enforcement.models import DECIDED_STATES, Case, CaseStatus

REGISTER_ROLES = (Role.INSPECTOR, Role.CASE_HANDLER, Role.LEADER, Role.ADMINISTRATOR)
VIEW_ROLES = (Role.INSPECTOR, Role.CASE_HANDLER, Role.LEGAL_REVIEWER, Role.LEADER, Role.ADMINISTRATOR)


def _region(case: Case) -> str:
    return case.region_id


def _is_handler(user, case: Case) -> bool:
    return case.handlers.filter(pk=user.pk).exists()


def holds_credential(user) -> bool:
    return bool(getattr(user, "enforcement_credential", "").strip())


def staff_in_case_region(user, case: Case) -> bool:
    """A handler named on a case must be staff of the case's jurisdiction (a case handler or a leader)."""
    return staff_in(user, _region(case), Role.CASE_HANDLER, Role.LEADER)


def can_view_cases(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.role in VIEW_ROLES)


def can_view_case(user, case: Case) -> bool:
    return staff_in(user, _region(case), *VIEW_ROLES)


def can_register_clue(user, region_code: str) -> bool:
    return staff_in(user, region_code, *REGISTER_ROLES)


def can_handle(user, case: Case) -> bool:
    """A case handler with an enforcement credential, of the case's jurisdiction; once handlers are
    assigned (立案审批), only they."""
    if not staff_in(user, _region(case), Role.CASE_HANDLER) or not holds_credential(user):
        return False
    if case.pk and case.status not in (CaseStatus.REGISTERED, CaseStatus.CHECKING) and case.handlers.exists():
        return _is_handler(user, case)
    return True


def can_check(user, case: Case) -> bool:
    return case.status == CaseStatus.REGISTERED and can_handle(user, case)


def can_request_filing(user, case: Case) -> bool:
    return case.status == CaseStatus.CHECKING and can_handle(user, case)


def is_leader_of(user, case: Case) -> bool:
    return staff_in(user, _region(case), Role.LEADER)


def can_approve_filing(user, case: Case) -> bool:
    """立案 needs the approval of the bureau's head (处罚程序规定 art. 18)."""
    return case.status == CaseStatus.FILING_APPROVAL and is_leader_of(user, case)


def can_decide_not_to_file(user, case: Case) -> bool:
    return case.status in (CaseStatus.CHECKING, CaseStatus.FILING_APPROVAL) and is_leader_of(user, case)


def can_extend_filing(user, case: Case) -> bool:
    return case.status in (CaseStatus.REGISTERED, CaseStatus.CHECKING, CaseStatus.FILING_APPROVAL) and is_leader_of(
        user, case
    )


def can_decide_simple(user, case: Case) -> bool:
    """简易程序: a credentialed officer decides on the spot (行政处罚法 art. 51)."""
    return case.status in (CaseStatus.REGISTERED, CaseStatus.CHECKING) and can_handle(user, case)


def can_merge(user, case: Case) -> bool:
    return case.status in (CaseStatus.REGISTERED, CaseStatus.CHECKING) and (
        can_handle(user, case) or is_leader_of(user, case)
    )


def can_investigate(user, case: Case) -> bool:
    return case.status == CaseStatus.INVESTIGATING and can_handle(user, case)


def can_add_evidence(user, case: Case) -> bool:
    """Evidence is collected until the decision; afterwards it is frozen."""
    return case.status in (
        CaseStatus.CHECKING,
        CaseStatus.INVESTIGATING,
        CaseStatus.DEFENCE,
        CaseStatus.HEARING,
    ) and can_handle(user, case)


def can_pause(user, case: Case) -> bool:
    return case.filed_on is not None and case.status not in DECIDED_STATES and case.is_open and can_handle(user, case)


def can_extend_decision(user, case: Case) -> bool:
    return case.filed_on is not None and case.decided_on is None and case.is_open and is_leader_of(user, case)


def can_submit_review(user, case: Case) -> bool:
    return case.status in (CaseStatus.INVESTIGATING, CaseStatus.HEARING) and can_handle(user, case)


def can_review(user, case: Case) -> bool:
    """法制审核 by a legal reviewer of the jurisdiction who is not one of the case's handlers (art. 58)."""
    return (
        case.status == CaseStatus.LEGAL_REVIEW
        and staff_in(user, _region(case), Role.LEGAL_REVIEWER)
        and not _is_handler(user, case)
    )


def can_notify(user, case: Case) -> bool:
    return case.status in (CaseStatus.INVESTIGATING, CaseStatus.LEGAL_REVIEW) and can_handle(user, case)


def can_record_defence(user, case: Case) -> bool:
    return case.status == CaseStatus.NOTIFIED and can_handle(user, case)


def can_request_hearing(user, case: Case) -> bool:
    return case.status == CaseStatus.NOTIFIED and case.hearing_eligible and can_handle(user, case)


def can_hold_hearing(user, case: Case) -> bool:
    return case.status == CaseStatus.HEARING and can_handle(user, case)


def can_reopen_investigation(user, case: Case) -> bool:
    return case.status == CaseStatus.DEFENCE and can_handle(user, case)


def can_discuss(user, case: Case) -> bool:
    return case.status in (
        CaseStatus.LEGAL_REVIEW,
        CaseStatus.NOTIFIED,
        CaseStatus.DEFENCE,
        CaseStatus.HEARING,
    ) and is_leader_of(user, case)


def can_decide(user, case: Case) -> bool:
    return case.status in (
        CaseStatus.LEGAL_REVIEW,
        CaseStatus.NOTIFIED,
        CaseStatus.DEFENCE,
        CaseStatus.HEARING,
        CaseStatus.DISCUSSION,
    ) and is_leader_of(user, case)


def can_transfer(user, case: Case) -> bool:
    """移送公安机关 needs the head's approval."""
    return case.status in (CaseStatus.INVESTIGATING, CaseStatus.NOTIFIED, CaseStatus.DISCUSSION) and is_leader_of(
        user, case
    )


def can_record_police_answer(user, case: Case) -> bool:
    return case.status == CaseStatus.TRANSFERRED and (can_handle(user, case) or is_leader_of(user, case))


def can_serve(user, case: Case) -> bool:
    return case.status == CaseStatus.DECIDED and can_handle(user, case)


def can_record_payment(user, case: Case) -> bool:
    return case.status == CaseStatus.SERVED and bool(case.fine or case.confiscation) and can_handle(user, case)


def can_execute(user, case: Case) -> bool:
    return case.status == CaseStatus.SERVED and can_handle(user, case)


def can_close(user, case: Case) -> bool:
    """结案 with the head's approval (结案审批表)."""
    return case.status in (CaseStatus.EXECUTED, CaseStatus.SERVED) and is_leader_of(user, case)


def can_cancel(user, case: Case) -> bool:
    return case.is_open and is_leader_of(user, case)


def can_publish(user, case: Case) -> bool:
    return (
        case.status in DECIDED_STATES
        and case.outcome == "penalty"
        and not case.publications.filter(withdrawn_on__isnull=True).exists()
        and is_leader_of(user, case)
    )


def can_push_publication(user, case: Case) -> bool:
    """Order 45 art. 10: the push of a decision whose party is registered in another province."""
    from enforcement.services.common import registered_elsewhere

    return (
        case.status in DECIDED_STATES
        and case.outcome == "penalty"
        and list(case.penalty_types) != ["warning"]
        and not case.publication_pushed_on
        and registered_elsewhere(case)
        and is_leader_of(user, case)
    )


def can_withdraw_publication(user, publication) -> bool:
    return publication.withdrawn_on is None and staff_in(user, publication.region_id, Role.LEADER)


def can_view_dashboard(user) -> bool:
    return user.is_authenticated and user.has_role(Role.LEADER, Role.ADMINISTRATOR)

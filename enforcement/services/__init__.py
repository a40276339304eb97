"""Enforcement services: one function per use case (see the modules)."""

from enforcement.services.clues import (  # noqa: F401
    case_from_sample,
    cases_merge,
    clue_register,
    complaint_status,
    complaint_submit,
    merge_candidates,
)
from enforcement.services.evidence import evidence_add  # noqa: F401
from enforcement.services.procedure import (  # noqa: F401
    case_approve_filing,
    case_cancel,
    case_close,
    case_decide,
    case_decide_simple,
    case_discuss,
    case_execute,
    case_extend_decision,
    case_extend_filing,
    case_hold_hearing,
    case_not_file,
    case_notify,
    case_pause,
    case_police_answer,
    case_propose,
    case_record_defence,
    case_reopen,
    case_request_filing,
    case_request_hearing,
    case_resume,
    case_return_filing,
    case_review,
    case_serve,
    case_start_check,
    case_submit_review,
    case_transfer,
)
from enforcement.services.publication import (  # noqa: F401
    decision_overturned,
    fines_overdue_record,
    late_fee,
    payment_record,
    penalty_publish,
    penalty_push,
    penalty_withdraw,
)

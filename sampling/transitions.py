"""The sampling workflows' states and allowed transitions, one table each (core.transitions.Workflow).

Every status write of sampling goes through a service that calls ``<FLOW>.require(obj, to)`` first."""

from __future__ import annotations

# --- draw (随机抽取) ---------------------------------------------------------------------------
from core.transitions import Workflow as _Workflow  # noqa: E402
from sampling.models import RedrawStatus  # noqa: E402

# 重新抽取申请: requested → approved by a leader (not the requester) or rejected; an approved request is used
# by exactly one further draw. Draws themselves are insert-only attempts (attempt 1, 2, ...), not a state.
REDRAW_TRANSITIONS = {
    RedrawStatus.REQUESTED: {RedrawStatus.APPROVED, RedrawStatus.REJECTED},
    RedrawStatus.APPROVED: {RedrawStatus.USED},
    RedrawStatus.REJECTED: set(),
    RedrawStatus.USED: set(),
}
REDRAW_FLOW = _Workflow("sampling_redraw", RedrawStatus, REDRAW_TRANSITIONS)

# --- task, sample/result, objection, post-processing, announcement ------------------------------

from core.transitions import Workflow  # noqa: E402
from sampling.models import (  # noqa: E402
    AnnouncementStatus,
    FollowUpOutcome,
    FollowUpStep,
    ObjectionStatus,
    ResultStatus,
    TaskStatus,
    Verdict,
)

# 抽查任务: planned → (drawn, by the draw) → in progress (the first sample) → completed.
TASK_TRANSITIONS = {
    TaskStatus.PLANNED: {TaskStatus.DRAWN, TaskStatus.IN_PROGRESS},
    TaskStatus.DRAWN: {TaskStatus.IN_PROGRESS},
    TaskStatus.IN_PROGRESS: {TaskStatus.COMPLETED},
    TaskStatus.COMPLETED: set(),
}
TASK_FLOW = Workflow("sampling_task", TaskStatus, TASK_TRANSITIONS)

# 检验结果: entered (editable, re-entered as often as needed) → confirmed (locked; changed only by amendment).
RESULT_TRANSITIONS = {
    ResultStatus.ENTERED: {ResultStatus.ENTERED, ResultStatus.CONFIRMED},
    ResultStatus.CONFIRMED: {ResultStatus.CONFIRMED},
}
RESULT_FLOW = Workflow("sampling_result", ResultStatus, RESULT_TRANSITIONS)

# 最终结论 of a sample: pending until a deciding result is confirmed; an objection filed against a 不合格
# returns it to pending until the objection is refused or the re-test is confirmed; an amendment or a
# re-test may turn 合格 and 不合格 into each other; a void (作废, approved) returns either to pending for good.
SAMPLE_VERDICT_TRANSITIONS = {
    Verdict.PENDING: {Verdict.PASS, Verdict.FAIL},
    Verdict.PASS: {Verdict.FAIL, Verdict.PENDING},
    Verdict.FAIL: {Verdict.PASS, Verdict.PENDING},
}
SAMPLE_VERDICT_FLOW = Workflow("sampling_sample_verdict", Verdict, SAMPLE_VERDICT_TRANSITIONS, field="final_verdict")

# 异议: filed → refused (不予受理) or re-testing (复检) → decided by the confirmed re-test.
OBJECTION_TRANSITIONS = {
    ObjectionStatus.FILED: {ObjectionStatus.REJECTED, ObjectionStatus.RETESTING},
    ObjectionStatus.RETESTING: {ObjectionStatus.DECIDED},
    ObjectionStatus.REJECTED: set(),
    ObjectionStatus.DECIDED: set(),
}
OBJECTION_FLOW = Workflow("sampling_objection", ObjectionStatus, OBJECTION_TRANSITIONS)

# 后处理 step: open → done (or 复查合格 / 复查不合格 for judged steps, 平台外办结 for an archive import).
FOLLOWUP_TRANSITIONS = {
    FollowUpOutcome.OPEN: {
        FollowUpOutcome.DONE,
        FollowUpOutcome.PASSED,
        FollowUpOutcome.FAILED,
        FollowUpOutcome.OUTSIDE,
        FollowUpOutcome.CLOSED,
    },
    FollowUpOutcome.DONE: set(),
    FollowUpOutcome.PASSED: set(),
    FollowUpOutcome.FAILED: set(),
    FollowUpOutcome.OUTSIDE: set(),
    FollowUpOutcome.CLOSED: set(),
}
FOLLOWUP_FLOW = Workflow("sampling_followup", FollowUpOutcome, FOLLOWUP_TRANSITIONS, field="outcome")

# The chain of post-processing (办法 arts. 44–49): (step, outcome) → the steps it opens.
FOLLOWUP_CHAIN: dict[tuple[str, str], tuple[str, ...]] = {
    (FollowUpStep.NOTICE, FollowUpOutcome.DONE): (FollowUpStep.RECTIFICATION, FollowUpStep.REINSPECTION),
    (FollowUpStep.REINSPECTION, FollowUpOutcome.FAILED): (FollowUpStep.PUBLICATION,),
    (FollowUpStep.PUBLICATION, FollowUpOutcome.DONE): (FollowUpStep.SECOND_REINSPECTION,),
    (FollowUpStep.SECOND_REINSPECTION, FollowUpOutcome.FAILED): (FollowUpStep.STOP_ORDER,),
    (FollowUpStep.STOP_ORDER, FollowUpOutcome.FAILED): (FollowUpStep.REVOCATION,),
}
# Steps whose outcome is a test verdict (复查合格 / 复查不合格); the others are simply done.
JUDGED_STEPS = frozenset({FollowUpStep.REINSPECTION, FollowUpStep.SECOND_REINSPECTION, FollowUpStep.STOP_ORDER})
OPTIONAL_STEPS = frozenset({FollowUpStep.INTERVIEW, FollowUpStep.REFERRAL})
# The time limit each step follows (core/data/time_limits.py); optional steps follow sampling.optional_step
# unless staff set a date.
STEP_LIMITS = {
    FollowUpStep.NOTICE: "sampling.notice",
    FollowUpStep.RECTIFICATION: "sampling.rectification",
    FollowUpStep.REINSPECTION: "sampling.reinspection",
    FollowUpStep.PUBLICATION: "sampling.publication",
    FollowUpStep.SECOND_REINSPECTION: "sampling.second_reinspection",
    FollowUpStep.STOP_ORDER: "sampling.stop_order",
    FollowUpStep.REVOCATION: "sampling.revocation",
    FollowUpStep.INTERVIEW: "sampling.optional_step",
    FollowUpStep.REFERRAL: "sampling.optional_step",
}

# 结果公告: draft → published; a withdrawal (撤回) returns it to draft with its reason recorded.
ANNOUNCEMENT_TRANSITIONS = {
    AnnouncementStatus.DRAFT: {AnnouncementStatus.PUBLISHED},
    AnnouncementStatus.PUBLISHED: {AnnouncementStatus.DRAFT},
}
ANNOUNCEMENT_FLOW = Workflow("sampling_announcement", AnnouncementStatus, ANNOUNCEMENT_TRANSITIONS)

# --- corrections after confirmation (修改申请 / 作废申请) ----------------------------------------
from sampling.models import CorrectionStatus  # noqa: E402

# 提交 → 批准 (a leader of the jurisdiction, not the requester; the change is applied then) or 驳回 (nothing changes).
CORRECTION_TRANSITIONS = {
    CorrectionStatus.REQUESTED: {CorrectionStatus.APPROVED, CorrectionStatus.REJECTED},
    CorrectionStatus.APPROVED: set(),
    CorrectionStatus.REJECTED: set(),
}
CORRECTION_FLOW = Workflow("sampling_correction", CorrectionStatus, CORRECTION_TRANSITIONS)

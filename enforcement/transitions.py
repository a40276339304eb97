"""The case procedure (市场监督管理行政处罚程序规定; 行政处罚法 2021) as one transition table.

线索登记 → 核查 → 立案审批 → 调查取证 (立案) or 不予立案 → 法制审核 → 告知 → 陈述申辩 / 听证 → 集体讨论 →
决定 (处罚 / 不予处罚) or 移送司法机关 → 送达 → 执行 → 结案; 撤销 from any open state with a reason; the
simplified procedure (简易程序, art. 51) goes from the clue straight to a decision on the spot.
Every status write goes through a service that calls ``CASE_FLOW.require(case, to)`` first."""

from __future__ import annotations

from core.transitions import Workflow
from enforcement.models import CaseStatus as S

TRANSITIONS: dict[str, set[str]] = {
    S.REGISTERED: {S.CHECKING, S.DECIDED, S.MERGED, S.CANCELLED},
    S.CHECKING: {S.FILING_APPROVAL, S.NOT_FILED, S.DECIDED, S.MERGED, S.CANCELLED},
    S.FILING_APPROVAL: {S.INVESTIGATING, S.CHECKING, S.NOT_FILED, S.CANCELLED},
    S.INVESTIGATING: {S.LEGAL_REVIEW, S.NOTIFIED, S.TRANSFERRED, S.CANCELLED},
    # 同意 before the notice → 告知; after a hearing → 集体讨论 or 决定; 退回补充调查 / 不同意 → 调查取证.
    S.LEGAL_REVIEW: {S.NOTIFIED, S.INVESTIGATING, S.DISCUSSION, S.DECIDED, S.CANCELLED},
    S.NOTIFIED: {S.DEFENCE, S.HEARING, S.DISCUSSION, S.DECIDED, S.TRANSFERRED, S.CANCELLED},
    S.DEFENCE: {S.INVESTIGATING, S.DISCUSSION, S.DECIDED, S.CANCELLED},
    S.HEARING: {S.LEGAL_REVIEW, S.DISCUSSION, S.DECIDED, S.CANCELLED},
    S.DISCUSSION: {S.DECIDED, S.TRANSFERRED, S.CANCELLED},
    # The police answer: not a crime → the case resumes; accepted → the case closes here.
    S.TRANSFERRED: {S.INVESTIGATING, S.CLOSED, S.CANCELLED},
    S.DECIDED: {S.SERVED, S.CANCELLED},
    S.SERVED: {S.EXECUTED, S.CLOSED, S.CANCELLED},
    S.EXECUTED: {S.CLOSED, S.CANCELLED},
    S.NOT_FILED: set(),
    S.CLOSED: set(),
    S.CANCELLED: set(),
    S.MERGED: set(),
}

CASE_FLOW = Workflow("case", S, TRANSITIONS)

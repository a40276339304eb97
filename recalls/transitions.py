"""The recall workflows' states and allowed transitions, one table each (core.transitions.Workflow).

Every status write of recalls goes through a service in recalls.services that calls ``<FLOW>.require``."""

from __future__ import annotations

from core.transitions import Workflow
from recalls.models import DefectReportStatus, InvestigationStatus, RecallStatus

# 召回: an ordered recall waits for the producer's plan (责令召回 → 备案, or 拒不召回, which may still be
# followed by a plan); a filed plan is implemented once its notice is published (备案 → 实施); the
# implementation ends (实施结束) and the summary completes it (完成); 终止 ends a filed or running recall
# with a reason (the plan withdrawn, the defect disproved). Re-filing a changed plan keeps the status.
RECALL_TRANSITIONS = {
    RecallStatus.ORDERED: {RecallStatus.FILED, RecallStatus.REFUSED},
    RecallStatus.REFUSED: {RecallStatus.FILED},
    RecallStatus.FILED: {RecallStatus.IMPLEMENTING, RecallStatus.TERMINATED},
    RecallStatus.IMPLEMENTING: {RecallStatus.ENDED, RecallStatus.TERMINATED},
    RecallStatus.ENDED: {RecallStatus.COMPLETED},
    RecallStatus.COMPLETED: set(),
    RecallStatus.TERMINATED: set(),
}
RECALL_FLOW = Workflow("recall", RecallStatus, RECALL_TRANSITIONS)

# 缺陷线索: new → accepted (grouped, to be looked at) or dismissed; an accepted report goes to an
# investigation; a dismissed one may be reopened.
DEFECT_REPORT_TRANSITIONS = {
    DefectReportStatus.NEW: {
        DefectReportStatus.ACCEPTED,
        DefectReportStatus.DISMISSED,
        DefectReportStatus.INVESTIGATING,
    },
    DefectReportStatus.ACCEPTED: {DefectReportStatus.INVESTIGATING, DefectReportStatus.DISMISSED},
    DefectReportStatus.DISMISSED: {DefectReportStatus.ACCEPTED},
    DefectReportStatus.INVESTIGATING: set(),
}
DEFECT_REPORT_FLOW = Workflow("recalls_defect_report", DefectReportStatus, DEFECT_REPORT_TRANSITIONS)

# 缺陷调查: open → conclusion notified (15 工作日 to object, 条例 art. 15) → objected → final, or final when
# the window passes (or the producer accepts).
INVESTIGATION_TRANSITIONS = {
    InvestigationStatus.OPEN: {InvestigationStatus.CONCLUDED},
    InvestigationStatus.CONCLUDED: {InvestigationStatus.OBJECTED, InvestigationStatus.FINAL},
    InvestigationStatus.OBJECTED: {InvestigationStatus.FINAL},
    InvestigationStatus.FINAL: set(),
}
INVESTIGATION_FLOW = Workflow("recalls_investigation", InvestigationStatus, INVESTIGATION_TRANSITIONS)

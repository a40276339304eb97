"""The warning workflow: 新 → 已研判 → 已处置 / 已排除 (a new warning may also be excluded at once)."""

from __future__ import annotations

from core.transitions import Workflow
from credit.models_warnings import WarningState

TRANSITIONS = {
    WarningState.NEW: {WarningState.ASSESSED, WarningState.DISMISSED},
    WarningState.ASSESSED: {WarningState.HANDLED, WarningState.DISMISSED},
    WarningState.HANDLED: set(),
    WarningState.DISMISSED: set(),
}
WARNING_FLOW = Workflow("early_warning", WarningState, TRANSITIONS, field="state")

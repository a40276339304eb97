"""The sampling workflows' states and allowed transitions, one table each (core.transitions.Workflow).

Every status write of sampling goes through a service that calls ``<FLOW>.require(obj, to)`` first."""

from __future__ import annotations

# --- draw (随机抽取) ---------------------------------------------------------------------------

# --- task, sample/result, objection, post-processing, announcement ------------------------------

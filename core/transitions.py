"""Workflow transition tables. Each app declares, per workflow, one table of allowed moves::

    TRANSITIONS = {CaseStatus.CLUE: {CaseStatus.CHECKING, CaseStatus.CANCELLED}, ...}
    CASE_FLOW = Workflow("case", CaseStatus, TRANSITIONS)

and every service that writes a status calls ``CASE_FLOW.require(obj, to)`` first (or
``require_transition(obj, to, CASE_FLOW)``). The model's CheckConstraint comes from ``known_states_check``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _

from core.errors import DomainError


class TransitionRefused(DomainError):
    pass


@dataclass(frozen=True)
class Workflow:
    name: str
    states: type[models.TextChoices]
    table: dict[str, set[str]]
    field: str = "status"

    def __post_init__(self) -> None:
        known = set(self.states.values)
        for source, targets in self.table.items():
            unknown = ({source} | set(targets)) - known
            if unknown:
                raise ValueError(f"{self.name}: unknown states {sorted(unknown)}")

    def label(self, state: str) -> str:
        try:
            return str(self.states(state).label)
        except ValueError:
            return state

    def allowed(self, source: str, target: str) -> bool:
        return target in self.table.get(source, set())

    def targets(self, source: str) -> set[str]:
        return set(self.table.get(source, set()))

    def edges(self) -> set[tuple[str, str]]:
        return {(s, t) for s, targets in self.table.items() for t in targets}

    def all_pairs(self) -> set[tuple[str, str]]:
        values = list(self.states.values)
        return {(s, t) for s in values for t in values}

    def require(self, obj, target: str) -> None:
        """Refuse, with a Chinese message naming both states, a move the table does not allow."""
        current = getattr(obj, self.field)
        if not self.allowed(current, target):
            raise TransitionRefused(
                _("当前状态为“%(current)s”，不能变更为“%(target)s”。")
                % {"current": self.label(current), "target": self.label(target)}
            )

    def is_terminal(self, state: str) -> bool:
        return not self.table.get(state)


def require_transition(obj, target: str, workflow: Workflow) -> None:
    workflow.require(obj, target)


def known_states_check(field: str, states: Iterable[str], name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=Q(**{f"{field}__in": list(states)}), name=name)

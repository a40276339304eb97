"""The vocabulary of the authorization matrix (tests/security/test_authz_matrix.py).

Each app declares, in ``<app>/tests/authz.py``, one ``Rule`` per page (URL name) and per API operation
("GET /api/v1/samples/{id}/"), plus object factories for URLs that need a record::

    OBJECTS = {"sample": lambda ctx: make_sample(...)}          # a record of the "own" county, 芙蓉区 (430102)
    PAGES = {"sampling:sample_detail": Rule(obj="sample", read=scoped(SAMPLING_STAFF), write=None)}
    API = {"GET /api/v1/samples/{id}/": Rule(obj="sample", read=scoped(SAMPLING_STAFF))}

From a Rule the matrix derives the expected outcome of every cell: anonymous and every role × own county, parent
city and neighbouring county × read (GET) and write (POST; for API operations the operation's own method).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

# Outcomes, as the user sees them.
OK = "ok"  # served (2xx), redirected elsewhere than the login, or a form/validation error (400): not refused
LOGIN = "login"  # sent to sign in (302 to the login page, 401 from the API)
DENIED = "denied"  # 403
HIDDEN = "hidden"  # 404: the record does not exist for this user
NOT_ALLOWED = "method"  # 405

STAFF_ROLES = ("inspector", "institution", "case_handler", "legal_reviewer", "leader", "administrator")
ALL_ROLES = (*STAFF_ROLES, "enterprise")
# Where the subject sits relative to the record (which is in 芙蓉区 430102): the same county, the city above it
# (长沙市 430100), the neighbouring county (天心区 430103).
PLACES = ("own", "parent", "neighbour")
SUBJECTS = ("anonymous", *(f"{role}@{place}" for role in STAFF_ROLES for place in PLACES), "enterprise@own")


@dataclass(frozen=True)
class Access:
    """Who may do it: ``roles`` (others get ``refused``); ``scoped``: the neighbouring county gets ``neighbour``;
    ``outsiders``: what everyone outside the record's jurisdiction (the neighbour, an enterprise account) gets
    whatever their role, when the record is looked up in the user's scope before the role is checked;
    ``anonymous``: what a visitor gets; ``cells``: exceptions, {"institution@parent": HIDDEN}."""

    roles: tuple[str, ...] = ()
    scoped: bool = True
    refused: str = DENIED
    neighbour: str = HIDDEN
    anonymous: str = LOGIN
    cells: dict[str, str] = field(default_factory=dict)
    outsiders: str | None = None

    def expected(self, subject: str) -> str:
        if subject in self.cells:
            return self.cells[subject]
        if subject == "anonymous":
            return self.anonymous
        role, place = subject.split("@")
        if self.outsiders and (place == "neighbour" or role == "enterprise"):
            return self.outsiders
        if role not in self.roles:
            return self.refused
        if self.scoped and place == "neighbour":
            return self.neighbour
        return OK


def public(**cells: str) -> Access:
    """Everyone, signed in or not."""
    return Access(roles=ALL_ROLES, scoped=False, anonymous=OK, cells=dict(cells))


def signed_in(**cells: str) -> Access:
    """Every signed-in user (the page itself shows only what the user may see)."""
    return Access(roles=ALL_ROLES, scoped=False, cells=dict(cells))


def staff(roles: Iterable[str] = STAFF_ROLES, *, refused: str = DENIED, **cells: str) -> Access:
    """A list or form of ``roles`` that is not about one record (lists scope their rows themselves)."""
    return Access(roles=tuple(roles), scoped=False, refused=refused, cells=dict(cells))


def scoped(roles: Iterable[str] = STAFF_ROLES, *, refused: str = DENIED, **cells) -> Access:
    """One record of the own county, looked up in the user's scope first: nobody outside it (neighbour, enterprise
    account) learns it exists (404); inside, ``roles`` of the county and the city above act, others get ``refused``."""
    return Access(roles=tuple(roles), scoped=True, refused=refused, outsiders=HIDDEN, cells=dict(cells))


def nobody(refused: str = DENIED, anonymous: str = LOGIN) -> Access:
    return Access(roles=(), refused=refused, anonymous=anonymous)


def cells_for(subjects: Iterable[str], outcome: str) -> dict[str, str]:
    return dict.fromkeys(subjects, outcome)


@dataclass(frozen=True)
class Rule:
    """A page or an API operation: the record it needs (``obj``, a key of OBJECTS), how its URL is built from it
    (``kwargs``), and who may read (GET) and write (POST for pages; the operation's method for the API)."""

    read: Access | None = None
    write: Access | None = None
    obj: str | None = None
    kwargs: Callable[[Any], dict] | None = None
    query: str = ""
    note: str = ""

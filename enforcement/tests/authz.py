"""Authorization matrix declarations of enforcement's pages and API (framework: tests/security/test_authz_matrix.py).

Written from the behaviour of the pages and endpoints that need no record; pages about one record are still listed in
PENDING (reported as xfail) until their object factories are added to OBJECTS here.
"""

from __future__ import annotations

from tests.security.authz import ALL_ROLES, DENIED, HIDDEN, LOGIN, NOT_ALLOWED, OK, Access, Rule, public, scoped, staff

OBJECTS: dict = {}

PAGES = {
    "enforcement:case_list": Rule(
        read=Access(roles=("inspector", "case_handler", "legal_reviewer", "leader", "administrator"), scoped=False)
    ),
    "enforcement:clue_new": Rule(
        read=Access(roles=("inspector", "case_handler", "legal_reviewer", "leader", "administrator"), scoped=False),
        write=Access(roles=("inspector", "case_handler", "legal_reviewer", "leader", "administrator"), scoped=False),
    ),
    "enforcement:dashboard": Rule(read=Access(roles=("leader", "administrator"), scoped=False)),
    "enforcement:overdue": Rule(
        read=Access(roles=("inspector", "case_handler", "legal_reviewer", "leader", "administrator"), scoped=False)
    ),
    "public_enforcement:complaint_new": Rule(
        read=Access(roles=ALL_ROLES, scoped=False, anonymous=OK),
        write=Access(roles=ALL_ROLES, scoped=False, anonymous=OK),
    ),
    "public_enforcement:complaint_status": Rule(
        read=Access(roles=ALL_ROLES, scoped=False, anonymous=OK),
        write=Access(roles=ALL_ROLES, scoped=False, anonymous=OK),
    ),
    "public_enforcement:penalty_list": Rule(read=Access(roles=ALL_ROLES, scoped=False, anonymous=OK)),
}

API = {
    "GET /api/v1/enforcement/cases/": Rule(
        read=Access(roles=("inspector", "case_handler", "legal_reviewer", "leader", "administrator"), scoped=False)
    ),
    "GET /api/v1/enforcement/clues/": Rule(
        read=Access(roles=("inspector", "case_handler", "legal_reviewer", "leader", "administrator"), scoped=False)
    ),
    "GET /api/v1/enforcement/documents/": Rule(
        read=Access(roles=("inspector", "case_handler", "legal_reviewer", "leader", "administrator"), scoped=False)
    ),
    "GET /api/v1/public/penalties/": Rule(read=Access(roles=ALL_ROLES, scoped=False, anonymous=OK)),
    "POST /api/v1/enforcement/clues/": Rule(
        write=Access(roles=("inspector", "case_handler", "legal_reviewer", "leader", "administrator"), scoped=False)
    ),
    "POST /api/v1/public/complaints/": Rule(write=Access(roles=ALL_ROLES, scoped=False, anonymous=OK)),
    "POST /api/v1/public/complaints/status/": Rule(write=Access(roles=ALL_ROLES, scoped=False, anonymous=OK)),
}

PENDING: list[str] = []

_unused = (ALL_ROLES, DENIED, HIDDEN, LOGIN, NOT_ALLOWED, OK, Access, public, scoped, staff)

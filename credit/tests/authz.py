"""Authorization matrix declarations of credit's pages and API (framework: tests/security/test_authz_matrix.py).

Written from the behaviour of the pages and endpoints that need no record; pages about one record are still listed in
PENDING (reported as xfail) until their object factories are added to OBJECTS here.
"""

from __future__ import annotations

from tests.security.authz import ALL_ROLES, DENIED, HIDDEN, LOGIN, NOT_ALLOWED, OK, Access, Rule, public, scoped, staff

OBJECTS: dict = {}

PAGES = {
    "credit:application_list": Rule(
        read=Access(roles=("inspector", "case_handler", "legal_reviewer", "leader", "administrator"), scoped=False)
    ),
    "credit:enterprise_list": Rule(
        read=Access(roles=("inspector", "case_handler", "legal_reviewer", "leader", "administrator"), scoped=False)
    ),
    "credit:listing_list": Rule(
        read=Access(roles=("inspector", "case_handler", "legal_reviewer", "leader", "administrator"), scoped=False)
    ),
    "credit:overview": Rule(
        read=Access(roles=("inspector", "case_handler", "legal_reviewer", "leader", "administrator"), scoped=False)
    ),
    "credit:portal_home": Rule(read=Access(roles=("enterprise",), scoped=False)),
    "credit:rule_list": Rule(
        read=Access(roles=("inspector", "case_handler", "legal_reviewer", "leader", "administrator"), scoped=False)
    ),
    "credit:rule_new": Rule(
        read=Access(roles=(), scoped=False, refused=NOT_ALLOWED), write=Access(roles=(), scoped=False)
    ),
    "credit_public:blacklist": Rule(read=Access(roles=ALL_ROLES, scoped=False, anonymous=OK)),
    "warnings:list": Rule(
        read=Access(roles=("inspector", "case_handler", "legal_reviewer", "leader", "administrator"), scoped=False)
    ),
}

API = {
    "GET /api/v1/credit/applications/": Rule(
        read=Access(
            roles=("inspector", "case_handler", "legal_reviewer", "leader", "administrator", "enterprise"), scoped=False
        )
    ),
    "GET /api/v1/credit/classes/": Rule(
        read=Access(roles=("inspector", "case_handler", "legal_reviewer", "leader", "administrator"), scoped=False)
    ),
    "GET /api/v1/credit/listings/": Rule(
        read=Access(roles=("inspector", "case_handler", "legal_reviewer", "leader", "administrator"), scoped=False)
    ),
    "GET /api/v1/credit/records/": Rule(
        read=Access(roles=("inspector", "case_handler", "legal_reviewer", "leader", "administrator"), scoped=False)
    ),
    "GET /api/v1/public/blacklist/": Rule(read=Access(roles=ALL_ROLES, scoped=False, anonymous=OK)),
    "GET /api/v1/warnings/": Rule(
        read=Access(roles=("inspector", "case_handler", "legal_reviewer", "leader", "administrator"), scoped=False)
    ),
}

PENDING: list[str] = []

_unused = (ALL_ROLES, DENIED, HIDDEN, LOGIN, NOT_ALLOWED, OK, Access, public, scoped, staff)

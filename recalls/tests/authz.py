"""Authorization matrix declarations of recalls's pages and API (framework: tests/security/test_authz_matrix.py).

Written from the behaviour of the pages and endpoints that need no record; pages about one record are still listed in
PENDING (reported as xfail) until their object factories are added to OBJECTS here.
"""

from __future__ import annotations

from tests.security.authz import ALL_ROLES, DENIED, HIDDEN, LOGIN, NOT_ALLOWED, OK, Access, Rule, public, scoped, staff

OBJECTS: dict = {}

PAGES = {
    "recalls:dashboard": Rule(
        read=Access(roles=("inspector", "case_handler", "leader", "administrator"), scoped=False)
    ),
    "recalls:defect_report_list": Rule(
        read=Access(roles=("inspector", "case_handler", "leader", "administrator"), scoped=False)
    ),
    "recalls:investigation_list": Rule(
        read=Access(roles=("inspector", "case_handler", "leader", "administrator", "enterprise"), scoped=False)
    ),
    "recalls:investigation_open": Rule(
        read=Access(roles=("inspector", "case_handler", "leader", "administrator"), scoped=False),
        write=Access(roles=("inspector", "case_handler", "leader", "administrator"), scoped=False),
    ),
    "recalls:recall_file": Rule(
        read=Access(roles=("inspector", "case_handler", "leader", "administrator", "enterprise"), scoped=False),
        write=Access(roles=("inspector", "case_handler", "leader", "administrator", "enterprise"), scoped=False),
    ),
    "recalls:recall_list": Rule(
        read=Access(roles=("inspector", "case_handler", "leader", "administrator", "enterprise"), scoped=False)
    ),
    "recalls_public:feed": Rule(read=Access(roles=ALL_ROLES, scoped=False, anonymous=OK)),
    "recalls_public:lookup": Rule(
        read=Access(roles=ALL_ROLES, scoped=False, anonymous=OK),
        write=Access(roles=(), scoped=False, refused=NOT_ALLOWED, anonymous=NOT_ALLOWED),
    ),
    "recalls_public:report": Rule(
        read=Access(roles=ALL_ROLES, scoped=False, anonymous=OK),
        write=Access(roles=ALL_ROLES, scoped=False, anonymous=OK),
    ),
    "recalls_public:report_done": Rule(read=Access(roles=ALL_ROLES, scoped=False, anonymous=OK)),
    "recalls_public:search": Rule(read=Access(roles=ALL_ROLES, scoped=False, anonymous=OK)),
}

API = {
    "GET /api/v1/public/recalls/": Rule(read=Access(roles=ALL_ROLES, scoped=False, anonymous=OK)),
    "POST /api/v1/public/defect-reports/": Rule(write=Access(roles=ALL_ROLES, scoped=False, anonymous=OK)),
}

PENDING: list[str] = []

_unused = (ALL_ROLES, DENIED, HIDDEN, LOGIN, NOT_ALLOWED, OK, Access, public, scoped, staff)

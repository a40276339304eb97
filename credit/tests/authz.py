"""Authorization matrix declarations of credit's pages and API (framework: tests/security/test_authz_matrix.py).

Every record is built through credit's services from ledger facts of the matrix's own enterprise in 芙蓉区 (430102,
the "own" county): the county's case handler proposes and serves the listing, the city's leader (the level above)
approves, the county's leader decides; enterprise@own is the listed enterprise's own account. Rule sets apply
everywhere and only a province's (or the nation's) administrator may edit them, which no matrix subject is.
"""

from __future__ import annotations

import datetime as dt

from tests.security.authz import ALL_ROLES, DENIED, HIDDEN, LOGIN, NOT_ALLOWED, OK, Access, Rule, public, scoped, staff

CREDIT_VIEW = ("inspector", "case_handler", "legal_reviewer", "leader", "administrator")
LISTING_HANDLERS = ("case_handler", "leader")
MONDAY = dt.date(2026, 3, 2)
PUBLISHED = dt.date(2025, 1, 10)


def _penalty(ctx):
    from credit.tests.factories import penalty

    return penalty(ctx["enterprise"], MONDAY - dt.timedelta(days=20))


def _noticed_listing(ctx):
    from credit.services.listings import listing_notice, listing_propose

    handler = ctx["users"]["case_handler@own"]
    listing = listing_propose(
        user=handler,
        penalty_fact=_penalty(ctx),
        reason="生产销售不合格产品，情节严重",
        basis="《办法》第二条",
        on=MONDAY,
    )
    return listing_notice(user=handler, listing=listing, served_on=MONDAY)


def _listed_listing(ctx):
    from credit.services.listings import listing_approve, listing_decide, listing_submit

    listing = _noticed_listing(ctx)
    after = listing.defence_due_on + dt.timedelta(days=1)
    users = ctx["users"]
    listing = listing_submit(user=users["case_handler@own"], listing=listing, on=after)
    listing = listing_approve(user=users["leader@parent"], listing=listing, on=after)
    return listing_decide(user=users["leader@own"], listing=listing, on=after)


def _published_penalty(ctx):
    from credit.tests.factories import make_fact, penalty, published_penalty

    decided = penalty(ctx["enterprise"], PUBLISHED - dt.timedelta(days=5), fine="30000.00")
    published = published_penalty(decided, PUBLISHED, until=dt.date(2028, 1, 10))
    make_fact(ctx["enterprise"], "enforcement.fine_paid", PUBLISHED, data={"decision_no": decided.data["decision_no"]})
    return published


def _application(ctx):
    """A credit-repair application the enterprise's own account filed (it waits for the county's decision)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from credit.models import ApplicationKind
    from credit.services.applications import application_file

    return application_file(
        user=ctx["users"]["enterprise@own"],
        kind=ApplicationKind.PENALTY_REPAIR,
        penalty_fact=_published_penalty(ctx),
        statement="已整改完毕",
        harm_removed=True,
        commitment=True,
        files=[SimpleUploadedFile("缴款凭证.pdf", b"%PDF-1.7\nbody", content_type="application/pdf")],
        on=dt.date(2025, 8, 1),
    )


def _document(ctx):
    return _application(ctx).documents.order_by("id").first()


def _record(ctx):
    from credit.models import CreditRecord
    from credit.services.records import take_up_facts

    _penalty(ctx)
    take_up_facts(full=True)
    return CreditRecord.objects.filter(enterprise=ctx["enterprise"]).order_by("id").first()


def _active_rules(ctx):
    from credit.services.classes import ensure_default_rule_set

    return ensure_default_rule_set()


def _draft_rules(ctx):
    from core.tests.factories import UserFactory
    from credit.services.rules import rule_set_draft_create

    _active_rules(ctx)
    editor = UserFactory(username="m_province_admin", role="administrator", jurisdiction=ctx["regions"]["430000"])
    return rule_set_draft_create(user=editor)


def _warning(ctx):
    """A new warning about the matrix's enterprise (an enterprise warning: it cannot become a sampling task)."""
    from credit.warnings.tests.test_services import make_warning

    return make_warning(enterprise=ctx["enterprise"])


OBJECTS = {
    "credit_warning": _warning,
    "credit_enterprise": lambda ctx: ctx["enterprise"],
    "credit_penalty": _penalty,
    "credit_listing_noticed": _noticed_listing,
    "credit_listing_listed": _listed_listing,
    "credit_published_penalty": _published_penalty,
    "credit_application": _application,
    "credit_document": _document,
    "credit_record": _record,
    "credit_rules_active": _active_rules,
    "credit_rules_draft": _draft_rules,
}

# Credit records of one enterprise: the supervising staff of the county and the city; roles outside them get 403
# before any record is looked up; the neighbour's staff are shown nothing.
CREDIT_READ = Access(roles=CREDIT_VIEW)
# Enterprise-service pages: only an enterprise's own account (staff 403).
PORTAL = Access(roles=("enterprise",), scoped=False)
POST_ONLY = Access(roles=(), refused=NOT_ALLOWED)
# What is the enterprise's own: its account and the supervising staff of the county and the city.
# (The institution's staff are shown no application at all: 404.)
OWN_APPLICATION = Access(
    roles=(*CREDIT_VIEW, "enterprise"),
    cells={f"institution@{place}": HIDDEN for place in ("own", "parent", "neighbour")},
)
# The application's documents are found by id, then refused (403) to anyone who may not see the application.
OWN_DOCUMENT = Access(roles=(*CREDIT_VIEW, "enterprise"), neighbour=DENIED)
# A listing is looked up among those the user's bureau sees first: the neighbour's staff get 404 whatever their role.
LISTING_ACT = Access(roles=LISTING_HANDLERS, cells={f"{role}@neighbour": HIDDEN for role in CREDIT_VIEW})

# Warnings: the viewing roles of the county and the city; the others (institution, enterprise accounts) are shown none.
WARNING_READ = Access(roles=CREDIT_VIEW, refused=HIDDEN)
# 列入下一轮抽查 of an enterprise warning: refused (403) to everyone who sees it.
WARNING_TO_TASK = Access(roles=(), cells={f"{role}@neighbour": HIDDEN for role in CREDIT_VIEW})

PAGES = {
    "credit:application_list": Rule(read=staff(CREDIT_VIEW)),
    "credit:enterprise_list": Rule(read=staff(CREDIT_VIEW)),
    "credit:listing_list": Rule(read=staff(CREDIT_VIEW)),
    "credit:overview": Rule(read=staff(CREDIT_VIEW)),
    "credit:portal_home": Rule(read=PORTAL),
    "credit:rule_list": Rule(read=staff(CREDIT_VIEW)),
    "credit:rule_new": Rule(
        read=Access(roles=(), scoped=False, refused=NOT_ALLOWED), write=Access(roles=(), scoped=False)
    ),
    "credit_public:blacklist": Rule(read=public()),
    "warnings:list": Rule(read=staff(CREDIT_VIEW)),
    "warnings:detail": Rule(obj="credit_warning", read=WARNING_READ, write=WARNING_READ),
    # An empty reason is sent back to the warning's page with the error before any policy is asked.
    "warnings:assess": Rule(obj="credit_warning", read=POST_ONLY, write=WARNING_READ),
    "warnings:handle": Rule(obj="credit_warning", read=POST_ONLY, write=WARNING_READ),
    "warnings:dismiss": Rule(obj="credit_warning", read=POST_ONLY, write=WARNING_READ),
    "warnings:task": Rule(
        obj="credit_warning",
        read=POST_ONLY,
        write=Access(
            roles=(),
            refused=DENIED,
            cells={
                **WARNING_TO_TASK.cells,
                "institution@own": HIDDEN,
                "institution@parent": HIDDEN,
                "institution@neighbour": HIDDEN,
                "enterprise@own": HIDDEN,
            },
        ),
    ),
    # The enterprise's credit page: enterprises are looked up among those the user supervises (404 otherwise).
    "credit:enterprise_detail": Rule(
        obj="credit_enterprise",
        read=Access(roles=CREDIT_VIEW, refused=HIDDEN),
        write=Access(roles=CREDIT_VIEW, refused=HIDDEN),
    ),
    "credit:rule_detail": Rule(obj="credit_rules_active", read=staff(CREDIT_VIEW), write=staff(CREDIT_VIEW)),
    "credit:rule_edit": Rule(
        obj="credit_rules_draft", read=Access(roles=(), scoped=False), write=Access(roles=(), scoped=False)
    ),
    "credit:rule_preview": Rule(obj="credit_rules_draft", read=POST_ONLY, write=Access(roles=(), scoped=False)),
    "credit:rule_activate": Rule(obj="credit_rules_draft", read=POST_ONLY, write=Access(roles=(), scoped=False)),
    "credit:listing_detail": Rule(obj="credit_listing_noticed", read=CREDIT_READ, write=CREDIT_READ),
    # 记录陈述申辩 on a served listing: the case handlers and leaders of the deciding bureau (and the city above).
    "credit:listing_action": Rule(
        obj="credit_listing_noticed",
        kwargs=lambda listing: {"pk": listing.pk, "action": "defence"},
        read=POST_ONLY,
        write=LISTING_ACT,
    ),
    # 提出列入 from a penalty: the case handlers and leaders of the enterprise's jurisdiction (the penalty is found by
    # id, then refused to everyone else: the neighbour's get 403, not 404).
    "credit:listing_new": Rule(
        obj="credit_penalty",
        kwargs=lambda fact: {"fact_id": fact.pk},
        read=Access(roles=LISTING_HANDLERS, neighbour=DENIED),
        write=Access(roles=LISTING_HANDLERS, neighbour=DENIED),
    ),
    "credit:application_detail": Rule(obj="credit_application", read=OWN_APPLICATION, write=OWN_APPLICATION),
    "credit:document": Rule(obj="credit_document", read=OWN_DOCUMENT, write=OWN_DOCUMENT),
    "credit:portal_application": Rule(obj="credit_application", read=PORTAL, write=PORTAL),
    "credit:portal_apply_removal": Rule(obj="credit_listing_listed", read=PORTAL, write=PORTAL),
    "credit:portal_defence": Rule(obj="credit_listing_noticed", read=POST_ONLY, write=PORTAL),
    "credit:portal_apply_repair": Rule(
        obj="credit_published_penalty", kwargs=lambda fact: {"fact_id": fact.pk}, read=PORTAL, write=PORTAL
    ),
    "credit_public:listing_detail": Rule(
        obj="credit_listing_listed", kwargs=lambda listing: {"number": listing.number}, read=public(), write=public()
    ),
    "credit_public:enterprise_profile": Rule(
        obj="credit_enterprise", kwargs=lambda enterprise: {"uscc": enterprise.uscc}, read=public(), write=public()
    ),
}

API = {
    "GET /api/v1/credit/applications/": Rule(read=staff((*CREDIT_VIEW, "enterprise"))),
    "GET /api/v1/credit/classes/": Rule(read=staff(CREDIT_VIEW)),
    "GET /api/v1/credit/listings/": Rule(read=staff(CREDIT_VIEW)),
    "GET /api/v1/credit/records/": Rule(read=staff(CREDIT_VIEW)),
    "GET /api/v1/public/blacklist/": Rule(read=public()),
    "GET /api/v1/warnings/": Rule(read=staff(CREDIT_VIEW)),
    "GET /api/v1/warnings/{id}/": Rule(obj="credit_warning", read=CREDIT_READ),
    # An empty body is a 400 (the reason is required) for everyone who sees the warning.
    "POST /api/v1/warnings/{id}/assess/": Rule(obj="credit_warning", write=CREDIT_READ),
    "POST /api/v1/warnings/{id}/handle/": Rule(obj="credit_warning", write=CREDIT_READ),
    "POST /api/v1/warnings/{id}/dismiss/": Rule(obj="credit_warning", write=CREDIT_READ),
    "POST /api/v1/warnings/{id}/sampling-task/": Rule(obj="credit_warning", write=WARNING_TO_TASK),
    # The API refuses roles without credit access (403) before looking the application up.
    "GET /api/v1/credit/applications/{id}/": Rule(
        obj="credit_application", read=Access(roles=(*CREDIT_VIEW, "enterprise"))
    ),
    "GET /api/v1/credit/classes/{id}/": Rule(obj="credit_enterprise", read=CREDIT_READ),
    "GET /api/v1/credit/listings/{id}/": Rule(obj="credit_listing_noticed", read=CREDIT_READ),
    "GET /api/v1/credit/records/{id}/": Rule(obj="credit_record", read=CREDIT_READ),
    "GET /api/v1/public/blacklist/{number}/": Rule(
        obj="credit_listing_listed", kwargs=lambda listing: {"number": listing.number}, read=public()
    ),
}

PENDING: list[str] = []

_unused = (ALL_ROLES, DENIED, HIDDEN, LOGIN, NOT_ALLOWED, OK, Access, public, scoped, staff)

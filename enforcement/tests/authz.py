"""Authorization matrix declarations of enforcement's pages and API (framework: tests/security/test_authz_matrix.py).

Every record is made in 芙蓉区 (430102, the "own" county) for the matrix's own enterprise through the services; the
city 长沙市 above sees it, the neighbouring 天心区 does not (404), and roles outside VIEW_ROLES (institution, enterprise
accounts) are refused before the record is looked up (403).
"""

from __future__ import annotations

from tests.security.authz import ALL_ROLES, DENIED, HIDDEN, LOGIN, NOT_ALLOWED, OK, Access, Rule, public, scoped, staff

VIEW = ("inspector", "case_handler", "legal_reviewer", "leader", "administrator")
REGISTER = ("inspector", "case_handler", "leader", "administrator")


def _team(ctx):
    from enforcement.tests.factories import make_team

    return make_team(ctx["regions"], prefix="az")


def _checking_case(ctx):
    """A case under 立案核查: no handlers assigned yet, so every credentialed case handler of the county may act."""
    from enforcement import services
    from enforcement.tests.factories import day, register

    case = register(_team(ctx), enterprise=ctx["enterprise"])
    return services.case_start_check(user=ctx["users"]["case_handler@own"], case=case, on=day(1))


def _evidence(ctx):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from enforcement import services
    from enforcement.tests.factories import day

    return services.evidence_add(
        user=ctx["users"]["case_handler@own"],
        case=_checking_case(ctx),
        kind="documentary",
        title="现场检查笔录",
        collected_on=day(1),
        upload=SimpleUploadedFile("record.pdf", b"%PDF-1.4\n%matrix\n", content_type="application/pdf"),
    )


def _decided_case(ctx):
    from enforcement.models import CaseStatus
    from enforcement.tests.factories import build_case

    team = _team(ctx)
    team.enterprise = ctx["enterprise"]
    return team, build_case(team, CaseStatus.DECIDED)


def _document(ctx):
    return _decided_case(ctx)[1].documents.order_by("id").first()


def _publication(ctx):
    from enforcement import services
    from enforcement.tests.factories import day

    team, case = _decided_case(ctx)
    return services.penalty_publish(user=team.leader, case=case, on=day(26))


def _clue(ctx):
    return _checking_case(ctx).clues.order_by("id").first()


def _failed_sample(ctx):
    from sampling.tests.tasks_data import make_sample, make_task

    task = make_task(
        region_code="430102", year=2026, institution=ctx["institution"], created_by=ctx["users"]["leader@own"]
    )
    return make_sample(task, ctx["enterprise"], final_verdict="fail")


def _failed_followup(ctx):
    import datetime as dt

    from sampling.models import FollowUp

    return FollowUp.objects.create(sample=_failed_sample(ctx), step="notice", started_on=dt.date(2026, 5, 20))


OBJECTS = {
    "enf_case": _checking_case,
    "enf_evidence": _evidence,
    "enf_document": _document,
    "enf_publication": _publication,
    "enf_clue": _clue,
    "enf_failed_sample": _failed_sample,
    "enf_failed_followup": _failed_followup,
}

# Reads of one case: the viewing roles of the county and the city above; the neighbour's staff get 404; the roles that
# never see cases (institution, enterprise accounts) get 403 before any record is looked up.
CASE_READ = Access(roles=VIEW)


def case_act(roles) -> Access:
    """An action on one case by ``roles`` of its jurisdiction; the case is looked up first, so the neighbour's viewing
    staff get 404 whatever their role."""
    return Access(roles=roles, cells={f"{role}@neighbour": HIDDEN for role in VIEW})


# POSTs that only ever answer 405 to a GET.
POST_ONLY = Access(roles=(), refused=NOT_ALLOWED)


PAGES = {
    "enforcement:case_list": Rule(read=staff(VIEW)),
    "enforcement:clue_new": Rule(read=staff(VIEW), write=staff(VIEW)),
    "enforcement:dashboard": Rule(read=staff(("leader", "administrator"))),
    "enforcement:overdue": Rule(read=staff(VIEW)),
    # A POST is answered as a GET.
    "enforcement:case_detail": Rule(obj="enf_case", read=CASE_READ, write=CASE_READ),
    # 延长立案核查期限: the leaders of the county and the city; the empty form is a 400 (not refused).
    "enforcement:case_action": Rule(
        obj="enf_case",
        kwargs=lambda case: {"pk": case.pk, "code": "extend_filing"},
        read=POST_ONLY,
        write=case_act(("leader",)),
    ),
    # Evidence is registered by the credentialed case handlers of the case's jurisdiction (the city's included).
    "enforcement:evidence_upload": Rule(obj="enf_case", read=POST_ONLY, write=case_act(("case_handler",))),
    "enforcement:evidence_file": Rule(obj="enf_evidence", read=CASE_READ, write=CASE_READ),
    "enforcement:document_pdf": Rule(obj="enf_document", read=CASE_READ, write=CASE_READ),
    # 移送立案: REGISTER_ROLES of the sample's jurisdiction; others of it 403; the sample is hidden outside it.
    "enforcement:case_from_sample": Rule(obj="enf_failed_sample", read=POST_ONLY, write=scoped(REGISTER)),
    "enforcement:case_from_followup": Rule(obj="enf_failed_followup", read=POST_ONLY, write=scoped(REGISTER)),
    # Withdrawing a publication: the leaders of its jurisdiction; the empty form redirects with an error.
    "enforcement:publication_withdraw": Rule(obj="enf_publication", read=POST_ONLY, write=case_act(("leader",))),
    "enforcement:publication_overturned": Rule(obj="enf_publication", read=POST_ONLY, write=case_act(("leader",))),
    "public_enforcement:complaint_new": Rule(read=public(), write=public()),
    "public_enforcement:complaint_status": Rule(read=public(), write=public()),
    "public_enforcement:penalty_list": Rule(read=public()),
    "public_enforcement:penalty_detail": Rule(obj="enf_publication", read=public(), write=public()),
}

API = {
    "GET /api/v1/enforcement/cases/": Rule(read=staff(VIEW)),
    "GET /api/v1/enforcement/clues/": Rule(read=staff(VIEW)),
    "GET /api/v1/enforcement/documents/": Rule(read=staff(VIEW)),
    "GET /api/v1/public/penalties/": Rule(read=public()),
    "POST /api/v1/enforcement/clues/": Rule(write=staff(VIEW)),
    "POST /api/v1/public/complaints/": Rule(write=public()),
    "POST /api/v1/public/complaints/status/": Rule(write=public()),
    "GET /api/v1/enforcement/cases/{id}/": Rule(obj="enf_case", read=CASE_READ),
    "GET /api/v1/enforcement/cases/{id}/documents/": Rule(obj="enf_case", read=CASE_READ),
    "GET /api/v1/enforcement/cases/{id}/evidence/": Rule(obj="enf_case", read=CASE_READ),
    "GET /api/v1/enforcement/clues/{id}/": Rule(obj="enf_clue", read=CASE_READ),
    "GET /api/v1/enforcement/documents/{id}/": Rule(obj="enf_document", read=CASE_READ),
    "GET /api/v1/enforcement/documents/{id}/pdf/": Rule(obj="enf_document", read=CASE_READ),
    # An empty body names no action: a 400 for every viewer of the case (the action's policy is checked after).
    "POST /api/v1/enforcement/cases/{id}/transition/": Rule(obj="enf_case", write=CASE_READ),
    "GET /api/v1/public/penalties/{id}/": Rule(obj="enf_publication", read=public()),
}

PENDING: list[str] = []

_unused = (ALL_ROLES, DENIED, HIDDEN, LOGIN, OK)

"""The case procedure table: every allowed edge works through its service, every other edge is refused."""

from __future__ import annotations

import pytest

from core.errors import DomainError
from enforcement import services
from enforcement.models import Case, CaseStatus, ReviewOpinion
from enforcement.tests.factories import build_case, day, register, simple_fine
from enforcement.transitions import CASE_FLOW, TRANSITIONS

S = CaseStatus
pytestmark = pytest.mark.django_db


def _reload(case):
    return Case.objects.get(pk=case.pk)


def _cancel(team, case):
    return services.case_cancel(user=team.leader, case=case, reason="当事人主体已注销")


def _merge(team, case):
    other = register(team)
    if case.status == S.CHECKING:
        services.case_start_check(user=team.handler, case=other, on=day(1))
    services.cases_merge(user=team.handler, case=case, into=other, on=day(2))
    return _reload(case)


def _after_hearing(team, case, then):
    services.case_hold_hearing(user=team.handler, case=case, record="听证笔录：当事人到场陈述。", on=day(27))
    return then(_reload(case))


def _hearing_reviewed(team, case):
    """HEARING → (held) → LEGAL_REVIEW → 同意: the case waits in 法制审核 for discussion or decision."""
    case = _after_hearing(team, case, lambda c: services.case_submit_review(user=team.handler, case=c, on=day(27)))
    services.case_review(
        user=team.reviewer, case=case, opinion=ReviewOpinion.AGREE, comment="听证后复核，同意。", on=day(28)
    )
    return _reload(case)


def _discuss(team, case, on=None):
    services.case_discuss(
        user=team.leader, case=case, held_on=on or day(28), participants="局长、副局长", conclusion="同意处罚"
    )
    return _reload(case)


# (source, target) → (how to build the source, how to take the edge)
EDGES = {
    (S.REGISTERED, S.CHECKING): ({}, lambda t, c: services.case_start_check(user=t.handler, case=c, on=day(1))),
    (S.REGISTERED, S.DECIDED): ({}, lambda t, c: simple_fine(t, c)),
    (S.REGISTERED, S.MERGED): ({}, _merge),
    (S.CHECKING, S.FILING_APPROVAL): (
        {},
        lambda t, c: services.case_request_filing(
            user=t.handler, case=c, handlers=[t.handler, t.handler2], title="案由", facts="事实", on=day(2)
        ),
    ),
    (S.CHECKING, S.NOT_FILED): (
        {},
        lambda t, c: services.case_not_file(user=t.leader, case=c, reason="无违法事实", on=day(2)),
    ),
    (S.CHECKING, S.DECIDED): ({}, lambda t, c: simple_fine(t, c, on=day(2))),
    (S.CHECKING, S.MERGED): ({}, _merge),
    (S.FILING_APPROVAL, S.INVESTIGATING): (
        {},
        lambda t, c: services.case_approve_filing(user=t.leader, case=c, on=day(3)),
    ),
    (S.FILING_APPROVAL, S.CHECKING): (
        {},
        lambda t, c: services.case_return_filing(user=t.leader, case=c, reason="补充核查", on=day(3)),
    ),
    (S.FILING_APPROVAL, S.NOT_FILED): (
        {},
        lambda t, c: services.case_not_file(user=t.leader, case=c, reason="证据不足", on=day(3)),
    ),
    (S.INVESTIGATING, S.LEGAL_REVIEW): (
        {},
        lambda t, c: services.case_submit_review(
            user=t.handler,
            case=__import__("enforcement.tests.factories", fromlist=["propose"]).propose(t, c),
            on=day(10),
        ),
    ),
    (S.INVESTIGATING, S.NOTIFIED): (
        {},
        lambda t, c: services.case_notify(
            user=t.handler,
            case=__import__("enforcement.tests.factories", fromlist=["propose"]).propose(
                t, c, fine="3000.00", complex_case=False
            ),
            on=day(11),
        ),
    ),
    (S.INVESTIGATING, S.TRANSFERRED): (
        {},
        lambda t, c: services.case_transfer(user=t.leader, case=c, authority="公安分局", reason="涉嫌犯罪", on=day(5)),
    ),
    (S.LEGAL_REVIEW, S.NOTIFIED): (
        {},
        lambda t, c: (
            services.case_review(user=t.reviewer, case=c, opinion="agree", comment="同意", on=day(11)),
            services.case_notify(user=t.handler, case=_reload(c), on=day(12)),
        )[1],
    ),
    (S.LEGAL_REVIEW, S.INVESTIGATING): (
        {},
        lambda t, c: services.case_review(
            user=t.reviewer, case=c, opinion="supplement", comment="证据不足", on=day(11)
        ),
    ),
    (S.LEGAL_REVIEW, S.DISCUSSION): ({"hearing": True, "_from": S.HEARING, "_prep": _hearing_reviewed}, _discuss),
    (S.LEGAL_REVIEW, S.DECIDED): (
        {"hearing": True, "_from": S.HEARING, "_prep": _hearing_reviewed},
        lambda t, c: services.case_decide(user=t.leader, case=c, on=day(28)),
    ),
    (S.NOTIFIED, S.DEFENCE): (
        {},
        lambda t, c: services.case_record_defence(user=t.handler, case=c, text="申辩意见", on=day(15)),
    ),
    (S.NOTIFIED, S.HEARING): (
        {"hearing": True},
        lambda t, c: services.case_request_hearing(
            user=t.handler, case=c, hearing_on=day(27), place="听证室", host="王主持", on=day(15)
        ),
    ),
    (S.NOTIFIED, S.DISCUSSION): ({}, lambda t, c: _discuss(t, c, on=day(24))),
    (S.NOTIFIED, S.DECIDED): ({}, lambda t, c: services.case_decide(user=t.leader, case=c, on=day(24))),
    (S.NOTIFIED, S.TRANSFERRED): (
        {},
        lambda t, c: services.case_transfer(user=t.leader, case=c, authority="公安分局", reason="涉嫌犯罪", on=day(16)),
    ),
    (S.DEFENCE, S.INVESTIGATING): (
        {},
        lambda t, c: services.case_reopen(user=t.handler, case=c, reason="申辩提出新的事实", on=day(16)),
    ),
    (S.DEFENCE, S.DISCUSSION): ({}, lambda t, c: _discuss(t, c, on=day(17))),
    (S.DEFENCE, S.DECIDED): ({}, lambda t, c: services.case_decide(user=t.leader, case=c, on=day(17))),
    (S.HEARING, S.LEGAL_REVIEW): (
        {},
        lambda t, c: _after_hearing(t, c, lambda x: services.case_submit_review(user=t.handler, case=x, on=day(27))),
    ),
    (S.HEARING, S.DISCUSSION): ({}, lambda t, c: _after_hearing(t, c, lambda x: _discuss(t, x))),
    (S.HEARING, S.DECIDED): (
        {},
        lambda t, c: _after_hearing(t, c, lambda x: services.case_decide(user=t.leader, case=x, on=day(28))),
    ),
    (S.DISCUSSION, S.DECIDED): ({}, lambda t, c: services.case_decide(user=t.leader, case=c, on=day(25))),
    (S.DISCUSSION, S.TRANSFERRED): (
        {},
        lambda t, c: services.case_transfer(user=t.leader, case=c, authority="公安分局", reason="涉嫌犯罪", on=day(25)),
    ),
    (S.TRANSFERRED, S.INVESTIGATING): (
        {},
        lambda t, c: services.case_police_answer(
            user=t.leader, case=c, accepted=False, answer="不构成犯罪", on=day(20)
        ),
    ),
    (S.TRANSFERRED, S.CLOSED): (
        {},
        lambda t, c: services.case_police_answer(user=t.leader, case=c, accepted=True, answer="已立案侦查", on=day(20)),
    ),
    (S.DECIDED, S.SERVED): ({}, lambda t, c: services.case_serve(user=t.handler, case=c, how="直接送达", on=day(27))),
    (S.SERVED, S.EXECUTED): (
        {},
        lambda t, c: (
            services.payment_record(user=t.handler, case=c, amount=c.outstanding_total, paid_on=day(30)),
            services.case_execute(user=t.handler, case=_reload(c), on=day(31)),
        )[1],
    ),
    (S.SERVED, S.CLOSED): (
        {"no_penalty": True},
        lambda t, c: services.case_close(user=t.leader, case=c, summary="不予处罚，结案", on=day(14)),
    ),
    (S.EXECUTED, S.CLOSED): ({}, lambda t, c: services.case_close(user=t.leader, case=c, summary="结案", on=day(32))),
}
for source, targets in TRANSITIONS.items():
    if S.CANCELLED in targets:
        EDGES[(source, S.CANCELLED)] = ({}, _cancel)


def test_every_edge_of_the_table_has_a_service_path():
    assert set(EDGES) == CASE_FLOW.edges()


@pytest.mark.parametrize("edge", sorted(EDGES), ids=lambda e: f"{e[0]}->{e[1]}")
def test_allowed_edge_works(team, edge):
    source, target = edge
    options, take = EDGES[edge]
    options = dict(options)
    prep = options.pop("_prep", None)
    build_from = options.pop("_from", source)
    case = build_case(team, build_from, **options)
    if prep:
        case = prep(team, case)
    assert case.status == source
    take(team, _reload(case))
    case = _reload(case)
    assert case.status == target
    assert case.timeline.filter(to_status=target).exists()


# One call per service, by the status it writes: used to show that every other edge is refused.
def _attempts(team):
    t = team
    return {
        "check": lambda c: services.case_start_check(user=t.handler, case=c),
        "request_filing": lambda c: services.case_request_filing(
            user=t.handler, case=c, handlers=[t.handler, t.handler2], title="案由", facts="事实"
        ),
        "approve": lambda c: services.case_approve_filing(user=t.leader, case=c),
        "return": lambda c: services.case_return_filing(user=t.leader, case=c, reason="退回"),
        "not_file": lambda c: services.case_not_file(user=t.leader, case=c, reason="不立案"),
        "simple": lambda c: simple_fine(t, c, on=None),
        "submit_review": lambda c: services.case_submit_review(user=t.handler, case=c),
        "review": lambda c: services.case_review(user=t.reviewer, case=c, opinion="supplement", comment="退回"),
        "notify": lambda c: services.case_notify(user=t.handler, case=c),
        "defence": lambda c: services.case_record_defence(user=t.handler, case=c, text="申辩"),
        "reopen": lambda c: services.case_reopen(user=t.handler, case=c, reason="补充"),
        "discuss": lambda c: services.case_discuss(
            user=t.leader, case=c, held_on=day(80), participants="局长", conclusion="同意"
        ),
        "decide": lambda c: services.case_decide(user=t.leader, case=c),
        "transfer": lambda c: services.case_transfer(user=t.leader, case=c, authority="公安", reason="涉嫌犯罪"),
        "police_answer": lambda c: services.case_police_answer(user=t.leader, case=c, accepted=False, answer="不立案"),
        "serve": lambda c: services.case_serve(user=t.handler, case=c, how="直接送达"),
        "execute": lambda c: services.case_execute(user=t.handler, case=c),
        "close": lambda c: services.case_close(user=t.leader, case=c, summary="结案"),
        "cancel": lambda c: services.case_cancel(user=t.leader, case=c, reason="撤销"),
    }


@pytest.mark.parametrize("state", [s for s in S.values if s not in (S.MERGED,)])
def test_every_other_move_is_refused(team, state):
    if state == S.NOT_FILED:
        case = build_case(team, S.CHECKING)
        services.case_not_file(user=team.leader, case=case, reason="无违法事实", on=day(2))
    elif state == S.CANCELLED:
        case = build_case(team, S.REGISTERED)
        _cancel(team, case)
    else:
        case = build_case(team, state)
    case = _reload(case)
    for name, attempt in _attempts(team).items():
        before = _reload(case).status
        try:
            attempt(_reload(case))
        except DomainError:
            assert _reload(case).status == before
            continue
        after = _reload(case).status
        assert CASE_FLOW.allowed(before, after) or after == before, f"{name}: {before} → {after}"
        # A move that worked is an edge of the table; rebuild for the next attempt.
        case = build_case(team, state) if after != before else case
        if state in (S.NOT_FILED, S.CANCELLED):
            break


def test_terminal_states_have_no_way_out():
    for state in (S.NOT_FILED, S.CLOSED, S.CANCELLED, S.MERGED):
        assert CASE_FLOW.is_terminal(state)
    assert all(S.CANCELLED in TRANSITIONS[s] for s in S.values if not CASE_FLOW.is_terminal(s))


ROLE_STATES = [S.REGISTERED, S.CHECKING, S.FILING_APPROVAL, S.INVESTIGATING, S.LEGAL_REVIEW, S.NOTIFIED, S.DECIDED]


@pytest.mark.parametrize("state", ROLE_STATES)
def test_each_action_only_for_its_role_and_never_for_the_neighbouring_county(team, neighbour, state):
    from enforcement.actions import ACTIONS

    case = build_case(team, state)
    members = ("handler", "handler2", "leader", "reviewer", "inspector")
    offered = 0
    for action in ACTIONS:
        for member in members:
            if action.policy(getattr(team, member), case):
                offered += 1
                assert member != "inspector", f"{action.code} offered to an inspector"
                assert not action.policy(getattr(neighbour, member), case), f"{action.code}: neighbour {member}"
    assert offered, state

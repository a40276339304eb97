"""Enforcement test data, built through the services: a county team and cases driven to any state."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from core.models import Enterprise, ProductType, Region, Role, User
from core.tests.factories import EnterpriseFactory, ProductTypeFactory, UserFactory
from enforcement import services
from enforcement.models import Case, CaseStatus, ClueSource, LegalBasis, ReviewOpinion
from enforcement.reference import load_legal_bases

# A timeline in the past (services refuse future dates): the clue arrives on D0.
D0 = dt.date(2026, 9, 1)


def day(n: int) -> dt.date:
    return D0 + dt.timedelta(days=n)


@dataclass
class Team:
    handler: User
    handler2: User
    leader: User
    reviewer: User
    inspector: User
    enterprise: Enterprise
    product_type: ProductType
    basis: LegalBasis


def make_team(regions, code: str = "430102", prefix: str = "fr") -> Team:
    load_legal_bases()
    region = regions[code] if isinstance(regions, dict) else Region.objects.get(code=code)

    def person(name, role, credential=""):
        return UserFactory(
            username=f"{prefix}_{name}",
            role=role,
            jurisdiction=region,
            last_name=name,
            enforcement_credential=credential,
        )

    return Team(
        handler=person("handler", Role.CASE_HANDLER, f"{code}001"),
        handler2=person("handler2", Role.CASE_HANDLER, f"{code}002"),
        leader=person("leader", Role.LEADER),
        reviewer=person("reviewer", Role.LEGAL_REVIEWER),
        inspector=person("inspector", Role.INSPECTOR),
        enterprise=EnterpriseFactory(region=region),
        product_type=ProductTypeFactory(),
        basis=LegalBasis.objects.get(article="第四十九条"),
    )


def register(team: Team, **extra) -> Case:
    clue = services.clue_register(
        user=team.handler,
        source=extra.pop("source", ClueSource.INSPECTION),
        region=team.enterprise.region,
        enterprise=extra.pop("enterprise", team.enterprise),
        product_type=extra.pop("product_type", team.product_type),
        description=extra.pop("description", "监督检查发现涉嫌生产不合格电热水壶"),
        received_on=extra.pop("received_on", D0),
        **extra,
    )
    return clue.case


def propose(team: Team, case: Case, *, fine="50000.00", complex_case=True, major=False, on=None, **extra) -> Case:
    return services.case_propose(
        user=team.handler,
        case=case,
        report="经调查，当事人生产的电热水壶不符合 GB 4706.19 的要求。",
        facts="当事人于 2026 年 8 月生产电热水壶 500 台，经检验不合格，货值 25000 元。",
        violation_type="不符合强制性标准",
        penalty_types=extra.pop("penalty_types", ["fine", "confiscate_gains"] if fine else ["warning"]),
        bases=[team.basis],
        fine=fine,
        confiscation=extra.pop("confiscation", "1200.00" if fine else None),
        illegal_gains="1200.00",
        goods_value="25000.00",
        complex_case=complex_case,
        major_case=major,
        on=on or day(10),
        **extra,
    )


def build_case(
    team: Team, target: str, *, hearing: bool = False, no_penalty: bool = False, enterprise=None, **propose_extra
) -> Case:
    """A case driven through the services to ``target`` on the standard path (the team's enterprise unless
    another is given)."""
    case = register(team, enterprise=enterprise or team.enterprise)
    S = CaseStatus
    if target == S.REGISTERED:
        return case
    case = services.case_start_check(user=team.handler, case=case, on=day(1))
    if target == S.CHECKING:
        return case
    case = services.case_request_filing(
        user=team.handler,
        case=case,
        handlers=[team.handler, team.handler2],
        title="某公司生产不合格电热水壶案",
        facts="涉嫌生产不符合强制性国家标准的电热水壶。",
        violation_type="不符合强制性标准",
        on=day(2),
    )
    if target == S.FILING_APPROVAL:
        return case
    case = services.case_approve_filing(user=team.leader, case=case, on=day(2))
    if target == S.INVESTIGATING:
        return case
    if target == S.TRANSFERRED:
        services.case_transfer(
            user=team.leader, case=case, authority="长沙市公安局芙蓉分局", reason="涉嫌生产、销售伪劣产品罪", on=day(5)
        )
        return Case.objects.get(pk=case.pk)
    if no_penalty:
        propose_extra.update(outcome="no_penalty", fine=None, penalty_types=[])
    if hearing or target == S.HEARING:
        propose_extra.setdefault("fine", "150000.00")
    case = propose(team, case, **propose_extra)
    case = services.case_submit_review(user=team.handler, case=case, on=day(10))
    if target == S.LEGAL_REVIEW:
        return case
    services.case_review(
        user=team.reviewer, case=case, opinion=ReviewOpinion.AGREE, comment="事实清楚，证据确凿，同意。", on=day(11)
    )
    case = Case.objects.get(pk=case.pk)
    if no_penalty:
        case = services.case_decide(
            user=team.leader, case=case, outcome="no_penalty", reason="违法行为轻微并及时改正", on=day(12)
        )
        if target == S.DECIDED:
            return case
        case = services.case_serve(user=team.handler, case=case, how="直接送达", on=day(13))
        return case
    case = services.case_notify(user=team.handler, case=case, on=day(13))  # 2026-09-14
    if target == S.NOTIFIED:
        return case
    if target == S.DEFENCE:
        return services.case_record_defence(
            user=team.handler, case=case, text="当事人称系初次违法，请求从轻处罚。", on=day(15)
        )
    if target == S.HEARING:
        return services.case_request_hearing(
            user=team.handler, case=case, hearing_on=day(27), place="芙蓉区市场监管局听证室", host="王主持", on=day(15)
        )
    if target == S.DISCUSSION:
        services.case_discuss(
            user=team.leader, case=case, held_on=day(24), participants="局长、副局长、法制科长", conclusion="同意处罚"
        )
        return Case.objects.get(pk=case.pk)
    case = services.case_decide(user=team.leader, case=case, on=day(24))
    if target == S.DECIDED:
        return case
    case = services.case_serve(user=team.handler, case=case, how="直接送达", on=day(27))
    if target == S.SERVED:
        return case
    services.payment_record(
        user=team.handler, case=case, amount=case.outstanding_total, paid_on=day(30), receipt_no="FS001"
    )
    case = services.case_execute(user=team.handler, case=Case.objects.get(pk=case.pk), on=day(31))
    if target == S.EXECUTED:
        return case
    case = services.case_close(user=team.leader, case=case, summary="罚没款已缴清，结案。", on=day(32))
    if target == S.CLOSED:
        return case
    raise ValueError(target)


def simple_fine(team: Team, case: Case, fine: str = "200.00", **extra) -> Case:
    return services.case_decide_simple(
        user=team.handler,
        case=case,
        penalty_types=["fine"],
        fine=Decimal(fine),
        facts="当场发现销售标识不全的产品",
        bases=[team.basis],
        on=extra.pop("on", day(1)),
        **extra,
    )

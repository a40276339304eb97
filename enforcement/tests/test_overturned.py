"""A published decision changed, revoked or held void: the 3-工作日 withdrawal limit (Order 45 art. 11)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from core.errors import DomainError
from core.facts import facts_of_source
from core.models_timelimits import ClockState
from enforcement import services
from enforcement.links import case_due_items
from enforcement.models import Case, CaseStatus, OverturnKind
from enforcement.selectors import public_penalties
from enforcement.services.common import clock
from enforcement.tests.factories import build_case, day

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 11, 23)


def _published(team):
    case = build_case(team, CaseStatus.DECIDED)
    return services.penalty_publish(user=team.leader, case=case, on=day(26))


def test_revoked_decision_starts_the_withdrawal_limit_and_ends_the_penalty_record(team):
    publication = _published(team)
    publication = services.decision_overturned(
        user=team.leader,
        publication=publication,
        kind=OverturnKind.REVOKED,
        on=MONDAY,
        authority="长沙市人民政府",
        document_no="长政复决字〔2026〕12号",
    )
    # 3 工作日, the start day not counted: Tue, Wed, Thu.
    assert publication.withdrawal_due_on == dt.date(2026, 11, 26)
    titles = [item.title for item in case_due_items(team.leader)]
    assert any("撤下行政处罚信息公示" in t and "撤销" in t for t in titles)
    decided = facts_of_source(publication.case, kind="enforcement.penalty_decided").get()
    revoked = facts_of_source(publication, kind="enforcement.penalty_revoked").get()
    assert revoked.ends_id == decided.pk
    # Still shown until someone takes it down: the due item is what makes that happen.
    assert public_penalties(on=MONDAY).filter(pk=publication.pk).exists()

    services.penalty_withdraw(user=team.leader, publication=publication, reason="复议决定撤销原处罚", on=MONDAY)
    assert clock(Case.objects.get(pk=publication.case_id), "enforcement.publication_withdrawal").state == (
        ClockState.STOPPED
    )
    assert not any("撤下行政处罚信息公示" in item.title for item in case_due_items(team.leader))
    assert not public_penalties(on=MONDAY).filter(pk=publication.pk).exists()


def test_changed_decision_keeps_the_penalty_record_and_bad_dates_are_refused(team):
    publication = _published(team)
    with pytest.raises(DomainError, match="不能早于处罚决定日期"):
        services.decision_overturned(
            user=team.leader, publication=publication, kind="changed", on=day(0), authority="法院"
        )
    with pytest.raises(DomainError, match="不能晚于今天"):
        services.decision_overturned(
            user=team.leader, publication=publication, kind="changed", on=dt.date(2099, 1, 1), authority="法院"
        )
    with pytest.raises(DomainError, match="作出机关"):
        services.decision_overturned(user=team.leader, publication=publication, kind="changed", on=MONDAY, authority="")
    services.decision_overturned(user=team.leader, publication=publication, kind="changed", on=MONDAY, authority="法院")
    assert not facts_of_source(publication, kind="enforcement.penalty_revoked").exists()
    with pytest.raises(DomainError, match="已登记"):
        services.decision_overturned(
            user=team.leader, publication=publication, kind="void", on=MONDAY, authority="法院"
        )


def test_only_a_leader_registers_it_from_the_case_page(client, team):
    publication = _published(team)
    url = reverse("enforcement:publication_overturned", args=[publication.pk])
    form = {"overturn-kind": "void", "overturn-on": MONDAY.isoformat(), "overturn-authority": "长沙市中级人民法院"}
    client.force_login(team.handler)
    assert client.post(url, form).status_code == 403
    client.force_login(team.leader)
    page = client.get(reverse("enforcement:case_detail", args=[publication.case_id])).content.decode()
    assert "登记决定被变更、撤销或确认无效" in page
    response = client.post(url, form, follow=True)
    assert "2026-11-26" in response.content.decode()
    publication.refresh_from_db()
    assert publication.overturn_kind == "void" and publication.withdrawal_due_on == dt.date(2026, 11, 26)


def test_the_sector_chosen_at_the_proposal_travels_with_the_penalty_fact(team):
    food = build_case(team, CaseStatus.DECIDED, sector="food")
    general = build_case(team, CaseStatus.DECIDED)
    assert facts_of_source(food, kind="enforcement.penalty_decided").get().data["sector"] == "food"
    assert facts_of_source(general, kind="enforcement.penalty_decided").get().data["sector"] == ""
    with pytest.raises(DomainError, match="领域"):
        build_case(team, CaseStatus.DECIDED, sector="tobacco")


def test_party_registered_in_another_province_is_pushed_within_10_working_days(team, regions):
    from core.models import Region
    from core.tests.factories import EnterpriseFactory

    shenzhen = EnterpriseFactory(region=Region.objects.get(code="440305"))
    case = build_case(team, CaseStatus.DECIDED, enterprise=shenzhen)
    push = clock(case, "enforcement.publication_push")
    assert push is not None and push.state == ClockState.RUNNING
    assert push.limit.amount == 10 and push.limit.unit == "workday" and "第十条" in push.limit.basis
    # A party of the bureau's own province has no push.
    assert clock(build_case(team, CaseStatus.DECIDED), "enforcement.publication_push") is None

    with pytest.raises(DomainError, match="推送至"):
        services.penalty_push(user=team.leader, case=case, recipient=" ", on=case.decided_on)
    case = services.penalty_push(
        user=team.leader, case=Case.objects.get(pk=case.pk), recipient="深圳市市场监督管理局", on=case.decided_on
    )
    assert clock(case, "enforcement.publication_push").state == ClockState.STOPPED
    assert case.publication_pushed_to == "深圳市市场监督管理局"
    with pytest.raises(DomainError, match="已推送"):
        services.penalty_push(user=team.leader, case=case, recipient="深圳市市场监督管理局")

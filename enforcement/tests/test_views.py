"""Pages: lists with constant queries, the case page and its actions, jurisdiction refusals, the link with a
failed sample both ways, and the public complaint and penalty pages."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import Role
from core.tests.factories import InstitutionFactory, UserFactory
from enforcement import services
from enforcement.models import Case, CaseStatus, Clue
from enforcement.tests.factories import build_case, day, register

pytestmark = pytest.mark.django_db


def _failed_sample(regions):
    from sampling.services.results import result_confirm, result_enter
    from sampling.tests.results_support import item_rows, make_sample

    institution = InstitutionFactory(name="湖南省检验院（执法测试）")
    sample = make_sample(region_code="430102", institution=institution)
    lab = UserFactory(
        username="lab_enf", role=Role.INSTITUTION, jurisdiction=regions["430000"], institution=institution
    )
    result = result_enter(
        user=lab,
        sample=sample,
        report_no="R-2026-001",
        institution=institution,
        tested_on=dt.date(2026, 3, 10),
        items=item_rows(sample, ["pass", "fail", "pass"]),
    )
    result_confirm(user=lab, result=result)
    sample.refresh_from_db()
    assert sample.final_verdict == "fail"
    return sample


def _queries(client, url):
    client.get(url)  # the first request of a sign-in renews the session's expiry (a write once a minute)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


@pytest.mark.parametrize("url_name", ["enforcement:case_list", "enforcement:overdue"])
def test_case_list_queries_do_not_grow_with_the_page(team, login, url_name):
    client = login(team.leader)
    first = register(team)
    assert first.next_due_on < dt.date.today()  # the filing check of a clue of D0 is overdue: on both lists
    url = reverse(url_name)
    few, _page = _queries(client, url)
    cases = [first] + [register(team) for _ in range(7)]
    many, page = _queries(client, url)
    assert many == few
    for case in cases:
        assert f'href="{reverse("enforcement:case_detail", args=[case.pk])}"' in page
        assert case.case_no in page
    assert page.count('class="badge overdue"') == len(cases)
    assert "共 8 条" in page


def test_case_list_total_is_estimated_above_the_cap(team, login, monkeypatch):
    from core import pagination

    client = login(team.leader)
    cases = [register(team) for _ in range(3)]
    monkeypatch.setattr(pagination, "COUNTED_UP_TO", 2)
    page = client.get(reverse("enforcement:case_list"), {"state": "all"}).content.decode()
    assert "约 " in page and "共 3 条" not in page
    assert all(case.case_no in page for case in cases)  # the page itself is complete


def test_neighbouring_county_is_refused(team, neighbour, login):
    case = build_case(team, CaseStatus.FILING_APPROVAL)
    client = login(neighbour.leader)
    assert client.get(reverse("enforcement:case_detail", args=[case.pk])).status_code == 404
    assert case.case_no not in client.get(reverse("enforcement:case_list")).content.decode()
    response = client.post(
        reverse("enforcement:case_action", args=[case.pk, "approve_filing"]), {"approve_filing-on": "2026-09-03"}
    )
    assert response.status_code == 404
    assert Case.objects.get(pk=case.pk).status == CaseStatus.FILING_APPROVAL
    from core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.case_approve_filing(user=neighbour.leader, case=case)
    with pytest.raises(PermissionDenied):
        services.case_approve_filing(user=team.handler, case=case)  # a handler may not approve filing


def test_handler_acts_from_the_case_page_and_sees_deadlines_with_basis(team, login):
    case = build_case(team, CaseStatus.REGISTERED)
    client = login(team.handler)
    page = client.get(reverse("enforcement:case_detail", args=[case.pk])).content.decode()
    assert "核查线索并决定是否立案" in page and "第十八条" in page and "工作日" in page
    assert "批准立案" not in page  # not the handler's action
    response = client.post(reverse("enforcement:case_action", args=[case.pk, "check"]), {"check-on": "2026-09-02"})
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).status == CaseStatus.CHECKING
    response = client.post(
        reverse("enforcement:case_action", args=[case.pk, "request_filing"]),
        {
            "request_filing-handlers": [team.handler.pk],
            "request_filing-title": "案",
            "request_filing-facts": "事实",
            "request_filing-on": "2026-09-02",
        },
    )
    assert response.status_code == 400
    assert "至少需要两名执法人员" in response.content.decode()


def test_case_from_failed_sample_links_both_ways(team, regions, login):
    sample = _failed_sample(regions)
    client = login(team.inspector)
    page = client.get(reverse("sampling:sample_detail", args=[sample.pk])).content.decode()
    assert reverse("enforcement:case_from_sample", args=[sample.pk]) in page
    response = client.post(reverse("enforcement:case_from_sample", args=[sample.pk]))
    clue = Clue.objects.get(sample=sample)
    assert response.status_code == 302 and response.url == reverse("enforcement:case_detail", args=[clue.case_id])
    assert "泄漏电流" in clue.description or "输入功率" in clue.description
    page = client.get(reverse("sampling:sample_detail", args=[sample.pk])).content.decode()
    assert clue.case.case_no in page and reverse("enforcement:case_detail", args=[clue.case_id]) in page
    case_page = client.get(reverse("enforcement:case_detail", args=[clue.case_id])).content.decode()
    assert reverse("sampling:sample_detail", args=[sample.pk]) in case_page
    # Twice gives the same clue.
    client.post(reverse("enforcement:case_from_sample", args=[sample.pk]))
    assert Clue.objects.filter(sample=sample).count() == 1


def test_referral_step_links_to_its_case(team, regions, login):
    from sampling.models import FollowUpStep
    from sampling.services import followups as followup_services

    sample = _failed_sample(regions)
    followup_services.followup_add_optional(user=team.inspector, sample=sample, step=FollowUpStep.REFERRAL)
    followup = sample.followups.get(step=FollowUpStep.REFERRAL)
    client = login(team.inspector)
    url = reverse("sampling:followup_complete", args=[followup.pk])
    assert reverse("enforcement:case_from_followup", args=[followup.pk]) in client.get(url).content.decode()
    client.post(reverse("enforcement:case_from_followup", args=[followup.pk]))
    clue = Clue.objects.get(followup=followup)
    assert clue.case.case_no in client.get(url).content.decode()


def test_the_case_links_its_referral_step_only_for_those_who_may_handle_it(team, regions, login):
    from sampling.models import FollowUpStep
    from sampling.services import followups as followup_services

    sample = _failed_sample(regions)
    followup_services.followup_add_optional(user=team.inspector, sample=sample, step=FollowUpStep.REFERRAL)
    followup = sample.followups.get(step=FollowUpStep.REFERRAL)
    login(team.inspector).post(reverse("enforcement:case_from_followup", args=[followup.pk]))
    case = Clue.objects.get(followup=followup).case
    step_url = reverse("sampling:followup_complete", args=[followup.pk])
    case_url = reverse("enforcement:case_detail", args=[case.pk])

    assert step_url in login(team.inspector).get(case_url).content.decode()
    reviewer = login(team.reviewer)
    page = reviewer.get(case_url).content.decode()
    assert sample.sample_no in page and step_url not in page
    assert reviewer.get(step_url).status_code == 403


def test_complaint_receipt_and_code_find_only_its_status(client, regions, team):
    response = client.post(
        reverse("public_enforcement:complaint_new"),
        {
            "channel": "12315",
            "region": "430102",
            "enterprise_name": team.enterprise.name,
            "product": "电热水壶",
            "description": "购买的电热水壶漏电",
            "complainant_phone": "13812345678",
        },
    )
    assert response.status_code == 200
    text = response.content.decode()
    receipt = re.search(r"TS\d{14}", text).group(0)
    code = re.search(r'<td class="mono"><strong>(\d{6})</strong>', text).group(1)
    other, other_code = services.complaint_submit(
        channel="letter", region=regions["430102"], enterprise_name="另一家公司", description="另一投诉"
    )
    status_url = reverse("public_enforcement:complaint_status")
    found = client.post(status_url, {"receipt_no": receipt, "query_code": code}).content.decode()
    assert "已受理，待核查" in found and receipt in found and other.receipt_no not in found
    assert "购买的电热水壶漏电" not in found and team.enterprise.name not in found
    wrong = client.post(
        status_url, {"receipt_no": receipt, "query_code": other_code if other_code != code else "000000"}
    )
    assert "未找到" in wrong.content.decode() and "已受理" not in wrong.content.decode()
    clue = Clue.objects.get(receipt_no=receipt)
    assert clue.channel == "12315" and clue.case.status == CaseStatus.REGISTERED
    assert clue.query_code_hash and code not in clue.query_code_hash


def test_public_penalty_pages_show_published_decisions_only(client, team):
    open_case = build_case(team, CaseStatus.NOTIFIED)
    case = build_case(team, CaseStatus.DECIDED)
    publication = services.penalty_publish(user=team.leader, case=case, on=day(26))
    listing = client.get(reverse("public_enforcement:penalty_list")).content.decode()
    assert case.decision_no in listing and open_case.case_no not in listing
    detail = client.get(reverse("public_enforcement:penalty_detail", args=[publication.pk])).content.decode()
    assert "罚款人民币 50000.00 元" in detail and "第四十九条" in detail
    services.penalty_withdraw(user=team.leader, publication=publication, reason="决定被依法撤销")
    assert client.get(reverse("public_enforcement:penalty_detail", args=[publication.pk])).status_code == 404


def test_home_page_shows_due_cases(team, login):
    case = register(team, received_on=dt.date(2026, 9, 1))  # filing limit long passed
    page = login(team.leader).get(reverse("home")).content.decode()
    assert case.case_no in page

"""The enforcement API: scoped case lists, transitions through the same services, the public endpoints."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from enforcement import services
from enforcement.models import Case, CaseStatus
from enforcement.tests.factories import build_case, day

pytestmark = pytest.mark.django_db


def _client(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_case_list_is_scoped_and_transitions_use_the_services(team, neighbour):
    case = build_case(team, CaseStatus.FILING_APPROVAL)
    rows = _client(team.leader).get("/api/v1/enforcement/cases/").json()["results"]
    assert [r["case_no"] for r in rows] == [case.case_no]
    assert _client(neighbour.leader).get("/api/v1/enforcement/cases/").json()["results"] == []
    url = f"/api/v1/enforcement/cases/{case.pk}/transition/"
    assert (
        _client(neighbour.leader)
        .post(url, {"action": "approve_filing", "fields": {"on": "2026-09-03"}}, format="json")
        .status_code
        == 404
    )
    assert (
        _client(team.handler)
        .post(url, {"action": "approve_filing", "fields": {"on": "2026-09-03"}}, format="json")
        .status_code
        == 403
    )
    response = _client(team.leader).post(
        url, {"action": "approve_filing", "fields": {"on": "2026-09-03"}}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == CaseStatus.INVESTIGATING
    assert any(c["name"] == "作出处理决定" and c["unit"] == "day" and "第六十条" in c["basis"] for c in body["clocks"])
    docs = _client(team.leader).get(f"/api/v1/enforcement/cases/{case.pk}/documents/").json()
    assert docs[0]["kind"] == "filing" and "〔2026〕" in docs[0]["number"]
    # A refused rule is a 400 with its Chinese message.
    response = _client(team.handler).post(url, {"action": "notify", "fields": {}}, format="json")
    assert response.status_code == 403


def test_public_complaint_and_status(regions):
    response = _client().post(
        "/api/v1/public/complaints/",
        {
            "channel": "12365",
            "region": "430102",
            "enterprise_name": "某公司",
            "product": "插座",
            "description": "插座发热",
        },
        format="json",
    )
    assert response.status_code == 201
    receipt = response.json()
    found = _client().post(
        "/api/v1/public/complaints/status/",
        {"receipt_no": receipt["receipt_no"], "query_code": receipt["query_code"]},
        format="json",
    )
    assert found.status_code == 200 and found.json()["stage"] == "已受理，待核查"
    wrong = _client().post(
        "/api/v1/public/complaints/status/", {"receipt_no": receipt["receipt_no"], "query_code": "x"}, format="json"
    )
    assert wrong.status_code == 404
    bad = _client().post("/api/v1/public/complaints/", {"channel": "fax", "region": "430102"}, format="json")
    assert bad.status_code == 400


def test_public_penalties_show_published_only(team):
    build_case(team, CaseStatus.NOTIFIED)
    case = build_case(team, CaseStatus.DECIDED)
    services.penalty_publish(user=team.leader, case=Case.objects.get(pk=case.pk), on=day(26))
    rows = _client().get("/api/v1/public/penalties/").json()["results"]
    assert [r["decision_no"] for r in rows] == [case.decision_no]
    assert rows[0]["authority"].endswith("市场监督管理局")


def test_case_report_and_dashboard(team, login):
    from core.models import Region
    from core.reports.periods import Period
    from core.reports.pipeline import build_snapshot, render_pdf
    from core.reports.registry import get_kind

    build_case(team, CaseStatus.CLOSED)
    build_case(team, CaseStatus.REGISTERED)
    kind = get_kind("enforcement_cases")
    snapshot = build_snapshot(kind, Period.parse("2026"), Region.objects.get(code="430100"))
    totals = snapshot["totals"]
    assert (totals["opened"], totals["filed"], totals["decided"], totals["closed"]) == (2, 1, 1, 1)
    assert totals["fines"] == "50000.00" and totals["goods_value"] == "25000.00"
    assert snapshot["breakdowns"][0]["rows"][0]["label"] == "芙蓉区"
    assert render_pdf(kind, snapshot)[:4] == b"%PDF"
    page = login(team.leader).get("/enforcement/dashboard/")
    assert page.status_code == 200 and "50000.00" in page.content.decode()
    assert login(team.handler).get("/enforcement/dashboard/").status_code == 403


def test_overdue_fines_become_facts(team):
    from core.facts import facts_of_source

    case = build_case(team, CaseStatus.SERVED)
    assert services.fines_overdue_record() == 1
    assert services.fines_overdue_record() == 0  # once per case
    assert facts_of_source(case, kind="enforcement.fine_overdue").get().data["due_on"] == "2026-10-13"

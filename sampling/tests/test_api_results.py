"""API of results, objections and follow-ups: same rules as the pages, scoped to the jurisdiction."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from core.tests.factories import InstitutionFactory
from sampling.models import CorrectionRequest, FollowUpStep, ObjectionStatus, ResultAmendment, TestResult, Verdict
from sampling.services.corrections import correction_approve
from sampling.tests.results_support import make_sample

P, F = Verdict.PASS.value, Verdict.FAIL.value


@pytest.fixture
def api():
    def _api(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return _api


def payload(sample, verdicts, **extra):
    items = [
        {"item_name": t.name, "standard": t.standard, "requirement": t.requirement, "measured_value": "x", "verdict": v}
        for t, v in zip(sample.product_type.test_items.order_by("order"), verdicts, strict=True)
    ]
    return {
        "sample": sample.pk,
        "report_no": "API-001",
        "institution": sample.task.institution_id,
        "tested_on": "2026-03-10",
        "items": items,
        **extra,
    }


@pytest.mark.django_db
def test_create_confirm_and_amend_a_result(api, county_inspector, provincial_leader):
    sample = make_sample()
    client = api(county_inspector)
    response = client.post("/api/v1/sampling/results/", payload(sample, [P, F, P]), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["verdict"] == F and body["failed_items"] == ["输入功率和电流"]
    pk = body["id"]
    response = client.post(f"/api/v1/sampling/results/{pk}/confirm/")
    assert response.status_code == 200 and response.json()["is_confirmed"] is True
    # a confirmed result cannot be re-entered
    response = client.post("/api/v1/sampling/results/", payload(sample, [P, P, P]), format="json")
    assert response.status_code == 400 and "更正" in response.json()["detail"]
    response = client.post(
        f"/api/v1/sampling/results/{pk}/amend/",
        {
            "reason": "原始记录核对",
            "items": [{"item_name": "输入功率和电流", "measured_value": "1800 W", "verdict": P}],
        },
        format="json",
    )
    # the 更正 is a 修改申请: accepted, nothing changes until a leader approves it
    assert response.status_code == 202, response.content
    request = response.json()
    assert request["status"] == "requested" and request["result"] == pk
    assert request["changes"]["verdict"] == {"before": F, "after": P}
    body = client.get(f"/api/v1/sampling/results/{pk}/").json()
    assert body["verdict"] == F and body["amendments"] == []
    correction_approve(user=provincial_leader, request=CorrectionRequest.objects.get(pk=request["id"]))
    body = client.get(f"/api/v1/sampling/results/{pk}/").json()
    assert body["verdict"] == P
    assert body["amendments"][0]["before"]["verdict"] == F
    assert body["amendments"][0]["approved_by"] == provincial_leader.username
    assert ResultAmendment.objects.count() == 1


@pytest.mark.django_db
def test_result_of_another_county_is_refused(api, neighbour_inspector, county_inspector):
    sample = make_sample(region_code="430102")
    client = api(neighbour_inspector)
    response = client.post("/api/v1/sampling/results/", payload(sample, [P, P, P]), format="json")
    assert response.status_code == 404
    assert not sample.results.exists()
    api(county_inspector).post("/api/v1/sampling/results/", payload(sample, [P, P, P]), format="json")
    pk = sample.results.get().pk
    assert client.get(f"/api/v1/sampling/results/{pk}/").status_code == 404
    assert client.post(f"/api/v1/sampling/results/{pk}/confirm/").status_code == 404
    assert client.get("/api/v1/sampling/results/").json()["count"] == 0


@pytest.mark.django_db
def test_wrong_role_in_the_jurisdiction_gets_403(api, provincial_leader):
    sample = make_sample()
    response = api(provincial_leader).post("/api/v1/sampling/results/", payload(sample, [P, P, P]), format="json")
    assert response.status_code == 403


@pytest.mark.django_db
def test_objection_and_retest_through_the_api(api, county_inspector):
    sample = make_sample()
    client = api(county_inspector)
    pk = client.post("/api/v1/sampling/results/", payload(sample, [F, P, P]), format="json").json()["id"]
    client.post(f"/api/v1/sampling/results/{pk}/confirm/")
    # (confirmed before it was received: a receipt cannot predate the confirmation)
    TestResult.objects.filter(pk=pk).update(confirmed_at=dt.datetime(2026, 9, 30, 10, tzinfo=dt.UTC))
    assert client.post(f"/api/v1/sampling/results/{pk}/received/", {"received_on": "2026-10-01"}).status_code == 200
    late = client.post(
        "/api/v1/sampling/objections/", {"sample": sample.pk, "filed_on": "2026-10-17", "reason": "异议"}
    )
    assert late.status_code == 400 and "异议期限" in late.json()["detail"]
    response = client.post(
        "/api/v1/sampling/objections/", {"sample": sample.pk, "filed_on": "2026-10-15", "reason": "异议"}
    )
    assert response.status_code == 201
    objection = response.json()["id"]
    same = client.post(
        f"/api/v1/sampling/objections/{objection}/assign-retest/", {"institution": sample.task.institution_id}
    )
    assert same.status_code == 400 and "原检验机构" in same.json()["detail"]
    other = InstitutionFactory(name="国家电器产品质量检验检测中心")
    response = client.post(f"/api/v1/sampling/objections/{objection}/assign-retest/", {"institution": other.pk})
    assert response.status_code == 200 and response.json()["status"] == ObjectionStatus.RETESTING
    retest = client.post(
        "/api/v1/sampling/results/",
        payload(sample, [F, F, P], retest=True, institution=other.pk, report_no="FJ-API"),
        format="json",
    ).json()["id"]
    assert client.post(f"/api/v1/sampling/results/{retest}/confirm/").status_code == 200
    sample.refresh_from_db()
    assert sample.final_verdict == F
    assert sample.objections.get().status == ObjectionStatus.DECIDED


@pytest.mark.django_db
def test_followups_list_and_complete(api, county_inspector, neighbour_inspector):
    sample = make_sample()
    client = api(county_inspector)
    pk = client.post("/api/v1/sampling/results/", payload(sample, [F, P, P]), format="json").json()["id"]
    client.post(f"/api/v1/sampling/results/{pk}/confirm/")
    rows = client.get("/api/v1/sampling/followups/").json()["results"]
    assert [r["step"] for r in rows] == [FollowUpStep.NOTICE]
    assert api(neighbour_inspector).get("/api/v1/sampling/followups/").json()["count"] == 0
    assert api(neighbour_inspector).post(f"/api/v1/sampling/followups/{rows[0]['id']}/complete/").status_code == 404
    response = client.post(f"/api/v1/sampling/followups/{rows[0]['id']}/complete/", {"done_on": "2026-09-24"})
    assert response.status_code == 200, response.content
    assert response.json()["followup"]["done_on"] == "2026-09-24"
    assert {r["step"]: r["due_on"] for r in response.json()["created"]}[FollowUpStep.RECTIFICATION] == "2026-11-23"
    # 60 日 from 2026-09-24 ended on 2026-11-23: the rectification is overdue now
    overdue = client.get("/api/v1/sampling/followups/", {"state": "overdue"}).json()["results"]
    assert FollowUpStep.RECTIFICATION in [r["step"] for r in overdue]

"""Staff credit API: scoped to the jurisdiction, classes carry explanations summing to the score."""

from decimal import Decimal

import pytest
from django.utils import timezone

from credit.services.classes import recompute_classes
from credit.services.records import take_up_facts
from credit.tests.factories import enterprise, make_fact


@pytest.fixture
def firm(regions):
    firm = enterprise()
    make_fact(firm, "sampling.verdict_failed", timezone.localdate())
    make_fact(firm, "enforcement.fine_overdue", timezone.localdate(), data={"fine": "1000.00"})
    take_up_facts()
    recompute_classes()
    return firm


def test_class_detail_explains(firm, county_inspector, client):
    client.force_login(county_inspector)
    data = client.get(f"/api/v1/credit/classes/{firm.pk}/").json()
    explanation = data["explanation"]
    assert data["credit_class"] == explanation["credit_class"] == "C"
    assert (
        sum(Decimal(r["points"]) for r in explanation["rows"])
        == Decimal(explanation["score"])
        == Decimal(data["score"])
    )
    records = client.get("/api/v1/credit/records/", {"enterprise": firm.pk}).json()
    assert records["count"] == 2


def test_neighbour_and_anonymous_refused(firm, neighbour_inspector, client):
    assert client.get("/api/v1/credit/classes/").status_code in (401, 403)
    client.force_login(neighbour_inspector)
    assert client.get(f"/api/v1/credit/classes/{firm.pk}/").status_code == 404
    assert client.get("/api/v1/credit/records/").json()["count"] == 0


def test_schema_lists_credit_endpoints(client, db):
    schema = client.get("/api/schema/").content.decode()
    assert "/api/v1/credit/classes/" in schema and "/api/v1/public/blacklist/" in schema

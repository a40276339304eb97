"""The public forms stop a client who posts too often: nothing more is recorded, and the page says why."""

from __future__ import annotations

import pytest
from django.urls import reverse

from enforcement.models import Clue
from enforcement.tests.factories import make_team

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(regions):
    return make_team(regions)


def _complaint(team):
    return {
        "channel": "web",
        "region": "430102",
        "enterprise_name": team.enterprise.name,
        "product": "电热水壶",
        "description": "购买的电热水壶漏电",
        "complainant_phone": "13812345678",
    }


def test_complaints_beyond_the_rate_are_refused_and_not_recorded(client, team, settings):
    settings.PUBLIC_COMPLAINT_RATE = "2/h"
    url = reverse("public_enforcement:complaint_new")
    for _n in range(2):
        assert client.post(url, _complaint(team)).status_code == 200
    refused = client.post(url, _complaint(team))
    assert refused.status_code == 429
    assert "操作过于频繁" in refused.content.decode() and "12315" in refused.content.decode()
    assert Clue.objects.count() == 2
    # Another client address is not affected, and reading the form is never limited.
    assert client.post(url, _complaint(team), REMOTE_ADDR="10.0.0.9").status_code == 200
    assert client.get(url).status_code == 200


def test_query_codes_cannot_be_guessed_by_repeated_lookups(client, team, settings):
    settings.PUBLIC_COMPLAINT_STATUS_RATE = "3/h"
    url = reverse("public_enforcement:complaint_status")
    answers = [
        client.post(url, {"receipt_no": "TS20260901000001", "query_code": f"{n:06d}"}).status_code for n in range(5)
    ]
    assert answers[:3] == [200, 200, 200] and answers[3:] == [429, 429]


def test_online_objections_beyond_the_rate_are_refused(client, settings):
    settings.PUBLIC_OBJECTION_RATE = "1/h"
    url = reverse("public:objection_request_new")
    client.post(url, {"sample_no": "X"})
    assert client.post(url, {"sample_no": "X"}).status_code == 429

"""The deadline calculator: the page and GET /api/v1/public/deadlines/ (open to everyone)."""

from __future__ import annotations

import pytest
from django.urls import reverse

URL = "/api/v1/public/deadlines/"
KEYS = {"start", "amount", "unit", "due", "moved_from", "provisional", "explanation"}


@pytest.mark.django_db
def test_sixty_days_from_2025_08_02_end_after_the_national_day_break(client):
    response = client.get(URL, {"start": "2025-08-02", "amount": "60", "unit": "day"})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == KEYS
    assert body["due"] == "2025-10-09" and body["moved_from"] == "2025-10-01"
    assert body["provisional"] is False
    assert "顺延至其后第一个工作日 2025-10-09" in body["explanation"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "due", "moved_from"),
    [
        # working days across the National Day break (make-up Saturday 2025-10-11 counts)
        ({"start": "2025-09-26", "amount": "5", "unit": "workday"}, "2025-10-10", None),
        # a month from 01-31 ends on the last day of February; 2026-02-28 is a make-up Saturday of the
        # Spring Festival, a working day, so it stays
        ({"start": "2026-01-31", "amount": "1", "unit": "month"}, "2026-02-28", None),
        ({"start": "2025-01-31", "amount": "1", "unit": "month"}, "2025-02-28", None),
        # a month ending on the 31st that falls on a Sunday moves to Monday
        ({"start": "2026-04-30", "amount": "1", "unit": "month"}, "2026-06-01", "2026-05-30"),
        # a plain Sunday moves to Monday
        ({"start": "2026-03-07", "amount": "1", "unit": "day"}, "2026-03-09", "2026-03-08"),
        # a make-up Saturday (2025-10-11) is a working day and stays
        ({"start": "2025-10-10", "amount": "1", "unit": "day"}, "2025-10-11", None),
        ({"start": "2024-02-29", "amount": "1", "unit": "year"}, "2025-02-28", None),
    ],
)
def test_the_law_s_counting(client, params, due, moved_from):
    body = client.get(URL, params).json()
    assert (body["due"], body["moved_from"]) == (due, moved_from)


@pytest.mark.django_db
def test_a_year_the_calendar_does_not_know_is_provisional_not_a_failure(client):
    response = client.get(URL, {"start": "2031-03-01", "amount": "10", "unit": "workday"})
    assert response.status_code == 200
    body = response.json()
    assert body["provisional"] is True
    assert "尚未录入" in body["explanation"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"amount": "5", "unit": "day"}, "start"),
        ({"start": "2025-13-01", "amount": "5", "unit": "day"}, "start"),
        ({"start": "2025-08-02", "amount": "0", "unit": "day"}, "amount"),
        ({"start": "2025-08-02", "amount": "-3", "unit": "day"}, "amount"),
        ({"start": "2025-08-02", "amount": "x", "unit": "day"}, "amount"),
        ({"start": "2025-08-02", "amount": "5", "unit": "week"}, "unit"),
        ({"start": "2025-08-02", "amount": "5"}, "unit"),
    ],
)
def test_bad_parameters_are_400_naming_the_parameter(client, params, named):
    response = client.get(URL, params)
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert detail.startswith(named + "：")


@pytest.mark.django_db
def test_the_endpoint_is_in_the_openapi_schema(client):
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/public/deadlines/"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"start", "amount", "unit"}


@pytest.mark.django_db
def test_the_page_is_open_to_the_public_and_explains_the_result(client):
    response = client.get(reverse("core:deadlines"), {"start": "2025-08-02", "amount": "60", "unit": "day"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "届满日：2025-10-09" in html and "顺延" in html
    assert "依据《产品质量监督抽查管理暂行办法》第四十四条至第四十六条" in html or "法定期限" in html
    assert client.get(reverse("core:deadlines"), {"start": "", "amount": "0", "unit": "day"}).status_code == 400


@pytest.mark.django_db
def test_home_and_public_site_link_to_it(client, login, county_inspector):
    url = reverse("core:deadlines")
    assert url in login(county_inspector).get(reverse("home")).content.decode()
    assert url in client.get(reverse("public:announcement_list")).content.decode()

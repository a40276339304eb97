"""Lockout by user name and address combined: nobody locks another person's account from elsewhere, the API token
endpoint counts with the login page, and both show the locked message."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conftest import PASSWORD

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.7"
OWNER = "198.51.100.20"


def _login(client, username, password, ip):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def _token(client, username, password, ip):
    return client.post(reverse("api-token"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_failures_from_another_address_do_not_lock_the_owner_out(client, county_inspector):
    for _ in range(6):
        _login(client, county_inspector.username, "wrong-password", ATTACKER)
    assert _login(client, county_inspector.username, PASSWORD, ATTACKER).status_code == 403
    assert _login(client, county_inspector.username, PASSWORD, OWNER).status_code == 302


def test_token_failures_count_with_the_login_page_and_the_api_answers_in_json(client, county_inspector):
    for _ in range(3):
        _login(client, county_inspector.username, "wrong-password", ATTACKER)
    for _ in range(2):
        _token(client, county_inspector.username, "wrong-password", ATTACKER)

    locked = _token(client, county_inspector.username, PASSWORD, ATTACKER)
    assert locked.status_code in (403, 429)
    assert locked["Content-Type"].startswith("application/json")
    assert "账户已锁定" in locked.json()["detail"]
    page = _login(client, county_inspector.username, PASSWORD, ATTACKER)
    assert page.status_code == 403 and "账户已锁定 15 分钟" in page.content.decode()
    # The owner elsewhere still gets a token
    assert _token(client, county_inspector.username, PASSWORD, OWNER).status_code == 200


def test_behind_a_proxy_the_forwarded_address_is_used(client, county_inspector, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(5):
        client.post(
            reverse("login"),
            {"username": county_inspector.username, "password": "wrong"},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=f"1.2.3.4, {ATTACKER}",
        )
    owner = client.post(
        reverse("login"),
        {"username": county_inspector.username, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR=OWNER,
    )
    assert owner.status_code == 302

"""API details: 401 with WWW-Authenticate for a missing or bad token, ?search= honoured or refused, page_size
capped, JSON (not the HTML page) during a database outage, and the Chinese 503 page for browsers."""

from __future__ import annotations

import pytest
from django.db import OperationalError
from django.test import Client

from core.api import EnterpriseViewSet
from core.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("header", [None, "Token not-a-real-token", "Bearer x"])
def test_a_missing_or_bad_token_answers_401_naming_the_scheme(client, regions, header):
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    response = client.get("/api/v1/enterprises/", **extra)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response["Content-Type"].startswith("application/json")


def test_search_is_refused_where_a_list_cannot_search(login, provincial_leader):
    response = login(provincial_leader).get("/api/v1/institutions/?search=abc")
    assert response.status_code == 400
    assert "不支持 search 参数" in response.json()["search"][0]


def test_page_size_is_capped(login, provincial_leader, regions):
    from core.api_pagination import StandardPagination

    response = login(provincial_leader).get("/api/v1/regions/?page_size=100000")
    assert response.status_code == 200
    assert len(response.json()["results"]) <= StandardPagination.max_page_size
    assert StandardPagination.max_page_size <= 500


@pytest.fixture
def database_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')

    monkeypatch.setattr(EnterpriseViewSet, "list", refuse)
    monkeypatch.setattr("core.views.enterprises_visible_to", refuse, raising=False)
    return refuse


def test_the_api_answers_json_during_a_database_outage(provincial_leader, database_down):
    client = Client(raise_request_exception=False)
    client.force_login(provincial_leader)
    response = client.get("/api/v1/enterprises/")
    assert response.status_code == 503
    assert response["Content-Type"].startswith("application/json")
    assert "数据库暂时无法连接" in response.json()["detail"]


def test_pages_show_a_chinese_page_during_a_database_outage(provincial_leader, database_down):
    client = Client(raise_request_exception=False)
    client.force_login(provincial_leader)
    response = client.get("/enterprises/")
    assert response.status_code == 503
    assert "服务暂时不可用" in response.content.decode()


def test_any_other_server_error_is_json_under_the_api(provincial_leader, monkeypatch):
    monkeypatch.setattr(EnterpriseViewSet, "list", lambda *a, **k: 1 / 0)
    client = Client(raise_request_exception=False)
    client.force_login(provincial_leader)
    response = client.get("/api/v1/enterprises/")
    assert response.status_code == 500 and response.json()["detail"]


def test_pages_carry_the_security_headers(client, regions):
    EnterpriseFactory()
    response = client.get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


def test_no_page_template_has_inline_script_or_style():
    import re
    from pathlib import Path

    offenders = []
    for path in Path("templates").rglob("*.html"):
        pdf_only = "pdf" in path.name or "documents" in path.parts or "notices" in path.parts
        if pdf_only or path.parts[1] == "reports" and path.name != "report_list.html":
            continue  # PDF templates are rendered by WeasyPrint, never by a browser page
        text = path.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", text):
            offenders.append(f"{path}: inline script")
        if re.search(r"\sstyle=\"|<style", text) or re.search(r"\son[a-z]+=\"", text):
            offenders.append(f"{path}: inline style or handler")
    assert offenders == []


@pytest.mark.parametrize("value", ["-1", "maybe", "2"])
def test_an_invalid_boolean_filter_is_refused(login, provincial_leader, value):
    response = login(provincial_leader).get(f"/api/v1/sampling/results/?is_confirmed={value}")
    assert response.status_code == 400
    assert "is_confirmed" in response.json()


def test_a_valid_boolean_filter_is_served(login, provincial_leader):
    assert login(provincial_leader).get("/api/v1/sampling/results/?is_confirmed=true").status_code == 200


def test_a_session_lost_with_the_database_is_an_outage_page_not_a_bad_request(provincial_leader, monkeypatch):
    from django.contrib.sessions.backends.base import UpdateError
    from django.contrib.sessions.backends.db import SessionStore

    def refuse(self, must_create=False):
        raise UpdateError

    client = Client(raise_request_exception=False)
    client.force_login(provincial_leader)
    monkeypatch.setattr(SessionStore, "save", refuse)
    monkeypatch.setattr("core.error_pages._database_reachable", lambda: False)
    response = client.get("/enterprises/")
    assert response.status_code == 503
    assert "服务暂时不可用" in response.content.decode()

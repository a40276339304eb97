"""Audit history: changes are recorded with their user, and the history page shows them to the right people."""

import pytest
from django.urls import reverse
from pghistory.models import MiddlewareEvents

from core import services
from core.access import can_view_history_of
from core.audit import audit_context
from core.tests.factories import EnterpriseFactory, ProductTypeFactory, UserFactory


@pytest.fixture
def furong_enterprise(regions):
    return EnterpriseFactory(name="芙蓉电器有限公司", region=regions["430102"], size="small")


@pytest.fixture
def tianxin_enterprise(regions):
    return EnterpriseFactory(name="天心食品有限公司", region=regions["430103"])


def _history_url(enterprise) -> str:
    return reverse("core:history", args=["core", "enterprise", enterprise.pk])


def test_api_update_writes_an_event_with_the_user(login, county_inspector, furong_enterprise):
    # Given an enterprise of 芙蓉区; when its inspector renames it through the API
    response = login(county_inspector).patch(
        f"/api/v1/enterprises/{furong_enterprise.pk}/",
        {"name": "芙蓉智能电器有限公司", "size": "medium"},
        content_type="application/json",
    )
    assert response.status_code == 200
    # then an update event records the change and who made it
    update = MiddlewareEvents.objects.tracks(furong_enterprise).get(pgh_label="update")
    assert update.pgh_context["user"] == county_inspector.pk
    assert update.pgh_context["url"] == f"/api/v1/enterprises/{furong_enterprise.pk}/"
    assert update.pgh_diff["name"] == ["芙蓉电器有限公司", "芙蓉智能电器有限公司"]


def test_history_page_shows_before_and_after(login, county_inspector, provincial_leader, furong_enterprise):
    login(county_inspector).patch(
        f"/api/v1/enterprises/{furong_enterprise.pk}/",
        {"name": "芙蓉智能电器有限公司", "size": "medium"},
        content_type="application/json",
    )
    response = login(provincial_leader).get(_history_url(furong_enterprise))
    html = response.content.decode()
    assert response.status_code == 200
    assert "芙蓉检查员" in html  # who
    assert "修改" in html and "新建" in html  # event labels
    assert "企业名称" in html and "企业规模" in html  # verbose names, not column names
    assert "芙蓉电器有限公司" in html and "芙蓉智能电器有限公司" in html  # before / after
    assert "小型" in html and "中型" in html  # choice labels
    assert f"/api/v1/enterprises/{furong_enterprise.pk}/" in html  # where from


def test_change_outside_a_request_names_the_user_from_audit_context(login, provincial_admin, furong_enterprise):
    with audit_context(user=provincial_admin, source="test"):
        services.enterprise_update(user=provincial_admin, enterprise=furong_enterprise, address="解放西路 1 号")
    event = MiddlewareEvents.objects.tracks(furong_enterprise).get(pgh_label="update")
    assert event.pgh_context["username"] == provincial_admin.username
    html = login(provincial_admin).get(_history_url(furong_enterprise)).content.decode()
    assert "解放西路 1 号" in html


def test_inspector_may_not_read_history(login, county_inspector, furong_enterprise):
    response = login(county_inspector).get(_history_url(furong_enterprise))
    assert response.status_code == 403


def test_legal_reviewer_of_the_county_may_read_history(login, regions, furong_enterprise):
    reviewer = UserFactory(username="furong_reviewer", role="legal_reviewer", jurisdiction=regions["430102"])
    assert login(reviewer).get(_history_url(furong_enterprise)).status_code == 200


def test_history_outside_jurisdiction_is_404(login, outsider, regions, tianxin_enterprise):
    assert login(outsider).get(_history_url(tianxin_enterprise)).status_code == 404
    county_leader = UserFactory(username="furong_leader", role="leader", jurisdiction=regions["430102"])
    assert login(county_leader).get(_history_url(tianxin_enterprise)).status_code == 404


def test_unknown_model_or_record_is_404(login, provincial_leader, furong_enterprise):
    client = login(provincial_leader)
    assert client.get(reverse("core:history", args=["core", "nosuchmodel", 1])).status_code == 404
    assert client.get(reverse("core:history", args=["core", "enterprise", 999999])).status_code == 404
    assert client.get(reverse("core:history", args=["core", "enterprise", "abc"])).status_code == 404


def test_records_without_region_are_national(provincial_leader, outsider, county_inspector):
    product_type = ProductTypeFactory()
    assert can_view_history_of(provincial_leader, product_type)
    assert can_view_history_of(outsider, product_type)
    assert not can_view_history_of(county_inspector, product_type)


def test_a_holiday_calendar_change_is_recorded_with_who_and_what(provincial_admin):
    """Due dates depend on the calendar, so every change to it is part of the audit trail."""
    import datetime as dt

    from core.models import WorkdayOverride

    with audit_context(user=provincial_admin, source="admin"):
        day = WorkdayOverride.objects.create(date=dt.date(2027, 2, 6), is_workday=True, note="春节调休上班")
        day.is_workday = False
        day.save()

    events = list(MiddlewareEvents.objects.tracks(day).order_by("pgh_created_at"))
    assert [e.pgh_label for e in events] == ["insert", "update"]
    assert events[1].pgh_diff == {"is_workday": [True, False]}
    assert events[1].pgh_context["username"] == provincial_admin.username

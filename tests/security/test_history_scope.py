"""History pages only for the domain's own models (registered by their apps), scoped to the jurisdiction."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import Role
from core.tests.factories import UserFactory
from sampling.tests.tasks_data import make_enterprise, make_sample, make_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def county_leader(regions):
    return UserFactory(username="furong_leader", role=Role.LEADER, jurisdiction=regions["430102"])


def _history(client, obj):
    return client.get(reverse("core:history", args=[obj._meta.app_label, obj._meta.model_name, obj.pk]))


def test_login_records_settings_and_accounts_have_no_history_page(login, county_leader, provincial_admin):
    from axes.models import AccessLog
    from constance.models import Constance

    access = AccessLog.objects.create(username="hunan_admin", ip_address="1.2.3.4", attempt_time=timezone.now())
    setting = Constance.objects.create(key="OBJECTION_WINDOW_DAYS", value="15")
    client = login(county_leader)
    for obj in (access, setting, provincial_admin):
        assert _history(client, obj).status_code == 404, obj._meta.label
    assert client.get("/history/auth/group/1/").status_code == 404
    assert client.get("/history/sessions/session/x/").status_code == 404


def test_a_domain_record_is_shown_in_its_jurisdiction_only(login, county_leader, regions):
    sample = make_sample(make_task(region_code="430100"), make_enterprise("430102"))
    neighbour = make_sample(make_task(region_code="430100"), make_enterprise("430103"))
    client = login(county_leader)
    assert _history(client, sample).status_code == 200
    assert _history(client, neighbour).status_code == 404
    assert _history(client, sample.enterprise).status_code == 200
    assert _history(client, neighbour.enterprise).status_code == 404


def test_national_reference_data_is_shown_to_every_audit_role(login, county_leader):
    from core.tests.factories import InstitutionFactory

    assert _history(login(county_leader), InstitutionFactory()).status_code == 200

"""The demo loader: every recall state, through the services; running it twice creates nothing twice."""

import pytest

from core.models import Role
from core.tests.factories import UserFactory
from recalls.demo import load_demo_data
from recalls.models import DefectReport, Investigation, Recall, RecallStatus
from recalls.selectors import clusters

pytestmark = pytest.mark.django_db


def test_demo_covers_every_state_and_is_idempotent(regions):
    UserFactory(username="hn_admin", role=Role.ADMINISTRATOR, jurisdiction=regions["430000"], is_superuser=True)
    leader = UserFactory(username="fr_leader", role=Role.LEADER, jurisdiction=regions["430102"])
    UserFactory(username="fr_case_handler", role=Role.CASE_HANDLER, jurisdiction=regions["430102"])
    load_demo_data()
    assert set(Recall.objects.values_list("status", flat=True)) == set(RecallStatus.values)
    assert Recall.objects.filter(category="vehicle").exists() and Recall.objects.filter(category="consumer").exists()
    assert DefectReport.objects.count() == 6 and Investigation.objects.count() == 3
    assert clusters(leader)[0]["reports"] >= 3
    before = Recall.objects.count()
    assert "已存在" in load_demo_data()[0]
    assert Recall.objects.count() == before

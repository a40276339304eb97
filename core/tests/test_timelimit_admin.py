"""Administrators edit the time limits in the admin (validated, audited) and the rule settings are checked."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.urls import reverse

from core.models import Role
from core.timelimits import limit, load_time_limits

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, regions):
    from core.models import User

    user = User.objects.create_superuser("root", "root@example.cn", "x", role=Role.ADMINISTRATOR)
    client.force_login(user)
    return client


def _post(client, rule, **changes):
    data = {
        "name": rule.name,
        "amount": rule.amount,
        "max_amount": rule.max_amount or "",
        "unit": rule.unit,
        "start_event": rule.start_event,
        "basis": rule.basis,
        "is_assumed": "on" if rule.is_assumed else "",
        "note": rule.note,
        **changes,
    }
    return client.post(reverse("admin:core_timelimit_change", args=[rule.pk]), data)


def test_the_list_shows_unit_start_event_basis_and_default_flag(admin_client):
    load_time_limits()
    html = admin_client.get(reverse("admin:core_timelimit_changelist")).content.decode()
    assert "停止生产销售并整改" in html and "60 日" in html and "自送达不合格通知书之日起" in html
    assert "依据《产品质量监督抽查管理暂行办法》第四十四条至第四十六条" in html
    assert "默认值（无明文规定）" in html


def test_an_amount_change_is_saved_and_audited(admin_client):
    rule = limit("sampling.rectification")
    response = _post(admin_client, rule, amount=45)
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.amount == 45
    events = apps.get_model("core", "TimeLimitEvent").objects.filter(pgh_obj=rule, pgh_label="update")
    assert events.filter(amount=45).exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [({"amount": 0}, "期限"), ({"amount": -1}, ""), ({"amount": 60, "max_amount": 30}, "最长期限")],
)
def test_zero_negative_or_inverted_ranges_are_refused(admin_client, changes, message):
    rule = limit("sampling.second_reinspection")
    response = _post(admin_client, rule, **changes)
    assert response.status_code == 200
    assert message in response.content.decode()
    rule.refresh_from_db()
    assert (rule.amount, rule.max_amount) == (60, 90)


def test_time_limits_are_no_longer_constance_settings():
    from django.conf import settings

    assert not {"OBJECTION_WINDOW_DAYS", "RECTIFICATION_DAYS", "REINSPECTION_DAYS"} & set(settings.CONSTANCE_CONFIG)


def test_the_rule_settings_refuse_negative_weights_all_zero_and_a_zero_photo_size(admin_client):
    from constance import config

    url = reverse("admin:constance_config_changelist")
    page = admin_client.get(url)
    form = page.context["form"]
    data = {name: form.initial.get(name, "") for name in form.fields}
    data = {k: ("on" if v is True else "" if v is False else v) for k, v in data.items()}

    def post(**changes):
        return admin_client.post(url, {**data, **changes})

    response = post(CREDIT_WEIGHT_A="-1")
    assert response.status_code == 200 and float(config.CREDIT_WEIGHT_A) == 0.5
    response = post(CREDIT_WEIGHT_A="0", CREDIT_WEIGHT_B="0", CREDIT_WEIGHT_C="0", CREDIT_WEIGHT_D="0")
    assert "四类权重不能全部为 0" in response.content.decode()
    assert float(config.CREDIT_WEIGHT_B) == 1.0
    response = post(PHOTO_MAX_MB="0")
    assert response.status_code == 200 and int(config.PHOTO_MAX_MB) == 10

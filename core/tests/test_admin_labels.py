"""The admin reads Chinese: its titles, the third-party apps and models, and every rule setting with its label,
unit and basis (never a bare key like CREDIT_WEIGHT_A)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from core.models import Role
from core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ENGLISH = [
    "Django 管理",
    "Django administration",
    "Axes",
    "AXES",
    "Access attempts",
    "Pghistory",
    "PGHISTORY",
    "Middleware events",
    "Constance",
    "Access logs",
    "Access failures",
]


@pytest.fixture
def admin_client(client, regions):
    user = UserFactory(role=Role.ADMINISTRATOR, jurisdiction=regions["430000"], is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


def test_the_admin_index_is_chinese(admin_client):
    html = admin_client.get(reverse("admin:index")).content.decode()
    assert "质监通 系统管理" in html
    for word in ("登录安全", "登录失败记录", "登录日志", "审计记录", "操作变更记录", "规则配置"):
        assert word in html, word
    for word in ENGLISH:
        assert word not in html, word


def test_the_login_attempt_list_has_chinese_columns(admin_client):
    from axes.models import AccessAttempt

    AccessAttempt.objects.create(
        username="fr_inspector",
        ip_address="10.0.0.1",
        user_agent="Firefox",
        failures_since_start=2,
        get_data="",
        post_data="",
        http_accept="*/*",
        path_info="/accounts/login/",
    )
    html = admin_client.get(reverse("admin:axes_accessattempt_changelist")).content.decode()
    for word in ("尝试时间", "IP 地址", "浏览器标识", "连续失败次数", "状态"):
        assert word in html, word
    for word in ("Attempt Time", "User Agent", "Failed Logins", ">Status<"):
        assert word not in html, word


def test_every_rule_setting_shows_a_chinese_label_first(admin_client):
    html = admin_client.get(reverse("admin:constance_config_changelist")).content.decode()
    for key, (_default, help_text, _type) in settings.CONSTANCE_CONFIG.items():
        label = str(help_text).splitlines()[0]
        assert label in html, key
    # the key is still there for reference, but small, under the label
    assert '<code class="item-key">CREDIT_WEIGHT_A</code>' in html
    assert html.index("抽查权重：A 类（低风险）企业") < html.index('<code class="item-key">CREDIT_WEIGHT_A</code>')


def test_the_draw_weights_and_photo_limit_carry_unit_and_basis(admin_client):
    html = admin_client.get(reverse("admin:constance_config_changelist")).content.decode()
    for key in ("CREDIT_WEIGHT_A", "CREDIT_WEIGHT_B", "CREDIT_WEIGHT_C", "CREDIT_WEIGHT_D", "PHOTO_MAX_MB"):
        help_text = str(settings.CONSTANCE_CONFIG[key][1])
        assert "单位：" in help_text and "依据：" in help_text, key
    assert "国市监信发〔2022〕6号" in html
    assert "单位：MB" in html


def test_the_admin_carries_the_save_bar_fix(admin_client):
    html = admin_client.get(reverse("admin:constance_config_changelist")).content.decode()
    assert "admin/css/overrides.css" in html


def test_no_migration_is_needed_for_the_renamed_labels():
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("makemigrations", "axes", "pghistory", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()

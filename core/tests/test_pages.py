"""The web shell, the home page and the enterprise pages."""

import datetime as dt

import pytest
from django.urls import reverse

from core import home as home_module
from core.home import DueItem
from core.models import CreditClass, EnterpriseSize
from core.tests.factories import EnterpriseFactory


@pytest.fixture
def two_counties(regions):
    """One enterprise in 芙蓉区 and one in the neighbouring 天心区."""
    return (
        EnterpriseFactory(name="芙蓉电器有限公司", region=regions["430102"]),
        EnterpriseFactory(name="天心食品有限公司", region=regions["430103"]),
    )


@pytest.fixture
def due_provider():
    """Register a provider for the test and remove it afterwards."""
    added = []

    def _register(provider):
        home_module.register_due_provider(provider)
        added.append(provider)

    yield _register
    for provider in added:
        home_module._providers.remove(provider)


def test_anonymous_visitor_is_sent_to_login(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_login_page_is_a_chinese_card_with_language_switch(client, db):
    response = client.get(reverse("login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "工作人员登录" in html
    assert 'class="auth-card"' in html
    assert 'action="/i18n/setlang/"' in html
    assert "cdn" not in html.lower()


def test_wrong_password_shows_a_chinese_error(client, county_inspector):
    response = client.post(reverse("login"), {"username": county_inspector.username, "password": "wrong"})
    assert response.status_code == 200
    assert "正确的" in response.content.decode()


def test_home_shows_name_role_jurisdiction_and_empty_state(login, county_inspector):
    response = login(county_inspector).get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "芙蓉检查员" in html
    assert "抽样人员" in html
    assert "长沙市芙蓉区" in html
    assert "暂无待办事项" in html
    assert 'href="/enterprises/"' in html  # quick link and menu entry


def test_home_lists_due_and_overdue_items(login, county_inspector, due_provider):
    today = dt.date.today()
    due_provider(
        lambda user: [
            DueItem("复查：芙蓉电器有限公司", "/x/1/", today - dt.timedelta(days=2), "后处理"),
            DueItem("整改期满：天心食品有限公司", "/x/2/", today + dt.timedelta(days=5), "后处理"),
        ]
    )
    html = login(county_inspector).get("/").content.decode()
    assert "暂无待办事项" not in html
    assert "已逾期" in html
    assert 'class="badge due"' in html
    assert html.index("复查：芙蓉电器有限公司") < html.index("整改期满：天心食品有限公司")


def test_menu_depends_on_role(login, county_inspector, provincial_admin):
    inspector_html = login(county_inspector).get("/").content.decode()
    assert "系统管理" not in inspector_html
    admin_html = login(provincial_admin).get("/").content.decode()
    assert 'href="/admin/"' in admin_html


def test_logout_is_a_post(login, county_inspector):
    client = login(county_inspector)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_county_inspector_sees_only_own_county(login, county_inspector, two_counties):
    html = login(county_inspector).get(reverse("core:enterprise_list")).content.decode()
    assert "芙蓉电器有限公司" in html
    assert "天心食品有限公司" not in html


def test_provincial_leader_sees_both_counties(login, provincial_leader, two_counties):
    html = login(provincial_leader).get(reverse("core:enterprise_list")).content.decode()
    assert "芙蓉电器有限公司" in html
    assert "天心食品有限公司" in html


def test_outsider_sees_neither(login, outsider, two_counties):
    html = login(outsider).get(reverse("core:enterprise_list")).content.decode()
    assert "芙蓉电器有限公司" not in html
    assert "天心食品有限公司" not in html
    assert "没有符合条件的企业" in html


def test_search_by_name_and_uscc(login, provincial_leader, two_counties):
    furong, tianxin = two_counties
    client = login(provincial_leader)
    by_name = client.get(reverse("core:enterprise_list"), {"q": "天心食品"}).content.decode()
    assert "天心食品有限公司" in by_name and "芙蓉电器有限公司" not in by_name
    by_uscc = client.get(reverse("core:enterprise_list"), {"q": furong.uscc.lower()}).content.decode()
    assert "芙蓉电器有限公司" in by_uscc and "天心食品有限公司" not in by_uscc


def test_filters_by_region_size_and_credit_class(login, provincial_leader, regions, two_counties):
    EnterpriseFactory(name="株洲大型机械厂", region=regions["430202"], size=EnterpriseSize.LARGE, credit_class="D")
    client = login(provincial_leader)
    url = reverse("core:enterprise_list")
    by_city = client.get(url, {"region": "430100"}).content.decode()
    assert "芙蓉电器有限公司" in by_city and "天心食品有限公司" in by_city and "株洲大型机械厂" not in by_city
    by_size = client.get(url, {"size": "large"}).content.decode()
    assert "株洲大型机械厂" in by_size and "芙蓉电器有限公司" not in by_size
    by_class = client.get(url, {"credit_class": CreditClass.D}).content.decode()
    assert "株洲大型机械厂" in by_class and "天心食品有限公司" not in by_class
    unrated = client.get(url, {"credit_class": "none"}).content.decode()
    assert "株洲大型机械厂" not in unrated and "天心食品有限公司" in unrated


def test_region_filter_offers_only_the_jurisdiction(login, county_inspector):
    html = login(county_inspector).get(reverse("core:enterprise_list")).content.decode()
    assert 'value="430102"' in html
    assert 'value="430103"' not in html


def test_list_is_paginated(login, county_inspector, regions):
    EnterpriseFactory.create_batch(23, region=regions["430102"])
    client = login(county_inspector)
    first = client.get(reverse("core:enterprise_list"))
    assert len(first.context["page_obj"].object_list) == 20
    assert "共 23 条，第 1 / 2 页" in first.content.decode()
    second = client.get(reverse("core:enterprise_list"), {"page": 2})
    assert len(second.context["page_obj"].object_list) == 3


def test_list_query_count_is_bounded(login, provincial_leader, regions, django_assert_max_num_queries):
    EnterpriseFactory.create_batch(15, region=regions["430102"])
    EnterpriseFactory.create_batch(5, region=regions["430103"])
    client = login(provincial_leader)
    client.get("/")  # warm up the session
    with django_assert_max_num_queries(9):
        response = client.get(reverse("core:enterprise_list"), {"q": "有限公司"})
    assert response.status_code == 200
    assert len(response.context["page_obj"].object_list) == 20


def test_neighbour_county_enterprise_detail_is_404(login, county_inspector, two_counties):
    _, tianxin = two_counties
    client = login(county_inspector)
    assert client.get(reverse("core:enterprise_detail", args=[tianxin.pk])).status_code == 404


def test_provincial_leader_sees_detail_with_history_link(login, provincial_leader, two_counties):
    furong, tianxin = two_counties
    client = login(provincial_leader)
    for enterprise in (furong, tianxin):
        response = client.get(reverse("core:enterprise_detail", args=[enterprise.pk]))
        html = response.content.decode()
        assert response.status_code == 200
        assert enterprise.uscc in html
        assert reverse("core:history", args=["core", "enterprise", enterprise.pk]) in html


def test_inspector_detail_has_no_history_link(login, county_inspector, two_counties):
    furong, _ = two_counties
    html = login(county_inspector).get(reverse("core:enterprise_detail", args=[furong.pk])).content.decode()
    assert "长沙市芙蓉区" in html
    assert "修改记录" not in html


def test_language_switch_sets_the_language(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"


def test_form_component_shows_errors_by_field(rf, county_inspector):
    from django import forms
    from django.template.loader import render_to_string

    class SampleForm(forms.Form):
        name = forms.CharField(label="企业名称")
        note = forms.CharField(label="备注", widget=forms.Textarea, required=False)

    form = SampleForm(data={"name": ""})
    html = render_to_string("core/_form.html", {"form": form}, request=rf.get("/"))
    assert 'class="errors"' in html
    assert "企业名称：" in html
    assert 'class="field has-error"' in html
    assert 'class="field wide"' in html  # text areas take the whole row


def test_flash_messages_are_shown(rf, county_inspector):
    from django.contrib import messages
    from django.contrib.messages.storage import default_storage
    from django.contrib.sessions.backends.db import SessionStore
    from django.template.loader import render_to_string

    request = rf.get("/")
    request.user = county_inspector
    request.session = SessionStore()
    request._messages = default_storage(request)
    messages.success(request, "企业信息已保存")
    html = render_to_string("core/home.html", {}, request=request)
    assert '<li class="msg-success">企业信息已保存</li>' in html


def test_name_search_is_served_by_the_trigram_index_and_escapes_wildcards(regions):
    from core.models import Enterprise
    from core.selectors import enterprise_search

    EnterpriseFactory(name="芙蓉电器有限公司", region=regions["430102"])
    queryset = enterprise_search(Enterprise.objects.all(), "电器有限")
    # ILIKE on the bare column, which the gin_trgm_ops index serves (UPPER(name) LIKE would not).
    assert "ILIKE" in str(queryset.query)
    assert [e.name for e in queryset] == ["芙蓉电器有限公司"]
    # Two characters have no trigram: the bigram index's containment instead (core.lookups.name_contains).
    queryset = enterprise_search(Enterprise.objects.all(), "电器")
    assert "qp_bigrams" in str(queryset.query)
    assert [e.name for e in queryset] == ["芙蓉电器有限公司"]
    assert not enterprise_search(Enterprise.objects.all(), "器电").exists()
    assert not enterprise_search(Enterprise.objects.all(), "电器%公司").exists()
    assert not enterprise_search(Enterprise.objects.all(), "电_有限").exists()


def test_refusals_are_chinese_pages(login, county_inspector, two_counties):
    furong, tianxin = two_counties
    client = login(county_inspector)
    forbidden = client.get(reverse("core:history", args=["core", "enterprise", furong.pk]))
    assert forbidden.status_code == 403
    assert "只有负责人、系统管理员和法制审核人员可以查看修改记录" in forbidden.content.decode()
    missing = client.get(reverse("core:enterprise_detail", args=[tianxin.pk]))
    assert "页面不存在" in missing.content.decode()


def test_server_error_page_renders_without_context():
    from django.template.loader import render_to_string

    assert "系统错误" in render_to_string("500.html")


def test_menu_hides_entries_whose_page_does_not_exist(monkeypatch, county_inspector):
    from core import navigation

    monkeypatch.setattr(
        navigation, "MENU", [*navigation.MENU, navigation.MenuEntry("尚未上线", "nowhere:missing_page")]
    )
    labels = [str(item["label"]) for item in navigation.menu_for(county_inspector)]
    assert "尚未上线" not in labels
    assert "企业" in labels


def test_current_menu_entry_is_marked(login, county_inspector):
    html = login(county_inspector).get(reverse("core:enterprise_list")).content.decode()
    assert '<a href="/enterprises/" class="active" aria-current="page">企业</a>' in html
    assert '<a href="/" class="active"' not in html


def test_a_long_due_list_is_paged_and_filtered_by_category(login, county_inspector, due_provider):
    today = dt.date.today()
    due_provider(
        lambda user: (
            [DueItem(f"复查：企业{n:02d}", f"/x/{n}/", today + dt.timedelta(days=n - 3), "后处理") for n in range(12)]
            + [DueItem(f"异议：样品{n}", f"/y/{n}/", today + dt.timedelta(days=20 + n), "异议处理") for n in range(3)]
        )
    )
    client = login(county_inspector)
    html = client.get("/").content.decode()
    # 15 items, 3 of them overdue: the first page holds the 10 most urgent, and the pager names the total.
    assert "待办事项（3 项已逾期）" in html
    assert "复查：企业00" in html and "复查：企业09" in html
    assert "复查：企业10" not in html and "异议：样品0" not in html
    assert "共 15 条，第 1 / 2 页" in html
    assert "后处理 12" in html and "异议处理 3" in html

    second = client.get("/", {"page": 2}).content.decode()
    assert "复查：企业10" in second and "异议：样品2" in second
    assert "复查：企业00" not in second

    objections = client.get("/", {"category": "异议处理"}).content.decode()
    assert "异议：样品0" in objections and "异议：样品2" in objections
    assert "复查：企业" not in objections.split('id="due"')[1]
    assert 'class="current" aria-current="true">异议处理 3' in objections

    # A category that is no longer there (its last item done) falls back to the whole list.
    assert "复查：企业00" in client.get("/", {"category": "已撤销"}).content.decode()

"""Staff and producer pages: who sees which recall, filing and steps through the pages, overdue lists on the
recall list and the home page, defect report triage, investigations, the dashboard."""

import datetime as dt

import pytest
from django.urls import reverse

from core.models import Region, Role
from recalls.models import Category, DefectReport, Recall, RecallStatus
from recalls.services import defect_reports
from recalls.services import recalls as services
from recalls.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(regions):
    maker = f.producer()
    account = f.producer_account(maker)
    leader = f.staff(Role.LEADER, "430102")
    recall = f.published_recall(account, leader, maker)
    return {"maker": maker, "account": account, "leader": leader, "recall": recall}


def test_producer_sees_its_own_recall_but_not_another_producers(client, setup):
    rival = f.producer()
    rival_account = f.producer_account(rival)
    theirs = f.filed_recall(rival_account, rival, brand="对手牌")
    client.force_login(setup["account"])
    page = client.get(reverse("recalls:recall_list")).content.decode()
    assert setup["recall"].recall_no in page and theirs.recall_no not in page
    assert client.get(reverse("recalls:recall_detail", args=[setup["recall"].pk])).status_code == 200
    assert client.get(reverse("recalls:recall_detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("recalls:recall_action", args=[theirs.pk, "progress"])).status_code == 404
    assert client.get(reverse("recalls:defect_report_list")).status_code == 403


def test_staff_of_the_neighbouring_county_is_refused(client, setup):
    client.force_login(f.staff(Role.LEADER, "430103"))
    assert client.get(reverse("recalls:recall_detail", args=[setup["recall"].pk])).status_code == 404
    assert setup["recall"].recall_no not in client.get(reverse("recalls:recall_list")).content.decode()


def test_list_query_count_stays_flat(client, setup):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(setup["leader"])

    def queries() -> int:
        client.get(reverse("recalls:recall_list"))  # the first request renews the session (once a minute)
        with CaptureQueriesContext(connection) as context:
            assert client.get(reverse("recalls:recall_list")).status_code == 200
        return len(context)

    f.filed_recall(setup["account"], setup["maker"], brand="首牌", filed_on=dt.date(2026, 9, 1))
    before = queries()
    for n in range(5):
        f.filed_recall(setup["account"], setup["maker"], brand=f"牌{n}", filed_on=dt.date(2026, 9, 1))
    assert queries() == before  # five more rows (all with overdue notices), not one query more


def test_producer_files_through_the_page_and_sees_the_notice_due_date(client, setup):
    client.force_login(setup["account"])
    data = {
        "category": "consumer",
        "product": "电暖器",
        "brand": "暖家",
        "models_list": "NJ-1，NJ-2",
        "units_affected": "300",
        "defect": "倾倒开关失效。",
        "hazard": "可能引起火灾。",
        "remedies": ["repair", "refund"],
        "owner_notification": "短信通知。",
        "hotline": "400-111-2222",
        "started_on": "2026-11-02",
    }
    response = client.post(reverse("recalls:recall_file"), data)
    assert response.status_code == 302
    recall = Recall.objects.get(brand="暖家")
    assert recall.models_list == ["NJ-1", "NJ-2"] and recall.filed_by == setup["account"]
    detail = client.get(response["Location"]).content.decode()
    assert "发布召回信息" in detail and "消费品召回管理暂行规定" in detail
    bad = client.post(reverse("recalls:recall_file"), {**data, "hotline": " "})
    assert bad.status_code == 400


def test_bad_plan_shows_the_service_message(client, setup):
    client.force_login(setup["account"])
    data = {
        "category": "vehicle",
        "product": "轿车",
        "brand": "湘江",
        "models_list": "XJ5",
        "defect": "x",
        "hazard": "y",
        "remedies": ["repair"],
        "owner_notification": "z",
        "hotline": "1",
        "started_on": "2026-11-02",
        "vin_ranges": "LSVAU2180N2183294",
    }
    response = client.post(reverse("recalls:recall_file"), data)
    assert response.status_code == 400 and "VIN 清单第 1 行：第 9 位校验位应为" in response.content.decode()


def test_leader_publishes_and_producer_reports_progress_through_pages(client, setup):
    recall = f.filed_recall(setup["account"], setup["maker"], brand="页面牌")
    client.force_login(setup["account"])
    assert client.get(reverse("recalls:recall_action", args=[recall.pk, "publish"])).status_code == 403
    client.force_login(setup["leader"])
    response = client.post(reverse("recalls:recall_action", args=[recall.pk, "publish"]), {"on": "2026-11-20"})
    assert response.status_code == 302
    recall.refresh_from_db()
    assert recall.status == RecallStatus.IMPLEMENTING
    client.force_login(setup["account"])
    response = client.post(
        reverse("recalls:recall_action", args=[recall.pk, "progress"]),
        {"units_affected": 1200, "units_remedied": 400, "units_unreachable": 0},
    )
    assert response.status_code == 302
    page = client.get(reverse("recalls:recall_detail", args=[recall.pk])).content.decode()
    assert "33.3%" in page and "<svg" in page


def test_overdue_report_on_list_and_home(client, setup):
    recall = setup["recall"]
    assert recall.reports.get().due_on == dt.date(2026, 6, 4)  # long past "today" (2026-12 in the tests)
    client.force_login(setup["leader"])
    page = client.get(reverse("recalls:recall_list")).content.decode()
    assert "逾期未报" in page and recall.recall_no in page
    home = client.get(reverse("home")).content.decode()
    assert "阶段性进展报告" in home
    client.force_login(setup["account"])
    assert "阶段性进展报告" in client.get(reverse("home")).content.decode()


def test_triage_and_open_investigation_through_pages(client, setup):
    report = defect_reports.defect_report_submit(
        category=Category.CONSUMER,
        product="电热水壶",
        brand="美厨",
        model="MK-15A",
        description="使用中壶底冒烟并有焦糊味。",
        region=Region.objects.get(code="430102"),
        reporter_name="王小明",
        reporter_phone="13912345678",
    )
    handler = f.staff(Role.CASE_HANDLER, "430102")
    client.force_login(handler)
    listing = client.get(reverse("recalls:defect_report_list")).content.decode()
    assert report.report_no in listing
    detail = client.get(reverse("recalls:defect_report_detail", args=[report.pk])).content.decode()
    assert "13912345678" in detail
    response = client.post(
        reverse("recalls:defect_report_detail", args=[report.pk]),
        {"status": "accepted", "producer_uscc": setup["maker"].uscc, "note": "转调查"},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("recalls:investigation_open"),
        {
            "report": [report.pk],
            "producer_uscc": setup["maker"].uscc,
            "category": "consumer",
            "product": "电热水壶",
            "brand": "美厨",
            "models_text": "MK-15A",
            "opened_on": "2026-11-01",
        },
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "investigating"
    client.force_login(f.staff(Role.CASE_HANDLER, "430103"))
    assert client.get(reverse("recalls:defect_report_detail", args=[report.pk])).status_code == 404
    assert DefectReport.objects.count() == 1


def test_dashboard_for_leaders(client, setup):
    services.progress_report_submit(
        user=setup["account"], recall=setup["recall"], units_affected=1200, units_remedied=600, on=dt.date(2026, 6, 1)
    )
    client.force_login(setup["leader"])
    page = client.get(reverse("recalls:dashboard"), {"year": 2026})
    assert page.status_code == 200 and "50.0%" in page.content.decode()
    client.force_login(setup["account"])
    assert client.get(reverse("recalls:dashboard")).status_code == 403

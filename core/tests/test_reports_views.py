"""The report archive pages: scoped list, asking for a report, status polling, view and download."""

import pytest
from django.urls import reverse

from core.models_reports import Report, ReportStatus
from core.reports import services
from core.tests import reports_support
from core.tests.reports_support import TOY_TITLE

pytestmark = pytest.mark.django_db
toy_kind = reports_support.toy_kind
media = reports_support.media


def _done_report(regions, code="430102", period="2017"):
    report, _ = services.report_request(kind="toy", period=period, jurisdiction=regions[code])
    services.report_generate(report_id=report.pk)
    report.refresh_from_db()
    return report


def test_the_archive_lists_reports_of_the_jurisdiction_and_below(toy_kind, media, regions, login, city_inspector):
    services.report_request(kind="toy", period="2017", jurisdiction=regions["430102"])
    services.report_request(kind="toy", period="2017", jurisdiction=regions["430103"])
    services.report_request(kind="toy", period="2017", jurisdiction=regions["440000"])

    page = login(city_inspector).get(reverse("core:report_list"))

    assert page.status_code == 200
    text = page.content.decode()
    assert f"长沙市芙蓉区2017年{TOY_TITLE}" in text
    assert f"长沙市天心区2017年{TOY_TITLE}" in text
    assert "广东省" not in text


def test_a_county_inspector_sees_only_their_county(toy_kind, media, regions, login, county_inspector):
    services.report_request(kind="toy", period="2017", jurisdiction=regions["430102"])
    services.report_request(kind="toy", period="2017", jurisdiction=regions["430100"])

    text = login(county_inspector).get(reverse("core:report_list")).content.decode()

    assert f"长沙市芙蓉区2017年{TOY_TITLE}" in text
    assert f"长沙市2017年{TOY_TITLE}" not in text


def test_staff_ask_for_a_report_and_follow_its_status(toy_kind, media, regions, login, county_inspector):
    client = login(county_inspector)

    response = client.post(
        reverse("core:report_request"), {"kind": "toy", "period": "2017-q2", "jurisdiction": "430102"}
    )

    report = Report.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("core:report_detail", args=[report.pk])
    assert (report.period, report.status, report.requested_by) == ("2017-Q2", ReportStatus.QUEUED, county_inspector)
    detail = client.get(response.url).content.decode()
    assert "排队中" in detail
    assert 'hx-trigger="every 2s"' in detail
    assert reverse("core:report_status", args=[report.pk]) in detail


def test_the_status_stops_polling_once_the_report_is_done(toy_kind, media, regions, login, county_inspector):
    report = _done_report(regions)

    fragment = login(county_inspector).get(reverse("core:report_status", args=[report.pk])).content.decode()

    assert "已完成" in fragment
    assert "hx-trigger" not in fragment
    assert reverse("core:report_download", args=[report.pk]) in fragment


def test_the_polling_page_reloads_once_when_the_report_is_finished(toy_kind, media, regions, login, county_inspector):
    queued, _ = services.report_request(kind="toy", period="2016", jurisdiction=regions["430102"])
    client = login(county_inspector)
    url = reverse("core:report_status", args=[queued.pk])

    assert "HX-Refresh" not in client.get(url, headers={"HX-Request": "true"})
    services.report_generate(report_id=queued.pk)
    assert client.get(url, headers={"HX-Request": "true"})["HX-Refresh"] == "true"


def test_a_failed_report_shows_its_reason(toy_kind, media, regions, login, county_inspector):
    report, _ = services.report_request(kind="toy", period="2017", jurisdiction=regions["430102"])
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.FAILED, error="生成失败：数据库连接中断")

    fragment = login(county_inspector).get(reverse("core:report_status", args=[report.pk])).content.decode()

    assert "失败" in fragment and "数据库连接中断" in fragment
    assert "重新生成" in fragment
    assert "hx-trigger" not in fragment


def test_a_report_outside_the_jurisdiction_cannot_be_asked_for(toy_kind, regions, login, county_inspector):
    response = login(county_inspector).post(
        reverse("core:report_request"), {"kind": "toy", "period": "2017", "jurisdiction": "430103"}
    )

    assert response.status_code == 400
    assert not Report.objects.exists()


def test_a_malformed_period_is_shown_in_the_form(toy_kind, regions, login, county_inspector):
    response = login(county_inspector).post(
        reverse("core:report_request"), {"kind": "toy", "period": "2017年", "jurisdiction": "430102"}
    )

    assert response.status_code == 400
    assert "格式不正确" in response.content.decode()


def test_the_owner_downloads_the_stored_pdf(toy_kind, media, regions, login, county_inspector):
    report = _done_report(regions)

    response = login(county_inspector).get(reverse("core:report_download", args=[report.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


@pytest.mark.parametrize("persona", ["neighbour_inspector", "outsider"])
def test_a_user_of_another_region_cannot_download_or_open_the_report(toy_kind, media, regions, login, persona, request):
    report = _done_report(regions)
    client = login(request.getfixturevalue(persona))

    for name in ("report_download", "report_detail", "report_view", "report_status"):
        assert client.get(reverse(f"core:{name}", args=[report.pk])).status_code == 404


def test_the_browser_view_renders_from_the_snapshot(toy_kind, media, regions, login, county_inspector):
    report = _done_report(regions)
    Report.objects.filter(pk=report.pk).update(
        snapshot={**report.snapshot, "meta": {**report.snapshot["meta"], "title": "快照中的标题"}}
    )

    page = login(county_inspector).get(reverse("core:report_view", args=[report.pk])).content.decode()

    assert "快照中的标题" in page
    assert "长沙市芙蓉区市场监督管理局" in page


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("core:report_list"))

    assert response.status_code == 302
    assert reverse("login") in response.url


def test_the_archive_list_does_not_query_per_report(toy_kind, regions, login, provincial_leader):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(provincial_leader)
    services.report_request(kind="toy", period="2017", jurisdiction=regions["430102"])
    client.get(reverse("core:report_list"))  # warms the cached region names, read once per hour
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("core:report_list"))
    for code in ("430103", "430100", "430000", "430200"):
        services.report_request(kind="toy", period="2017", jurisdiction=regions[code], user=provincial_leader)
    with CaptureQueriesContext(connection) as five:
        page = client.get(reverse("core:report_list"))

    assert len(page.context["page_obj"].object_list) == 5
    assert len(five) == len(one)

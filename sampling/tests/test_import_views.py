"""The browser upload page (sampling:import): roles, file checks, the error table and the summary."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sampling.models import Sample
from sampling.tests.data.spreadsheets import csv_bytes, item, make_reference_data, row

URL = "/sampling/import/"


@pytest.fixture
def ref(regions):
    return make_reference_data(regions)


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def test_the_page_is_named_and_open_to_importing_roles(
    ref, login, county_inspector, institution_user, provincial_admin
):
    assert reverse("sampling:import") == URL
    for user in (county_inspector, institution_user, provincial_admin):
        response = login(user).get(URL)
        assert response.status_code == 200
        assert "抽查结果导入" in response.content.decode()


def test_the_page_is_refused_to_other_roles(ref, login, provincial_leader, city_case_handler, client):
    assert login(provincial_leader).get(URL).status_code == 403
    assert login(city_case_handler).get(URL).status_code == 403
    client.logout()
    assert client.get(URL).status_code == 302


def test_a_good_upload_shows_the_summary(ref, login, county_inspector):
    content = csv_bytes([row(ref["furong"], "S001"), row(ref["furong"], "S002")], encoding="gb18030")

    response = login(county_inspector).post(URL, {"file": upload("results.csv", content)})

    assert response.status_code == 200
    page = response.content.decode()
    assert "导入完成" in page and "新增批次" in page
    assert Sample.objects.count() == 2
    assert set(Sample.objects.values_list("created_by__username", flat=True)) == {"furong_inspector"}


def test_a_dry_run_upload_writes_nothing(ref, login, county_inspector):
    content = csv_bytes([row(ref["furong"], "S001")])

    response = login(county_inspector).post(URL, {"file": upload("results.csv", content), "dry_run": "on"})

    assert response.status_code == 200
    assert "试运行" in response.content.decode()
    assert Sample.objects.count() == 0


def test_a_bad_upload_shows_every_error_with_row_and_column(ref, login, county_inspector):
    content = csv_bytes([row(ref["furong"], "S001", 企业规模="巨型"), row(ref["furong"], "S002", 抽样日期="昨天")])
    items = csv_bytes([item("S404", "泄漏电流")], columns=list(item("x", "y")))

    response = login(county_inspector).post(
        URL, {"file": upload("results.csv", content), "items_file": upload("items.csv", items)}
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "文件有 3 处错误，未写入任何数据" in page
    assert "<td>2</td><td>企业规模</td>" in page
    assert "<td>3</td><td>抽样日期</td>" in page
    assert "抽样单编号“S404”不在抽查结果表中" in page
    assert Sample.objects.count() == 0


def test_uploads_are_checked_for_type_and_size(ref, login, county_inspector, monkeypatch):
    client = login(county_inspector)

    response = client.post(URL, {"file": upload("results.pdf", b"%PDF-1.4")})
    assert response.status_code == 400
    assert "只接受 .xlsx 或 .csv 文件" in response.content.decode()

    monkeypatch.setattr("sampling.views.imports.MAX_UPLOAD_BYTES", 10)
    response = client.post(URL, {"file": upload("results.csv", csv_bytes([row(ref["furong"], "S001")]))})
    assert response.status_code == 400
    assert "文件不能超过 20 MB" in response.content.decode()
    assert Sample.objects.count() == 0


def test_an_unreadable_workbook_is_reported_on_the_form(ref, login, county_inspector):
    response = login(county_inspector).post(URL, {"file": upload("results.xlsx", b"not a zip file")})

    assert response.status_code == 400
    assert "无法读取 Excel 文件" in response.content.decode()

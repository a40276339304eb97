"""Export in the interchange shape: round trip with the import, sheets, the scoped and filtered download."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from sampling.models import ItemResult, Sample
from sampling.services.exporting import export_samples
from sampling.services.importing import import_sampling
from sampling.services.spreadsheets import ITEM_COLUMNS, MAIN_COLUMNS
from sampling.tests.data.spreadsheets import item, make_reference_data, row, write_xlsx


@pytest.fixture
def imported(regions, tmp_path):
    ref = make_reference_data(regions)
    rows = [
        row(ref["furong"], "S001"),
        row(ref["furong"], "S002", 检验结论="不合格", 不合格项目="泄漏电流；标志和说明"),
        row(ref["tianxin"], "S003", 企业规模="大型", 抽样环节="电商", 商标=""),
    ]
    items = [item("S002", "泄漏电流", "不合格"), item("S002", "标志和说明", "不合格"), item("S001", "泄漏电流")]
    summary = import_sampling(file=write_xlsx(tmp_path / "in.xlsx", rows, items))
    assert summary.errors == []
    return ref


def test_export_then_import_gives_no_errors_and_updates_every_batch(imported, tmp_path):
    # Given an export of every batch
    content = export_samples(Sample.objects.all())
    path = tmp_path / "out.xlsx"
    path.write_bytes(content)
    before = (Sample.objects.count(), ItemResult.objects.count())

    # When it is imported back
    summary = import_sampling(file=path)

    # Then nothing is wrong, nothing is created, every batch is updated, and the data are unchanged
    assert summary.errors == []
    assert (summary.rows_read, summary.batches_created, summary.batches_updated) == (3, 0, 3)
    assert (Sample.objects.count(), ItemResult.objects.count()) == before
    failed = Sample.objects.get(sample_no="S002")
    assert failed.final_verdict == "fail"
    assert failed.results.get().failed_items == ["泄漏电流", "标志和说明"]


def test_export_has_the_import_columns_and_an_items_sheet(imported):
    workbook = load_workbook(io.BytesIO(export_samples(Sample.objects.all())))

    assert workbook.sheetnames == ["抽查结果", "检验项目"]
    main = list(workbook["抽查结果"].values)
    assert list(main[0]) == MAIN_COLUMNS
    first = dict(zip(MAIN_COLUMNS, main[1], strict=True))
    assert first["抽样单编号"] == "S001" and first["检验结论"] == "合格" and first["企业规模"] == "小型"
    assert first["抽查级别"] == "省" and first["所在地区代码"] == "430102"
    assert str(first["抽样日期"])[:10] == "2017-05-03"
    items = list(workbook["检验项目"].values)
    assert list(items[0]) == ITEM_COLUMNS
    assert [r[:2] for r in items[1:]] == [("S001", "泄漏电流"), ("S002", "泄漏电流"), ("S002", "标志和说明")]


def test_export_without_items_has_one_sheet_and_pending_batches_have_empty_results(imported):
    ItemResult.objects.all().delete()
    pending = Sample.objects.get(sample_no="S003")
    pending.results.all().delete()

    workbook = load_workbook(io.BytesIO(export_samples(Sample.objects.filter(pk=pending.pk))))

    assert workbook.sheetnames == ["抽查结果"]
    values = dict(zip(MAIN_COLUMNS, list(workbook["抽查结果"].values)[1], strict=True))
    assert values["检验结论"] in (None, "") and values["检验报告编号"] in (None, "")


def test_export_view_is_scoped_to_the_jurisdiction_and_filtered(imported, login, county_inspector):
    client = login(county_inspector)

    response = client.get("/sampling/export/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    numbers = [r[0] for r in list(load_workbook(io.BytesIO(response.content))["抽查结果"].values)[1:]]
    assert numbers == ["S001", "S002"]  # S003 is in 天心区

    failed_only = client.get("/sampling/export/", {"final_verdict": "fail"})
    numbers = [r[0] for r in list(load_workbook(io.BytesIO(failed_only.content))["抽查结果"].values)[1:]]
    assert numbers == ["S002"]

    by_task = client.get("/sampling/export/", {"task": imported["task"].pk, "year": 2018})
    assert list(load_workbook(io.BytesIO(by_task.content))["抽查结果"].values)[1:] == []


def test_export_view_refuses_roles_without_list_access(imported, login, city_case_handler):
    assert login(city_case_handler).get("/sampling/export/").status_code == 403

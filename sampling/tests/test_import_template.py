"""The downloadable import template: the format's headers, an example row, drop-downs of the allowed words."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from sampling.services.spreadsheets import ITEM_COLUMNS, ITEMS_SHEET, MAIN_COLUMNS, MAIN_SHEET

pytestmark = pytest.mark.django_db

URL = reverse("sampling:import_template")


def test_the_upload_page_links_the_template_and_the_format(login, county_inspector):
    html = login(county_inspector).get(reverse("sampling:import")).content.decode()
    assert URL in html and "下载导入模板" in html


def test_the_template_has_the_headers_an_example_row_and_drop_downs(login, county_inspector):
    response = login(county_inspector).get(URL)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [MAIN_SHEET, ITEMS_SHEET]
    main = workbook[MAIN_SHEET]
    header = [cell.value for cell in main[1]]
    assert header == MAIN_COLUMNS
    example = dict(zip(header, [cell.value for cell in main[2]], strict=True))
    assert example["检验结论"] == "不合格" and example["不合格项目"]
    lists = {}
    for validation in main.data_validations.dataValidation:
        column = header[next(iter(validation.sqref.ranges)).min_col - 1]
        lists[column] = validation.formula1.strip('"').split(",")
    assert lists == {
        "抽查级别": ["国家", "省", "市", "县"],
        "企业规模": ["大型", "中型", "小型", "微型"],
        "抽样环节": ["生产", "流通", "电商"],
        "检验结论": ["合格", "不合格"],
    }
    # codes stay text (leading zeros, 18 characters)
    uscc = header.index("统一社会信用代码") + 1
    assert main.cell(row=3, column=uscc).number_format == "@"
    items = workbook[ITEMS_SHEET]
    assert [cell.value for cell in items[1]] == ITEM_COLUMNS
    assert items.data_validations.dataValidation[0].formula1 == '"合格,不合格"'


def _upload(content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("抽查结果导入模板.xlsx", content)


def test_the_untouched_template_is_refused_row_by_row(login, county_inspector):
    # the example row is made up: importing it as it is names its bad check character instead of writing anything
    from sampling.models import Sample
    from sampling.services.importing import import_sampling

    content = login(county_inspector).get(URL).content
    summary = import_sampling(file=_upload(content), user=county_inspector, create_missing=True)
    assert any(error.column == "统一社会信用代码" and error.row == 2 for error in summary.errors)
    assert not Sample.objects.exists()


def test_the_template_filled_in_imports_through_the_real_importer(login, county_inspector, regions):
    from openpyxl import Workbook

    from core.tests.factories import InstitutionFactory, ProductGroupFactory, ProductTypeFactory
    from sampling.models import Sample
    from sampling.services.importing import import_sampling

    group = ProductGroupFactory(code="G02", name="电子电器产品")
    ProductTypeFactory(group=group, name="电热水壶")
    InstitutionFactory(name="湖南省产品质量检验研究院")
    template = load_workbook(io.BytesIO(login(county_inspector).get(URL).content))
    main = template[MAIN_SHEET]
    main.cell(row=2, column=MAIN_COLUMNS.index("统一社会信用代码") + 1).value = "91430100MA4L00000F"
    buffer = io.BytesIO()
    template.save(buffer)
    assert isinstance(template, Workbook)

    summary = import_sampling(file=_upload(buffer.getvalue()), user=county_inspector, create_missing=True)

    assert not summary.errors, summary.errors
    sample = Sample.objects.get()
    assert sample.sample_no == "示例-2026-0001" and sample.final_verdict == "fail"
    assert sample.results.get().items.count() == 3


def test_roles_without_import_get_no_template(login, provincial_leader):
    assert login(provincial_leader).get(URL).status_code == 403

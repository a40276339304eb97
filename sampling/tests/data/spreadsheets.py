"""Builders of small interchange files (抽查结果导入模板) for the import, export and statistics tests."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from openpyxl import Workbook

from core.models import Enterprise, Institution, ProductGroup, ProductType
from core.tests.factories import make_uscc
from sampling.models import SamplingTask
from sampling.services.spreadsheets import ITEM_COLUMNS, MAIN_COLUMNS

TASK_CODE = "HN2017-01"
INSTITUTION = "湖南省产品质量检验研究院"
GROUP = "电子电器产品"
PRODUCT = "电热水壶"


def make_reference_data(regions) -> dict:
    """The catalogue, a task, an institution and two enterprises the rows below refer to."""
    group = ProductGroup.objects.create(code="G02", name=GROUP, order=2)
    kettle = ProductType.objects.create(group=group, code="T0201", name=PRODUCT)
    ProductType.objects.create(group=group, code="T0202", name="电吹风")
    other_group = ProductGroup.objects.create(code="G01", name="日用及纺织品", order=1)
    ProductType.objects.create(group=other_group, code="T0101", name="童装")
    task = SamplingTask.objects.create(
        code=TASK_CODE, name="2017年省级监督抽查", level="province", year=2017, region=regions["430000"]
    )
    institution = Institution.objects.create(name=INSTITUTION)
    furong = Enterprise.objects.create(
        name="长沙芙蓉电器有限公司", uscc=make_uscc("430102"), region=regions["430102"], size="small"
    )
    tianxin = Enterprise.objects.create(
        name="长沙天心电器有限公司", uscc=make_uscc("430103"), region=regions["430103"], size="large"
    )
    return {"task": task, "institution": institution, "kettle": kettle, "furong": furong, "tianxin": tianxin}


def row(enterprise: Enterprise, sample_no: str, **overrides) -> dict:
    values = {
        "抽样单编号": sample_no,
        "任务编号": TASK_CODE,
        "任务名称": "2017年省级监督抽查",
        "抽查级别": "省",
        "年度": "2017",
        "抽样日期": "2017-05-03",
        "产品类别": GROUP,
        "产品名称": PRODUCT,
        "企业名称": enterprise.name,
        "统一社会信用代码": enterprise.uscc,
        "所在地区代码": enterprise.region_id,
        "企业规模": "小型",
        "抽样环节": "生产",
        "商标": "美的",
        "规格型号": "MK-1",
        "生产日期/批号": "20170401",
        "检验机构": INSTITUTION,
        "检验报告编号": f"R-{sample_no}",
        "检验结论": "合格",
        "不合格项目": "",
    }
    values.update(overrides)
    return values


def item(sample_no: str, name: str, verdict: str = "合格") -> dict:
    return {"抽样单编号": sample_no, "检验项目": name, "标准要求": "≤ 0.75 mA", "实测值": "0.3 mA", "单项判定": verdict}


def csv_bytes(rows: list[dict], *, encoding: str = "utf-8", columns: list[str] | None = None) -> bytes:
    columns = columns or MAIN_COLUMNS
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(columns)
    for values in rows:
        writer.writerow([values.get(c, "") for c in columns])
    return text.getvalue().encode(encoding)


def write_csv(path: Path, rows: list[dict], *, encoding: str = "utf-8", columns: list[str] | None = None) -> Path:
    path.write_bytes(csv_bytes(rows, encoding=encoding, columns=columns))
    return path


def write_xlsx(path: Path, rows: list[dict], items: list[dict] | None = None, *, real_dates: bool = True) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "抽查结果"
    sheet.append(MAIN_COLUMNS)
    for values in rows:
        cells = [values.get(c, "") for c in MAIN_COLUMNS]
        if real_dates:
            index = MAIN_COLUMNS.index("抽样日期")
            cells[index] = dt.date.fromisoformat(cells[index].replace("/", "-"))
        sheet.append(cells)
    if items:
        item_sheet = workbook.create_sheet("检验项目")
        item_sheet.append(ITEM_COLUMNS)
        for values in items:
            item_sheet.append([values.get(c, "") for c in ITEM_COLUMNS])
    workbook.save(path)
    return path

"""Staff downloads: the dashboard's statistics tables as Excel, and the result-import template (xlsx)."""

from __future__ import annotations

import io
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from sampling import policies
from sampling.services.importing import LEVEL_VALUES, SIZE_VALUES, STAGE_VALUES, VERDICT_VALUES
from sampling.services.spreadsheets import ITEM_COLUMNS, ITEMS_SHEET, MAIN_COLUMNS, MAIN_SHEET, REQUIRED_MAIN_COLUMNS
from sampling.views.dashboard import dashboard_data
from sampling.xlsx import XLSX_CONTENT_TYPE, workbook_bytes


def _attachment(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def _breakdown_sheet(data: dict) -> tuple[str, list[str], list[list]]:
    header = [
        str(data["dimension_label"]),
        _("抽查批次"),
        _("合格批次"),
        _("不合格批次"),
        _("合格率（%）"),
        _("上年合格率（%）"),
        _("变化（百分点）"),
    ]
    keys = ("label", "batches", "passed", "failed", "pass_rate", "last_year_rate", "change")
    rows = [[r.get(key) for key in keys] for r in data["rows"]]
    total = data["total"]
    rows.append([_("合计"), total["batches"], total["passed"], total["failed"], data["rate"], None, data["change"]])
    title = _("按%(label)s统计") % {"label": data["dimension_label"]}
    return title, header, rows


def _trend_sheet(data: dict) -> tuple[str, list[str], list[list]]:
    header = [_("年度"), _("抽查批次"), _("合格批次"), _("合格率（%）")]
    rows = [[t["year"], t["batches"], t["passed"], t["rate"]] for t in data["trend"]]
    return _("合格率趋势"), header, rows


def _failed_items_sheet(data: dict) -> tuple[str, list[str], list[list]]:
    header = [_("排名"), _("不合格项目"), _("出现批次")]
    rows = [[n, item["item"], item["count"]] for n, item in enumerate(data["failed_items"], start=1)]
    return _("主要不合格项目"), header, rows


TABLES = {"breakdown": _breakdown_sheet, "trend": _trend_sheet, "failed_items": _failed_items_sheet}


@login_required
@require_GET
def dashboard_export(request):
    """One statistics table of the dashboard (``table=``), or all of them, with the page's year and grouping."""
    data = dashboard_data(request.user, request.GET)
    table = request.GET.get("table", "")
    builders = [TABLES[table]] if table in TABLES else list(TABLES.values())
    sheets = [builder(data) for builder in builders]
    scope = [
        [_("统计范围"), data["scope_name"]],
        [_("年度"), data["year"]],
        [_("口径"), _("已确认的最终检验结论；批次合格率 = 合格批次 ÷ 抽查批次")],
    ]
    sheets.append((_("说明"), [_("项目"), _("内容")], scope))
    name = _("抽查统计-%(year)s-%(by)s.xlsx") % {"year": data["year"], "by": table or data["by"]}
    return _attachment(workbook_bytes(sheets), name)


# The template's example row: made up, and marked as such, so that an import of the untouched file fails loudly
# on the USCC check rather than creating a real-looking batch.
EXAMPLE_ROW = {
    "抽样单编号": "示例-2026-0001",
    "任务编号": "HNSJ-2026-01",
    "任务名称": "2026年电热水壶省级监督抽查",
    "抽查级别": "省",
    "年度": 2026,
    "抽样日期": "2026-05-10",
    "产品类别": "电子电器产品",
    "产品名称": "电热水壶",
    "企业名称": "示例电器有限公司（请替换）",
    "统一社会信用代码": "91430100MA4L000000",
    "所在地区代码": "430102",
    "企业规模": "小型",
    "抽样环节": "生产",
    "商标": "示例牌",
    "规格型号": "SWF-17E",
    "生产日期/批号": "2026-03-01",
    "检验机构": "湖南省产品质量检验研究院",
    "检验报告编号": "WT2026-0001",
    "检验结论": "不合格",
    "不合格项目": "泄漏电流；温升",
}
EXAMPLE_ITEMS = [
    ["示例-2026-0001", "泄漏电流", "≤0.25 mA", "0.41 mA", "不合格"],
    ["示例-2026-0001", "温升", "≤75 K", "82 K", "不合格"],
    ["示例-2026-0001", "输入功率和电流", "偏差 +5%～-10%", "+2.1%", "合格"],
]
CHOICES = {
    "抽查级别": list(LEVEL_VALUES),
    "企业规模": list(SIZE_VALUES),
    "抽样环节": list(STAGE_VALUES),
    "检验结论": list(VERDICT_VALUES),
}
TEMPLATE_ROWS = 2000  # drop-downs and text formats cover this many data rows


def import_template_bytes() -> bytes:
    """The import template: both sheets with their headers (required ones marked), an example row, drop-downs
    for the columns with fixed words, and text cells where leading zeros and digits must survive."""
    workbook = Workbook()
    main = workbook.active
    main.title = MAIN_SHEET
    required_fill = PatternFill("solid", fgColor="FDE9D9")
    optional_fill = PatternFill("solid", fgColor="E8EEF6")
    main.append(MAIN_COLUMNS)
    main.append([EXAMPLE_ROW[column] for column in MAIN_COLUMNS])
    for index, column in enumerate(MAIN_COLUMNS, start=1):
        cell = main.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.fill = required_fill if column in REQUIRED_MAIN_COLUMNS else optional_fill
        letter = get_column_letter(index)
        main.column_dimensions[letter].width = max(12, len(column) * 2 + 4)
        if column in CHOICES:
            validation = DataValidation(
                type="list",
                formula1='"' + ",".join(CHOICES[column]) + '"',
                allow_blank=column not in REQUIRED_MAIN_COLUMNS,
                showErrorMessage=True,
                errorTitle=_("取值无效"),
                error=_("请从下拉列表中选择：%(choices)s") % {"choices": " / ".join(CHOICES[column])},
            )
            validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
            main.add_data_validation(validation)
            cell.comment = Comment(_("可选值：%(choices)s") % {"choices": " / ".join(CHOICES[column])}, "质监通")
        if column in ("统一社会信用代码", "所在地区代码", "生产日期/批号", "抽样单编号", "检验报告编号"):
            for row in range(2, TEMPLATE_ROWS + 2):
                main.cell(row=row, column=index).number_format = "@"
    main.freeze_panes = "A2"

    items = workbook.create_sheet(ITEMS_SHEET)
    items.append(ITEM_COLUMNS)
    for row in EXAMPLE_ITEMS:
        items.append(row)
    for index, column in enumerate(ITEM_COLUMNS, start=1):
        items.cell(row=1, column=index).font = Font(bold=True)
        items.column_dimensions[get_column_letter(index)].width = max(14, len(column) * 2 + 6)
    verdict_column = get_column_letter(ITEM_COLUMNS.index("单项判定") + 1)
    item_validation = DataValidation(type="list", formula1='"合格,不合格"', allow_blank=False, showErrorMessage=True)
    item_validation.add(f"{verdict_column}2:{verdict_column}{TEMPLATE_ROWS * 10 + 1}")
    items.add_data_validation(item_validation)
    items.freeze_panes = "A2"

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@login_required
@require_GET
def import_template(request):
    if not policies.can_import(request.user):
        raise PermissionDenied
    return _attachment(import_template_bytes(), _("抽查结果导入模板.xlsx"))


urlpatterns = [
    path("dashboard/export/", dashboard_export, name="dashboard_export"),
    path("import/template.xlsx", import_template, name="import_template"),
]

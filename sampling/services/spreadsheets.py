"""The sampling-results interchange format (抽查结果导入模板): column names and the readers for .xlsx / .csv.

The shape is defined in docs `formats/sampling-results.md`; import and export both use these constants.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from core.errors import DomainError

MAIN_SHEET = "抽查结果"
ITEMS_SHEET = "检验项目"

# Export order of the main sheet; the importer accepts any order.
MAIN_COLUMNS = [
    "抽样单编号",
    "任务编号",
    "任务名称",
    "抽查级别",
    "年度",
    "抽样日期",
    "产品类别",
    "产品名称",
    "企业名称",
    "统一社会信用代码",
    "所在地区代码",
    "企业规模",
    "抽样环节",
    "商标",
    "规格型号",
    "生产日期/批号",
    "检验机构",
    "检验报告编号",
    "检验结论",
    "不合格项目",
]
REQUIRED_MAIN_COLUMNS = [
    "抽样单编号",
    "任务编号",
    "抽样日期",
    "产品类别",
    "产品名称",
    "企业名称",
    "统一社会信用代码",
    "所在地区代码",
    "企业规模",
    "抽样环节",
    "检验机构",
    "检验报告编号",
    "检验结论",
]
# Needed only to create a task that does not exist (--create-missing).
TASK_COLUMNS = ["任务名称", "抽查级别", "年度"]

ITEM_COLUMNS = ["抽样单编号", "检验项目", "标准要求", "实测值", "单项判定"]
REQUIRED_ITEM_COLUMNS = ["抽样单编号", "检验项目", "单项判定"]
# Optional in the items sheet: disambiguates a sample number used by two tasks of the same file.
ITEM_TASK_COLUMN = "任务编号"

SUPPORTED_EXTENSIONS = (".xlsx", ".csv")

# Row lists as read: index 0 is spreadsheet row 1.
Rows = list[list[Any]]


def read_upload(file) -> tuple[str, bytes]:
    """The name and content of a path or an uploaded/opened file."""
    if isinstance(file, str | Path):
        path = Path(file)
        return path.name, path.read_bytes()
    name = Path(getattr(file, "name", "") or "").name
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read()
    if isinstance(data, str):
        data = data.encode("utf-8")
    return name, data


def extension_of(name: str) -> str:
    return Path(name).suffix.lower()


def decode_csv(data: bytes) -> str:
    """UTF-8 with BOM, UTF-8, else GB18030 (spreadsheets saved on Chinese Windows)."""
    if data.startswith(codecs.BOM_UTF8):
        return data.decode("utf-8-sig")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise DomainError(_("无法识别文件编码，请保存为 UTF-8 或 GB18030 编码的 CSV")) from exc


def read_csv(data: bytes) -> Rows:
    return [list(row) for row in csv.reader(io.StringIO(decode_csv(data), newline=""))]


def read_workbook(data: bytes) -> dict[str, Rows]:
    """Every sheet of an .xlsx as rows of Python values (dates stay dates)."""
    from python_calamine import CalamineError, load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data))
        return {
            name: workbook.get_sheet_by_name(name).to_python(skip_empty_area=False) for name in workbook.sheet_names
        }
    except (CalamineError, ValueError, OSError) as exc:
        raise DomainError(_("无法读取 Excel 文件：%(error)s") % {"error": exc}) from exc


def read_tables(name: str, data: bytes, *, items_name: str = "", items_data: bytes | None = None) -> tuple[Rows, Rows]:
    """The main rows and the item rows (empty when none) of an import."""
    ext = extension_of(name)
    items: Rows = []
    if ext == ".xlsx":
        sheets = read_workbook(data)
        if not sheets:
            raise DomainError(_("Excel 文件中没有工作表"))
        names = list(sheets)
        main = sheets.get(MAIN_SHEET) or sheets[names[0]]
        items = sheets.get(ITEMS_SHEET, [])
    elif ext == ".csv":
        main = read_csv(data)
    else:
        raise DomainError(_("不支持的文件类型“%(ext)s”，请上传 .xlsx 或 .csv 文件") % {"ext": ext or name})
    if items_data is not None:
        items_ext = extension_of(items_name)
        if items_ext == ".xlsx":
            sheets = read_workbook(items_data)
            items = sheets.get(ITEMS_SHEET) or (next(iter(sheets.values())) if sheets else [])
        elif items_ext == ".csv":
            items = read_csv(items_data)
        else:
            raise DomainError(
                _("不支持的检验项目文件类型“%(ext)s”，请上传 .xlsx 或 .csv 文件") % {"ext": items_ext or items_name}
            )
    return main, items


def normalise_header(value: Any) -> str:
    """A header cell without surrounding spaces or the required-field star some templates add."""
    return cell_text(value).replace("\u3000", "").strip().rstrip("*＊").strip()


def cell_text(value: Any) -> str:
    """A cell as text: whole numbers without '.0', dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()

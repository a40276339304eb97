"""The sampling-results interchange format (抽查结果导入模板): column names and the readers for .xlsx / .csv.

The shape is defined in docs `formats/sampling-results.md`; import and export both use these constants.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import zipfile
from pathlib import Path
from typing import Any

from django.conf import settings
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


# Limits of an import file, checked before anything is parsed (a 1.8 KB workbook can declare a sheet of
# 17 billion cells, and the reader allocates what the sheet declares, not what the file holds).
MAX_ROWS = 100_000
MAX_COLUMNS = 64
MAX_CELLS = 3_000_000
MAX_ZIP_ENTRIES = 500
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
_CHUNK = 1024 * 1024


def max_upload_bytes() -> int:
    return int(getattr(settings, "IMPORT_MAX_MB", 20)) * 1024 * 1024


def _too_large(name: str) -> DomainError:
    return DomainError(
        _("文件“%(name)s”超过 %(mb)d MB 上限，请分批导入。") % {"name": name, "mb": max_upload_bytes() // (1024 * 1024)}
    )


def read_upload(file) -> tuple[str, bytes]:
    """The name and content of a path or an uploaded/opened file, refused above the size limit before reading."""
    limit = max_upload_bytes()
    if isinstance(file, str | Path):
        path = Path(file)
        if path.stat().st_size > limit:
            raise _too_large(path.name)
        return path.name, path.read_bytes()
    name = Path(getattr(file, "name", "") or "").name
    size = getattr(file, "size", None)
    if isinstance(size, int) and size > limit:
        raise _too_large(name)
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read(limit + 1)
    if isinstance(data, str):
        data = data.encode("utf-8")
    if len(data) > limit:
        raise _too_large(name)
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


def check_csv(data: bytes) -> None:
    """Refuse a binary file (a workbook, an image, a zero-byte file) given as .csv, and oversized tables."""
    if not data.strip():
        raise DomainError(_("文件是空的，请上传填好的 .xlsx 或 .csv 文件"))
    if b"\x00" in data[:_CHUNK] or data.startswith((b"PK\x03\x04", b"\x89PNG", b"\xff\xd8\xff", b"%PDF", b"GIF8")):
        raise DomainError(_("文件内容不是 CSV 文本，请按模板另存为 .csv（UTF-8 或 GB18030）后上传"))
    if data.count(b"\n") > MAX_ROWS:
        raise DomainError(_("表格超过 %(rows)d 行上限，请分批导入。") % {"rows": MAX_ROWS})


def read_csv(data: bytes) -> Rows:
    check_csv(data)
    rows = [list(row) for row in csv.reader(io.StringIO(decode_csv(data), newline=""))]
    if any(len(row) > MAX_COLUMNS for row in rows):
        raise DomainError(_("表格超过 %(columns)d 列上限，请使用导入模板。") % {"columns": MAX_COLUMNS})
    return rows


_SHEET_TAGS = re.compile(rb"<(?:\w+:)?(row|c|dimension)\b([^>]*)>|</(?:\w+:)?row>")
_REF = re.compile(rb'\br="([A-Z]{1,4})(\d{1,8})"')
_DIMENSION = re.compile(rb'\bref="[A-Z]{0,4}\d{0,8}:?([A-Z]{1,4})(\d{1,8})"')
# Cells and rows whose first attribute is their position, without a namespace prefix (_SheetScan._feed_whole).
_PLAIN_ROW_REFS = re.compile(rb'<row r="(\d{1,8})"[^>]*>')
_PLAIN_CELL_REFS = re.compile(rb'<c r="([A-Z]{1,4})(\d{1,8})"[^>]*>')


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + (letter - 64)
    return number


class _SheetScan:
    """Rows, columns and cells a worksheet declares, read from its XML in chunks (bounded memory)."""

    def __init__(self) -> None:
        self.rows = self.columns = self.cells = 0
        self._row = 0
        self._column = 0

    def feed(self, chunk: bytes) -> None:
        if not self._feed_whole(chunk):
            self._feed_tags(chunk)

    def _feed_whole(self, chunk: bytes) -> bool:
        """The common case at C speed: every tag of the chunk starting ``<c`` or ``<row`` is a cell or row whose
        first attribute is its position (r="…"), no tag has a namespace prefix, and no limit is passed, so the
        chunk's maxima are what the tag-by-tag scan would reach. False (nothing seen) otherwise: the caller scans
        the chunk tag by tag, which also reports the first limit passed, in document order."""
        if b"dimension" in chunk or b":c" in chunk or b":row" in chunk:
            return False
        cells = _PLAIN_CELL_REFS.findall(chunk)
        rows = _PLAIN_ROW_REFS.findall(chunk)
        if len(cells) != chunk.count(b"<c") or len(rows) != chunk.count(b"<row"):
            return False
        numbers = set(rows)
        numbers.update(number for _column, number in cells)
        top_row = max(map(int, numbers), default=0)
        top_column = max(map(_column_number, {column for column, _number in cells}), default=0)
        rows_after, columns_after = max(self.rows, top_row), max(self.columns, top_column)
        total = self.cells + len(cells)
        if rows_after > MAX_ROWS or columns_after > MAX_COLUMNS or total > MAX_CELLS:
            return False
        if rows_after * max(columns_after, 1) > MAX_CELLS:
            return False
        self.rows, self.columns, self.cells = rows_after, columns_after, total
        # Where a tag-by-tag scan of the next chunk starts from: the last row, and the last cell if it is in it.
        last_row = chunk.rfind(b"<row")
        if rows:
            self._row, self._column = int(rows[-1]), 0
        if cells and chunk.find(b"<c", last_row + 1 if last_row >= 0 else 0) >= 0:
            self._column = _column_number(cells[-1][0])
        return True

    def _feed_tags(self, chunk: bytes) -> None:
        for match in _SHEET_TAGS.finditer(chunk):
            tag, attributes = match.group(1), match.group(2) or b""
            if tag is None:  # </row>
                continue
            if tag == b"dimension":
                found = _DIMENSION.search(attributes)
                if found:
                    self._see(int(found.group(2)), _column_number(found.group(1)))
            elif tag == b"row":
                found = re.search(rb'\br="(\d{1,8})"', attributes)
                self._row = int(found.group(1)) if found else self._row + 1
                self._column = 0
                self._see(self._row, 0)
            else:
                self.cells += 1
                found = _REF.search(attributes)
                if found:
                    self._column = _column_number(found.group(1))
                    self._see(int(found.group(2)), self._column)
                else:
                    self._column += 1
                    self._see(max(self._row, 1), self._column)

    def _see(self, row: int, column: int) -> None:
        self.rows = max(self.rows, row)
        self.columns = max(self.columns, column)
        if self.rows > MAX_ROWS:
            raise DomainError(_("表格超过 %(rows)d 行上限，请分批导入。") % {"rows": MAX_ROWS})
        if self.columns > MAX_COLUMNS:
            raise DomainError(_("表格超过 %(columns)d 列上限，请使用导入模板。") % {"columns": MAX_COLUMNS})
        if self.rows * max(self.columns, 1) > MAX_CELLS or self.cells > MAX_CELLS:
            raise DomainError(_("表格超过 %(cells)d 个单元格上限，请分批导入。") % {"cells": MAX_CELLS})


def _not_a_workbook() -> DomainError:
    reason = _("文件内容不是 Excel (.xlsx) 工作簿，请用 Excel 另存为 .xlsx 后上传")
    return DomainError(_("无法读取 Excel 文件：%(error)s") % {"error": reason})


def check_workbook(data: bytes) -> None:
    """Refuse a workbook before it is read: not a zip, too many entries, too much uncompressed data, or sheets
    whose declared or actual size (dimension, row and cell positions) is beyond the import's limits.

    The check decompresses each entry in 1 MB chunks and stops at the first limit passed, so its memory is bounded
    whatever the file declares."""
    if not data:
        raise DomainError(_("文件是空的，请上传填好的 .xlsx 或 .csv 文件"))
    if not data.startswith(b"PK\x03\x04"):
        raise _not_a_workbook()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _not_a_workbook() from exc
    if len(entries) > MAX_ZIP_ENTRIES:
        raise DomainError(_("Excel 文件结构异常（压缩包条目过多），无法导入"))
    if sum(entry.file_size for entry in entries) > MAX_UNCOMPRESSED_BYTES:
        raise DomainError(_("Excel 文件解压后过大，无法导入，请分批导入"))
    if not any(entry.filename == "[Content_Types].xml" for entry in entries):
        raise _not_a_workbook()
    total = 0
    total_cells = 0
    try:
        for entry in entries:
            is_sheet = entry.filename.startswith("xl/worksheets/") and entry.filename.endswith(".xml")
            scan = _SheetScan() if is_sheet else None
            tail = b""
            with archive.open(entry) as stream:
                while chunk := stream.read(_CHUNK):
                    total += len(chunk)
                    if total > MAX_UNCOMPRESSED_BYTES:
                        raise DomainError(_("Excel 文件解压后过大，无法导入，请分批导入"))
                    if scan is None:
                        continue
                    buffer = tail + chunk
                    cut = buffer.rfind(b"<")
                    cut = cut if cut > 0 and len(buffer) - cut < 4096 else len(buffer)
                    scan.feed(buffer[:cut])
                    tail = buffer[cut:]
            if scan is not None:
                scan.feed(tail)
                total_cells += scan.rows * max(scan.columns, 1)
                if total_cells > MAX_CELLS:
                    raise DomainError(_("表格超过 %(cells)d 个单元格上限，请分批导入。") % {"cells": MAX_CELLS})
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as exc:
        raise DomainError(_("无法读取 Excel 文件：%(error)s") % {"error": exc}) from exc


def read_workbook(data: bytes) -> dict[str, Rows]:
    """Every sheet of an .xlsx as rows of Python values (dates stay dates); checked by ``check_workbook`` first."""
    from python_calamine import CalamineError, load_workbook

    check_workbook(data)
    try:
        workbook = load_workbook(io.BytesIO(data))
        return {
            name: workbook.get_sheet_by_name(name).to_python(skip_empty_area=False) for name in workbook.sheet_names
        }
    except (CalamineError, ValueError, OSError) as exc:
        raise DomainError(_("无法读取 Excel 文件：%(error)s") % {"error": exc}) from exc


class RowSource:
    """The rows of one sheet, read again on each iteration instead of held as Python lists: the validation passes
    over a 100,000-row sheet keep a row at a time, not the whole table (index 0 is spreadsheet row 1)."""

    def __init__(self, rows_factory, *, empty: bool) -> None:
        self._rows_factory = rows_factory
        self._empty = empty

    def __iter__(self):
        return iter(self._rows_factory())

    def __bool__(self) -> bool:
        return not self._empty


EMPTY_SOURCE = RowSource(list, empty=True)


def _csv_source(data: bytes) -> RowSource:
    check_csv(data)
    text = decode_csv(data)

    def rows():
        for row in csv.reader(io.StringIO(text, newline="")):
            if len(row) > MAX_COLUMNS:
                raise DomainError(_("表格超过 %(columns)d 列上限，请使用导入模板。") % {"columns": MAX_COLUMNS})
            yield row

    return RowSource(rows, empty=not text.strip())


def _workbook_sources(data: bytes) -> dict[str, RowSource]:
    """Every sheet of an .xlsx as a RowSource over python-calamine's row iterator (checked by ``check_workbook``)."""
    from python_calamine import CalamineError, load_workbook

    check_workbook(data)
    try:
        workbook = load_workbook(io.BytesIO(data))
        sources = {}
        for sheet_name in workbook.sheet_names:
            sheet = workbook.get_sheet_by_name(sheet_name)

            def rows(sheet=sheet):
                # iter_rows pads the rows above the used range but not the columns left of it.
                pad = [""] * (sheet.start[1] if sheet.start else 0)
                try:
                    for row in sheet.iter_rows():
                        yield pad + row if pad else row
                except (CalamineError, ValueError, OSError) as exc:
                    raise DomainError(_("无法读取 Excel 文件：%(error)s") % {"error": exc}) from exc

            sources[sheet_name] = RowSource(rows, empty=sheet.height == 0)
        return sources
    except (CalamineError, ValueError, OSError) as exc:
        raise DomainError(_("无法读取 Excel 文件：%(error)s") % {"error": exc}) from exc


def open_tables(
    name: str, data: bytes, *, items_name: str = "", items_data: bytes | None = None
) -> tuple[RowSource, RowSource]:
    """The main sheet and the items sheet (empty when none) of an import, as row sources read lazily."""
    ext = extension_of(name)
    items = EMPTY_SOURCE
    if ext == ".xlsx":
        sheets = _workbook_sources(data)
        if not sheets:
            raise DomainError(_("Excel 文件中没有工作表"))
        main = sheets[MAIN_SHEET] if MAIN_SHEET in sheets and sheets[MAIN_SHEET] else next(iter(sheets.values()))
        items = sheets.get(ITEMS_SHEET, EMPTY_SOURCE)
    elif ext == ".csv":
        main = _csv_source(data)
    else:
        raise DomainError(_("不支持的文件类型“%(ext)s”，请上传 .xlsx 或 .csv 文件") % {"ext": ext or name})
    if items_data is not None:
        items_ext = extension_of(items_name)
        if items_ext == ".xlsx":
            sheets = _workbook_sources(items_data)
            items = sheets.get(ITEMS_SHEET) or (next(iter(sheets.values())) if sheets else EMPTY_SOURCE)
        elif items_ext == ".csv":
            items = _csv_source(items_data)
        else:
            raise DomainError(
                _("不支持的检验项目文件类型“%(ext)s”，请上传 .xlsx 或 .csv 文件") % {"ext": items_ext or items_name}
            )
    return main, items


def read_tables(name: str, data: bytes, *, items_name: str = "", items_data: bytes | None = None) -> tuple[Rows, Rows]:
    """The main rows and the item rows (empty when none) of an import, whole (the upload checks; the importer
    reads through ``open_tables``)."""
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

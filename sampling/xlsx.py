"""Small helpers for the spreadsheets the pages hand out (announcement lists, statistics tables)."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from sampling.services.exporting import FORMULA_STARTS

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(sheet, value):
    """Text a spreadsheet would run as a formula (= + - @ …) becomes a quoted text cell; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        cell.quotePrefix = True
        return cell
    return value


def workbook_bytes(sheets: list[tuple[str, list[str], list[list]]]) -> bytes:
    """A write-only workbook of (title, header, rows) sheets, headers in bold, every text cell formula-safe."""
    workbook = Workbook(write_only=True)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title[:31])
        bold = []
        for text in header:
            cell = WriteOnlyCell(sheet, value=str(text))
            cell.font = Font(bold=True)
            bold.append(cell)
        sheet.append(bold)
        for row in rows:
            sheet.append([safe_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

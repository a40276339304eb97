"""The workbook check's sheet scan (spreadsheets._SheetScan): the whole-chunk count that serves ordinary sheets
reaches exactly what the tag-by-tag scan reaches, whatever the chunking, and leaves odd sheets and passed limits
to the tag-by-tag scan (which names the first limit passed, in document order)."""

from __future__ import annotations

import pytest

from core.errors import DomainError
from sampling.services import spreadsheets
from sampling.services.spreadsheets import _SheetScan


def _scan(xml: bytes, *, chunk: int, whole: bool) -> tuple:
    scan = _SheetScan()
    if not whole:
        scan._feed_whole = lambda _chunk: False
    tail = b""
    for start in range(0, len(xml), chunk):  # cut as check_workbook cuts: before the last '<' of each chunk
        buffer = tail + xml[start : start + chunk]
        cut = buffer.rfind(b"<")
        cut = cut if cut > 0 and len(buffer) - cut < 4096 else len(buffer)
        scan.feed(buffer[:cut])
        tail = buffer[cut:]
    scan.feed(tail)
    return scan.rows, scan.columns, scan.cells, scan._row, scan._column


def _sheet(rows: int, columns: int) -> bytes:
    letters = [chr(65 + n % 26) if n < 26 else "A" + chr(65 + n % 26) for n in range(columns)]
    body = "".join(
        f'<row r="{r}">' + "".join(f'<c r="{c}{r}" t="inlineStr"><is><t>x</t></is></c>' for c in letters) + "</row>"
        for r in range(1, rows + 1)
    )
    return f'<worksheet xmlns="main"><sheetData>{body}</sheetData></worksheet>'.encode()


ODD = (
    b'<worksheet><dimension ref="A1:C9"/><cols><col min="1" max="3"/></cols><sheetData>'
    b'<row r="1"><c r="A1"/><c/><c t="s"/></row><row><c/><c r="D7"/></row>'
    b'<x:row r="8"><x:c r="E8"/></x:row><row r="9" spans="1:3"><c t="n" r="B9"/></row></sheetData></worksheet>'
)


@pytest.mark.parametrize("chunk", [7, 64, 300, 4096, 1 << 20])
def test_the_whole_chunk_count_reaches_what_the_tag_by_tag_scan_reaches(chunk):
    for xml in (_sheet(60, 30), ODD, _sheet(3, 2) + ODD):
        assert _scan(xml, chunk=chunk, whole=True) == _scan(xml, chunk=chunk, whole=False)
    if chunk >= 64:  # smaller chunks split tags (check_workbook reads 1 MB at a time)
        assert _scan(_sheet(60, 30), chunk=chunk, whole=True)[:3] == (60, 30, 1800)


def test_a_passed_limit_is_reported_as_the_tag_by_tag_scan_reports_it(monkeypatch):
    monkeypatch.setattr(spreadsheets, "MAX_ROWS", 50)
    monkeypatch.setattr(spreadsheets, "MAX_COLUMNS", 20)
    for xml in (_sheet(51, 3), _sheet(10, 21)):
        messages = []
        for whole in (True, False):
            with pytest.raises(DomainError) as refused:
                _scan(xml, chunk=1 << 20, whole=whole)
            messages.append(str(refused.value))
        assert messages[0] == messages[1]

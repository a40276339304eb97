"""The hostile upload corpus: spreadsheet bombs, wrong extensions, polyglots, SVG with script, huge images, empty files.

``python tests/security/corpus.py`` writes every file to ``tests/security/corpus/``; the tests build the same files
from ``CORPUS`` when the folder is missing. Each entry says which upload paths must refuse it.
"""

from __future__ import annotations

import io
import struct
import sys
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

CORPUS_DIR = Path(__file__).resolve().parent / "corpus"

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="抽查结果" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>'
)
_SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def _xlsx(sheet_xml: bytes, extra: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet_xml)
        for name, content in (extra or {}).items():
            archive.writestr(name, content)
    return buffer.getvalue()


def sparse_bomb(cell: str = "XFD1048576", *, dimension: bool = True) -> bytes:
    """One data cell at the far corner: 1.8 KB on disk, billions of cells as the reader sees it."""
    row = "".join(ch for ch in cell if ch.isdigit())
    dim = f'<dimension ref="A1:{cell}"/>' if dimension else ""
    sheet = f'{_SHEET_HEAD}{dim}<sheetData><row r="{row}"><c r="{cell}" t="inlineStr"><is><t>x</t></is></c></row>'
    return _xlsx((sheet + "</sheetData></worksheet>").encode())


def dense_bomb(rows: int = 400_000) -> bytes:
    """Real cells, many of them: small compressed, large once read."""
    body = b"<row><c><v>1</v></c><c><v>2</v></c></row>" * rows
    return _xlsx(_SHEET_HEAD.encode() + b"<sheetData>" + body + b"</sheetData></worksheet>")


def zip_bomb() -> bytes:
    """A workbook with a 300 MB entry of zeros (a few hundred KB compressed)."""
    sheet = f'{_SHEET_HEAD}<sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData></worksheet>'
    return _xlsx(sheet.encode(), {"xl/media/padding.bin": b"\0" * (300 * 1024 * 1024)})


def many_entries() -> bytes:
    sheet = f'{_SHEET_HEAD}<sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData></worksheet>'
    return _xlsx(sheet.encode(), {f"xl/junk/{i}.xml": b"<a/>" for i in range(2000)})


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png(width: int = 8, height: int = 8, *, bit_depth: int = 8, colour: int = 2, rows: bytes | None = None) -> bytes:
    """A PNG written by hand (so huge ones cost no memory to make)."""
    header = _png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, bit_depth, colour, 0, 0, 0))
    if rows is None:
        channels = {0: 1, 2: 3, 6: 4}[colour]
        line = b"\0" + bytes([200, 30, 30] * width if channels == 3 else [128] * (width * channels))
        rows = line * height
    return b"\x89PNG\r\n\x1a\n" + header + _png_chunk(b"IDAT", zlib.compress(rows, 9)) + _png_chunk(b"IEND", b"")


def png_header_bomb() -> bytes:
    """IHDR declares 100,000 × 100,000 pixels; the data is one row."""
    header = _png_chunk(b"IHDR", struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0))
    return b"\x89PNG\r\n\x1a\n" + header + _png_chunk(b"IDAT", zlib.compress(b"\0" * 301)) + _png_chunk(b"IEND", b"")


def png_decoding_bomb() -> bytes:
    """A real 1-bit 20,000 × 20,000 image (400 megapixels): ~60 KB compressed, huge decoded."""
    compressor = zlib.compressobj(9)
    line = b"\0" + b"\0" * (20_000 // 8)
    data = b"".join(compressor.compress(line) for _ in range(20_000)) + compressor.flush()
    header = _png_chunk(b"IHDR", struct.pack(">IIBBBBB", 20_000, 20_000, 1, 0, 0, 0, 0))
    return b"\x89PNG\r\n\x1a\n" + header + _png_chunk(b"IDAT", data) + _png_chunk(b"IEND", b"")


def jpeg() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (16, 16), (20, 120, 200)).save(out, format="JPEG")
    return out.getvalue()


HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(document.cookie)</script><rect width='10' height='10'/></svg>"
)
CSV_TEXT = "抽样单编号,任务编号\nA1,T1\n".encode()


@dataclass(frozen=True)
class Hostile:
    name: str
    build: Callable[[], bytes]
    # Which upload paths must refuse it: "import" (sampling import), "image" (photos), "document" (core pdf uploads).
    refused_by: frozenset[str]
    note: str


ALL = frozenset({"import", "image", "document"})
NOT_IMAGE = frozenset({"import", "document"})

CORPUS: list[Hostile] = [
    Hostile("sparse_bomb_XFD1048576.xlsx", sparse_bomb, ALL, "one cell at XFD1048576 (549 GB as read)"),
    Hostile("sparse_bomb_AZ200000.xlsx", lambda: sparse_bomb("AZ200000"), ALL, "one cell at AZ200000 (583 MB)"),
    Hostile(
        "sparse_bomb_no_dimension.xlsx",
        lambda: sparse_bomb("XFD1048576", dimension=False),
        ALL,
        "far cell without a <dimension> element",
    ),
    Hostile("dense_bomb.xlsx", dense_bomb, ALL, "400,000 real rows in a small file"),
    Hostile("zip_bomb.xlsx", zip_bomb, ALL, "300 MB of zeros inside the workbook"),
    Hostile("many_entries.xlsx", many_entries, ALL, "2,000 zip entries"),
    Hostile("zero_bytes.xlsx", lambda: b"", ALL, "empty file"),
    Hostile("zero_bytes.csv", lambda: b"", ALL, "empty file"),
    Hostile("zero_bytes.png", lambda: b"", ALL, "empty file"),
    Hostile("csv_named.xlsx", lambda: CSV_TEXT, ALL, "csv text with an .xlsx extension"),
    Hostile("png_named.xlsx", png, NOT_IMAGE, "a PNG with an .xlsx extension"),
    Hostile("png_named.csv", png, NOT_IMAGE, "a PNG with a .csv extension"),
    Hostile("xlsx_named.csv", lambda: sparse_bomb("A1"), frozenset({"import", "image"}), "a workbook named .csv"),
    Hostile("html_named.png", lambda: HTML, ALL, "HTML with a .png extension"),
    Hostile("svg_script.svg", lambda: SVG, ALL, "SVG with a script element"),
    Hostile("svg_named.png", lambda: SVG, ALL, "SVG with a .png extension"),
    Hostile("png_header_bomb.png", png_header_bomb, ALL, "PNG header declaring 100,000 × 100,000 pixels"),
    Hostile("png_decoding_bomb.png", png_decoding_bomb, ALL, "real 20,000 × 20,000 1-bit PNG"),
    Hostile("truncated.png", lambda: png()[:40], ALL, "PNG cut after its header"),
    Hostile(
        "pdf_named.png", lambda: b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\n%%EOF", frozenset({"import", "image"}), ""
    ),
]

# Real PNG data under hostile names or with hostile payloads: accepted as images, but only as re-encoded pixels
# under a generated .png name.
POLYGLOTS: list[Hostile] = [
    Hostile("p.html", png, frozenset({"import", "document"}), "a real PNG named .html"),
    Hostile("png_html_polyglot.png", lambda: png() + HTML, frozenset({"import", "document"}), "PNG + appended HTML"),
    Hostile("jpeg_html_polyglot.jpg", lambda: jpeg() + HTML, frozenset({"import", "document"}), "JPEG + appended HTML"),
]


def corpus_bytes(entry: Hostile) -> bytes:
    path = CORPUS_DIR / entry.name
    if path.exists():
        return path.read_bytes()
    return entry.build()


def write_corpus() -> None:
    CORPUS_DIR.mkdir(exist_ok=True)
    for entry in CORPUS + POLYGLOTS:
        (CORPUS_DIR / entry.name).write_bytes(entry.build())
        print(f"{entry.name:36} {(CORPUS_DIR / entry.name).stat().st_size:>9,} bytes  {entry.note}")


if __name__ == "__main__":
    write_corpus()
    sys.exit(0)

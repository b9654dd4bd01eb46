"""How big a file would become once read, measured before anything is allocated.

A 5 KB workbook can name a cell at XFD1048576 (the reader would allocate 17 billion cells), a 3 MB
zip can hold a sheet of 19 million rows, an 852-byte ODS can repeat one cell 100 million times.
Each is measured here from what the file declares and holds (zip directory sizes, cell references,
repeat counts, line and delimiter counts), streaming, without building the table, and refused with
a message naming the file when it is over the limits below. `tiers.reading.sandbox` is the second
line: whatever slips past these checks is parsed in a child process with a memory and time limit.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from xml.etree import ElementTree

MAX_FILE_BYTES = 200 * 1024 * 1024  # the same limit as server.maxUploadSize in .streamlit/config.toml
MAX_UNPACKED_BYTES = 1024 * 1024 * 1024  # a workbook that unzips to more than this is refused (zip bombs)
MAX_ROWS = 2_000_000  # rows of one sheet or text file (Excel itself stops at 1,048,576)
MAX_COLUMNS = 16_384  # Excel's own limit (XFD); a roster has a few dozen
MAX_WORKBOOK_CELLS = 12_000_000  # rows x columns of a sheet's used range, as the reader allocates it
MAX_TEXT_CELLS = 40_000_000  # rows x columns of a text file (read as Arrow strings, far cheaper per cell)
_CHUNK = 4 * 2**20


class TooLarge(ValueError):
    """A file over a limit; the message is meant for the user as it is (without the file's name)."""


@dataclass(frozen=True)
class Extent:
    rows: int
    columns: int

    @property
    def cells(self) -> int:
        return self.rows * self.columns


def _refuse_extent(where: str, extent: Extent, max_cells: int) -> None:
    if extent.rows > MAX_ROWS:
        raise TooLarge(f"{where} has {extent.rows:,} rows, more than Tierscope reads ({MAX_ROWS:,}). "
                       "Split the roster into smaller files.")
    if extent.columns > MAX_COLUMNS:
        raise TooLarge(f"{where} has {extent.columns:,} columns, more than any spreadsheet holds "
                       f"({MAX_COLUMNS:,}). Export the roster's own columns again.")
    if extent.cells > max_cells:
        raise TooLarge(f"{where} spans {extent.rows:,} rows x {extent.columns:,} columns "
                       f"({extent.cells:,} cells), more than Tierscope reads ({max_cells:,}). If a stray cell "
                       "lies far below or to the right of the roster, delete it; else split the roster.")


def check_text(data: bytes) -> None:
    """Lines and the first line's width of a text file (an upper bound: quoted delimiters count too)."""
    lines = max(data.count(b"\n"), data.count(b"\r")) + 1  # Excel for Mac ends lines with a bare CR
    newline = data.find(b"\n")
    first = data[: newline if newline >= 0 else len(data)]
    if b"\x00" in first[:4]:  # UTF-16: each delimiter byte is followed by a zero byte; counts still hold
        first = first.replace(b"\x00", b"")
    width = max(first.count(d) for d in (b",", b";", b"\t", b"|")) + 1
    _refuse_extent("the file", Extent(lines, width), MAX_TEXT_CELLS)


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _chunks(archive: zipfile.ZipFile, name: str) -> Iterator[tuple[bytes, bytes]]:
    """A member's inflated bytes a piece at a time: (piece, the piece with the previous one's last 64
    bytes in front, so that no tag cut in two goes unseen by a search)."""
    tail = b""
    with archive.open(name) as stream:
        while chunk := stream.read(_CHUNK):
            yield chunk, tail + chunk
            tail = chunk[-64:]


_XLSX_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]{1,3})([0-9]+)(?::([A-Z]{1,3})([0-9]+))?"')
_XLSX_CELL_REF = re.compile(rb'<(?:\w+:)?(?:c|row)\b[^>]*?\br="([A-Z]{0,3})([0-9]+)"')


def xlsx_sheet_extent(archive: zipfile.ZipFile, name: str) -> Extent:
    """The used range of one worksheet XML, as the reader will allocate it.

    Excel, LibreOffice, Google Sheets and the libraries that write XLSX state it in `<dimension>`
    at the top of the sheet: reading the first 8 KB is enough. A sheet without one (written by hand,
    or built to hide its size) is streamed in 4 MB pieces and measured from every cell and row
    reference, stopping as soon as it is over a limit. A dimension that understates the cells is
    caught by the sandbox's memory limit."""
    with archive.open(name) as stream:
        declared = _XLSX_DIMENSION.search(stream.read(8192))
    if declared:
        first_column, first_row, last_column, last_row = declared.groups()
        rows = int(last_row or first_row) - int(first_row) + 1
        columns = _column_number(last_column or first_column) - _column_number(first_column) + 1
        return Extent(rows, columns)
    rows = max_row = max_column = cells = 0
    for body, chunk in _chunks(archive, name):
        rows += body.count(b"<row")
        cells += body.count(b"<c ") + body.count(b"<c>")
        for column, row in _XLSX_CELL_REF.findall(chunk):
            max_row, max_column = max(max_row, int(row)), max(max_column, _column_number(column))
        if max(rows, max_row) > MAX_ROWS or max_column > MAX_COLUMNS:
            break  # already over: no need to inflate the rest
    if not max_column and rows:  # no references: cells fill their rows from the left
        max_column = -(-cells // rows)
    return Extent(max(rows, max_row), max_column if cells else 0)


_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
       "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
       "p": "http://schemas.openxmlformats.org/package/2006/relationships"}


def xlsx_sheet_paths(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> the path of its XML in the archive, from the workbook's relationships."""
    book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels.findall("p:Relationship", _NS)}
    paths = {}
    for sheet in book.iterfind("m:sheets/m:sheet", _NS):
        target = targets.get(sheet.get(f"{{{_NS['r']}}}id"), "").lstrip("/")
        paths[sheet.get("name", "")] = target if target.startswith("xl/") else f"xl/{target}"
    return paths


_ODS_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_ODS_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_ODS_TAGS = {f"{{{_ODS_NS}}}{tag}": tag for tag in ("table", "table-row", "table-cell", "covered-table-cell")}
_ODS_REPEAT_COLUMNS = f"{{{_ODS_NS}}}number-columns-repeated"
_ODS_REPEAT_ROWS = f"{{{_ODS_NS}}}number-rows-repeated"
_ODS_VALUE_TYPE = f"{{{_ODS_OFFICE}}}value-type"


def _repeat(element: ElementTree.Element, attribute: str) -> int:
    text = element.get(attribute) or "1"
    if len(text) > 12 or not text.isdigit():
        raise TooLarge(f"a sheet repeats a cell or row '{text[:20]}' times")
    return int(text)


def ods_extents(archive: zipfile.ZipFile) -> Iterator[tuple[str, Extent]]:
    """Per table of an ODS file, its used range with `number-columns-repeated` and `number-rows-repeated`
    expanded, counting only repeated cells and rows that hold something (LibreOffice writes the empty
    rest of every sheet as one repeated empty cell, which no reader expands)."""
    table, rows, width, row_width, row_filled = "", 0, 0, 0, False
    max_rows = max_width = 0
    for event, element in ElementTree.iterparse(archive.open("content.xml"), events=("start", "end")):
        tag = _ODS_TAGS.get(element.tag)
        if tag is None:
            continue
        if event == "start":
            if tag == "table":
                table, rows, max_rows, max_width = element.get(f"{{{_ODS_NS}}}name", ""), 0, 0, 0
            elif tag == "table-row":
                width, row_width, row_filled = 0, 0, False
            continue
        if tag in ("table-cell", "covered-table-cell"):
            width += _repeat(element, _ODS_REPEAT_COLUMNS)
            if element.get(_ODS_VALUE_TYPE) or len(element):
                row_width, row_filled = width, True
            element.clear()
        elif tag == "table-row":
            rows += _repeat(element, _ODS_REPEAT_ROWS)
            if row_filled:
                max_rows, max_width = rows, max(max_width, row_width)
            element.clear()
        elif tag == "table":
            yield table, Extent(max_rows, max_width)
            element.clear()


def check_workbook(data: bytes) -> None:
    """Declared unpacked size of a zip-based workbook (XLSX, ODS) and the used range of each of its
    sheets. XLS (a binary format) is left to the sandbox's limits."""
    if not data.startswith(b"PK"):
        return
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return  # the reader reports damaged workbooks in its own words
    unpacked = sum(member.file_size for member in members)
    if unpacked > MAX_UNPACKED_BYTES:
        raise TooLarge(f"the workbook would unpack to {unpacked / 2**30:.1f} GB, more than Tierscope reads "
                       f"({MAX_UNPACKED_BYTES / 2**30:g} GB). It may be a zip bomb; "
                       "export the roster sheet alone as CSV.")
    names = {member.filename for member in members}
    try:
        if "content.xml" in names and "xl/workbook.xml" not in names:
            for table, extent in ods_extents(archive):
                _refuse_extent(f"sheet '{table}'", extent, MAX_WORKBOOK_CELLS)
            return
        for sheet, path in xlsx_sheet_paths(archive).items():
            if path in names:
                _refuse_extent(f"sheet '{sheet}'", xlsx_sheet_extent(archive, path), MAX_WORKBOOK_CELLS)
    except (KeyError, zipfile.BadZipFile, ElementTree.ParseError, EOFError, OSError, NotImplementedError,
            RuntimeError):
        return  # damaged or encrypted members: the reader refuses them in its own words, inside the sandbox

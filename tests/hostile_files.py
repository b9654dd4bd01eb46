"""Files built to hurt a reader, made by code: each small on disk and huge, or endless, once read.

Used by tests/test_hostile_files.py (library, CLI and a real browser) and by the benchmark's
peak-memory step. Every file here is a well-formed workbook or text file; what makes it hostile is
what it declares or repeats.
"""

from __future__ import annotations

import io
import zipfile

import xlsxwriter

ROSTER = [["handle", "followers"], ["ayu", 1200], ["budi", 50_000]]


def _xlsx(extra=None) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("Roster")
    for r, row in enumerate(ROSTER):
        sheet.write_row(r, 0, row)
    if extra:
        extra(sheet)
    book.close()
    return buffer.getvalue()


def _rewrite_sheet(data: bytes, change) -> bytes:
    """The same workbook with its first sheet's XML passed through `change`."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        for member in source.infolist():
            content = source.read(member.filename)
            if member.filename == "xl/worksheets/sheet1.xml":
                content = change(content)
            target.writestr(member.filename, content)
    return out.getvalue()


def far_cell_xlsx() -> bytes:
    """One cell at XFD1048576: a reader allocating the used range asks for 17 billion cells (5 KB file)."""
    return _xlsx(lambda sheet: sheet.write(1_048_575, 16_383, "x"))


def far_cell_understated_xlsx() -> bytes:
    """The far cell with a `<dimension>` claiming A1:B3: no size check can see it; only a limit on the
    reader's memory stands between it and the process."""
    return _rewrite_sheet(far_cell_xlsx(), lambda xml: xml.replace(b'<dimension ref="A1:XFD1048576"/>',
                                                                   b'<dimension ref="A1:B3"/>'))


def far_cell_undeclared_xlsx() -> bytes:
    """The far cell with no `<dimension>` at all: measured from its cell references."""
    return _rewrite_sheet(far_cell_xlsx(), lambda xml: xml.replace(b'<dimension ref="A1:XFD1048576"/>', b""))


def many_cells_xlsx() -> bytes:
    """A used range of 50 columns x 1M rows (49M cells, two of them filled)."""
    return _xlsx(lambda sheet: sheet.write(999_999, 48, "x"))


def _rows_xml(rows: int, numbered: bool) -> bytes:
    head = b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>x</t></is></c></row>'
    if numbered:
        return b"".join(head % (r, r) for r in range(4, rows + 4))
    return b'<row><c t="inlineStr"><is><t>x</t></is></c></row>' * rows


def dense_rows_xlsx(rows: int = 2_100_000, declared: bool = True) -> bytes:
    """A sheet of `rows` real rows, honest sizes (a few MB zipped): more rows than Tierscope reads."""
    def change(xml: bytes) -> bytes:
        head, tail = xml.split(b"</sheetData>")
        xml = head + _rows_xml(rows, declared) + b"</sheetData>" + tail
        dimension = b'<dimension ref="A1:B%d"/>' % (rows + 3) if declared else b""
        return xml.replace(b'<dimension ref="A1:B3"/>', dimension)
    return _rewrite_sheet(_xlsx(), change)


def zip_bomb_xlsx(unpacked_mb: int = 1100) -> bytes:
    """The roster workbook with a member that inflates to `unpacked_mb` MB (of zeros, so it is made in a
    second), declared honestly in the zip directory."""
    out = io.BytesIO(_xlsx())
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as book, \
            book.open("xl/media/padding.bin", "w", force_zip64=True) as member:
        block = bytes(2**24)
        for _ in range(unpacked_mb // 16):
            member.write(block)
    return out.getvalue()


_ODS_MANIFEST = (b'<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
                 b'"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                 b'<manifest:file-entry manifest:full-path="/" manifest:media-type='
                 b'"application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path='
                 b'"content.xml" manifest:media-type="text/xml"/></manifest:manifest>')
_ODS_CONTENT = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
                'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
                'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
                'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
                '<office:body><office:spreadsheet><table:table table:name="Roster">{rows}</table:table>'
                '</office:spreadsheet></office:body></office:document-content>')


def _ods_cell(value: str | int, repeat: int = 1) -> str:
    repeated = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
    if isinstance(value, int):
        return (f'<table:table-cell{repeated} office:value-type="float" office:value="{value}">'
                f"<text:p>{value}</text:p></table:table-cell>")
    return f'<table:table-cell{repeated} office:value-type="string"><text:p>{value}</text:p></table:table-cell>'


def ods(rows_xml: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        book.writestr("META-INF/manifest.xml", _ODS_MANIFEST)
        book.writestr("content.xml", _ODS_CONTENT.format(rows=rows_xml))
    return out.getvalue()


def _ods_roster_rows() -> str:
    return "".join(f"<table:table-row>{''.join(_ods_cell(v) for v in row)}</table:table-row>" for row in ROSTER)


def ods_roster() -> bytes:
    """A plain ODS roster, with LibreOffice's own repeated empty cells and rows after it (not hostile)."""
    blank = ('<table:table-row table:number-rows-repeated="1048573">'
             '<table:table-cell table:number-columns-repeated="16384"/></table:table-row>')
    return ods(_ods_roster_rows() + blank)


def ods_repeated_cells(repeat: int = 100_000_000) -> bytes:
    """A filled cell repeated `repeat` times across one row (under 1 KB)."""
    return ods(_ods_roster_rows() + f"<table:table-row>{_ods_cell('x', repeat)}</table:table-row>")


def ods_repeated_rows(repeat: int = 5_000_000) -> bytes:
    """A filled row repeated `repeat` times."""
    return ods(_ods_roster_rows()
               + f'<table:table-row table:number-rows-repeated="{repeat}">{_ods_cell("x")}</table:table-row>')


def wide_header_csv(columns: int) -> bytes:
    """A header of `columns` long names (4,000 of them make a header line of 130 KB)."""
    header = ",".join(["handle", "followers"] + [f"a_rather_long_column_name_{i}" for i in range(columns)])
    row = ",".join(["{}", "{}"] + ["x"] * columns)
    return "\n".join([header, row.format("ayu", 1200), row.format("budi", 50_000)]).encode() + b"\n"


def many_lines_csv(lines: int = 2_100_000) -> bytes:
    return b"handle,followers\n" + b"a,1\n" * lines


REFUSED = {  # name -> (bytes maker, words the refusal must hold)
    "far-cell.xlsx": (far_cell_xlsx, "1,048,576 rows x 16,384 columns"),
    "far-cell-undeclared.xlsx": (far_cell_undeclared_xlsx, "1,048,576 rows x 16,384 columns"),
    "far-cell-understated.xlsx": (far_cell_understated_xlsx, "needs more memory"),
    "many-cells.xlsx": (many_cells_xlsx, "1,000,000 rows x 49 columns"),
    "dense-rows.xlsx": (dense_rows_xlsx, "rows, more than Tierscope reads"),
    "dense-rows-undeclared.xlsx": (lambda: dense_rows_xlsx(declared=False), "rows, more than Tierscope reads"),
    "zip-bomb.xlsx": (zip_bomb_xlsx, "zip bomb"),
    "repeated-cells.ods": (ods_repeated_cells, "100,000,000 columns"),
    "repeated-rows.ods": (ods_repeated_rows, "5,000,003 rows"),
    "wide-header.csv": (lambda: wide_header_csv(100_000), "100,002 columns"),
    "very-wide-header.csv": (lambda: wide_header_csv(2_000_000), "2,000,002 columns"),
    "many-lines.csv": (many_lines_csv, "rows, more than Tierscope reads"),
}

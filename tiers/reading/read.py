"""Bytes of an uploaded file -> a raw table of cells with the spreadsheet's own row numbers.

The format is decided from the content, not the file name (a `.csv` may be semicolon-separated
UTF-16, an `.xlsx` may be garbage). The header row is found below any title rows; the sheet that
holds the roster is picked in a workbook. Nothing is interpreted here beyond that: cells stay as
the text or typed values the file holds, and every data row keeps its source row number.
"""

from __future__ import annotations

import codecs
import csv
import html
import io
import re
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv
import python_calamine

from tiers.reading import limits
from tiers.reading.columns import header_fields, header_platform, header_score

HEADER_SEARCH_ROWS = 30
UNNAMED = "column "  # the label of a column whose header cell is blank: "column C"
ALL_SHEETS = "*"  # the `sheet` that reads every roster sheet of a workbook as one table
SHEET_COLUMN = "Sheet name"  # the column that table gets, holding each row's sheet
DELIMITERS = (",", ";", "\t", "|")
WIDTH_SAMPLE_LINES = 20_000  # lines that tell a text table's width when a quote spans lines
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")


Note = tuple[str, dict]  # a message key of the catalogues and its values: said on the Roster page and by the CLI


class RosterError(ValueError):
    """A file that cannot be read as a roster; the message is meant for the user as it is."""


@dataclass(frozen=True)
class RawTable:
    """The cells of one sheet below its header row, indexed by spreadsheet row number (1-based)."""

    file_name: str
    sheet: str | None
    sheets: tuple[str, ...]
    header_row: int
    cells: pd.DataFrame
    roster_sheets: tuple[str, ...] = ()  # the workbook's sheets whose header names a follower column
    row_sheets: np.ndarray | None = None  # when sheet is ALL_SHEETS: the sheet each row of `cells` is from
    notes: tuple[Note, ...] = ()  # what the reading repaired, to be said to the user

    @property
    def headers(self) -> list[str]:
        return list(self.cells.columns)


def _column_letter(i: int) -> str:
    letters = ""
    i += 1
    while i:
        i, rem = divmod(i - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def decode_text(data: bytes) -> tuple[str, str]:
    """(text, encoding): UTF-8 (with or without BOM), UTF-16 (Excel "Unicode text") or cp1252, in that order."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace"), "utf-16"
    if len(data) >= 4 and data[1:4:2] == b"\x00\x00" and data[0] != 0:
        return data.decode("utf-16-le", errors="replace"), "utf-16-le"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "cp1252"


def _as_cp1252(error: UnicodeDecodeError) -> tuple[str, int]:
    return error.object[error.start:error.end].decode("cp1252", errors="replace"), error.end


codecs.register_error("tierscope-cp1252", _as_cp1252)
# UTF-8 read as Windows-1252 and saved again as UTF-8: é is written Ã©, ’ is written â€™.
_DOUBLE_ENCODED = re.compile("[ÂÃâÅÆ][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
                             "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]")


def repair_encoding(data: bytes, file_name: str) -> tuple[bytes, tuple[Note, ...]]:
    """A text file as clean UTF-8, and what was repaired: lines in Windows-1252 inside a UTF-8 file (two
    exports pasted together), and text encoded twice (repaired by ftfy). A file that is all ASCII, or
    all proper UTF-8 without double-encoded text, or all Windows-1252, is returned as it is."""
    if data.isascii() or data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF8)):
        return data, ()
    notes: list[Note] = []
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("utf-8", errors="tierscope-cp1252")
        if text == data.decode("cp1252", errors="replace"):
            return data, ()  # a Windows-1252 file through and through: decode_text reads it as one
        notes.append(("note_mixed_encoding", {"file": file_name}))
    if _DOUBLE_ENCODED.search(text):
        import ftfy  # only for the rare file that needs it

        lines = text.split("\n")
        bad = [i for i, line in enumerate(lines) if _DOUBLE_ENCODED.search(line)]
        fixed = 0
        for i in bad:
            repaired = ftfy.fix_encoding(lines[i])
            fixed += repaired != lines[i]
            lines[i] = repaired
        if fixed:
            text = "\n".join(lines)
            notes.append(("note_double_encoded", {"file": file_name, "count": fixed}))
    return (text.encode("utf-8") if notes else data), tuple(notes)


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines most consistently (quoted text ignored)."""
    lines = [re.sub(r'"[^"]*"', "", line) for line in text[:65536].splitlines()[:60] if line.strip()]
    best, best_score = ",", (0, 0)
    for delim in DELIMITERS:
        counts = pd.Series([line.count(delim) for line in lines], dtype="int64")
        positive = counts[counts > 0]
        if positive.empty:
            continue
        mode = int(positive.mode().iloc[0])
        score = (int((counts == mode).sum()), mode)
        if score > best_score:
            best, best_score = delim, score
    return best


def _read_text_table(data: bytes, file_name: str) -> pd.DataFrame:
    text, encoding = decode_text(data)
    if "\r" in text:  # Excel for Mac's "CSV (Macintosh)" ends lines with a bare CR; CRLF and mixed too
        text, encoding = text.replace("\r\n", "\n").replace("\r", "\n"), "normalised"
    head = text[:2048].lstrip().lower()
    if head.startswith(("<!doctype html", "<html", "<?xml", "<head", "<body")) or "<table" in head:
        raise RosterError(f"{file_name}: this is a web page (HTML), not a spreadsheet. "
                          "Save the roster from Excel or Google Sheets as CSV or XLSX and upload that.")
    sample = text[:4096]
    controls = sum(c < " " and c not in "\r\n\t" for c in sample) + sample.count("\ufffd")
    if controls > max(len(sample) // 50, 2):
        raise RosterError(f"{file_name}: this file is not a spreadsheet (binary content). "
                          "Upload the roster as CSV, TSV, XLSX, XLS or ODS.")
    delim = sniff_delimiter(text)
    try:
        sample = text[:max(65536, text.find("\n", 0, 4 * 2**20) + 1)]  # whole lines: at least the header
        sample = sample[:sample.rfind("\n") + 1] or sample
        sample_width = max((len(row) for row in csv.reader(io.StringIO(sample), delimiter=delim)), default=1)
        utf8 = {"utf-8": data, "utf-8-sig": data[3:]}.get(encoding) or text.encode("utf-8")
        fast = _parse_csv_arrow(utf8, delim, sample_width)
        if fast is not None:
            return _split_swallowed_rows(fast, text, delim)
        try:
            return _split_swallowed_rows(_parse_csv(text, delim, sample_width), text, delim)
        except pd.errors.ParserError:
            # A quote left open to the end of the file: closed there, the record it swallowed is split below.
            closed = text.rstrip("\n") + '"\n'
            width = max((len(row) for row in csv.reader(io.StringIO(closed), delimiter=delim)), default=1)
            return _split_swallowed_rows(_parse_csv(closed, delim, width), text, delim)
    except (csv.Error, pd.errors.ParserError, ValueError) as error:
        raise RosterError(f"{file_name}: the text could not be split into rows and columns ({error}).") from None


def _parse_csv_arrow(utf8: bytes, delim: str, width: int) -> pd.DataFrame | None:
    """Arrow's multi-threaded reader for the common case of a rectangular UTF-8 file; None otherwise.

    Every cell is read as text (a reader that guesses types would take `4.876` for a decimal). A
    file with empty lines or rows of other widths is left to pandas, which keeps their row numbers.
    """
    names = [f"c{i}" for i in range(width)]
    try:
        table = pa_csv.read_csv(
            io.BytesIO(utf8),
            read_options=pa_csv.ReadOptions(column_names=names),
            parse_options=pa_csv.ParseOptions(delimiter=delim, newlines_in_values=b'"' in utf8,
                                              ignore_empty_lines=False),
            convert_options=pa_csv.ConvertOptions(column_types=dict.fromkeys(names, pa.string()),
                                                  null_values=[""], strings_can_be_null=True))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    frame = table.to_pandas(types_mapper={pa.string(): pd.StringDtype("pyarrow", na_value=np.nan)}.get)
    frame.columns = range(width)
    frame.index = frame.index + 1
    return frame


def _parse_csv(text: str, delim: str, width: int) -> pd.DataFrame:
    frame = pd.read_csv(io.StringIO(text), sep=delim, header=None, names=range(width), dtype="str",
                        keep_default_na=False, na_values=[""], skip_blank_lines=False, engine="c",
                        quotechar='"')
    frame.index = frame.index + 1
    return frame


def _line_cells(line: str, delim: str) -> list[str]:
    """One line's cells: quoted cells as CSV reads them; from a quote the line never closes, split at
    every delimiter with the quotes kept as text (`|"|"|"` is '', '|' and '"')."""
    try:
        return next(csv.reader([line], delimiter=delim, strict=True), [])
    except csv.Error:
        d = re.escape(delim)
        closed = re.match(f'(?:(?:"(?:[^"]|"")*"|(?:[^{d}"][^{d}]*)?){d})*', line).group(0)
        return [*(next(csv.reader([closed[:-1]], delimiter=delim)) if closed else []), *line[len(closed):].split(delim)]


def _split_swallowed_rows(frame: pd.DataFrame, text: str, delim: str) -> pd.DataFrame:
    """Undo what an unbalanced quote does: a `"` opening a cell and never closed on its line (`"Ayu`, a
    pasted `5" TV`) makes the reader take the following lines, delimiters and all, as that one cell, and
    rows disappear into it without a word. A record spanning several lines is kept as one only when it
    is a real multi-line cell; when a line it swallowed is a whole row by itself (as many cells as the
    table's lines mostly are, read as `_line_cells` reads a line), its lines are read again with quoting
    off, each line a row and the stray quote kept as text in its cell. Only records that span lines are
    looked at (a few in a real file)."""
    if '"' not in text or len(frame) >= text.count("\n") + (not text.endswith("\n")):
        return frame  # no quote, or every record on a line of its own
    texts = frame.select_dtypes(exclude="number")
    extra = sum((texts[c].str.count("\n").fillna(0).astype(int) for c in texts.columns),
                start=pd.Series(0, index=frame.index))  # the line breaks inside each record's cells
    if not extra.any():
        return frame
    lines = text.split("\n")
    # The table's width: the commonest number of cells on a line, not the widest record.
    filled = pd.Series(lines)[lambda ls: ls.str.strip() != ""].iloc[:WIDTH_SAMPLE_LINES]
    # Counted as a swallowed line is below (`_line_cells`); a line without a quote has one more than its delimiters.
    sizes = filled.str.count(re.escape(delim)) + 1
    quoted = filled.str.contains('"', regex=False)
    sizes[quoted] = [len(_line_cells(line, delim)) for line in filled[quoted]]  # lines with a quote, in the sample
    width = int(sizes.mode().iloc[-1])  # a tie: the wider
    first_line = np.concatenate([[0], np.cumsum(1 + extra.to_numpy())[:-1]])
    pieces, done = [], 0
    for position in np.flatnonzero(extra.to_numpy()):  # the multi-line records only
        start, stop = first_line[position], first_line[position] + extra.iat[position] + 1
        cells = [_line_cells(line, delim) for line in lines[start:stop]]
        if not any(width in (len(row), line.count(delim) + 1) for row, line in zip(cells[1:], lines[start + 1:stop],
                                                                                  strict=True)):
            continue  # a real multi-line cell: the lines it holds are not rows of the table
        wide = max(map(len, cells))
        split = pd.DataFrame([row + [""] * (wide - len(row)) for row in cells], dtype="str").replace("", np.nan)
        pieces += [frame.iloc[done:position], split]
        done = position + 1
    if not pieces:
        return frame
    out = pd.concat([*pieces, frame.iloc[done:]], ignore_index=True)
    out.index = out.index + 1
    return out


_UNSAVED_FORMULA = re.compile(  # a cell holding a formula and no saved result: <c r="E5"><f>SUM(E2:E4)</f></c>
    rb'<c\b[^>]*?\br="([A-Z]{1,3})([0-9]+)"[^>]*>\s*(?:<f(?:\s[^>]*)?>([^<]*)</f>|<f\b[^>]*/>)\s*(?:<v\s*/>|<v></v>)?\s*</c>')


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number - 1


def unsaved_formulas(data: bytes) -> dict[str, list[tuple[int, int, str]]]:
    """Per sheet of an XLSX file: (row, column, formula), 0-based, of the formula cells whose result
    was never saved. Files written by scripts (openpyxl and the like) store formulas without results;
    every reader, calamine included, then sees an empty cell."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            found = {}
            for name, path in limits.xlsx_sheet_paths(archive).items():
                xml = archive.read(path) if path in archive.namelist() else b""
                if b"<f" not in xml:
                    continue
                cells = [(int(row) - 1, _column_number(column), "=" + html.unescape((formula or b"").decode()))
                         for column, row, formula in _UNSAVED_FORMULA.findall(xml)]
                if cells:
                    found[name] = cells
            return found
    except (KeyError, zipfile.BadZipFile, ElementTree.ParseError, ValueError, OSError):
        return {}  # not an XLSX (XLS, ODS) or not one this can look into: calamine's reading stands


def _read_workbook(data: bytes, file_name: str) -> dict[str, pd.DataFrame]:
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        formulas = unsaved_formulas(data) if data.startswith(b"PK") else {}
        sheets = {}
        for name in book.sheet_names:
            sheet = book.get_sheet_by_name(name)
            rows = sheet.to_python(skip_empty_area=False)
            frame = pd.DataFrame(rows, dtype="object").replace("", None)
            _fill_merged_down(frame, sheet.merged_cell_ranges or [])
            for row, column, formula in formulas.get(name, []):
                if row < frame.shape[0] and column < frame.shape[1] and frame.iat[row, column] is None:
                    frame.iat[row, column] = formula  # the reason a count is missing, not an empty cell
            frame.index = frame.index + 1
            sheets[name] = frame
        return sheets
    except RosterError:
        raise
    except Exception as error:  # calamine raises its own errors, zip and xml errors among them
        raise RosterError(f"{file_name}: the workbook cannot be opened ({type(error).__name__}: "
                          f"{str(error)[:120]}). It may be damaged, password-protected or not a workbook.") from None


def _fill_merged_down(frame: pd.DataFrame, ranges: list) -> None:
    """A value merged down a block of rows belongs to every row of it: KOL sheets merge `No`, `Nama KOL`
    and `Domisili` down the rows of one person's accounts. Only merges spanning rows are filled, and
    in their first column: a label merged across columns (a platform over its column group) stays
    where it is, as the two-row header reading expects."""
    for (top, left), (bottom, _) in ranges:
        if bottom > top and top < frame.shape[0] and left < frame.shape[1]:
            frame.iloc[top + 1:bottom + 1, left] = frame.iat[top, left]


def _is_workbook(data: bytes) -> bool:
    return data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"))


def _find_header(frame: pd.DataFrame) -> tuple[int, int]:
    """(row number of the header, its score) among the first rows; the first non-blank row if none scores."""
    top = frame.head(HEADER_SEARCH_ROWS)
    scores = top.apply(header_score, axis=1)  # at most 30 rows: a loop here costs nothing
    if not scores.empty and scores.max() > 0:
        return int(scores.idxmax()), int(scores.max())
    filled = top.notna().sum(axis=1)
    non_blank = filled[filled > 0]
    return (int(non_blank.index[0]) if not non_blank.empty else 1), 0


def _cell_text(value: object) -> str:
    return str(value).strip() if pd.notna(value) else ""


def _two_row_header(frame: pd.DataFrame, header_row: int) -> list[str]:
    """The header's labels, completed from the row above when that row heads column groups by
    platform, as KOL sheets with merged cells do:

        Nama | Instagram |    | TikTok    |
             | Followers | ER | Followers | ER

    reads as Nama, Instagram Followers, Instagram ER, TikTok Followers, TikTok ER (a wide layout).
    A group runs to the next cell above; the last one is as wide as the one before it. Used only
    when at least two platforms head groups, so a title row above the header changes nothing.
    """
    labels = [_cell_text(value) for value in frame.loc[header_row]]
    if header_row - 1 not in frame.index:
        return labels
    above = [_cell_text(value) for value in frame.loc[header_row - 1]]
    platforms = [header_platform(text)[0] if text else None for text in above]
    starts = [i for i, platform in enumerate(platforms) if platform]
    if len({platforms[i] for i in starts}) < 2:
        return labels
    ends = [next((j for j in range(i + 1, len(above)) if above[j]), len(above)) for i in starts]
    ends[-1] = min(ends[-1], starts[-1] + (ends[-2] - starts[-2]))
    for start, end in zip(starts, ends, strict=True):
        for i in range(start, end):
            if labels[i] and not header_platform(labels[i])[0]:
                labels[i] = f"{above[start]} {labels[i]}"
    # A label merged down from above ("Nama" spanning both rows) sits in the upper row only.
    return [label or ("" if platform else text) for label, text, platform in zip(labels, above, platforms, strict=True)]


def _label_columns(frame: pd.DataFrame, header_row: int) -> pd.DataFrame:
    """Cells below the header, columns named by the header (or the column letter), blank tail dropped."""
    labels, seen = [], {}
    for i, text in enumerate(_two_row_header(frame, header_row)):
        label = text or f"{UNNAMED}{_column_letter(i)}"
        seen[label] = seen.get(label, 0) + 1
        labels.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    cells = frame.loc[header_row + 1:].copy()
    cells.columns = labels
    filled = cells.notna().any(axis=1)
    last = filled[filled].index.max() if filled.any() else header_row
    cells = cells.loc[:last]
    empty_unnamed = [c for c in cells.columns if c.startswith(UNNAMED) and cells[c].isna().all()]
    return cells.drop(columns=empty_unnamed)


def _all_roster_sheets(file_name: str, sheets: dict[str, pd.DataFrame], found: dict[str, tuple[int, int]],
                       roster_sheets: tuple[str, ...]) -> RawTable:
    """Every sheet with a follower column below its own header, one after another (columns matched
    by header), with the sheet's name in SHEET_COLUMN: a workbook with a sheet per platform or batch."""
    if not roster_sheets:
        raise RosterError(f"{file_name}: no sheet has a follower column to read.")
    parts = [_label_columns(sheets[name], found[name][0]) for name in roster_sheets]
    cells = pd.concat([part.assign(**{SHEET_COLUMN: name}) for part, name in zip(parts, roster_sheets, strict=True)])
    row_sheets = np.repeat(np.array(roster_sheets, dtype=object), [len(part) for part in parts])
    return RawTable(file_name, ALL_SHEETS, tuple(sheets), found[roster_sheets[0]][0], cells, roster_sheets, row_sheets)


def read_table(data: bytes, file_name: str, sheet: str | None = None) -> RawTable:
    """Read any supported roster file into a RawTable, or raise RosterError with a plain message."""
    if not data or data.isspace():
        raise RosterError(f"{file_name}: the file is empty.")
    if len(data) > limits.MAX_FILE_BYTES:
        raise RosterError(f"{file_name}: the file is {len(data) / 2**20:.0f} MB, over the "
                          f"{limits.MAX_FILE_BYTES // 2**20} MB limit. Split the roster or remove unused sheets.")
    try:
        (limits.check_workbook if _is_workbook(data) else limits.check_text)(data)
    except limits.TooLarge as error:
        raise RosterError(f"{file_name}: {error}") from None
    notes: tuple[Note, ...] = ()
    if _is_workbook(data):
        sheets = _read_workbook(data, file_name)
        if not sheets:
            raise RosterError(f"{file_name}: the workbook has no sheets.")
        if sheet not in (None, ALL_SHEETS, *sheets):
            raise RosterError(f"{file_name}: there is no sheet named '{sheet}'.")
        found = {name: _find_header(frame) for name, frame in sheets.items() if not frame.empty}
        if not found:
            raise RosterError(f"{file_name}: every sheet is empty.")
        roster_sheets = tuple(name for name, (row, _) in found.items()
                              if "followers" in header_fields(sheets[name].loc[row]))
        if sheet == ALL_SHEETS:
            return _all_roster_sheets(file_name, sheets, found, roster_sheets)
        chosen = sheet or max(found, key=lambda name: (found[name][1], -list(sheets).index(name)))
        frame, names = sheets[chosen], tuple(sheets)
        header_row = found.get(chosen, (1, 0))[0]
    elif file_name.lower().endswith(WORKBOOK_SUFFIXES):
        raise RosterError(f"{file_name}: the name says Excel/ODS workbook but the content is not one. "
                          "The file may be damaged or renamed; export it again from the spreadsheet program.")
    else:
        data, notes = repair_encoding(data, file_name)
        frame, chosen, names, roster_sheets = _read_text_table(data, file_name), None, (), ()
        header_row = _find_header(frame)[0]
    if frame.empty or frame.notna().sum().sum() == 0:
        raise RosterError(f"{file_name}: the file has no cells with data.")
    cells = _label_columns(frame, header_row)
    unnamed = [label.removeprefix(UNNAMED) for label in cells.columns if label.startswith(UNNAMED)]
    if unnamed:  # cells right of the header (or under a blank header cell) belong to no field unless mapped
        notes += (("note_unnamed_columns", {"file": file_name, "columns": ", ".join(unnamed)}),)
    return RawTable(file_name, chosen, names, header_row, cells, roster_sheets, notes=notes)

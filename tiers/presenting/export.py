"""Files a user downloads or the CLI writes. CSV text cells that a spreadsheet would run as a formula
(starting with =, +, -, @, tab or carriage return) are neutralised with a leading apostrophe."""

from __future__ import annotations

import codecs
import io
import re
from typing import BinaryIO

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from tiers.analysis.changes import CHANGE_FLAGS
from tiers.analysis.flags import flag_text

CLASSIFIED_COLUMNS = ("source_row", "handle", "name", "creator", "platform", "followers", "tier", "tier_stated",
                      "engagement_rate", "engagement_rate_computed", "status", "reason")


FORMULA_PATTERN = r"^[=+\-@\t\r]"
FORMULA_BYTES = np.isin(np.arange(256), list(b"=+-@\t\r"))  # byte -> may start a formula
QUOTE_BYTES = np.isin(np.arange(256), list(b',"\r\n'))  # byte -> needs quoting in a CSV cell


def _may_hold(texts: pa.Array, which: np.ndarray) -> bool:
    """Whether any string of a string array may hold one of the bytes marked in `which`, read from
    its character buffer in one NumPy pass (a slice's buffer may reach past it: that only errs on the
    side of doing the careful check)."""
    data = texts.buffers()[2]
    return data is not None and bool(which[np.frombuffer(data, np.uint8)].any())


def _is_text(kind: pa.DataType) -> bool:
    return pa.types.is_string(kind) or pa.types.is_large_string(kind)


def _strings(chunk: pa.Array) -> pa.Array | None:
    """The strings to look at in a chunk: a categorical's labels (each once), else its own text."""
    if pa.types.is_dictionary(chunk.type):
        return chunk.dictionary if _is_text(chunk.type.value_type) else None
    return chunk if _is_text(chunk.type) else None


def _neutralised(texts: pa.Array) -> pa.Array:
    """Formula-like strings prefixed with an apostrophe; the same array when there are none."""
    if not _may_hold(texts, FORMULA_BYTES):
        return texts
    risky = pc.match_substring_regex(texts, FORMULA_PATTERN)
    if not pc.any(risky).as_py():
        return texts
    quote = pa.scalar("'", texts.type)
    return pc.if_else(risky, pc.binary_join_element_wise(quote, texts, pa.scalar("", texts.type)), texts)


def _safe_chunk(chunk: pa.Array) -> pa.Array:
    strings = _strings(chunk)
    safe = strings if strings is None else _neutralised(strings)
    if safe is strings:
        return chunk
    return pa.DictionaryArray.from_arrays(chunk.indices, safe) if pa.types.is_dictionary(chunk.type) else safe


def _safe_text(table: pa.Table) -> pa.Table:
    """Every formula-like text cell neutralised; categoricals stay categorical (Arrow writes them)."""
    for i, column in enumerate(table.columns):
        chunks = [_safe_chunk(chunk) for chunk in column.chunks]
        if any(new is not old for new, old in zip(chunks, column.chunks, strict=True)):
            table = table.set_column(i, table.field(i).name, pa.chunked_array(chunks))
    return table


def _needs_quotes(table: pa.Table) -> bool:
    """Whether any header or text cell holds a comma, a double quote or a line break."""
    if any(re.search(r'[,"\r\n]', name) for name in table.column_names):
        return True
    texts = (strings for column in table.columns for chunk in column.chunks
             if (strings := _strings(chunk)) is not None)
    return any(_may_hold(strings, QUOTE_BYTES) and pc.any(pc.match_substring_regex(strings, r'[,"\r\n]')).as_py()
               for strings in texts)


def write_safe_csv(frame: pd.DataFrame, sink: BinaryIO, excel_bom: bool = False) -> None:
    """UTF-8 CSV of `frame` into `sink`, formulas neutralised; `excel_bom` adds the BOM Excel needs
    for accents.

    Written by Arrow's CSV writer (several times faster than DataFrame.to_csv on a million rows);
    empty cells for missing values. Text is quoted only when some cell needs it (holds a comma, a
    quote or a line break): then every text cell is quoted, which any CSV reader accepts.
    """
    table = _safe_text(pa.Table.from_pandas(frame, preserve_index=False))
    if excel_bom:
        sink.write(codecs.BOM_UTF8)
    if _needs_quotes(table):
        pa_csv.write_csv(table, sink, pa_csv.WriteOptions(quoting_style="needed"))
    else:  # Arrow always quotes the header; write it plainly
        sink.write((",".join(table.column_names) + "\n").encode())
        pa_csv.write_csv(table, sink, pa_csv.WriteOptions(quoting_style="none", include_header=False))


def to_safe_csv(frame: pd.DataFrame, excel_bom: bool = False) -> bytes:
    """`write_safe_csv` into bytes, for a download button."""
    buffer = io.BytesIO()
    write_safe_csv(frame, buffer, excel_bom)
    return buffer.getvalue()


def classified_table(analysed: pd.DataFrame) -> pd.DataFrame:
    """The CLI's output contract: one row per data row, in input order, with CLASSIFIED_COLUMNS (and
    the sheet first when every roster sheet of a workbook was read)."""
    out = analysed[["sheet", *CLASSIFIED_COLUMNS] if "sheet" in analysed else list(CLASSIFIED_COLUMNS)].copy()
    out["followers"] = out["followers"].where(out["followers"].notna()).astype("Int64")
    return out


CHANGE_COLUMNS = ("platform", "handle", "name", "followers_before", "followers_after", "growth", "tier_before",
                  "tier_after", "change", "flag")


def changes_table(accounts: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The `changes` command's output contract: one row per account found in either snapshot, with
    CHANGE_COLUMNS; `flag` holds the plain words of each raised flag ('' when none)."""
    out = accounts.assign(flag=flag_text(accounts[list(CHANGE_FLAGS)], lang))
    out = out[list(CHANGE_COLUMNS)].copy()
    out["growth"] = out["growth"].round(6)
    for column in ("followers_before", "followers_after"):
        out[column] = out[column].astype("Int64")
    return out

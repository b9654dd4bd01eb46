"""Files a user downloads or the CLI writes. CSV text cells that a spreadsheet would run as a formula
(starting with =, +, -, @, tab or carriage return) are neutralised with a leading apostrophe."""

from __future__ import annotations

import codecs
import io
import re

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CLASSIFIED_COLUMNS = ("source_row", "handle", "platform", "followers", "tier", "engagement_rate",
                      "engagement_rate_computed", "status", "reason")


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells cannot be read as formulas; numbers are left alone."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column].dtype):
            text = out[column]
            risky = text.astype("str").str.startswith(FORMULA_START) & text.notna()
            if risky.any():
                out[column] = text.astype("object").mask(risky, "'" + text.astype("str"))
    return out


def _needs_quotes(table: pa.Table) -> bool:
    """Whether any header or text cell holds a comma, a double quote or a line break."""
    if any(re.search(r'[,"\r\n]', name) for name in table.column_names):
        return True
    for column in table.columns:
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            if pc.any(pc.match_substring_regex(column, r'[,"\r\n]')).as_py():
                return True
    return False


def to_safe_csv(frame: pd.DataFrame, excel_bom: bool = False) -> bytes:
    """UTF-8 CSV of `frame`, formulas neutralised; `excel_bom` adds the BOM Excel needs for accents.

    Written by Arrow's multi-threaded CSV writer (several times faster than DataFrame.to_csv on a
    million rows); empty cells for missing values. Text is quoted only when some cell needs it (holds
    a comma, a quote or a line break): then every text cell is quoted, which any CSV reader accepts.
    """
    safe = neutralise_formulas(frame)
    for column in safe.columns:
        if isinstance(safe[column].dtype, pd.CategoricalDtype):
            safe[column] = safe[column].astype("object")
    buffer = io.BytesIO()
    if excel_bom:
        buffer.write(codecs.BOM_UTF8)
    table = pa.Table.from_pandas(safe, preserve_index=False)
    if _needs_quotes(table):
        pa_csv.write_csv(table, buffer, pa_csv.WriteOptions(quoting_style="needed"))
    else:  # Arrow always quotes the header; write it plainly
        buffer.write((",".join(table.column_names) + "\n").encode())
        pa_csv.write_csv(table, buffer, pa_csv.WriteOptions(quoting_style="none", include_header=False))
    return buffer.getvalue()


def classified_table(analysed: pd.DataFrame) -> pd.DataFrame:
    """The CLI's output contract: one row per data row, in input order, with CLASSIFIED_COLUMNS."""
    out = analysed[list(CLASSIFIED_COLUMNS)].copy()
    out["followers"] = out["followers"].where(out["followers"].notna()).astype("Int64")
    out["tier"] = out["tier"].astype("object")
    return out

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

CLASSIFIED_COLUMNS = ("source_row", "handle", "platform", "followers", "tier", "engagement_rate",
                      "engagement_rate_computed", "status", "reason")


FORMULA_PATTERN = r"^[=+\-@\t\r]"


def _text_columns(table: pa.Table) -> pa.Table:
    """Categoricals (dictionary arrays) decoded to text, and formula-like text neutralised."""
    for i, name in enumerate(table.column_names):
        column = table.column(i)
        if pa.types.is_dictionary(column.type) or pa.types.is_string(column.type):
            column = column.cast(pa.large_string())
        if pa.types.is_large_string(column.type):
            risky = pc.match_substring_regex(column, FORMULA_PATTERN)
            if pc.any(risky).as_py():
                quote = pa.scalar("'", pa.large_string())
                column = pc.if_else(risky, pc.binary_join_element_wise(quote, column, pa.scalar("", pa.large_string())),
                                    column)
            table = table.set_column(i, name, column)
    return table


def _needs_quotes(table: pa.Table) -> bool:
    """Whether any header or text cell holds a comma, a double quote or a line break."""
    if any(re.search(r'[,"\r\n]', name) for name in table.column_names):
        return True
    return any(pc.any(pc.match_substring_regex(column, r'[,"\r\n]')).as_py() for column in table.columns
               if pa.types.is_string(column.type) or pa.types.is_large_string(column.type))


def to_safe_csv(frame: pd.DataFrame, excel_bom: bool = False) -> bytes:
    """UTF-8 CSV of `frame`, formulas neutralised; `excel_bom` adds the BOM Excel needs for accents.

    Written by Arrow's multi-threaded CSV writer (several times faster than DataFrame.to_csv on a
    million rows); empty cells for missing values. Text is quoted only when some cell needs it (holds
    a comma, a quote or a line break): then every text cell is quoted, which any CSV reader accepts.
    """
    table = _text_columns(pa.Table.from_pandas(frame, preserve_index=False))
    buffer = io.BytesIO()
    if excel_bom:
        buffer.write(codecs.BOM_UTF8)
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
    return out

"""Files a user downloads or the CLI writes. CSV text cells that a spreadsheet would run as a formula
(starting with =, +, -, @, tab or carriage return) are neutralised with a leading apostrophe."""

from __future__ import annotations

import pandas as pd

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


def to_safe_csv(frame: pd.DataFrame, excel_bom: bool = False) -> bytes:
    """UTF-8 CSV of `frame`, formulas neutralised; `excel_bom` adds the BOM Excel needs for accents."""
    return neutralise_formulas(frame).to_csv(index=False).encode("utf-8-sig" if excel_bom else "utf-8")


def classified_table(analysed: pd.DataFrame) -> pd.DataFrame:
    """The CLI's output contract: one row per data row, in input order, with CLASSIFIED_COLUMNS."""
    out = analysed[list(CLASSIFIED_COLUMNS)].copy()
    out["followers"] = out["followers"].where(out["followers"].notna()).astype("Int64")
    out["tier"] = out["tier"].astype("object")
    return out

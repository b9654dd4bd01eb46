"""Read hand-typed spreadsheet numbers exactly: `12,5rb`, `1,2 jt`, `4.876`, `Rp 1.500.000`, `3,5%`.

Everything here is vectorised over a pandas Series; there is no per-row Python loop. Each parser
returns a frame aligned with its input holding the number (`value`, float, NaN when unreadable) and,
for unreadable cells, the reason in plain words (`error`), so callers can reject rows with a message.

Separator rules, decided per cell with the column's own evidence:
- both `.` and `,` present: the last one is the decimal mark (`1.234,5`, `1,234.5`);
- one kind repeated: thousands separators (`1.234.567`);
- one single mark followed by exactly three digits in a count or an amount: a thousands separator
  (`4.876` followers is 4,876), unless a unit follows and the column writes its decimals with that
  very mark (`1.500K` in a column that also has `12.5K`);
- otherwise a decimal mark (`12,5rb`, `1.2M`, `0.035`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

COUNT_UNITS = {
    "": 1.0,
    "k": 1e3, "rb": 1e3, "ribu": 1e3, "rban": 1e3, "thousand": 1e3,
    "m": 1e6, "jt": 1e6, "juta": 1e6, "mn": 1e6, "mio": 1e6, "million": 1e6,
    "b": 1e9, "bn": 1e9, "billion": 1e9, "miliar": 1e9, "milyar": 1e9,
}
# In rupiah amounts "M" is miliar (10^9), as Indonesian price lists write it.
RUPIAH_UNITS = {**COUNT_UNITS, "m": 1e9, "mn": 1e6}

CURRENCY_MARKERS = {  # regex (on lower-cased text) -> ISO code
    r"rp\.?|idr": "IDR",
    r"us\$|usd|\$": "USD",
    r"s\$|sgd": "SGD",
    r"rm|myr": "MYR",
    r"€|eur": "EUR",
}

_APPROX = r"[~±≈<>]|\+$|^\+|\bapprox\.?|\bsekitar\b|\bkurang lebih\b|\blebih dari\b|\bca\.?"
_NUMBER = r"^(?P<sign>-)?(?P<num>\d[\d.,]*|[.,]\d+)(?P<unit>[a-z]*)$"


def _as_text(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Split a column into (cleaned lower-case text, numbers already typed as numbers).

    Excel cells arrive as floats and must never be re-read as text: 1234.567 is not 1,234,567.
    """
    if pd.api.types.is_bool_dtype(values.dtype):
        values = values.astype(object)
    if pd.api.types.is_numeric_dtype(values.dtype):
        typed = pd.to_numeric(values, errors="coerce").astype("float64")
        return pd.Series(pd.NA, index=values.index, dtype="str"), typed
    if values.dtype == object:
        kinds = values.map(type)
        numeric = kinds.isin((int, float, np.int64, np.float64, np.int32, np.float32))
        typed = pd.to_numeric(values.where(numeric), errors="coerce").astype("float64")
        text = values.where(~numeric & values.notna()).astype("str")
    else:
        typed = pd.Series(np.nan, index=values.index)
        text = values.astype("str")
    text = text.where(values.notna() & (~text.isin(["nan", "None", "NaT", "<NA>"]))).str.strip().str.lower()
    return text.where(text != ""), typed


def _clean(text: pd.Series, strip: str | None = None) -> pd.Series:
    text = text.str.replace("\u00a0", " ", regex=False).str.replace("\u2009", " ", regex=False)
    text = text.str.replace(_APPROX, "", regex=True)
    if strip:
        text = text.str.replace(strip, "", regex=True)
    # "1,2 jt", "12 500", "Rp 1.500.000": spaces carry no meaning once units are attached.
    return text.str.replace(r"\s+", "", regex=True).str.strip()


def _number_parts(text: pd.Series) -> pd.DataFrame:
    parts = text.str.extract(_NUMBER)
    parts["num"] = parts["num"].astype("str")
    return parts


def _decimal_mark(num: pd.Series) -> str | None:
    """The column's decimal mark, from cells where the reading is unambiguous."""
    dots, commas = num.str.count(r"\."), num.str.count(",")
    single = (dots + commas) == 1
    after = num.str.len() - num.str.rfind(".").where(dots == 1, num.str.rfind(",")) - 1
    clear_single = single & ((after != 3) | num.str.match(r"^0?[.,]"))
    both = (dots > 0) & (commas > 0)
    last_is_dot = num.str.rfind(".") > num.str.rfind(",")
    dot_votes = int((clear_single & (dots == 1)).sum() + (both & last_is_dot).sum())
    comma_votes = int((clear_single & (commas == 1)).sum() + (both & ~last_is_dot).sum())
    if dot_votes == comma_votes == 0:
        return None
    return "." if dot_votes >= comma_votes else ","


def _to_float(num: pd.Series, has_unit: pd.Series, grouping: bool) -> pd.Series:
    """Turn the digit-and-separator part into floats by the rules in the module docstring."""
    dots, commas = num.str.count(r"\."), num.str.count(",")
    last_dot, last_comma = num.str.rfind("."), num.str.rfind(",")
    column_mark = _decimal_mark(num)

    decimal = pd.Series("", index=num.index, dtype="str")  # "" means: no decimal mark
    both = (dots > 0) & (commas > 0)
    decimal = decimal.mask(both & (last_dot > last_comma), ".").mask(both & (last_comma > last_dot), ",")

    single_dot = (dots == 1) & (commas == 0)
    single_comma = (commas == 1) & (dots == 0)
    single = single_dot | single_comma
    mark = pd.Series(np.where(single_dot, ".", ","), index=num.index)
    after = num.str.len() - np.where(single_dot, last_dot, last_comma) - 1
    leading_zero = num.str.match(r"^0?[.,]")
    thousands = grouping & (after == 3) & ~leading_zero & ~(has_unit & (mark == column_mark))
    decimal = decimal.mask(single & ~thousands, mark)

    digits = num.str.replace(r"[.,]", "", regex=True)
    frac_len = np.where(decimal == ".", num.str.len() - last_dot - 1,
                        np.where(decimal == ",", num.str.len() - last_comma - 1, 0))
    # Integer digits divided by a power of ten: exact for integers and correctly rounded otherwise.
    whole = pd.to_numeric(digits, errors="coerce").astype("float64")
    return whole / np.power(10.0, np.nan_to_num(frac_len.astype("float64")))


def _finish(values: pd.Series, text: pd.Series, typed: pd.Series, reason: pd.Series) -> pd.DataFrame:
    value = values.where(typed.isna(), typed)
    empty = text.isna() & typed.isna()
    reason = reason.where(~value.isna() | empty, reason.fillna("not a number"))
    reason = reason.where(value.isna(), pd.NA)
    reason = reason.mask(empty, "empty")
    return pd.DataFrame({"value": value, "error": reason.astype("str").where(reason.notna())})


def parse_count(values: pd.Series) -> pd.DataFrame:
    """Counts such as followers, likes or views: `12.5K`, `1,2 jt`, `93 ribu`, `4.876`, `10K+`.

    Returns `value` (float; NaN when unreadable), `error` (why not, else NA) and `scaled` (a unit
    such as K or jt was written, so a fractional value is expected before rounding).
    """
    if values.empty:
        return pd.DataFrame({"value": [], "error": [], "scaled": []}, dtype="object").astype({"value": float})
    text, typed = _as_text(values)
    parts = _number_parts(_clean(text))
    unit = parts["unit"].fillna("")
    multiplier = unit.map(COUNT_UNITS)
    has_unit = unit != ""
    number = _to_float(parts["num"], has_unit, grouping=True)
    number = number.where(parts["sign"].isna(), -number)
    reason = pd.Series(pd.NA, index=values.index, dtype="object")
    reason = reason.mask(parts["num"].notna() & multiplier.isna(),
                         "unknown unit '" + unit + "'")
    reason = reason.mask(parts["num"].isna() & text.notna(), "'" + text.str.slice(0, 40) + "' is not a number")
    # Rounded to 6 places so that 128.2 x 1,000 is 128,200 and not 128,199.99999999999.
    result = _finish((number * multiplier).round(6), text, typed, reason)
    result["scaled"] = has_unit & typed.isna()
    return result


def parse_ratio(values: pd.Series, percent_header: bool = False) -> pd.DataFrame:
    """Rates such as engagement: `3,5%`, `0.035`, Excel percent cells, or `3.5` under a "%" header.

    A column without `%` signs is read as percentages when its header says so or when its median
    is above 1 (an engagement rate of 350% is not a plausible reading of `3.5`).
    """
    if values.empty:
        return pd.DataFrame({"value": [], "error": []}, dtype="object").astype({"value": float})
    text, typed = _as_text(values)
    has_percent = text.str.contains("%", regex=False).fillna(False).astype(bool)
    parts = _number_parts(_clean(text, strip="%"))
    number = _to_float(parts["num"], parts["unit"].fillna("") != "", grouping=False)
    number = number.where(parts["sign"].isna(), -number)
    reason = pd.Series(pd.NA, index=values.index, dtype="object")
    bad = (parts["num"].isna() | (parts["unit"].fillna("") != "")) & text.notna()
    reason = reason.mask(bad, "'" + text.str.slice(0, 40) + "' is not a rate")
    number = number.where(~bad)
    plain = ~has_percent & number.notna()
    combined = number.where(typed.isna(), typed)
    as_percent = percent_header or (not has_percent.any() and combined[plain | typed.notna()].median() > 1)
    scaled = number.where(~(has_percent | (plain & as_percent)), number / 100)
    if as_percent and percent_header:
        typed = typed.where(typed.isna() | (typed <= 1), typed / 100)
    elif as_percent:
        typed = typed / 100
    return _finish(scaled, text, typed, reason)


def parse_money(values: pd.Series, default_currency: str = "IDR") -> pd.DataFrame:
    """Amounts such as `Rp 1.500.000`, `Rp1,5jt`, `IDR 750K`, `$1,200`; keeps the currency.

    A cell without a currency marker takes the column's most common marker, else `default_currency`.
    """
    if values.empty:
        return pd.DataFrame({"value": [], "error": [], "currency": []}, dtype="object").astype({"value": float})
    text, typed = _as_text(values)
    currency = pd.Series(pd.NA, index=values.index, dtype="object")
    stripped = _clean(text)
    for pattern, code in CURRENCY_MARKERS.items():
        found = stripped.str.contains(rf"^(?:{pattern})|(?:{pattern})$", regex=True).fillna(False).astype(bool)
        currency = currency.mask(found & currency.isna(), code)
        stripped = stripped.str.replace(rf"^(?:{pattern})|(?:{pattern})$", "", regex=True)
    stripped = stripped.str.strip(".-:")
    column_currency = currency.mode().iloc[0] if currency.notna().any() else default_currency
    currency = currency.fillna(column_currency)
    parts = _number_parts(stripped)
    unit = parts["unit"].fillna("")
    units = np.where(currency == "IDR", unit.map(RUPIAH_UNITS), unit.map(COUNT_UNITS))
    multiplier = pd.Series(units, index=values.index, dtype="float64")
    number = _to_float(parts["num"], unit != "", grouping=True)
    reason = pd.Series(pd.NA, index=values.index, dtype="object")
    reason = reason.mask(parts["num"].notna() & multiplier.isna(), "unknown unit '" + unit + "'")
    reason = reason.mask(parts["num"].isna() & text.notna(), "'" + text.str.slice(0, 40) + "' is not an amount")
    reason = reason.mask(parts["sign"].notna(), "negative amount")
    result = _finish((number * multiplier).round(6).where(parts["sign"].isna()), text, typed, reason)
    result["currency"] = currency.where(result["value"].notna())
    return result

"""Read hand-typed spreadsheet numbers exactly: `12,5rb`, `1,2 jt`, `4.876`, `Rp 1.500.000`, `3,5%`.

Everything here is vectorised (Arrow compute kernels and NumPy over whole columns; no per-row Python
loop), so a million cells parse in well under a second. Each parser returns a frame aligned with its
input holding the number (`value`, float, NaN when unreadable) and, for unreadable cells, the reason
in plain words (`error`), so callers can reject rows with a message.

Separator rules, decided per cell with the column's own evidence:
- both `.` and `,` present: the last one is the decimal mark (`1.234,5`, `1,234.5`);
- one kind repeated: thousands separators (`1.234.567`);
- one single mark followed by exactly three digits in a count or an amount: a thousands separator
  (`4.876` followers is 4,876), unless a unit follows and the column writes its decimals with that
  very mark (`1.500K` in a column that also has `12.5K`);
- otherwise a decimal mark (`12,5rb`, `1.2M`, `0.035`).
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from tiers.reading.columns import arrow_text, missing_text, normalised_text, text_series
from tiers.reading.profile import EXCEL_ERROR

COUNT_UNITS = {
    "": 1.0,
    "k": 1e3, "rb": 1e3, "ribu": 1e3, "rban": 1e3, "thousand": 1e3,
    "m": 1e6, "jt": 1e6, "j": 1e6, "juta": 1e6, "mn": 1e6, "mio": 1e6, "million": 1e6,  # j: CLDR's Malay "1.2J"
    "b": 1e9, "bn": 1e9, "billion": 1e9, "miliar": 1e9, "milyar": 1e9,
}
# In rupiah amounts "M" is miliar (10^9), as Indonesian price lists write it.
RUPIAH_UNITS = {**COUNT_UNITS, "m": 1e9}

CURRENCY_MARKERS = {  # regex (on lower-cased text) -> ISO code
    r"rp\.?|idr": "IDR",
    r"us\$|usd|\$": "USD",
    r"s\$|sgd": "SGD",
    r"rm|myr": "MYR",
    r"₱|php": "PHP",
    r"฿|thb": "THB",
    r"₫|vnd": "VND",
    r"€|eur": "EUR",
}

# Words a header uses to say what unit its numbers are in: "Followers (K)", "Harga (Rp juta)",
# "Views ('000)", "Fee in thousands", "Pengikut (dalam ribuan)", "Subscribers x1.000".
HEADER_UNITS = {**COUNT_UNITS, "ribuan": 1e3, "thousands": 1e3, "000": 1e3, "000s": 1e3, "1000": 1e3,
                "jutaan": 1e6, "millions": 1e6, "000000": 1e6, "1000000": 1e6}
_HEADER_FILLER = {"in", "dalam", "x", "rp", "idr", "rupiah", "usd", "us", "dollar", "dollars"}
_HEADER_UNIT_PHRASE = r"\b(?:in|dalam)\s+(thousands|millions|ribuan|jutaan|ribu|juta)\b"


def header_currency(label: object) -> str | None:
    """The currency a column header names ('Rate (RM)', 'Harga (Rp)', 'Fee USD'), or None."""
    text = f" {str(label).lower()} "
    for pattern, code in CURRENCY_MARKERS.items():
        if re.search(rf"(?<![a-z])(?:{pattern})(?![a-z])", text):
            return code
    return None


def header_unit(label: object, rupiah: bool = False) -> float:
    """The unit a column header states for its numbers (1 when it states none).

    Only a bracket holding nothing but a unit (and currency or filler words) counts, so that
    "Gender (M/F)" or "Followers (IG)" state no unit; in rupiah, "M" is miliar as in the cells.
    """
    text = str(label).lower().replace("×", "x")
    text = re.sub(r"(?<=\d)[.,](?=000\b)", "", text)  # x1.000 -> x1000
    groups = [*re.findall(r"[(\[]([^)\]]*)[)\]]", text), *re.findall(_HEADER_UNIT_PHRASE, text),
              *re.findall(r"\bx\s*(1000(?:000)?)\b", text)]
    table = {**HEADER_UNITS, "m": 1e9} if rupiah else HEADER_UNITS
    for group in groups:
        words = [w for w in re.split(r"[^a-z0-9]+", re.sub(r"\bx(?=\d)", "x ", group)) if w and w not in _HEADER_FILLER]
        if len(words) == 1 and words[0] in table:
            return table[words[0]]
    return 1.0


# What a count may be followed by: "12.5K followers", "1,2 jt pengikut", "90K subs".
_COUNT_NOUNS = (r"(followers?|pengikut|subscribers?|subs|fans|views|tayangan|likes|suka|comments|komentar|"
                r"shares|saves|engagements?|interaksi)$")
# A price range: two amounts joined by a dash, "s/d" (sampai dengan), "sampai", "hingga" or "to".
_MONEY_RANGE = (r"^(?P<low>[^-–—~]*\d[^-–—~]*?)\s*(?:-|–|—|~|s/d|s\.d\.?|sampai|hingga|to)\s*"
                r"(?P<high>(?:rp\.?|idr|us\$|\$)?\s*\d[^-–—~]*)$")
_APPROX = r"[~±≈<>]|\+$|^\+|\bapprox\.?|\bsekitar\b|\bkurang lebih\b|\blebih dari\b|\bca\.?"
_NUMBER = r"^(?P<sign>-?)(?P<num>\d[\d.,]*|[.,]\d+)(?P<unit>[a-z]*)$"
_PLAIN_INTEGER = r"^\d{1,15}$"
# Excel's scientific notation in a narrow CSV column: 1.2E+06, 1,2E+06 (Indonesian Excel), 3e5.
_SCIENTIFIC = r"^(?P<sign>-?)(?P<whole>\d+)(?:[.,](?P<fraction>\d+))?e(?P<exponent>[+-]?\d{1,2})$"
# Where separators may stand: one mark anywhere ("12,5", ".5"), or groups of three digits ("1.234.567",
# "1,234.5", "1.234,5"; India's "1,00,000" too). "1,2,3" and "1.2.3" are not numbers, not 123.
_WELL_FORMED = (r"^(?:\d+|\d*[.,]\d+|\d+[.,]|\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d{1,3}(?:,\d{3})+(?:\.\d+)?|"
                r"\d{1,2}(?:,\d{2})*,\d{3}(?:\.\d+)?)$")
MAX_NUMBER = 1e15  # beyond this no count, rate or amount is meant (1e30, 2**63): the cell is not read
_FORMULA = r"^="  # a formula cell whose result the file never saved holds its formula (see read.py)
EXCEL_EPOCH = dt.datetime(1899, 12, 30)  # Excel's day 0 in the 1900 date system
_NUMERIC_TYPES = (int, float, np.int64, np.float64, np.int32, np.float32)


def _as_text(values: pd.Series) -> tuple[pa.Array, np.ndarray]:
    """Split a column into (lower-case stripped text, null where empty) and numbers already typed.

    Excel cells arrive as floats and must never be re-read as text: 1234.567 is not 1,234,567.
    """
    typed = np.full(len(values), np.nan)
    if pd.api.types.is_bool_dtype(values.dtype):
        values = values.astype(object)
    if pd.api.types.is_numeric_dtype(values.dtype):
        return pa.nulls(len(values), pa.string()), pd.to_numeric(values, errors="coerce").to_numpy(float)
    if values.dtype == object:
        numeric = values.map(type).isin(_NUMERIC_TYPES).to_numpy()
        if numeric.any():
            typed[numeric] = pd.to_numeric(values[numeric], errors="coerce").to_numpy(float)
            values = values.where(~numeric, None)
        values = values.where(values.isna(), values.astype(str)).astype("str")
    text = pa.array(values, type=pa.large_string(), from_pandas=True)
    text = normalised_text(text)  # full-width digits, NBSP, zero-width spaces
    text = pc.utf8_lower(pc.utf8_trim_whitespace(text))
    return pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.large_string()), text), typed


def _clean(text: pa.Array, strip: str | None = None) -> pa.Array:
    """Drop approximation marks and every space ("1,2 jt", "12 500", "Rp 1.500.000": spaces carry no
    meaning once units are attached), in one regex pass."""
    pattern = "|".join(filter(None, [_APPROX, r"[\s\x{00a0}\x{2009}\x{202f}]+", strip]))
    return pc.replace_substring_regex(text, pattern, "")


def _np(array: pa.Array, fill) -> np.ndarray:
    return pc.fill_null(array, fill).to_numpy(zero_copy_only=False)


class _Parts:
    """The sign, digits-and-separators and unit of each cell, with separator positions as arrays."""

    def __init__(self, cleaned: pa.Array):
        parts = pc.extract_regex(cleaned, _NUMBER)
        self.matched = _np(parts.is_valid(), False)
        num = pc.if_else(parts.is_valid(), pc.struct_field(parts, "num"), pa.scalar(None, pa.large_string()))
        self.matched &= _np(pc.match_substring_regex(num, _WELL_FORMED), False)
        num = pc.if_else(pa.array(self.matched), num, pa.scalar(None, pa.large_string()))
        self.num = num
        self.unit_array = pc.if_else(parts.is_valid(), pc.struct_field(parts, "unit"), "")
        self.unit = _np(self.unit_array, "").astype(object)
        self.negative = self.matched & (_np(pc.struct_field(parts, "sign"), "") == "-")
        self.length = _np(pc.utf8_length(num), 0)
        self.dots = _np(pc.count_substring(num, "."), 0)
        self.commas = _np(pc.count_substring(num, ","), 0)
        reversed_num = pc.utf8_reverse(num)
        from_end_dot = _np(pc.find_substring(reversed_num, "."), -1)
        from_end_comma = _np(pc.find_substring(reversed_num, ","), -1)
        self.last_dot = np.where(from_end_dot >= 0, self.length - 1 - from_end_dot, -1)
        self.last_comma = np.where(from_end_comma >= 0, self.length - 1 - from_end_comma, -1)
        self.leading_zero = _np(pc.match_substring_regex(num, r"^0?[.,]"), False)
        self.has_unit = self.unit != ""

    def column_decimal_mark(self) -> str | None:
        """The column's decimal mark, from cells where the reading is unambiguous."""
        single = (self.dots + self.commas) == 1
        after = np.where(self.dots == 1, self.length - self.last_dot - 1, self.length - self.last_comma - 1)
        clear_single = single & ((after != 3) | self.leading_zero)
        both = (self.dots > 0) & (self.commas > 0)
        last_is_dot = self.last_dot > self.last_comma
        dot_votes = int((clear_single & (self.dots == 1)).sum() + (both & last_is_dot).sum())
        comma_votes = int((clear_single & (self.commas == 1)).sum() + (both & ~last_is_dot).sum())
        if dot_votes == comma_votes == 0:
            return None
        return "." if dot_votes >= comma_votes else ","

    def values(self, grouping: bool) -> np.ndarray:
        """The numbers the digit parts stand for, by the rules in the module docstring."""
        both = (self.dots > 0) & (self.commas > 0)
        single_dot = (self.dots == 1) & (self.commas == 0)
        single_comma = (self.commas == 1) & (self.dots == 0)
        last_mark = np.where(self.last_dot > self.last_comma, ".", ",")
        after = np.where(single_dot, self.length - self.last_dot - 1, self.length - self.last_comma - 1)
        column_mark = self.column_decimal_mark()
        thousands = grouping & (after == 3) & ~self.leading_zero & ~(self.has_unit & (last_mark == column_mark))
        decimal = np.where(both, last_mark, np.where((single_dot | single_comma) & ~thousands, last_mark, ""))
        frac_len = np.where(decimal == ".", self.length - self.last_dot - 1,
                            np.where(decimal == ",", self.length - self.last_comma - 1, 0))
        digits = pc.replace_substring_regex(self.num, r"[.,]", "")
        whole = _np(pc.cast(digits, pa.float64(), safe=False), np.nan)
        # Integer digits divided by a power of ten: exact for integers, correctly rounded otherwise.
        value = whole / np.power(10.0, frac_len)
        return np.where(self.negative, -value, value)


def _finish(value: np.ndarray, text: pa.Array, typed: np.ndarray, reason: np.ndarray,
            index: pd.Index) -> pd.DataFrame:
    """Typed numbers win; every cell ends with a value or a reason, never both. A number too large
    for any count (an XLSX 1e309 is infinite) or a cell holding an Excel error is not read."""
    value = np.where(np.isnan(typed), value, typed)
    huge = np.abs(value) >= MAX_NUMBER
    if huge.any():
        value = np.where(huge, np.nan, value)
        reason = np.where(huge, "too large to be a number (more than 15 digits)", reason)
    errors = _np(pc.match_substring_regex(text, EXCEL_ERROR), False)
    if errors.any():
        shown = np.asarray(pc.utf8_upper(text).to_pandas(), dtype=object)
        reason = np.where(errors, "'" + shown.astype(str) + "' is an Excel error value (the formula failed)", reason)
    missing = np.isnan(value)
    if not missing.any():
        return pd.DataFrame({"value": value, "error": missing_text(index)}, index=index)
    empty = _np(text.is_null(), True) & np.isnan(typed)
    reason = np.where(missing & (reason == None), "not a number", reason)  # noqa: E711 (object array)
    reason = np.where(empty, "empty", np.where(missing, reason, None))
    return pd.DataFrame({"value": value, "error": pd.Series(reason, index=index, dtype="str")}, index=index)


def _quoted(text: pa.Array, rows: np.ndarray, suffix: str) -> np.ndarray:
    """"'abc' is not a number" for the given rows, built only for those rows."""
    out = np.full(len(rows), None, dtype=object)
    if rows.any():
        shown = pc.utf8_slice_codeunits(text.filter(pa.array(rows)), 0, 40).to_pylist()
        out[rows] = [f"'{s}' {suffix}" for s in shown]
    return out


def _unit_reason(unit: np.ndarray, rows: np.ndarray) -> np.ndarray:
    out = np.full(len(rows), None, dtype=object)
    out[rows] = [f"unknown unit '{u}'" for u in unit[rows]]
    return out


def _multipliers(unit: pa.Array, table: dict[str, float]) -> np.ndarray:
    """The multiplier of each unit (NaN for an unknown unit), looked up by Arrow, not per row."""
    position = _np(pc.index_in(unit, value_set=pa.array(list(table), pa.large_string())), -1)
    values = np.append(np.array(list(table.values()), dtype=float), np.nan)
    return values[position]


def _strict_integers(values: pd.Series) -> pd.DataFrame | None:
    """The result of `parse_count` when every filled cell is already a bare integer ("158253",
    "-5"), else None. Arrow's strict cast decides that in one pass, so a clean column of counts
    (the common case, and every column of a machine export) skips the text rules entirely."""
    if values.dtype != "str":
        return None
    text = arrow_text(values)
    try:
        whole = pc.cast(text, pa.int64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    empty = _np(text.is_null(), True)
    return pd.DataFrame({"value": _np(pc.cast(whole, pa.float64()), np.nan),
                         "error": text_series(pc.if_else(empty, "empty", None), values.index),
                         "scaled": False}, index=values.index)


def _scaled(values: np.ndarray, unit: float) -> np.ndarray:
    """Values in the header's unit, rounded like a written unit (128.2 x 1,000 is 128,200)."""
    return values if unit == 1 else np.round(values * unit, 6)


def _in_unit(result: pd.DataFrame, unit: float) -> pd.DataFrame:
    """A result whose cells wrote no unit of their own, taken in the header's unit."""
    if unit != 1:
        result["value"] = _scaled(result["value"].to_numpy(), unit)
        result["scaled"] = True
    return result


def parse_count(values: pd.Series, unit: float = 1.0) -> pd.DataFrame:
    """Counts such as followers, likes or views: `12.5K`, `1,2 jt`, `93 ribu`, `4.876`, `10K+`.

    Returns `value` (float; NaN when unreadable), `error` (why not, else NA) and `scaled` (a unit
    such as K or jt applies, so a fractional value is expected before rounding). `unit` is the one
    the column header states ("Followers (K)": 1,000; see `header_unit`): it applies to every cell
    that does not write its own, typed Excel numbers included.
    """
    integers = _strict_integers(values)
    if integers is not None:
        return _in_unit(integers, unit)
    dates = _date_cells(values)
    if dates.any():  # a count the sheet formats as a date: say so, never read the date as a number
        result = parse_count(values.where(~dates, None), unit)
        result.loc[dates, "value"] = np.nan
        result.loc[dates, "error"] = [
            f"formatted as a date ({moment:%Y-%m-%d}): the cell stores the number "
            f"{(pd.Timestamp(moment) - EXCEL_EPOCH) / pd.Timedelta(days=1):,.0f} with a date format; format the "
            "column as Number in the spreadsheet and upload it again" for moment in values[dates]]
        return result
    text, typed = _as_text(values)
    plain = _np(pc.match_substring_regex(text, _PLAIN_INTEGER), False)
    if text.null_count == len(text):  # typed numbers (an Excel number column) or empty cells only
        plain[:] = True
    if plain.all() or len(values) == 0:  # the common case: a column of plain integers
        value = _np(pc.cast(text, pa.float64(), safe=False), np.nan) if len(values) else np.array([])
        result = _finish(value, text, typed, np.full(len(values), None, dtype=object), values.index)
        result["scaled"] = False
        return _in_unit(result, unit)
    if plain.mean() > 0.3:  # parse the plain integers directly and only the rest the long way
        rest = ~plain
        plain_values = _np(pc.cast(pc.if_else(pa.array(plain), text, None), pa.float64(), safe=False), np.nan)
        others = parse_count(values[rest], unit)
        result = pd.DataFrame({"value": _scaled(plain_values, unit), "error": missing_text(values.index),
                               "scaled": unit != 1}, index=values.index)
        result.loc[rest, ["value", "error", "scaled"]] = others[["value", "error", "scaled"]].to_numpy()
        result["value"] = np.where(np.isnan(typed), result["value"].to_numpy(float), _scaled(typed, unit))
        result["scaled"] = result["scaled"].astype(bool)
        return result
    parts = _Parts(_clean(text, strip=_COUNT_NOUNS))
    own_unit = parts.has_unit
    if unit != 1:  # the header's unit counts as written when deciding what a separator means
        parts.has_unit = parts.matched
    multiplier = _multipliers(parts.unit_array, COUNT_UNITS)
    known_unit = ~np.isnan(multiplier)
    reason = np.where(parts.matched & ~known_unit, _unit_reason(parts.unit, parts.matched & ~known_unit),
                      _quoted(text, ~parts.matched & _np(text.is_valid(), False), "is not a number"))
    # Rounded to 6 places so that 128.2 x 1,000 is 128,200 and not 128,199.99999999999.
    value = np.round(parts.values(grouping=True) * np.where(own_unit, multiplier, unit), 6)
    scientific = _scientific(text)
    shown = ~np.isnan(scientific)
    value = np.where(shown, np.round(scientific * unit), value)
    reason = np.where(shown, None, reason)
    formula = _np(pc.match_substring_regex(text, _FORMULA), False)
    if formula.any():
        reason[formula] = [f"holds a formula ({cell}) whose result was never saved: open the file in Excel or "
                           "LibreOffice, save it and upload it again" for cell in values[formula].astype(str)]
    result = _finish(value, text, _scaled(typed, unit), reason, values.index)
    result["scaled"] = (own_unit & np.isnan(typed)) | (unit != 1) | shown
    return result


def _scientific(text: pa.Array) -> np.ndarray:
    """The value of each cell written in scientific notation (1.2e+06 -> 1,200,000), else NaN."""
    parts = pc.extract_regex(text, _SCIENTIFIC)
    if parts.null_count == len(parts):
        return np.full(len(text), np.nan)
    fraction = pc.fill_null(pc.struct_field(parts, "fraction"), "")
    digits = pc.binary_join_element_wise(pc.struct_field(parts, "whole"), fraction, pa.scalar("", pa.large_string()))
    mantissa = _np(pc.cast(digits, pa.float64(), safe=False), np.nan) / np.power(10.0, _np(pc.utf8_length(fraction), 0))
    exponent = _np(pc.cast(pc.struct_field(parts, "exponent"), pa.float64(), safe=False), np.nan)
    negative = _np(pc.equal(pc.struct_field(parts, "sign"), "-"), False)
    return np.where(negative, -1, 1) * mantissa * np.power(10.0, exponent)


def scientific_cells(values: pd.Series) -> np.ndarray:
    """Which cells are written in scientific notation: Excel's export of a narrow column, whose
    count keeps two or three significant digits only."""
    if values.dtype != object and values.dtype != "str":
        return np.zeros(len(values), dtype=bool)
    text = pc.utf8_lower(pc.utf8_trim_whitespace(arrow_text(values)))
    return _np(pc.match_substring_regex(text, _SCIENTIFIC), False)


def _date_cells(values: pd.Series) -> np.ndarray:
    """Cells a workbook holds as dates (a count column formatted as a date)."""
    if values.dtype != object:
        return np.zeros(len(values), dtype=bool)
    return values.map(type).isin((dt.date, dt.datetime, pd.Timestamp)).to_numpy()


def parse_ratio(values: pd.Series, percent_header: bool = False) -> pd.DataFrame:
    """Rates such as engagement: `3,5%`, `0.035`, Excel percent cells, or `3.5` under a "%" header.

    A column without `%` signs is read as percentages when its header says so or when its median
    is above 1 (an engagement rate of 350% is not a plausible reading of `3.5`).
    """
    text, typed = _as_text(values)
    has_percent = _np(pc.match_substring(text, "%"), False)
    parts = _Parts(_clean(text, strip="%"))
    bad = (~parts.matched | parts.has_unit) & _np(text.is_valid(), False)
    number = np.where(bad, np.nan, parts.values(grouping=False))
    plain = ~has_percent & ~np.isnan(number)
    combined = np.where(np.isnan(typed), number, typed)
    considered = combined[plain | ~np.isnan(typed)]
    as_percent = percent_header or (not has_percent.any() and considered.size > 0 and np.nanmedian(considered) > 1)
    number = np.where(has_percent | (plain & as_percent), number / 100, number)
    if as_percent and percent_header:
        typed = np.where(typed > 1, typed / 100, typed)
    elif as_percent:
        typed = typed / 100
    return _finish(number, text, typed, _quoted(text, bad, "is not a rate"), values.index)


def parse_money(values: pd.Series, default_currency: str = "IDR", unit: float = 1.0) -> pd.DataFrame:
    """Amounts such as `Rp 1.500.000`, `Rp1,5jt`, `IDR 750K`, `$1,200`; keeps the currency.

    A cell without a currency marker takes the column's most common marker, else `default_currency`.
    `unit` is the one the header states ("Harga (juta)": 10^6), for cells that write none.
    """
    text, typed = _as_text(values)
    stripped = _clean(text)
    currency = np.full(len(values), None, dtype=object)
    for pattern, code in CURRENCY_MARKERS.items():
        marker = rf"^(?:{pattern})|(?:{pattern})$"
        found = _np(pc.match_substring_regex(stripped, marker), False)
        currency = np.where(found & (currency == None), code, currency)  # noqa: E711 (object array)
        stripped = pc.replace_substring_regex(stripped, marker, "")
    # "Rp. 1.500.000,-" and "IDR: 500": marks left over from the currency, never a minus sign.
    stripped = pc.utf8_rtrim(pc.utf8_ltrim(stripped, ".:"), ".-:,")
    named = pd.Series(currency).dropna()
    column_currency = named.mode().iloc[0] if not named.empty else default_currency
    currency = np.where(currency == None, column_currency, currency)  # noqa: E711
    parts = _Parts(stripped)
    own_unit = parts.has_unit
    if unit != 1:  # the header's unit counts as written when deciding what a separator means
        parts.has_unit = parts.matched
    multiplier = np.where(currency == "IDR", _multipliers(parts.unit_array, RUPIAH_UNITS),
                          _multipliers(parts.unit_array, COUNT_UNITS))
    unknown = parts.matched & np.isnan(multiplier)
    reason = np.where(unknown, _unit_reason(parts.unit, unknown),
                      _quoted(text, ~parts.matched & _np(text.is_valid(), False), "is not an amount"))
    reason = np.where(parts.negative, "negative amount", reason)
    value = np.round(parts.values(grouping=True) * np.where(own_unit, multiplier, unit), 6)
    value = np.where(parts.negative, np.nan, value)
    result = _finish(value, text, _scaled(typed, unit), reason, values.index)
    result["currency"] = pd.Series(currency, index=values.index, dtype="object").where(result["value"].notna())
    result["range"] = False
    ranges = pc.extract_regex(text, _MONEY_RANGE)
    is_range = _np(ranges.is_valid(), False)
    if is_range.any():
        rows = np.flatnonzero(is_range)
        _read_ranges(result, ranges.filter(pa.array(is_range)), rows, currency[rows], unit)
    return result


def _read_ranges(result: pd.DataFrame, ranges: pa.Array, rows: np.ndarray, currency: np.ndarray,
                 unit: float) -> None:
    """Price ranges ("Rp 1-1,5jt", "500rb s/d 1jt") at their midpoint, written into `result` at
    `rows` in the currency the whole cell names (`currency`); a low end without a unit takes the
    high end's, as people write them."""
    low, high = pc.struct_field(ranges, "low"), pc.struct_field(ranges, "high")
    high_unit = pc.struct_field(pc.extract_regex(high, r"(?P<unit>[a-z]*)$"), "unit")
    joined = pc.binary_join_element_wise(low, high_unit, pa.scalar("", low.type))
    low = pc.if_else(pc.match_substring_regex(low, r"\d$"), joined, low)
    low_value, high_value = np.full(len(rows), np.nan), np.full(len(rows), np.nan)
    for code in np.unique(currency):  # a currency or two, not rows
        rows_in = currency == code
        ends = pd.Series(pa.concat_arrays([low.filter(rows_in), high.filter(rows_in)]).to_pandas(), dtype="str")
        value = parse_money(ends, code, unit)["value"].to_numpy()
        low_value[rows_in], high_value[rows_in] = value[:rows_in.sum()], value[rows_in.sum():]
    read = ~np.isnan(low_value) & ~np.isnan(high_value) & (low_value <= high_value)
    at = result.index[rows[read]]
    result.loc[at, "value"] = (low_value[read] + high_value[read]) / 2
    result.loc[at, "error"] = None
    result.loc[at, "currency"] = currency[read]
    result.loc[at, "range"] = True

"""What a column holds, told by its cells and not its header: the shares of numbers, compact counts
(`12,5rb`, `1.2M`), percentages, money, dates, `@handles`, profile links, bare handle tokens, display
names, tier words and platform names among its filled cells, its distinct ratio and its blank share.

One pass of Arrow string kernels per column over a sample of evenly spaced rows (a big sheet is
judged by SAMPLE_ROWS of them), so profiling a million-row sheet costs what profiling 2,000 rows does.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from tiers.reading.columns import PLATFORM_WORDS, arrow_text, normalised_text

SAMPLE_ROWS = 2_000
KINDS = ("number", "compact", "percent", "money", "date", "at_handle", "link", "bare_handle", "display_name",
         "tier_word", "platform_word", "small_decimal", "fraction", "excel_error")
PROFILE_COLUMNS = (*KINDS, "filled", "distinct", "distinct_count", "blank")

_UNITS = r"(?:k|rb|ribu|rban|jt|juta|j|m|mn|mio|b|bn|miliar|milyar|thousand|million|billion)"
_APPROX = r"[~±≈<>+]?\s*"
PATTERNS = {
    "number": rf"^{_APPROX}-?\d[\d.,\s]*\+?$|^-?\d+(?:[.,]\d+)?e[+-]?\d{{1,2}}$",  # 1.2E+06 as Excel exports
    "compact": rf"^{_APPROX}-?\d[\d.,]*\s*{_UNITS}\+?(?:\s*(?:followers?|pengikut|subscribers?|subs|fans))?$",
    "percent": r"^-?\d[\d.,]*\s*%$",
    "money": r"^(?:rp\.?|idr|us\$|usd|\$|rm|myr|s\$|sgd|₱|php|฿|thb|€|eur)\s*\d|\d\s*(?:idr|usd|myr|sgd|eur)$",
    "date": r"^\d{1,4}[-/.]\d{1,2}[-/.]\d{2,4}(?:[ t]\d{1,2}:\d{2}.*)?$",
    "at_handle": r"^@[^\s@]+$",
    "link": r"(?:^|[/.])(?:instagram\.com|tiktok\.com|youtube\.com|youtu\.be|facebook\.com|twitter\.com|x\.com)/",
    "small_decimal": r"^-?\d{1,2}[.,]\d+$",  # 5.36, 14,7: a rate or a score, not a count or a fee
    "fraction": r"^-?0?[.,]\d+$|^[01]$",  # 0.035: a rate written as a fraction
}
EXCEL_ERROR = r"^(?:#(?:n/?a|value|valor|div/0|ref|name|nama|num|null|nulo|spill|calc|getting_data)[!?]?|n/a'|#+)$"
# A handle written without '@': one token of letters, digits, dots and underscores that either
# holds a dot, underscore or digit or is all lower case ('rina.id', 'kreator_baru_1', 'khaby');
# 'Music' or 'Ayu' read as words or names.
_TOKEN = r"^[a-z0-9._]*[a-z][a-z0-9._]*$"
# A display name: letters, and spaces between words, letters beyond ASCII, emoji, or a capital letter.
_DISPLAY_NAME = r"\s|[^\x00-\x7f]|^\p{Lu}"

# Creator size classes as sheets write them, in English, Indonesian and Malay.
TIER_WORDS = {
    "nano": ("nano",),
    "micro": ("micro", "mikro"),
    "mid": ("mid", "mid tier", "middle", "mid level", "menengah", "pertengahan", "sedang", "madya"),
    "macro": ("macro", "makro"),
    "mega": ("mega", "celebrity", "celeb", "selebriti", "seleb", "top tier", "artis"),
}
_TIER_SUFFIX = r"(?:\s+(?:influencer|influencers|kol|creator|kreator|tier|level))?"
_TIER_PREFIX = r"(?:(?:tier|kelas|kategori|level)\s+)?"
TIER_PATTERN = (rf"^{_TIER_PREFIX}(?:{'|'.join(w for words in TIER_WORDS.values() for w in words)})"
                rf"{_TIER_SUFFIX}$")


# A cell naming a platform ('IG', 'Tik Tok', 'YouTube Shorts', 'IG Reels'), as normalise_platform
# reads it, in one regex; a profile link names one too but is no platform word.
PLATFORM_PATTERN = (r"^(?:meta|x|x twitter|twitter x)$|(?:^|\s)(?:"
                    + "|".join(w for words in PLATFORM_WORDS.values() for w in words) + r")(?:\s|$)")


def _np_bool(mask) -> np.ndarray:
    return pc.fill_null(mask, False).to_numpy(zero_copy_only=False).astype(bool)


def sample_rows(cells: pd.DataFrame, size: int = SAMPLE_ROWS, blocks: int = 20) -> pd.DataFrame:
    """`size` rows of `cells` in `blocks` evenly spaced runs (all rows when there are few), so a
    sorted sheet is judged from its top, middle and bottom alike; runs are slices, no gather."""
    if len(cells) <= size:
        return cells
    run = size // blocks
    starts = np.linspace(0, len(cells) - run, blocks).astype(np.int64)
    return pd.concat([cells.iloc[start:start + run] for start in starts])


def _text(values: pd.Series) -> pa.ChunkedArray:
    """Filled cells as lower-case trimmed text (typed numbers written as text)."""
    text = pc.utf8_trim_whitespace(normalised_text(arrow_text(values)))
    return text.filter(pc.not_equal(text, ""))


def _shares(text: pa.ChunkedArray, original: pa.ChunkedArray) -> dict[str, float]:
    def share(mask) -> float:
        return float(pc.mean(pc.cast(pc.fill_null(mask, False), pa.float64())).as_py() or 0.0)

    shares = {kind: share(pc.match_substring_regex(text, pattern)) for kind, pattern in PATTERNS.items()}
    shares.pop("excel_error", None)
    token = pc.match_substring_regex(text, _TOKEN)
    marked = pc.or_(pc.match_substring_regex(text, r"[._0-9]"), pc.match_substring_regex(original, r"^[a-z]+$"))
    numeric = pc.or_(pc.match_substring_regex(text, PATTERNS["number"]),
                     pc.match_substring_regex(text, PATTERNS["compact"]))
    shares["bare_handle"] = share(pc.and_(pc.and_(token, marked), pc.invert(numeric)))
    lettered = pc.match_substring_regex(original, r"\p{L}")
    shares["display_name"] = share(pc.and_(lettered, pc.match_substring_regex(original, _DISPLAY_NAME)))
    squeezed = pc.utf8_trim_whitespace(pc.replace_substring_regex(text, r"[\s_/-]+", " "))
    shares["tier_word"] = share(pc.match_substring_regex(squeezed, TIER_PATTERN))
    shares["platform_word"] = share(pc.match_substring_regex(squeezed, PLATFORM_PATTERN))  # links: not words
    return shares


def profile_column(values: pd.Series) -> dict[str, float]:
    """The profile of one column's cells (see the module docstring); shares are of filled cells."""
    filled = values.dropna()
    out = dict.fromkeys(KINDS, 0.0) | {"filled": float(len(filled)), "distinct": 0.0, "distinct_count": 0.0,
                                       "blank": 1.0 - len(filled) / len(values) if len(values) else 1.0}
    if filled.empty:
        return out
    if not pd.api.types.is_numeric_dtype(filled.dtype):  # Excel errors say nothing of what the column holds
        error = _np_bool(pc.match_substring_regex(pc.utf8_lower(pc.utf8_trim_whitespace(arrow_text(filled))),
                                                  EXCEL_ERROR))
        if error.all():
            return out | {"excel_error": 1.0}
        out["excel_error"] = float(error.mean())
        filled = filled[~error]
    kinds = filled.map(type) if filled.dtype == object else None
    if pd.api.types.is_numeric_dtype(filled.dtype) or pd.api.types.is_bool_dtype(filled.dtype):
        typed_numbers = np.ones(len(filled), dtype=bool)
    else:
        typed_numbers = kinds.isin((int, float, np.int64, np.float64)).to_numpy() if kinds is not None else (
            np.zeros(len(filled), dtype=bool))
    typed_dates = kinds.isin((dt.date, dt.datetime, pd.Timestamp)).to_numpy() if kinds is not None else (
        np.zeros(len(filled), dtype=bool))
    typed = typed_numbers | typed_dates
    n, written = len(filled), filled[~typed]
    if len(written):  # text cells; typed cells count as what they are, not as their text
        original = pc.utf8_trim_whitespace(normalised_text(arrow_text(written.astype("str"))))
        out |= {kind: share * len(written) / n for kind, share in _shares(pc.utf8_lower(original), original).items()}
    if typed.any():
        numbers = pd.to_numeric(filled[typed_numbers], errors="coerce").to_numpy(float)
        out["number"] += typed_numbers.sum() / n
        out["date"] += typed_dates.sum() / n
        out["fraction"] += float(((numbers >= 0) & (numbers <= 1) & (numbers % 1 != 0)).sum()) / n
        out["small_decimal"] += float(((numbers < 100) & (numbers % 1 != 0)).sum()) / n
    original = pc.utf8_trim_whitespace(normalised_text(arrow_text(filled.astype("str"))))
    distinct = pc.count_distinct(pc.utf8_lower(original)).as_py()
    out["distinct_count"] = float(distinct)
    out["distinct"] = distinct / len(filled)
    return out


def profile_columns(cells: pd.DataFrame, size: int = SAMPLE_ROWS) -> pd.DataFrame:
    """One row per column of `cells` (index: the header), PROFILE_COLUMNS as columns."""
    sample = sample_rows(cells, size)
    rows = [profile_column(sample[header]) for header in sample.columns]
    return pd.DataFrame(rows, index=pd.Index(sample.columns, dtype=object), columns=list(PROFILE_COLUMNS))


def tier_words(values: pd.Series) -> pd.Series:
    """Tier words ('Micro', 'Mikro Influencer', 'tier mega') -> the tier id they name, else missing."""
    text = pc.utf8_lower(pc.utf8_trim_whitespace(normalised_text(arrow_text(values))))
    text = pc.utf8_trim_whitespace(pc.replace_substring_regex(text, r"[\s_/-]+", " "))
    text = pc.replace_substring_regex(text, rf"^{_TIER_PREFIX}|{_TIER_SUFFIX}$", "").combine_chunks()
    out = pa.nulls(len(text), pa.large_string())
    for tier, words in TIER_WORDS.items():
        hit = pc.fill_null(pc.is_in(text, value_set=pa.array(words, pa.large_string())), False)
        out = pc.if_else(hit, pa.scalar(tier, pa.large_string()), out)
    return pd.Series(pd.array(out, dtype="str"), index=values.index)

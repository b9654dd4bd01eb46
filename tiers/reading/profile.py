"""What a column holds, told by its cells and not its header: the shares of numbers, compact counts
(`12,5rb`, `1.2M`), percentages, money, dates, `@handles`, profile links, links to single posts, bare
handle tokens, display names, tier words and platform names among its filled cells, its distinct ratio
and its blank share.

One pass of each Arrow regex kernel over the cells of every column at once, on a sample of evenly
spaced runs of rows (a big sheet is judged by SAMPLE_ROWS of them), so profiling a million-row sheet
costs what profiling 2,000 rows does.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from tiers.reading.columns import PLATFORM_WORDS, arrow_text, normalised_text

SAMPLE_ROWS = 2_000
KINDS = ("number", "compact", "percent", "money", "date", "at_handle", "link", "post_link", "bare_handle",
         "display_name", "tier_word", "platform_word", "small_decimal", "fraction", "excel_error")
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
    # A link to one post, not a profile: Instagram /p/ /reel/ /tv/, TikTok /video/, YouTube watch / shorts / youtu.be
    "post_link": r"instagram\.com/(?:[^/?#\s]+/)?(?:p|reels?|tv)/|tiktok\.com/.*/(?:video|photo)/|"
                 r"youtube\.com/(?:watch|shorts/)|youtu\.be/|vt\.tiktok\.com/|facebook\.com/.*/(?:posts|videos)/",
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


def _kinds(text: pa.Array, original: pa.Array) -> dict[str, np.ndarray]:
    """Which written cells are of each kind (KINDS but the typed-only ones), one regex pass per kind
    over the cells of every column at once."""
    def match(array, pattern) -> np.ndarray:
        return _np_bool(pc.match_substring_regex(array, pattern))

    kinds = {kind: match(text, pattern) for kind, pattern in PATTERNS.items()}
    marked = match(text, r"[._0-9]") | match(original, r"^[a-z]+$")
    kinds["bare_handle"] = match(text, _TOKEN) & marked & ~kinds["number"] & ~kinds["compact"]
    figures = kinds["number"] | kinds["compact"] | kinds["percent"] | kinds["money"] | kinds["date"]
    kinds["display_name"] = match(original, r"\p{L}") & match(original, _DISPLAY_NAME) & ~figures
    squeezed = pc.utf8_trim_whitespace(pc.replace_substring_regex(text, r"[\s_/-]+", " "))
    kinds["tier_word"] = match(squeezed, TIER_PATTERN)
    kinds["platform_word"] = match(squeezed, PLATFORM_PATTERN)  # a profile link names one but is no word
    return kinds


def _typed(filled: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(typed numbers, typed dates) among a column's filled cells: what a workbook holds as such."""
    if pd.api.types.is_numeric_dtype(filled.dtype) or pd.api.types.is_bool_dtype(filled.dtype):
        return np.ones(len(filled), dtype=bool), np.zeros(len(filled), dtype=bool)
    if filled.dtype != object:
        return np.zeros(len(filled), dtype=bool), np.zeros(len(filled), dtype=bool)
    types = filled.map(type)
    return (types.isin((int, float, np.int64, np.float64)).to_numpy(),
            types.isin((dt.date, dt.datetime, pd.Timestamp)).to_numpy())


def profile_columns(cells: pd.DataFrame, size: int = SAMPLE_ROWS) -> pd.DataFrame:
    """One row per column of `cells` (index: the header), PROFILE_COLUMNS as columns. Shares are
    of the filled cells that are not Excel errors (an error says nothing of what a column holds)."""
    sample = sample_rows(cells, size).reset_index(drop=True)
    headers = list(sample.columns)
    typed_numbers, typed_dates, written, owner, counts = [], [], [], [], []
    for i, header in enumerate(headers):
        values = sample[header]
        filled = values[values.notna().to_numpy()]
        numbers, dates = _typed(filled)
        typed_numbers.append(pd.to_numeric(filled[numbers], errors="coerce").to_numpy(float))
        typed_dates.append(int(dates.sum()))
        text = pc.utf8_trim_whitespace(normalised_text(arrow_text(filled[~(numbers | dates)].astype("str"))))
        written.append(text)
        owner.append(np.full(len(text), i))
        distinct = pc.count_distinct(pc.utf8_lower(arrow_text(filled.astype("str")))).as_py() if len(filled) else 0
        counts.append((len(filled), 1 - len(filled) / len(sample) if len(sample) else 1.0, distinct,
                       distinct / len(filled) if len(filled) else 0.0))
    original = pa.chunked_array([chunk for text in written for chunk in text.chunks], pa.large_string())
    original = original.combine_chunks() if original.num_chunks else pa.array([], pa.large_string())
    owner = np.concatenate(owner) if owner else np.array([], dtype=np.int64)
    text = pc.utf8_lower(original)
    error = _np_bool(pc.match_substring_regex(text, EXCEL_ERROR))

    def per_column(mask: np.ndarray) -> np.ndarray:
        return np.bincount(owner[mask], minlength=len(headers)).astype(float)

    out = pd.DataFrame(0.0, index=pd.Index(headers, dtype=object), columns=list(PROFILE_COLUMNS))
    out[["filled", "blank", "distinct_count", "distinct"]] = np.array(counts, dtype=float).reshape(-1, 4)
    errors = per_column(error)
    read = np.array([len(n) for n in typed_numbers]) + np.array(typed_dates) + per_column(~error)
    share = np.where(read > 0, 1 / np.maximum(read, 1), 0.0)
    for kind, mask in _kinds(text, original).items():
        out[kind] = per_column(mask & ~error) * share
    numbers = [np.asarray(n) for n in typed_numbers]
    out["number"] += np.array([len(n) for n in numbers]) * share
    out["date"] += np.array(typed_dates) * share
    out["fraction"] += np.array([((n >= 0) & (n <= 1) & (n % 1 != 0)).sum() for n in numbers]) * share
    out["small_decimal"] += np.array([((n < 100) & (n % 1 != 0)).sum() for n in numbers]) * share
    out["excel_error"] = np.where(out["filled"] > 0, errors / np.maximum(out["filled"].to_numpy(), 1), 0.0)
    return out


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

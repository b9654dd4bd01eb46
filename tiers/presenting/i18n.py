"""Every user-facing string, in gettext catalogues (locales/<lang>/LC_MESSAGES/tierscope.po), and
every number, percentage, amount and date formatted by Babel from CLDR.

Messages are named by keys ("page_roster"); `translator(lang)` returns a function that looks a key
up and fills `{placeholders}`. English is a catalogue like the others. A test checks that every
language has every message, with the same placeholders as English.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pandas as pd
from babel import dates, numbers
from babel.messages.pofile import read_po

LOCALES = Path(__file__).parent / "locales"  # <lang>/LC_MESSAGES/tierscope.po, one catalogue per language
DOMAIN = "tierscope"
LANGUAGES = {"en": "English", "id": "Bahasa Indonesia", "ms": "Bahasa Melayu"}  # code -> name in the picker
LANGUAGE_CURRENCIES = {"ms": "MYR"}  # the currency of fees written without one, for users of that language


@cache
def catalogue(lang: str) -> dict[str, str]:
    """A language's messages, key -> text, read from its gettext catalogue (.po)."""
    with open(LOCALES / lang / "LC_MESSAGES" / f"{DOMAIN}.po", "rb") as source:
        return {message.id: message.string for message in read_po(source) if message.id and message.string}


def has_text(key: str) -> bool:
    """Whether `key` names a message (a column or code with a display name)."""
    return key in catalogue("en")


def translator(lang: str) -> Callable[..., str]:
    """t(key, **values) in `lang` (English when the language is unknown); `t.lang` says which, for
    the number formats of what it labels."""
    lang = lang if lang in LANGUAGES else "en"

    texts = catalogue(lang)

    def t(key: str, **values: object) -> str:
        text = texts[key]
        return text.format(**values) if values else text

    t.lang = lang
    return t


NO_VALUE = "–"  # shown for a figure the roster has no data for


def format_count(value: float, lang: str) -> str:
    """12500 -> '12,500' (English) or '12.500' (Indonesian), by CLDR's rules for the language."""
    if pd.isna(value):
        return NO_VALUE
    return numbers.format_decimal(round(value), format="#,##0", locale=lang)


def format_moment(moment: dt.datetime) -> str:
    """A saved time, the same in every language until the UI has a time zone: '2026-11-24 09:03 UTC'."""
    return dates.format_datetime(moment, "yyyy-MM-dd HH:mm 'UTC'", tzinfo=dt.UTC, locale="en")


def format_date(day: dt.date, lang: str) -> str:
    """'1 Dec 2026' (English) or '1 Des 2026' (Indonesian)."""
    return dates.format_date(day, "d MMM y", locale=lang)


def format_units(header_units: dict[str, float], lang: str) -> str:
    """{'Followers (K)': 1000} -> 'Followers (K) ×1,000' (×1.000 in Indonesian)."""
    return ", ".join(f"{header} ×{format_count(unit, lang)}" for header, unit in header_units.items())


def format_percent(value: float, lang: str, digits: int = 1, signed: bool = False) -> str:
    """0.035 -> '3.5%' (English) or '3,5%' (Indonesian); signed: '+3.5%' and '-3.5%'."""
    if pd.isna(value):
        return NO_VALUE
    pattern = "#,##0" + ("." + "0" * digits if digits else "") + "%"
    return numbers.format_percent(value, format=f"+{pattern};-{pattern}" if signed else pattern, locale=lang)


# What the numbers of each known column are, for every table, workbook and page that shows them.
COLUMN_KINDS = {
    **dict.fromkeys(("engagement_rate", "engagement_rate_roster", "er_vs_norm", "norm_low", "norm_high", "median_er",
                     "growth", "er_before", "er_after", "er_change"), "percent"),
    **dict.fromkeys(("followers", "expected_engagements", "reach", "engagements_per_million", "reach_per_million",
                     "creators", "creators_with_fee", "likes", "comments", "engagements", "views",
                     "followers_before", "followers_after"), "count"),
    **dict.fromkeys(("fee", "fees", "cpe", "cpm"), "money"),
}
SIGNED = ("growth",)  # percentages written with their sign: +3.5%


def localise_labels(frame, t: Callable[..., str]):
    """Tier, platform and verdict codes -> display names in the table's language (vectorised)."""
    out = frame.copy()
    for column, prefix in (("tier", "tier_"), ("tier_before", "tier_"), ("tier_after", "tier_"),
                           ("platform", "platform_"), ("verdict", "verdict_"), ("grade", "grade_"),
                           ("change", "change_"), ("move", "move_"), ("matched_by", "matched_by_")):
        if column in out.columns:
            codes = out[column].astype("object")
            names = {code: t(prefix + code) for code in codes.dropna().unique() if has_text(prefix + code)}
            out[column] = codes.map(names)
    return out.rename(columns=lambda c: t(f"field_{c}") if has_text(f"field_{c}") else c)


def format_money(value: float, currency: str, lang: str) -> str:
    """Compact amounts by CLDR: 'Rp1,5 jt', 'Rp250 rb', 'Rp2,1 M' (Indonesian); 'IDR1.5M', '$1.2K' (English)."""
    if pd.isna(value):
        return NO_VALUE
    return numbers.format_compact_currency(value, currency, locale=lang, fraction_digits=1)

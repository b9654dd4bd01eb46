"""Every user-facing string, in gettext catalogues (locales/<lang>/LC_MESSAGES/tierscope.po), and
every number, percentage, amount and date formatted by Babel from CLDR.

Messages are named by keys ("page_roster"); `translator(lang)` returns a function that looks a key
up and fills `{placeholders}`. English is a catalogue like the others. A test checks that every
language has every message, with the same placeholders as English.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import string
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd
from babel import Locale, dates, numbers
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


class _LocalFormatter(string.Formatter):
    """str.format whose number fields are written in a language: {x:g} 3,5 and {n:,} 1.000 in Indonesian,
    {share:.0%} 25%."""

    def __init__(self, lang: str):
        self.lang = lang

    def format_field(self, value, spec: str) -> str:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return super().format_field(value, spec)
        if spec.endswith("%"):
            return format_percent(value, self.lang, digits=int(spec.strip(".%") or 0))
        if spec in ("g", ","):
            return numbers.format_decimal(value, format="#,##0.###", locale=self.lang)
        return super().format_field(value, spec)


def format_message(text: str, lang: str, **values: object) -> str:
    """`text.format(**values)` with every number in `lang`'s style (for data files' sentences, like flags.toml)."""
    return _LocalFormatter(lang).format(text, **values)


NO_VALUE = "–"  # shown for a figure the roster has no data for
ZONES = {"en": "Asia/Jakarta", "id": "Asia/Jakarta", "ms": "Asia/Kuala_Lumpur"}  # where each language's users are
ZONE_NAMES = {"Asia/Kuala_Lumpur": "MYT", "Asia/Singapore": "SGT"}  # where the zone database has no letters
ZONE_SETTING = "TIERSCOPE_TIMEZONE"  # an IANA zone ("Asia/Makassar") that overrides the language's


# What the numbers of each known column are, for every table, chart, workbook and page that shows them. The kind
# decides the precision; the language decides the marks (CLDR, through Babel).
KINDS = ("count", "money", "rate", "ratio")
COLUMN_KINDS = {
    **dict.fromkeys(("engagement_rate", "engagement_rate_roster", "er_vs_norm", "norm_low", "norm_high", "median_er",
                     "growth", "er_before", "er_after", "er_change", "median_growth", "share"), "rate"),
    **dict.fromkeys(("followers", "expected_engagements", "reach", "engagements_per_million", "reach_per_million",
                     "creators", "creators_with_fee", "likes", "comments", "shares", "saves", "engagements", "views",
                     "followers_before", "followers_after", "er_percentile", "accounts"), "count"),
    **dict.fromkeys(("fee", "fees", "cpe", "cpm", "cost_per_follower"), "money"),
    # A campaign's results (tiers.analysis.results): what its posts delivered
    **dict.fromkeys(("er_followers", "er_views", "engagements_vs_plan", "emv_roi"), "rate"),
    **dict.fromkeys(("posts", "post_views", "post_engagements", "impressions", "clicks", "conversions", "voucher",
                     "planned_creators", "planned_engagements"), "count"),
    **dict.fromkeys(("post_fee", "package_fee", "cpv", "emv", "revenue", "cost_per_conversion", "planned_fees",
                     "planned_cpe"), "money"),
    "roas": "ratio",
}
SIGNED = ("growth", "er_change", "median_growth")  # written with their sign: +3.5%
RATE_DIGITS = 1  # every percentage a person reads: 2.7%, 10.6%
RATIO_DIGITS = 1  # z-scores, multiples: 3.5
MONEY_DIGITS = {"IDR": 0}  # whole rupiah; other currencies in cents


def _grouped(digits: int) -> str:
    """A number pattern with grouping and `digits` decimals: '#,##0', '#,##0.0' (CLDR's and Excel's syntax)."""
    return "#,##0" + ("." + "0" * digits if digits else "")


def _digits(kind: str, currency: str = "IDR") -> int:
    return {"count": 0, "rate": RATE_DIGITS, "ratio": RATIO_DIGITS, "money": MONEY_DIGITS.get(currency, 2)}[kind]


def _pattern(kind: str, currency: str = "IDR", signed: bool = False, digits: int | None = None) -> str:
    """The CLDR number pattern of a kind: grouping always, the kind's decimals, a sign when asked."""
    digits = _digits(kind, currency) if digits is None else digits
    pattern = ("¤" if kind == "money" else "") + _grouped(digits) + ("%" if kind == "rate" else "")
    return f"+{pattern};-{pattern}" if signed else pattern


@cache
def _locale(lang: str) -> Locale:
    """The language's CLDR locale, parsed once (babel parses a locale name on every call: most of its time)."""
    return Locale.parse(lang)


def _babel(value, kind: str, lang: str, currency: str, signed: bool, digits: int) -> str:
    pattern = _pattern(kind, currency, signed, digits)
    if kind == "money":
        return numbers.format_currency(value, currency, format=pattern, locale=_locale(lang), currency_digits=False)
    if kind == "rate":
        return numbers.format_percent(value, format=pattern, locale=_locale(lang))
    return numbers.format_decimal(value, format=pattern, locale=_locale(lang))


@dataclass(frozen=True)
class _Written:
    """How one kind of figure is written in a language, learnt from Babel once: the text before and after the
    digits (sign, currency symbol, per cent sign) and the language's marks. Writing a figure is then Python's
    own Decimal formatting, rounded as Babel rounds (half to even, on the decimal the float prints as), about
    twenty times quicker than Babel, which reads its pattern again for every figure: a 10,000-row table or
    chart has tens of thousands of them."""

    before: tuple[str, str]  # (positive, negative)
    after: tuple[str, str]
    marks: dict[int, str]  # ',' and '.' of Python's format -> the language's group and decimal marks
    quantum: Decimal
    scale: int  # a power of ten: 2 for a percentage

    def write(self, value) -> str:
        number = Decimal(str(value)).scaleb(self.scale)
        sign = int(number.is_signed())
        digits = f"{abs(number).normalize().quantize(self.quantum):,f}".translate(self.marks)
        return self.before[sign] + digits + self.after[sign]


@cache
def _written(kind: str, lang: str, currency: str, signed: bool, digits: int) -> _Written | None:
    """None when the pattern is not one this shortcut writes exactly as Babel does (then Babel writes it)."""
    locale = _locale(lang)
    marks = str.maketrans({",": numbers.get_group_symbol(locale), ".": numbers.get_decimal_symbol(locale)})
    scale = 2 if kind == "rate" else 0
    core = f"{Decimal(1234567):,.{digits}f}".translate(marks)
    sides = []
    for probe in (1234567, -1234567):
        text = _babel(Decimal(probe).scaleb(-scale), kind, lang, currency, signed, digits)
        if text.count(core) != 1:
            return None
        sides.append(text.split(core))
    style = _Written((sides[0][0], sides[1][0]), (sides[0][1], sides[1][1]), marks,
                     Decimal(1).scaleb(-digits), scale)
    checks = (0.0, -0.004, 0.125, 2.675, -1565.5, 12.5, 999999.95, 3.2e11)
    return style if all(style.write(v) == _babel(v, kind, lang, currency, signed, digits) for v in checks) else None


def _number(value, kind: str, lang: str, currency: str, signed: bool, digits: int) -> str:
    written = _written(kind, lang, currency, signed, digits) if math.isfinite(value) else None
    return written.write(value) if written else _babel(value, kind, lang, currency, signed, digits)


def format_number(value: float, kind: str, lang: str, currency: str = "IDR", signed: bool = False) -> str:
    """One figure as a person reads it: the kind's precision, the language's marks; NO_VALUE when missing.
    12500 count -> '12,500' / '12.500'; 0.0271 rate -> '2.7%' / '2,7%'; 1565.5 IDR -> 'Rp1.566' (id)."""
    if value is None or pd.isna(value):
        return NO_VALUE
    return _number(round(value) if kind == "count" else value, kind, lang, currency if kind == "money" else "",
                   signed, _digits(kind, currency))


def format_count(value: float, lang: str) -> str:
    """12500 -> '12,500' (English) or '12.500' (Indonesian), by CLDR's rules for the language."""
    return format_number(value, "count", lang)


def format_percent(value: float, lang: str, digits: int = RATE_DIGITS, signed: bool = False) -> str:
    """0.035 -> '3.5%' (English) or '3,5%' (Indonesian); signed: '+3.5%' and '-3.5%'. Every percentage a
    person reads has RATE_DIGITS; other digits are for the words of data files ('{share:.0%}')."""
    if value is None or pd.isna(value):
        return NO_VALUE
    return _number(value, "rate", lang, "", signed, digits)


def format_compact(value: float, lang: str, currency: str | None = None) -> str:
    """Short figures for chart axes and labels: '1,2 jt', '250 rb' (id), '1.2M' (en), '1.2J' (ms);
    with a currency 'Rp1,5 jt'."""
    if value is None or pd.isna(value):
        return NO_VALUE
    if currency:
        return numbers.format_compact_currency(value, currency, locale=_locale(lang), fraction_digits=1)
    return numbers.format_compact_decimal(value, locale=_locale(lang), fraction_digits=1)


def format_money(value: float, currency: str, lang: str) -> str:
    """Compact amounts by CLDR: 'Rp1,5 jt', 'Rp250 rb', 'Rp2,1 M' (Indonesian); 'IDR1.5M', '$1.2K' (English);
    an amount under a thousand, which has no compact form, in the currency's digits ('Rp377', 'RM12.50')."""
    if value is not None and pd.notna(value) and abs(value) < 1000:
        return format_number(value, "money", lang, currency)
    return format_compact(value, lang, currency)


def format_amount(value: float, currency: str, lang: str) -> str:
    """A whole amount with its currency and grouping: 'Rp14.500.000' (id), 'IDR14,500,000' (en)."""
    return format_number(value, "money", lang, currency)


def excel_format(kind: str, lang: str, currency: str = "IDR") -> str:
    """The workbook's number format of a kind, written with the language's symbols where Excel allows:
    Excel takes its decimal and group marks from the reader's system, so the pattern says the precision and the
    currency symbol in the language's style ('"Rp"#,##0' in Indonesian, '"IDR"#,##0' in English)."""
    pattern = _grouped(_digits(kind, currency))
    if kind == "rate":
        return pattern + "%"
    if kind == "money":
        return f'"{numbers.get_currency_symbol(currency, locale=lang)}"{pattern}'
    return pattern


def zone(lang: str) -> ZoneInfo:
    """The time zone saved times are shown in: TIERSCOPE_TIMEZONE, else the language's."""
    configured = os.environ.get(ZONE_SETTING, "")
    try:
        return ZoneInfo(configured or ZONES.get(lang, "UTC"))
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(ZONES.get(lang, "UTC"))


def format_moment(moment: dt.datetime, lang: str = "en") -> str:
    """A saved time in the reader's zone and the language's style: '1 Des 2026 14.38 WIB' (id)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    local = moment.astimezone(zone(lang))
    name = local.tzname() or ""
    name = name if name[:1].isalpha() else ZONE_NAMES.get(local.tzinfo.key, "UTC" + name)  # '+08' -> 'MYT'
    day = dates.format_date(local, "d MMM y", locale=lang)
    return f"{day} {dates.format_time(local, 'short', locale=lang)} {name}"


def format_date(day: dt.date, lang: str) -> str:
    """'1 Dec 2026' (English) or '1 Des 2026' (Indonesian)."""
    return dates.format_date(day, "d MMM y", locale=lang)


def format_units(header_units: dict[str, float], lang: str) -> str:
    """{'Followers (K)': 1000} -> 'Followers (K) ×1,000' (×1.000 in Indonesian)."""
    return ", ".join(f"{header} ×{format_count(unit, lang)}" for header, unit in header_units.items())


LABELLED = (("tier", "tier_"), ("tier_before", "tier_"), ("tier_after", "tier_"), ("platform", "platform_"),
            ("verdict", "verdict_"), ("grade", "grade_"), ("change", "change_"), ("move", "move_"),
            ("matched_by", "matched_by_"), ("nano_type", "nano_"))


def column_name(column: str, t: Callable[..., str]) -> str:
    """A column's display name in the table's language (its field_ message), else the column as it is."""
    return t(f"field_{column}") if has_text(f"field_{column}") else column


# What the reading says, in English as the CLI writes it and the roster stores it (a row's reason and
# warning, a file's refusal), is made from these catalogue messages; `said` writes it in a person's language
# by matching the English back to its message. A `{detail}` is itself such a message ("column 'X': {detail}").
SAID_PREFIXES = ("problem_", "refusal_")
SAID_COLUMNS = ("reason", "warning")
SAID_MESSAGES = ("detail", "where")  # fields that are messages themselves
SAID_NUMBERS = ("rows", "columns", "cells", "limit", "size", "minutes", "seconds", "number")  # in English's marks
_ENGLISH_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})*(?:\.\d+)?")


@cache
def _said_patterns() -> tuple[tuple[str, re.Pattern], ...]:
    """(key, pattern) for each message the reading says, the most literal text first, so that
    "column 'X': negative, left blank" is that message and not "column 'X': {detail}"."""
    patterns = []
    for key, text in catalogue("en").items():
        if key.startswith(SAID_PREFIXES):
            parts, fields, literal_length = [], set(), 0
            for literal_text, field, _spec, _conversion in string.Formatter().parse(text):
                parts.append(re.escape(literal_text))
                literal_length += len(literal_text)
                if field is not None:
                    # A value never holds "; ", which joins a row's warnings; a message in it may.
                    value = ".+?" if field in SAID_MESSAGES else "(?:(?!; ).)+?"
                    parts.append(f"(?P={field})" if field in fields else f"(?P<{field}>{value})")
                    fields.add(field)
            patterns.append((literal_length, key, re.compile("".join(parts), re.DOTALL)))
    return tuple((key, pattern) for _, key, pattern in sorted(patterns, key=lambda item: -item[0]))


@lru_cache(maxsize=8192)  # bounded: a reason quotes its cell, so a big roster has many distinct ones
def _said_one(text: str, lang: str) -> str | None:
    """One message in `lang`, or None when `text` is none of the reading's messages."""
    for key, pattern in _said_patterns():
        match = pattern.fullmatch(text)
        if match:
            values = match.groupdict()
            inner = {field: _said_one(values[field], lang) for field in SAID_MESSAGES if field in values}
            if None in inner.values():
                continue  # "column 'X': {detail}" only when its detail is a message too
            values |= inner
            for field in SAID_NUMBERS:
                if field in values and _ENGLISH_NUMBER.fullmatch(values[field]):
                    values[field] = numbers.format_decimal(float(values[field].replace(",", "")), locale=lang)
            return catalogue(lang)[key].format(**values)
    return None


def said(text: object, lang: str) -> str:
    """What the reading said (`text`: English, or a RosterError) in `lang`. Several warnings joined with
    '; ' are said one by one; text that is none of the reading's messages stays as it is."""
    text = str(text)
    if lang not in LANGUAGES or lang == "en" or not text:
        return text
    whole = _said_one(text, lang)
    if whole is not None:
        return whole
    pieces = text.split("; ")
    for cut in range(len(pieces) - 1, 0, -1):  # the longest first message, then the rest
        head = _said_one("; ".join(pieces[:cut]), lang)
        if head is not None:
            return head + "; " + said("; ".join(pieces[cut:]), lang)
    return text


_CREATOR_ID = re.compile(r"(?:(?P<sheet>.*)!)?c(?P<row>\d+)")


def _creator_label(creator: str, t: Callable[..., str]) -> str:
    """"row 12" for the creator whose first account is on row 12 ("TikTok row 12" when several sheets were read)."""
    match = _CREATOR_ID.fullmatch(str(creator))
    if match is None:
        return str(creator)
    row = match["row"]
    return t("creator_sheet_row", sheet=match["sheet"], row=row) if match["sheet"] else t("creator_row", row=row)


def localise_labels(frame, t: Callable[..., str]):
    """Tier, platform, verdict (...) codes -> display names, yes / no for flags, column names in the table's
    language (vectorised: each distinct code once)."""
    out = frame.copy()
    for column, prefix in LABELLED:
        if column in out.columns:
            codes = out[column].astype("object")
            names = {code: t(prefix + str(code).replace("-", "_")) for code in codes.dropna().unique()
                     if has_text(prefix + str(code).replace("-", "_"))}
            out[column] = codes.map(names).where(codes.isna() | codes.isin(list(names)), codes)
    if "creator" in out.columns:  # a creator's id ("c12", "TikTok!c12") names the row of their first account
        ids = out["creator"].astype("object")
        out["creator"] = ids.map({id_: _creator_label(id_, t) for id_ in ids.dropna().unique()})
    for column in SAID_COLUMNS:
        if column in out.columns and out[column].notna().any():
            texts = out[column].astype("object")
            out[column] = texts.map({text: said(text, getattr(t, "lang", "en")) for text in texts.dropna().unique()})
    for column in out.columns:
        if pd.api.types.is_bool_dtype(out[column]):
            out[column] = out[column].map({True: t("value_yes"), False: t("value_no")}).astype("object")
    return out.rename(columns=lambda c: column_name(c, t))


def format_frame(frame: pd.DataFrame, lang: str, currency: str = "IDR") -> pd.DataFrame:
    """A table as a person reads it: every known number column as text by its kind (COLUMN_KINDS), codes as
    their names, yes / no for flags, missing values blank (never None or nan); column names in `lang`.
    Each distinct value is formatted once (a page of a table, a slide, a report)."""
    out = frame.copy()
    for column in out.columns:
        kind = COLUMN_KINDS.get(column)
        if kind and pd.api.types.is_numeric_dtype(out[column]) and not pd.api.types.is_bool_dtype(out[column]):
            values = out[column].astype("float64")
            shown = {v: format_number(v, kind, lang, currency, column in SIGNED) for v in values.dropna().unique()}
            out[column] = values.map(shown).astype("object")
    out = localise_labels(out, translator(lang))
    return out.astype("object").where(out.notna(), "").astype("str")


def edited_texts(base) -> dict[str, dict[str, str]]:
    """A norm set edited in the app, named and sourced in every language from the set it was edited from."""
    return {lang: {"name": translator(lang)("custom_name", base=base.text("name", lang)),
                   "source": base.text("source", lang), "er_definition": base.text("er_definition", lang)}
            for lang in LANGUAGES}


def crosstab_table(crosstab: pd.DataFrame, a, b, lang: str) -> pd.DataFrame:
    """Creators per tier under scheme `a` (rows) and `b` (columns), as text, the corner naming both schemes."""
    t = translator(lang)
    out = crosstab.map(lambda n: format_count(n, lang))
    out.columns = [t(f"tier_{tier}") for tier in crosstab.columns]
    return out.rename(index=lambda tier: t(f"tier_{tier}")).rename_axis(f"{a.name} → {b.name}").reset_index()

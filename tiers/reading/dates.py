"""The date a roster file's name gives it ('KOL 2026-12.xlsx', 'roster_Desember_2026.csv'): agencies
name monthly exports by month, in English or Indonesian. A month alone means its first day."""

from __future__ import annotations

import datetime as dt
import re

_MONTH_WORDS = (  # English and Indonesian names and abbreviations, January first
    ("jan", "january", "januari"), ("feb", "february", "februari", "pebruari"), ("mar", "march", "maret"),
    ("apr", "april"), ("may", "mei"), ("jun", "june", "juni"), ("jul", "july", "juli"),
    ("aug", "agu", "agt", "agus", "august", "agustus"), ("sep", "sept", "september"),
    ("oct", "okt", "october", "oktober"), ("nov", "nop", "november", "nopember"),
    ("dec", "des", "december", "desember"),
)
MONTHS = {word: number for number, words in enumerate(_MONTH_WORDS, start=1) for word in words}
_YEAR = r"(?P<year>20\d\d)"
_MONTH_NAME = r"(?P<name>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + ")"
_PATTERNS = (  # tried in order; the first that makes a real date wins
    rf"(?<!\d){_YEAR}[-_. ]?(?P<month>0[1-9]|1[0-2])[-_. ]?(?P<day>0[1-9]|[12]\d|3[01])(?!\d)",  # 2026-12-05, 20261205
    rf"(?<!\d)(?P<day>0?[1-9]|[12]\d|3[01])[-_. ](?P<month>0?[1-9]|1[0-2])[-_. ]{_YEAR}(?!\d)",  # 05-12-2026
    rf"(?<!\d){_YEAR}[-_. ](?P<month>0?[1-9]|1[0-2])(?!\d)",  # 2026-12
    rf"(?<!\d)(?P<month>0?[1-9]|1[0-2])[-_. ]{_YEAR}(?!\d)",  # 12-2026
    rf"(?<!\d)(?:(?P<day>0?[1-9]|[12]\d|3[01])[-_. ]?)?(?<![a-z]){_MONTH_NAME}(?![a-z])[-_. ]?'?{_YEAR}(?!\d)",
    rf"(?<![a-z]){_MONTH_NAME}(?![a-z])[-_. ]?'?(?P<short>\d\d)(?!\d)",  # Des'26, dec26
)


def date_in_name(file_name: str) -> dt.date | None:
    """The date a file's name states, or None."""
    stem = file_name.rsplit("/", 1)[-1].lower()
    for pattern in _PATTERNS:
        for found in re.finditer(pattern, stem):
            parts = found.groupdict()
            year = int(parts["year"]) if parts.get("year") else 2000 + int(parts["short"])
            month = int(parts["month"]) if parts.get("month") else MONTHS[parts["name"]]
            try:
                return dt.date(year, month, int(parts.get("day") or 1))
            except ValueError:
                continue
    return None

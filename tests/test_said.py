"""What the reading says (a row's reason and warning, a file's refusal) reaches a person in their language.

The reading writes English (the CLI's and the stored roster's words); `said` finds the catalogue message each
sentence was made from and writes it in the reader's language. These tests make the reading say each thing
it can say and check that none of it is left in English.
"""

from __future__ import annotations

import string

import pytest

from tests import hostile_files
from tests.helpers import csv_bytes, xlsx_bytes
from tiers.analysis.classify import analyse
from tiers.presenting.i18n import SAID_MESSAGES, SAID_NUMBERS, SAID_PREFIXES, catalogue, format_frame, said
from tiers.reading.posts import read_posts_file
from tiers.reading.read import RosterError, read_table
from tiers.reading.roster import build_roster

SAID_KEYS = sorted(key for key in catalogue("en") if key.startswith(SAID_PREFIXES))

PROBLEMS = csv_bytes([
    "Handle,Platform,Followers,Likes,Comments,ER,Fee,Tier",
    "@ok,IG,12000,100,5,2%,Rp 1.000.000,micro",
    "@blank_count,IG,,100,5,,,",
    "@word,IG,banyak,100,5,,,",
    "@negative,IG,-5,100,5,,,",
    "@zero,IG,0,100,5,,,",
    "@huge,IG,20000000000,100,5,,,",
    "@half,IG,1000.5,100,5,,,",
    ",IG,5000,100,5,,,",
    "@ok,IG,13000,100,5,,,",
    "@bad_likes,IG,5000,lots,-3,,,",
    "@bad_rate,IG,5000,10,1,tinggi,,",
    "@bad_fee,IG,5000,10,1,,mahal,",
    "@range,IG,5000,10,1,,Rp1-2jt,",
    "@neg_fee,IG,5000,10,1,,-500,",
    "@rate,IG,5000,10,1,350%,,",
    "@rounded,IG,1.2E+06,10,1,,,",
    "@usd,IG,5000,10,1,,$300,",
    "@tier,IG,5000,10,1,,,giant",
    "@unit,IG,12 zz,10,1,,,",
    "@digits,IG,12345678901234567890,10,1,,,",
    ",,,,,,,",
    "TOTAL,,1262376,,,,,",
])

REFUSALS = {
    "empty.csv": b"",
    "page.csv": b"<!doctype html><html><body><table><tr><td>x</td></tr></table></body></html>",
    "binary.csv": bytes(range(256)) * 8,
    "broken.xlsx": b"not a workbook at all, only its name",
    "no_followers.csv": csv_bytes(["Handle,Platform,Likes", "@a,IG,10"]),
    "header_only.csv": csv_bytes(["Handle,Platform,Followers"]),
    "tier_only.csv": csv_bytes(["Handle,Platform,Tier", "@a,IG,micro"]),
    "wide.csv": hostile_files.wide_header_csv(17_000),
    "far.xlsx": hostile_files.far_cell_xlsx(),
    "bomb.xlsx": hostile_files.zip_bomb_xlsx(),
}


def _english_values(text: str) -> dict[str, str]:
    """Values to fill a message with: a message itself where the field is one, an English number where
    the field is a number, else a plain word."""
    values = {}
    for _, field, _, _ in string.Formatter().parse(text):
        if field in SAID_MESSAGES:
            values[field] = catalogue("en")["problem_negative"]
        elif field in SAID_NUMBERS:
            values[field] = "12,345"
        elif field:
            values[field] = f"Kol{field.title()}"
    return values


@pytest.mark.parametrize("lang", ["id", "ms"])
@pytest.mark.parametrize("key", SAID_KEYS)
def test_each_message_is_said_in_the_language(key, lang):
    english = catalogue("en")[key]
    values = _english_values(english)
    expected = dict(values)
    for field in SAID_MESSAGES:
        if field in expected:
            expected[field] = catalogue(lang)["problem_negative"]
    for field in SAID_NUMBERS:
        if field in expected:
            expected[field] = "12.345" if lang == "id" else "12,345"
    assert said(english.format(**values), lang) == catalogue(lang)[key].format(**expected)


def _messages(texts) -> set[str]:
    return {text for text in texts if isinstance(text, str) and text}


def _reading_says() -> set[str]:
    roster = build_roster(read_table(PROBLEMS, "problems.csv"))
    analysed = analyse(roster, "partipost")
    said_about_rows = _messages(roster.rows["reason"]) | _messages(analysed["warning"])
    duplicate_across_sheets = build_roster(read_table(xlsx_bytes({
        "TikTok": [["Handle", "Followers"], ["@a", 1000], ["@a", 2000]],
        "Instagram": [["Handle", "Followers"], ["@b", 1000]]}), "two.xlsx", "*"))
    pasted = build_roster(read_table(csv_bytes(["Handle,Followers", "@a,1000", "Handle,Followers", "@b,2000"]),
                                     "pasted.csv"))
    said_about_rows |= _messages(pasted.rows["reason"])
    posts = read_posts_file(csv_bytes([
        "Creator,Post link,Views,Likes", "@a,https://www.tiktok.com/@a/video/1,100,10",
        "@a,https://www.tiktok.com/@a/video/1,100,10", ",,,", "@b,,,", "@c,,-4,1", "TOTAL,,200,20"]),
        "posts.csv", isolated=False)
    return (said_about_rows | _messages(duplicate_across_sheets.rows["reason"])
            | _messages(posts.rows["reason"]))


def test_every_reason_and_warning_the_reading_gives_is_said_in_indonesian():
    messages = _reading_says()
    assert len(messages) >= 20  # the roster above hits every check; fewer means a check stopped firing
    english = {text: said(text, "id") for text in messages if said(text, "id") == text}
    assert not english


@pytest.mark.parametrize("name", sorted(REFUSALS))
def test_every_refusal_is_said_in_indonesian(name):
    with pytest.raises(RosterError) as refused:
        build_roster(read_table(REFUSALS[name], name))
    english = str(refused.value)
    assert english.startswith(name + ": ")
    indonesian = said(refused.value, "id")
    assert indonesian != english and indonesian.startswith(name + ": ")


def test_tables_say_reasons_in_the_tables_language():
    rows = build_roster(read_table(PROBLEMS, "problems.csv")).rows
    rejected = rows[rows["handle"] == "word"][["handle", "reason"]]
    assert format_frame(rejected, "id").iloc[0, 1] == "kolom 'Followers': 'banyak' bukan angka"
    assert format_frame(rejected, "ms").iloc[0, 1] == "lajur 'Followers': 'banyak' bukan nombor"
    assert format_frame(rejected, "en").iloc[0, 1] == "column 'Followers': 'banyak' is not a number"


def test_text_that_is_no_message_of_the_reading_stays_as_written():
    assert said("Rina; Budi", "id") == "Rina; Budi"
    assert said("column 'X': something the reading never says", "id") == "column 'X': something the reading never says"

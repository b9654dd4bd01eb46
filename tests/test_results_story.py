"""Campaign results in every deliverable: the story's "Campaign results" sections (page, deck, report), the
workbook's sheets of posts and tiers, a client's link that hides fees or shows the shortlist alone, and the
Roster page's hint that an upload is a sheet of posts. Totals worked out by hand from tests/test_results.py's
sheet (partipost tiers; Dewi is not in the roster, Tono's likes are 'banyak' so his row is rejected):

  Sari  nano   400+30+10+10 = 450 engagements, 3,000 views, fee Rp 500rb
  Rina  micro  (500+20+5+3) + (300+10+2+1) = 841 (the story has no likes), 18,000 views, one package Rp 3.000.000
  Dewi  macro  900+50+20+30 = 1,000, 20,000 views, Rp 2.000.000
  Budi  mega   (20,000+800+300+100) + (5,000+200+100+50) = 26,550, 2,000,000 views, one package Rp 10.000.000
"""

from __future__ import annotations

import html
import io
import re
import zipfile

import pandas as pd
import pytest
import python_calamine

from tests.helpers import csv_bytes, roster_of
from tests.test_results import ROSTER, results_workbook
from tests.visible_text import deck_text, problems, report_text, workbook_text
from tiers.analysis.changes import compare_snapshots
from tiers.analysis.classify import analyse
from tiers.analysis.engagement import get_norm_set
from tiers.analysis.filters import row_keys
from tiers.analysis.results import campaign
from tiers.analysis.schemes import get_scheme
from tiers.presenting.deliverables import story_html, story_pptx, workbook_sheets, workbook_xlsx
from tiers.presenting.i18n import format_count, format_money, format_number, format_percent, localise_labels, translator
from tiers.reading.posts import posts_hint, read_posts_file
from tiers.reading.profile import profile_columns
from tiers.reading.read import read_table

ENGAGEMENTS = {"nano": 450, "micro": 841, "macro": 1_000, "mega": 26_550}
FEES = {"nano": 500_000, "micro": 3_000_000, "macro": 2_000_000, "mega": 10_000_000}
VIEWS = {"nano": 3_000, "micro": 18_000, "macro": 20_000, "mega": 2_000_000}
SCHEME, NORMS = get_scheme("partipost"), get_norm_set("partipost_2022")


@pytest.fixture(scope="module")
def analysed():
    roster = roster_of(ROSTER)
    return roster, analyse(roster, "partipost", "partipost_2022")


def _campaign(analysed, shortlist: list[str] = (), only: bool = False):
    roster, rows = analysed
    chosen = rows.index[row_keys(rows).isin(list(shortlist))]
    posts = read_posts_file(results_workbook(), "hasil.xlsx", isolated=False)
    return campaign(posts, rows, "partipost", NORMS, chosen, only=chosen if only else None)


def _story(analysed, lang="en", **options):
    from tiers.presenting.story import build_story
    roster, rows = analysed
    results = options.pop("campaign", _campaign(analysed))
    return build_story(rows, roster, SCHEME, NORMS, options.pop("shortlist", None), lang, campaign=results, **options)


def test_the_story_tells_what_the_campaign_delivered(analysed):
    story = _story(analysed)
    keys = [s.key for s in story.sections]
    assert keys[-3:] == ["results", "results_delivery", "results_posts"]  # after the roster's own sections
    results = story.sections[-3]
    assert results.title == "Campaign results"
    assert results.takeaway.startswith(f"7 posts by 4 creators drew {format_count(sum(ENGAGEMENTS.values()), 'en')} "
                                       f"engagements and {format_count(sum(VIEWS.values()), 'en')} views for "
                                       f"{format_money(sum(FEES.values()), 'IDR', 'en')} in fees")
    assert "estimated" in results.takeaway  # EMV always said to be an estimate
    best = min(FEES, key=lambda tier: FEES[tier] / ENGAGEMENTS[tier])  # mega: 10,000,000 / 26,550
    assert f"{translator('en')(f'tier_{best}')} cost the least per engagement: " \
           f"{format_money(FEES[best] / ENGAGEMENTS[best], 'IDR', 'en')}." in results.takeaway
    table = results.table.set_index("tier")
    assert table["fees"].to_dict() == FEES and table["post_engagements"].to_dict() == ENGAGEMENTS
    assert table["post_views"].to_dict() == VIEWS
    delivery = story.sections[-2]
    # 450 / 4,876; 841 / (2 x 12,500); 1,000 / 45,000; 26,550 / (2 x 1,200,000): each within partipost's band
    assert delivery.takeaway == "ER within the norm band: Nano 9.2%, Micro 3.4%, Macro 2.2%, Mega 1.1%."
    assert story.sections[-1].takeaway == ("The best post, by Budi, drew 21,200 engagements; the weakest, by Rina, "
                                           "313.")
    emv = _campaign(analysed).emv_set
    assert f"Earned media value is an estimate, not revenue: {emv.name}" in story.method[-1]
    indonesian = _story(analysed, "id").method[-1]  # the EMV file's own words in the story's language
    assert indonesian.startswith("Hasil kampanye: hasil.xlsx, 10 baris dibaca, 7 posting.")
    assert emv.text("name", "id") in indonesian and emv.text("name", "id") != emv.name


def test_the_shortlisted_creators_posts_are_told_against_their_forecast():
    roster = roster_of(csv_bytes(["Nama;Username;Platform;Followers;Likes;Komentar",
                                  "Sari;@sari;Instagram;4.876;380;20",
                                  "Budi;https://www.tiktok.com/@budi.tt;TikTok;1.200.000;18.000;600",
                                  "Rina;@rina.id;Instagram;12.500;450;25"], sep=";"))
    rows = analyse(roster, "partipost", "partipost_2022")
    chosen = rows[rows["handle"].isin(["sari", "budi.tt"])]
    story = _story((roster, rows), campaign=_campaign((roster, rows), list(row_keys(chosen))),
                   shortlist=list(row_keys(chosen)))
    planned = chosen["expected_engagements"].sum()  # the planner's forecast: one post each
    drew = ENGAGEMENTS["nano"] + ENGAGEMENTS["mega"]  # Sari's and Budi's posts; Rina was not shortlisted
    delivery = next(s for s in story.sections if s.key == "results_delivery")
    assert delivery.takeaway.endswith(
        f"The shortlisted creators' posts drew {format_count(drew, 'en')} engagements against their forecast of "
        f"{format_count(planned, 'en')} for one post each ({format_percent(drew / planned, 'en')}).")
    assert [trace.name for trace in delivery.figure.data] == ["Delivered", "Planned"]


def test_without_results_or_posts_the_story_has_no_results_section(analysed):
    from tiers.presenting.story import build_story
    roster, rows = analysed
    plain = build_story(rows, roster, SCHEME, NORMS)
    assert not [s for s in plain.sections if s.key.startswith("results")]
    empty = _campaign(analysed, shortlist=["nobody"], only=True)  # a client's shortlist that never posted
    assert not [s for s in _story(analysed, campaign=empty).sections if s.key.startswith("results")]


def test_a_link_that_hides_fees_leaves_every_cost_out_of_the_results(analysed):
    story = _story(analysed, show_fees=False)
    results = [s for s in story.sections if s.key.startswith("results")]
    assert [s.key for s in results] == ["results", "results_delivery", "results_posts"]
    for section in results:
        assert section.table is None or not {"fees", "cpe", "cpm", "cpv", "planned_cpe"} & set(section.table.columns)
    assert "fees" not in results[0].takeaway and "IDR15" not in results[0].takeaway
    assert [trace.name for trace in results[0].figure.data] == ["Engagements"]  # no share of fees
    assert results[1].figure is None  # the CPE chart is a cost chart
    page = story_html(story)
    for fee in FEES.values():
        assert format_money(fee, "IDR", "en") not in page and format_number(fee, "money", "en") not in page


def test_a_link_to_the_shortlist_tells_the_shortlisted_creators_posts_only(analysed):
    _, rows = analysed
    sari = list(row_keys(rows[rows["handle"] == "sari"]))
    story = _story(analysed, campaign=_campaign(analysed, sari, only=True), shortlist=sari, shortlist_only=True)
    results = next(s for s in story.sections if s.key == "results")
    assert results.takeaway.startswith("1 posts by 1 creators drew 450 engagements")
    assert results.table["tier"].tolist() == ["nano"]


@pytest.mark.parametrize("lang", ["en", "id", "ms"])
def test_report_and_workbook_read_without_raw_values_in_the_language(analysed, lang):
    story = _story(analysed, lang)
    page = story_html(story)
    t = translator(lang)
    assert t("section_results") in page and t("section_results_delivery") in page
    assert problems(report_text(page), lang) == []
    roster, rows = analysed
    book = workbook_xlsx(rows, roster, None, lang, campaign=_campaign(analysed))
    assert problems(workbook_text(book), lang) == []


def _column_formats(book: bytes, sheet_number: int) -> dict[int, str]:
    """0-based column -> the number format its cells take (xlsxwriter's column styles), from the file's XML."""
    with zipfile.ZipFile(io.BytesIO(book)) as files:
        styles = files.read("xl/styles.xml").decode()
        sheet = files.read(f"xl/worksheets/sheet{sheet_number}.xml").decode()
    found = re.findall(r'<numFmt numFmtId="(\d+)" formatCode="([^"]*)"', styles)
    codes = {int(i): html.unescape(code) for i, code in found}
    xfs = re.search(r"<cellXfs[^>]*>(.*?)</cellXfs>", styles, re.S).group(1)
    ids = [int(i) for i in re.findall(r'<xf numFmtId="(\d+)"', xfs)]
    out = {}
    for low, high, style in re.findall(r'<col min="(\d+)" max="(\d+)"[^>]*style="(\d+)"', sheet):
        for column in range(int(low) - 1, int(high)):
            out[column] = codes.get(ids[int(style)], "General")
    return out


def test_the_workbook_has_a_sheet_of_posts_and_one_per_tier_with_numbers_as_numbers(analysed):
    roster, rows = analysed
    data = workbook_xlsx(rows, roster, None, "id", campaign=_campaign(analysed))
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    t = translator("id")
    assert book.sheet_names[-2:] == [t("sheet_posts"), t("sheet_results_tiers")]
    posts = book.get_sheet_by_name(t("sheet_posts")).to_python()
    header, body = posts[0], posts[1:]
    assert len(body) == 7  # the ok posts
    engagements = header.index(t("field_post_engagements"))
    assert sorted(row[engagements] for row in body if row[engagements] != "") == [313, 450, 528, 1_000, 5_350,
                                                                                   21_200]  # Rina's story: none
    assert all(isinstance(row[engagements], float) for row in body if row[engagements] != "")
    posts_formats = _column_formats(data, len(book.sheet_names) - 1)
    assert posts_formats[engagements] == "#,##0"
    assert posts_formats[header.index(t("field_er_views"))] == "#,##0.0%"
    tiers = book.get_sheet_by_name(t("sheet_results_tiers")).to_python()
    header = tiers[0]
    by_tier = {(row[0], row[1]): dict(zip(header, row, strict=True)) for row in tiers[1:]}
    every = t("results_all")
    assert {tier: by_tier[(t(f"tier_{tier}"), every)][t("field_fees")] for tier in FEES} == FEES
    assert {tier: by_tier[(t(f"tier_{tier}"), every)][t("field_post_engagements")] for tier in FEES} == ENGAGEMENTS
    tier_formats = _column_formats(data, len(book.sheet_names))
    assert "Rp" in tier_formats[header.index(t("field_fees"))] and "Rp" in tier_formats[header.index(t("field_cpe"))]
    assert tier_formats[header.index(t("field_er_views"))] == "#,##0.0%"


@pytest.mark.parametrize("lang", ["en", "id"])
def test_every_cell_of_the_workbook_is_what_pandas_would_write(analysed, lang):
    """The workbook writes its cells with xlsxwriter's typed writes (pandas' `to_excel` made a styled cell object
    per value, most of its seconds at 10K creators): every sheet, read back, holds what pandas' own writer puts
    in the same sheets, numbers, text and empty cells alike."""
    roster, rows = analysed
    earlier = rows.assign(followers=(rows["followers"] * 0.8).round())  # a month before, every creator smaller
    accounts = compare_snapshots(earlier, rows, get_scheme("partipost")).accounts
    sheets = workbook_sheets(rows, roster, None, lang, accounts, _campaign(analysed))
    ours = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(
        workbook_xlsx(rows, roster, None, lang, accounts, _campaign(analysed))))
    reference = io.BytesIO()
    with pd.ExcelWriter(reference, engine="xlsxwriter",
                        engine_kwargs={"options": {"strings_to_formulas": False, "strings_to_urls": False,
                                                   "strings_to_numbers": False}}) as writer:
        for name, frame in sheets.items():
            localise_labels(frame, translator(lang)).to_excel(writer, sheet_name=name, index=False)
    pandas_book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(reference.getvalue()))
    assert ours.sheet_names == pandas_book.sheet_names == list(sheets)
    for name in sheets:
        got, want = ours.get_sheet_by_name(name).to_python(), pandas_book.get_sheet_by_name(name).to_python()
        assert len(got) == len(want) == len(sheets[name]) + 1 and got == want, name


def test_the_deck_has_the_results_slides():
    roster = roster_of(ROSTER)
    rows = analyse(roster, "partipost", "partipost_2022")
    story = _story((roster, rows), "id")
    texts = deck_text(story_pptx(story))
    t = translator("id")
    for key in ("section_results", "section_results_delivery", "section_results_posts"):
        assert t(key) in texts
    assert problems(texts, "id") == []


def test_a_sheet_of_posts_is_told_from_a_roster():
    hint = posts_hint(read_table(results_workbook(), "hasil.xlsx"))
    assert hint is not None and hint.column == "Link Post" and hint.rows >= 3
    assert posts_hint(read_table(ROSTER, "roster.csv")) is None
    # A roster with one creator on two platforms and a date column is still a roster.
    two_platforms = csv_bytes(["Nama,Akun,Platform,Followers,Likes,Tanggal",
                               "Rina,@rina,Instagram,12500,500,01/03/2026", "Rina,@rina,TikTok,30000,900,01/03/2026",
                               "Sari,@sari,Instagram,4876,400,01/03/2026", "Sari,@sari,TikTok,8000,300,01/03/2026"])
    assert posts_hint(read_table(two_platforms, "roster.csv")) is None
    # The same account on several rows with a post link is a sheet of posts, whatever its headers.
    posts = csv_bytes(["Creator,Link,Views,Likes"] + [f"@ayu,https://www.tiktok.com/@ayu/video/{i},{i}000,{i}0"
                                                      for i in range(1, 6)])
    assert posts_hint(read_table(posts, "kampanye.csv")) is not None


def test_post_links_are_a_kind_of_the_column_profile():
    cells = read_table(csv_bytes(["Post,Profile", "https://www.instagram.com/p/A1/,https://www.instagram.com/rina",
                                  "https://www.tiktok.com/@budi/video/12,https://www.tiktok.com/@budi",
                                  "https://youtu.be/x1,@dewi", "-,@tono"]), "p.csv").cells
    profile = profile_columns(cells)
    assert profile.loc["Post", "post_link"] == pytest.approx(3 / 4)
    assert profile.loc["Profile", "post_link"] == 0


def test_no_results_text_is_left_in_english_or_as_a_key():
    for lang in ("id", "ms"):
        t = translator(lang)
        for key in ("section_results", "takeaway_results", "roster_looks_like_posts", "sheet_posts"):
            assert t(key) != translator("en")(key) and not re.fullmatch(r"[a-z_]+", t(key))

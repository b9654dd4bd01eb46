"""Campaign results: results sheets in different shapes, made by code, with per-tier totals worked out by hand."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xlsxwriter

from tests.helpers import csv_bytes, roster_of
from tiers.analysis.engagement import get_norm_set
from tiers.analysis.results import (
    POSTS_COLUMNS,
    TIER_COLUMNS,
    emv_ids,
    get_emv,
    match_posts,
    not_posted,
    post_figures,
    summarise,
    tier_summary,
    unmatched_posts,
    validate_emv,
    versus_norms,
)
from tiers.reading.posts import read_posts_file
from tiers.reading.read import RosterError

ROOT = Path(__file__).parents[1]
HEADER = ["Nama KOL", "Akun", "Platform", "Followers", "Link Post", "Tanggal", "Format", "Tayangan", "Jangkauan",
          "Suka", "Komentar", "Bagikan", "Simpan", "Klik", "Fee"]
# Sheet rows 4.. of the results sheet (row 1 a title, row 3 the header). None: an empty cell; a merged
# block is written by MERGES. Numbers are Indonesian text, as agencies type them.
POSTS = {
    4: ["Rina", "@rina.id", "Instagram", "12,5rb", "https://www.instagram.com/p/A1/", "01/03/2026", "Reels",
        "10.000", "8.000", "500", "20", "5", "3", "40", None],
    5: [None, None, None, None, "https://www.instagram.com/p/A2/", "03/03/2026", "Feed",
        "6.000", "5.000", "300", "10", "2", "1", "10", None],
    6: [None, None, None, None, "https://www.instagram.com/stories/rina.id/9/", "05/03/2026", "Story",
        "2.000", "1.800", None, None, None, None, None, None],
    7: ["Sari", "@sari", "IG", None, "https://www.instagram.com/p/S1/", "02/03/2026", "Reels",
        "3.000", "2.500", "400", "30", "10", "10", "5", "Rp 500rb"],
    8: [None] * 15,
    9: ["Dewi", "@dewi.beauty", "Instagram", "45.000", "https://www.instagram.com/reel/D1/", "04/03/2026", "Reels",
        "20.000", "15.000", "900", "50", "20", "30", None, "Rp 2.000.000"],
    10: ["Tono", "@tono", "Instagram", "8.000", "https://www.instagram.com/p/T1/", "04/03/2026", "Feed",
         "1.000", None, "banyak", "3", "0", "0", None, "Rp 1jt"],
    11: ["Budi", None, "TikTok", "1,2 jt", "https://www.tiktok.com/@budi.tt/video/111", "06/03/2026", "TikTok video",
         "1,5 jt", None, "20rb", "800", "300", "100", "1.000", None],
    12: [None, None, None, None, "https://www.tiktok.com/@budi.tt/video/222", "08/03/2026", "TikTok video",
         "500rb", None, "5rb", "200", "100", "50", "200", None],
    13: ["TOTAL", None, None, None, None, None, None, "2.042.000", None, "27.100", None, None, None, None,
         "Rp 16.500.000"],
}
# (first row, last row, column, value): a creator's name, handle, platform, followers and package fee
# merged down that creator's posts.
MERGES = [(4, 6, 0, "Rina"), (4, 6, 1, "@rina.id"), (4, 6, 2, "Instagram"), (4, 6, 3, "12,5rb"),
          (4, 6, 14, "Rp 3.000.000"), (11, 12, 0, "Budi"), (11, 12, 2, "TikTok"), (11, 12, 3, "1,2 jt"),
          (11, 12, 14, "Rp 10.000.000")]
ROSTER = csv_bytes(["Nama;Username;Platform;Followers",
                    "Rina;@rina.id;Instagram;12.500",
                    "Sari;@sari;Instagram;4.876",
                    "Budi;https://www.tiktok.com/@budi.tt;TikTok;1.200.000",
                    "Andi;@andi.id;Instagram;20.000",
                    "Tono;@tono;Instagram;8.000"], sep=";")
FLAT_EMV = validate_emv({"id": "t", "name": "test", "source": "test", "year": 2026, "currency": "IDR", "values": [
    {"platform": "all", "action": "likes", "value": 10}, {"platform": "all", "action": "comments", "value": 100},
    {"platform": "all", "action": "views", "value": 1000}, {"platform": "tiktok", "action": "views", "value": 500}]},
    "test")


def results_workbook(merge: bool = True) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    cover = book.add_worksheet("Cover")
    cover.write_string(0, 0, "Laporan Hasil Kampanye Wardah Ramadan 2026")
    cover.write_string(2, 0, "Disiapkan oleh Agency")
    sheet = book.add_worksheet("Hasil")
    sheet.write_string(0, 0, "Hasil Kampanye Ramadan")
    sheet.write_row(2, 0, HEADER)
    for row, cells in POSTS.items():
        for column, value in enumerate(cells):
            if value is not None:
                sheet.write_string(row - 1, column, value)
    for first, last, column, value in MERGES:
        if merge:
            sheet.merge_range(first - 1, column, last - 1, column, value)
        else:
            sheet.write_string(first - 1, column, value)
    book.close()
    return buffer.getvalue()


@pytest.fixture(scope="module")
def posts():
    return read_posts_file(results_workbook(), "hasil.xlsx", isolated=False)


@pytest.fixture(scope="module")
def figures(posts):
    return post_figures(match_posts(posts.rows, roster_of(ROSTER).rows), "partipost", FLAT_EMV)


def test_every_row_is_accounted_for(posts):
    assert posts.sheet == "Hasil" and posts.header_row == 3  # past the cover sheet and the title row
    assert posts.counts == {"read": 10, "ok": 7, "rejected": 1, "blank": 1, "total": 1}
    rows = posts.rows.set_index("source_row")
    assert rows.loc[10, "reason"] == "column 'Suka': 'banyak' is not a number"
    assert rows.loc[8, "reason"] == "blank row (not a post)"
    assert rows.loc[13, "reason"] == "total row (not a post)"
    # A row per post is not a duplicate: Rina's three posts are all read.
    assert rows.loc[[4, 5, 6], "status"].tolist() == ["ok"] * 3
    assert rows.loc[[4, 5, 6], "handle"].tolist() == ["rina.id"] * 3
    assert rows.loc[[11, 12], "handle"].tolist() == ["budi.tt"] * 2  # the TikTok post link names the account
    assert rows.loc[11, "platform"] == "tiktok" and rows.loc[7, "platform"] == "instagram"


def test_merged_fee_is_one_package_split_across_its_posts(posts):
    rows = posts.rows.set_index("source_row")
    assert rows.loc[[4, 5, 6], "fee"].tolist() == [1_000_000] * 3
    assert rows.loc[[4, 5, 6], "package"].tolist() == [4, 4, 4]
    assert rows.loc[[11, 12], "fee"].tolist() == [5_000_000] * 2
    assert rows.loc[[7, 9], "fee"].tolist() == [500_000, 2_000_000]
    assert posts.packages == {"Fee": 2}
    # The same values written on one row each (no merge) are each row's own.
    unmerged = read_posts_file(results_workbook(merge=False), "hasil.xlsx", isolated=False).rows.set_index("source_row")
    assert unmerged.loc[4, "fee"] == 3_000_000 and np.isnan(unmerged.loc[5, "fee"])


def test_per_tier_totals_worked_by_hand(figures):
    summary = tier_summary(figures).set_index(["tier", "platform"])
    micro = summary.loc[("micro", "all")]  # Rina: three posts, the story without interactions
    assert micro["posts"] == 3 and micro["creators"] == 1
    assert micro["views"] == 18_000 and micro["reach"] == 14_800
    assert micro["engagements"] == (500 + 20 + 5 + 3) + (300 + 10 + 2 + 1)
    assert micro["fees"] == 3_000_000  # the package once, not once per row
    assert micro["cpe"] == pytest.approx(3_000_000 / 841)
    assert micro["cpv"] == pytest.approx(3_000_000 / 18_000)
    assert micro["cpm"] == pytest.approx(3_000_000 / 18_000 * 1000)
    assert micro["er_views"] == pytest.approx(841 / 16_000)  # the story has no interactions to count
    assert micro["er_followers"] == pytest.approx(841 / 25_000)
    assert micro["clicks"] == 50
    nano = summary.loc[("nano", "all")]  # Sari: followers from the roster (the sheet has none)
    assert (nano["posts"], nano["engagements"], nano["fees"]) == (1, 450, 500_000)
    assert nano["er_followers"] == pytest.approx(450 / 4_876)
    macro = summary.loc[("macro", "instagram")]  # Dewi, not in the roster
    assert (macro["engagements"], macro["fees"], macro["views"]) == (1_000, 2_000_000, 20_000)
    mega = summary.loc[("mega", "tiktok")]
    assert mega["posts"] == 2 and mega["engagements"] == 21_200 + 5_350
    assert mega["fees"] == 10_000_000 and mega["cpv"] == pytest.approx(5.0) and mega["cpm"] == pytest.approx(5_000)
    assert mega["emv"] == pytest.approx(25_000 * 10 + 1_000 * 100 + 2_000_000 / 1000 * 500)
    assert summary.loc[("micro", "instagram"), "emv"] == pytest.approx(800 * 10 + 30 * 100 + 18_000)
    assert list(summary.index.get_level_values(0).unique()) == ["nano", "micro", "macro", "mega"]
    assert summary.xs("all", level="platform")["fees"].sum() == 3_000_000 + 500_000 + 2_000_000 + 10_000_000


def test_matching_unmatched_and_not_posted(figures):
    roster = roster_of(ROSTER).rows
    assert figures.loc[figures["status"] == "ok", "matched_by"].value_counts().to_dict() == {"handle": 6}
    assert unmatched_posts(figures)["handle"].tolist() == ["dewi.beauty"]
    assert sorted(not_posted(roster, figures)["handle"]) == ["andi.id", "tono"]  # Tono's only row was rejected
    shortlist = roster.index[roster["handle"].isin(["rina.id", "andi.id"])]
    assert not_posted(roster, figures, shortlist)["handle"].tolist() == ["andi.id"]
    per_creator = summarise(figures, ["account"]).set_index("account")
    assert per_creator["posts"].sum() == 7 and len(per_creator) == 4


def test_match_by_name_where_the_sheet_has_no_handles():
    sheet = csv_bytes(["Nama;Platform;Views;Likes;Komentar", "RINA;instagram;1.000;100;10",
                       "Budi;TikTok;2.000;50;5", "Nobody;instagram;10;1;0"], sep=";")
    posts = read_posts_file(sheet, "hasil.csv", isolated=False)
    matched = match_posts(posts.rows, roster_of(ROSTER).rows)
    assert matched["matched_by"].tolist()[:2] == ["name", "name"] and pd.isna(matched["matched_by"].iloc[2])
    assert matched["followers"].tolist()[:2] == [12_500, 1_200_000]  # from the roster
    assert matched["handle"].tolist()[:2] == ["rina.id", "budi.tt"]


def test_csv_of_post_links_with_indonesian_numbers_and_a_total():
    sheet = csv_bytes(['Link Video;Followers;Views;Likes;Comments;Shares;Fee',
                       'https://www.tiktok.com/@a.one/video/1;2.500;10,5rb;1.200;30;10;Rp 500.000',
                       'https://www.tiktok.com/@a.one/video/2;2.500;4.876;300;5;1;Rp 500.000',
                       'https://www.tiktok.com/@b.two/video/3;"12,5rb";1,2 jt;20rb;1.000;500;Rp 1,5jt',
                       'https://www.tiktok.com/@a.one/video/1;2.500;10,5rb;1.200;30;10;Rp 500.000',
                       'Total;;1.215.376;21.500;;;Rp 3.000.000'], sep=";")
    posts = read_posts_file(sheet, "tiktok.csv", isolated=False)
    assert posts.counts == {"read": 5, "ok": 3, "rejected": 1, "blank": 0, "total": 1}
    assert posts.rows["reason"].iloc[3] == "same post link as row 2"
    summary = tier_summary(post_figures(match_posts(posts.rows), "partipost", FLAT_EMV)).set_index(["tier", "platform"])
    nano = summary.loc[("nano", "tiktok")]
    assert (nano["creators"], nano["posts"], nano["views"]) == (1, 2, 10_500 + 4_876)
    assert nano["engagements"] == 1_240 + 306 and nano["fees"] == 1_000_000
    micro = summary.loc[("micro", "all")]
    assert (micro["views"], micro["engagements"], micro["fees"]) == (1_200_000, 21_500, 1_500_000)


def test_delivered_against_the_norm_band(figures):
    norms = get_norm_set("partipost_2022")  # (likes + comments + shares + saves) / followers
    delivered = versus_norms(figures, norms).set_index("tier")
    assert delivered.loc["nano", "er"] == pytest.approx(450 / 4_876)
    assert (delivered.loc["nano", "norm_low"], delivered.loc["nano", "norm_high"]) == (0.07, 0.10)
    assert delivered.loc["nano", "verdict"] == "within"
    assert delivered.loc["micro", "er"] == pytest.approx(841 / 25_000)
    assert delivered.loc["mega", "verdict"] == "within"  # 26,550 / 2.4M followers = 1.1%: mega "about 1%"
    assert delivered.loc["mega", "er"] == pytest.approx(26_550 / 2_400_000)


def test_emv_data_files_name_their_source():
    assert emv_ids()
    for emv_id in emv_ids():
        emv_set = get_emv(emv_id)
        assert emv_set.source and emv_set.year >= 2000 and not emv_set.values.empty
    with pytest.raises(ValueError, match="unknown action"):
        validate_emv({**FLAT_EMV.to_dict(), "values": [{"platform": "all", "action": "hugs", "value": 1}]}, "x")


def test_a_sheet_without_metrics_is_refused():
    with pytest.raises(RosterError, match="not a sheet of post results"):
        read_posts_file(csv_bytes(["Nama,Followers", "Rina,1000"]), "roster.csv", isolated=False)


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tiers", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)


def test_cli_contract(tmp_path):
    (tmp_path / "hasil.xlsx").write_bytes(results_workbook())
    (tmp_path / "roster.csv").write_bytes(ROSTER)
    result = run("results", str(tmp_path / "hasil.xlsx"), "--roster", str(tmp_path / "roster.csv"),
                 "--scheme", "partipost", "-o", str(tmp_path / "posts.csv"), "--summary", str(tmp_path / "tiers.csv"))
    assert result.returncode == 0, result.stderr
    assert "10 rows read, 7 posts, 1 rejected, 2 blank or total, 6 matched to the roster" in result.stderr
    posts = pd.read_csv(tmp_path / "posts.csv", dtype={"reason": str}, keep_default_na=False)
    assert list(posts.columns) == list(POSTS_COLUMNS)
    assert posts["source_row"].tolist() == list(range(4, 14))
    assert posts["fee"].iloc[:3].astype(float).tolist() == [1_000_000] * 3  # the package's share
    assert posts["reason"].iloc[6] == "column 'Suka': 'banyak' is not a number"
    assert posts.loc[posts["source_row"] == 7, "followers"].astype(int).tolist() == [4_876]
    assert posts["status"].tolist().count("ok") == 7
    tiers = pd.read_csv(tmp_path / "tiers.csv")
    assert list(tiers.columns) == list(TIER_COLUMNS)
    overall = tiers[tiers["platform"] == "all"].set_index("tier")
    assert overall["fees"].to_dict() == {"nano": 500_000, "micro": 3_000_000, "macro": 2_000_000, "mega": 10_000_000}
    assert overall["engagements"].to_dict() == {"nano": 450, "micro": 841, "macro": 1_000, "mega": 26_550}
    assert overall.loc["mega", "cpe"] == pytest.approx(10_000_000 / 26_550, abs=1e-4)


def test_cli_unreadable_input_is_one_line(tmp_path):
    bad = tmp_path / "hasil.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a workbook")
    result = run("results", str(bad), "-o", str(tmp_path / "out.csv"))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("tierscope: error: hasil.xlsx")
    roster = tmp_path / "roster.csv"
    roster.write_bytes(ROSTER)
    result = run("results", str(roster), "-o", str(tmp_path / "out.csv"))
    assert result.returncode == 2 and "not a sheet of post results" in result.stderr


def test_merged_fee_found_past_an_unnamed_column_and_a_two_row_header():
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("Posts")
    sheet.write_row(0, 3, ["Instagram", "", "TikTok"])  # platform groups over a second header row
    sheet.merge_range(0, 0, 1, 0, "Nama")  # a label merged down both header rows
    sheet.write_row(1, 1, ["Akun", "", "Views", "Likes", "Views", "Fee"])
    for row, cells in enumerate([["Rina", "@rina", "note", 100, 10, 50], ["Rina", "@rina", "note", 200, 20, 60]], 2):
        sheet.write_row(row, 0, cells)
    sheet.merge_range(2, 6, 3, 6, "Rp 1.000.000")
    book.close()
    posts = read_posts_file(buffer.getvalue(), "posts.xlsx", isolated=False)
    assert posts.packages == {"TikTok Fee": 1}  # the reader widens the last platform group over it
    assert posts.rows["fee"].tolist() == [500_000, 500_000]

"""Roster over time: matching accounts across snapshots in different layouts, growth, tier moves,
flags, totals and the `changes` command."""

from __future__ import annotations

import collections
import csv
import datetime as dt
import io
import math
import statistics
import subprocess
import sys
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
import python_calamine

from tests.fixtures import ENGLISH_LINKS, HANDLES, INDONESIAN_WORKBOOK, NAMES_ONLY
from tests.helpers import csv_bytes, roster_of
from tiers.analysis.changes import (
    CHANGE_FLAGS,
    CHANGES,
    change_summary,
    compare_snapshots,
    find_accounts,
    follower_history,
    growth_by_tier,
    handle_keys,
    name_keys,
    tier_flow,
)
from tiers.analysis.classify import analyse, classify_roster
from tiers.analysis.engagement import get_norm_set
from tiers.analysis.flags import rule_text, rules
from tiers.analysis.schemes import get_scheme
from tiers.presenting.deliverables import chart_renderer_missing, story_html, story_pptx, workbook_xlsx
from tiers.presenting.export import CHANGE_COLUMNS, changes_table
from tiers.presenting.story import Branding, Comparison, build_story
from tiers.reading.dates import date_in_name

PARTIPOST = get_scheme("partipost")


# The rosters these tests compare are read and classified once, when the module is imported, into the constants
# above each test: reading is what test_reading checks, and under mutation testing (scripts/mutation.sh) it was
# two thirds of every mutant's time, read again in each mutant's process; a module imported by the fork server
# is read there once. Nothing tested here changes the frames it is given.
def _classified(data: bytes, name: str = "roster.csv") -> pd.DataFrame:
    return classify_roster(roster_of(data, name))


def _compare(old: pd.DataFrame, new: pd.DataFrame, declined=frozenset()):
    return compare_snapshots(old, new, PARTIPOST, declined)


def _by_handle(changes) -> dict[str, dict]:
    accounts = changes.accounts
    return {f"{p}:{h}": row for p, h, row in zip(accounts["platform"], accounts["handle"].str.lower(),
                                                   accounts.to_dict("records"), strict=True)}


OCTOBER, NOVEMBER = _classified(INDONESIAN_WORKBOOK, "kol-2026-10.xlsx"), _classified(ENGLISH_LINKS, "kol-2026-11.csv")


def test_indonesian_workbook_then_english_links_match_exactly():
    changes = _compare(OCTOBER, NOVEMBER)
    found = _by_handle(changes)
    assert set(found) == {"instagram:rina.id", "instagram:budi_s", "tiktok:sitiaminah", "youtube:dewi",
                          "instagram:new.face", "instagram:joko.id"}
    rina, siti, dewi = found["instagram:rina.id"], found["tiktok:sitiaminah"], found["youtube:dewi"]
    assert (rina["followers_before"], rina["followers_after"]) == (4876, 6100)
    assert rina["growth"] == pytest.approx(6100 / 4876 - 1)
    assert (rina["tier_before"], rina["tier_after"], rina["move"]) == ("nano", "micro", "up")
    assert rina["er_change"] == pytest.approx(0.048 - 0.052)
    assert rina["name"] == "Rina Wijaya"  # the newer file has no names: the older one's is kept
    assert (siti["followers_before"], siti["followers_after"], siti["move"]) == (1_200_000, 1_250_000, "same")
    assert (dewi["tier_before"], dewi["tier_after"]) == ("macro", "mega")
    assert found["instagram:new.face"]["change"] == "new"
    assert found["instagram:joko.id"]["change"] == "dropped"
    assert {row["matched_by"] for row in found.values() if row["change"] == "kept"} == {"handle"}
    summary = change_summary(changes.accounts)
    assert (summary["kept"], summary["new"], summary["dropped"], summary["moved_up"]) == (4, 1, 1, 2)
    assert summary["lost_with_dropped"] == 40_000
    assert summary["added_by_new"] == 2300
    assert summary["grown_by_kept"] == (6100 - 4876) + (12900 - 12500) + 50_000 + 35_000


def _nan_none(value):
    return None if pd.isna(value) else value


WIDE = _classified(csv_bytes([
    "Name,IG Handle,IG Followers,TikTok Handle,TikTok Followers",
    "Rina,@rina,8000,@rina.tt,20000",
    "Budi,@budi,31000,,",
]), "wide.csv")
LONG = _classified(csv_bytes([
    "Name;Handle;Platform;Followers",
    "Rina;rina;IG;9000",
    "Rina;rina.tt;TikTok;35000",
    "Budi;budi;Instagram;29000",
    "Budi;budi;TikTok;5000",
], sep=";"), "long.csv")


def test_wide_then_long_layouts():
    found = _by_handle(_compare(WIDE, LONG))
    assert {k: (v["change"], _nan_none(v["followers_before"]), v["followers_after"]) for k, v in found.items()} == {
        "instagram:rina": ("kept", 8000, 9000), "tiktok:rina.tt": ("kept", 20000, 35000),
        "instagram:budi": ("kept", 31000, 29000), "tiktok:budi": ("new", None, 5000)}
    assert (found["tiktok:rina.tt"]["tier_after"], found["tiktok:rina.tt"]["move"]) == ("macro", "up")
    assert (found["instagram:budi"]["tier_before"], found["instagram:budi"]["move"]) == ("macro", "down")


WITH_HANDLES, WITH_NAMES_ONLY = _classified(HANDLES, "a.csv"), _classified(NAMES_ONLY, "b.csv")


def test_handles_then_names_only_matches_by_name_for_confirmation_and_lists_ambiguous_names():
    changes = _compare(WITH_HANDLES, WITH_NAMES_ONLY)
    accounts = changes.accounts
    kept = accounts[accounts["change"] == "kept"].set_index("name")
    assert set(kept.index) == {"rina  wijaya", "BUDI", "Eka"}
    assert (kept["matched_by"] == "name").all()
    assert kept.loc["BUDI", "followers_before"] == 20000 and kept.loc["BUDI", "followers_after"] == 26000
    assert kept.loc["rina  wijaya", "handle"] == "rina.w"  # the handle of the older file is kept
    assert set(changes.name_matches["match"]) == {"instagram:rina wijaya", "instagram:budi", "instagram:eka"}
    # Two TikTok accounts named Andi before: not guessed, listed, and counted as dropped / new.
    assert changes.ambiguous.to_dict("records") == [
        {"platform": "tiktok", "name": "Andi", "rows_before": "4, 5", "rows_after": "4"}]
    assert sorted(accounts.loc[accounts["platform"] == "tiktok", "change"]) == ["dropped", "dropped", "new"]
    assert accounts.loc[accounts["name"] == "Fajar", "change"].tolist() == ["new"]


def test_names_match_the_other_way_round_too():
    kept = _compare(WITH_NAMES_ONLY, WITH_HANDLES).accounts.query("change == 'kept'")
    assert set(kept["matched_by"]) == {"name"} and len(kept) == 3  # Rina, Budi and Eka, as the other way round


def test_a_declined_name_match_becomes_dropped_and_new():
    changes = _compare(WITH_HANDLES, WITH_NAMES_ONLY, declined={"instagram:budi"})
    budi = changes.accounts[changes.accounts["name"].str.lower() == "budi"]
    assert sorted(budi["change"]) == ["dropped", "new"]
    assert len(changes.name_matches) == 2


RINA_OLD = _classified(csv_bytes(["Name,Handle,Platform,Followers", "Rina,@rina_old,Instagram,1000"]))
RINA_NEW = _classified(csv_bytes(["Name,Handle,Platform,Followers", "Rina,@rina_new,Instagram,1200"]))


def test_different_handles_are_different_accounts_even_with_the_same_name():
    assert sorted(_compare(RINA_OLD, RINA_NEW).accounts["change"]) == ["dropped", "new"]


def test_handle_normalisation_for_links_case_and_invisible_characters():
    handles = pd.Series(["@Rina.ID", "https://www.instagram.com/rina.id/?hl=en", "instagram.com/rina.id/reels/",
                         "https://m.tiktok.com/@Rina.ID?lang=id", "https://www.youtube.com/@rina.id/videos",
                         "rina.id\u200b", "\uff52\uff49\uff4e\uff41.id", "https://youtube.com/channel/UC123/featured"])
    from tiers.reading.columns import clean_handle
    keys = handle_keys(clean_handle(handles))
    assert keys.tolist() == ["rina.id"] * 7 + ["uc123"]
    assert name_keys(pd.Series(["Rina 🌸 Official!", "  RINA   official ", None])).tolist()[:2] == [
        "rina official", "rina official"]


def test_a_creator_column_of_handles_and_links_is_read_as_handles():
    roster = roster_of(csv_bytes([
        "Creator,Influencer,Followers",
        "@kreator_031,Kreator Tiga Satu,1200",
        "https://www.instagram.com/kreator_032/,Kreator 32,3400",
        "@kreator_033,Kreator 33,5600",
    ]))
    assert roster.mapping["handle"] == "Creator" and roster.mapping["name"] == "Influencer"
    assert roster.ok["handle"].tolist() == ["kreator_031", "kreator_032", "kreator_033"]
    assert roster.ok["platform"].tolist()[1] == "instagram"


def _growth_roster(followers: list[float], ers: list[float], handles: list[str]) -> pd.DataFrame:
    lines = ["Handle,Platform,Followers,ER"]
    lines += [f"@{h},Instagram,{f:.0f},{e:.2%}" for h, f, e in zip(handles, followers, ers, strict=True)]
    return _classified(csv_bytes(lines))


def _spikes() -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(7)
    n = 30
    handles = [f"c{i}" for i in range(n)]
    before = rng.uniform(12_000, 28_000, n).round()  # all micro on Partipost
    growth = rng.uniform(0.01, 0.05, n)
    growth[0], growth[1], growth[2], growth[3] = 0.9, 0.6, -0.35, 0.18  # 3: high, but under the 25% floor
    er_before = np.full(n, 0.04)
    er_after = er_before.copy()
    er_after[1] = 0.02  # the second spike comes with a halved ER
    return _growth_roster(before, er_before, handles), _growth_roster(before * (1 + growth), er_after, handles)


SPIKES = _spikes()


def test_flags_spike_spike_with_falling_er_and_large_loss():
    changes = compare_snapshots(*SPIKES, PARTIPOST)
    flagged = changes.accounts.set_index("handle")
    assert sorted(flagged.index[flagged["follower_spike"]]) == ["c0", "c1"]
    assert flagged.index[flagged["spike_falling_er"]].tolist() == ["c1"]
    assert flagged.index[flagged["large_loss"]].tolist() == ["c2"]
    words = changes_table(changes.accounts, "id").set_index("handle")["flag"]
    assert words["c1"] == f"{rule_text('follower_spike', 'id')} · {rule_text('spike_falling_er', 'id')}"
    assert words["c5"] == ""
    assert "20%" in rule_text("large_loss", "en")


_STEADY_HANDLES, _STEADY_FOLLOWERS = [f"c{i}" for i in range(20)], np.linspace(10_000, 20_000, 20)
BARELY_MOVED = (_growth_roster(_STEADY_FOLLOWERS, [0.03] * 20, _STEADY_HANDLES),
                _growth_roster(_STEADY_FOLLOWERS * 1.001, [0.03] * 20, _STEADY_HANDLES))


def test_a_roster_that_barely_moved_flags_nothing():
    changes = compare_snapshots(*BARELY_MOVED, PARTIPOST)
    assert not changes.accounts[["follower_spike", "spike_falling_er", "large_loss"]].any().any()


THREE_SNAPSHOTS = [_classified(csv_bytes(lines)) for lines in (
    ["Handle,Platform,Followers", "@a,Instagram,4000", "@b,Instagram,40000", "@c,TikTok,200"],
    ["Handle,Platform,Followers", "@A,Instagram,6000", "@b,Instagram,41000", "@d,TikTok,900"],
    ["Akun,Platform,Followers", "instagram.com/a,Instagram,7000", "@d,TikTok,1000"])]


def test_tier_flow_growth_by_tier_and_history_across_three_snapshots():
    rows = THREE_SNAPSHOTS
    accounts = compare_snapshots(rows[0], rows[1], PARTIPOST).accounts
    flow = tier_flow(accounts, "instagram")
    assert flow.to_dict("records") == [{"source": "macro", "target": "macro", "accounts": 1},
                                       {"source": "nano", "target": "micro", "accounts": 1}]
    assert tier_flow(accounts, "tiktok").to_dict("records") == [{"source": "nano", "target": "dropped", "accounts": 1},
                                                                {"source": "new", "target": "nano", "accounts": 1}]
    by_tier = growth_by_tier(accounts).set_index(["platform", "tier_before"])
    assert by_tier.loc[("instagram", "nano"), "median_growth"] == pytest.approx(0.5)
    assert by_tier.loc[("instagram", "nano"), "moved_up"] == 1
    history = follower_history(list(zip(["Oct", "Nov", "Dec"], rows, strict=True)))
    series = history.groupby("account")["followers"].apply(list).tolist()
    assert sorted(series) == sorted([[4000, 6000, 7000], [40000, 41000], [200], [900, 1000]])
    found = find_accounts(history, " @A ")  # as in its latest roster: 'a' from a link, in December
    assert found[["handle", "followers", "snapshot"]].values.tolist() == [["a", 7000, "Dec"]]


def test_cli_changes_contract(tmp_path):
    old, new = tmp_path / "kol-oktober.xlsx", tmp_path / "kol-november.csv"
    old.write_bytes(INDONESIAN_WORKBOOK)
    new.write_bytes(ENGLISH_LINKS)
    out = tmp_path / "changes.csv"
    done = subprocess.run([sys.executable, "-m", "tiers", "changes", str(old), str(new), "-o", str(out)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert tuple(rows[0]) == CHANGE_COLUMNS
    assert len(rows) == 6  # 5 accounts in the new file + 1 dropped; the rejected row and TOTAL are not accounts
    rina = next(r for r in rows if r["handle"].lower() == "rina.id")
    assert (rina["followers_before"], rina["followers_after"], rina["tier_before"], rina["tier_after"],
            rina["change"]) == ("4876", "6100", "nano", "micro", "kept")
    assert float(rina["growth"]) == pytest.approx(6100 / 4876 - 1, abs=1e-6)
    assert {r["change"] for r in rows} == {"kept", "new", "dropped"}
    assert "4 accounts matched, 1 new, 1 dropped, 0 flagged" in done.stderr
    assert "kol-oktober.xlsx 1" in done.stderr and "kol-november.csv 0" in done.stderr


def test_cli_changes_unreadable_input_exits_2_with_one_line(tmp_path):
    old = tmp_path / "old.csv"
    old.write_bytes(b"\x00\x01garbage")
    done = subprocess.run([sys.executable, "-m", "tiers", "changes", str(old), str(tmp_path / "missing.csv")],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1 and done.stderr.startswith("tierscope: error:")


@pytest.mark.parametrize(("file_name", "expected"), [
    ("kol-2026-12.xlsx", "2026-12-01"), ("KOL Desember 2026.csv", "2026-12-01"),
    ("roster_dec_2026.csv", "2026-12-01"), ("export 2026-12-05.csv", "2026-12-05"),
    ("05-12-2026 roster.xlsx", "2026-12-05"), ("roster 12-2026.csv", "2026-12-01"),
    ("Des'26.xlsx", "2026-12-01"), ("kol_1_nov_2026.csv", "2026-11-01"), ("Mei 2025.xlsx", "2025-05-01"),
    ("20261205.csv", "2026-12-05"), ("KOL Oktober.xlsx", None), ("roster v2.csv", None), ("marketing 2026.csv", None),
])
def test_a_snapshot_is_dated_by_its_file_name(file_name, expected):
    found = date_in_name(file_name)
    assert (found.isoformat() if found else None) == expected


def _comparison(lang: str = "en"):
    old, new = roster_of(INDONESIAN_WORKBOOK, "kol-2026-10.xlsx"), roster_of(ENGLISH_LINKS, "kol-2026-11.csv")
    accounts = compare_snapshots(classify_roster(old), classify_roster(new), PARTIPOST).accounts
    analysed = analyse(new, "partipost", "partipost_2022")
    story = build_story(analysed, new, PARTIPOST, get_norm_set("partipost_2022"), None, lang,
                        Branding("Wardah", "Agensi"), comparison=Comparison(accounts, dt.date(2026, 10, 1),
                                                                            dt.date(2026, 11, 1)))
    return new, analysed, accounts, story


def test_the_story_says_what_changed_in_each_language():
    *_, story = _comparison("en")
    section = story.sections[-1]
    assert (section.key, section.title) == ("changes", "What changed since 1 Oct 2026")
    assert section.takeaway == ("Since 1 Oct 2026: 4 accounts in both rosters, 1 new, 1 dropped. Followers "
                                "1,352,376 → 1,401,300 (+3.6%), median growth +14.6%; 2 moved up a tier and 0 down; "
                                "0 flagged.")
    assert section.table["name"].tolist()[:2] == ["Dewi", "Rina Wijaya"]  # the biggest movers first, by name
    *_, indonesian = _comparison("id")
    assert indonesian.sections[-1].title == "Apa yang berubah sejak 1 Okt 2026"
    assert indonesian.sections[-1].takeaway.startswith(
        "Sejak 1 Okt 2026: 4 akun ada di kedua roster, 1 baru, 1 keluar.")


def test_the_report_and_the_workbook_carry_the_changes():
    new, analysed, accounts, story = _comparison("id")
    report = story_html(story)
    assert "Apa yang berubah sejak 1 Okt 2026" in report and 'data-section="changes"' in report
    assert "+36,8%" in report  # Dewi's growth, formatted for Indonesian
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(workbook_xlsx(analysed, new, [], "id", accounts)))
    assert book.sheet_names[-1] == "Perubahan"
    rows = book.get_sheet_by_name("Perubahan").to_python()
    header = rows[0]
    assert header[:6] == ["Platform", "Akun", "Nama", "Pengikut sebelum", "Pengikut sesudah", "Pertumbuhan"]
    dewi = dict(zip(header, next(r for r in rows if r[1] == "dewi"), strict=True))
    assert (dewi["Pengikut sebelum"], dewi["Pengikut sesudah"]) == (95_000, 130_000)
    assert dewi["Pertumbuhan"] == pytest.approx(130 / 95 - 1, abs=1e-6)
    assert (dewi["Tier sebelum"], dewi["Tier sesudah"], dewi["Perubahan"]) == ("Makro", "Mega", "Tetap")


@pytest.mark.skipif(bool(chart_renderer_missing()), reason="static charts need chromium")
def test_the_deck_has_a_slide_for_what_changed_and_one_for_its_accounts():
    from pptx import Presentation
    *_, story = _comparison("en")
    slides = list(Presentation(io.BytesIO(story_pptx(story))).slides)
    texts = [" ".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame) for slide in slides]
    changed = [i for i, text in enumerate(texts) if "What changed since 1 Oct 2026" in text]
    assert len(changed) == 2  # the chart, then the accounts
    table = next(s for s in slides[changed[1]].shapes if s.has_table).table
    assert table.cell(0, 0).text == "Name" and table.cell(1, 0).text == "Dewi"  # a name, never a profile link


_BAR = rules()["follower_spike"]["alone_min_growth"]
TOO_FEW = (_growth_roster([1, 10_000, 10_000], [0.03] * 3, ["jump", "doubling", "under"]),
           _growth_roster([9_999_999_999, 10_000 * (1 + _BAR), 10_000 * (1 + _BAR) - 100], [0.03] * 3,
                          ["jump", "doubling", "under"]))


def test_an_account_too_few_to_compare_with_is_judged_against_no_growth():
    """Fewer kept accounts than a group needs: no median to compare with, so the fixed bar of flags.toml."""
    changes = compare_snapshots(*TOO_FEW, PARTIPOST)
    flagged = changes.accounts.set_index("handle")["follower_spike"]
    assert flagged.to_dict() == {"jump": True, "doubling": True, "under": False}


def _table(lines: list[str]) -> pd.DataFrame:
    return _classified(csv_bytes(lines))


BY_TIER = (_table(["Handle,Platform,Followers", "a,Instagram,1000", "b,Instagram,4000", "c,Instagram,6000",
                   "d,Instagram,10000", "e,TikTok,100", "f,TikTok,300", "gone,TikTok,50"]),
           _table(["Handle,Platform,Followers", "a,Instagram,2000", "b,Instagram,6000", "c,Instagram,4000",
                   "d,Instagram,10000", "e,TikTok,120", "f,TikTok,100", "fresh,Instagram,900"]))


def test_growth_by_tier_counts_each_observed_platform_and_tier_from_the_accounts():
    before, after = BY_TIER
    accounts = compare_snapshots(before, after, PARTIPOST).accounts
    kept = [row for row in accounts.to_dict("records") if row["change"] == "kept"]
    assert any(row["large_loss"] for row in kept) and not all(row["large_loss"] for row in kept)  # f lost 2/3
    expected = []
    for platform, tier in sorted({(row["platform"], row["tier_before"]) for row in kept},
                                 key=lambda key: (key[0], PARTIPOST.tier_ids.index(key[1]))):
        rows = [row for row in kept if (row["platform"], row["tier_before"]) == (platform, tier)]
        expected.append({"platform": platform, "tier_before": tier, "accounts": len(rows),
                         "median_growth": float(np.median([row["growth"] for row in rows])),
                         "moved_up": sum(row["move"] == "up" for row in rows),
                         "moved_down": sum(row["move"] == "down" for row in rows),
                         "flagged": sum(any(row[flag] for flag in CHANGE_FLAGS) for row in rows)})
    by_tier = growth_by_tier(accounts)
    assert list(by_tier.columns) == ["platform", "tier_before", "accounts", "median_growth", "moved_up",
                                     "moved_down", "flagged"]
    got = by_tier.astype({"tier_before": str}).to_dict("records")
    assert [{**row, "median_growth": round(row["median_growth"], 12)} for row in got] == [
        {**row, "median_growth": round(row["median_growth"], 12)} for row in expected]
    assert {row["moved_down"] for row in expected} == {0, 1}  # c moved down, the others did not


# A rejected row first (its roster index has no account); a new account each time, listed before the kept ones.
HISTORY = (_table(["Handle,Platform,Followers", "bad,Instagram,lots", "a,Instagram,100", "b,TikTok,200"]),
           _table(["Handle,Platform,Followers", "c,Instagram,300", "b,TikTok,210", "a,Instagram,110"]),
           _table(["Handle,Platform,Followers", "d,TikTok,400", "c,Instagram,310", "a,Instagram,120"]))


def test_follower_history_gives_one_id_per_account_along_the_chain_of_matches():
    first, second, third = HISTORY
    history = follower_history([("Oct", first), ("Nov", second), ("Dec", third)])
    assert list(history.columns) == ["account", "snapshot", "position", "platform", "handle", "name", "followers"]
    assert list(history.index) == list(range(len(history)))
    # Ids in the order accounts first appear: a and b in October, c in November, d in December.
    ids = {"a": 0, "b": 1, "c": 2, "d": 3}
    snapshots = [("Oct", 0, first), ("Nov", 1, second), ("Dec", 2, third)]
    expected = [(ids[h], label, position, p, h, f) for label, position, rows in snapshots
                for h, p, f, s in zip(rows["handle"], rows["platform"], rows["followers"], rows["status"], strict=True)
                if s == "ok"]
    got = history[["account", "snapshot", "position", "platform", "handle", "followers"]]
    assert [tuple(row) for row in got.itertuples(index=False)] == expected
    empty = follower_history([])
    assert empty.empty and list(empty.columns) == list(history.columns)


FIND = _table(["Handle,Name,Platform,Followers", "a.b,Ayu,Instagram,100", "axb,Budi,Instagram,200",
               ",Rina Dot,TikTok,300", "rina.x,,TikTok,400"])
SIXTY = _table(["Handle,Platform,Followers", *(f"kol{i},Instagram,{1000 + i}" for i in range(60))])


def test_find_accounts_matches_text_literally_in_handles_or_names_and_keeps_the_limit():
    rows = FIND
    history = follower_history([("Oct", rows)])
    assert find_accounts(history, "a.b")["handle"].tolist() == ["a.b"]  # a dot is a dot, not any character
    assert find_accounts(history, "a.d").empty  # in names too: "Rina Dot" holds "a d", not "a.d"
    assert find_accounts(history, " @RINA")["followers"].tolist() == [300, 400]  # by name, by handle; '@' ignored
    assert find_accounts(history, "@@ayu")["handle"].tolist() == ["a.b"]
    assert find_accounts(history, "Xb")["handle"].tolist() == ["axb"]  # only '@' is stripped, before lower case
    assert find_accounts(history, "budi")["handle"].tolist() == ["axb"]  # a name only: no row without one hit
    found = find_accounts(follower_history([("Oct", SIXTY)]), "kol")
    assert len(found) == 50 and len(find_accounts(follower_history([("Oct", SIXTY)]), "kol", limit=60)) == 60


def _summary_by_hand(accounts: pd.DataFrame) -> dict[str, float]:
    rows = accounts.to_dict("records")
    side = {change: [row for row in rows if row["change"] == change] for change in ("kept", "new", "dropped")}

    def total(column: str, of: list[dict]) -> float:
        return float(sum(row[column] for row in of if not pd.isna(row[column])))

    return {"accounts_before": len(side["kept"]) + len(side["dropped"]),
            "accounts_after": len(side["kept"]) + len(side["new"]),
            "kept": len(side["kept"]), "new": len(side["new"]), "dropped": len(side["dropped"]),
            "moved_up": sum(row["move"] == "up" for row in rows),
            "moved_down": sum(row["move"] == "down" for row in rows),
            "flagged": sum(any(row[flag] for flag in CHANGE_FLAGS) for row in rows),
            "followers_before": total("followers_before", rows), "followers_after": total("followers_after", rows),
            "grown_by_kept": total("followers_after", side["kept"]) - total("followers_before", side["kept"]),
            "added_by_new": total("followers_after", side["new"]),
            "lost_with_dropped": total("followers_before", side["dropped"]),
            "median_growth": float(np.median([row["growth"] for row in side["kept"]])) if side["kept"] else math.nan}


def test_the_summary_counts_and_totals_every_account_of_the_comparison():
    comparisons = [_compare(*pair).accounts for pair in ((OCTOBER, NOVEMBER), BY_TIER, SPIKES, (RINA_OLD, RINA_NEW))]
    expected = [_summary_by_hand(accounts) for accounts in comparisons]
    for accounts, by_hand in zip(comparisons, expected, strict=True):
        assert change_summary(accounts) == pytest.approx(by_hand, nan_ok=True)
    # The cases reach every count: a tier down, several flagged, a comparison with no account kept (no median).
    assert max(e["moved_down"] for e in expected) >= 1 and max(e["flagged"] for e in expected) >= 2
    assert min(e["kept"] for e in expected) == 0 and math.isnan(expected[-1]["median_growth"])


def test_the_tier_flow_of_every_platform_counts_each_account_once():
    accounts = _compare(*BY_TIER).accounts
    pairs = collections.Counter(("new" if row["change"] == "new" else row["tier_before"],
                                 "dropped" if row["change"] == "dropped" else row["tier_after"])
                                for row in accounts.to_dict("records"))
    assert tier_flow(accounts).to_dict("records") == [
        {"source": source, "target": target, "accounts": n} for (source, target), n in sorted(pairs.items())]
    assert set(accounts["platform"]) == {"instagram", "tiktok"}  # both platforms' accounts in one flow


ORDERED = (_table(["Handle,Platform,Followers", "z,TikTok,5000", "y,Instagram,100", "x,Instagram,300",
                   "w,TikTok,50", "r,TikTok,600"]),
           _table(["Handle,Platform,Followers", "z,TikTok,5500", "y,Instagram,90", "x,Instagram,350",
                   "v,Instagram,20", "u,TikTok,7", "t,TikTok,9000"]))


def _or(value, missing):
    return missing if pd.isna(value) else value


def test_accounts_are_listed_kept_new_dropped_by_platform_biggest_first_with_their_rows():
    before, after = ORDERED
    changes = _compare(before, after)
    accounts = changes.accounts
    rows = accounts.to_dict("records")

    def biggest_first(row):
        return (CHANGES.index(row["change"]), row["platform"], -_or(row["followers_after"], -1),
                -_or(row["followers_before"], -1))

    assert [row["handle"] for row in rows] == [row["handle"] for row in sorted(rows, key=biggest_first)]
    assert [row["handle"] for row in rows] == ["x", "y", "z", "v", "t", "u", "r", "w"]  # the rule above, by hand
    assert list(accounts["change"].cat.categories) == list(CHANGES)
    assert accounts.loc[accounts["change"] != "kept", "move"].isna().all()
    # Each side's row is the account's row in that roster, -1 where the account is not in it.
    position = {side: dict(zip(frame["handle"], frame.index, strict=True)) for side, frame in
                (("before", before[before["status"] == "ok"]), ("after", after[after["status"] == "ok"]))}
    for row in rows:
        assert row["row_before"] == position["before"].get(row["handle"], -1)
        assert row["row_after"] == position["after"].get(row["handle"], -1)
    assert list(changes.ambiguous.columns) == ["platform", "name", "rows_before", "rows_after"]
    assert changes.ambiguous.empty  # no name is shared


def _flags_by_hand(accounts: pd.DataFrame) -> dict[str, tuple[bool, bool, bool]]:
    """flags.toml's rules account by account: the robust z-score within the first of (tier and platform,
    platform, roster) holding min_group kept accounts, else the fixed bar."""
    spike, falling, loss = ({k: Fraction(str(v)) for k, v in rules()[rule].items() if isinstance(v, float | int)}
                            for rule in ("follower_spike", "spike_falling_er", "large_loss"))
    kept = [row for row in accounts.to_dict("records") if row["change"] == "kept"]
    for row in kept:  # exact fractions of whole followers, so a bar is met exactly where it is
        row["g"] = Fraction(int(row["followers_after"]), int(row["followers_before"])) - 1
    levels = [lambda row: (row["tier_before"], row["platform"]), lambda row: row["platform"], lambda row: None]
    flags = {row["handle"]: (False, False, False) for row in accounts.to_dict("records")}
    for row in kept:
        spiked = row["g"] >= spike["alone_min_growth"]  # no group big enough: the fixed bar
        for key in levels:
            group = [other["g"] for other in kept if key(other) == key(row)]
            if len(group) >= spike["min_group"]:
                median = statistics.median(group)
                mad = max(statistics.median([abs(g - median) for g in group]), spike["mad_floor"])
                spiked = (row["g"] - median) / (Fraction("1.4826") * mad) > spike["min_z"] and \
                    row["g"] >= spike["min_growth"]
                break
        er_before, er_after = Fraction(str(row["er_before"])), Fraction(str(row["er_after"]))
        fell = er_before > 0 and er_after / er_before <= 1 - falling["min_er_drop"]
        flags[row["handle"]] = (spiked, spiked and fell, row["g"] <= -loss["min_loss"])
    return flags


def _flag_rosters() -> tuple[pd.DataFrame, pd.DataFrame]:
    low = [0.01, 0.02, 0.02, 0.03, 0.03, 0.04, 0.05, 0.02]
    accounts = [  # handle, platform, followers before, growth, ER after (4% before)
        *[(f"ig{i}", "Instagram", 10_000 + 1000 * i, g, 0.04) for i, g in enumerate(low)],  # micro, typical growth
        ("ig_quarter", "Instagram", 20_000, 0.25, 0.033),  # exactly the minimum growth, far above the tier
        ("ig_bought", "Instagram", 20_000, 0.28, 0.03),  # a spike with the ER down by a quarter
        ("ig_fifth", "Instagram", 20_000, 0.3, 0.032),  # a spike with the ER down by exactly the bar, a fifth
        # A nano TikTok tier of exactly min_group accounts that all grew about 40%: judged among themselves.
        *[(f"tt{i}", "TikTok", 2000, g, 0.04) for i, g in enumerate([0.39, 0.395, 0.40, 0.40, 0.405, 0.41])],
        ("tt_high", "TikTok", 2000, 0.47, 0.04), ("tt_spike", "TikTok", 2000, 0.54, 0.04),
        *[(f"ttm{i}", "TikTok", 10_000 + 1000 * i, g, 0.04) for i, g in enumerate(low + [0.03])],  # micro
        ("ttm_loss", "TikTok", 10_000, -0.2, 0.04),  # exactly the large loss
        # Two YouTube accounts: too few for a tier or platform, so judged against the whole roster.
        ("yt_spike", "YouTube", 50_000, 0.5, 0.04), ("yt_calm", "YouTube", 50_000, 0.03, 0.04),
        # A whole nano Instagram tier that doubled: nobody stands out in it, though each doubled.
        *[(f"ign{i}", "Instagram", 3000, 1 + g, 0.04) for i, g in enumerate(low)],
        *[(f"igM{i}", "Instagram", 40_000 + 1000 * i, g, 0.04) for i, g in enumerate(low + [0.03, 0.02])],  # macro
    ]
    head = "Handle,Platform,Followers,ER"
    before = [f"@{h},{p},{f},4.00%" for h, p, f, _, _ in accounts] + ["@gone,Instagram,9000,4.00%"]
    after = [f"@{h},{p},{round(f * (1 + g))},{er:.2%}" for h, p, f, g, er in accounts] + ["@fresh,TikTok,900,4.00%"]
    return _table([head, *before]), _table([head, *after])


FLAGGED = _flag_rosters()


def test_every_flag_follows_the_rules_of_flags_toml_account_by_account():
    accounts = _compare(*FLAGGED).accounts
    got = {row["handle"]: (row["follower_spike"], row["spike_falling_er"], row["large_loss"])
           for row in accounts.to_dict("records")}
    assert got == _flags_by_hand(accounts)
    # The cases reach each rule: a tier of exactly min_group, a fallback to the roster, both sides of each bar.
    kept = accounts[accounts["change"] == "kept"]
    assert kept.groupby(["platform", "tier_before"], observed=True).size()[("tiktok", "nano")] == rules()[
        "follower_spike"]["min_group"]
    spiked = {h for h, (spike, _, _) in got.items() if spike}
    assert {"ig_quarter", "ig_bought", "tt_spike", "yt_spike"} <= spiked
    assert not spiked & {"tt_high", "yt_calm", "ign0", "ign7", "gone", "fresh"}
    assert got["ig_bought"] == got["ig_fifth"] == (True, True, False) and got["ig_quarter"] == (True, False, False)
    assert got["ttm_loss"] == (False, False, True)


SHARED_NAMES = (_table(["Nama,Username,Platform,Followers", "Zara,@zara1,TikTok,100", "Zara,@zara2,TikTok,200",
                        "Andi,@andi1,TikTok,300", "Andi,@andi2,TikTok,400"]),
                _table(["Nama,Platform,Followers", "Zara,TikTok,150", "Andi,TikTok,350"]))


def test_ambiguous_names_are_listed_as_they_first_appear_with_the_file_rows_of_each_side():
    # Rows are the files' line numbers (the header is line 1); names in the order the older roster lists them.
    assert _compare(*SHARED_NAMES).ambiguous.to_dict("records") == [
        {"platform": "tiktok", "name": "Zara", "rows_before": "2, 3", "rows_after": "2"},
        {"platform": "tiktok", "name": "Andi", "rows_before": "4, 5", "rows_after": "3"}]

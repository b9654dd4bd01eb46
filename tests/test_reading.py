"""Sheets never seen before: column profiles, roles assigned as one decision, the reading checked
by its result (library, CLI and app), tier words as tiers, and the six cases of issue 21."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from tests.helpers import csv_bytes, roster_of, xlsx_bytes
from tests.test_work import app, db  # noqa: F401  (db is a fixture)
from tiers.analysis.changes import compare_snapshots
from tiers.analysis.classify import analyse, classify_roster
from tiers.analysis.schemes import get_scheme
from tiers.reading.checking import check_roster, problem_text, read_roles, with_role
from tiers.reading.profile import profile_columns, tier_words
from tiers.reading.read import RosterError, read_table
from tiers.reading.roles import assign_roles
from tiers.reading.roster import build_roster, default_mapping

CORPUS = Path(__file__).parent / "corpus"
ROOT = Path(__file__).parents[1]


def corpus(name: str) -> bytes:
    return (CORPUS / name).read_bytes()


# Profiles

def test_a_profile_tells_what_the_cells_hold():
    cells = pd.DataFrame({
        "mixed": ["@kreator_031", "https://www.tiktok.com/@kreator_050", "kreator_baru_1", "rina.id"],
        "counts": ["12,5rb", "1.2M", "4.876", "100"], "tiers": ["Nano", "Mikro Influencer", "tier mega", "Mid"],
        "typed": [0.035, 0.05, 0.1, 0.02], "money": ["Rp 1.500.000", "IDR 750K", "$1,200", "Rp1,5jt"],
        "names": ["Ayu Lestari", "Budi 🌸", "Citra", "Dewi Sari"], "errors": ["#N/A", "#VALOR!", "#DIV/0!", "N/A'"]})
    p = profile_columns(cells)
    assert p.loc["mixed", "at_handle"] + p.loc["mixed", "link"] == 0.5 and p.loc["mixed", "bare_handle"] == 0.5
    assert p.loc["counts", "compact"] == 0.5 and p.loc["counts", "number"] == 0.5
    assert p.loc["tiers", "tier_word"] == 1 and p.loc["typed", "fraction"] == 1 and p.loc["money", "money"] == 1
    assert p.loc["names", "display_name"] == 1 and p.loc["names", "bare_handle"] == 0
    assert p.loc["errors", "excel_error"] == 1
    assert tier_words(cells["tiers"]).tolist() == ["nano", "micro", "mega", "mid"]


def test_a_big_sheet_is_profiled_on_a_spread_sample():
    cells = pd.DataFrame({"a": [f"@user{i}" for i in range(50_000)] + ["plain words"] * 50_000})
    p = profile_columns(cells)
    assert p.loc["a", "filled"] == 2_000 and 0.45 < p.loc["a", "at_handle"] < 0.55  # top and bottom alike


# Roles as one decision

def test_few_distinct_words_are_never_an_identity_and_tier_words_never_a_count():
    rows = [f"{i},{['Music', 'Games', 'Education'][i % 3]},Creator Name {i},{1000 + i},{['Nano', 'Micro'][i % 2]}"
            for i in range(40)]
    raw = read_table(csv_bytes(["No,Channel,Youtuber,subscribers,Tier followers", *rows]), "yt.csv")
    assigned = assign_roles(raw.cells)
    assert assigned.mapping["name"] == "Youtuber" and "handle" not in assigned.mapping
    assert "platform" not in assigned.mapping and assigned.mapping["followers"] == "subscribers"
    assert assigned.mapping["tier_stated"] == "Tier followers"


def test_a_rate_column_holds_rates_and_a_fee_column_is_no_rate():
    raw = read_table(csv_bytes(["Akun,Followers,Engagement,Unemployment rate",
                                *(f"a{i},{1000 * i},{i * 11},{i % 9 + 0.36}" for i in range(1, 12))]), "x.csv")
    mapping = default_mapping(raw)
    assert mapping.get("engagements") == "Engagement" and "engagement_rate" not in mapping and "fee" not in mapping


def test_each_role_keeps_its_runner_up_and_a_swap_is_one_step():
    raw = read_table(corpus("top-instagram-engagements.csv"), "top-instagram-engagements.csv")
    reading = read_roles(raw)
    assert reading.runner_up["followers"] == "Followers (exact)"
    swapped = with_role(reading.mapping, "followers", "Followers (exact)")
    assert swapped["followers"] == "Followers (exact)" and "Followers" not in swapped.values()
    assert with_role({"handle": "A", "name": "B"}, "handle", "B") == {"handle": "B", "name": "A"}


# The six cases of the issue

def test_a_channel_list_reads_its_channels_not_its_categories():
    roster = roster_of(corpus("youtube-channels.csv"), "youtube-channels.csv")
    assert roster.mapping["name"] == "Youtuber" and "handle" not in roster.mapping
    assert {"fee", "views", "platform"}.isdisjoint(roster.mapping)
    assert roster.counts["ok"] == 60 and not roster.rows["reason"].str.startswith("duplicate").any()
    assert roster.ok["name"].tolist()[6] == "Total Gaming"  # a channel, not a total


def test_a_creator_column_of_mixed_handle_shapes_is_the_handle_and_matches_last_month():
    november = roster_of(corpus("kol-november-mixed-handles.csv"), "kol-november.csv")
    assert november.mapping["handle"] == "Creator" and "name" not in november.mapping
    assert november.ok["handle"].tolist()[:4] == ["kreator_001", "kreator_002", "kreator_003", "kreator_004"]
    october = roster_of(csv_bytes(["Akun,Platform,Followers", *(
        f"@kreator_{i:03d},{p},{5000 + i}" for i, p in zip(range(1, 46), november.ok["platform"], strict=False))]),
        "kol-oktober.csv")
    scheme = get_scheme("partipost")
    accounts = compare_snapshots(classify_roster(october, "partipost"), classify_roster(november, "partipost"),
                                 scheme).accounts
    assert accounts["change"].astype(str).value_counts().to_dict() == {"kept": 45, "new": 10}


def test_average_engagements_give_every_creator_a_rate():
    roster = roster_of(corpus("top-instagram-engagements.csv"), "top-instagram-engagements.csv")
    assert roster.mapping["engagements"] == "Eng. (Avg.)"
    assert analyse(roster)["engagement_rate"].notna().all()
    for header in ("Avg. engagement", "Interaksi rata-rata", "Eng. (Avg.)"):
        assert default_mapping(read_table(csv_bytes([f"Akun,Followers,{header}", "a,1000,50"]), "x.csv")).get(
            "engagements") == header


def test_tier_words_without_counts_are_refused_in_one_line():
    raw = read_table(corpus("tier-words-no-counts.csv"), "tier-words.csv")
    with pytest.raises(RosterError) as refused:
        build_roster(raw)
    assert str(refused.value) == ("tier-words.csv: column 'tier_followers' gives each creator's tier but no column "
                                  "gives follower counts, and tiers are placed by followers: add the follower counts.")


def test_stated_tiers_are_kept_and_compared_with_the_schemes():
    roster = roster_of(corpus("kol-stated-tiers.csv"), "kol-stated-tiers.csv")
    analysed = analyse(roster, "partipost")
    assert set(analysed["tier_stated"]) == {"nano", "micro", "macro"}
    # The sheet's own thresholds (10K, 100K) are not Partipost's (5K, 30K): some disagree, said per creator.
    assert (analysed["tier_stated"] != analysed["tier"]).any()


def test_a_total_row_is_told_by_what_it_holds():
    data = csv_bytes(["Nama,Akun,Followers", "Total Gaming,@totalgaming093,34000000", "Ayu,@ayu,1000",
                      "Total KOL,,34001000", "Total Gaming Fans,,5000", "TOTAL,,"])
    rows = roster_of(data).rows
    assert rows["row_kind"].tolist() == ["creator", "creator", "total", "creator", "total"]
    names_only = roster_of(csv_bytes(["Youtuber,subscribers", "T-Series,222M", "Total Gaming,34M", "Kecil,12.5M"]))
    assert names_only.counts["ok"] == 3


def test_a_count_too_large_for_an_integer_is_a_row_rejection_and_the_rest_is_written(tmp_path):
    roster = roster_of(corpus("huge-counts.csv"))
    rejected = roster.rejected.set_index("handle")["reason"]
    assert rejected["besar"] == "column 'Followers': too large to be a number (more than 15 digits)"
    assert rejected["koma"] == "column 'Followers': '1,2,3' is not a number"
    assert roster.ok.set_index("handle")["warning"]["suka"].startswith("column 'Likes': too large")
    path = tmp_path / "huge.xlsx"
    path.write_bytes(_with_cell_text(xlsx_bytes({"KOL": [["Akun", "Followers"], ["a", 1200], ["b", 1.5e300],
                                                         ["c", 1e30]]}), "1.5E+300", "1e309"))  # infinite
    done = subprocess.run([sys.executable, "-m", "tiers", "classify", str(path)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "3 rows read, 1 classified, 2 rejected" in done.stderr


def test_excel_error_values_in_optional_cells_are_warnings_naming_the_column():
    roster = roster_of(csv_bytes(["Akun,Followers,Likes,ER", "a,1000,#N/A,#DIV/0!", "b,2000,#VALOR!,N/A'",
                                  "c,3000,5,1%"]))
    assert roster.counts["ok"] == 3
    assert roster.rows["warning"].tolist()[:2] == [
        "column 'Likes': '#N/A' is an Excel error value (the formula failed), left blank; "
        "column 'ER': '#DIV/0!' is an Excel error value (the formula failed), left blank",
        "column 'Likes': '#VALOR!' is an Excel error value (the formula failed), left blank; "
        "column 'ER': 'N/A'' is an Excel error value (the formula failed), left blank"]


def test_a_file_name_naming_a_platform_gives_it():
    roster = roster_of(csv_bytes(["Akun,Followers", "a,1000"]), "instagram_reach.csv")
    assert roster.rows["platform"].tolist() == ["instagram"]
    assert roster_of(csv_bytes(["Akun TikTok,Followers", "a,1000"]), "instagram_reach.csv").rows[
        "platform"].tolist() == ["tiktok"]  # the headers outrank the file's name


def _with_cell_text(book: bytes, old: str, new: str) -> bytes:
    """The workbook with a number cell's stored text replaced (an XLSX may hold 1e309, which Excel
    itself never writes)."""
    source, out = zipfile.ZipFile(io.BytesIO(book)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename.startswith("xl/worksheets/"):
                assert old.encode() in data, data
                data = data.replace(old.encode(), new.encode())
            target.writestr(item, data)
    return out.getvalue()


# The reading checked by its result

ZEROS = csv_bytes(["Akun,Followers", *(f"a{i},{0 if i > 2 else 100 * i}" for i in range(1, 11))])
MOSTLY_EMPTY = csv_bytes(["Akun,Followers,Subscribers", *(f"a{i},{'' if i > 2 else 100},{1000 * i}"
                                                           for i in range(1, 11))])


def test_an_implausible_reading_is_said_with_the_column_to_check(tmp_path):
    problems = check_roster(roster_of(ZEROS))
    assert [p.key for p in problems] == ["reading_most_rejected"]
    assert problem_text(problems[0], "en") == ("80% of the creator rows were rejected: check the column read as "
                                               "followers (“Followers”) under Column mapping.")
    path = tmp_path / "zeros.csv"
    path.write_bytes(ZEROS)
    done = subprocess.run([sys.executable, "-m", "tiers", "classify", str(path)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0 and "zeros.csv: 80% of the creator rows were rejected" in done.stderr


def test_a_runner_up_that_reads_plausibly_is_taken_and_said():
    reading = read_roles(read_table(MOSTLY_EMPTY, "x.csv"))
    assert reading.mapping["followers"] == "Subscribers" and reading.runner_up["followers"] == "Followers"
    assert [p.key for p in reading.switched] == ["reading_switched"] and not reading.problems
    assert "“Followers” as the followers gave an implausible roster" in problem_text(reading.switched[0], "en")


def test_the_roster_page_says_what_looks_wrong_before_any_table(db):  # noqa: F811
    at = app()
    at.file_uploader(key="upload").set_value(("zeros.csv", ZEROS, "text/csv")).run()
    assert not at.exception, at.exception
    box = [e.value for e in at.error if "This reading looks wrong" in e.value]
    assert box and "check the column read as followers (“Followers”)" in box[0]
    at.file_uploader(key="upload").set_value(("x.csv", MOSTLY_EMPTY, "text/csv")).run()
    assert any("“Subscribers” is read as the followers instead" in i.value for i in at.info)
    assert not any("This reading looks wrong" in e.value for e in at.error)


def test_the_runner_up_is_one_click_away_on_the_roster_page(db):  # noqa: F811
    at = app()
    at.file_uploader(key="upload").set_value(("top.csv", corpus("top-instagram-engagements.csv"), "text/csv")).run()
    button = next(b for b in at.button if b.label == "Read “Followers (exact)” as followers")
    button.click().run()
    assert not at.exception, at.exception
    assert at.session_state["mapping"]["followers"] == "Followers (exact)"
    assert {m.label: m.value for m in at.metric}["Creators classified"] == "40"


def test_the_roster_page_shows_where_stated_and_scheme_tiers_disagree(db):  # noqa: F811
    at = app()
    at.file_uploader(key="upload").set_value(("kol.csv", corpus("kol-stated-tiers.csv"), "text/csv")).run()
    assert not at.exception, at.exception
    assert any("have a tier in the sheet (“Tier”) other than their tier under" in w.value for w in at.warning)


def test_no_account_in_common_on_over_time_names_both_identity_columns(db):  # noqa: F811
    at = app()
    at.file_uploader(key="upload").set_value(("kol-2026-10.csv", csv_bytes(
        ["Akun,Followers", "@a1,1000", "@a2,2000"]), "text/csv")).run()
    at.switch_page("pages/changes.py").run()
    at.file_uploader(key="snapshot_upload").set_value(("kol-2026-11.csv", csv_bytes(
        ["Nama,Followers", "Ayu Lestari,1000", "Budi Santoso,2000"]), "text/csv")).run()
    assert not at.exception, at.exception
    warning = next(w.value for w in at.warning if "No account is in both rosters" in w.value)
    assert "kol-2026-10.csv reads its accounts from “Akun”, kol-2026-11.csv from “Nama”" in warning


def test_rows_rejected_for_their_counts_do_not_unread_the_handle_column():
    """Most rows of this roster are rejected for their counts (tests.test_said's problem roster, with its
    header pasted again below). Leaving the handle column unread would make fewer rows rejected (no row lacks
    a handle, none repeats one) and hide every handle behind a row label; the reading keeps the handles and
    says the follower column is the one to check."""
    from tests.test_said import PROBLEMS

    lines = PROBLEMS.decode().splitlines()
    reading = read_roles(read_table(csv_bytes([*lines[:-1], lines[0], lines[-1]]), "problems.csv"))
    assert reading.mapping["handle"] == "Handle" and not reading.switched
    assert [p.key for p in reading.problems] == ["reading_most_rejected"]
    assert reading.problems[0].params["column"] == "Followers"

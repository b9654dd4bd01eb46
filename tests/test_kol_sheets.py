"""KOL sheets as agencies make them, and public "top influencers" data sets: each fixture read
exactly in the library, by the CLI and in the app; every row ends classified or rejected."""

from __future__ import annotations

import csv
import io
import subprocess
import sys

import pandas as pd
import pytest

from tests.fixtures import KOL_SHEETS, MERGED_KOL, Fixture
from tests.helpers import csv_bytes, roster_of
from tests.test_work import app, db  # noqa: F401  (db is a fixture)
from tiers.analysis.classify import analyse
from tiers.analysis.creators import by_creator, creator_counts
from tiers.analysis.planner import Constraints, plan_budget
from tiers.reading.read import read_table
from tiers.reading.roster import build_roster

IDS = [f.name for f in KOL_SHEETS]


def _expected(fixture: Fixture) -> list[tuple]:
    return [(row, handle, name, creator, platform, followers, status if status in ("ok",) else "rejected")
            for row, handle, name, creator, platform, followers, status in fixture.expected]


def _none(value):
    return None if pd.isna(value) else value


@pytest.mark.parametrize("fixture", KOL_SHEETS, ids=IDS)
def test_library_reads_each_sheet_exactly(fixture):
    roster = build_roster(read_table(fixture.data, fixture.name))
    rows = roster.rows[roster.rows["row_kind"] == "creator"]
    got = [(r.source_row, _none(r.handle), _none(r.name), r.creator, r.platform, _none(r.followers), r.status)
           for r in rows.itertuples()]
    assert got == _expected(fixture)
    for (*_, status), reason in zip(fixture.expected, rows["reason"], strict=True):
        assert (reason == "") if status == "ok" else (status in reason), reason
    counts = roster.counts
    assert counts["read"] == counts["ok"] + counts["rejected"] + counts["blank"] + counts["total"]


@pytest.mark.parametrize("fixture", KOL_SHEETS, ids=IDS)
def test_cli_writes_each_sheet_exactly(fixture, tmp_path):
    path = tmp_path / fixture.name
    path.write_bytes(fixture.data)
    done = subprocess.run([sys.executable, "-m", "tiers", "classify", str(path)], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stderr
    rows = [r for r in csv.DictReader(io.StringIO(done.stdout)) if "blank" not in r["reason"]
            and "total row" not in r["reason"]]
    got = [(int(r["source_row"]), r["handle"] or None, r["name"] or None, r["creator"], r["platform"],
            int(r["followers"]) if r["followers"] else None, r["status"]) for r in rows]
    assert got == _expected(fixture)


@pytest.mark.parametrize("fixture", KOL_SHEETS, ids=IDS)
def test_the_app_reads_each_sheet_exactly(fixture, db):  # noqa: F811
    at = app()
    at.file_uploader(key="upload").set_value((fixture.name, fixture.data, "application/octet-stream")).run()
    assert not at.exception, at.exception
    ok = sum(status == "ok" for *_, status in fixture.expected)
    values = {m.label: m.value for m in at.metric}
    assert (values["Creators classified"], values["Rejected"]) == (str(ok), str(len(fixture.expected) - ok))


def test_warnings_say_what_the_export_did():
    roster = roster_of(next(f for f in KOL_SHEETS if f.name == "scientific.csv").data)
    warning = roster.ok.set_index("handle")["warning"]
    assert warning["big"].startswith("column 'Followers': 1.2E+06 was rounded by the export")
    assert warning["mid"].startswith("column 'Followers': 3,5E+04 was rounded")
    assert pd.isna(warning["small"])


def test_repeated_headers_are_said_in_the_cli_and_on_the_roster_page(tmp_path, db):  # noqa: F811
    data = csv_bytes(["handle,followers,followers,likes", "@a,1200,1300,10", "@b,3400,3500,20"])
    path = tmp_path / "dup.csv"
    path.write_bytes(data)
    done = subprocess.run([sys.executable, "-m", "tiers", "classify", str(path)], capture_output=True, text=True,
                          check=False)
    assert "2 columns are named 'followers': followers read from 'followers'" in done.stderr
    at = app()
    at.file_uploader(key="upload").set_value(("dup.csv", data, "text/csv")).run()
    assert any("2 columns are named “followers” (followers, followers (2))" in w.value for w in at.warning)


def test_a_person_is_listed_once_and_can_be_booked_whole():
    roster = roster_of(MERGED_KOL, "kol.xlsx")
    analysed = analyse(roster)
    creators = analysed[analysed["status"] == "ok"]
    assert creator_counts(creators) == {"accounts": 6, "creators": 3, "several": 2}
    grouped = by_creator(creators.iloc[[3, 0, 4, 1]])  # Budi, Rina, Budi, Rina
    assert grouped["name"].tolist() == ["Budi Santoso", "Budi Santoso", "Rina Wijaya", "Rina Wijaya"]
    assert grouped["first_account"].tolist() == [True, False, True, False]
    fees = creators.assign(fee=[10.0, 10.0, 10.0, 10.0, 40.0, 5.0],
                           expected_engagements=[50.0, 2.0, 1.0, 30.0, 30.0, 20.0])
    single = plan_budget(fees, Constraints(budget=40))
    whole = plan_budget(fees, Constraints(budget=40, by_creator=True))
    assert sorted(single.chosen) == sorted(fees.index[[0, 3, 5, 1]])  # the best accounts, people split
    assert sorted(whole.chosen) == sorted(fees.index[[0, 1, 2, 5]])  # Rina whole (30) + Sari (5)
    assert whole.total_fee == 35

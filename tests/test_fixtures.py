"""Every fixture reads exactly, and the library, the CLI and the app agree on it."""

import csv
import io
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.fixtures import FIXTURES, OK
from tiers.analysis.classify import analyse
from tiers.presenting.export import classified_table
from tiers.presenting.i18n import format_count
from tiers.reading.read import read_table
from tiers.reading.roster import build_roster

ROOT = Path(__file__).parents[1]
IDS = [f.name for f in FIXTURES]


def library_table(fixture) -> pd.DataFrame:
    return classified_table(analyse(build_roster(read_table(fixture.data, fixture.name, fixture.sheet))))


def check(rows: list[dict], expected: list[tuple]) -> None:
    assert len(rows) == len(expected)
    for row, (source_row, handle, platform, followers, tier_or_reason, status) in zip(rows, expected, strict=True):
        assert int(row["source_row"]) == source_row
        assert (row["handle"] or None) == handle
        assert row["platform"] == platform
        got_followers = None if row["followers"] in ("", None) or pd.isna(row["followers"]) else int(row["followers"])
        assert got_followers == followers, row
        assert row["status"] == status, row
        if status == OK:
            assert row["tier"] == tier_or_reason and row["reason"] in ("", None)
        else:
            assert tier_or_reason in row["reason"], row


@pytest.mark.parametrize("fixture", FIXTURES, ids=IDS)
def test_library_reads_fixture_exactly(fixture):
    table = library_table(fixture).astype(object).where(lambda f: f.notna(), None)
    check(table.to_dict("records"), fixture.expected)


def test_there_are_at_least_twenty_fixtures():
    assert len(FIXTURES) >= 20


@pytest.mark.parametrize("fixture", FIXTURES, ids=IDS)
def test_cli_agrees(fixture, tmp_path):
    path = tmp_path / fixture.name
    path.write_bytes(fixture.data)
    result = subprocess.run([sys.executable, "-m", "tiers", "classify", str(path)], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    check(list(csv.DictReader(io.StringIO(result.stdout))), fixture.expected)


@pytest.mark.parametrize("fixture", [f for f in FIXTURES if f.expected], ids=[f.name for f in FIXTURES if f.expected])
def test_app_agrees(fixture):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.file_uploader[0].set_value((fixture.name, fixture.data, "application/octet-stream")).run()
    # Only the reading's own check may speak up (a sheet of mostly impossible counts, an ER of 150%).
    assert not at.exception and all("This reading looks wrong" in e.value for e in at.error)
    expected_ok = [e for e in fixture.expected if e[5] == OK]
    expected_rejected = [e for e in fixture.expected if e[5] != OK and "blank" not in e[4] and "total" not in e[4]]
    metrics = [m.value for m in at.metric]
    assert metrics[:3] == [str(len(fixture.expected)), str(len(expected_ok)), str(len(expected_rejected))]
    shown = at.dataframe[-1].value
    assert shown["Row"].tolist() == [format_count(e[0], "en") for e in expected_ok]  # as the page writes counts
    assert shown["Followers"].tolist() == [format_count(e[3], "en") for e in expected_ok]
    assert shown["Tier"].str.lower().tolist() == [e[4] for e in expected_ok]

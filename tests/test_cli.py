"""The command line's contract, run as a user runs it."""

import csv
import errno
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from tests.helpers import xlsx_bytes
from tests.test_roster import INDONESIAN_SEMICOLON
from tiers.analysis.schemes import all_schemes

ROOT = Path(__file__).parents[1]
COLUMNS = ["source_row", "handle", "name", "creator", "platform", "followers", "tier", "tier_stated", "engagement_rate",
           "engagement_rate_computed", "status", "reason"]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tiers", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)


def test_classify_contract(tmp_path):
    roster = tmp_path / "kol.csv"
    roster.write_bytes(INDONESIAN_SEMICOLON)
    out = tmp_path / "out.csv"
    result = run("classify", str(roster), "--scheme", "partipost", "-o", str(out))
    assert result.returncode == 0, result.stderr
    table = pd.read_csv(out, dtype={"reason": str}, keep_default_na=False)
    assert list(table.columns) == COLUMNS
    assert table["source_row"].tolist() == [4, 5, 6, 7, 8, 9, 10]
    assert table["handle"].tolist()[:3] == ["rina.id", "budi_vlog", "sari"]
    assert table["followers"].tolist()[:3] == ["12500", "1200000", "4876"]
    assert table["tier"].tolist()[:3] == ["micro", "mega", "nano"]
    assert table["status"].tolist() == ["ok", "ok", "ok", "rejected", "rejected", "rejected", "rejected"]
    assert table["reason"].tolist()[:3] == ["", "", ""]
    assert all(table["reason"].iloc[3:] != "")
    assert float(table["engagement_rate"].iloc[0]) == pytest.approx(1234 / 12_500)


def test_classify_xlsx_to_stdout_with_another_scheme(tmp_path):
    roster = tmp_path / "kol.xlsx"
    roster.write_bytes(xlsx_bytes({"Sheet1": [["Akun", "Pengikut"], ["a", 9_999], ["b", 10_000]]}))
    result = run("classify", str(roster), "--scheme", "shopee")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[0] == ",".join(COLUMNS)
    assert [line.split(",")[COLUMNS.index("tier")] for line in lines[1:]] == ["nano", "micro"]


def test_header_units_are_applied_and_reported(tmp_path):
    roster = tmp_path / "k.csv"
    roster.write_text("Akun;Pengikut (rb);Harga (juta)\nayu;4,5;1,5\nbudi;120;3\n", encoding="utf-8")
    result = run("classify", str(roster))
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["followers"], r["tier"]) for r in rows] == [("4500", "nano"), ("120000", "mega")]
    assert "'Pengikut (rb)' read in units of 1,000" in result.stderr
    assert "'Harga (juta)' read in units of 1,000,000" in result.stderr


def test_formula_like_text_is_neutralised(tmp_path):
    roster = tmp_path / "evil.csv"
    roster.write_text("handle,followers\n=HYPERLINK(\"x\"),1200\n+cmd,900\n", encoding="utf-8")
    result = run("classify", str(roster))
    assert result.returncode == 0, result.stderr
    handles = [row["handle"] for row in csv.DictReader(io.StringIO(result.stdout))]
    assert handles == ["'=HYPERLINK(\"x\")", "'+cmd"]


@pytest.mark.parametrize(("suffix", "content", "message"), [
    (".csv", b"", "the file is empty"),
    (".xlsx", bytes(range(256)) * 20, "the name says Excel/ODS workbook but the content is not one"),
    (".csv", bytes(range(1, 256)) * 20, "this file is not a spreadsheet (binary content)"),
    (".csv", b"handle,city\nayu,Jakarta\n", "no follower column"),
])
def test_unreadable_input_gives_one_line_and_non_zero_exit(tmp_path, suffix, content, message):
    roster = tmp_path / f"bad{suffix}"
    roster.write_bytes(content)
    result = run("classify", str(roster))
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert message in result.stderr and "bad." in result.stderr


def test_missing_file_and_unknown_scheme():
    missing = run("classify", "nope.csv")
    assert missing.returncode == 2  # the whole message: the file, that it cannot be read, and the system's reason
    assert missing.stderr == f"tierscope: error: nope.csv: cannot read the file ({os.strerror(errno.ENOENT)})\n"
    unknown = run("classify", "data/sample_roster.csv", "--scheme", "nope")
    assert unknown.returncode == 2 and "Traceback" not in unknown.stderr and unknown.stdout == ""
    # The refusal (argparse's usage lines come before it) names the scheme asked for and lists every valid one.
    said = unknown.stderr.strip().splitlines()[-1]
    named, _, choices = said.partition("choose")
    assert "'nope'" in named, said
    assert re.findall(r"\w+", choices)[-len(all_schemes()):] == list(all_schemes()), said


def test_schemes_lists_every_scheme_with_source():
    result = run("schemes")
    assert result.returncode == 0
    for scheme_id in ("partipost", "shopee", "hootsuite", "later", "iab"):
        assert any(line.startswith(scheme_id) for line in result.stdout.splitlines())
    assert "micro 5K–30K" in result.stdout


def test_a_report_of_a_roster_without_creators_is_refused_with_a_reason(tmp_path):
    roster = tmp_path / "none.csv"
    roster.write_text("Akun,Followers\nayu,abc\n", encoding="utf-8")
    result = run("report", str(roster), "-o", str(tmp_path / "r.html"))
    assert result.returncode == 2 and "no row could be classified (1 rejected)" in result.stderr
    assert not (tmp_path / "r.html").exists()


def test_a_mapping_can_name_the_platform_of_every_row(tmp_path):
    roster = tmp_path / "p.csv"
    roster.write_text("Akun,Followers\nayu,1200\n", encoding="utf-8")
    good, bad = tmp_path / "good.json", tmp_path / "bad.json"
    good.write_text('{"handle": "Akun", "followers": "Followers", "platform_of_all": "tiktok"}', encoding="utf-8")
    bad.write_text('{"handle": "Akun", "followers": "Followers", "platform_of_all": "tiktk"}', encoding="utf-8")
    result = run("classify", str(roster), "--mapping", str(good))
    assert result.returncode == 0 and next(csv.DictReader(io.StringIO(result.stdout)))["platform"] == "tiktok"
    assert "every row read as tiktok" in result.stderr
    result = run("classify", str(roster), "--mapping", str(bad))
    assert result.returncode == 2 and "platform_of_all must be one of" in result.stderr


def test_every_roster_sheet_of_a_workbook_with_the_sheet_named(tmp_path):
    roster = tmp_path / "two.xlsx"
    roster.write_bytes(xlsx_bytes({"Instagram": [["Akun", "Followers"], ["ayu", 1200]],
                                   "TikTok": [["Akun", "Followers"], ["citra", 2_000_000]]}))
    result = run("classify", str(roster))
    assert result.returncode == 0 and "sheet(s) TikTok also hold a follower column" in result.stderr
    result = run("classify", str(roster), "--sheet", "*")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["sheet"], r["handle"], r["platform"], r["tier"]) for r in rows] == [
        ("Instagram", "ayu", "instagram", "nano"), ("TikTok", "citra", "tiktok", "mega")]


def test_workspace_lists_exports_and_imports_with_the_same_refusals(tmp_path, monkeypatch, database_url):
    from tests.fixtures import KOL_XLSX
    from tiers.storage.analysis import Settings
    from tiers.storage.database import DATABASE_URL_ENV
    from tiers.storage.store import Store

    monkeypatch.setenv(DATABASE_URL_ENV, database_url)
    store = Store(database_url)
    made = store.create("Ramadan", "kol.xlsx", KOL_XLSX, Settings(brand="Wardah", scheme="shopee"))
    listed = run("workspace", "list")
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.splitlines()[0] == "Wardah" and made.id in listed.stdout and "Ramadan" in listed.stdout
    out = tmp_path / "ramadan.tierscope"
    assert run("workspace", "export", made.id, "-o", str(out)).returncode == 0
    imported = run("workspace", "import", str(out))
    assert imported.returncode == 0, imported.stderr
    copy = store.get(imported.stdout.strip())
    assert copy.settings == made.settings and copy.name == "Ramadan"
    out.write_bytes(out.read_bytes()[:100])
    refused = run("workspace", "import", str(out))
    assert refused.returncode == 2 and str(out) in refused.stderr and len(refused.stderr.splitlines()) == 1
    missing = run("workspace", "export", "f" * 32, "-o", str(tmp_path / "x.tierscope"))
    assert missing.returncode == 2 and "no saved analysis" in missing.stderr
    assert len(store.list()) == 2
    store.close()


def test_workspace_on_a_file_that_is_not_a_database_exits_2_and_leaves_it(tmp_path, monkeypatch):
    from tiers.storage.database import DATABASE_URL_ENV

    junk = tmp_path / "notes.db"
    junk.write_text("hello")
    monkeypatch.setenv(DATABASE_URL_ENV, f"sqlite:///{junk}")
    result = run("workspace", "list")
    assert result.returncode == 2 and "not a Tierscope database" in result.stderr and junk.read_text() == "hello"

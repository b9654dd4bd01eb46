"""Hostile files: refused with a clear message, or read safely; never a traceback or a lost row."""

import io
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pandas as pd
import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import csv_bytes, roster_of, xlsx_bytes
from tiers.presenting.export import to_safe_csv
from tiers.reading import limits
from tiers.reading.read import RosterError, read_table
from tiers.reading.roster import build_roster

ROOT = Path(__file__).parents[1]
VALID = xlsx_bytes({"S": [["handle", "followers"], ["a", 1200], ["b", 50_000]]})


def zip_bomb(unpacked_mb: int) -> bytes:
    """A real workbook whose sheet XML inflates to `unpacked_mb` megabytes of repeated rows."""
    source = zipfile.ZipFile(io.BytesIO(VALID))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for member in source.infolist():
            data = source.read(member.filename)
            if member.filename == "xl/worksheets/sheet1.xml":
                head, tail = data.split(b"</sheetData>")
                row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'
                data = head + row * (unpacked_mb * 2**20 // len(row)) + b"</sheetData>" + tail
            bomb.writestr(member.filename, data)
    return out.getvalue()


HOSTILE = {
    "empty.csv": (b"", "empty"),
    "spaces.csv": (b"   \n\n  ", "empty"),
    "random.xlsx": (bytes(range(256)) * 40, "not one"),
    "random.csv": (bytes(range(256)) * 40, "not a spreadsheet"),
    "truncated.xlsx": (VALID[: len(VALID) // 2], "cannot be opened"),
    "page.csv": (b"<!DOCTYPE html>\n<html><head><title>Login</title></head><body>x</body></html>", "web page"),
    "header-only.csv": (b"handle,followers\n", "no creator rows"),
    "no-followers.csv": (b"handle,city\nayu,Jakarta\n", "no follower column"),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_files_are_refused_with_a_message(name):
    data, message = HOSTILE[name]
    with pytest.raises(RosterError, match=message) as error:
        build_roster(read_table(data, name))
    assert str(error.value).startswith(name)


@pytest.mark.parametrize("name", list(HOSTILE))
def test_cli_refuses_hostile_files_in_one_line(name, tmp_path):
    path = tmp_path / name
    path.write_bytes(HOSTILE[name][0])
    result = subprocess.run([sys.executable, "-m", "tiers", "classify", str(path)], cwd=ROOT, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 2
    assert result.stdout == "" and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and name in result.stderr


def test_zip_bomb_is_refused_without_inflating_it(monkeypatch):
    monkeypatch.setattr(limits, "MAX_UNPACKED_BYTES", 8 * 2**20)
    bomb = zip_bomb(40)
    assert len(bomb) < 1_000_000
    started = time.perf_counter()
    with pytest.raises(RosterError, match="zip bomb"):
        read_table(bomb, "bomb.xlsx")
    assert time.perf_counter() - started < 1.0


def test_file_over_the_limit_is_refused(monkeypatch):
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 1000)
    with pytest.raises(RosterError, match="over the 0 MB limit|over the"):
        read_table(b"handle,followers\n" + b"a,1\n" * 500, "big.csv")


def test_a_one_megabyte_cell_is_read():
    bio = "x" * 1_000_000
    roster = roster_of(csv_bytes(["handle,followers,bio", f'ayu,1200,"{bio}"', "budi,300,short"]))
    assert roster.rows["followers"].tolist() == [1_200, 300]


def test_a_workbook_with_100k_empty_formatted_rows_reads_quickly():
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("Roster")
    fill = book.add_format({"bg_color": "#FFFF00", "border": 1})
    for r, row in enumerate([["handle", "followers"], ["a", 1200], ["b", 50_000]]):
        sheet.write_row(r, 0, row)
    for r in range(3, 100_003):
        sheet.set_row(r, None, fill)
    book.close()
    started = time.perf_counter()
    roster = roster_of(buffer.getvalue(), "formatted.xlsx")
    assert time.perf_counter() - started < 10
    assert roster.counts["read"] == 2 and roster.rows["followers"].tolist() == [1_200, 50_000]


def test_formula_like_and_html_text_is_kept_as_data_and_neutralised_in_csv():
    data = csv_bytes(["handle,name,followers", "=cmd|' /C calc'!A0,<script>alert(1)</script>,1200",
                      "@sum(1+1),+62 812,900", "-2+3,<b>bold</b>,300"])
    roster = roster_of(data)
    assert roster.rows["handle"].tolist() == ["=cmd|' /C calc'!A0", "sum(1+1)", "-2+3"]
    assert roster.rows["name"].tolist() == ["<script>alert(1)</script>", "+62 812", "<b>bold</b>"]
    written = pd.read_csv(io.BytesIO(to_safe_csv(roster.rows)), dtype=str)
    assert written["handle"].tolist() == ["'=cmd|' /C calc'!A0", "sum(1+1)", "'-2+3"]
    assert written["name"].tolist()[1] == "'+62 812"


def test_csv_neutralises_and_quotes_categorical_labels_and_text_alike():
    frame = pd.DataFrame({"tier": pd.Categorical(["=1+1", "nano", "=1+1", None, "@x"]),
                          "note": ["a,b", "-x", None, 'say "hi"', "plain"], "n": [1, 2, 3, 4, 5]})
    written = pd.read_csv(io.BytesIO(to_safe_csv(frame)), dtype=str, keep_default_na=False)
    assert written["tier"].tolist() == ["'=1+1", "nano", "'=1+1", "", "'@x"]
    assert written["note"].tolist() == ["a,b", "'-x", "", 'say "hi"', "plain"]
    tail = pd.read_csv(io.BytesIO(to_safe_csv(frame.iloc[3:])), dtype=str, keep_default_na=False)
    assert tail["note"].tolist() == ['say "hi"', "plain"] and tail["tier"].tolist() == ["", "'@x"]


DIALECTS = st.sampled_from([(",", "utf-8"), (";", "utf-8"), ("\t", "utf-16"), ("|", "cp1252"), (";", "utf-8-sig")])
# Text a person types into a sheet: printable characters (no control characters, which make a file
# binary), the quote among them, and the numbers and labels rosters hold.
CELL = st.one_of(st.text(alphabet=st.characters(codec="cp1252", categories=["L", "N", "P", "S", "Zs"],
                                                exclude_characters="\r\n"), max_size=10),
                 st.sampled_from(['"', '"Ayu', '5" TV', 'say "hi"', '""']),
                 st.integers(-10**6, 10**11).map(str),
                 st.sampled_from(["12,5rb", "1,2 jt", "4.876", "TOTAL", "", "n/a", "=1+1", "10K+", "Rp 1.500.000"]))
FUZZ_EXAMPLES = 200
checked = []  # the examples that reached the checks (not refused), counted by the test after this one


@settings(max_examples=FUZZ_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow],
          derandomize=True)
@given(DIALECTS, st.lists(st.lists(CELL, min_size=3, max_size=3), min_size=1, max_size=15))
def test_random_tables_in_random_dialects_never_crash_and_lose_no_row(dialect, rows):
    sep, encoding = dialect
    # A cell holding the delimiter is quoted as a spreadsheet writes it (its quotes doubled); any other
    # cell is written as typed, stray quotes and all.
    lines = [sep.join(["Handle", "Followers", "Platform"])] + [
        sep.join('"' + c.replace('"', '""') + '"' if sep in c else c for c in row) for row in rows]
    data = ("\n".join(lines) + "\n").encode(encoding)
    # `""` is how CSV writes an empty cell; a lone or unbalanced quote is text, kept.
    non_blank = sum(1 for row in rows if any(c.strip() not in ("", '""') for c in row))
    raw = read_table(data, "fuzz.csv")
    try:
        build_roster(raw)  # the columns' roles guessed from the cells: a refusal is a message, never a crash
    except RosterError:
        pass
    try:  # the rows under the columns as the header names them: every one accounted for
        roster = build_roster(raw, {"handle": "Handle", "followers": "Followers", "platform": "Platform"})
    except RosterError as error:
        # The only refusal valid text may get: a header with nothing but blank rows under it.
        assert non_blank == 0 and "no creator rows follow" in str(error), (str(error), lines)
        return
    checked.append(len(rows))
    counts = roster.counts
    assert counts["read"] == counts["ok"] + counts["rejected"] + counts["blank"] + counts["total"]
    assert set(roster.rows["status"]) <= {"ok", "rejected"}
    assert (roster.rows.loc[roster.rows["status"] == "rejected", "reason"] != "").all()
    assert counts["read"] - counts["blank"] == non_blank, lines  # every non-blank line is a row, none merged


def test_the_fuzz_test_checked_most_of_its_examples():
    # Runs after it (pytest keeps file order): refusals must be rare, not the way examples pass.
    assert len(checked) >= 0.9 * FUZZ_EXAMPLES, len(checked)

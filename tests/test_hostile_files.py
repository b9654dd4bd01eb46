"""Files built to exhaust a reader: refused with a message naming the file, in the library, the CLI
and the running app, and the server still answers for everyone after each of them."""

from __future__ import annotations

import functools
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tests import hostile_files
from tiers.reading import limits
from tiers.reading.read import RosterError, read_table
from tiers.reading.roster import build_roster
from tiers.reading.sandbox import read_table_isolated

ROOT = Path(__file__).parents[1]
NAMES = list(hostile_files.REFUSED)
# The one file no check can see: its size is only found by the reader, so only the sandbox refuses it.
SANDBOX_ONLY = "far-cell-understated.xlsx"


@functools.cache
def hostile(name: str) -> bytes:
    return hostile_files.REFUSED[name][0]()


@pytest.mark.parametrize("name", [name for name in NAMES if name != SANDBOX_ONLY])
def test_checks_refuse_before_reading(name, monkeypatch):
    """Measured from what the file declares: the reader itself is never called."""
    monkeypatch.setattr("tiers.reading.read._read_workbook", lambda *a: pytest.fail("the workbook was read"))
    monkeypatch.setattr("tiers.reading.read._read_text_table", lambda *a: pytest.fail("the text was parsed"))
    with pytest.raises(RosterError, match=hostile_files.REFUSED[name][1]) as error:
        read_table(hostile(name), name)
    assert str(error.value).startswith(f"{name}: ")


@pytest.mark.parametrize("name", NAMES)
def test_the_reader_worker_refuses_every_hostile_file_and_this_process_lives(name):
    with pytest.raises(RosterError, match=hostile_files.REFUSED[name][1]) as error:
        read_table_isolated(hostile(name), name)
    assert str(error.value).startswith(f"{name}: ") and "\n" not in str(error.value)


def test_the_reader_worker_reads_what_read_table_reads():
    data = (ROOT / "data" / "sample_roster.csv").read_bytes()
    direct, isolated = read_table(data, "sample_roster.csv"), read_table_isolated(data, "sample_roster.csv")
    assert isolated.cells.equals(direct.cells) and isolated.header_row == direct.header_row
    assert (isolated.file_name, isolated.sheet, isolated.sheets) == (direct.file_name, direct.sheet, direct.sheets)


def test_the_reader_worker_passes_on_refusals_of_ordinary_bad_files():
    with pytest.raises(RosterError, match="^empty.csv: the file is empty"):
        read_table_isolated(b"  \n", "empty.csv")


def test_a_command_child_ended_by_a_limit_is_one_line_naming_the_file(capsys):
    """The CLI's way: the command in a forked child; the read that kills it is named by the parent."""
    from tiers.reading.sandbox import run_command_isolated

    def command() -> int:
        read_table_isolated(b"handle,followers\na,1\n", "fine.csv")
        read_table_isolated(hostile(SANDBOX_ONLY), SANDBOX_ONLY)
        return 0

    assert run_command_isolated(command) == 2
    assert capsys.readouterr().err == f"tierscope: error: {SANDBOX_ONLY}: reading this file needs more memory " \
        "than Tierscope gives a file of its size. It may be built to exhaust the server; else export the roster " \
        "sheet alone as CSV.\n"
    assert run_command_isolated(lambda: 7) == 7  # an ordinary exit code is the command's


def test_libreoffice_blank_repeats_are_not_counted():
    """LibreOffice writes the rest of every sheet as one repeated empty cell in a repeated empty row."""
    roster = build_roster(read_table(hostile_files.ods_roster(), "roster.ods"))
    assert roster.rows["followers"].tolist() == [1_200, 50_000]


def test_a_header_wider_than_the_sample_reads_every_column():
    columns = 4_000  # a 130 KB header line
    raw = read_table(hostile_files.wide_header_csv(columns), "wide.csv")
    assert raw.cells.shape == (2, columns + 2)
    assert build_roster(raw).rows["followers"].tolist() == [1_200, 50_000]


def test_limits_are_upper_bounds_of_what_honest_files_hold():
    """A sheet of exactly the limit's rows is not refused; one more row is."""
    rows = limits.MAX_ROWS
    limits.check_text(b"handle,followers\n" + b"a,1\n" * (rows - 2))
    with pytest.raises(limits.TooLarge):
        limits.check_text(b"handle,followers\n" + b"a,1\n" * rows)


@pytest.mark.parametrize("name", NAMES)
def test_cli_refuses_in_one_line(name, tmp_path):
    path = tmp_path / name
    path.write_bytes(hostile(name))
    result = subprocess.run([sys.executable, "-m", "tiers", "classify", str(path)], cwd=ROOT, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"tierscope: error: {name}: "), result.stderr
    assert hostile_files.REFUSED[name][1] in lines[0]


BROWSER_FILES = ["far-cell.xlsx", SANDBOX_ONLY, "repeated-cells.ods", "dense-rows-undeclared.xlsx", "wide-header.csv"]


@pytest.mark.browser
def test_the_server_answers_after_every_hostile_upload(page, app_url):
    from playwright.sync_api import expect

    page.goto(app_url)
    expect(page.locator("[data-testid='stMetricValue']").first).to_be_visible(timeout=60_000)  # the sample shows
    for name in BROWSER_FILES:
        page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(
            {"name": name, "mimeType": "application/octet-stream", "buffer": hostile(name)})
        refusal = page.get_by_text(f"{name}: ", exact=False).first
        expect(refusal).to_be_visible(timeout=120_000)
        expect(refusal).to_contain_text(hostile_files.REFUSED[name][1])
        assert urllib.request.urlopen(f"{app_url}/_stcore/health", timeout=10).status == 200
        expect(page.locator("[data-testid='stException']")).to_have_count(0)


def test_windows_1252_lines_inside_utf8_are_read_as_such_and_said():
    data = "handle,name,followers\nayu,Renée,1200\n".encode() + "budi,Chloë,300\n".encode("cp1252")
    raw = read_table(data, "mixed.csv")
    assert build_roster(raw).rows["name"].tolist() == ["Renée", "Chloë"]
    assert raw.notes == (("note_mixed_encoding", {"file": "mixed.csv"}),)


def test_text_encoded_twice_is_repaired_and_said():
    data = "handle,name,followers\nayu,RenÃ©e â€™s,1200\nbudi,São Paulo,300\n".encode()
    raw = read_table(data, "twice.csv")
    assert build_roster(raw).rows["name"].tolist() == ["Renée ’s", "São Paulo"]
    assert raw.notes == (("note_double_encoded", {"file": "twice.csv", "count": 1}),)


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252", "utf-16"])
def test_files_in_one_encoding_are_read_without_a_note(encoding):
    raw = read_table("handle,name,followers\nayu,Renée Ångström,1200\n".encode(encoding), "plain.csv")
    assert raw.notes == () and build_roster(raw).rows["name"].tolist() == ["Renée Ångström"]


def test_cells_right_of_the_header_are_kept_and_said():
    raw = read_table(b"handle,followers\nayu,1200,extra note,more\nbudi,300\n", "right.csv")
    assert raw.cells.loc[2, ["column C", "column D"]].tolist() == ["extra note", "more"]
    assert raw.notes == (("note_unnamed_columns", {"file": "right.csv", "columns": "C, D"}),)


def test_an_imported_analysis_of_a_hostile_workbook_opens_as_a_refusal(tmp_path, monkeypatch):
    """A .tierscope file carrying the far-cell sheet imports (its roster is not parsed then); opening
    the analysis reads the roster in the reader worker, so the page says why and the server lives."""
    from streamlit.testing.v1 import AppTest

    from tiers.storage.analysis import Settings
    from tiers.storage.database import DATABASE_URL_ENV
    from tiers.storage.store import Store

    url = f"sqlite:///{tmp_path / 'work.db'}"
    monkeypatch.setenv(DATABASE_URL_ENV, url)
    store = Store(url)
    try:
        made = store.create("Far", "far-cell.xlsx", hostile("far-cell-understated.xlsx"),
                            Settings(mapping={"handle": "handle", "followers": "followers"}))
        packed = store.export(made.id)
        opened = store.import_archive(packed, "far.tierscope")
    finally:
        store.close()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["a"] = opened.id
    at.run()
    assert not at.exception
    shown = [error.value.replace("\\", "") for error in at.error]  # Markdown escapes removed, as the page renders
    assert any("far-cell.xlsx: reading this file needs more memory" in text for text in shown), shown

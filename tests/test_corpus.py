"""Every sheet of the corpus (tests/corpus/) reads as its expected-reading file says, in the
library, by the CLI and in the app: which columns are the identity, followers and engagements, how
many creators, and rows in = ok + rejected + blank/total."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_work import app, db  # noqa: F401  (db is a fixture)
from tiers.analysis.classify import analyse
from tiers.reading.checking import check_roster, read_roles
from tiers.reading.read import RosterError, read_table
from tiers.reading.roster import build_roster

CORPUS = Path(__file__).parent / "corpus"
EXPECTED = sorted(CORPUS.glob("*.expected.json"))
ROOT = Path(__file__).parents[1]


def _case(path: Path) -> tuple[bytes, dict]:
    expected = json.loads(path.read_text(encoding="utf-8"))
    return (CORPUS / expected["file"]).read_bytes(), expected


CASES = [_case(path) for path in EXPECTED]
IDS = [expected["file"] for _, expected in CASES]
READ = [(data, expected) for data, expected in CASES if "refused" not in expected]
READ_IDS = [expected["file"] for _, expected in READ]


def test_the_corpus_has_a_source_for_every_file():
    files = {p.name for p in CORPUS.iterdir() if p.suffix in (".csv", ".xlsx", ".tsv", ".txt")}
    assert files == set(IDS) and len(files) >= 8
    assert all(expected["source"] for _, expected in CASES)


@pytest.mark.parametrize(("data", "expected"), CASES, ids=IDS)
def test_the_library_reads_every_corpus_file_as_expected(data, expected):
    raw = read_table(data, expected["file"])
    if "refused" in expected:
        with pytest.raises(RosterError, match=expected["refused"]):
            build_roster(raw)
        return
    reading = read_roles(raw)
    mapping = reading.mapping
    roster = build_roster(raw, mapping)
    assert {role: mapping.get(role) for role in ("handle", "name")} == expected["identity"]
    assert mapping.get("followers") == expected["followers"]
    assert mapping.get("engagements") == expected["engagements"]
    assert mapping.get("tier_stated") == expected.get("tier_stated")
    for role, header in expected.get("not_read_as", {}).items():
        assert mapping.get(role) != header, (role, header)
    counts = roster.counts
    assert (counts["ok"] + counts["rejected"], counts["ok"], counts["rejected"]) == (
        expected["creators"], expected["ok"], expected["rejected"])
    assert counts["blank"] + counts["total"] == expected["not_creators"]
    assert counts["read"] == counts["ok"] + counts["rejected"] + counts["blank"] + counts["total"]
    if "platform" in expected:
        assert set(roster.ok["platform"]) == {expected["platform"]}
    if "warned" in expected:
        assert counts["flagged"] == expected["warned"]
    assert not [p for p in check_roster(roster) if p.severe]
    if "rate_known" in expected:
        assert int(analyse(roster)["engagement_rate"].notna().sum()) == expected["rate_known"]


@pytest.mark.parametrize(("data", "expected"), CASES, ids=IDS)
def test_the_cli_reads_every_corpus_file_as_expected(data, expected, tmp_path):
    path = tmp_path / expected["file"]
    path.write_bytes(data)
    done = subprocess.run([sys.executable, "-m", "tiers", "classify", str(path)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    if "refused" in expected:
        assert done.returncode == 2 and expected["refused"] in done.stderr and done.stdout == ""
        assert len(done.stderr.strip().splitlines()) == 1
        return
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    creators = [r for r in rows if not r["reason"].startswith(("blank row", "total row"))]
    assert len(creators) == expected["creators"]
    assert sum(r["status"] == "ok" for r in rows) == expected["ok"]
    assert len(rows) - len(creators) == expected["not_creators"]
    if expected.get("tier_stated"):
        assert list(rows[0])[6:8] == ["tier", "tier_stated"] and all(r["tier_stated"] for r in creators)


@pytest.mark.parametrize(("data", "expected"), CASES, ids=IDS)
def test_the_app_reads_every_corpus_file_as_expected(data, expected, db):  # noqa: F811
    at = app()
    at.file_uploader(key="upload").set_value((expected["file"], data, "application/octet-stream")).run()
    assert not at.exception, at.exception
    if "refused" in expected:
        assert any(expected["refused"] in e.value for e in at.error)
        return
    values = {m.label: m.value for m in at.metric}
    assert (values["Creators classified"], values["Rejected"]) == (str(expected["ok"]), str(expected["rejected"]))
    assert not any("This reading looks wrong" in e.value for e in at.error)

"""AppTest of the Over time page: snapshots added, compared, confirmed, saved and back in a fresh
session; the Present page tells what changed."""

from __future__ import annotations

import datetime as dt

from tests.fixtures import ENGLISH_LINKS, HANDLES, INDONESIAN_WORKBOOK, NAMES_ONLY
from tests.helpers import widget
from tests.test_work import app, db, restart_server  # noqa: F401  (db is a fixture)


def _metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _with_snapshot(at, main: tuple[str, bytes], snapshot: tuple[str, bytes]):
    at.file_uploader(key="upload").set_value((*main, "application/octet-stream")).run()
    at.switch_page("pages/changes.py").run()
    assert not at.exception, at.exception
    assert "Only one roster so far" in at.info[0].value
    at.file_uploader(key="snapshot_upload").set_value((*snapshot, "application/octet-stream")).run()
    assert not at.exception, at.exception
    return at


def test_a_newer_roster_in_another_layout_is_compared_saved_and_back_in_a_fresh_session(db):  # noqa: F811
    at = _with_snapshot(app(), ("kol-2026-10.xlsx", INDONESIAN_WORKBOOK), ("kol-november-2026.csv", ENGLISH_LINKS))
    expected = {"Accounts in both": "4", "New": "1", "Dropped": "1", "Tier up / down": "2 / 0"}
    assert {k: v for k, v in _metrics(at).items() if k in expected} == expected
    analysis_id = at.query_params["a"]
    saved = db.get(analysis_id).settings
    assert [(s["file_name"], s["date"]) for s in saved.snapshots] == [("kol-november-2026.csv", "2026-11-01")]
    assert saved.compare == {"before": "main", "after": saved.snapshots[0]["id"]}
    assert db.file(saved.snapshots[0]["digest"]) == ENGLISH_LINKS
    assert at.selectbox(key=widget(at, f"compare_main_{saved.snapshots[0]['id']}_before")).value == "main"

    restart_server()
    again = app(analysis_id)
    again.switch_page("pages/changes.py").run()
    assert not again.exception, again.exception
    assert {k: v for k, v in _metrics(again).items() if k in expected} == expected
    again.switch_page("pages/present.py").run()
    assert not again.exception, again.exception
    headers = [h.value for h in again.header]
    assert "What changed since 1 Oct 2026" in headers
    assert any("4 accounts in both rosters, 1 new, 1 dropped" in m.value for m in again.markdown)


def test_a_snapshot_date_and_its_columns_can_be_corrected(db):  # noqa: F811
    at = _with_snapshot(app(), ("kol-2026-10.xlsx", INDONESIAN_WORKBOOK), ("export.csv", ENGLISH_LINKS))
    snapshot = at.session_state["snapshots"][0]
    at.date_input(key=widget(at, f"date_{snapshot['id']}")).set_value(dt.date(2026, 9, 1)).run()
    # Now the snapshot is the older roster: the comparison turns round.
    assert at.session_state["compare"] == {"before": snapshot["id"], "after": "main"}
    assert _metrics(at)["Tier up / down"] == "0 / 2"
    # Reading the snapshot's followers from no column at all makes it unreadable, said by name.
    at.selectbox(key=widget(at, f"snap_{snapshot['id']}_followers_None")).set_value("").run()
    assert not at.exception, at.exception
    assert any("export.csv cannot be compared" in e.value for e in at.error)
    saved = db.get(at.query_params["a"]).settings.snapshots[0]
    assert saved["date"] == "2026-09-01" and "followers" not in saved["mapping"]


def test_name_matches_are_shown_for_confirmation_and_a_no_is_kept(db):  # noqa: F811
    at = _with_snapshot(app(), ("handles-2026-10.csv", HANDLES), ("names-2026-11.csv", NAMES_ONLY))
    assert _metrics(at)["Accounts in both"] == "3"
    assert any("Matched by name: please confirm (3)" in s.value for s in at.subheader)
    assert any("several accounts share a name (1)" in s.value for s in at.subheader)
    editor = at.session_state  # the data editor's edits are state: untick the second row
    key = widget(at, "name_matches_0")
    editor[key] = {"edited_rows": {1: {"same": False}}, "added_rows": [], "deleted_rows": []}  # its column, labelled
    at.run()
    assert not at.exception, at.exception
    declined = db.get(at.query_params["a"]).settings.declined_matches
    assert len(declined) == 1 and declined[0].startswith("instagram:")
    assert _metrics(at)["Accounts in both"] == "2"

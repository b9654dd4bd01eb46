"""The store on real SQLite and PostgreSQL: migrations, every part of an analysis round-tripped,
versions, listing, deleting, export / import refusals, foreign databases, and a SIGKILL mid-save."""

from __future__ import annotations

import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from tests.fixtures import KOL_XLSX
from tests.helpers import png_bytes, roster_of
from tiers.storage import archive
from tiers.storage.analysis import Settings, by_client
from tiers.storage.database import StoreError, head_revision
from tiers.storage.rosters import roster_key
from tiers.storage.schema import metadata
from tiers.storage.store import NotFound, Store, VersionConflict, digest_of

ROOT = Path(__file__).parents[1]
SAMPLE = (ROOT / "data" / "sample_roster.csv").read_bytes()
LOGO = png_bytes()


def every_setting() -> Settings:
    """Settings with every part set away from its default."""
    return Settings(
        sheet="KOL", mapping={"handle": "Akun", "followers": "Pengikut", "platform_of_all": "tiktok"},
        scheme="shopee", norms="custom",
        custom_norms={"id": "custom", "name": "Mine", "source": "me", "year": 2026, "er_definition": "likes",
                      "basis": "followers", "components": ["likes"], "note": "",
                      "bands": [{"platform": "all", "min_followers": 0, "low": 0.01, "high": 0.05}]},
        filters={"platforms": ["tiktok"], "niches": ["Food"], "cities": ["Bandung"]},
        nano_tags={"4/instagram": "native", "7/tiktok": "non-native"}, idr_per_unit=16_250.0,
        planner={"budget": 50_000_000.0, "objective": "reach", "max_share": 0.4, "must_include": ["4/instagram"]},
        shortlist=["7/tiktok", "4/instagram"], brand="Wardah", agency="Agensi Kita", accent="#c2185b",
        lang="id")


@pytest.fixture
def store(database_url):
    store = Store(database_url)
    yield store
    store.close()


def test_an_empty_database_is_migrated_to_head_and_matches_the_tables(database_url):
    store = Store(database_url)
    with store.engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == head_revision()
        assert compare_metadata(MigrationContext.configure(connection), metadata) == []
    assert set(inspect(store.engine).get_table_names()) == {"alembic_version", "files", "rosters", "analyses",
                                                              "snapshot_files", "share_links", "sign_outs", "posts",
                                                              "result_files"}
    store.close()
    Store(database_url).close()  # opening again migrates nothing and keeps working


def test_every_part_of_an_analysis_round_trips(store):
    settings = every_setting()
    made = store.create("Ramadan proposal", "kol.xlsx", KOL_XLSX, settings, logo=LOGO)
    opened = store.get(made.id)
    expected = Settings(**{**settings.__dict__, "logo": digest_of(LOGO)})
    assert opened.settings == expected
    assert (opened.name, opened.file_name, opened.version, opened.client) == ("Ramadan proposal", "kol.xlsx", 1,
                                                                             "Wardah")
    assert store.file(opened.file_digest) == KOL_XLSX and store.file(opened.settings.logo) == LOGO
    assert opened.created_at.tzinfo is not None and opened.updated_at >= opened.created_at


def test_a_parsed_roster_round_trips_and_is_kept_only_for_an_analysis_that_reads_it(store):
    roster = roster_of(KOL_XLSX, "kol.xlsx")
    settings = Settings(sheet=roster.sheet, mapping=roster.mapping)
    made = store.create("KOL", "kol.xlsx", KOL_XLSX, settings)
    key = roster_key(made.file_digest, roster.sheet, roster.mapping)
    assert not store.put_roster("0" * 64, made.file_digest, roster)  # no analysis reads that one
    assert store.roster("0" * 64) is None
    assert store.put_roster(key, made.file_digest, roster)
    back = store.roster(key)
    pd.testing.assert_frame_equal(back.rows, roster.rows)
    assert back == roster.__class__(**{**roster.__dict__, "rows": back.rows})
    # A new mapping reads another roster; the old parse goes with the save that stops using it.
    store.save(made.id, Settings(sheet=roster.sheet, mapping={"followers": "Pengikut"}), made.version)
    assert store.roster(key) is None


def test_a_save_over_an_older_version_is_refused_with_the_newer_one(store):
    made = store.create("A", "s.csv", SAMPLE, Settings())
    first = store.save(made.id, Settings(scheme="shopee"), made.version)
    assert first.version == 2
    with pytest.raises(VersionConflict) as conflict:
        store.save(made.id, Settings(scheme="iab"), made.version)  # the second editor, still on version 1
    assert conflict.value.current.settings.scheme == "shopee" and conflict.value.current.version == 2
    assert store.get(made.id).settings.scheme == "shopee"  # nothing was overwritten
    assert store.save(made.id, Settings(scheme="iab"), conflict.value.current.version).version == 3
    with pytest.raises(NotFound):
        store.save("f" * 32, Settings(), 1)


def test_work_is_listed_by_client_newest_first_and_found_by_search(store, monkeypatch):
    import datetime as dt

    from tiers.storage import store as store_module
    ticks = iter(range(1_000))  # a clock that moves one second at each reading: the order is the creation order
    start = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    monkeypatch.setattr(store_module, "_now", lambda: start + dt.timedelta(seconds=next(ticks)))
    old = store.create("Q1 proposal", "q1.csv", SAMPLE, Settings(brand="Wardah"))
    other = store.create("Launch", "launch.xlsx", KOL_XLSX, Settings(brand="Indomie"))
    new = store.create("Q2 proposal", "q2.csv", SAMPLE, Settings(brand="Wardah"))
    assert [s.id for s in store.list()] == [new.id, other.id, old.id]  # the store's own listing: newest first
    groups = by_client(store.list())
    assert [(client, [s.id for s in items]) for client, items in groups] == [
        ("Wardah", [new.id, old.id]), ("Indomie", [other.id])]
    assert [s.id for s in store.list("q2")] == [new.id]
    assert [s.id for s in store.list("WARDAH proposal")] == [new.id, old.id]
    assert [s.id for s in store.list(".xlsx")] == [other.id]
    assert store.list("100%_") == []  # wildcards are text


def test_rename_duplicate_and_delete_keep_files_while_used(store):
    made = store.create("Draft", "s.csv", SAMPLE, every_setting(), logo=LOGO)
    store.rename(made.id, "  Final   proposal ")
    assert store.get(made.id).name == "Final proposal"
    copy = store.duplicate(made.id)
    assert copy.name == "Final proposal (copy)" and copy.settings == store.get(made.id).settings
    assert copy.id != made.id and copy.version == 1
    store.delete(made.id)
    assert store.get(made.id) is None and store.file(copy.file_digest) == SAMPLE  # the copy still uses it
    store.delete(copy.id)
    with pytest.raises(NotFound):
        store.file(copy.file_digest)
    with pytest.raises(NotFound):
        store.file(digest_of(LOGO))
    with pytest.raises(NotFound):
        store.delete(copy.id)
    assert store.get("not-an-id") is None


def test_export_and_import_carry_the_whole_analysis(store):
    made = store.create("Proposal", "kol.xlsx", KOL_XLSX, every_setting(), logo=LOGO)
    packed = store.export(made.id)
    imported = store.import_archive(packed, "proposal.tierscope")
    assert imported.id != made.id
    assert (imported.name, imported.file_name, imported.settings) == (made.name, made.file_name, made.settings)
    assert store.file(imported.settings.logo) == LOGO
    with zipfile.ZipFile(io.BytesIO(packed)) as zipped:
        manifest = json.loads(zipped.read("manifest.json"))
        assert zipped.read("roster/kol.xlsx") == KOL_XLSX
    assert manifest["format"] == archive.FORMAT and manifest["schema_revision"] == head_revision()


NEWER = b"Akun,Followers\nayu,1500\nbudi,2600\n"


def _with_snapshot(settings: Settings, data: bytes = NEWER, **changes) -> Settings:
    snapshot = {"id": "s1", "file_name": "kol-2026-12.csv", "digest": digest_of(data), "sheet": None,
                "mapping": {"handle": "Akun", "followers": "Followers"}, "date": "2026-12-01"} | changes
    settings.snapshots = [*settings.snapshots, snapshot]
    settings.compare = {"before": "main", "after": snapshot["id"]}
    settings.roster_date = "2026-11-01"
    settings.declined_matches = ["instagram:ayu"]
    return settings


def test_snapshots_keep_their_files_and_parses_until_no_analysis_uses_them(store):
    made = store.create("Over time", "kol.xlsx", KOL_XLSX, Settings())
    saved = store.save(made.id, _with_snapshot(Settings()), made.version, new_files={digest_of(NEWER): NEWER})
    assert saved.settings.snapshots[0]["digest"] == digest_of(NEWER) and saved.settings.roster_date == "2026-11-01"
    assert store.file(digest_of(NEWER)) == NEWER
    snapshot = saved.settings.snapshots[0]
    key = roster_key(snapshot["digest"], snapshot["sheet"], snapshot["mapping"])
    assert store.put_roster(key, snapshot["digest"], roster_of(NEWER))  # a snapshot's parse is kept too
    assert store.roster(key).counts["ok"] == 2
    copy = store.duplicate(made.id)
    unlinked = store.save(made.id, Settings(), saved.version)  # the snapshot removed here, kept by the copy
    assert store.file(digest_of(NEWER)) == NEWER and store.roster(key) is not None
    store.delete(copy.id)
    assert store.roster(key) is None
    with pytest.raises(NotFound):
        store.file(digest_of(NEWER))
    with pytest.raises(NotFound, match="snapshot"):  # settings naming a file that was never stored
        store.save(made.id, _with_snapshot(Settings()), unlinked.version)
    assert store.get(made.id).version == unlinked.version  # ... and nothing was saved


def test_a_database_of_the_first_schema_is_upgraded_with_its_work_kept(database_url):
    from alembic import command

    from tiers.storage.database import _alembic_config

    store = Store(database_url)
    made = store.create("Before snapshots", "kol.xlsx", KOL_XLSX, every_setting(), logo=LOGO)
    with store.engine.begin() as connection:  # as a Tierscope of the first schema left it
        command.downgrade(_alembic_config(connection), "0001")
    assert "snapshot_files" not in inspect(store.engine).get_table_names()
    store.close()
    reopened = Store(database_url)
    try:
        assert reopened.get(made.id).settings == made.settings
        saved = reopened.save(made.id, _with_snapshot(made.settings), made.version, new_files={digest_of(NEWER): NEWER})
        assert reopened.file(saved.settings.snapshots[0]["digest"]) == NEWER
    finally:
        reopened.close()


def test_export_and_import_carry_the_snapshots(store):
    made = store.create("Over time", "kol.xlsx", KOL_XLSX, _with_snapshot(every_setting()),
                        new_files={digest_of(NEWER): NEWER})
    packed = store.export(made.id)
    store.delete(made.id)
    imported = store.import_archive(packed, "over-time.tierscope")
    assert imported.settings == made.settings and store.file(digest_of(NEWER)) == NEWER
    missing = _rezip(packed, lambda e: e.pop(f"snapshots/{digest_of(NEWER)}"))
    with pytest.raises(archive.ArchiveError, match="is missing"):
        store.import_archive(missing, "bad.tierscope")
    unlisted = _rezip(packed, lambda e: _manifest(e, snapshots=[]))
    with pytest.raises(archive.ArchiveError, match="snapshot's file is missing"):
        store.import_archive(unlisted, "bad.tierscope")


@pytest.mark.parametrize("bad", [{"digest": "short"}, {"date": "Desember"}, {"mapping": "Akun"}, {"id": None}])
def test_a_malformed_snapshot_in_settings_is_refused(bad):
    with pytest.raises(ValueError, match="snapshot"):
        Settings.from_dict(json.loads(_with_snapshot(Settings(), **bad).to_json()))


def _rezip(packed: bytes, change) -> bytes:
    with zipfile.ZipFile(io.BytesIO(packed)) as zipped:
        entries = {name: zipped.read(name) for name in zipped.namelist()}
    change(entries)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zipped:
        for name, data in entries.items():
            zipped.writestr(name, data)
    return out.getvalue()


def _manifest(entries, **changes):
    manifest = json.loads(entries["manifest.json"])
    manifest.update(changes)
    entries["manifest.json"] = json.dumps(manifest)


@pytest.mark.parametrize(("damage", "message"), [
    (lambda p: b"Akun,Followers\nayu,1200\n", "not a Tierscope analysis file"),
    (lambda p: _rezip(p, lambda e: e.pop("manifest.json")), "no manifest.json"),
    (lambda p: _rezip(p, lambda e: _manifest(e, format="something-else")), "not a Tierscope analysis"),
    (lambda p: _rezip(p, lambda e: _manifest(e, format_version=archive.FORMAT_VERSION + 1)), "newer Tierscope"),
    (lambda p: _rezip(p, lambda e: e.update({"roster/kol.xlsx": b"changed"})), "checksum"),
    (lambda p: _rezip(p, lambda e: e.pop("roster/kol.xlsx")), "is missing"),
    (lambda p: _rezip(p, lambda e: _manifest(e, settings={"scheme": 5})), "setting .scheme. is not valid"),
    (lambda p: _rezip(p, lambda e: e.update({"manifest.json": b"{not json"})), "damaged"),
    (lambda p: p[: len(p) // 2], "not a Tierscope analysis file"),  # cut short: no central directory
    (lambda p: p[:len(p) // 2] + bytes([p[len(p) // 2] ^ 0xFF]) + p[len(p) // 2 + 1:], "damaged"),  # inside an entry
])
def test_an_import_that_is_not_a_sound_analysis_file_is_refused_and_changes_nothing(store, damage, message):
    made = store.create("Proposal", "kol.xlsx", KOL_XLSX, every_setting(), logo=LOGO)
    packed = store.export(made.id)
    store.delete(made.id)
    with pytest.raises(archive.ArchiveError, match=message) as refused:
        store.import_archive(damage(packed), "bad.tierscope")
    assert "bad.tierscope" in str(refused.value)
    assert store.list() == []
    with store.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM files")).scalar() == 0


def test_a_file_that_is_not_a_database_is_refused_and_left_as_it_is(tmp_path):
    path = tmp_path / "roster.db"
    path.write_bytes(b"Akun,Followers\nayu,1200\n")
    with pytest.raises(StoreError, match="not a Tierscope database"):
        Store(f"sqlite:///{path}")
    assert path.read_bytes() == b"Akun,Followers\nayu,1200\n"


def test_another_programs_database_is_refused_and_left_as_it_is(tmp_path):
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE invoices (id INTEGER)")
    before = path.read_bytes()
    with pytest.raises(StoreError, match="other tables"):
        Store(f"sqlite:///{path}")
    assert path.read_bytes() == before


def test_a_database_from_a_newer_tierscope_is_refused(tmp_path):
    path = tmp_path / "newer.db"
    Store(f"sqlite:///{path}").close()
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(StoreError, match="newer Tierscope"):
        Store(f"sqlite:///{path}")


def test_a_bad_url_or_an_unreachable_server_is_a_store_error():
    with pytest.raises(StoreError, match="not a database URL"):
        Store("no such thing")
    with pytest.raises(StoreError, match="cannot be opened"):
        Store("postgresql+psycopg://nobody:secret@127.0.0.1:1/none")


SAVER = """
import sys
import time

from sqlalchemy import event

from tiers.storage.analysis import Settings
from tiers.storage.store import Store
store, analysis_id = Store(sys.argv[1]), sys.argv[2]
version = store.get(analysis_id).version
big = {f"{row}/instagram": "native" for row in range(20_000)}  # each save writes a few hundred KB
saves = 0


@event.listens_for(store.engine, "after_cursor_execute")
def written(conn, cursor, statement, parameters, context, executemany):
    # Inside the save's transaction, right after its UPDATE ran and before the commit: the sixth save
    # says so and stops there, for the parent to kill it mid-write.
    if statement.lstrip().upper().startswith("UPDATE ANALYSES") and saves == 5:
        print("writing", context.compiled_parameters[0]["version"], flush=True)  # by name, on either engine
        time.sleep(600)


while True:
    version = store.save(analysis_id, Settings(shortlist=[str(version)], nano_tags=big), version).version
    saves += 1
"""


def _row_is_being_written(database_url: str, analysis_id: str) -> bool:
    """Whether another connection holds an open write on the analysis (asked without waiting for it)."""
    from sqlalchemy import create_engine
    from sqlalchemy.exc import OperationalError

    if database_url.startswith("sqlite"):
        probe = sqlite3.connect(database_url.removeprefix("sqlite:///"), timeout=0, isolation_level=None)
        try:
            probe.execute("BEGIN IMMEDIATE")  # refused while another transaction has written
            probe.execute("ROLLBACK")
            return False
        except sqlite3.OperationalError:
            return True
        finally:
            probe.close()
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT id FROM analyses WHERE id = :id FOR UPDATE NOWAIT"), {"id": analysis_id})
            return False
    except OperationalError:  # the row is locked by the save under way
        return True
    finally:
        engine.dispose()


def test_killing_the_process_during_a_save_leaves_the_last_saved_state_readable(database_url):
    store = Store(database_url)
    made = store.create("Busy", "s.csv", SAMPLE, Settings())
    saver = subprocess.Popen([sys.executable, "-c", SAVER, database_url, made.id], cwd=ROOT,
                             stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        said = saver.stdout.readline().split()  # blocks until the sixth save has written, uncommitted
        # The proof it is killed mid-save: its write is open (another connection cannot take the row).
        writing = _row_is_being_written(database_url, made.id)
    finally:
        saver.send_signal(signal.SIGKILL)
        saver.wait()
    assert said[0] == "writing" and writing, said
    store.close()
    reopened = Store(database_url)
    after = reopened.get(made.id)
    # Five saves were committed (version 1 + 5); the sixth had written its row when it was killed, and
    # none of it is seen: the interrupted transaction was rolled back.
    assert after.version == made.version + 5
    assert int(said[1]) == after.version + 1  # the UPDATE that was under way was to the next version
    # The settings are whole and belong to the version stored with them (each save wrote version - 1).
    assert after.settings.shortlist == [str(after.version - 1)] and len(after.settings.nano_tags) == 20_000
    assert reopened.save(made.id, Settings(), after.version).version == after.version + 1
    reopened.close()


def test_settings_ignore_unknown_keys_and_refuse_wrong_kinds():
    assert Settings.from_dict({"scheme": "iab", "from_the_future": 1}) == Settings(scheme="iab")
    assert Settings.from_dict({"idr_per_unit": 16000}).idr_per_unit == 16000
    with pytest.raises(ValueError, match="shortlist"):
        Settings.from_dict({"shortlist": "a,b"})
    with pytest.raises(ValueError, match="JSON object"):
        Settings.from_dict(["scheme"])

"""A campaign's results sheet kept with its saved analysis, on real SQLite and PostgreSQL: the file and its
parsed posts stored once by content, reopened, carried by the `.tierscope` file, removable, and collected
with the last analysis that uses them."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from tests.test_results import ROSTER, results_workbook
from tests.test_storage import _manifest, _rezip
from tiers.reading.posts import read_posts_file
from tiers.storage import archive
from tiers.storage.analysis import Settings
from tiers.storage.results import posts_key
from tiers.storage.store import NotFound, Store, digest_of

SHEET = results_workbook()


@pytest.fixture
def store(database_url):
    store = Store(database_url)
    yield store
    store.close()


def _with_results(settings: Settings, data: bytes = SHEET) -> Settings:
    return dataclasses.replace(settings, results={"file_name": "hasil.xlsx", "digest": digest_of(data),
                                                  "sheet": "Hasil"})


def test_a_results_sheet_and_its_posts_are_kept_with_the_analysis_and_removable(store):
    made = store.create("Campaign", "roster.csv", ROSTER, Settings())
    saved = store.save(made.id, _with_results(made.settings), made.version, new_files={digest_of(SHEET): SHEET})
    assert store.get(made.id).settings.results == {"file_name": "hasil.xlsx", "digest": digest_of(SHEET),
                                                   "sheet": "Hasil"}
    assert store.file(digest_of(SHEET)) == SHEET
    parsed = read_posts_file(SHEET, "hasil.xlsx", isolated=False)
    key = posts_key(digest_of(SHEET), parsed.sheet)
    assert store.posts(key) is None  # not parsed yet
    assert store.put_posts(key, digest_of(SHEET), parsed)
    reopened = store.posts(key)
    pd.testing.assert_frame_equal(reopened.rows, parsed.rows)  # every column, dtype and value as read
    assert dataclasses.replace(reopened, rows=None) == dataclasses.replace(parsed, rows=None)
    assert not store.put_posts(posts_key(digest_of(SHEET), "Other"), digest_of(SHEET), parsed)  # no analysis reads it
    assert store.posts(posts_key(digest_of(SHEET), "Other")) is None

    copy = store.duplicate(made.id)  # a copy keeps the results too
    removed = store.save(made.id, dataclasses.replace(saved.settings, results=None), saved.version)
    assert removed.settings.results is None
    assert store.posts(key) is not None and store.file(digest_of(SHEET)) == SHEET  # still the copy's
    store.delete(copy.id)
    assert store.posts(key) is None
    with pytest.raises(NotFound):
        store.file(digest_of(SHEET))
    with pytest.raises(NotFound, match="results sheet"):  # settings naming a file that was never stored
        store.save(made.id, _with_results(Settings()), removed.version)
    assert store.get(made.id).version == removed.version


def test_export_and_import_carry_the_results_sheet(store):
    made = store.create("Campaign", "roster.csv", ROSTER, _with_results(Settings(brand="Wardah")),
                        new_files={digest_of(SHEET): SHEET})
    packed = store.export(made.id)
    store.delete(made.id)
    with pytest.raises(NotFound):
        store.file(digest_of(SHEET))
    imported = store.import_archive(packed, "campaign.tierscope")
    assert imported.settings == made.settings and store.file(digest_of(SHEET)) == SHEET
    missing = _rezip(packed, lambda e: e.pop("results/hasil.xlsx"))
    with pytest.raises(archive.ArchiveError, match="is missing"):
        store.import_archive(missing, "bad.tierscope")
    unlisted = _rezip(packed, lambda e: _manifest(e, results=None))
    with pytest.raises(archive.ArchiveError, match="results sheet's file is missing"):
        store.import_archive(unlisted, "bad.tierscope")
    changed = _rezip(packed, lambda e: e.update({"results/hasil.xlsx": b"changed"}))
    with pytest.raises(archive.ArchiveError, match="checksum"):
        store.import_archive(changed, "bad.tierscope")
    plain = store.create("No results", "roster.csv", ROSTER, Settings())  # an analysis without results: none packed
    assert archive.unpack(store.export(plain.id), "plain.tierscope").results is None


@pytest.mark.parametrize("bad", [{"digest": "short"}, {"file_name": 7}, {"sheet": ["Hasil"]}])
def test_a_malformed_results_setting_is_refused(bad):
    with pytest.raises(ValueError, match="results"):
        Settings.from_dict({"results": {"file_name": "hasil.xlsx", "digest": "0" * 64, "sheet": None} | bad})

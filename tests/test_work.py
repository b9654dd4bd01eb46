"""AppTest: work is saved as you go and comes back from the URL in a fresh session (and after the
server's caches are gone), two sessions never overwrite each other silently, the Saved work page."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.fixtures import KOL_XLSX
from tests.helpers import widget
from tests.test_app import sample_rows
from tiers.storage.analysis import Settings
from tiers.storage.database import DATABASE_URL_ENV
from tiers.storage.store import Store

ROOT = Path(__file__).parents[1]


@pytest.fixture
def db(tmp_path, monkeypatch):
    """A database of this test's own, as the app sees it."""
    url = f"sqlite:///{tmp_path / 'work.db'}"
    monkeypatch.setenv(DATABASE_URL_ENV, url)
    store = Store(url)
    yield store
    store.close()


def app(analysis_id: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if analysis_id:
        at.query_params["a"] = analysis_id
    return at.run()


def restart_server() -> None:
    """What a new server process starts with: no cached files, rosters or stores."""
    st.cache_resource.clear()
    st.cache_data.clear()


def test_the_sample_is_saved_only_once_something_changes(db):
    at = app()
    assert not at.exception and db.list() == [] and "a" not in at.query_params
    at.switch_page("pages/distribution.py").run()  # looking around changes nothing
    assert db.list() == []
    at.selectbox(key=widget(at, "scheme")).set_value("shopee").run()
    saved = db.list()
    assert len(saved) == 1 and saved[0].name == "Sample roster"
    assert at.query_params["a"] == saved[0].id
    assert db.get(saved[0].id).settings.scheme == "shopee"


def test_an_upload_with_its_corrections_comes_back_in_a_fresh_session_without_parsing(db, monkeypatch):
    at = app()
    at.file_uploader[0].set_value(("kol.xlsx", KOL_XLSX, "application/octet-stream")).run()
    analysis_id = at.query_params["a"]
    assert db.get(analysis_id).file_name == "kol.xlsx"
    at.selectbox(key=widget(at, "map_city_KOL")).set_value("Nama").run()  # a correction
    at.selectbox(key=widget(at, "scheme")).set_value("shopee").run()
    at.session_state["nano_tags"] = {"4/instagram": "non-native"}
    at.session_state["shortlist"] = ["7/instagram", "4/instagram"]
    at.run()
    at.switch_page("pages/present.py").run()
    at.text_input(key=widget(at, "brand")).set_value("Wardah").run()
    at.radio(key=widget(at, "lang")).set_value("id").run()
    assert not at.exception
    before = at.session_state["mapping"]
    assert before["city"] == "Nama"

    restart_server()
    monkeypatch.setattr("ui.state.read_table_isolated", lambda *a, **k: pytest.fail("the file was parsed again"))
    again = app(analysis_id)
    assert not again.exception, again.exception
    for key, value in {"mapping": before, "scheme": "shopee", "nano_tags": {"4/instagram": "non-native"},
                       "shortlist": ["7/instagram", "4/instagram"], "brand": "Wardah", "lang": "id"}.items():
        assert again.session_state[key] == value, key
    assert [m.value for m in again.metric][:3] == ["5", "4", "0"]
    again.switch_page("pages/present.py").run()
    assert again.title[0].value == "Tinjauan roster kreator untuk Wardah"
    assert db.get(analysis_id).version == at.session_state["analysis"].version  # opening saved nothing


def test_two_sessions_on_one_analysis_never_overwrite_each_other_silently(db):
    made = db.create("Shared", "kol.xlsx", KOL_XLSX, Settings())
    first, second = app(made.id), app(made.id)
    first.selectbox(key=widget(first, "scheme")).set_value("shopee").run()
    assert db.get(made.id).settings.scheme == "shopee"
    second.selectbox(key=widget(second, "norms")).set_value("modash_instagram").run()
    assert "saved from another window" in second.warning[0].value
    stored = db.get(made.id)
    assert (stored.settings.scheme, stored.settings.norms) == ("shopee", "partipost_2022")  # theirs kept
    second.button(key="conflict_load").click().run()
    assert second.session_state["scheme"] == "shopee" and second.session_state["norms"] == "partipost_2022"
    assert not second.warning
    # Keeping one's own version instead is a choice, and then it is saved.
    first.selectbox(key=widget(first, "scheme")).set_value("iab").run()
    second.selectbox(key=widget(second, "scheme")).set_value("later").run()
    second.button(key="conflict_keep").click().run()
    assert db.get(made.id).settings.scheme == "later"


def test_an_unknown_analysis_in_the_url_says_so_and_shows_the_sample(db):
    at = app("0" * 32)
    assert "not found" in at.warning[0].value
    assert at.metric[0].value == f"{sample_rows():,}" and "a" not in at.query_params


def test_a_database_that_is_not_tierscopes_is_named_and_left_and_the_app_still_opens(tmp_path, monkeypatch):
    junk = tmp_path / "tierscope.db"
    junk.write_text("name,followers\n")
    monkeypatch.setenv(DATABASE_URL_ENV, f"sqlite:///{junk}")
    at = app()
    assert not at.exception
    assert str(junk) in at.error[0].value and "not a Tierscope database" in at.error[0].value
    assert at.metric[0].value == f"{sample_rows():,}"
    at.selectbox(key=widget(at, "scheme")).set_value("shopee").run()  # works on, unsaved
    assert not at.exception and junk.read_text() == "name,followers\n"
    at.switch_page("pages/work.py").run()
    assert not at.exception


def test_saved_work_is_listed_by_client_and_can_be_renamed_duplicated_and_deleted(db):
    wardah = db.create("Ramadan", "kol.xlsx", KOL_XLSX, Settings(brand="Wardah"))
    db.create("Launch", "kol.xlsx", KOL_XLSX, Settings(brand="Indomie"))
    at = app()
    at.switch_page("pages/work.py").run()
    assert [h.value for h in at.main.subheader] == ["Indomie", "Wardah"]  # newest work first
    at.text_input(key="work_search").set_value("ramadan").run()
    assert [h.value for h in at.main.subheader] == ["Wardah"]
    at.text_input(key=f"name_{wardah.id}").set_value("Ramadan v2")
    at.button(key=f"rename_{wardah.id}").click().run()
    assert db.get(wardah.id).name == "Ramadan v2"
    at.button(key=f"duplicate_{wardah.id}").click().run()
    assert sorted(s.name for s in db.list("ramadan")) == ["Ramadan v2", "Ramadan v2 (copy)"]
    at.button(key=f"delete_{wardah.id}").click().run()
    assert db.get(wardah.id) is not None and "for good" in at.warning[0].value  # asked first
    at.button(key=f"delete_yes_{wardah.id}").click().run()
    assert db.get(wardah.id) is None and len(db.list()) == 2
    at.button(key=f"open_{db.list('copy')[0].id}").click().run()
    assert not at.exception and at.session_state["brand"] == "Wardah"


def test_an_exported_analysis_imports_and_a_bad_file_is_refused_with_its_name(db):
    made = db.create("Proposal", "kol.xlsx", KOL_XLSX, Settings(brand="Wardah", scheme="shopee"))
    packed = db.export(made.id)
    db.delete(made.id)
    at = app()
    at.switch_page("pages/work.py").run()
    at.file_uploader(key="work_import").set_value(("broken.tierscope", b"not a zip", "application/zip")).run()
    assert "broken.tierscope" in at.error[0].value and db.list() == []
    at.file_uploader(key="work_import").set_value(("proposal.tierscope", packed, "application/zip")).run()
    assert "Proposal" in at.success[0].value
    assert [s.name for s in db.list()] == ["Proposal"] and db.list()[0].client == "Wardah"

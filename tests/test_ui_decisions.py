"""AppTest and unit tests of what ui/ decides outside the browser: who gets through the gate and what
the sidebar says of it (ui.access), making, listing and revoking a client's link, the order of an
analysis's rosters over time (ui.history), and what switching analyses and rerunning keep (ui.state)."""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit import config
from streamlit.testing.v1 import AppTest

from tests.fixtures import ENGLISH_LINKS, INDONESIAN_WORKBOOK
from tests.helpers import widget
from tests.test_work import ROOT, app, db  # noqa: F401  (db is a fixture)
from tiers.presenting.i18n import translator
from tiers.signin import ALLOW_OPEN_ENV
from tiers.storage.analysis import MAIN, Settings
from tiers.storage.sharing import active_links, open_link
from ui.history import Snapshot, shared_dates
from ui.state import Source

t = translator("en")


@pytest.fixture
def address(monkeypatch):
    """The address this server answers on (server.address), put back afterwards; no open-serving setting."""
    before = config.get_option("server.address")
    monkeypatch.delenv(ALLOW_OPEN_ENV, raising=False)
    yield lambda value: config.set_option("server.address", value)
    config.set_option("server.address", before)


def sidebar_text(at) -> list[str]:
    return [e.value for kind in ("caption", "warning") for e in getattr(at.sidebar, kind)]


def test_on_this_computer_the_session_passes_as_its_one_user(address):
    address("127.0.0.1")
    at = app()
    assert not at.exception, at.exception
    assert at.session_state["exposure"] == "local" and at.session_state["member"] == ("", "")
    assert t("sign_in_off") in sidebar_text(at) and t("open_without_sign_in") not in sidebar_text(at)
    assert at.session_state["roster_file"].is_sample  # the app went on to open the sample


@pytest.mark.parametrize("allow", [None, "0", "yes"])
def test_other_addresses_without_sign_in_show_nothing_but_why(address, monkeypatch, allow):
    address("0.0.0.0")
    if allow is not None:
        monkeypatch.setenv(ALLOW_OPEN_ENV, allow)  # only "1" opens it
    at = app()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == [t("exposure_refused", setting=ALLOW_OPEN_ENV)]
    assert "roster_file" not in at.session_state and not at.sidebar.children  # no roster, no sidebar, no page


def test_serving_openly_when_asked_says_so_in_the_sidebar(address, monkeypatch):
    address("0.0.0.0")
    monkeypatch.setenv(ALLOW_OPEN_ENV, "1")
    at = app()
    assert not at.exception, at.exception
    assert at.session_state["exposure"] == "open" and at.session_state["member"] == ("", "")
    assert t("open_without_sign_in") in sidebar_text(at) and t("sign_in_off") not in sidebar_text(at)
    assert at.session_state["roster_file"].is_sample


def signed_app(user: dict) -> AppTest:
    """app.py with sign-in set up for the agency.co.id domain, as `user` (st.user) has it."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "s",
                          "client_id": "c", "client_secret": "s",
                          "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}
    at.secrets["tierscope"] = {"allowed_domains": ["agency.co.id"], "organisations": {"agency.co.id": "Agency"}}
    at.user = user
    return at.run()


def test_with_sign_in_set_up_nobody_gets_past_the_sign_in_page(db, address):  # noqa: F811
    address("0.0.0.0")
    at = signed_app({"is_logged_in": False})
    assert not at.exception, at.exception
    assert [b.label for b in at.button] == [t("sign_in")]
    assert t("sign_in_needed") in [m.value for m in at.markdown]
    assert "roster_file" not in at.session_state and "member" not in at.session_state


@pytest.mark.parametrize(("email", "verified"), [("budi@gmail.com", True), ("ayu@agency.co.id", False)])
def test_a_member_not_allowed_sees_only_why_and_a_way_out(db, address, email, verified):  # noqa: F811
    address("0.0.0.0")
    at = signed_app({"is_logged_in": True, "email": email, "email_verified": verified})
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == [t("sign_in_refused", email=email)]
    assert [b.label for b in at.button] == [t("sign_out")]
    assert "roster_file" not in at.session_state and "member" not in at.session_state


def test_an_allowed_member_works_as_their_organisation_and_the_sidebar_says_who(db, address):  # noqa: F811
    address("0.0.0.0")
    at = signed_app({"is_logged_in": True, "email": "Ayu@Agency.co.id", "email_verified": True})
    assert not at.exception, at.exception
    assert at.session_state["exposure"] == "signed"
    assert at.session_state["member"] == ("Agency", "ayu@agency.co.id")
    assert t("signed_in_as", email="ayu@agency.co.id", organisation="Agency") in sidebar_text(at)
    assert t("sign_out") in [b.label for b in at.sidebar.button]
    assert at.session_state["roster_file"].is_sample


def present(at):
    at.switch_page("pages/present.py").run()
    assert not at.exception, at.exception
    return at


def test_a_link_is_offered_only_for_saved_work_and_is_made_listed_and_revoked(db, address):  # noqa: F811
    address("127.0.0.1")
    at = present(app())
    assert t("share_unsaved") in [c.value for c in at.caption]  # the sample, unchanged: nothing saved to share
    assert t("share_create") not in [b.label for b in at.button]
    at.selectbox(key=widget(at, "scheme")).set_value("shopee").run()  # a change, saved at the end of the run
    at.run()
    analysis_id = at.query_params["a"]
    captions = [c.value for c in at.caption]
    assert t("share_unsaved") not in captions and t("share_local") in captions
    next(b for b in at.button if b.label == t("share_create")).click().run()
    assert not at.exception, at.exception
    url = at.code[0].value
    token = url.split("share=", 1)[1]
    links = active_links(db, analysis_id)
    assert len(links) == 1 and links[0].opened == 0 and links[0].options.show_fees is False
    assert [s.value for s in at.success] == [t("share_created")]
    opened = open_link(db, token, count=False)
    assert opened is not None and opened[0].id == analysis_id
    at.button(key=f"revoke_{links[0].id[:16]}").click().run()
    assert not at.exception, at.exception
    assert active_links(db, analysis_id) == [] and open_link(db, token, count=False) is None
    assert not at.success and not at.code  # the link shown once is gone with it


def snapshot(snapshot_id: str, day: str) -> Snapshot:
    return Snapshot(snapshot_id, Source(f"{snapshot_id}.csv", snapshot_id, False), dt.date.fromisoformat(day), None, {})


def test_dates_two_rosters_share_are_pointed_out_and_no_other():
    found = [snapshot(MAIN, "2026-10-01"), snapshot("b", "2026-10-01"), snapshot("c", "2026-11-01"),
             snapshot("d", "2026-12-01"), snapshot("e", "2026-12-01"), snapshot("f", "2026-12-01")]
    shared = shared_dates(found)
    assert {day: [s.id for s in sharing] for day, sharing in shared.items()} == {
        dt.date(2026, 10, 1): [MAIN, "b"], dt.date(2026, 12, 1): ["d", "e", "f"]}
    assert shared_dates(found[2:4]) == {}


def over_time(at):
    at.switch_page("pages/changes.py").run()
    assert not at.exception, at.exception
    return at


def test_rosters_over_time_are_listed_oldest_first_and_the_two_latest_compared(db):  # noqa: F811
    at = app()
    at.file_uploader(key="upload").set_value(("kol-2026-10.xlsx", INDONESIAN_WORKBOOK, "application/x")).run()
    over_time(at)
    # An older roster (dated by its name) goes before the analysis's own: the own one stays the later.
    at.file_uploader(key="snapshot_upload").set_value(("kol-2026-08.csv", ENGLISH_LINKS, "text/csv")).run()
    older = at.session_state["snapshots"][0]
    assert older["date"] == "2026-08-01"
    assert at.session_state["compare"] == {"before": older["id"], "after": MAIN}
    # A newer one becomes the later of the two compared, the own roster the earlier.
    at.file_uploader(key="snapshot_upload").set_value(("kol-2026-12.csv", ENGLISH_LINKS + b"\n", "text/csv")).run()
    newer = at.session_state["snapshots"][1]
    assert newer["date"] == "2026-12-01"
    assert at.session_state["compare"] == {"before": MAIN, "after": newer["id"]}
    saved = db.get(at.query_params["a"]).settings
    assert [s["date"] for s in saved.snapshots] == ["2026-08-01", "2026-12-01"] and saved.compare == {
        "before": MAIN, "after": newer["id"]}


def test_switching_analyses_shows_the_other_ones_settings_in_fresh_widgets(db):  # noqa: F811
    first = db.create("First", "first.xlsx", INDONESIAN_WORKBOOK, Settings(scheme="shopee"))
    second = db.create("Second", "second.xlsx", INDONESIAN_WORKBOOK, Settings(scheme="iab"))
    at = app(second.id)  # opened once: its columns are read and kept
    at = app(first.id)
    assert at.session_state["analysis"].id == first.id
    versions = (db.get(first.id).version, db.get(second.id).version)
    shown = widget(at, "scheme")
    assert at.selectbox(key=shown).value == "shopee"
    at.run()  # a rerun keeps what is open, and its widgets
    assert at.session_state["analysis"].id == first.id and widget(at, "scheme") == shown
    at.query_params["a"] = second.id
    at.run()
    assert not at.exception, at.exception
    assert at.session_state["analysis"].id == second.id
    assert widget(at, "scheme") != shown and shown not in at.session_state  # the old widget is not kept
    assert at.selectbox(key=widget(at, "scheme")).value == "iab"
    at.query_params["a"] = first.id
    at.run()
    assert at.selectbox(key=widget(at, "scheme")).value == "shopee"
    assert (db.get(first.id).version, db.get(second.id).version) == versions  # switching saved nothing

"""Sign-in rules, organisations and share links: on SQLite and on a real PostgreSQL server; the
client's view of a link in AppTest."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from sqlalchemy import select, update

from tests.fixtures import KOL_XLSX
from tests.test_work import app, db  # noqa: F401  (db is a fixture)
from tiers.signin import AccessRules, exposure
from tiers.storage.analysis import Settings
from tiers.storage.schema import share_links
from tiers.storage.sharing import LinkOptions, active_links, create_link, open_link, revoke_link, token_id
from tiers.storage.store import NotFound, Store

RULES = AccessRules.from_config({"allowed_domains": ["Agency.co.id"], "allowed_emails": ["Free@Gmail.com"],
                                 "organisations": {"free@gmail.com": "agency.co.id", "brandx.com": "Brand X"}})


@pytest.mark.parametrize(("email", "verified", "allowed", "organisation"), [
    ("ayu@agency.co.id", True, True, "agency.co.id"), ("AYU@AGENCY.CO.ID", True, True, "agency.co.id"),
    ("free@gmail.com", True, True, "agency.co.id"), ("other@gmail.com", True, False, "gmail.com"),
    ("ayu@agency.co.id", False, False, "agency.co.id"), ("ayu@evil-agency.co.id", True, False, "evil-agency.co.id"),
    ("", True, False, ""), (None, True, False, ""),
])
def test_who_may_sign_in_and_whose_work_they_see(email, verified, allowed, organisation):
    assert RULES.may_sign_in(email, verified) is allowed
    assert RULES.organisation(email) == organisation
    assert not AccessRules.from_config(None).may_sign_in("ayu@agency.co.id")


@pytest.mark.parametrize(("sign_in", "address", "allow", "expected"), [
    (False, "127.0.0.1", False, "local"), (False, "localhost", False, "local"), (False, "", False, "refused"),
    (False, "0.0.0.0", False, "refused"), (False, "0.0.0.0", True, "open"), (True, "0.0.0.0", False, "signed"),
])
def test_without_sign_in_only_this_computer_unless_asked(sign_in, address, allow, expected):
    assert exposure(sign_in, address, allow) == expected


@pytest.fixture
def stores(database_url):
    store = Store(database_url)
    yield store.as_member("agency.co.id", "ayu@agency.co.id"), store.as_member("rival.com", "rex@rival.com"), store
    store.close()


def test_members_see_and_change_only_their_organisations_work(stores):
    ours, theirs, everyone = stores
    made = ours.create("Ramadan", "kol.xlsx", KOL_XLSX, Settings(brand="Wardah"))
    assert (made.created_by, made.updated_by) == ("ayu@agency.co.id", "ayu@agency.co.id")
    colleague = everyone.as_member("agency.co.id", "budi@agency.co.id")
    saved = colleague.save(made.id, Settings(brand="Wardah", scheme="shopee"), made.version)
    assert (saved.created_by, saved.updated_by) == ("ayu@agency.co.id", "budi@agency.co.id")
    assert [s.updated_by for s in ours.list()] == ["budi@agency.co.id"]
    assert theirs.get(made.id) is None and theirs.list() == [] and theirs.list("Wardah") == []
    for attempt in (lambda: theirs.save(made.id, Settings(), saved.version), lambda: theirs.rename(made.id, "x"),
                    lambda: theirs.duplicate(made.id), lambda: theirs.delete(made.id), lambda: theirs.export(made.id)):
        with pytest.raises(NotFound):
            attempt()
    assert everyone.get(made.id).settings.scheme == "shopee"  # untouched by the other organisation
    with pytest.raises(NotFound):
        create_link(theirs, made.id, LinkOptions())


def test_a_link_opens_its_analysis_until_revoked_or_expired_and_only_a_hash_is_kept(stores):
    ours, theirs, everyone = stores
    made = ours.create("Ramadan", "kol.xlsx", KOL_XLSX, Settings(shortlist=["4/instagram"]))
    token, link = create_link(ours, made.id, LinkOptions(shortlist_only=True, show_fees=False, lang="id"))
    assert re.fullmatch(r"[A-Za-z0-9_-]{32}", token)  # 24 random bytes: 192 bits
    with everyone.engine.connect() as connection:
        stored = connection.execute(select(share_links)).mappings().one()
    assert stored["id"] == token_id(token) != token and token not in json.dumps({k: str(v) for k, v in stored.items()})
    analysis, options = open_link(everyone, token)
    assert analysis.id == made.id and options == LinkOptions(True, False, True, "id")
    open_link(everyone, token)
    (listed,) = active_links(ours, made.id)
    assert listed.opened == 2 and listed.last_opened_at is not None and listed.created_by == "ayu@agency.co.id"
    assert active_links(theirs, made.id) == []
    with pytest.raises(NotFound):
        revoke_link(theirs, link.id)
    for bad in ("", "x" * 32, token[:-1], token + "a", None, "../../etc/passwd"):
        assert open_link(everyone, bad) is None
    revoke_link(ours, link.id)
    assert open_link(everyone, token) is None and active_links(ours, made.id) == []

    expired, _ = create_link(ours, made.id, LinkOptions(), days=1)
    with everyone.engine.begin() as connection:
        connection.execute(update(share_links).where(share_links.c.id == token_id(expired))
                           .values(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)))
    assert open_link(everyone, expired) is None
    kept, _ = create_link(ours, made.id, LinkOptions())
    ours.delete(made.id)  # the analysis goes, and its links with it
    assert open_link(everyone, kept) is None


def _shared(db, options: LinkOptions, settings: Settings | None = None) -> tuple[str, str]:  # noqa: F811
    member = db.as_member("", "")
    made = member.create("Ramadan", "kol.xlsx", KOL_XLSX, settings or Settings(
        mapping=None, shortlist=["4/instagram"], brand="Wardah", agency="Agensi Kita"))
    if made.settings.mapping is None:  # the mapping the app would have settled on
        from tiers.reading.read import read_table
        from tiers.reading.roster import default_mapping
        raw = read_table(KOL_XLSX, "kol.xlsx")
        made = member.save(made.id, Settings(**{**made.settings.__dict__, "sheet": raw.sheet,
                                                  "mapping": default_mapping(raw)}), made.version)
    token, _ = create_link(member, made.id, options)
    return token, made.id


def _client(token: str):
    """The app as a client opening a link, run once."""
    at = app()
    at.query_params["share"] = token
    at.run()
    assert not at.exception, at.exception
    return at


def _charts(at) -> str:
    return json.dumps([c.proto.spec for c in at.get("plotly_chart")])


def _page_text(at) -> str:
    parts = [e.value for kind in ("title", "header", "markdown", "caption") for e in getattr(at, kind)]
    parts += [str(m.value) for m in at.metric] + [df.value.to_csv() for df in at.dataframe]
    return "\n".join(parts)


def test_a_clients_link_shows_only_the_story_and_hides_what_it_should(db):  # noqa: F811
    at = _client(_shared(db, LinkOptions(shortlist_only=True, show_fees=False, downloads=False, lang="id"))[0])
    assert at.title[0].value == "Tinjauan roster kreator untuk Wardah"
    text = _page_text(at)
    assert "ayu" in text and "budi" not in text and "citra" not in text  # the shortlist alone
    assert "Rp" not in text and "750" not in text and "biaya" not in text.lower().replace("perkiraan", "")
    assert "budi" not in _charts(at) and "fee" not in _charts(at)
    assert not at.sidebar.children or all(not getattr(c, "value", None) for c in at.sidebar)
    assert not at.get("download_button")
    assert db.list()[0].name == "Ramadan"  # nothing was opened, saved or created for the client


def test_a_link_with_fees_and_downloads_shows_them(db):  # noqa: F811
    at = _client(_shared(db, LinkOptions(shortlist_only=False, show_fees=True, downloads=True, lang="en"))[0])
    assert "IDR750K" in _page_text(at)  # the fee, by CLDR: English writes IDR by its code
    assert "budi" in _charts(at)  # the whole roster is drawn
    assert len(at.get("download_button")) >= 1


@pytest.mark.parametrize("token", ["not-a-token", "A" * 32])
def test_an_unknown_link_shows_the_same_short_page(db, token):  # noqa: F811
    at = app()
    at.query_params["share"] = token
    at.run()
    assert [t.value for t in at.title] == ["This link is not valid"]
    assert not at.metric and not at.dataframe


def test_a_link_revoked_while_a_client_has_it_open_ends_their_view_at_the_next_rerun(db):  # noqa: F811
    token, _ = _shared(db, LinkOptions(shortlist_only=True, show_fees=False, downloads=False, lang="en"))
    at = _client(token)
    assert at.title[0].value == "Creator roster review for Wardah"
    revoke_link(db.as_member("", ""), token_id(token))
    at.run()  # the same session, as a click or a chart's rerun would
    assert not at.exception and [t.value for t in at.title] == ["This link is not valid"]
    assert not at.metric and not at.dataframe and not at.get("plotly_chart")


def test_xsrf_protection_stays_on_and_the_default_address_is_this_computer():
    import tomllib
    from pathlib import Path

    config = tomllib.loads((Path(__file__).parents[1] / ".streamlit" / "config.toml").read_text())
    assert config["server"]["address"] == "127.0.0.1"
    assert config["server"].get("enableXsrfProtection", True) is True
    assert config["server"].get("enableCORS", True) is True


def test_a_whole_roster_link_tells_what_changed_and_a_shortlist_link_does_not(db):  # noqa: F811
    from tests.fixtures import ENGLISH_LINKS, INDONESIAN_WORKBOOK
    from tiers.reading.read import read_table
    from tiers.reading.roster import default_mapping
    from tiers.storage.store import digest_of

    main, later = read_table(INDONESIAN_WORKBOOK, "kol-2026-10.xlsx"), read_table(ENGLISH_LINKS, "kol-2026-11.csv")
    snapshot = {"id": "nov", "file_name": "kol-2026-11.csv", "digest": digest_of(ENGLISH_LINKS), "sheet": None,
                "mapping": default_mapping(later), "date": "2026-11-01"}
    member = db.as_member("", "")
    made = member.create("Over time", "kol-2026-10.xlsx", INDONESIAN_WORKBOOK, Settings(
        sheet=main.sheet, mapping=default_mapping(main), snapshots=[snapshot], shortlist=["4/instagram"],
        brand="Wardah"), new_files={snapshot["digest"]: ENGLISH_LINKS})
    # The analysis's own roster is the older one here: the story compares it with November's.
    whole, _ = create_link(member, made.id, LinkOptions(shortlist_only=False))
    at = _client(whole)
    assert "What changed since 1 Oct 2026" in [h.value for h in at.header]
    assert any("4 accounts in both rosters, 1 new, 1 dropped" in m.value for m in at.markdown)
    shortlist, _ = create_link(member, made.id, LinkOptions(shortlist_only=True))
    assert not any("What changed" in h.value for h in _client(shortlist).header)

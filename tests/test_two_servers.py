"""Two Tierscope servers on one PostgreSQL database (a two-replica deployment): an analysis saved on
one opens on the other, a conflict between editors on different servers is detected, and a share link
made on one opens on the other and its revocation holds on both. First with two Python processes
using the storage and sharing modules (nothing shared between them but the database), then through
two running apps in a browser."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.conftest import serve
from tests.helpers import open_app, rerun
from tests.test_browser import choose, nav, no_exception, shows
from tiers.storage.analysis import Settings
from tiers.storage.database import DATABASE_URL_ENV
from tiers.storage.store import Store

ROOT = Path(__file__).parents[1]
SAMPLE = ROOT / "data" / "sample_roster.csv"

# A server process's storage, driven by one JSON command a line on stdin; one JSON answer a line.
WORKER = """
import dataclasses, json, sys
from tiers.storage.analysis import Settings
from tiers.storage.sharing import LinkOptions, create_link, open_link, revoke_link
from tiers.storage.store import Store, VersionConflict

store = Store(sys.argv[1])
for line in sys.stdin:
    command = json.loads(line)
    kind, answer = command.pop("do"), {}
    if kind == "create":
        data = open(command["file"], "rb").read()
        answer = {"id": store.create(command["name"], "sample_roster.csv", data, Settings(scheme="partipost")).id}
    elif kind == "get":
        found = store.get(command["id"])
        answer = found and {"name": found.name, "version": found.version, "scheme": found.settings.scheme}
    elif kind == "save":
        found = store.get(command["id"])
        settings = dataclasses.replace(found.settings, scheme=command["scheme"])
        try:
            answer = {"version": store.save(command["id"], settings, command["version"]).version}
        except VersionConflict as conflict:
            answer = {"conflict": conflict.current.version, "scheme": conflict.current.settings.scheme}
    elif kind == "link":
        token, link = create_link(store, command["id"], LinkOptions())
        answer = {"token": token, "link": link.id}
    elif kind == "open":
        opened = open_link(store, command["token"])
        answer = opened and {"id": opened[0].id}
    elif kind == "revoke":
        revoke_link(store, command["link"])
    print(json.dumps(answer), flush=True)
"""


class Server:
    """One storage process on the shared database."""

    def __init__(self, url: str):
        self.process = subprocess.Popen([sys.executable, "-c", WORKER, url], cwd=ROOT, stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True)

    def __call__(self, do: str, **values):
        self.process.stdin.write(json.dumps({"do": do, **values}) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        assert line, f"the storage process ended (exit status {self.process.poll()})"
        return json.loads(line)

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(30)


@pytest.fixture()
def shared_database(postgres) -> str:
    return postgres.new_database()


def test_two_processes_share_work_conflicts_and_links(shared_database):
    a, b = Server(shared_database), Server(shared_database)
    try:
        made = a("create", name="Ramadan", file=str(SAMPLE))["id"]
        assert b("get", id=made) == {"name": "Ramadan", "version": 1, "scheme": "partipost"}
        # both editors start from version 1; A saves first, B's save is held back and shows A's
        assert a("save", id=made, version=1, scheme="shopee") == {"version": 2}
        assert b("save", id=made, version=1, scheme="iab") == {"conflict": 2, "scheme": "shopee"}
        assert a("get", id=made)["scheme"] == b("get", id=made)["scheme"] == "shopee"
        assert b("save", id=made, version=2, scheme="iab") == {"version": 3}  # B chose to keep theirs
        assert a("get", id=made) == {"name": "Ramadan", "version": 3, "scheme": "iab"}

        link = a("link", id=made)
        assert b("open", token=link["token"]) == {"id": made} == a("open", token=link["token"])
        b("revoke", link=link["link"])
        assert a("open", token=link["token"]) is None and b("open", token=link["token"]) is None
    finally:
        a.close()
        b.close()


@pytest.mark.browser
def test_two_running_apps_on_one_database(browser, shared_database):
    """Server A and server B (separate `streamlit run` processes) on one PostgreSQL database, each
    editor in their own browser context, as behind a load balancer with sticky sessions."""
    first, second = serve(env={DATABASE_URL_ENV: shared_database}), serve(env={DATABASE_URL_ENV: shared_database})
    url_a, url_b = next(first), next(second)
    one, other, client = browser.new_context(), browser.new_context(), browser.new_context()
    try:
        store = Store(shared_database)
        made = store.create("Lebaran", "sample_roster.csv", SAMPLE.read_bytes(), Settings())
        a, b = one.new_page(), other.new_page()
        open_app(a, f"{url_a}/?a={made.id}")
        open_app(b, f"{url_b}/?a={made.id}")
        for page in (a, b):  # saved by neither server: each opens it from the database
            no_exception(page)
            expect(page.locator("[data-testid='stSidebar']").get_by_text("Lebaran", exact=False)).to_be_visible()

        # the editor on A saves; the editor on B, who opened the version before, is told when B saves
        choose(a, "[data-testid='stSidebar']", "Tier scheme", "Shopee Affiliates (Indonesia)")
        assert store.get(made.id).settings.scheme == "shopee"
        rerun(b, b.locator("[data-testid='stSidebar']").get_by_text("Bahasa Indonesia").click)
        expect(b.get_by_text("disimpan dari jendela lain", exact=False)).to_be_visible()
        rerun(b, b.get_by_role("button", name="Muat versi mereka").click)
        shows(b, "Tier scheme", "Shopee Affiliates (Indonesia)")  # A's version, opened on B

        # a link made on A's Present page opens on B's server (and A's); revoked on B, on neither
        nav(a, "Present")
        a.get_by_text("Share with the client", exact=False).first.click()
        rerun(a, a.get_by_role("button", name="Create a link").click)
        link = a.locator("[data-testid='stCode']").inner_text().strip()
        token = re.fullmatch(re.escape(url_a) + r"/\?share=([A-Za-z0-9_-]{32})", link).group(1)
        view = client.new_page()
        for url in (url_b, url_a):
            open_app(view, f"{url}/?share={token}")
            no_exception(view)
            expect(view.get_by_role("heading", name=re.compile("Creator roster review"))).to_be_visible()
        nav(b, "Present")  # in English again: the version loaded is A's
        b.get_by_text("Share with the client", exact=False).first.click()
        expect(b.get_by_text(re.compile(r"opened 2 times"))).to_be_visible()  # both openings, counted in one place
        # Twice (in whole-suite runs, never alone) this click started no run within a minute, the page idle and
        # the server silent; the cause is not found. The click event goes to the button itself, so that a pointer
        # click landing beside it (under a page of charts still being laid out) is ruled out.
        rerun(b, lambda: b.get_by_role("button", name="Revoke").dispatch_event("click"))
        for url in (url_a, url_b):
            open_app(view, f"{url}/?share={token}", charts=0)
            expect(view.get_by_role("heading", name="This link is not valid")).to_be_visible()
        store.close()
    finally:
        for context in (one, other, client):
            context.close()
        first.close()
        second.close()

"""Issue 20 in chromium: a sign-in without `email_verified`, a sign-out that ends a kept cookie's
session, a revoked link in an open tab, and Markdown in a brand that must fetch nothing."""

from __future__ import annotations

import json
import re
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.conftest import _free_port, serve, signed_in_server
from tests.fixtures import KOL_XLSX
from tests.helpers import open_app, rerun
from tests.test_browser import no_exception, upload
from tests.test_browser_access import sign_in
from tests.test_browser_work import nav
from tiers.storage.database import DATABASE_URL_ENV

pytestmark = pytest.mark.browser
# Waits are on conditions, up to 30 s each: on a loaded machine a rerun of these pages takes seconds.


def _server_with(oidc_url: str, tmp_path: Path, tierscope: str):
    """The app with sign-in on, agency.co.id allowed, and more `[tierscope]` settings."""
    port = _free_port()
    secrets = tmp_path / f"secrets-{port}.toml"
    secrets.write_text(f"""
[auth]
redirect_uri = "http://127.0.0.1:{port}/oauth2callback"
cookie_secret = "test-cookie-secret-{port}"
client_id = "tierscope-tests"
client_secret = "not-a-secret"
server_metadata_url = "{oidc_url}/.well-known/openid-configuration"

[tierscope]
allowed_domains = ["agency.co.id"]
{tierscope}
""")
    return serve("--secrets.files", str(secrets), env={DATABASE_URL_ENV: f"sqlite:///{tmp_path / f'{port}.db'}"},
                 port=port)


def _provider_user(oidc_url: str, sub: str, claims: dict) -> None:
    request = urllib.request.Request(f"{oidc_url}/users/{sub}", data=json.dumps(claims).encode(), method="PUT",
                                     headers={"Content-Type": "application/json"})
    urllib.request.urlopen(request, timeout=10)


def test_an_address_without_email_verified_signs_in_only_where_its_provider_is_trusted(browser: Browser,
                                                                                      oidc_provider, tmp_path):
    _provider_user(oidc_provider, "una", {"email": "una@agency.co.id", "name": "Una"})  # as Entra ID sends it
    for trust, allowed in (("", False), ("trust_unverified_email = true", True)):
        server = _server_with(oidc_provider, tmp_path, trust)
        url = next(server)
        try:
            una = sign_in(browser, url, "una")
            no_exception(una)
            if allowed:
                expect(una.get_by_text("Signed in as una@agency.co.id (agency.co.id)")).to_be_visible(timeout=30_000)
            else:
                refused = una.get_by_text("una@agency.co.id may not use this Tierscope", exact=False)
                expect(refused).to_be_visible(timeout=30_000)
                expect(una.locator("[data-testid='stSidebarNav']")).to_have_count(0, timeout=30_000)
            una.context.close()
        finally:
            server.close()


def test_signing_out_ends_a_session_whose_cookie_was_kept_and_a_revoked_link_ends_its_open_tab(
        browser: Browser, oidc_provider, tmp_path):
    server = signed_in_server(oidc_provider, tmp_path, env={DATABASE_URL_ENV: f"sqlite:///{tmp_path / 'w.db'}"})
    url = next(server)
    try:
        ayu = sign_in(browser, url, "ayu")
        upload(ayu, "kol-rahasia.xlsx", KOL_XLSX)
        expect(ayu).to_have_url(re.compile(r"[?&]a=[0-9a-f]{32}"), timeout=30_000)
        nav(ayu, "Present")
        ayu.get_by_text("Share with the client", exact=False).first.click()
        rerun(ayu, lambda: ayu.get_by_role("button", name="Create a link").click())
        link = ayu.locator("[data-testid='stCode']").inner_text().strip()
        client = browser.new_context().new_page()
        open_app(client, link)
        expect(client.get_by_role("heading", name=re.compile("Creator roster review"))).to_be_visible(timeout=30_000)

        # The cookie kept elsewhere (a second browser, or a copied cookie) opens ayu's work ...
        kept = browser.new_context(storage_state=ayu.context.storage_state()).new_page()
        open_app(kept, ayu.url)
        expect(kept.get_by_text("Signed in as ayu@agency.co.id", exact=False)).to_be_visible(timeout=30_000)

        rerun(ayu, lambda: ayu.get_by_role("button", name="Revoke").click())  # the client's tab is still open
        client.locator("body").press("r")  # Streamlit's rerun shortcut: the next rerun of that open tab
        expect(client.get_by_role("heading", name="This link is not valid")).to_be_visible(timeout=30_000)
        expect(client.get_by_text("kol-rahasia", exact=False)).to_have_count(0, timeout=30_000)

        ayu.locator("[data-testid='stSidebar']").get_by_role("button", name="Sign out").click()
        ayu.wait_for_url(lambda address: not address.startswith(url + "/present"))
        # ... until ayu signs out: then its next rerun shows the sign-in page and nothing of her work.
        kept.locator("body").press("r")
        expect(kept.get_by_role("button", name="Sign in")).to_be_visible(timeout=30_000)
        expect(kept.get_by_text("kol-rahasia", exact=False)).to_have_count(0, timeout=30_000)
        expect(kept.locator("[data-testid='stSidebarNav']")).to_have_count(0, timeout=30_000)

        again = sign_in(browser, url, "ayu")  # a sign-in after the sign-out works
        expect(again.get_by_text("Signed in as ayu@agency.co.id", exact=False)).to_be_visible(timeout=30_000)
        nav(again, "Saved work")
        expect(again.get_by_text("kol-rahasia", exact=False).first).to_be_visible(timeout=30_000)
    finally:
        server.close()


def test_markdown_in_a_brand_is_shown_as_typed_and_fetches_nothing(page: Page, app_url: str):
    fetched = []
    page.route(re.compile(r".*/(x|y)\.png$"), lambda route: (fetched.append(route.request.url), route.abort()))
    brand = "![t](http://127.0.0.1:9/x.png) **x** <img src=http://127.0.0.1:9/y.png>"
    open_app(page, app_url)
    nav(page, "Present")
    page.get_by_text("Branding and exports", exact=False).first.click()
    page.get_by_label("Brand (client)").fill(brand)
    rerun(page, lambda: page.get_by_label("Brand (client)").press("Enter"))
    no_exception(page)
    title = page.locator("h1", has_text="Creator roster review for")
    expect(title).to_have_text(f"Creator roster review for {brand}", timeout=30_000)
    expect(page.locator("[data-testid='stMain'] img[src*='127.0.0.1:9']")).to_have_count(0, timeout=30_000)
    expect(page.locator("[data-testid='stMain'] strong", has_text=re.compile("^x$"))).to_have_count(0, timeout=30_000)
    assert fetched == []


def test_the_roster_page_by_its_name_opens_in_a_new_session_without_page_not_found(browser: Browser, app_url: str,
                                                                                   scratch_database):
    from tiers.storage.analysis import Settings
    from tiers.storage.store import Store

    store = Store(f"sqlite:///{scratch_database}")
    made = store.create("By its name", "kol-by-name.xlsx", KOL_XLSX, Settings(brand="Wardah"))
    store.close()
    for _ in range(2):  # the server's first request for it is another path (guard_entry); the second is this one
        page = browser.new_context().new_page()
        open_app(page, f"{app_url}/roster?a={made.id}")
        no_exception(page)
        expect(page.get_by_role("heading", name="Roster", exact=True)).to_be_visible(timeout=30_000)
        expect(page.get_by_text("kol-by-name.xlsx", exact=False).first).to_be_visible(timeout=30_000)
        expect(page.get_by_text("Page not found")).to_have_count(0, timeout=30_000)
        expect(page).to_have_url(re.compile(rf"[?&]a={made.id}"), timeout=30_000)
        page.context.close()

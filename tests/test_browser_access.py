"""Sign-in against a real OpenID Connect provider, organisations, and a client's share link, in
chromium."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.conftest import ARTIFACTS, signed_in_server
from tests.fixtures import KOL_XLSX
from tests.helpers import downloaded, open_app, rerun
from tests.test_browser import nav, no_exception, page_title, upload
from tiers.storage.database import DATABASE_URL_ENV

pytestmark = pytest.mark.browser


def sign_in(browser: Browser, url: str, sub: str) -> Page:
    """A new browser signed in as `sub` through the provider's own page."""
    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    open_app(page, url)
    page.get_by_role("button", name="Sign in").click()
    page.locator("input[name=sub]").fill(sub)
    rerun(page, page.get_by_role("button", name=re.compile("Authorize", re.I)).click)
    expect(page).to_have_url(re.compile(re.escape(url)))
    return page


def test_members_of_two_organisations_see_only_their_own_work(browser, oidc_provider, tmp_path):
    server = signed_in_server(oidc_provider, tmp_path, env={DATABASE_URL_ENV: f"sqlite:///{tmp_path / 'w.db'}"})
    url = next(server)
    try:
        anonymous = browser.new_context().new_page()
        open_app(anonymous, url)
        expect(anonymous.get_by_role("button", name="Sign in")).to_be_visible()
        expect(anonymous.locator("[data-testid='stSidebarNav']")).to_have_count(0)  # nothing before sign-in

        ayu = sign_in(browser, url, "ayu")
        no_exception(ayu)
        expect(ayu.get_by_text("Signed in as ayu@agency.co.id (agency.co.id)")).to_be_visible()
        upload(ayu, "kol-rahasia.xlsx", KOL_XLSX)
        expect(ayu).to_have_url(re.compile(r"[?&]a=[0-9a-f]{32}"))
        ayus_url = ayu.url

        budi = sign_in(browser, url, "budi")  # a colleague: same organisation
        nav(budi, "Saved work")
        expect(budi.get_by_text("kol-rahasia", exact=False).first).to_be_visible()

        rex = sign_in(browser, url, "rex")
        open_app(rex, ayus_url)
        no_exception(rex)
        expect(rex.get_by_text("not found", exact=False).first).to_be_visible()
        expect(rex.get_by_text("kol-rahasia", exact=False)).to_have_count(0)
        nav(rex, "Saved work")
        page_title(rex, "Saved work")
        expect(rex.get_by_text("Signed in as rex@rival.com (rival.com)")).to_be_visible()
        expect(rex.get_by_text("kol-rahasia", exact=False)).to_have_count(0)
        rex.screenshot(path=ARTIFACTS / "signin-other-organisation.png")

        eve = sign_in(browser, url, "eve")
        expect(eve.get_by_text("eve@gmail.com may not use this Tierscope", exact=False)).to_be_visible()
        expect(eve.locator("[data-testid='stSidebarNav']")).to_have_count(0)

        ayu.locator("[data-testid='stSidebar']").get_by_role("button", name="Sign out").click()
        ayu.wait_for_url(lambda address: not address.startswith(url + "/?a="))  # the provider ends its session
        open_app(ayu, ayus_url)
        expect(ayu.get_by_role("button", name="Sign in")).to_be_visible()
        expect(ayu.get_by_text("kol-rahasia", exact=False)).to_have_count(0)
    finally:
        server.close()


def test_a_share_link_shows_the_client_only_what_it_should(browser, oidc_provider, tmp_path):
    server = signed_in_server(oidc_provider, tmp_path, env={DATABASE_URL_ENV: f"sqlite:///{tmp_path / 'w.db'}"})
    url = next(server)
    try:
        ayu = sign_in(browser, url, "ayu")
        upload(ayu, "kol.xlsx", KOL_XLSX)
        nav(ayu, "Tradeoffs")
        rerun(ayu, ayu.get_by_role("button", name="Find the best plan").click)
        rerun(ayu, ayu.get_by_role("button", name="Use this plan as the shortlist").click)
        nav(ayu, "Present")
        ayu.get_by_text("Share with the client", exact=False).first.click()
        ayu.get_by_text("The shortlist only").click()  # in a form: no rerun until it is sent
        rerun(ayu, ayu.get_by_role("button", name="Create a link").click)
        link = ayu.locator("[data-testid='stCode']").inner_text().strip()
        assert re.fullmatch(re.escape(url) + r"/\?share=[A-Za-z0-9_-]{32}", link), link

        client = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()  # no sign-in
        # Without fees the story has no cost chart: tiers, engagement and tradeoffs are drawn.
        open_app(client, link, charts=3)
        no_exception(client)
        expect(client.get_by_role("heading", name=re.compile("Creator roster review"))).to_be_visible()
        expect(client.locator("[data-testid='stSidebarNav'] a")).to_have_count(0)
        expect(client.locator("[data-testid='stFileUploader']")).to_have_count(0)
        # Fees hidden: absent from the page, the charts' data and the downloads, not just invisible.
        text, html = client.locator("body").inner_text(), client.content()
        assert not re.search(r"(Rp|IDR)\s?\d", text) and "Rate card" not in html and "750K" not in html
        assert "750000" not in html
        charts = client.evaluate("Array.from(document.querySelectorAll('.js-plotly-plot'))"
                                 ".map(e => JSON.stringify(e.data))")
        assert len(charts) == 3 and all(len(data) > 100 for data in charts), charts  # each holds its traces
        assert "followers" in "".join(charts).lower()  # the tradeoff chart plots followers (it is data, read)
        assert not any("fee" in data or "750000" in data for data in charts)
        report = downloaded(client, client.get_by_role("button", name="Download the report (HTML)").click)
        report_html = report.path().read_text(encoding="utf-8")
        assert "Creator roster review" in report_html
        assert "Rate card" not in report_html and not re.search(r"(Rp|IDR)\s?\d", report_html)
        client.screenshot(path=ARTIFACTS / "share-link.png", full_page=True)
        for path in ("/roster", "/present", "/work", "/tradeoffs"):  # other pages, with the token
            open_app(client, url + path + "?" + link.split("?", 1)[1], charts=3)
            expect(client.get_by_role("heading", name=re.compile("Creator roster review"))).to_be_visible()
            expect(client.locator("[data-testid='stSidebarNav'] a")).to_have_count(0)
            expect(client.get_by_text("Upload a roster")).to_have_count(0)
            expect(client.get_by_text("Column mapping")).to_have_count(0)

        rerun(ayu, ayu.reload)
        ayu.get_by_text("Share with the client", exact=False).first.click()
        expect(ayu.get_by_text(re.compile(r"opened [1-9]\d* times"))).to_be_visible()
        rerun(ayu, ayu.get_by_role("button", name="Revoke").click)
        open_app(client, link, charts=0)
        expect(client.get_by_role("heading", name="This link is not valid")).to_be_visible()
        open_app(client, url + "/?share=" + "A" * 32, charts=0)
        expect(client.get_by_role("heading", name="This link is not valid")).to_be_visible()
    finally:
        server.close()
    # Hygiene: neither the link's token nor the sign-in secrets reach the server's log.
    log = (ARTIFACTS / f"streamlit-{url.rsplit(':', 1)[1]}.log").read_text()
    token = link.split("share=", 1)[1]
    assert token not in log and "test-cookie-secret" not in log and "not-a-secret" not in log

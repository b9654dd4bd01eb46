"""Roster over time in a real browser: a second roster added to a saved analysis, compared, still
there after the server restarts, and told on the Present page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import ARTIFACTS, serve
from tests.fixtures import ENGLISH_LINKS, INDONESIAN_WORKBOOK
from tests.helpers import open_app
from tests.test_browser import nav, no_exception, upload
from tiers.storage.database import DATABASE_URL_ENV

pytestmark = pytest.mark.browser


def metric(page, label: str):
    return page.locator("[data-testid='stMetric']").filter(has_text=label).locator("[data-testid='stMetricValue']")


def test_a_newer_roster_is_compared_and_kept_across_a_server_restart(browser, tmp_path):
    env = {DATABASE_URL_ENV: f"sqlite:///{tmp_path / 'work.db'}"}
    server = serve(env=env)
    url = next(server)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = context.new_page()
        open_app(page, url)
        upload(page, "kol-2026-10.xlsx", INDONESIAN_WORKBOOK)
        expect(page).to_have_url(re.compile(r"[?&]a=[0-9a-f]{32}"))
        nav(page, "Over time")
        expect(page.get_by_text("Only one roster so far", exact=False)).to_be_visible()
        upload(page, "kol-november-2026.csv", ENGLISH_LINKS)
        no_exception(page)
        expect(metric(page, "Accounts in both")).to_have_text("4")
        expect(metric(page, "New")).to_have_text("1")
        expect(metric(page, "Dropped")).to_have_text("1")
        expect(page.locator(".js-plotly-plot").first).to_be_visible()  # drawn: upload() waited for every chart
        page.screenshot(path=ARTIFACTS / "changes.png", full_page=True)
        saved_url = page.url
    finally:
        context.close()
        server.close()

    server = serve(env=env)
    url = next(server)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = context.new_page()
        open_app(page, url + "/changes?" + saved_url.split("?", 1)[1])
        no_exception(page)
        expect(metric(page, "Accounts in both")).to_have_text("4")
        expect(page.get_by_text("kol-november-2026.csv").first).to_be_visible()
        nav(page, "Present")
        expect(page.get_by_role("heading", name="What changed since 1 Oct 2026")).to_be_visible()
        expect(page.get_by_text("4 accounts in both rosters, 1 new, 1 dropped", exact=False)).to_be_visible()
    finally:
        context.close()
        server.close()

"""Campaign results in a real browser: a results sheet added to a saved analysis is there after a reload and
in a client's share link (fees hidden, as the link's default)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import ARTIFACTS, serve
from tests.helpers import open_app, rerun
from tests.test_browser import nav, no_exception, upload
from tests.test_results import ROSTER, results_workbook
from tiers.storage.database import DATABASE_URL_ENV

pytestmark = pytest.mark.browser


def metric(page, label: str):
    return page.locator("[data-testid='stMetric']").filter(has_text=label).locator("[data-testid='stMetricValue']")


def test_results_added_to_a_saved_analysis_come_back_after_a_reload_and_in_a_client_link(browser, tmp_path):
    server = serve(env={DATABASE_URL_ENV: f"sqlite:///{tmp_path / 'work.db'}"})
    url = next(server)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = context.new_page()
        open_app(page, url)
        upload(page, "roster.csv", ROSTER)
        expect(page).to_have_url(re.compile(r"[?&]a=[0-9a-f]{32}"))
        saved = page.url
        nav(page, "Campaign results")
        expect(page.get_by_text("No results sheet yet", exact=False)).to_be_visible()
        upload(page, "hasil.xlsx", results_workbook())
        no_exception(page)
        expect(metric(page, "Posts")).to_have_text("7")
        expect(page.get_by_text("10 rows read, 7 posts", exact=False)).to_be_visible()
        assert page.url.split("a=", 1)[1][:32] == saved.split("a=", 1)[1][:32]  # the same analysis

        rerun(page, page.reload)  # a reload: the results come from the database
        no_exception(page)
        expect(page.get_by_role("heading", name="Campaign results").first).to_be_visible()
        expect(metric(page, "Posts")).to_have_text("7")
        expect(metric(page, "Fees")).to_have_text("IDR15.5M")  # each package once: 0.5 + 3 + 2 + 10 million

        nav(page, "Present")
        expect(page.get_by_role("heading", name="Campaign results")).to_be_visible()
        page.get_by_text("Share with the client", exact=False).first.click()
        rerun(page, page.get_by_role("button", name="Create a link").click)
        link = page.locator("[data-testid='stCode']").inner_text().strip()
        assert re.fullmatch(re.escape(url) + r"/\?share=[A-Za-z0-9_-]{32}", link), link

        client = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        open_app(client, link)
        no_exception(client)
        expect(client.get_by_role("heading", name="Campaign results")).to_be_visible()
        expect(client.get_by_role("heading", name="Best and weakest posts")).to_be_visible()
        expect(client.get_by_text("7 posts by 4 creators drew 28,841 engagements", exact=False)).to_be_visible()
        text = client.locator("body").inner_text()
        assert "IDR15.5M" not in text and "10,000,000" not in text  # the link hides fees by default
        client.screenshot(path=ARTIFACTS / "results-share-link.png", full_page=True)
    finally:
        context.close()
        server.close()

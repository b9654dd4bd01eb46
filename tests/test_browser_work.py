"""Saved work in a real browser: reload, a server restart (SQLite and PostgreSQL), two editors."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import ARTIFACTS, serve
from tests.fixtures import KOL_XLSX
from tests.helpers import open_app, rerun
from tests.test_browser import choose, nav, no_exception, shows, upload
from tiers.storage.database import DATABASE_URL_ENV

pytestmark = pytest.mark.browser


def test_work_survives_a_reload_and_a_server_restart(browser, database_url):
    server = serve(env={DATABASE_URL_ENV: database_url})
    url = next(server)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    open_app(page, url)
    upload(page, "kol.xlsx", KOL_XLSX)
    expect(page).to_have_url(re.compile(r"[?&]a=[0-9a-f]{32}"))
    page.get_by_text("Column mapping", exact=False).first.click()
    choose(page, "[data-testid='stMain']", "City", "Nama")  # a correction
    choose(page, "[data-testid='stSidebar']", "Tier scheme", "Shopee Affiliates (Indonesia)")
    nav(page, "Tradeoffs")
    rerun(page, page.get_by_role("button", name="Find the best plan").click)
    rerun(page, page.get_by_role("button", name="Use this plan as the shortlist").click)
    shortlist = page.get_by_text(re.compile(r"Shortlist: [1-9]\d* creators"))
    expect(shortlist).to_be_visible()
    count = shortlist.inner_text()
    saved_url = page.url

    rerun(page, page.reload)
    shows(page, "Tier scheme", "Shopee Affiliates (Indonesia)")
    expect(page.get_by_text(count)).to_be_visible()
    context.close()
    server.close()  # the server stops; the work is in the database only

    server = serve(env={DATABASE_URL_ENV: database_url})
    url = next(server)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    open_app(page, url + "/roster?" + saved_url.split("?", 1)[1])
    no_exception(page)
    expect(page.get_by_text("kol.xlsx").first).to_be_visible()
    expect(page.locator("[data-testid='stMetricValue']").nth(1)).to_have_text("4")
    shows(page, "Tier scheme", "Shopee Affiliates (Indonesia)")
    page.get_by_text("Column mapping", exact=False).first.click()
    shows(page, "City", "Nama", within="[data-testid='stMain']")
    nav(page, "Tradeoffs")
    expect(page.get_by_text(count)).to_be_visible()
    page.screenshot(path=ARTIFACTS / "work-after-restart.png")
    context.close()
    server.close()


def test_two_editors_see_each_others_save_and_choose(browser, tmp_path):
    server = serve(env={DATABASE_URL_ENV: f"sqlite:///{tmp_path / 'work.db'}"})
    url = next(server)
    first, second = browser.new_context(), browser.new_context()
    try:
        a = first.new_page()
        open_app(a, url)
        upload(a, "kol.xlsx", KOL_XLSX)
        b = second.new_page()
        open_app(b, a.url)
        expect(b.get_by_text("kol.xlsx").first).to_be_visible()
        choose(a, "[data-testid='stSidebar']", "Tier scheme", "Shopee Affiliates (Indonesia)")
        rerun(b, b.locator("[data-testid='stSidebar']").get_by_text("Bahasa Indonesia").click)
        expect(b.get_by_text("disimpan dari jendela lain", exact=False)).to_be_visible()
        b.screenshot(path=ARTIFACTS / "work-conflict.png")
        rerun(b, b.get_by_role("button", name="Muat versi mereka").click)
        no_exception(b)
        shows(b, "Tier scheme", "Shopee Affiliates (Indonesia)")  # theirs, in their language: English
        expect(b.get_by_text("disimpan dari jendela lain", exact=False)).to_have_count(0)
        expect(b.get_by_text("saved from another window", exact=False)).to_have_count(0)
    finally:
        first.close()
        second.close()
        server.close()

"""The running app in a real headless chromium: upload, every page, scheme and language, download."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.conftest import ARTIFACTS
from tests.fixtures import KOL_XLSX
from tests.helpers import downloaded, open_app, open_select, rerun
from tests.test_roster import INDONESIAN_SEMICOLON

pytestmark = pytest.mark.browser

XLSX = KOL_XLSX
NAV = ["Tiers", "Engagement", "Tradeoffs", "Present", "Roster"]


def no_exception(page: Page) -> None:
    """Only after a `rerun` wait: the run has ended, so an exception it raised would be on the page."""
    expect(page.locator("[data-testid='stException']")).to_have_count(0)


def upload(page: Page, name: str, data: bytes, charts: int | None = None) -> None:
    rerun(page, lambda: page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(
        {"name": name, "mimeType": "application/octet-stream", "buffer": data}), charts)


def nav(page: Page, title: str, charts: int | None = None) -> None:
    """Open a page from the sidebar and wait until its run has ended and its charts are drawn."""
    rerun(page, lambda: page.locator("[data-testid='stSidebarNav'] a", has_text=title).first.click(), charts)
    no_exception(page)


def choose(page: Page, within: str, label_text: str, option: str) -> None:
    label = page.locator("[data-testid='stWidgetLabel']", has_text=re.compile(f"^{label_text}$"))
    box = page.locator(f"{within} [data-testid='stSelectbox']").filter(has=label).first
    wanted = page.get_by_role("option", name=option, exact=True)

    def pick() -> None:  # the list can close again before the click lands (CI, once): opened and clicked anew
        deadline = time.monotonic() + 60
        while True:
            open_select(page, box, wanted)
            try:
                wanted.click(timeout=5_000)
                return
            except PlaywrightTimeoutError:
                if time.monotonic() > deadline:
                    raise

    rerun(page, pick)
    no_exception(page)


def shows(page: Page, label: str, value: str, within: str = "[data-testid='stSidebar']") -> None:
    expect(page.locator(within).get_by_role("combobox", name=label).first).to_have_value(value)


def page_title(page: Page, title: str) -> None:
    """The page now shown is `title` (its highlighted link), not the one before it."""
    expect(page.locator("[data-testid='stSidebarNav'] a[aria-current='page']")).to_contain_text(title)


def visit_every_page(page: Page, label: str) -> None:
    for title in NAV:
        nav(page, title)
        page_title(page, title)
        if title != "Roster":  # every chart page draws at least one chart (nav waited for all of them)
            expect(page.locator(".js-plotly-plot").first).to_be_visible()
        page.screenshot(path=ARTIFACTS / f"{label}-{title.lower()}.png")


@pytest.mark.parametrize(("name", "data", "classified"),
                         [("kol.xlsx", XLSX, "4"), ("kol.csv", INDONESIAN_SEMICOLON, "3")])
def test_upload_and_visit_every_page(page: Page, app_url: str, name: str, data: bytes, classified: str):
    open_app(page, app_url)
    no_exception(page)
    upload(page, name, data)
    no_exception(page)
    metrics = page.locator("[data-testid='stMetricValue']")
    expect(metrics.nth(1)).to_have_text(classified)
    expect(page.get_by_text(name, exact=False).first).to_be_visible()
    visit_every_page(page, name.replace(".", "-"))
    # The upload survived the page switches.
    expect(page.locator("[data-testid='stMetricValue']").nth(1)).to_have_text(classified)


def test_scheme_language_and_download(page: Page, app_url: str):
    open_app(page, app_url)
    upload(page, "kol.xlsx", XLSX)
    # Change the tier scheme in the sidebar.
    choose(page, "[data-testid='stSidebar']", "Tier scheme", "Shopee Affiliates (Indonesia)")
    expect(page.locator("[data-testid='stSidebar']")).to_contain_text("Shopee ID")
    # Switch to Bahasa Indonesia: labels change, the scheme stays.
    rerun(page, page.locator("[data-testid='stSidebar']").get_by_text("Bahasa Indonesia").click)
    no_exception(page)
    expect(page.locator("[data-testid='stMetricLabel']").first).to_have_text("Baris dibaca")
    expect(page.locator("[data-testid='stSidebar']")).to_contain_text("Shopee ID")
    page.screenshot(path=ARTIFACTS / "roster-id.png")
    download = downloaded(page, page.get_by_text("Unduh roster terklasifikasi (CSV)").click)
    text = download.path().read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("source_row,handle,name,creator,platform,followers,tier")
    assert ",ayu,Ayu,c4,instagram,4999,nano," in text  # Shopee: nano < 10K
    assert ",budi,Budi,c5,tiktok,5000,nano," in text
    for title in ("Tier", "Engagement", "Jangkauan vs biaya"):
        nav(page, title)
        page_title(page, title)


def test_two_sessions_never_see_each_others_roster(browser, app_url: str):
    first, second = browser.new_context(), browser.new_context()
    try:
        a, b = first.new_page(), second.new_page()
        for page in (a, b):
            open_app(page, app_url)
        upload(a, "agency-a.xlsx", XLSX)
        upload(b, "agency-b.csv", INDONESIAN_SEMICOLON)
        for title in ("Tiers", "Roster"):  # rerun A after B's upload
            nav(a, title)
        expect(a.get_by_text("agency-a.xlsx").first).to_be_visible()
        expect(a.get_by_text("agency-b.csv")).to_have_count(0)
        expect(a.locator("[data-testid='stMetricValue']").nth(1)).to_have_text("4")
        expect(b.get_by_text("agency-b.csv").first).to_be_visible()
        expect(b.get_by_text("agency-a.xlsx")).to_have_count(0)
        expect(b.locator("[data-testid='stMetricValue']").nth(1)).to_have_text("3")
    finally:
        first.close()
        second.close()


def test_html_in_names_is_shown_as_text(page: Page, app_url: str):
    open_app(page, app_url)
    evil = (b"Akun,Nama,Pengikut\n"
            b"x1,<img src=x onerror=\"window.__pwned=1\">,1200\n"
            b"x2,<script>window.__pwned=2</script>,5000\n")
    upload(page, "<b>evil</b>.csv", evil)
    no_exception(page)
    expect(page.locator("[data-testid='stMetricValue']").nth(1)).to_have_text("2")
    # The names are on the page as text (so an <img> made of them would have been loaded by now) ...
    expect(page.get_by_text("<img src=x onerror=", exact=False).first).to_be_attached()
    expect(page.locator("[data-testid='stMain'] img[src='x']")).to_have_count(0)
    # ... and a probe image that does fail to load fires its onerror: had the names' one been made, it had too.
    page.evaluate("new Promise(done => { const i = new Image(); i.onerror = done; i.src = 'x-probe'; })")
    assert page.evaluate("window.__pwned") is None
    expect(page.get_by_text("<b>evil</b>.csv", exact=False).first).to_be_attached()
    expect(page.locator("[data-testid='stMain'] b", has_text="evil")).to_have_count(0)
    page.screenshot(path=ARTIFACTS / "html-names.png")


def test_file_over_the_upload_limit_is_refused_with_a_message(page: Page, small_upload_app_url: str):
    open_app(page, small_upload_app_url)
    expect(page.get_by_text("sample_roster.csv ·", exact=False).first).to_be_visible()
    big = b"handle,followers\n" + b"creator,1200\n" * 120_000  # about 1.5 MB
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(
        {"name": "big.csv", "mimeType": "text/csv", "buffer": big})
    expect(page.get_by_text("1.0MB or smaller", exact=False).or_(page.get_by_text("1MB", exact=False)).first
           ).to_be_visible(timeout=10_000)
    no_exception(page)
    # still on the sample, nothing half-read
    expect(page.get_by_text("sample_roster.csv ·", exact=False).first).to_be_visible()
    expect(page.get_by_text("big.csv ·")).to_have_count(0)
    page.screenshot(path=ARTIFACTS / "over-limit.png")


def test_html_report_renders_its_charts_offline(page: Page, tmp_path):
    from tests.helpers import roster_of
    from tests.test_deliverables import SAMPLE, story_of
    from tiers.analysis.classify import analyse
    from tiers.presenting.deliverables import story_html
    roster = roster_of(SAMPLE, "sample_roster.csv")
    report = tmp_path / "report.html"
    report.write_text(story_html(story_of((roster, analyse(roster)), "id")), encoding="utf-8")
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(report.as_uri())
    expect(page.locator(".js-plotly-plot")).to_have_count(4, timeout=20_000)
    expect(page.locator(".js-plotly-plot .main-svg").first).to_be_visible()
    assert all(url.startswith(("file:", "data:")) for url in requests), requests
    page.screenshot(path=ARTIFACTS / "report.png")


def test_present_page_downloads_a_deck(page: Page, app_url: str):
    from pptx import Presentation

    from tests.helpers import roster_of
    from tests.test_deliverables import SAMPLE, story_of
    from tiers.analysis.classify import analyse
    roster = roster_of(SAMPLE, "sample_roster.csv")
    story = story_of((roster, analyse(roster)), brand="", agency="")  # the page's unbranded story
    # The deck: a title slide, a chart slide per section (and a table slide after one with a table),
    # the shortlist and the method.
    tables = sum(s.table is not None and not s.table.empty for s in story.sections)
    slides = 1 + len(story.sections) + tables + 2
    open_app(page, app_url + "/present", charts=len(story.sections))
    page_title(page, "Present")
    no_exception(page)
    deck = Presentation(str(downloaded(page, page.get_by_text("Download the deck (PPTX)").click).path()))
    assert len(deck.slides) == slides
    first = [shape.text_frame.text for shape in deck.slides[0].shapes if shape.has_text_frame]
    assert story.title in first
    page.screenshot(path=ARTIFACTS / "present.png")

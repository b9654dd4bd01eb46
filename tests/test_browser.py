"""The running app in a real headless chromium: upload, every page, scheme and language, download."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import ARTIFACTS
from tests.fixtures import KOL_XLSX
from tests.test_roster import INDONESIAN_SEMICOLON

pytestmark = pytest.mark.browser

XLSX = KOL_XLSX
NAV = ["Tiers", "Engagement", "Tradeoffs", "Present", "Roster"]


def settle(page: Page) -> None:
    """Wait until the script has finished its run."""
    page.wait_for_timeout(300)
    expect(page.locator("[data-testid='stApp'][data-test-script-state='notRunning']")).to_be_attached(timeout=30_000)
    page.wait_for_timeout(200)


def no_exception(page: Page) -> None:
    expect(page.locator("[data-testid='stException']")).to_have_count(0)


def upload(page: Page, name: str, data: bytes) -> None:
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(
        {"name": name, "mimeType": "application/octet-stream", "buffer": data})
    settle(page)


def visit_every_page(page: Page, label: str) -> None:
    for title in NAV:
        page.locator("[data-testid='stSidebarNav'] a", has_text=title).first.click()
        settle(page)
        no_exception(page)
        if title != "Roster":
            expect(page.locator("[data-testid='stPlotlyChart']").first).to_be_visible(timeout=20_000)
        page.screenshot(path=ARTIFACTS / f"{label}-{title.lower()}.png")


@pytest.mark.parametrize(("name", "data", "classified"),
                         [("kol.xlsx", XLSX, "4"), ("kol.csv", INDONESIAN_SEMICOLON, "3")])
def test_upload_and_visit_every_page(page: Page, app_url: str, name: str, data: bytes, classified: str):
    page.goto(app_url)
    settle(page)
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
    page.goto(app_url)
    settle(page)
    upload(page, "kol.xlsx", XLSX)
    # Change the tier scheme in the sidebar.
    page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").first.click()
    page.get_by_role("option", name="Shopee Affiliates (Indonesia)").click()
    settle(page)
    no_exception(page)
    expect(page.locator("[data-testid='stSidebar']")).to_contain_text("Shopee ID")
    # Switch to Bahasa Indonesia: labels change, the scheme stays.
    page.locator("[data-testid='stSidebar']").get_by_text("Bahasa Indonesia").click()
    settle(page)
    no_exception(page)
    expect(page.locator("[data-testid='stMetricLabel']").first).to_have_text("Baris dibaca")
    expect(page.locator("[data-testid='stSidebar']")).to_contain_text("Shopee ID")
    page.screenshot(path=ARTIFACTS / "roster-id.png")
    with page.expect_download() as download_info:
        page.get_by_text("Unduh roster terklasifikasi (CSV)").click()
    text = download_info.value.path().read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("source_row,handle,name,creator,platform,followers,tier")
    assert ",ayu,Ayu,c4,instagram,4999,nano," in text  # Shopee: nano < 10K
    assert ",budi,Budi,c5,tiktok,5000,nano," in text
    for title in ("Tier", "Engagement", "Jangkauan vs biaya"):
        page.locator("[data-testid='stSidebarNav'] a", has_text=title).first.click()
        settle(page)
        no_exception(page)


def test_two_sessions_never_see_each_others_roster(browser, app_url: str):
    first, second = browser.new_context(), browser.new_context()
    try:
        a, b = first.new_page(), second.new_page()
        for page in (a, b):
            page.goto(app_url)
            settle(page)
        upload(a, "agency-a.xlsx", XLSX)
        upload(b, "agency-b.csv", INDONESIAN_SEMICOLON)
        for title in ("Tiers", "Roster"):  # rerun A after B's upload
            a.locator("[data-testid='stSidebarNav'] a", has_text=title).first.click()
            settle(a)
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
    page.goto(app_url)
    settle(page)
    evil = (b"Akun,Nama,Pengikut\n"
            b"x1,<img src=x onerror=\"window.__pwned=1\">,1200\n"
            b"x2,<script>window.__pwned=2</script>,5000\n")
    upload(page, "<b>evil</b>.csv", evil)
    no_exception(page)
    expect(page.locator("[data-testid='stMetricValue']").nth(1)).to_have_text("2")
    assert page.evaluate("window.__pwned") is None
    expect(page.locator("[data-testid='stMain'] b", has_text="evil")).to_have_count(0)
    page.screenshot(path=ARTIFACTS / "html-names.png")


def test_file_over_the_upload_limit_is_refused_with_a_message(page: Page, small_upload_app_url: str):
    page.goto(small_upload_app_url)
    settle(page)
    big = b"handle,followers\n" + b"creator,1200\n" * 120_000  # about 1.5 MB
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(
        {"name": "big.csv", "mimeType": "text/csv", "buffer": big})
    settle(page)
    expect(page.get_by_text("1.0MB or smaller", exact=False).or_(page.get_by_text("1MB", exact=False)).first
           ).to_be_visible(timeout=10_000)
    no_exception(page)
    expect(page.get_by_text("big.csv ·")).to_have_count(0)  # still on the sample, nothing half-read
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
    page.goto(app_url + "/present")
    settle(page)
    page.locator("[data-testid='stSidebarNav'] a", has_text="Present").first.click()
    settle(page)
    no_exception(page)
    expect(page.locator("[data-testid='stPlotlyChart']")).to_have_count(4, timeout=20_000)
    with page.expect_download(timeout=60_000) as download_info:
        page.get_by_text("Download the deck (PPTX)").click()
    deck = Presentation(str(download_info.value.path()))
    assert len(deck.slides) == 7
    page.screenshot(path=ARTIFACTS / "present.png")

"""What a brand client sees is finished, in their language: every page, the deck, the report and the workbook
read without raw values, code or English (tests/visible_text.py); sections without data say so and draw nothing;
the deck's slides have titles and keep every shape on the slide, and render; the workbook's shortlist is the
story's; numbers, dates and colours go one way everywhere."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from itertools import combinations
from pathlib import Path

import pandas as pd
import pytest
import python_calamine

from tests.fixtures import ENGLISH_LINKS, INDONESIAN_WORKBOOK
from tests.helpers import csv_bytes, roster_of
from tests.test_work import app, db  # noqa: F401  (db is a fixture)
from tests.visible_text import deck_text, figure_text, page_text, problems, report_text, workbook_text
from tiers.analysis.changes import compare_snapshots
from tiers.analysis.classify import analyse, classify_roster
from tiers.analysis.engagement import get_norm_set
from tiers.analysis.filters import row_keys
from tiers.analysis.schemes import get_scheme
from tiers.presenting import charts
from tiers.presenting.deliverables import chart_renderer_missing, story_html, story_pptx, workbook_xlsx
from tiers.presenting.i18n import (
    LANGUAGES,
    catalogue,
    column_name,
    excel_format,
    format_frame,
    format_moment,
    format_number,
    localise_labels,
    translator,
)
from tiers.presenting.palette import DEFICIENCIES, GROUPS, distance, simulate
from tiers.presenting.story import Branding, Comparison, build_story

ROOT = Path(__file__).parents[1]
SAMPLE = (ROOT / "data" / "sample_roster.csv").read_bytes()
PAGES = ["pages/work.py", "pages/roster.py", "pages/distribution.py", "pages/engagement.py", "pages/tradeoffs.py",
         "pages/changes.py", "pages/present.py"]
needs_chromium = pytest.mark.skipif(bool(chart_renderer_missing()), reason="static charts need chromium")
PARTIPOST, NORMS = get_scheme("partipost"), get_norm_set("partipost_2022")
NO_ENGAGEMENT = csv_bytes(["Akun,Platform,Followers,Harga", "@ayu,Instagram,1200,Rp 500.000",
                           "@budi,TikTok,52000,Rp 2.000.000", "@cici,Instagram,1500000,Rp 25.000.000"])


def user_words(*rosters) -> set[str]:
    """What the user's own files say (handles, names, headers, sheets, niches, cities, reasons): shown as is."""
    words = set()
    for roster in rosters:
        rows = roster.rows
        for column in ("handle", "name", "niche", "city", "sheet", "reason", "warning"):
            if column in rows:
                words |= {str(v) for v in rows[column].dropna().unique()}
        words |= {str(h) for h in getattr(roster, "headers", [])} | {roster.file_name}
    return {w for w in words if len(w) > 1}


@pytest.fixture(scope="module")
def sample():
    roster = roster_of(SAMPLE, "sample_roster.csv")
    return roster, analyse(roster, "partipost", "partipost_2022")


@pytest.fixture(scope="module")
def compared():
    """Two rosters of the same creators, the second with profile links for handles and no names."""
    before, after = roster_of(INDONESIAN_WORKBOOK, "kol-2026-10.xlsx"), roster_of(ENGLISH_LINKS, "kol-2026-11.csv")
    accounts = compare_snapshots(classify_roster(before), classify_roster(after), PARTIPOST).accounts
    return before, after, Comparison(accounts, dt.date(2026, 10, 1), dt.date(2026, 11, 1))


# ---------------------------------------------------------------- every page, in every language

def _visit(at, lang: str) -> dict[str, list[str]]:
    at.session_state["lang"] = lang
    seen = {}
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, (page, lang, at.exception)
        if page == "pages/tradeoffs.py":  # the planner's result too
            at.button[[b.proto.label for b in at.button].index(translator(lang)("plan_button"))].click().run()
            assert not at.exception, (page, lang, at.exception)
        seen[page] = page_text(at)
    return seen


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_every_page_reads_finished_in_every_language(db, lang):  # noqa: F811
    at = app()
    at.file_uploader(key="upload").set_value(("kol-2026-10.xlsx", INDONESIAN_WORKBOOK, "application/xlsx")).run()
    at.switch_page("pages/changes.py").run()
    at.file_uploader(key="snapshot_upload").set_value(("kol-2026-11.csv", ENGLISH_LINKS, "text/csv")).run()
    assert not at.exception, at.exception
    allowed = user_words(roster_of(INDONESIAN_WORKBOOK, "kol-2026-10.xlsx"),
                         roster_of(ENGLISH_LINKS, "kol-2026-11.csv"))
    allowed |= {"kol-2026-10", "kol-2026-11", "tierscope.db", "tierscope-changes"}
    seen = _visit(at, lang)
    found = {page: problems(texts, lang, allowed) for page, texts in seen.items()}
    assert not any(found.values()), {page: issues for page, issues in found.items() if issues}


@pytest.mark.parametrize("lang", ["en", "id"])
def test_every_page_reads_finished_on_the_sample(lang):
    at = app()
    allowed = user_words(roster_of(SAMPLE, "sample_roster.csv")) | {"sample_roster"}
    seen = _visit(at, lang)
    found = {page: problems(texts, lang, allowed) for page, texts in seen.items() if page != "pages/work.py"}
    assert not any(found.values()), {page: issues for page, issues in found.items() if issues}


def test_the_scan_finds_what_it_is_for():
    """The checker is not a test that cannot fail: each kind of unfinished text is caught."""
    assert problems(["ER in the sheet: None"], "en")
    assert problems(["Followers nan"], "en")
    assert problems(["Fee estimated: False"], "en")
    assert problems(["platform_instagram"], "en") == ["message key 'platform_instagram' in 'platform_instagram'"]
    assert problems(["row_kind"], "id")
    assert problems([translator("en")("takeaway_engagement_none")], "id")
    assert not problems([translator("id")("takeaway_engagement_none"), "@budi_s", "Rp1.500.000"], "id")
    assert not problems(["wulan_anggraini70"], "id", {"wulan_anggraini70"})


# ---------------------------------------------------------------- deliverables, in every language

def _story(analysed, roster, lang, comparison=None, brand="Wardah", agency="Agensi Kita", keys=None):
    return build_story(analysed, roster, PARTIPOST, NORMS, keys, lang, Branding(brand, agency),
                       today=dt.date(2026, 12, 1), comparison=comparison)


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_the_report_workbook_and_charts_read_finished(sample, compared, lang):
    roster, analysed = sample
    before, after, comparison = compared
    story = _story(analysed, roster, lang, comparison)
    allowed = user_words(roster, before, after)
    texts = report_text(story_html(story))
    texts += [s for section in story.sections if section.figure is not None
              for s in figure_text(section.figure.to_plotly_json())]
    texts += workbook_text(workbook_xlsx(analysed, roster, None, lang, comparison.accounts))
    assert problems(texts, lang, allowed) == []


@needs_chromium
@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_the_deck_reads_finished(sample, compared, lang):
    roster, analysed = sample
    before, after, comparison = compared
    deck = story_pptx(_story(analysed, roster, lang, comparison))
    assert problems(deck_text(deck), lang, user_words(roster, before, after)) == []


def test_the_changes_table_names_creators_not_profile_links(compared):
    *_, comparison = compared
    table = next(s for s in _story(*_analysed(compared), "en", comparison).sections if s.key == "changes").table
    assert "handle" not in table and not table["name"].str.contains("://|www\\.", regex=True).any()
    assert "Rina Wijaya" in set(table["name"])


def _analysed(compared):
    before, after, _ = compared
    return analyse(after), after


def test_without_a_brand_no_placeholder_is_printed(sample):
    roster, analysed = sample
    story = _story(analysed, roster, "en", brand="", agency="")
    assert story.title == "Creator roster review" and story.subtitle == "1 Dec 2026 · Partipost (Indonesia)"
    assert "Brand" not in story_html(story) and "Prepared by" not in story_html(story)
    assert _story(analysed, roster, "id").title == "Tinjauan roster kreator untuk Wardah"


# ---------------------------------------------------------------- sections without data

def test_a_roster_without_engagement_data_says_so_and_draws_nothing():
    roster = roster_of(NO_ENGAGEMENT, "bare.csv")
    story = _story(analyse(roster), roster, "en")
    empty = {s.key: s.takeaway for s in story.sections if s.figure is None}
    t = translator("en")
    assert empty == {"engagement": t("takeaway_engagement_none"), "tradeoffs": t("takeaway_engagement_none"),
                     "cost": t("takeaway_cost_none")}
    page = story_html(story)
    assert page.count('class="chart"') == 1 and t("takeaway_cost_none") in page
    assert "buys about 0" not in page
    shares = next(s for s in story.sections if s.key == "tiers").figure
    assert [trace.name for trace in shares.data] == ["Creators", "Followers"]  # no bars of nothing


@needs_chromium
def test_the_deck_of_a_roster_without_engagement_data_has_no_empty_chart():
    from pptx import Presentation

    roster = roster_of(NO_ENGAGEMENT, "bare.csv")
    story = _story(analyse(roster), roster, "en")
    deck = Presentation(io.BytesIO(story_pptx(story)))
    pictures = [sum(shape.shape_type == 13 for shape in slide.shapes) for slide in deck.slides]
    assert pictures == [0, 1, 0, 0, 0, 0, 0]  # title, tiers, engagement, tradeoffs, cost, shortlist, method
    assert translator("en")("takeaway_engagement_none") in deck_text(story_pptx(story))


# ---------------------------------------------------------------- the deck's layout

@needs_chromium
def test_every_slide_has_a_title_and_every_shape_lies_within_it(sample, compared):
    from pptx import Presentation
    from pptx.enum.shapes import PP_PLACEHOLDER

    roster, analysed = sample
    *_, comparison = compared
    deck = Presentation(io.BytesIO(story_pptx(_story(analysed, roster, "id", comparison))))
    width, height = deck.slide_width, deck.slide_height
    assert width * 9 == height * 16  # 16:9
    for number, slide in enumerate(deck.slides, start=1):
        title = slide.shapes.title
        assert title is not None and title.is_placeholder and title.text_frame.text.strip(), number
        assert title.placeholder_format.type in (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
        for shape in slide.shapes:
            assert shape.left >= 0 and shape.top >= 0, (number, shape.name)
            assert shape.left + shape.width <= width and shape.top + shape.height <= height, (number, shape.name)


def test_slide_tables_keep_each_handle_on_one_line_and_line_figures_up_right(sample):
    from pptx import Presentation
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Pt

    roster, analysed = sample
    deck = Presentation(io.BytesIO(story_pptx(_story(analysed, roster, "id"))))
    tables = [shape.table for slide in deck.slides for shape in slide.shapes if shape.has_table]
    assert tables
    t = translator("id")
    for table in tables:
        header = [cell.text for cell in table.rows[0].cells]
        body = [[cell.text for cell in row.cells] for row in list(table.rows)[1:]]
        handle = header.index(t("field_handle"))
        longest = max(len(row[handle]) for row in body)
        # 10-point text is about 0.55 em a character on average: the column holds its longest handle
        assert table.columns[handle].width >= longest * Pt(10) * 0.55, (longest, table.columns[handle].width)
        followers = header.index(t("field_followers"))
        assert all(table.cell(r, followers).text_frame.paragraphs[0].alignment == PP_ALIGN.RIGHT
                   for r in range(len(table.rows)))
        assert table.cell(1, handle).text_frame.paragraphs[0].alignment != PP_ALIGN.RIGHT
    report = story_html(_story(analysed, roster, "id"))
    assert f'<th class="figure">{t("field_followers")}</th>' in report
    assert f'<th>{t("field_handle")}</th>' in report


@needs_chromium
@pytest.mark.skipif(not shutil.which("soffice") or not shutil.which("pdftoppm"),
                    reason="rendering slides needs LibreOffice and poppler (scripts/test.sh installs them)")
def test_the_deck_renders_to_images(sample, compared, tmp_path):
    from pptx import Presentation

    roster, analysed = sample
    *_, comparison = compared
    data = story_pptx(_story(analysed, roster, "id", comparison))
    (tmp_path / "deck.pptx").write_bytes(data)
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to",
                    "pdf", "--outdir", str(tmp_path), str(tmp_path / "deck.pptx")], check=True, capture_output=True,
                   timeout=240)
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(tmp_path / "deck.pdf"), str(tmp_path / "slide")], check=True,
                   timeout=120)
    slides = sorted(tmp_path.glob("slide*.png"))
    assert len(slides) == len(Presentation(io.BytesIO(data)).slides)
    from PIL import Image

    for path in slides:
        with Image.open(path) as image:
            assert image.size[0] > 600 and image.getextrema() != ((255, 255),) * 3  # drawn, not blank


# ---------------------------------------------------------------- the workbook

def _book(data: bytes) -> dict[str, list[list]]:
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_the_workbook_holds_the_shortlist_the_story_shows(sample, lang):
    roster, analysed = sample
    t = translator(lang)
    story = _story(analysed, roster, lang)
    sheets = _book(workbook_xlsx(analysed, roster, None, lang))
    shortlist = sheets[t("sheet_shortlist")]
    handle = shortlist[0].index(t("field_handle"))
    assert sorted(row[handle] for row in shortlist[1:]) == sorted(story.shortlist["handle"])
    chosen = row_keys(analysed[analysed["status"] == "ok"]).iloc[[5, 2, 9]].tolist()
    sheets = _book(workbook_xlsx(analysed, roster, chosen, lang))
    assert len(sheets[t("sheet_shortlist")]) == 4


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_every_sheet_name_and_header_is_in_the_language(sample, compared, lang):
    roster, analysed = sample
    *_, comparison = compared
    t = translator(lang)
    sheets = _book(workbook_xlsx(analysed, roster, None, lang, comparison.accounts))
    assert list(sheets) == [t(k) for k in ("sheet_creators", "sheet_shortlist", "sheet_rejected", "sheet_changes")]
    headers = {t(key) for key in catalogue(lang) if key.startswith("field_")}
    for name, rows in sheets.items():
        assert set(rows[0]) <= headers, (name, set(rows[0]) - headers)
    creators = sheets[t("sheet_creators")]
    estimated = creators[0].index(t("field_fee_estimated"))
    assert {row[estimated] for row in creators[1:]} <= {t("value_yes"), t("value_no")}


def test_the_workbook_keeps_numbers_as_numbers_with_the_languages_format(sample):
    import zipfile

    roster, analysed = sample
    data = workbook_xlsx(analysed, roster, None, "id")
    creators = _book(data)[translator("id")("sheet_creators")]
    fee, rate = creators[0].index("Harga (rate card)"), creators[0].index("Engagement rate")
    assert all(isinstance(row[fee], float) and isinstance(row[rate], float) for row in creators[1:] if row[fee] != "")
    styles = zipfile.ZipFile(io.BytesIO(data)).read("xl/styles.xml").decode()
    assert 'formatCode="&quot;Rp&quot;#,##0"' in styles and 'formatCode="#,##0.0%"' in styles
    assert excel_format("money", "en", "IDR") == '"IDR"#,##0' and excel_format("money", "ms", "MYR") == '"RM"#,##0.00'


# ---------------------------------------------------------------- one formatting path

def test_a_kind_decides_the_precision_and_the_language_the_marks():
    assert format_number(1565.522, "money", "id") == "Rp1.566"  # never '1,565.522' to an Indonesian reader
    assert format_number(1565.522, "money", "en") == "IDR1,566"
    assert format_number(3632.746, "count", "id") == "3.633"
    assert format_number(0.0271, "rate", "id") == "2,7%" and format_number(0.106, "rate", "en") == "10.6%"
    assert format_number(0.25, "rate", "en", signed=True) == "+25.0%"
    assert format_number(float("nan"), "count", "en") == "–"
    frame = pd.DataFrame({"reach_per_million": [577592.853], "cpe": [1565.522], "engagement_rate_roster": [None],
                          "tier": ["nano"], "fee_estimated": [True]})
    shown = format_frame(frame, "id", "IDR")
    assert shown.iloc[0].tolist() == ["577.593", "Rp1.566", "", "Nano", "Ya"]
    assert "None" not in shown.to_string() and "nan" not in shown.to_string()


def test_chart_axes_use_the_languages_compact_numbers():
    fig = charts.plan_comparison_figure(_plans(), translator("id"), "expected_engagements")
    ticks = [text for axis in ("yaxis", "yaxis2") for text in fig.layout[axis].ticktext]
    assert "20\xa0jt" in ticks and "1\xa0jt" in ticks  # CLDR: a no-break space before the unit
    assert not any("M" in text for text in ticks)
    assert fig.layout["annotations"][0].text == "Perkiraan engagement"


def _plans():
    from types import SimpleNamespace

    return {"mix": SimpleNamespace(total_engagements=1_023_250, total_reach=74_089_959),
            "nano": SimpleNamespace(total_engagements=800_000, total_reach=20_000_000),
            "mega": SimpleNamespace(total_engagements=300_000, total_reach=60_000_000)}


def test_the_planner_comparison_never_hides_one_measure_behind_the_other():
    fig = charts.plan_comparison_figure(_plans(), translator("en"), "expected_engagements")
    bars = [trace for trace in fig.data if trace.type == "bar"]
    assert {(bar.xaxis, bar.yaxis) for bar in bars} == {("x", "y"), ("x2", "y2")}  # a panel each, side by side
    assert fig.layout.xaxis.domain[1] < fig.layout.xaxis2.domain[0]
    assert not any(bar.showlegend for bar in bars)  # the panels' titles say what each shows
    for bar in bars:  # room above the tallest bar for its label
        axis = fig.layout["yaxis" if bar.yaxis == "y" else "yaxis2"]
        assert axis.range[1] >= max(bar.y) * 1.15


def test_saved_times_are_local_in_the_languages_format(monkeypatch):
    moment = dt.datetime(2026, 12, 1, 7, 38, tzinfo=dt.UTC)
    assert format_moment(moment, "id") == "1 Des 2026 14.38 WIB"
    assert format_moment(moment, "ms").startswith("1 Dis 2026") and format_moment(moment, "ms").endswith("MYT")
    monkeypatch.setenv("TIERSCOPE_TIMEZONE", "Asia/Makassar")
    assert format_moment(moment, "id") == "1 Des 2026 15.38 WITA"


def test_labels_and_headers_are_in_the_language():
    t = translator("id")
    frame = localise_labels(pd.DataFrame({"platform": ["instagram"], "tier": ["macro"], "fee_estimated": [False]}), t)
    assert frame.columns.tolist() == [column_name(c, t) for c in ("platform", "tier", "fee_estimated")]
    assert frame.iloc[0].tolist() == ["Instagram", "Makro", "Tidak"]


# ---------------------------------------------------------------- one palette

def test_the_fixed_series_stay_apart_for_colour_blind_readers():
    for group, colours in GROUPS.items():
        shown = {name: colour for name, colour in colours.items() if name not in ("reach", "no data", "no norm")}
        for (a, x), (b, y) in combinations(shown.items(), 2):
            assert distance(x, y) >= 25, (group, a, b)
            for deficiency in DEFICIENCIES:
                floor = 12 if deficiency == "tritanopia" else 20  # tritanopia is rare; still kept apart
                assert distance(simulate(x, deficiency), simulate(y, deficiency)) >= floor, (group, a, b, deficiency)


def test_every_chart_and_the_deck_colour_a_series_alike(sample):
    roster, analysed = sample
    from tiers.presenting.palette import MEASURE_COLOURS, PLATFORM_COLOURS

    creators = analysed[analysed["status"] == "ok"]
    t = translator("en")
    story = _story(analysed, roster, "en")
    tiers = next(s for s in story.sections if s.key == "tiers").figure
    on_page = charts.tier_share_figure(charts_summary(creators), PARTIPOST, t)
    assert [trace.marker.color for trace in tiers.data] == [trace.marker.color for trace in on_page.data]
    assert tiers.data[0].marker.color == MEASURE_COLOURS["creators"]
    platform = charts.tier_platform_figure(creators, PARTIPOST, t)
    assert {trace.name: trace.marker.color for trace in platform.data}["Instagram"] == PLATFORM_COLOURS["instagram"]


def charts_summary(creators):
    from tiers.analysis.tradeoffs import tier_summary

    return tier_summary(creators, PARTIPOST.tier_ids)


def test_the_bubble_chart_has_a_size_key_and_a_legend_for_its_colours(sample):
    _, analysed = sample
    fig = charts.tradeoff_figure(analysed[analysed["status"] == "ok"], PARTIPOST, translator("id"), "id",
                                 norms=NORMS, currency="IDR")
    legend = [trace.name for trace in fig.data if trace.showlegend is not False]
    assert {"Nano", "Mikro", "Makro", "Mega"} <= set(legend)
    sizes = [trace.marker.size for trace in fig.data if trace.legendgroup == "size"]
    assert len(sizes) == 3 and sizes == sorted(sizes) and sizes[0] < sizes[-1]
    assert any(name.startswith("Harga (rate card) Rp") for name in legend)
    cpe = charts.cpe_frontier_figure(analysed[analysed["status"] == "ok"], translator("en"), "IDR", "en")
    legend = [trace.name for trace in cpe.data if trace.showlegend is not False]
    assert {"Nano", "Micro", "Fee from the roster", "Fee estimated from the rate card"} <= set(legend)


def test_a_workbook_sheet_name_fits_excel(sample):
    for lang in LANGUAGES:
        t = translator(lang)
        assert all(len(t(k)) <= 31 for k in ("sheet_creators", "sheet_shortlist", "sheet_rejected", "sheet_changes"))


def test_two_rosters_on_one_date_are_said_to_share_it(db):  # noqa: F811
    at = app()
    at.file_uploader(key="upload").set_value(("kol.xlsx", INDONESIAN_WORKBOOK, "application/octet-stream")).run()
    at.switch_page("pages/changes.py").run()
    today = dt.date.today()
    at.file_uploader(key="snapshot_upload").set_value((f"kol-{today:%Y-%m-%d}.csv", ENGLISH_LINKS, "text/csv")).run()
    assert not at.exception, at.exception
    warned = [w.value for w in at.warning]
    assert any("have the same date" in text and "kol.xlsx" in text for text in warned), warned

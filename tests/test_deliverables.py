"""The client story and the files made from it: PPTX, HTML, XLSX, in both languages."""

import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest
import python_calamine

from tests.helpers import csv_bytes, roster_of
from tiers.analysis.classify import analyse
from tiers.analysis.engagement import get_norm_set
from tiers.analysis.filters import row_keys
from tiers.analysis.schemes import classify, get_scheme
from tiers.presenting.deliverables import chart_renderer_missing, display_table, story_html, story_pptx, workbook_xlsx
from tiers.presenting.i18n import said, translator
from tiers.presenting.story import Branding, build_story, suggested_shortlist

ROOT = Path(__file__).parents[1]
SAMPLE = (ROOT / "data" / "sample_roster.csv").read_bytes()
needs_chromium = pytest.mark.skipif(bool(chart_renderer_missing()), reason="static charts need chromium")


@pytest.fixture(scope="module")
def sample():
    roster = roster_of(SAMPLE, "sample_roster.csv")
    return roster, analyse(roster, "partipost", "partipost_2022")


def story_of(sample, lang="en", shortlist=None, **brand):
    roster, analysed = sample
    return build_story(analysed, roster, get_scheme("partipost"), get_norm_set("partipost_2022"), shortlist, lang,
                       Branding(**{"brand": "Wardah", "agency": "Agensi", **brand}))


def test_takeaways_are_computed_from_the_data(sample):
    _, analysed = sample
    story = story_of(sample)
    ok = analysed[analysed["status"] == "ok"]
    above = int((ok["verdict"] == "above").sum())
    rated = int(ok["verdict"].isin(["below", "within", "above"]).sum())
    engagement = next(s for s in story.sections if s.key == "engagement")
    assert engagement.takeaway.startswith(f"{above} of {rated} creators beat the norm")
    assert [s.key for s in story.sections] == ["tiers", "engagement", "tradeoffs", "cost"]
    assert story.headlines[0] == ("Creators", f"{len(ok):,}")
    assert "Nano" in next(s for s in story.sections if s.key == "cost").takeaway


def test_story_in_indonesian_formats_numbers_for_it(sample):
    story = story_of(sample, "id")
    assert story.headlines[1][1] == f"{int(sample[1].loc[sample[1]['status'] == 'ok', 'followers'].sum()):,}".replace(
        ",", ".")
    assert "Rp1\xa0jt" in next(s for s in story.sections if s.key == "cost").takeaway
    assert story.title == "Tinjauan roster kreator untuk Wardah"


def test_chosen_shortlist_is_used_in_its_order(sample):
    _, analysed = sample
    ok = analysed[analysed["status"] == "ok"]
    keys = row_keys(ok).tolist()[5:8][::-1]
    story = story_of(sample, shortlist=keys)
    assert row_keys(ok.loc[story.shortlist.index]).tolist() == keys
    assert story.shortlist_note == ""
    assert len(story_of(sample).shortlist) == 10 and story_of(sample).shortlist_note


def test_html_report_is_self_contained_and_escapes_names(sample):
    roster = roster_of(csv_bytes(["handle,followers,likes,fee", "<script>alert(1)</script>,5000,300,Rp 1jt",
                                  "b,200000,1000,Rp 20jt", "c,1500,100,Rp 300rb"]), "x.csv")
    analysed = analyse(roster)
    story = build_story(analysed, roster, get_scheme("partipost"), get_norm_set("partipost_2022"), None, "en",
                        Branding("B", "A", "#c2185b", logo=b"\x89PNG fake"))
    page = story_html(story)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert not re.search(r'<script[^>]+src="https?://', page)  # no CDN: opens offline
    assert page.count("Plotly.newPlot") == len(story.sections)
    assert "--accent: #c2185b" in page and "data:image/png;base64," in page


def test_xlsx_keeps_numbers_as_numbers_and_text_as_text(sample):
    roster = roster_of(csv_bytes(["handle,followers,likes,fee", "=HYPERLINK(\"http://x\"),5000,300,Rp 1jt",
                                  "b,200000,1000,", "c,0,1,"]), "x.csv")
    analysed = analyse(roster)
    keys = row_keys(analysed[analysed["status"] == "ok"]).tolist()[:1]
    book = workbook_xlsx(analysed, roster, keys, "id")
    workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(book))
    assert workbook.sheet_names == ["Kreator", "Shortlist", "Baris ditolak"]
    rows = workbook.get_sheet_by_name("Kreator").to_python()
    header = rows[0]
    assert header[:3] == ["Baris", "Akun", "Nama"]
    first = dict(zip(header, rows[1], strict=True))
    assert first["Akun"] == '=HYPERLINK("http://x")'  # kept as text, never a formula
    assert isinstance(first["Pengikut"], float) and first["Pengikut"] == 5000
    assert isinstance(first["Engagement rate"], float) and first["Engagement rate"] == pytest.approx(0.06)
    assert len(workbook.get_sheet_by_name("Shortlist").to_python()) == 2
    # the reason in the workbook's language, from the catalogue message the reading's English was made from
    zero = translator("id")("problem_in_column", header="followers", detail=translator("id")("problem_zero_followers"))
    assert workbook.get_sheet_by_name("Baris ditolak").to_python()[1][-1] == zero
    sheet_xml = zipfile.ZipFile(io.BytesIO(book)).read("xl/worksheets/sheet1.xml").decode()
    assert 'state="frozen"' in sheet_xml and "<f>" not in sheet_xml


@needs_chromium
def test_pptx_deck_has_every_slide(sample):
    from pptx import Presentation
    story = story_of(sample, "id", logo=None)
    deck = Presentation(io.BytesIO(story_pptx(story)))
    slides = list(deck.slides)
    assert len(slides) == 1 + len(story.sections) + 2
    texts = [[shape.text_frame.text for shape in slide.shapes if shape.has_text_frame] for slide in slides]
    assert story.title in texts[0]
    for slide_texts, section in zip(texts[1:], story.sections, strict=False):
        assert section.title in slide_texts and section.takeaway in slide_texts
    pictures = [s for s in slides[1].shapes if s.shape_type == 13]
    assert len(pictures) == 1
    table = next(s for s in slides[-2].shapes if s.has_table).table
    assert len(table.rows) == 11 and table.cell(0, 0).text == "Akun"
    assert any("Skema tier" in t for t in texts[-1])


def test_display_table_marks_estimated_fees(sample):
    frame = pd.DataFrame({"handle": ["a", "b"], "followers": [12500.0, 3000.0], "engagement_rate": [0.035, None],
                          "fee": [1_500_000.0, 250_000.0], "fee_estimated": [False, True]})
    shown = display_table(frame, "id", "IDR")
    assert shown.iloc[0].tolist() == ["@a", "12.500", "3,5%", "Rp1.500.000"]  # a table's amounts in full, grouped
    assert shown.iloc[1].tolist() == ["@b", "3.000", "", "Rp250.000 *"]
    assert shown.columns.tolist() == ["Akun", "Pengikut", "Engagement rate", "Harga (rate card)"]


@pytest.mark.parametrize("suffix", [".html", ".xlsx", pytest.param(".pptx", marks=needs_chromium)])
def test_cli_report(tmp_path, suffix):
    out = tmp_path / f"deliverable{suffix}"
    result = subprocess.run([sys.executable, "-m", "tiers", "report", "data/sample_roster.csv", "--scheme", "shopee",
                             "--lang", "id", "--brand", "Wardah", "-o", str(out)], cwd=ROOT, capture_output=True,
                            text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    # What the report must hold, derived from the sample read and classified here under Shopee's scheme.
    t = translator("id")
    roster = roster_of(SAMPLE, "sample_roster.csv")
    creators = roster.ok
    tiers = classify(creators["followers"], get_scheme("shopee")).astype(str).map(lambda tier: t(f"tier_{tier}"))
    title = t("deck_title", brand="Wardah")
    if suffix == ".html":
        assert title in out.read_text(encoding="utf-8")
    elif suffix == ".xlsx":
        book = python_calamine.CalamineWorkbook.from_path(str(out))
        assert book.sheet_names == [t("sheet_creators"), t("sheet_shortlist"), t("sheet_rejected")]
        rows = book.get_sheet_by_name(t("sheet_creators")).to_python()
        table = pd.DataFrame(rows[1:], columns=rows[0])
        assert table[t("field_source_row")].astype(int).tolist() == creators["source_row"].tolist()
        assert table[t("field_followers")].tolist() == creators["followers"].tolist()
        assert table[t("field_tier")].tolist() == tiers.tolist()
        analysed = analyse(roster, "shopee")  # no shortlist chosen: the story's suggested one, in its order
        suggested = suggested_shortlist(analysed[analysed["status"] == "ok"])[0]
        shortlist = book.get_sheet_by_name(t("sheet_shortlist")).to_python()
        assert [row[shortlist[0].index(t("field_handle"))] for row in shortlist[1:]] == [
            *suggested["handle"]] and len(suggested) > 0
        rejected = book.get_sheet_by_name(t("sheet_rejected")).to_python()
        assert len(rejected) - 1 == (roster.rows["status"] == "rejected").sum()
        reasons = roster.rows.loc[roster.rows["status"] == "rejected", "reason"]
        assert [r[-1] for r in rejected[1:]] == [said(reason, "id") for reason in reasons]
        assert all(said(reason, "id") != reason for reason in reasons)  # each said in Indonesian
        for sheet in book.sheet_names:  # every header a person reads is a translated label, no column code
            header = book.get_sheet_by_name(sheet).to_python()[0]
            assert not any(re.fullmatch(r"[a-z]+(_[a-z]+)+", str(label)) for label in header), (sheet, header)
    else:
        from pptx import Presentation
        from pptx.enum.shapes import MSO_SHAPE_TYPE
        deck = Presentation(str(out))
        story = build_story(analyse(roster, "shopee", "partipost_2022"), roster, get_scheme("shopee"),
                            get_norm_set("partipost_2022"), None, "id", Branding("Wardah", "Agency"))
        tables = sum(s.table is not None and not s.table.empty for s in story.sections)
        assert len(deck.slides) == 1 + len(story.sections) + tables + 2  # title, charts (+ tables), shortlist, method
        texts = [[shape.text_frame.text for shape in slide.shapes if shape.has_text_frame] for slide in deck.slides]
        assert title in texts[0]
        pictures = [sum(shape.shape_type == MSO_SHAPE_TYPE.PICTURE for shape in slide.shapes) for slide in deck.slides]
        shown = [next(s.title for s in story.sections if s.title in texts[i]) for i in range(len(texts))
                 if pictures[i] == 1]
        assert shown == [s.title for s in story.sections]  # one chart picture per section, in order
        assert t("section_method") in texts[-1]


def test_cli_report_refuses_unknown_formats(tmp_path):
    result = subprocess.run([sys.executable, "-m", "tiers", "report", "data/sample_roster.csv", "-o",
                             str(tmp_path / "x.pdf")], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "Traceback" not in result.stderr and ".pptx, .html or .xlsx" in result.stderr


def test_the_story_of_a_roster_without_engagement_data_says_so():
    roster = roster_of(csv_bytes(["Akun,Followers", "a,1200", "b,50000", "c,900"]))
    story = build_story(analyse(roster), roster, get_scheme("partipost"), get_norm_set("partipost_2022"))
    takeaways = {section.key: section.takeaway for section in story.sections}
    assert takeaways["tiers"] == "Nano creators make up 66.7% of the roster."  # every percentage with one decimal
    assert takeaways["engagement"].startswith("No creator has the likes")
    assert dict(story.headlines)["Median engagement rate"] == "–"
    assert "largest reach" in story.shortlist_note and story.shortlist["handle"].tolist()[0] == "b"
    text = re.sub(r"<script.*?</script>|<style.*?</style>|<[^>]+>", " ", story_html(story), flags=re.S)
    assert "nan" not in text.lower().replace("nano", "")


def test_one_tier_and_a_rising_rate_are_told_as_they_are():
    mega = roster_of(csv_bytes(["Akun,Followers,Likes", "a,2000000,30000", "b,5000000,20000"]))
    story = build_story(analyse(mega), mega, get_scheme("partipost"), get_norm_set("partipost_2022"))
    takeaways = {section.key: section.takeaway for section in story.sections}
    assert takeaways["tiers"] == "All 2 creators are Mega under this scheme."
    assert takeaways["tradeoffs"] == "Median engagement rate 1.0%, from Mega creators only."  # 1.5% and 0.4%: 0.95%
    rising = roster_of(csv_bytes(["Akun,Followers,Likes", "a,2000,20", "b,5000000,250000"]))
    story = build_story(analyse(rising), rising, get_scheme("partipost"), get_norm_set("partipost_2022"))
    assert {s.key: s.takeaway for s in story.sections}["tradeoffs"].startswith("Engagement rate rises from")


def test_the_method_says_how_the_sheet_was_read():
    roster = roster_of(csv_bytes(["Akun IG,Followers (K),Likes", "a,12.5,300", "b,200,2000"]))
    story = build_story(analyse(roster), roster, get_scheme("partipost"), get_norm_set("partipost_2022"), lang="id")
    assert story.method[-2:] == ["Roster tidak punya kolom platform: semua kreator dianggap Instagram.",
                                 "Angka dibaca dalam satuan yang disebut judul kolomnya: Followers (K) ×1.000."]


@pytest.mark.parametrize("accent", ["#219ebc", "#8ecae6", "#e76f51", "#c2185b", "#808080", "#ffeb3b", "#f5f5f5",
                                    "#000000", "#00ff00"])
def test_branded_charts_keep_every_series_distinct_and_visible(sample, accent):
    from itertools import combinations

    from tiers.presenting.palette import MIN_CONTRAST, MIN_DISTANCE, contrast, distance

    story = story_of(sample, accent=accent)
    for section in story.sections:
        colours = [trace.marker.color for trace in section.figure.data
                   if section.figure.data and isinstance(getattr(trace.marker, "color", None), str)
                   and trace.type == "bar"]
        if len(colours) < 2:
            continue
        for a, b in combinations(colours, 2):
            assert distance(a, b) >= MIN_DISTANCE, (section.key, a, b)
        assert all(contrast(colour) >= MIN_CONTRAST for colour in colours), (section.key, colours)
    tiers = next(s for s in story.sections if s.key == "tiers").figure
    followers, engagements = (next(t.marker.color for t in tiers.data if t.name == name)
                              for name in ("Followers", "Expected engagements"))
    assert distance(followers, engagements) >= MIN_DISTANCE  # the two bars the client must tell apart


def test_the_report_is_rendered_from_its_template_with_everything_escaped(sample):
    roster, analysed = sample
    story = story_of(sample, brand='<script>alert("x")</script> & Co')
    page = story_html(story)
    assert "<script>alert" not in page and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Co" in page
    assert page.count("<table>") == 1 and page.startswith("<!DOCTYPE html>")

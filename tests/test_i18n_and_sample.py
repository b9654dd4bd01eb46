import string
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from hypothesis import given, settings
from hypothesis import strategies as st

from data.make_sample import make_sample, write_sample
from tiers.analysis.flags import rule_text, rules
from tiers.analysis.schemes import TIER_ORDER
from tiers.presenting.i18n import (
    DOMAIN,
    LANGUAGES,
    LOCALES,
    catalogue,
    format_count,
    format_number,
    format_percent,
    translator,
)

ROOT = Path(__file__).parents[1]


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_every_message_is_translated_with_the_same_placeholders(lang):
    with open(LOCALES / lang / "LC_MESSAGES" / f"{DOMAIN}.po", "rb") as source:
        messages = [m for m in read_po(source) if m.id]
    assert not [m.id for m in messages if m.fuzzy], "fuzzy (unchecked) translations"
    english, texts = catalogue("en"), catalogue(lang)
    assert set(texts) == set(english), f"missing: {sorted(set(english) - set(texts))[:10]}"
    for key, text in english.items():
        assert placeholders(texts[key]) == placeholders(text), key
    for rule in [*rules()][1:]:  # flags.toml carries its rules' words in every language too
        if isinstance(rules()[rule], dict) and "en" in rules()[rule]:
            assert rule_text(rule, lang) and lang in rules()[rule], (rule, lang)


def test_the_template_holds_every_key_the_code_uses_and_nothing_else():
    """pybabel extract (keys in t(...) and N_(...)) gives exactly the catalogues' keys."""
    import subprocess
    import sys

    out = ROOT / "test-artifacts" / "extracted.pot"
    out.parent.mkdir(exist_ok=True)
    subprocess.run([Path(sys.executable).with_name("pybabel"), "extract", "-F", "babel.cfg", "-k", "t", "-k", "N_",
                    "--no-location", "-o", str(out), "app.py", "pages", "ui", "tiers"], cwd=ROOT, check=True,
                   capture_output=True)
    with open(out, "rb") as source:
        extracted = {m.id for m in read_po(source) if m.id}
    with open(LOCALES / f"{DOMAIN}.pot", "rb") as source:
        template = {m.id for m in read_po(source) if m.id}
    assert extracted == template == set(catalogue("en"))


def test_every_catalogue_compiles_complete(tmp_path):
    import shutil
    import subprocess
    import sys

    shutil.copytree(LOCALES, tmp_path / "locales")
    done = subprocess.run([Path(sys.executable).with_name("pybabel"), "compile", "-D", DOMAIN, "-d",
                           str(tmp_path / "locales"), "--statistics"], capture_output=True, text=True, check=True)
    report = done.stdout + done.stderr
    assert report.count("(100%) translated") == len(LANGUAGES), report


def test_every_tier_has_a_name():
    t = translator("id")
    assert [t(f"tier_{tier}") for tier in TIER_ORDER] == ["Nano", "Mikro", "Menengah", "Makro", "Mega"]


def test_number_formats():
    assert format_count(12_500, "en") == "12,500" and format_count(12_500, "id") == "12.500"
    assert format_percent(0.035, "en") == "3.5%" and format_percent(0.035, "id") == "3,5%"


def test_sample_roster_is_what_the_seeded_script_makes(tmp_path):
    shipped = Path(__file__).parents[1] / "data" / "sample_roster.csv"
    assert write_sample(tmp_path / "s.csv").read_bytes() == shipped.read_bytes()


def test_sample_roster_spreads_over_every_tier_of_every_scheme():
    from tiers.analysis.schemes import all_schemes, classify
    from tiers.reading.read import read_table
    from tiers.reading.roster import build_roster
    roster = build_roster(read_table((Path(__file__).parents[1] / "data" / "sample_roster.csv").read_bytes(), "s"))
    for scheme in all_schemes().values():
        counts = classify(roster.ok["followers"], scheme).value_counts()
        assert (counts.reindex(scheme.tier_ids) >= 10).all(), (scheme.id, counts.to_dict())
    frame = make_sample()
    assert 450 <= len(frame) <= 550


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_every_export_reads_back_in_each_language(lang, tmp_path):
    import io

    import python_calamine

    from tests.helpers import csv_bytes, roster_of
    from tiers.analysis.classify import analyse
    from tiers.analysis.engagement import get_norm_set
    from tiers.analysis.schemes import get_scheme
    from tiers.presenting.deliverables import chart_renderer_missing, story_html, story_pptx, workbook_xlsx
    from tiers.presenting.story import Branding, build_story

    t = translator(lang)
    roster = roster_of(csv_bytes(["Akun,Platform,Followers,Likes,Fee", "a,IG,4500,400,1500000", "b,TikTok,250000,9000,",
                                  "c,IG,40000,900,8000000"]))
    analysed = analyse(roster)
    story = build_story(analysed, roster, get_scheme("partipost"), get_norm_set("partipost_2022"), None, lang,
                        Branding("Brand X", "Agency"))
    assert story.title == t("deck_title", brand="Brand X")
    report = story_html(story)
    assert f'<html lang="{lang}">' in report and t("section_method") in report and t("section_shortlist") in report
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(workbook_xlsx(analysed, roster, [], lang)))
    assert book.sheet_names == [t("sheet_creators"), t("sheet_shortlist"), t("sheet_rejected")]
    assert t("field_followers") in book.get_sheet_by_name(t("sheet_creators")).to_python()[0]
    if not chart_renderer_missing():
        from pptx import Presentation
        deck = Presentation(io.BytesIO(story_pptx(story)))
        texts = " ".join(shape.text_frame.text for slide in deck.slides for shape in slide.shapes
                         if shape.has_text_frame)
        assert story.title in texts and t("section_method") in texts


def test_malay_reads_fees_in_ringgit_and_writes_them_as_cldr_does():
    from tests.helpers import csv_bytes
    from tiers.analysis.classify import analyse
    from tiers.presenting.i18n import format_money
    from tiers.reading.read import read_table
    from tiers.reading.roster import build_roster, default_mapping

    raw = read_table(csv_bytes(["Akaun,Pengikut,Komen,Yuran", "@siti,12 ribu,40,1500",
                                '@ahmad,1.2J,900,"RM 20,000"']), "senarai.csv")
    mapping = default_mapping(raw) | {"currency_of_all": "MYR"}
    assert {mapping[f] for f in ("handle", "followers", "comments", "fee")} == {"Akaun", "Pengikut", "Komen", "Yuran"}
    roster = build_roster(raw, mapping)
    assert roster.ok["followers"].tolist() == [12_000, 1_200_000]
    assert roster.ok["fee_currency"].tolist() == ["MYR", "MYR"] and roster.ok["fee"].tolist() == [1_500, 20_000]
    assert analyse(roster).attrs["currency"] == "MYR"
    assert format_money(1_500_000, "MYR", "ms") == "RM1.5J" and format_count(12_500, "ms") == "12,500"
    assert translator("ms")("tier_mid") == "Pertengahan"


def test_the_app_in_malay_reads_unsigned_fees_as_ringgit(tmp_path, monkeypatch):
    from tests.helpers import csv_bytes, widget
    from tests.test_work import app
    from tiers.storage.database import DATABASE_URL_ENV

    monkeypatch.setenv(DATABASE_URL_ENV, f"sqlite:///{tmp_path / 'w.db'}")
    at = app()
    at.radio(key=widget(at, "lang")).set_value("ms").run()
    at.file_uploader(key="upload").set_value(("senarai.csv", csv_bytes([
        "Akaun,Pengikut,Komen,Yuran", "@siti,12 ribu,40,1500", "@ahmad,1.2J,900,20000"]), "text/csv")).run()
    assert not at.exception, at.exception
    assert at.session_state["mapping"]["currency_of_all"] == "MYR"
    assert {m.label: m.value for m in at.metric}["Pencipta dikelaskan"] == "2"
    at.switch_page("pages/present.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Semakan senarai pencipta"  # no brand given: none named, no placeholder
    shortlist = at.dataframe[-1].value.to_csv()
    assert "RM1,500.00" in shortlist and "RM20,000.00" in shortlist  # a table's amounts in full, in ringgit


def test_charts_write_numbers_with_the_languages_marks():
    from tests.helpers import csv_bytes, roster_of
    from tiers.analysis.classify import analyse
    from tiers.analysis.schemes import get_scheme
    from tiers.analysis.tradeoffs import tier_summary
    from tiers.presenting import charts

    analysed = analyse(roster_of(csv_bytes(["Akun,Followers,Likes", "a,4500,400", "b,250000,9000"])))
    summary = tier_summary(analysed[analysed["status"] == "ok"], get_scheme("partipost").tier_ids)
    marks = {lang: charts.tier_share_figure(summary, get_scheme("partipost"), translator(lang)).layout.separators
             for lang in LANGUAGES}
    assert marks == {"en": ".,", "id": ",.", "ms": ".,"}


@settings(max_examples=400, derandomize=True, deadline=None)
@given(value=st.one_of(st.floats(min_value=-1e13, max_value=1e13, allow_nan=False),
                       st.integers(-10**12, 10**12).map(lambda n: n / 2),  # halves: where rounding could differ
                       st.integers(-10**6, 10**6).map(lambda n: n / 2000)),
       kind=st.sampled_from(["count", "rate", "ratio", "money"]), lang=st.sampled_from(["en", "id", "ms"]),
       currency=st.sampled_from(["IDR", "USD", "MYR"]), signed=st.booleans())
def test_figures_are_written_exactly_as_babel_writes_them(value, kind, lang, currency, signed):
    """Figures are written from the pattern Babel was asked for once (i18n._Written), not by Babel per figure:
    every kind, language, currency and sign must come out character for character as Babel writes it."""
    from tiers.presenting.i18n import _babel, _digits

    money = currency if kind == "money" else ""
    expected = _babel(round(value) if kind == "count" else value, kind, lang, money, signed, _digits(kind, currency))
    assert format_number(value, kind, lang, currency, signed) == expected
    if kind == "rate":
        for digits in (0, 2):
            assert format_percent(value, lang, digits, signed) == _babel(value, "rate", lang, "", signed, digits)


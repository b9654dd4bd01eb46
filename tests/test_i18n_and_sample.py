import string
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from data.make_sample import make_sample, write_sample
from tiers.analysis.flags import rule_text, rules
from tiers.analysis.schemes import TIER_ORDER
from tiers.presenting.i18n import DOMAIN, LANGUAGES, LOCALES, catalogue, format_count, format_percent, translator

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

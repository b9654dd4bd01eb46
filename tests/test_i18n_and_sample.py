import string
from pathlib import Path

from data.make_sample import make_sample, write_sample
from tiers.analysis.schemes import TIER_ORDER
from tiers.presenting.i18n import LANGUAGES, STRINGS, format_count, format_percent, translator


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_string_exists_in_both_languages_with_the_same_placeholders():
    for key, texts in STRINGS.items():
        assert set(texts) == set(LANGUAGES), key
        assert all(texts.values()), key
        assert placeholders(texts["en"]) == placeholders(texts["id"]), key


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

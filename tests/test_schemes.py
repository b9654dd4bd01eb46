import re
import tomllib

import pandas as pd
import pytest

from tiers.analysis.schemes import DEFAULT_SCHEME, SCHEME_DIR, TIER_ORDER, all_schemes, classify, compact, get_scheme

# Written out from ../shared/reference/tier-schemes.md, independently of the data files:
# (scheme, followers, expected tier). Lower bounds are inclusive.
BOUNDARIES = [
    ("partipost", 1, "nano"), ("partipost", 4_999, "nano"), ("partipost", 5_000, "micro"),
    ("partipost", 29_999, "micro"), ("partipost", 30_000, "macro"), ("partipost", 99_999, "macro"),
    ("partipost", 100_000, "mega"), ("partipost", 50_000_000, "mega"),
    ("shopee", 9_999, "nano"), ("shopee", 10_000, "micro"), ("shopee", 99_999, "micro"),
    ("shopee", 100_000, "macro"), ("shopee", 999_999, "macro"), ("shopee", 1_000_000, "mega"),
    ("hootsuite", 999, "nano"), ("hootsuite", 9_999, "nano"), ("hootsuite", 10_000, "micro"),
    ("hootsuite", 49_999, "micro"), ("hootsuite", 50_000, "mid"), ("hootsuite", 499_999, "mid"),
    ("hootsuite", 500_000, "macro"), ("hootsuite", 999_999, "macro"), ("hootsuite", 1_000_000, "mega"),
    ("later", 9_999, "nano"), ("later", 10_000, "micro"), ("later", 99_999, "micro"), ("later", 100_000, "mid"),
    ("later", 499_999, "mid"), ("later", 500_000, "macro"), ("later", 999_999, "macro"),
    ("later", 1_000_000, "mega"),
    ("iab", 9_999, "nano"), ("iab", 10_000, "micro"), ("iab", 49_999, "micro"), ("iab", 50_000, "mid"),
    ("iab", 499_999, "mid"), ("iab", 500_000, "macro"), ("iab", 999_999, "macro"), ("iab", 1_000_000, "mega"),
    ("iab", 5_000_000, "mega"),
]


@pytest.mark.parametrize(("scheme_id", "followers", "tier"), BOUNDARIES)
def test_published_boundaries(scheme_id, followers, tier):
    assert classify(pd.Series([followers]), get_scheme(scheme_id)).iloc[0] == tier


@pytest.mark.parametrize("scheme_id", list(all_schemes()))
def test_every_lower_bound_is_inclusive(scheme_id):
    scheme = get_scheme(scheme_id)
    for previous, tier in zip(scheme.tiers, scheme.tiers[1:], strict=False):
        got = classify(pd.Series([tier.min_followers - 1, tier.min_followers]), scheme)
        assert list(got) == [previous.id, tier.id]


def test_every_boundary_in_the_table_is_tested():
    tested = {(s, f) for s, f, _ in BOUNDARIES}
    for scheme in all_schemes().values():
        for tier in scheme.tiers[1:]:
            assert (scheme.id, tier.min_followers) in tested, (scheme.id, tier.min_followers)


def test_schemes_name_their_source_and_use_known_tiers():
    schemes = all_schemes()
    assert list(schemes)[0] == "partipost"
    assert {"partipost", "shopee", "hootsuite", "later", "iab"} <= set(schemes)
    for scheme in schemes.values():
        assert scheme.source and scheme.year > 2000
        assert [t for t in TIER_ORDER if t in scheme.tier_ids] == scheme.tier_ids
    assert "mid" in get_scheme("hootsuite").tier_ids


def test_missing_followers_stay_unclassified():
    got = classify(pd.Series([float("nan"), 12_000.0]), get_scheme("partipost"))
    assert pd.isna(got.iloc[0]) and got.iloc[1] == "micro"


def test_unknown_scheme_is_a_clear_error():
    with pytest.raises(KeyError, match="unknown tier scheme 'nope'"):
        get_scheme("nope")


def test_bounds_labels():
    scheme = get_scheme("partipost")
    assert [scheme.bounds_label(t) for t in scheme.tier_ids] == ["< 5K", "5K–30K", "30K–100K", "≥ 100K"]


GOOD = {"id": "x", "name": "X", "source": "a survey", "year": 2024,
        "tiers": [{"id": "nano", "min_followers": 0}, {"id": "micro", "min_followers": 10_000}]}


def test_a_valid_scheme_file_is_read_whole(tmp_path):
    from tiers.analysis.schemes import Tier, TierScheme, _validate
    assert _validate({**GOOD, "year": "2024", "note": "n"}, tmp_path / "x.toml") == TierScheme(
        "x", "X", "a survey", 2024, "n", (Tier("nano", 0), Tier("micro", 10_000)))
    assert _validate(GOOD, tmp_path / "x.toml").note == ""


@pytest.mark.parametrize(("change", "message"), [
    ({"source": None}, "x.toml: missing ['source']"),
    ({"id": None, "year": None}, "x.toml: missing ['id', 'year']"),
    ({"tiers": []}, "x.toml: tiers must start at 0 followers and rise strictly"),
    ({"tiers": [{"id": "nano", "min_followers": 1}]}, "x.toml: tiers must start at 0 followers"),
    ({"tiers": [{"id": "nano", "min_followers": 0}, {"id": "micro", "min_followers": 0}]}, "rise strictly"),
    ({"tiers": [{"id": "nano", "min_followers": 0}, {"id": "micro", "min_followers": 9},
                {"id": "mid", "min_followers": 5}]}, "rise strictly"),
    ({"tiers": [{"id": "nano", "min_followers": 0}, {"id": "giga", "min_followers": 9}]},
     "x.toml: unknown tier ids ['giga']"),
])
def test_a_bad_scheme_file_is_refused_naming_the_file_and_the_fault(tmp_path, change, message):
    from tiers.analysis.schemes import _validate
    data = {k: v for k, v in {**GOOD, **change}.items() if v is not None}
    with pytest.raises(ValueError, match=re.escape(message)):
        _validate(data, tmp_path / "x.toml")


def test_the_schemes_are_read_from_their_files_default_first():
    all_schemes.cache_clear()  # read the files again, not what an earlier test left in the cache
    try:
        schemes = all_schemes()
        files = sorted(p.stem for p in SCHEME_DIR.glob("*.toml"))
        assert sorted(schemes) == sorted(tomllib.loads((SCHEME_DIR / f"{f}.toml").read_text())["id"] for f in files)
        assert next(iter(schemes)) == DEFAULT_SCHEME
        assert get_scheme("iab") is schemes["iab"]
    finally:
        all_schemes.cache_clear()


@pytest.mark.parametrize(("n", "label"), [(999, "999"), (1_000, "1K"), (1_500, "1.5K"), (999_999, "999.999K"),
                                          (1_000_000, "1M"), (2_500_000, "2.5M"), (1_000_000_000, "1B"), (0, "0")])
def test_compact_labels_at_each_unit(n, label):
    assert compact(n) == label


def test_classify_keeps_the_scheme_order_and_the_top_tier_open():
    got = classify(pd.Series([0, 10**12]), get_scheme("partipost"))
    assert list(got.cat.categories) == get_scheme("partipost").tier_ids
    assert list(got) == ["nano", "mega"]
    with pytest.raises(KeyError, match="choose one of: partipost"):
        get_scheme("nope")

"""Grades, percentiles, anomaly flags, scheme comparison, nano split and filters on hand-built cases."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers import csv_bytes, roster_of
from tiers.analysis.classify import analyse
from tiers.analysis.compare import scheme_crosstab, tier_changes
from tiers.analysis.engagement import get_norm_set, validate_norms
from tiers.analysis.filters import apply_nano_tags, filter_mask
from tiers.analysis.flags import anomaly_flags, flag_text, grades, percentile_in_group
from tiers.analysis.schemes import all_schemes, classify, get_scheme
from tiers.reading.columns import nano_types


def frame(**columns) -> pd.DataFrame:
    n = len(next(iter(columns.values())))
    base = {c: [np.nan] * n for c in ("likes", "comments", "shares", "saves", "views", "engagement_rate_roster",
                                      "er_vs_norm", "norm_low", "norm_high")}
    base.update(platform=["instagram"] * n, followers=[10_000] * n)
    base.update(columns)
    return pd.DataFrame(base)


def test_grades_follow_the_band():
    f = frame(er_vs_norm=[0.01, 0.03, 0.05, 0.06, 0.11, np.nan, 0.04], norm_low=[0.03] * 6 + [np.nan],
              norm_high=[0.05] * 6 + [np.nan])
    assert grades(f).tolist()[:5] == ["low", "average", "average", "good", "excellent"]
    assert grades(f).isna().tolist()[5:] == [True, True]


def test_percentile_within_tier_and_platform():
    f = frame(er_vs_norm=[0.01, 0.02, 0.03, 0.04], platform=["instagram", "instagram", "tiktok", "instagram"])
    f["tier"] = ["nano", "nano", "nano", "micro"]
    assert percentile_in_group(f).tolist() == [50, 100, 100, 100]


def test_anomaly_flags_on_hand_built_rows():
    f = frame(platform=["instagram", "instagram", "tiktok", "instagram", "instagram"],
              followers=[10_000, 10_000, 100_000, 10_000, 10_000],
              likes=[5_000, 1_000, 500, 300, 300], comments=[100, 1, 10, 30, 30], views=[np.nan, np.nan, 2_000, np.nan,
                                                                                     np.nan],
              engagement_rate_roster=[np.nan, np.nan, np.nan, 0.033, 0.09],
              er_vs_norm=[0.51, 0.1, 0.01, 0.033, 0.033], norm_low=[0.03] * 5, norm_high=[0.05] * 5)
    flags = anomaly_flags(f)
    assert flags["er_far_above_norm"].tolist() == [True, False, False, False, False]
    assert flags["few_comments"].tolist() == [False, True, False, False, False]
    assert flags["low_views"].tolist() == [False, False, True, False, False]
    assert flags["er_disagrees"].tolist() == [False, False, False, False, True]
    text = flag_text(flags, "en")
    assert "bought engagement" in text[0] and "comments per 1,000 likes" in text[1] and text[3] == ""
    assert "komentar" in flag_text(flags, "id")[1]


def test_no_data_raises_no_flag():
    assert not anomaly_flags(frame(likes=[np.nan], comments=[np.nan])).any(axis=None)


def test_analysed_sample_has_grades_and_flags():
    from pathlib import Path
    data = (Path(__file__).parents[1] / "data" / "sample_roster.csv").read_bytes()
    analysed = analyse(roster_of(data, "sample.csv"))
    ok = analysed[analysed["status"] == "ok"]
    assert set(ok["grade"].dropna()) == {"low", "average", "good", "excellent"}
    assert ok["few_comments"].sum() >= 3 and ok["low_views"].sum() >= 3
    assert ok["er_percentile"].between(0, 100).all()


def test_scheme_crosstab_counts_tier_changes():
    creators = pd.DataFrame({"followers": [4_000, 7_000, 50_000, 150_000, 2_000_000],
                             "platform": ["instagram", "tiktok", "instagram", "instagram", "tiktok"]})
    table = scheme_crosstab(creators, get_scheme("partipost"), get_scheme("shopee"))
    assert table.loc["micro", "nano"] == 1 and table.loc["macro", "micro"] == 1 and table.loc["mega", "macro"] == 1
    assert tier_changes(table) == 3
    tiktok = scheme_crosstab(creators, get_scheme("partipost"), get_scheme("shopee"), "tiktok")
    assert int(tiktok.to_numpy().sum()) == 2


@settings(max_examples=150, derandomize=True, deadline=None)
@given(st.lists(st.one_of(st.integers(-10, 3_000_000), st.just(float("nan"))), max_size=60),
       st.sampled_from(sorted(all_schemes())), st.sampled_from(sorted(all_schemes())))
def test_scheme_crosstab_is_pandas_crosstab(followers, first, second):
    """The counts are what pandas' crosstab of the two classifications gives (in both schemes' order)."""
    a, b = get_scheme(first), get_scheme(second)
    creators = pd.DataFrame({"followers": pd.Series(followers, dtype="float64"), "platform": "instagram"})
    expected = pd.crosstab(classify(creators["followers"], a), classify(creators["followers"], b), dropna=False)
    expected = expected.reindex(index=a.tier_ids, columns=b.tier_ids, fill_value=0)
    table = scheme_crosstab(creators, a, b)
    assert table.to_numpy().tolist() == expected.to_numpy().tolist()
    assert list(table.index) == a.tier_ids and list(table.columns) == b.tier_ids
    assert (table.index.name, table.columns.name) == (a.id, b.id)


def test_nano_types_from_free_text():
    values = pd.Series(["Native", "non-native", "Non Native", "baru", "grup", "", None, "maybe"], dtype="str")
    assert nano_types(values).tolist()[:5] == ["native", "non-native", "non-native", "native", "non-native"]
    assert nano_types(values).isna().tolist()[5:] == [True, True, True]


def test_nano_tags_override_the_column():
    f = pd.DataFrame({"source_row": [2, 3], "platform": ["instagram", "tiktok"], "nano_type": ["native", None]})
    tagged = apply_nano_tags(f, {"3/tiktok": "non-native"})
    assert tagged["nano_type"].tolist() == ["native", "non-native"]


def test_filters():
    f = pd.DataFrame({"platform": ["instagram", "tiktok", "tiktok"], "niche": ["Beauty", "Gaming", "Beauty"],
                      "city": ["Jakarta", "Medan", None]})
    assert filter_mask(f).all()
    assert filter_mask(f, platforms=["tiktok"], niches=["Beauty"]).tolist() == [False, False, True]


def test_custom_norm_sets_are_validated():
    base = get_norm_set("partipost_2022")
    spec = {"id": "custom", "name": "c", "source": "s", "year": 2026, "er_definition": "d", "basis": "followers",
            "components": ["likes"], "bands": [{"platform": "all", "min_followers": 0, "low": 0.02, "high": 0.04}]}
    assert validate_norms(spec, "custom").bands["high"].tolist() == [0.04]
    for bad_band, message in (({"low": 5, "high": 7}, "fractions"), ({"low": 0.05, "high": 0.01}, "low <= high"),
                              ({"min_followers": 1000}, "start at 0"), ({"low": "x"}, "needs numbers")):
        band = {**spec["bands"][0], **bad_band}
        with pytest.raises(ValueError, match=message):
            validate_norms({**spec, "bands": [band]}, "custom")
    assert base.bands["platform"].tolist() == ["all"] * 4


def test_roster_er_column_is_kept_beside_the_computed_one():
    roster = roster_of(csv_bytes(["handle,followers,likes,ER", "a,1000,50,9%"]))
    analysed = analyse(roster)
    assert analysed["engagement_rate_roster"].iloc[0] == pytest.approx(0.09)
    assert analysed["engagement_rate_computed"].iloc[0] == pytest.approx(0.05)
    assert bool(analysed["er_disagrees"].iloc[0])

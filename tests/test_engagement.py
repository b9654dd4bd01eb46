import math

import numpy as np
import pandas as pd
import pytest

from tiers.analysis.engagement import (
    all_norm_sets,
    compare_to_norms,
    engagement_rates,
    get_norm_set,
    norm_bands,
    norm_ids,
)
from tiers.analysis.tradeoffs import cost_metrics, expected_engagements, reach, tier_summary


def creators(**columns) -> pd.DataFrame:
    n = len(next(iter(columns.values())))
    base = {c: [np.nan] * n for c in ("likes", "comments", "shares", "saves", "views", "engagement_rate", "fee")}
    base.update(platform=["instagram"] * n)
    base.update(columns)
    return pd.DataFrame(base)


def test_engagement_rate_by_followers_and_by_views():
    frame = creators(platform=["instagram", "tiktok", "tiktok", "youtube"], followers=[10_000, 10_000, 10_000, 0],
                     likes=[400, 800, 800, 50], comments=[100, 100, 100, 10], shares=[np.nan, 100, 100, np.nan],
                     views=[np.nan, 20_000, 0, np.nan])
    er = engagement_rates(frame)
    assert er["engagement_rate_computed"].iloc[0] == pytest.approx(500 / 10_000)
    assert er["engagement_rate_computed"].iloc[1] == pytest.approx(1000 / 20_000)
    assert er["er_basis"].tolist()[:3] == ["followers", "views", "followers"]
    assert er["engagement_rate_computed"].iloc[2] == pytest.approx(1000 / 10_000)  # no views: per follower
    assert math.isnan(er["engagement_rate_computed"].iloc[3])  # no denominator: no data, never 0%


def test_roster_er_wins_over_computed():
    frame = creators(followers=[1000, 1000], likes=[50, 50], engagement_rate=[0.09, np.nan])
    assert engagement_rates(frame)["engagement_rate"].tolist() == pytest.approx([0.09, 0.05])


def test_no_interactions_is_no_data():
    frame = creators(followers=[1000])
    assert math.isnan(engagement_rates(frame)["engagement_rate_computed"].iloc[0])


@pytest.mark.parametrize(("followers", "likes", "verdict", "low"), [
    (4_999, 300, "below", 0.07),    # 6% against nano 7-10%
    (4_999, 400, "within", 0.07),   # 8%
    (4_999, 600, "above", 0.07),    # 12%
    (5_000, 200, "within", 0.03),   # 4% against micro 3-5% (5,000 is micro)
    (30_000, 600, "within", 0.01),  # 2% against macro 1-3%
    (100_000, 500, "below", 0.008),  # 0.5% against mega about 1%
])
def test_partipost_verdicts(followers, likes, verdict, low):
    frame = creators(followers=[followers], likes=[likes])
    result = compare_to_norms(frame, get_norm_set("partipost_2022"))
    assert result["verdict"].iloc[0] == verdict
    assert result["norm_low"].iloc[0] == low


def test_platform_specific_norms_leave_other_platforms_without_a_norm():
    frame = creators(platform=["instagram", "tiktok"], followers=[7_000, 7_000], likes=[100, 100], comments=[10, 10],
                     shares=[500, 500])
    result = compare_to_norms(frame, get_norm_set("modash_instagram"))
    # Modash counts likes + comments only: 110 / 7000 = 1.57%, within its 5-10K band 1.25-1.62%.
    assert result["er_vs_norm"].iloc[0] == pytest.approx(110 / 7000)
    assert result["verdict"].tolist() == ["within", "no norm"]


def test_norm_bands_are_found_by_followers_whatever_the_scheme():
    frame = creators(followers=[1, 4_999, 5_000, 10**9])
    bands = norm_bands(frame, get_norm_set("partipost_2022"))
    assert bands["norm_low"].tolist() == [0.07, 0.07, 0.03, 0.008]


def test_every_norm_file_is_valid_and_sourced():
    for norms in all_norm_sets().values():
        assert norms.source and norms.year > 2000 and norms.er_definition
        assert (norms.bands["low"] <= norms.bands["high"]).all()
        assert norms.basis in ("followers", "views")


def test_cost_metrics_with_missing_and_zero_values():
    frame = creators(platform=["instagram", "tiktok", "instagram", "instagram"], followers=[10_000, 50_000, 1000, 0],
                     likes=[500, 900, 0, np.nan], views=[np.nan, 20_000, np.nan, np.nan],
                     fee=[1_000_000, 0, 500_000, np.nan])
    frame["reach"] = reach(frame)
    frame["expected_engagements"] = expected_engagements(frame)
    costs = cost_metrics(frame)
    assert frame["reach"].tolist()[:3] == [10_000, 20_000, 1000]
    assert costs["cpe"].iloc[0] == pytest.approx(2_000)
    assert costs["cpm"].iloc[0] == pytest.approx(100_000)
    assert math.isnan(costs["cpe"].iloc[1])  # zero fee: unknown, not free
    assert math.isnan(costs["cpe"].iloc[2])  # zero engagements: no CPE, not infinity
    assert costs.iloc[3].isna().all()


def test_tier_summary_per_million():
    frame = creators(followers=[1000, 2000, 200_000], likes=[100, 100, 1000], fee=[500_000, 500_000, 10_000_000])
    frame["tier"] = pd.Categorical(["nano", "nano", "mega"], categories=["nano", "micro", "macro", "mega"])
    frame["reach"] = reach(frame)
    frame["expected_engagements"] = expected_engagements(frame)
    frame["engagement_rate"] = engagement_rates(frame)["engagement_rate"]
    summary = tier_summary(frame, ["nano", "micro", "macro", "mega"]).set_index("tier")
    assert summary.loc["nano", "creators"] == 2 and summary.loc["micro", "creators"] == 0
    assert summary.loc["nano", "engagements_per_million"] == pytest.approx(200)
    assert summary.loc["mega", "engagements_per_million"] == pytest.approx(100)
    assert summary.loc["nano", "cpe"] == pytest.approx(5_000)


def test_each_norm_file_is_named_after_its_id():
    assert norm_ids() == sorted(all_norm_sets())

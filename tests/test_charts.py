"""The numbers each chart carries, read from the figures tiers/presenting/charts.py builds (not from
plotly's rendering) and derived here from the data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tiers.analysis.engagement import get_norm_set
from tiers.analysis.schemes import classify, get_scheme
from tiers.presenting import charts
from tiers.presenting.i18n import translator

t = translator("en")
SCHEME = get_scheme("partipost")


def creators(n: int, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    followers = np.round(10 ** rng.uniform(3, 7, n))
    frame = pd.DataFrame({"handle": [f"c{i}" for i in range(n)], "platform": rng.choice(["instagram", "tiktok"], n),
                          "followers": followers, "engagement_rate": rng.uniform(0.001, 0.1, n),
                          "fee": np.where(rng.random(n) < 0.8, followers * 20, np.nan)})
    frame["tier"] = classify(frame["followers"], SCHEME)
    # The reach-and-ER frontier: nobody has both more followers and a higher rate.
    by_reach = frame.sort_values("followers", ascending=False)
    best_after = by_reach["engagement_rate"].cummax().shift(fill_value=-1)
    frame["frontier_reach_er"] = (by_reach["engagement_rate"] > best_after).reindex(frame.index)
    return frame


def points(fig) -> set[tuple[float, float]]:
    return {(x, y) for trace in fig.data if trace.mode == "markers" and trace.x is not None and trace.x[0] is not None
            for x, y in zip(trace.x, trace.y, strict=True)}


def test_tier_shares_are_each_measure_over_its_total():
    summary = pd.DataFrame({"tier": SCHEME.tier_ids, "creators": [6, 3, 1, 0],
                            "followers": [6_000, 45_000, 50_000, 0.0],
                            "expected_engagements": [600, 900, 500, np.nan]})
    fig = charts.tier_share_figure(summary, SCHEME, t)
    shares = {trace.name: list(trace.y) for trace in fig.data}
    assert shares[t("measure_creators")] == pytest.approx([0.6, 0.3, 0.1, 0.0])
    assert shares[t("measure_followers")] == pytest.approx([6 / 101, 45 / 101, 50 / 101, 0.0])
    assert shares[t("measure_expected_engagements")][:3] == pytest.approx([0.3, 0.45, 0.25])
    assert list(fig.data[0].x) == [t(f"tier_{tier}") for tier in SCHEME.tier_ids]
    assert list(fig.data[0].text) == ["60.0%", "30.0%", "10.0%", "0.0%"]  # every percentage with one decimal


def test_box_statistics_are_the_quartiles_and_clipped_whiskers():
    # a: an outlier past the upper fence; c: six values, so the quartiles fall between two of them (the
    # interpolation shows) and both fences, 1.5 IQR out, lie past the data and are clipped to it.
    values = pd.Series([1, 2, 3, 4, 100, 10, 10, 10, 10, 0, 1, 2, 3, 4, 5], dtype=float)
    groups = pd.Series(["a"] * 5 + ["b"] * 4 + ["c"] * 6)
    stats = charts.box_stats(values, groups)
    for name in ("a", "c"):
        part = values[groups == name]
        q1, median, q3 = np.percentile(part, [25, 50, 75])  # linear interpolation, as pandas' quantile
        assert stats.loc[name, ["q1", "median", "q3"]].tolist() == [q1, median, q3], name
        assert stats.loc[name, "lowerfence"] == max(q1 - 1.5 * (q3 - q1), part.min()), name
        assert stats.loc[name, "upperfence"] == min(q3 + 1.5 * (q3 - q1), part.max()), name
    assert stats.loc["a", "upperfence"] < 100
    # By hand for c: quartiles 1.25 and 3.75 (between values), fences -2.5 and 7.5 clipped to 0 and 5.
    assert stats.loc["c", ["q1", "q3", "lowerfence", "upperfence"]].tolist() == [1.25, 3.75, 0, 5]
    assert stats.loc["b"].tolist() == [10.0] * 5  # all alike: every statistic is the value
    assert charts.box_stats(pd.Series([], dtype=float), pd.Series([], dtype=str)).empty


def test_sampled_tradeoff_points_are_at_most_the_limit_and_always_include_the_frontier():
    frame = creators(7_000)
    fig = charts.tradeoff_figure(frame, SCHEME, t, max_points=5_000)
    drawn = points(fig)
    frontier = frame[frame["frontier_reach_er"]]
    assert len(frontier) > 0
    assert set(zip(frontier["followers"], frontier["engagement_rate"], strict=True)) <= drawn
    assert 5_000 <= len(drawn) <= 5_000 + len(frontier)
    assert drawn <= set(zip(frame["followers"], frame["engagement_rate"], strict=True))  # data, nothing made up
    rings = [trace for trace in fig.data if trace.legendgroup == "frontier" and trace.x is not None]
    assert len(rings) == 1 and set(zip(rings[0].x, rings[0].y, strict=True)) == set(
        zip(frontier["followers"], frontier["engagement_rate"], strict=True))  # every frontier creator ringed
    # Each tier's trace holds that tier's creators only.
    for trace in fig.data:
        if trace.mode == "markers" and trace.x is not None and trace.x[0] is not None and trace not in rings:
            tiers = classify(pd.Series(trace.x, dtype=float), SCHEME).astype(str)
            assert {t(f"tier_{tier}") for tier in tiers} == {trace.name}
    assert t("sampled", shown=f"{len(drawn):,}", total=f"{len(frame):,}") in fig.layout.title.text  # and said


def test_a_small_roster_is_drawn_whole():
    frame = creators(300)
    assert len(points(charts.tradeoff_figure(frame, SCHEME, t))) == len(frame)


def test_norm_bands_are_the_norm_sets_low_and_high_per_follower_range():
    norms = get_norm_set("partipost_2022")
    frame = creators(50).assign(platform="instagram")
    frame["er_vs_norm"] = frame["engagement_rate"]
    frame["verdict"] = "within"
    fig = charts.er_norm_figure(frame, norms, t)
    bands = norms.bands[norms.bands["platform"].isin(["instagram", "all"])].sort_values("min_followers")
    assert bands["platform"].nunique() == 1  # one band per follower range, so the bands pair with the shapes in order
    shapes = sorted(fig.layout.shapes, key=lambda shape: shape.x0)
    # Each band over its own follower range: from its tier's floor (the first from left of the data) to the next's.
    assert [(shape.y0, shape.y1) for shape in shapes] == list(zip(bands["low"], bands["high"], strict=True))
    floors = bands["min_followers"].tolist()
    assert [shape.x0 for shape in shapes][1:] == floors[1:] and [shape.x1 for shape in shapes][:-1] == floors[1:]


def test_the_cost_frontier_line_joins_the_frontier_creators_by_reach():
    frame = creators(400)
    frame["reach"] = frame["followers"] * 0.3
    frame["cpe"] = frame["fee"] / (frame["followers"] * frame["engagement_rate"])
    frame["fee_estimated"] = False
    best = frame.dropna(subset=["cpe"]).sort_values("reach", ascending=False)
    frame["frontier_reach_cpe"] = False
    frame.loc[best.index, "frontier_reach_cpe"] = best["cpe"] < best["cpe"].cummin().shift(fill_value=np.inf)
    fig = charts.cpe_frontier_figure(frame, t, "IDR")
    line = next(trace for trace in fig.data if trace.name == t("frontier"))
    front = frame[frame["frontier_reach_cpe"]].sort_values("reach")
    assert list(line.x) == front["reach"].tolist() and list(line.y) == front["cpe"].tolist()
    assert len(points(fig)) == frame["cpe"].notna().sum()  # every priced creator is a marker


def test_every_figure_is_drawn_in_the_house_style_whatever_the_default():
    """Streamlit makes its own template (placeholder colours for its frontend) plotly's default when it is
    imported; the charts put the house template on each figure, so a deck drawn in the app's process looks as
    one drawn by the CLI."""
    import plotly.io as pio

    from tiers.presenting import results_charts

    before = pio.templates.default
    pio.templates.default = "plotly_dark"
    try:
        summary = pd.DataFrame({"tier": SCHEME.tier_ids, "creators": [1, 1, 1, 1], "followers": [1.0] * 4,
                                "expected_engagements": [1.0] * 4})
        versus = pd.DataFrame({"tier": SCHEME.tier_ids, "cpe": [1.0, 2.0, 3.0, 4.0]})
        figures = [charts.tier_share_figure(summary, SCHEME, t), results_charts.cpe_by_tier(versus, t)]
    finally:
        pio.templates.default = before
    for fig in figures:
        assert fig.layout.template.to_plotly_json() == charts.HOUSE.to_plotly_json()

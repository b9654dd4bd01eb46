"""Reach versus engagement: expected engagements, cost per engagement, per-tier totals."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tiers.analysis.engagement import by_views, interactions


def reach(frame: pd.DataFrame) -> pd.Series:
    """People a post reaches: average views on video platforms where known, else followers."""
    return frame["views"].where(by_views(frame), frame["followers"])


def expected_engagements(frame: pd.DataFrame) -> pd.Series:
    """Interactions a post can expect: the roster's own averages, else reach x ER."""
    return interactions(frame).fillna(reach(frame) * frame["engagement_rate"])


def cost_metrics(frame: pd.DataFrame) -> pd.DataFrame:
    """CPE, CPM and cost per follower where a fee exists; NaN (not 0, not inf) where it cannot be known."""
    fee = frame["fee"].where(frame["fee"] > 0)
    engagements = frame["expected_engagements"]
    people = frame["reach"]
    return pd.DataFrame({
        "cpe": fee / engagements.where(engagements > 0),
        "cpm": fee / people.where(people > 0) * 1000,
        "cost_per_follower": fee / frame["followers"].where(frame["followers"] > 0),
    }, index=frame.index)


def tier_summary(frame: pd.DataFrame, tier_ids: list[str], by_platform: bool = False) -> pd.DataFrame:
    """Creators, followers, expected engagements, fees and efficiency per tier (and platform)."""
    keys = ["tier", "platform"] if by_platform else ["tier"]
    grouped = frame.groupby(keys, observed=False, sort=True)
    summary = grouped.agg(
        creators=("followers", "size"),
        followers=("followers", "sum"),
        reach=("reach", "sum"),
        expected_engagements=("expected_engagements", "sum"),
        median_er=("engagement_rate", "median"),
        fees=("fee", "sum"),
        creators_with_fee=("fee", "count"),
    ).reset_index()
    summary["tier"] = pd.Categorical(summary["tier"], categories=tier_ids, ordered=True)
    paid = frame.loc[frame["fee"] > 0, [*keys, "expected_engagements", "reach", "fee"]]  # not every column
    paid = paid.groupby(keys, observed=False).agg(
        paid_engagements=("expected_engagements", "sum"), paid_reach=("reach", "sum"), paid_fees=("fee", "sum"))
    summary = summary.merge(paid.reset_index(), on=keys, how="left")
    per_million = 1_000_000 / summary["paid_fees"].where(summary["paid_fees"] > 0)
    summary["engagements_per_million"] = summary["paid_engagements"] * per_million
    summary["reach_per_million"] = summary["paid_reach"] * per_million
    summary["cpe"] = summary["paid_fees"] / summary["paid_engagements"].where(summary["paid_engagements"] > 0)
    summary = summary.drop(columns=["paid_engagements", "paid_reach", "paid_fees"])
    return summary.sort_values(keys).reset_index(drop=True).replace([np.inf, -np.inf], np.nan)


def pareto_front(better_a: pd.Series, better_b: pd.Series) -> pd.Series:
    """True for rows no other row beats on both measures (higher is better for both): order by the
    first measure then the second, both descending, and keep rows that improve on the best second
    measure seen so far."""
    a, b = better_a.to_numpy(dtype=float), better_b.to_numpy(dtype=float)
    valid = np.flatnonzero(~np.isnan(a) & ~np.isnan(b))
    # A pass ordered by the first measure alone keeps every frontier row (and a few rows tied with
    # it); the exact two-key pass then runs on those few candidates, not on a million rows.
    by_a = valid[np.argsort(-a[valid], kind="stable")]
    candidates = by_a[b[by_a] >= np.concatenate([[-np.inf], np.maximum.accumulate(b[by_a])[:-1]])]
    order = candidates[np.lexsort((-b[candidates], -a[candidates]))]
    best_before = np.concatenate([[-np.inf], np.maximum.accumulate(b[order])[:-1]])
    front = np.zeros(len(a), dtype=bool)
    front[order] = b[order] > best_before
    return pd.Series(front, index=better_a.index)


def efficient_frontiers(frame: pd.DataFrame) -> pd.DataFrame:
    """Creators on the reach-and-engagement-rate frontier and on the reach-and-CPE frontier."""
    return pd.DataFrame({
        "frontier_reach_er": pareto_front(frame["reach"], frame["engagement_rate"]),
        "frontier_reach_cpe": pareto_front(frame["reach"], -frame["cpe"]),
    }, index=frame.index)

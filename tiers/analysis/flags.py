"""Verdict grades, percentiles and anomaly flags, from roster data alone.

Every threshold comes from tiers/flags.toml, where each rule also carries the plain words shown
next to its flag in English and Bahasa Indonesia.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from tiers.analysis.engagement import VIEW_PLATFORMS, interactions
from tiers.presenting.i18n import format_message  # a rule's numbers in the reader's style

RULES_FILE = Path(__file__).parents[1] / "flags.toml"
GRADES = ("low", "average", "good", "excellent")
FLAG_RULES = ("er_far_above_norm", "few_comments", "low_views", "er_disagrees")


@cache
def rules() -> dict:
    return tomllib.loads(RULES_FILE.read_text(encoding="utf-8"))


def rule_text(rule: str, lang: str) -> str:
    spec = rules()[rule]
    return format_message(spec.get(lang, spec["en"]), lang, **spec)


def grades(frame: pd.DataFrame) -> pd.Series:
    """Low (below the band), Average (within), Good (above, up to `excellent_factor` x its top),
    Excellent (beyond that); NA without an ER or a norm."""
    factor = rules()["grades"]["excellent_factor"]
    er, low, high = frame["er_vs_norm"], frame["norm_low"], frame["norm_high"]
    codes = np.select([er.isna() | low.isna(), er < low, er <= high, er <= high * factor], [-1, 0, 1, 2], default=3)
    return pd.Series(pd.Categorical.from_codes(codes, categories=GRADES), index=frame.index)


def percentile_in_group(frame: pd.DataFrame) -> pd.Series:
    """Each creator's ER percentile (0-100) among creators of the same tier and platform in this roster."""
    ranks = frame.groupby(["tier", "platform"], observed=True)["er_vs_norm"].rank(pct=True)
    return (ranks * 100).round()


def anomaly_flags(frame: pd.DataFrame) -> pd.DataFrame:
    """One boolean column per rule in flags.toml (False where the data to judge is missing)."""
    spec = rules()
    likes, comments = frame["likes"], frame["comments"]
    video = frame["platform"].isin(VIEW_PLATFORMS)
    per_follower = interactions(frame) / frame["followers"].where(frame["followers"] > 0)
    per_view = interactions(frame) / frame["views"].where(frame["views"] > 0)
    own = frame["engagement_rate_roster"] if "engagement_rate_roster" in frame else pd.Series(np.nan, frame.index)
    gap = spec["er_disagrees"]["max_relative_gap"]

    def disagrees(computed: pd.Series) -> pd.Series:
        return ((own - computed).abs() > gap * computed).where(computed.notna() & own.notna(), True)

    flags = pd.DataFrame({
        "er_far_above_norm": frame["er_vs_norm"] > spec["er_far_above_norm"]["factor"] * frame["norm_high"],
        "few_comments": (likes >= spec["few_comments"]["min_likes"])
        & (comments.fillna(0) < likes * spec["few_comments"]["max_comments_per_1000_likes"] / 1000)
        & comments.notna(),
        "low_views": video & (frame["views"] < spec["low_views"]["max_views_share"] * frame["followers"]),
        "er_disagrees": own.notna() & (per_follower.notna() | per_view.notna())
        & disagrees(per_follower) & disagrees(per_view),
    }, index=frame.index)
    return flags.fillna(False).astype(bool)


def flag_text(flags: pd.DataFrame, lang: str) -> pd.Series:
    """The plain words of every raised flag per row, joined by ' · ' ('' when none). Each row's flags
    are read as one bit mask, and only the few distinct masks are put into words."""
    words = [rule_text(rule, lang) for rule in flags.columns]
    masks = flags.to_numpy(dtype=bool) @ (1 << np.arange(len(words), dtype=np.int64))
    texts = {mask: " · ".join(w for i, w in enumerate(words) if mask >> i & 1) for mask in np.unique(masks)}
    return pd.Series(pd.Series(masks).map(texts).to_numpy(dtype=object), index=flags.index)

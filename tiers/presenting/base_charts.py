"""Charts of a creator base, drawn from its aggregates (tiers.engines.base), never from its rows:
the tier split per platform, each tier's verdicts, and each tier's ER percentiles against the norm."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from tiers.analysis.engagement import NormSet
from tiers.analysis.schemes import TierScheme
from tiers.presenting.charts import ER_FORMAT, ER_TICKS, Translate, _layout, compact_axis
from tiers.presenting.palette import NORM_BAND_KEY, PLATFORM_COLOURS, TIER_COLOURS, VERDICT_COLOURS

VERDICTS = ("below", "within", "above", "no norm", "no data")


def tier_summary(distribution: pd.DataFrame, scheme: TierScheme) -> pd.DataFrame:
    """Per tier of the scheme (in its order): creators, followers, expected engagements."""
    summed = distribution.groupby("tier")[["creators", "followers", "expected_engagements"]].sum()
    summed = summed.reindex(scheme.tier_ids, fill_value=0)
    return summed.rename_axis("tier").reset_index()


def platform_tier_figure(distribution: pd.DataFrame, scheme: TierScheme, t: Translate,
                         measure: str = "creators") -> go.Figure:
    """Creators, followers or expected engagements per tier, stacked by platform."""
    values = distribution.groupby(["platform", "tier"])[measure].sum()
    fig = go.Figure()
    for platform in sorted(values.index.get_level_values("platform").unique()):
        series = values.xs(platform, level="platform").reindex(scheme.tier_ids, fill_value=0)
        fig.add_bar(x=[t(f"tier_{tier}") for tier in series.index], y=series.to_numpy(),
                    name=t(f"platform_{platform}"), marker_color=PLATFORM_COLOURS.get(platform))
    fig.update_layout(barmode="stack")
    fig.update_yaxes(title=t(f"measure_{measure}"))
    compact_axis(fig, "y", values.groupby(level="tier").sum(), t.lang)
    return _layout(fig, t.lang, t("chart_platform_title", measure=t(f"measure_{measure}")), scheme.name)


def verdict_figure(distribution: pd.DataFrame, scheme: TierScheme, norms: NormSet, t: Translate) -> go.Figure:
    """Each tier's creators below, within and above the norm (shares of the tier, stacked)."""
    counts = distribution.groupby(["tier", "verdict"])["creators"].sum().unstack("verdict", fill_value=0)
    counts = counts.reindex(index=[tier for tier in scheme.tier_ids if tier in counts.index])
    shares = counts.div(counts.sum(axis=1), axis=0)
    fig = go.Figure()
    for verdict in VERDICTS:
        if verdict in shares:
            fig.add_bar(x=[t(f"tier_{tier}") for tier in shares.index], y=shares[verdict].to_numpy(),
                        name=t(f"verdict_{verdict}"), marker_color=VERDICT_COLOURS[verdict])
    fig.update_layout(barmode="stack")
    fig.update_yaxes(tickformat=".0%", title=t("field_share"), range=[0, 1])
    return _layout(fig, t.lang, t("base_verdict_title"), norms.text("name", t.lang))


def er_band_figure(bands: pd.DataFrame, scheme: TierScheme, norms: NormSet, t: Translate) -> go.Figure:
    """Per tier, the ER's 10th, 25th, 50th, 75th and 90th percentiles as a box (whiskers at the 10th
    and 90th), with the median norm band of its creators beside it."""
    fig = go.Figure()
    shown = bands.set_index("tier")
    first = True
    for tier in scheme.tier_ids:
        if tier not in shown.index:
            continue
        row, name = shown.loc[tier], t(f"tier_{tier}")
        fig.add_trace(go.Box(x=[name], q1=[row["p25"]], median=[row["p50"]], q3=[row["p75"]],
                             lowerfence=[row["p10"]], upperfence=[row["p90"]], name=name,
                             marker_color=TIER_COLOURS.get(tier), line_color=TIER_COLOURS.get(tier), showlegend=False))
        if pd.notna(row["norm_low"]) and pd.notna(row["norm_high"]):
            fig.add_trace(go.Scatter(x=[name] * 2, y=[row["norm_low"], row["norm_high"]], mode="lines",
                                     line={"color": NORM_BAND_KEY, "width": 14}, name=t("norm_band"),
                                     legendgroup="band", showlegend=first, hoverinfo="skip"))
            first = False
    fig.update_yaxes(type="log", tickvals=ER_TICKS, tickformat=ER_FORMAT, title=t("er_axis"))
    return _layout(fig, t.lang, t("base_band_title"),
                   f"{scheme.name}\n{norms.text('er_definition', t.lang)}")

"""Plotly figure builders: analysed creators in, figure out. No streamlit, no I/O.

Each figure names what it measures (and, for engagement, the ER formula and the norm source) so
that a chart copied into a client deck still says what it shows. Scatter plots of big rosters are
drawn from a stated random sample so the browser never receives megabytes of points.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from babel import numbers

from tiers.analysis.engagement import NormSet
from tiers.analysis.schemes import TIER_ORDER, TierScheme
from tiers.presenting.i18n import format_count, format_percent

TIER_COLOURS = dict(zip(TIER_ORDER, ("#8ecae6", "#219ebc", "#2a9d8f", "#f4a261", "#e76f51"), strict=True))
PLATFORM_COLOURS = {"instagram": "#c13584", "tiktok": "#111111", "youtube": "#ff0000",
                    "facebook": "#1877f2", "x": "#6e7681", "other": "#adb5bd"}
VERDICT_COLOURS = {"below": "#e63946", "within": "#8d99ae", "above": "#2a9d8f", "no data": "#dee2e6",
                   "no norm": "#ced4da"}
MAX_POINTS = 5_000
ER_TICKS = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0]
Translate = Callable[..., str]


def _layout(fig: go.Figure, lang: str, title: str, subtitle: str = "") -> go.Figure:
    """Title and subtitle lines, the house style, and the language's decimal and group marks for every
    number plotly writes (ticks, hovers), from CLDR."""
    lines = [line for line in subtitle.split("\n") if line]
    text = "<br>".join([title, *(f"<sup>{line}</sup>" for line in lines)])
    fig.update_layout(title={"text": text, "x": 0, "xanchor": "left"}, template="plotly_white",
                      margin={"l": 10, "r": 10, "t": 60 + 18 * len(lines), "b": 10},
                      legend={"orientation": "h", "y": -0.18, "itemsizing": "constant"},
                      font={"family": "Inter, Arial, sans-serif"},
                      separators=numbers.get_decimal_symbol(lang) + numbers.get_group_symbol(lang))
    return fig


def _log_axes(fig: go.Figure, x_title: str, y_title: str | None = None) -> None:
    """Log follower axis with one label per power of ten; optional log ER axis with round ticks."""
    fig.update_xaxes(type="log", dtick=1, title=x_title)
    if y_title is not None:
        fig.update_yaxes(type="log", tickvals=ER_TICKS, tickformat=".1%", title=y_title)


def sample_rows(frame: pd.DataFrame, max_points: int = MAX_POINTS, seed: int = 0) -> pd.DataFrame:
    """At most `max_points` rows, chosen at random but reproducibly."""
    return frame if len(frame) <= max_points else frame.sample(max_points, random_state=seed)


def _sample_note(shown: int, total: int, t: Translate, lang: str) -> str:
    if shown >= total:
        return ""
    return t("sampled", shown=format_count(shown, lang), total=format_count(total, lang))


def tier_share_figure(summary: pd.DataFrame, scheme: TierScheme, t: Translate) -> go.Figure:
    """Per tier, its share of creators, followers and expected engagements: the roster's story in one chart."""
    tiers = [t(f"tier_{tier}") for tier in summary["tier"]]
    fig = go.Figure()
    for measure, colour in (("creators", "#8ecae6"), ("followers", "#219ebc"),
                            ("expected_engagements", "#e76f51")):
        total = summary[measure].sum()
        share = summary[measure] / total if total > 0 else summary[measure] * np.nan
        fig.add_bar(x=tiers, y=share, name=t(f"measure_{measure}"), marker_color=colour,
                    text=[format_percent(v, t.lang, digits=0) if pd.notna(v) else "" for v in share],
                    textposition="outside",
                    meta="accent" if measure == "expected_engagements" else None)
    fig.update_yaxes(tickformat=".0%", title=t("field_share"))
    fig.update_layout(barmode="group")
    bounds = ", ".join(f"{t(f'tier_{tier}')} {scheme.bounds_label(tier)}" for tier in scheme.tier_ids)
    return _layout(fig, t.lang, t("chart_share_title"), f"{scheme.name}: {bounds}")


def tier_platform_figure(creators: pd.DataFrame, scheme: TierScheme, t: Translate,
                         measure: str = "creators") -> go.Figure:
    """Creators, followers or expected engagements per tier, stacked by platform."""
    values = creators.assign(creators=1).groupby(["tier", "platform"], observed=True)[measure].sum()
    fig = go.Figure()
    for platform in values.index.get_level_values("platform").unique():
        series = values.xs(platform, level="platform").reindex(scheme.tier_ids, fill_value=0)
        fig.add_bar(x=[t(f"tier_{tier}") for tier in series.index], y=series.to_numpy(),
                    name=t(f"platform_{platform}"), marker_color=PLATFORM_COLOURS.get(platform))
    fig.update_layout(barmode="stack")
    fig.update_yaxes(title=t(f"measure_{measure}"))
    return _layout(fig, t.lang, t("chart_platform_title", measure=t(f"measure_{measure}")), scheme.name)


def _band_shapes(fig: go.Figure, norms: NormSet, platforms: list[str], x_min: float, x_max: float,
                 t: Translate) -> None:
    bands = norms.bands[norms.bands["platform"].isin([*platforms, "all"])]
    for _, group in bands.groupby("platform"):
        lows = group["min_followers"].clip(lower=x_min / 2).to_list()
        highs = [*lows[1:], max(x_max * 2, lows[-1] * 10)]
        for x0, x1, low, high in zip(lows, highs, group["low"], group["high"], strict=True):
            fig.add_shape(type="rect", x0=x0, x1=x1, y0=low, y1=high, layer="below",
                          fillcolor="rgba(42,157,143,0.18)", line={"width": 0})
    fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=t("norm_band"),
                             marker={"symbol": "square", "size": 12, "color": "rgba(42,157,143,0.35)"}))


def er_norm_figure(creators: pd.DataFrame, norms: NormSet, t: Translate, lang: str = "en",
                   max_points: int = MAX_POINTS) -> go.Figure:
    """Each creator's ER (on the norm set's definition) against followers, coloured by verdict,
    over the norm bands."""
    rated = creators[creators["er_vs_norm"].notna()]
    shown = sample_rows(rated, max_points)
    fig = go.Figure()
    for verdict in ("below", "within", "above", "no norm"):
        part = shown[shown["verdict"] == verdict]
        if part.empty:
            continue
        fig.add_trace(go.Scattergl(
            x=part["followers"], y=part["er_vs_norm"], mode="markers", name=t(f"verdict_{verdict}"),
            marker={"color": VERDICT_COLOURS[verdict], "size": 7, "opacity": 0.8},
            customdata=np.stack([part["handle"].fillna(""), part["platform"], part["tier"].astype("str")], axis=1),
            hovertemplate="@%{customdata[0]} (%{customdata[1]}, %{customdata[2]})<br>"
                          "%{x:,.0f} followers<br>ER %{y:.2%}<extra></extra>"))
    if not rated.empty:
        _band_shapes(fig, norms, sorted(rated["platform"].unique()), float(rated["followers"].min()),
                     float(rated["followers"].max()), t)
    _log_axes(fig, t("followers_axis"), t("er_axis"))
    note = t("norm_note", name=norms.name, source=norms.source, year=norms.year, definition=norms.er_definition)
    return _layout(fig, t.lang, t("chart_er_title"), note + "\n" + _sample_note(len(shown), len(rated), t, lang))


def box_stats(values: pd.Series, groups: pd.Series) -> pd.DataFrame:
    """Quartiles and 1.5 IQR whiskers (clipped to the data) per group: a box plot's statistics,
    computed here so the browser receives five numbers per box instead of every creator's rate."""
    if values.empty:
        return pd.DataFrame(columns=["q1", "median", "q3", "lowerfence", "upperfence"], dtype=float)
    grouped = values.groupby(groups, observed=True)
    stats = grouped.quantile([0.25, 0.5, 0.75]).unstack()
    stats.columns = ["q1", "median", "q3"]
    iqr = stats["q3"] - stats["q1"]
    stats["lowerfence"] = np.maximum(stats["q1"] - 1.5 * iqr, grouped.min())
    stats["upperfence"] = np.minimum(stats["q3"] + 1.5 * iqr, grouped.max())
    return stats


def er_tier_figure(creators: pd.DataFrame, scheme: TierScheme, norms: NormSet, t: Translate) -> go.Figure:
    """Distribution of ER per tier (box plot), with each tier's median norm band as a bar."""
    fig = go.Figure()
    rated = creators[creators["er_vs_norm"] > 0]
    stats = box_stats(rated["er_vs_norm"], rated["tier"])
    bands = rated.groupby("tier", observed=True)[["norm_low", "norm_high"]].median()
    for tier in scheme.tier_ids:
        if tier not in stats.index:
            continue
        box = stats.loc[tier]
        name = t(f"tier_{tier}")
        fig.add_trace(go.Box(x=[name], q1=[box["q1"]], median=[box["median"]], q3=[box["q3"]],
                             lowerfence=[box["lowerfence"]], upperfence=[box["upperfence"]], name=name,
                             marker_color=TIER_COLOURS[tier], showlegend=False))
        band = bands.loc[tier]
        if band.notna().all():
            fig.add_trace(go.Scatter(x=[name] * 2, y=[band["norm_low"], band["norm_high"]],
                                     mode="lines+markers", line={"color": "rgba(42,157,143,0.9)", "width": 8},
                                     marker={"symbol": "line-ew", "size": 18}, name=t("norm_band"),
                                     showlegend=tier == stats.index[0], opacity=0.5))
    fig.update_yaxes(type="log", tickvals=ER_TICKS, tickformat=".1%", title=t("er_axis"))
    return _layout(fig, t.lang, t("chart_er_box_title"), f"{scheme.name}\n{norms.er_definition}")


def tradeoff_figure(creators: pd.DataFrame, scheme: TierScheme, t: Translate, lang: str = "en",
                    max_points: int = MAX_POINTS, norms: NormSet | None = None) -> go.Figure:
    """Followers against ER on log scales, coloured by tier, bubble area by fee, over the norm bands;
    creators on the reach-and-ER frontier ringed in black (always drawn, even when sampling)."""
    drawn = [c for c in ("followers", "engagement_rate", "fee", "tier", "handle", "platform", "frontier_reach_er")
             if c in creators]  # rows are picked from these columns only, not the whole analysed frame
    rated = creators.loc[(creators["engagement_rate"] > 0) & creators["followers"].notna(), drawn]
    shown = sample_rows(rated, max_points)
    if "frontier_reach_er" in rated:
        shown = pd.concat([shown, rated[rated["frontier_reach_er"] & ~rated.index.isin(shown.index)]])
    fees = shown["fee"]
    has_fees = fees.notna().any() and fees.max() > 0
    size = 6 + 24 * np.sqrt(fees / fees.max()) if has_fees else pd.Series(8.0, index=shown.index)
    fig = go.Figure()
    for tier in scheme.tier_ids:
        part = shown[shown["tier"] == tier]
        if part.empty:
            continue
        fee = [part["fee"].fillna(0)] if has_fees else []  # no fees known (or shown): none in the hover
        fig.add_trace(go.Scattergl(
            x=part["followers"], y=part["engagement_rate"], mode="markers", name=t(f"tier_{tier}"),
            marker={"color": TIER_COLOURS[tier], "size": size.loc[part.index].fillna(6), "opacity": 0.75,
                    "line": {"width": np.where(part.get("frontier_reach_er", False), 2.0, 0.5),
                             "color": np.where(part.get("frontier_reach_er", False), "#111111", "white")}},
            customdata=np.stack([part["handle"].fillna(""), part["platform"], *fee], axis=1),
            hovertemplate="@%{customdata[0]} (%{customdata[1]})<br>%{x:,.0f} followers<br>ER %{y:.2%}"
                          + ("<br>fee %{customdata[2]:,.0f}" if has_fees else "") + "<extra></extra>"))
    if norms is not None and not rated.empty:
        _band_shapes(fig, norms, sorted(rated["platform"].unique()), float(rated["followers"].min()),
                     float(rated["followers"].max()), t)
    fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=t("frontier"),
                             marker={"size": 10, "color": "white", "line": {"width": 2, "color": "#111111"}}))
    _log_axes(fig, t("followers_axis"), t("er_axis"))
    return _layout(fig, t.lang, t("chart_tradeoff_title"),
                   scheme.name + "\n" + _sample_note(len(shown), len(rated), t, lang))


def cost_figure(summary: pd.DataFrame, scheme: TierScheme, t: Translate, currency: str) -> go.Figure:
    """Expected engagements bought per 1 million of the roster's currency, per tier."""
    tiers = [t(f"tier_{tier}") for tier in summary["tier"]]
    fig = go.Figure(go.Bar(x=tiers, y=summary["engagements_per_million"],
                           marker_color=[TIER_COLOURS[tier] for tier in summary["tier"]],
                           text=[format_count(v, t.lang) if pd.notna(v) else ""
                                 for v in summary["engagements_per_million"]],
                           textposition="outside"))
    fig.update_yaxes(title=t("measure_expected_engagements"))
    return _layout(fig, t.lang, t("chart_per_million_title", currency=currency), scheme.name)


def scheme_sankey_figure(crosstab: pd.DataFrame, a: TierScheme, b: TierScheme, t: Translate) -> go.Figure:
    """Creators flowing from their tier under scheme `a` (left) to their tier under `b` (right)."""
    left = [f"{t(f'tier_{tier}')} ({a.bounds_label(tier)})" for tier in crosstab.index]
    right = [f"{t(f'tier_{tier}')} ({b.bounds_label(tier)})" for tier in crosstab.columns]
    flows = crosstab.stack()
    flows = flows[flows > 0]
    source = [crosstab.index.get_loc(i) for i, _ in flows.index]
    target = [len(left) + crosstab.columns.get_loc(j) for _, j in flows.index]
    colours = [TIER_COLOURS[tier] for tier in crosstab.index] + [TIER_COLOURS[tier] for tier in crosstab.columns]
    fig = go.Figure(go.Sankey(
        node={"label": left + right, "color": colours, "pad": 18, "thickness": 16},
        link={"source": source, "target": target, "value": flows.to_numpy().tolist(),
              "color": [f"rgba(33,158,188,{0.25 if i != j else 0.1})" for i, j in flows.index]}))
    return _layout(fig, t.lang, t("chart_sankey_title", a=a.name, b=b.name), "")


def nano_split_figure(creators: pd.DataFrame, t: Translate) -> go.Figure:
    """Native against non-native nano creators: how many, their median ER, their expected engagements."""
    nano = creators[(creators["tier"] == "nano") & creators["nano_type"].notna()]
    groups = nano.groupby("nano_type").agg(creators=("followers", "size"), median_er=("engagement_rate", "median"),
                                           engagements=("expected_engagements", "sum"))
    names = [t(f"nano_{kind.replace('-', '_')}") for kind in groups.index]
    fig = go.Figure()
    fig.add_bar(x=names, y=groups["creators"], name=t("measure_creators"), marker_color="#8ecae6",
                text=groups["creators"], textposition="outside")
    fig.add_scatter(x=names, y=groups["median_er"], name=t("median_er"), yaxis="y2", mode="markers+text",
                    marker={"size": 14, "color": "#e76f51"},
                    text=[format_percent(v, t.lang) for v in groups["median_er"]],
                    textposition="middle right")
    fig.update_layout(yaxis={"title": t("measure_creators")},
                      yaxis2={"title": t("median_er"), "overlaying": "y", "side": "right", "tickformat": ".1%",
                              "rangemode": "tozero"})
    return _layout(fig, t.lang, t("chart_nano_title"), "")


def cpe_frontier_figure(creators: pd.DataFrame, t: Translate, currency: str, lang: str = "en",
                        max_points: int = MAX_POINTS) -> go.Figure:
    """Reach against cost per engagement (log-log); the frontier joins creators nobody beats on both
    more reach and a lower CPE. Estimated fees are drawn hollow."""
    priced = creators[(creators["cpe"] > 0) & (creators["reach"] > 0)]
    shown = sample_rows(priced, max_points)
    fig = go.Figure()
    for estimated, symbol in ((False, "circle"), (True, "circle-open")):
        part = shown[shown["fee_estimated"] == estimated]
        if part.empty:
            continue
        fig.add_trace(go.Scattergl(
            x=part["reach"], y=part["cpe"], mode="markers",
            name=t("fee_estimated") if estimated else t("fee_roster"),
            marker={"symbol": symbol, "size": 8, "color": [TIER_COLOURS[tier] for tier in part["tier"]]},
            customdata=np.stack([part["handle"].fillna(""), part["tier"].astype("str")], axis=1),
            hovertemplate="@%{customdata[0]} (%{customdata[1]})<br>reach %{x:,.0f}<br>CPE %{y:,.0f}<extra></extra>"))
    front = priced[priced["frontier_reach_cpe"]].sort_values("reach")
    fig.add_trace(go.Scatter(x=front["reach"], y=front["cpe"], mode="lines", name=t("frontier"),
                             line={"color": "#111111", "width": 1.5, "shape": "hv"}))
    fig.update_xaxes(type="log", dtick=1, title=t("reach_axis"))
    fig.update_yaxes(type="log", title=t("cpe_axis", currency=currency))
    return _layout(fig, t.lang, t("chart_cpe_frontier_title"), _sample_note(len(shown), len(priced), t, lang))


def plan_comparison_figure(plans: dict, t: Translate, objective: str) -> go.Figure:
    """The optimal mix against the best all-nano and all-mega plans for the same budget."""
    names = [t(f"plan_{key}") for key in plans]
    fig = go.Figure()
    fig.add_bar(x=names, y=[p.total_engagements for p in plans.values()], name=t("measure_expected_engagements"),
                marker_color="#e76f51", text=[format_count(p.total_engagements, t.lang) for p in plans.values()],
                textposition="outside", meta="accent")
    fig.add_bar(x=names, y=[p.total_reach for p in plans.values()], name=t("field_reach"), marker_color="#219ebc",
                yaxis="y2", text=[format_count(p.total_reach, t.lang) for p in plans.values()], textposition="outside",
                offsetgroup=1)
    fig.update_layout(barmode="group", yaxis={"title": t("measure_expected_engagements")},
                      yaxis2={"title": t("field_reach"), "overlaying": "y", "side": "right"})
    return _layout(fig, t.lang, t("chart_plans_title"), t(f"objective_{objective}"))


CHANGE_COLOURS = {"new": "#2a9d8f", "dropped": "#adb5bd", "up": "#2a9d8f", "same": "#8d99ae", "down": "#e63946"}


def tier_flow_figure(flow: pd.DataFrame, scheme: TierScheme, t: Translate, since: str, until: str,
                     platform: str | None = None) -> go.Figure:
    """Accounts flowing from their tier at `since` (left, plus 'new') to their tier at `until` (right,
    plus 'dropped'); see tiers.analysis.changes.tier_flow."""
    left_ids = [tier for tier in [*scheme.tier_ids, "new"] if tier in set(flow["source"])]
    right_ids = [tier for tier in [*scheme.tier_ids, "dropped"] if tier in set(flow["target"])]

    def label(tier: str) -> str:
        return t(f"change_{tier}") if tier in ("new", "dropped") else t(f"tier_{tier}")

    position = {("l", tier): i for i, tier in enumerate(left_ids)}
    position |= {("r", tier): len(left_ids) + i for i, tier in enumerate(right_ids)}
    order = {tier: i for i, tier in enumerate(scheme.tier_ids)}
    link_colour = [CHANGE_COLOURS["new"] if s == "new" else CHANGE_COLOURS["dropped"] if d == "dropped" else
                   CHANGE_COLOURS["up"] if order[d] > order[s] else CHANGE_COLOURS["down"] if order[d] < order[s]
                   else "#d9dde3" for s, d in zip(flow["source"], flow["target"], strict=True)]
    fig = go.Figure(go.Sankey(
        node={"label": [label(x) for x in left_ids] + [label(x) for x in right_ids], "pad": 18, "thickness": 16,
              "color": [TIER_COLOURS.get(x, CHANGE_COLOURS.get(x)) for x in [*left_ids, *right_ids]]},
        link={"source": [position[("l", s)] for s in flow["source"]],
              "target": [position[("r", d)] for d in flow["target"]],
              "value": flow["accounts"].tolist(), "color": link_colour}))
    where = t(f"platform_{platform}") if platform else t("all_platforms")
    return _layout(fig, t.lang, t("chart_flow_title", since=since, until=until), f"{where} · {scheme.name}")


def growth_tier_figure(by_tier: pd.DataFrame, scheme: TierScheme, t: Translate) -> go.Figure:
    """Median follower growth of the accounts kept, per tier (before) and platform."""
    fig = go.Figure()
    for platform, part in by_tier.groupby("platform", sort=False):
        part = part.set_index("tier_before").reindex([x for x in scheme.tier_ids if x in set(part["tier_before"])])
        fig.add_bar(x=[t(f"tier_{x}") for x in part.index], y=part["median_growth"], name=t(f"platform_{platform}"),
                    marker_color=PLATFORM_COLOURS.get(platform, "#adb5bd"),
                    text=[format_percent(v, t.lang, signed=True) if pd.notna(v) else "" for v in part["median_growth"]],
                    textposition="outside",
                    customdata=part["accounts"],
                    hovertemplate="%{x}: %{y:+.1%} (n = %{customdata})<extra></extra>")
    fig.update_yaxes(tickformat="+.0%", title=t("median_growth"))
    fig.update_layout(barmode="group")
    return _layout(fig, t.lang, t("chart_growth_title"), scheme.name)


def follower_history_figure(history: pd.DataFrame, t: Translate, lang: str = "en") -> go.Figure:
    """Followers of the chosen accounts across every roster (see tiers.analysis.changes.follower_history)."""
    fig = go.Figure()
    for _, part in history.sort_values("position").groupby("account", sort=False):
        first = part.iloc[-1]
        who = f"@{first['handle']}" if pd.notna(first["handle"]) else str(first["name"])
        fig.add_scatter(x=part["snapshot"], y=part["followers"], mode="lines+markers+text",
                        name=f"{who} ({t('platform_' + first['platform'])})",
                        text=[format_count(v, lang) for v in part["followers"]], textposition="top center")
    fig.update_xaxes(type="category", title=t("snapshot_date"))
    fig.update_yaxes(title=t("field_followers"), rangemode="tozero")
    return _layout(fig, t.lang, t("chart_history_title"), "")

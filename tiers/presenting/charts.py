"""Plotly figure builders: analysed creators in, figure out. No streamlit, no I/O.

Each figure names what it measures (and, for engagement, the ER formula and the norm source) so
that a chart copied into a client deck still says what it shows. Scatter plots of big rosters are
drawn from a stated random sample so the browser never receives megabytes of points.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from babel import numbers
from plotly.subplots import make_subplots

from tiers.analysis.engagement import NormSet
from tiers.analysis.schemes import TierScheme
from tiers.presenting.i18n import format_compact, format_count, format_percent
from tiers.presenting.palette import (
    CHANGE_COLOURS,
    INK,
    MEASURE_COLOURS,
    NORM_BAND,
    NORM_BAND_KEY,
    PLATFORM_COLOURS,
    TIER_COLOURS,
    VERDICT_COLOURS,
    translucent,
)

# A scatter draws at most this many creators, sampled (and says so), plus any on a frontier: as SVG, which a
# browser without a GPU (headless, a remote desktop) draws in a fraction of the time WebGL takes it there.
MAX_POINTS = 2_000
ER_TICKS = [0.0001, 0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0]
ER_FORMAT = ".2~%"  # 0,02%, 0,5%, 10%: as many decimals as a tick needs, no more
LABEL_ROOM = 1.18  # a bar chart's value axis reaches this far past its tallest bar, so labels above bars fit
Translate = Callable[..., str]


HOUSE = pio.templates["plotly_white"]


def house(fig: go.Figure) -> go.Figure:
    """`fig` on the house template, whatever template is the process's default (Streamlit makes its own, with
    placeholder colours for its frontend, the default when it is imported). Assigned as plotly assigns its
    default, without validating it: it is plotly's own template, and validating copies the whole of it (about
    20 ms a figure, most of a small chart's making)."""
    fig.layout._validate = False
    try:
        fig.layout.template = HOUSE
    finally:
        fig.layout._validate = True
    return fig


def _layout(fig: go.Figure, lang: str, title: str, subtitle: str = "") -> go.Figure:
    """Title and subtitle lines, the house style, and the language's decimal and group marks for every
    number plotly writes (ticks, hovers), from CLDR."""
    lines = [line for line in subtitle.split("\n") if line]
    text = "<br>".join([title, *(f"<sup>{line}</sup>" for line in lines)])
    house(fig).update_layout(title={"text": text, "x": 0, "xanchor": "left"},
                             margin={"l": 10, "r": 10, "t": 60 + 18 * len(lines), "b": 10},
                             legend={"orientation": "h", "y": -0.16, "yanchor": "top", "x": 0, "itemsizing": "trace"},
                             font={"family": "Inter, Arial, sans-serif"},
                             separators=numbers.get_decimal_symbol(lang) + numbers.get_group_symbol(lang))
    return fig


def _nice_ticks(top: float, count: int = 5) -> np.ndarray:
    """Round tick values from 0 past `top`: steps of 1, 2, 2.5 or 5 times a power of ten."""
    if not np.isfinite(top) or top <= 0:
        return np.array([0.0])
    raw = top / count
    power = 10.0 ** np.floor(np.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    return np.arange(0, top + step, step)


def compact_axis(fig: go.Figure, axis: str, values: Iterable[float], lang: str, currency: str | None = None,
                 log: bool = False, **where) -> None:
    """Tick labels in the language's compact form ('1,2 jt', '250 rb'; 'Rp1,5 jt' with a currency) for an axis
    ('x' or 'y', `where` picks a subplot's) over `values`: powers of ten (and 2 and 5 times them over a short
    range) on a log axis, round steps from 0 on a linear one."""
    numbers = (values.to_numpy(dtype="float64", na_value=np.nan) if isinstance(values, pd.Series)
               else np.asarray(list(values), dtype="float64"))  # a million values: no Python list on the way
    known = numbers[(numbers > 0) if log else ~np.isnan(numbers)]
    if not known.size:
        return
    if log:
        powers = 10.0 ** np.arange(np.floor(np.log10(known.min())), np.ceil(np.log10(known.max())) + 1)
        ticks = np.sort(np.outer(powers, (1, 2, 5)).ravel()) if len(powers) <= 3 else powers
    else:
        ticks = _nice_ticks(float(known.max()))
    update = fig.update_xaxes if axis == "x" else fig.update_yaxes
    update(tickvals=ticks.tolist(), ticktext=[format_compact(v, lang, currency) for v in ticks], **where)


def _log_axes(fig: go.Figure, x_title: str, y_title: str | None, followers: pd.Series, lang: str) -> None:
    """Log follower axis with compact labels; optional log ER axis with round ticks."""
    fig.update_xaxes(type="log", title=x_title)
    compact_axis(fig, "x", followers, lang, log=True)
    if y_title is not None:
        fig.update_yaxes(type="log", tickvals=ER_TICKS, tickformat=ER_FORMAT, title=y_title)


def _key(fig: go.Figure, name: str, marker: dict, group: str | None = None) -> None:
    """A legend entry with no data: what a colour, symbol or size means."""
    fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=name, marker=marker, legendgroup=group,
                             hoverinfo="skip"))


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
    for measure in ("creators", "followers", "expected_engagements"):
        total = summary[measure].sum()
        if not total > 0:
            continue  # no engagement data: no bars of nothing (the takeaway says how the creators split)
        share = summary[measure] / total
        fig.add_bar(x=tiers, y=share, name=t(f"measure_{measure}"), marker_color=MEASURE_COLOURS[measure],
                    text=[format_percent(v, t.lang) if pd.notna(v) else "" for v in share], textposition="outside",
                    cliponaxis=False)
    top = max((max(trace.y, default=0) for trace in fig.data), default=1)
    fig.update_yaxes(tickformat=".0%", title=t("field_share"), range=[0, top * LABEL_ROOM])
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
    compact_axis(fig, "y", values.groupby(level="tier", observed=True).sum(), t.lang)
    return _layout(fig, t.lang, t("chart_platform_title", measure=t(f"measure_{measure}")), scheme.name)


def _band_shapes(fig: go.Figure, norms: NormSet, platforms: list[str], x_min: float, x_max: float,
                 t: Translate) -> None:
    bands = norms.bands[norms.bands["platform"].isin([*platforms, "all"])]
    for _, group in bands.groupby("platform"):
        lows = group["min_followers"].clip(lower=x_min / 2).to_list()
        highs = [*lows[1:], max(x_max * 2, lows[-1] * 10)]
        for x0, x1, low, high in zip(lows, highs, group["low"], group["high"], strict=True):
            fig.add_shape(type="rect", x0=x0, x1=x1, y0=low, y1=high, layer="below", fillcolor=NORM_BAND,
                          line={"width": 0})
    _key(fig, t("norm_band"), {"symbol": "square", "size": 12, "color": NORM_BAND_KEY})


def er_norm_figure(creators: pd.DataFrame, norms: NormSet, t: Translate, lang: str = "en",
                   max_points: int = MAX_POINTS) -> go.Figure:
    """Each creator's ER (on the norm set's definition) against followers, coloured by verdict,
    over the norm bands."""
    drawn = ["followers", "er_vs_norm", "verdict", "handle", "platform", "tier"]  # not the whole analysed frame
    rated = creators.loc[creators["er_vs_norm"].notna(), drawn]
    shown = sample_rows(rated, max_points)
    fig = go.Figure()
    for verdict in ("below", "within", "above", "no norm"):
        part = shown[shown["verdict"] == verdict]
        if part.empty:
            continue
        fig.add_trace(go.Scatter(
            x=part["followers"], y=part["er_vs_norm"], mode="markers", name=t(f"verdict_{verdict}"),
            marker={"color": VERDICT_COLOURS[verdict], "size": 7, "opacity": 0.85,
                    "line": {"width": 0.5, "color": "white"}},
            customdata=np.stack([part["handle"].fillna(""), part["platform"].map(lambda p: t(f"platform_{p}")),
                                 part["tier"].map(lambda x: t(f"tier_{x}"))], axis=1),
            hovertemplate="@%{customdata[0]} (%{customdata[1]}, %{customdata[2]})<br>"
                          f"{t('field_followers')} %{{x:,.0f}}<br>ER %{{y:.1%}}<extra></extra>"))
    if not rated.empty:
        _band_shapes(fig, norms, sorted(rated["platform"].unique()), float(rated["followers"].min()),
                     float(rated["followers"].max()), t)
    _log_axes(fig, t("followers_axis"), t("er_axis"), rated["followers"], t.lang)
    note = t("norm_note", name=norms.text("name", t.lang), source=norms.text("source", t.lang), year=norms.year,
             definition=norms.text("er_definition", t.lang))
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
                             marker_color=TIER_COLOURS[tier], line_color=TIER_COLOURS[tier], showlegend=False))
        band = bands.loc[tier]
        if band.notna().all():
            fig.add_trace(go.Scatter(x=[name] * 2, y=[band["norm_low"], band["norm_high"]],
                                     mode="lines", line={"color": NORM_BAND_KEY, "width": 14}, name=t("norm_band"),
                                     legendgroup="band", showlegend=tier == stats.index[0], hoverinfo="skip"))
    fig.update_yaxes(type="log", tickvals=ER_TICKS, tickformat=ER_FORMAT, title=t("er_axis"))
    return _layout(fig, t.lang, t("chart_er_box_title"), f"{scheme.name}\n{norms.text('er_definition', t.lang)}")


def _size_key(fig: go.Figure, fees: pd.Series, scale, t: Translate, currency: str) -> None:
    """Legend entries for three fees (the smallest, the median, the largest shown) at their bubble sizes."""
    for fee in dict.fromkeys(fees.quantile([0.0, 0.5, 1.0]).round(-3).clip(lower=fees.min()).tolist()):
        _key(fig, f"{t('field_fee')} {format_compact(fee, t.lang, currency)}",
             {"size": float(scale(fee)), "color": "rgba(0,0,0,0)", "line": {"width": 1.2, "color": INK}}, "size")


def tradeoff_figure(creators: pd.DataFrame, scheme: TierScheme, t: Translate, lang: str = "en",
                    max_points: int = MAX_POINTS, norms: NormSet | None = None, currency: str = "IDR") -> go.Figure:
    """Followers against ER on log scales, coloured by tier, bubble area by fee (with a size key), over the
    norm bands; creators on the reach-and-ER frontier ringed (always drawn, even when sampling)."""
    drawn = [c for c in ("followers", "engagement_rate", "fee", "tier", "handle", "platform", "frontier_reach_er")
             if c in creators]  # rows are picked from these columns only, not the whole analysed frame
    rated = creators.loc[(creators["engagement_rate"] > 0) & creators["followers"].notna(), drawn]
    shown = sample_rows(rated, max_points)
    if "frontier_reach_er" in rated:
        shown = pd.concat([shown, rated[rated["frontier_reach_er"] & ~rated.index.isin(shown.index)]])
    fees = shown["fee"]
    has_fees = bool(fees.notna().any() and fees.max() > 0)
    top = fees.max() if has_fees else 1.0

    def scale(fee):
        return 6 + 24 * np.sqrt(np.clip(fee, 0, None) / top)

    size = scale(fees.fillna(0)) if has_fees else pd.Series(8.0, index=shown.index)
    fig = go.Figure()
    for tier in scheme.tier_ids:
        part = shown[shown["tier"] == tier]
        if part.empty:
            continue
        fee = [part["fee"].fillna(0)] if has_fees else []  # no fees known (or shown): none in the hover
        fig.add_trace(go.Scatter(
            x=part["followers"], y=part["engagement_rate"], mode="markers", name=t(f"tier_{tier}"),
            legendgroup=tier, showlegend=False,
            marker={"color": TIER_COLOURS[tier], "size": size.loc[part.index], "opacity": 0.8,
                    "line": {"width": 0.5, "color": "white"}},
            customdata=np.stack([part["handle"].fillna(""), part["platform"].map(lambda p: t(f"platform_{p}")),
                                 *fee], axis=1),
            hovertemplate="@%{customdata[0]} (%{customdata[1]})<br>"
                          f"{t('field_followers')} %{{x:,.0f}}<br>ER %{{y:.1%}}"
                          + (f"<br>{t('field_fee')} %{{customdata[2]:,.0f}}" if has_fees else "") + "<extra></extra>"))
        _key(fig, t(f"tier_{tier}"), {"size": 11, "color": TIER_COLOURS[tier]}, tier)
    if "frontier_reach_er" in shown:  # one ring over each, not a colour per point (plotly checks each one)
        ringed = shown[shown["frontier_reach_er"].fillna(False).astype(bool)]
        fig.add_trace(go.Scatter(x=ringed["followers"], y=ringed["engagement_rate"], mode="markers",
                                 name=t("frontier"), legendgroup="frontier", showlegend=False, hoverinfo="skip",
                                 marker={"size": size.loc[ringed.index], "color": "rgba(0,0,0,0)",
                                         "line": {"width": 2, "color": INK}}))
    if norms is not None and not rated.empty:
        _band_shapes(fig, norms, sorted(rated["platform"].unique()), float(rated["followers"].min()),
                     float(rated["followers"].max()), t)
    _key(fig, t("frontier"), {"size": 11, "color": "white", "line": {"width": 2, "color": INK}})
    if has_fees:
        _size_key(fig, fees.dropna(), scale, t, currency)
    _log_axes(fig, t("followers_axis"), t("er_axis"), rated["followers"], t.lang)
    lines = [scheme.name, t("bubble_size_fee") if has_fees else "", _sample_note(len(shown), len(rated), t, lang)]
    return _layout(fig, t.lang, t("chart_tradeoff_title"), "\n".join(lines))


def cost_figure(summary: pd.DataFrame, scheme: TierScheme, t: Translate, currency: str) -> go.Figure:
    """Expected engagements bought per 1 million of the roster's currency, per tier."""
    tiers = [t(f"tier_{tier}") for tier in summary["tier"]]
    per_million = summary["engagements_per_million"]
    fig = go.Figure(go.Bar(x=tiers, y=per_million, marker_color=[TIER_COLOURS[tier] for tier in summary["tier"]],
                           text=[format_count(v, t.lang) if pd.notna(v) else "" for v in per_million],
                           textposition="outside", cliponaxis=False, showlegend=False))
    fig.update_yaxes(title=t("measure_expected_engagements"), range=[0, float(per_million.max()) * LABEL_ROOM])
    compact_axis(fig, "y", per_million, t.lang)
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
              "color": [f"rgba(0,114,178,{0.3 if i != j else 0.1})" for i, j in flows.index]}))
    return _layout(fig, t.lang, t("chart_sankey_title", a=a.name, b=b.name), "")


def _panels(t: Translate, names: list[str], panels: list[tuple[str, str, list[float], list[str]]]) -> go.Figure:
    """Bars side by side, one panel per measure (each on its own axis, titled, values written above the bars):
    two measures of different sizes never share an axis, so neither hides the other."""
    fig = make_subplots(rows=1, cols=len(panels), subplot_titles=[title for title, *_ in panels],
                        horizontal_spacing=0.12)
    for i, (title, colour, values, labels) in enumerate(panels, start=1):
        fig.add_bar(x=names, y=values, name=title, marker_color=colour, text=labels, textposition="outside",
                    cliponaxis=False, showlegend=False, row=1, col=i)
        top = max((v for v in values if pd.notna(v)), default=0)
        fig.update_yaxes(range=[0, (top or 1) * LABEL_ROOM], row=1, col=i)
    return fig


def nano_split_figure(creators: pd.DataFrame, t: Translate) -> go.Figure:
    """Native against non-native nano creators: how many, and their median ER, side by side."""
    nano = creators[(creators["tier"] == "nano") & creators["nano_type"].notna()]
    groups = nano.groupby("nano_type").agg(creators=("followers", "size"), median_er=("engagement_rate", "median"))
    names = [t(f"nano_{kind.replace('-', '_')}") for kind in groups.index]
    fig = _panels(t, names, [
        (t("measure_creators"), MEASURE_COLOURS["creators"], groups["creators"].tolist(),
         [format_count(v, t.lang) for v in groups["creators"]]),
        (t("median_er"), MEASURE_COLOURS["expected_engagements"], groups["median_er"].tolist(),
         [format_percent(v, t.lang) for v in groups["median_er"]]),
    ])
    fig.update_yaxes(tickformat=".1%", row=1, col=2)
    return _layout(fig, t.lang, t("chart_nano_title"), "")


def cpe_frontier_figure(creators: pd.DataFrame, t: Translate, currency: str, lang: str = "en",
                        max_points: int = MAX_POINTS) -> go.Figure:
    """Reach against cost per engagement (log-log), coloured by tier; the frontier joins creators nobody beats
    on both more reach and a lower CPE. Estimated fees are drawn hollow (the legend says so)."""
    drawn = ["reach", "cpe", "tier", "fee_estimated", "handle", "frontier_reach_cpe"]  # not the whole analysed frame
    priced = creators.loc[(creators["cpe"] > 0) & (creators["reach"] > 0), drawn]
    shown = sample_rows(priced, max_points)
    fig = go.Figure()
    for (tier, estimated), part in shown.groupby(["tier", "fee_estimated"], observed=True, sort=False):
        fig.add_trace(go.Scatter(
            x=part["reach"], y=part["cpe"], mode="markers", name=t(f"tier_{tier}"), legendgroup=tier,
            showlegend=False,
            marker={"symbol": "circle-open" if estimated else "circle", "size": 8, "color": TIER_COLOURS[tier],
                    "line": {"width": 1.5}},
            customdata=np.stack([part["handle"].fillna(""), part["tier"].map(lambda x: t(f"tier_{x}"))], axis=1),
            hovertemplate=f"@%{{customdata[0]}} (%{{customdata[1]}})<br>{t('field_reach')} %{{x:,.0f}}<br>"
                          f"{t('field_cpe')} %{{y:,.0f}}<extra></extra>"))
    for tier in (x for x in TIER_COLOURS if x in set(shown["tier"].astype("object"))):
        _key(fig, t(f"tier_{tier}"), {"size": 10, "color": TIER_COLOURS[tier]}, tier)
    _key(fig, t("fee_roster"), {"size": 10, "color": "#888888"})
    _key(fig, t("fee_estimated"), {"size": 10, "color": "#888888", "symbol": "circle-open", "line": {"width": 1.5}})
    front = priced[priced["frontier_reach_cpe"]].sort_values("reach")
    fig.add_trace(go.Scatter(x=front["reach"], y=front["cpe"], mode="lines", name=t("frontier"),
                             line={"color": INK, "width": 1.5, "shape": "hv"}, hoverinfo="skip"))
    fig.update_xaxes(type="log", title=t("reach_axis"))
    fig.update_yaxes(type="log", title=t("cpe_axis", currency=currency))
    compact_axis(fig, "x", priced["reach"], t.lang, log=True)
    compact_axis(fig, "y", priced["cpe"], t.lang, currency, log=True)
    return _layout(fig, t.lang, t("chart_cpe_frontier_title"), _sample_note(len(shown), len(priced), t, lang))


def plan_comparison_figure(plans: dict, t: Translate, objective: str) -> go.Figure:
    """The optimal mix against the best all-nano and all-mega plans for the same budget: expected engagements
    and reach in panels of their own."""
    names = [t(f"plan_{key}") for key in plans]
    engagements = [p.total_engagements for p in plans.values()]
    reach = [p.total_reach for p in plans.values()]
    fig = _panels(t, names, [
        (t("measure_expected_engagements"), MEASURE_COLOURS["expected_engagements"], engagements,
         [format_compact(v, t.lang) for v in engagements]),
        (t("field_reach"), MEASURE_COLOURS["reach"], reach, [format_compact(v, t.lang) for v in reach]),
    ])
    compact_axis(fig, "y", engagements, t.lang, row=1, col=1)
    compact_axis(fig, "y", reach, t.lang, row=1, col=2)
    return _layout(fig, t.lang, t("chart_plans_title"), t(f"objective_{objective}"))


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
                   else CHANGE_COLOURS["same"] for s, d in zip(flow["source"], flow["target"], strict=True)]
    fig = go.Figure(go.Sankey(
        node={"label": [label(x) for x in left_ids] + [label(x) for x in right_ids], "pad": 18, "thickness": 16,
              "color": [TIER_COLOURS.get(x, CHANGE_COLOURS.get(x)) for x in [*left_ids, *right_ids]]},
        link={"source": [position[("l", s)] for s in flow["source"]],
              "target": [position[("r", d)] for d in flow["target"]],
              "value": flow["accounts"].tolist(), "color": [translucent(c, 0.6) for c in link_colour]}))
    for move in ("up", "down", "new", "dropped"):  # what the link colours mean
        _key(fig, t(f"move_{move}") if move in ("up", "down") else t(f"change_{move}"),
             {"symbol": "square", "size": 12, "color": CHANGE_COLOURS[move]})
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    where = t(f"platform_{platform}") if platform else t("all_platforms")
    return _layout(fig, t.lang, t("chart_flow_title", since=since, until=until), f"{where} · {scheme.name}")


def growth_tier_figure(by_tier: pd.DataFrame, scheme: TierScheme, t: Translate) -> go.Figure:
    """Median follower growth of the accounts kept, per tier (before) and platform."""
    fig = go.Figure()
    for platform, part in by_tier.groupby("platform", sort=False):
        part = part.set_index("tier_before").reindex([x for x in scheme.tier_ids if x in set(part["tier_before"])])
        fig.add_bar(x=[t(f"tier_{x}") for x in part.index], y=part["median_growth"], name=t(f"platform_{platform}"),
                    marker_color=PLATFORM_COLOURS.get(platform, PLATFORM_COLOURS["other"]),
                    text=[format_percent(v, t.lang, signed=True) if pd.notna(v) else "" for v in part["median_growth"]],
                    textposition="outside", cliponaxis=False,
                    customdata=part["accounts"],
                    hovertemplate="%{x}: %{y:+.1%} (n = %{customdata})<extra></extra>")
    fig.update_yaxes(tickformat="+.0%", title=t("median_growth"))
    fig.update_xaxes(categoryorder="array", categoryarray=[t(f"tier_{x}") for x in scheme.tier_ids])  # small first
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
                        text=[format_compact(v, lang) for v in part["followers"]], textposition="top center",
                        cliponaxis=False)
    fig.update_xaxes(type="category", title=t("snapshot_date"))
    fig.update_yaxes(title=t("field_followers"), rangemode="tozero")
    compact_axis(fig, "y", history["followers"], lang)
    return _layout(fig, t.lang, t("chart_history_title"), "")

"""Charts of a campaign's results (plotly figures, no Streamlit): CPE by tier against the plan, each tier's
share of engagements and of cost, and the best and worst posts."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go

from tiers.presenting.charts import house
from tiers.presenting.messages import N_
from tiers.presenting.palette import MEASURE_COLOURS, VERDICT_COLOURS

# The display names of the results' columns (tables label a column `field_<column>` where a key exists).
KEYS = (
    N_("field_posts"),
    N_("field_post_views"),
    N_("field_post_engagements"),
    N_("field_post_fee"),
    N_("field_emv"),
    N_("field_cpv"),
    N_("field_er_followers"),
    N_("field_er_views"),
    N_("field_emv_roi"),
    N_("field_roas"),
    N_("field_cost_per_conversion"),
    N_("field_conversions"),
    N_("field_revenue"),
    N_("field_planned_creators"),
    N_("field_planned_engagements"),
    N_("field_planned_fees"),
    N_("field_planned_cpe"),
    N_("field_engagements_vs_plan"),
    N_("field_post_link"),
    N_("field_post_date"),
    N_("field_format"),
    N_("field_impressions"),
    N_("field_clicks"),
    N_("field_voucher"),
    N_("results_most"),
    N_("results_fewest"),
    N_("results_verdict_below"),
    N_("results_verdict_within"),
    N_("results_verdict_above"),
)

# A roster's views, engagements and fee are per post on average; a results sheet's are what was delivered.
LABELS = {"views": "post_views", "engagements": "post_engagements", "fee": "post_fee"}
ENGAGEMENTS, FEES, PLANNED = (MEASURE_COLOURS[m] for m in ("expected_engagements", "fees", "planned"))
BEST, WORST = VERDICT_COLOURS["above"], VERDICT_COLOURS["below"]


def _tier_names(tiers: pd.Series, t: Callable[..., str]) -> list[str]:
    return [t(f"tier_{tier}") if isinstance(tier, str) else t("results_no_tier") for tier in tiers]


def cpe_by_tier(versus: pd.DataFrame, t: Callable[..., str], currency: str = "IDR") -> go.Figure:
    """Delivered CPE per tier, next to the planned CPE where a plan gives one (`versus_plan` rows), in `currency`."""
    names = _tier_names(versus["tier"], t)
    figure = go.Figure([go.Bar(name=t("results_actual"), x=names, y=versus["cpe"], marker_color=FEES)])
    if "planned_cpe" in versus and versus["planned_cpe"].notna().any():
        figure.add_bar(name=t("results_forecast"), x=names, y=versus["planned_cpe"], marker_color=PLANNED)
    house(figure).update_layout(title=t("results_chart_cpe"), barmode="group",
                                yaxis_title=f"{t('field_cpe')} ({currency})", yaxis_tickformat=",.0f",
                                legend_orientation="h", margin={"t": 60, "b": 40})
    return figure


def shares_by_tier(summary: pd.DataFrame, t: Callable[..., str], fees: bool = True) -> go.Figure:
    """Each tier's share of all engagements and of all fees (the `all`-platform rows of `tier_summary`);
    engagements alone when `fees` is False (a client's link that hides fees)."""
    overall = summary[summary["platform"] == "all"]
    names = _tier_names(overall["tier"], t)
    figure = go.Figure()
    shown = (("engagements", "field_post_engagements", ENGAGEMENTS), ("fees", "field_fees", FEES))[:2 if fees else 1]
    for column, label, colour in shown:
        total = overall[column].sum()
        figure.add_bar(name=t(label), x=names, y=overall[column] / total if total > 0 else overall[column] * 0,
                       marker_color=colour)
    house(figure).update_layout(title=t("results_chart_shares") if fees else t("results_chart_engagement_shares"),
                                barmode="group", yaxis_tickformat=".0%", legend_orientation="h",
                                margin={"t": 60, "b": 40})
    return figure


def best_and_worst(posts: pd.DataFrame, t: Callable[..., str], count: int = 5) -> go.Figure:
    """The posts with the most and the fewest engagements (ok posts with engagements): `count` of each, or
    half the posts each when there are fewer than twice `count` (a post is never both)."""
    measured = posts[(posts["status"] == "ok") & posts["engagements"].notna()].sort_values("engagements")
    each = max(min(count, len(measured) // 2), 1)
    fewest = measured.head(each) if len(measured) > 1 else measured.iloc[0:0]
    figure = go.Figure()
    for part, label, colour in ((fewest, "results_fewest", WORST), (measured.tail(each), "results_most", BEST)):
        who = ("@" + part["handle"].astype("object")).where(part["handle"].notna(), part["name"]).fillna("")
        figure.add_bar(x=part["engagements"], y=who.astype(str) + " · " + t("results_row") + " "
                       + part["source_row"].astype(str), orientation="h", name=t(label), marker_color=colour)
    shown = len(fewest) + min(len(measured), each)
    house(figure).update_layout(title=t("results_chart_posts"), xaxis_title=t("field_post_engagements"),
                                legend_orientation="h", legend_traceorder="reversed", margin={"t": 60, "b": 40},
                                height=160 + 28 * shown)
    return figure


WORKBOOK_POSTS = ("source_row", "platform", "handle", "name", "post_link", "post_date", "format", "tier", "followers",
                  "views", "reach", "impressions", "likes", "comments", "shares", "saves", "clicks", "engagements",
                  "er_followers", "er_views", "fee", "emv", "conversions", "voucher", "revenue", "matched_by")
WORKBOOK_TIERS = ("tier", "platform", "creators", "posts", "views", "reach", "engagements", "er_followers",
                  "er_views", "fees", "cpe", "cpv", "cpm", "conversions", "cost_per_conversion", "revenue", "roas",
                  "emv", "emv_roi")


def results_sheets(campaign, t: Callable[..., str]) -> dict[str, pd.DataFrame]:
    """The workbook's sheets of a campaign: its posts (one row per post read) and its figures per tier and
    platform (then per tier, platform 'all'), the columns the sheet has, numbers as numbers."""
    def named(frame: pd.DataFrame) -> pd.Series:
        return frame["tier"].astype("object").where(frame["tier"].notna(), t("results_no_tier"))

    posts = campaign.figures[campaign.figures["status"] == "ok"]
    posts = posts.assign(tier=named(posts))
    summary = campaign.summary.assign(platform=campaign.summary["platform"].replace({"all": t("results_all")}),
                                      tier=named(campaign.summary))

    def kept(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
        shown = [c for c in columns if c in ("tier", "platform") or frame[c].notna().any()]
        return frame[shown].rename(columns=LABELS)

    return {t("sheet_posts"): kept(posts, WORKBOOK_POSTS), t("sheet_results_tiers"): kept(summary, WORKBOOK_TIERS)}

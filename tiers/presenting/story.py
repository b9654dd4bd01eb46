"""The client story, computed once and rendered three ways (presentation page, PPTX deck, HTML report).

Each section has a title, a one-line takeaway computed from the data (never boilerplate), and a
figure; then come the shortlist and the method and sources. Branding (brand, agency, accent colour,
logo) and language are inputs, so every rendering says the same thing in the same words.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from tiers.analysis.changes import CHANGE_FLAGS, change_summary, tier_flow
from tiers.analysis.creators import by_creator
from tiers.analysis.engagement import NormSet
from tiers.analysis.filters import row_keys
from tiers.analysis.flags import flag_text
from tiers.analysis.ratecard import get_ratecard
from tiers.analysis.schemes import TierScheme
from tiers.analysis.tradeoffs import tier_summary
from tiers.presenting import charts, results_charts
from tiers.presenting.i18n import (
    format_count,
    format_date,
    format_money,
    format_percent,
    format_units,
    translator,
)
from tiers.presenting.messages import N_
from tiers.presenting.palette import legible
from tiers.reading.columns import PLATFORM_OF_ALL
from tiers.reading.roster import Roster

SHORTLIST_SUGGESTED = 10


@dataclass(frozen=True)
class Branding:
    brand: str = ""  # none: the title names no brand (never a placeholder)
    agency: str = ""
    accent: str = "#219ebc"
    logo: bytes | None = None


@dataclass
class Section:
    key: str
    title: str
    takeaway: str  # without data for the chart: the sentence that says so
    figure: go.Figure | None  # None: nothing to draw, and no empty chart is drawn
    table: pd.DataFrame | None = None  # display columns, labels in the story's language


@dataclass(frozen=True)
class Comparison:
    """Two rosters of the same creators compared (tiers.analysis.changes.compare_snapshots)."""

    accounts: pd.DataFrame
    since: dt.date
    until: dt.date


NOTABLE_ACCOUNTS = 12
COST_COLUMNS = ("fee", "cpe", "cpm", "cost_per_follower")  # left out of a client's link that hides fees


@dataclass
class Story:
    title: str
    subtitle: str
    headlines: list[tuple[str, str]]
    sections: list[Section]
    shortlist: pd.DataFrame  # display columns, labels in the story's language
    shortlist_note: str
    method: list[str]
    branding: Branding
    lang: str
    extras: dict = field(default_factory=dict)


def apply_brand(fig: go.Figure, accent: str) -> go.Figure:
    """The brand's accent on the chart's title. The series keep the fixed palette (palette.py), so creators,
    followers, engagements, a platform or a tier look the same on every page, in the deck and in the report."""
    return fig.update_layout(title_font_color=legible(accent))


def shortlist_rows(creators: pd.DataFrame, shortlist_keys: list[str] | None) -> tuple[pd.DataFrame, str]:
    """The shortlist every deliverable shows: the chosen creators in their order, else the suggested ones
    (with the i18n key of the note saying how they were picked; '' for a chosen list)."""
    if shortlist_keys:
        keys = row_keys(creators)
        order = {key: i for i, key in enumerate(shortlist_keys)}
        picked = creators[keys.isin(order)]
        return picked.iloc[np.argsort(keys[keys.isin(order)].map(order).to_numpy(), kind="stable")], ""
    return suggested_shortlist(creators)


def suggested_shortlist(creators: pd.DataFrame, n: int = SHORTLIST_SUGGESTED) -> tuple[pd.DataFrame, str]:
    """The n creators to suggest when the user chose none, and the i18n key of the note saying how:
    lowest cost per engagement among those within or above their norm; by ER percentile when the
    roster has no fees; by reach when no creator can be compared with a norm."""
    good = creators["verdict"].isin(["within", "above"])  # ranked by one column: no copy of the wide frame
    if not good.any():
        return creators.loc[creators["reach"].nlargest(n).index], "shortlist_suggested_reach"
    if creators.loc[good, "cpe"].notna().any():
        return creators.loc[creators.loc[good, "cpe"].nsmallest(n).index], "shortlist_suggested"
    return creators.loc[creators.loc[good, "er_percentile"].nlargest(n).index], "shortlist_suggested_er"


def _tier_takeaway(summary: pd.DataFrame, t, lang: str) -> str:
    present = summary[summary["creators"] > 0]
    if len(present) == 1:
        return t("takeaway_tiers_single", count=format_count(present["creators"].iloc[0], lang),
                 tier=t(f"tier_{present['tier'].iloc[0]}"))
    share_eng = summary["expected_engagements"] / summary["expected_engagements"].sum()
    if summary["fees"].sum() > 0:
        share_base, what = summary["fees"] / summary["fees"].sum(), t("takeaway_what_budget")
    else:
        share_base, what = summary["creators"] / summary["creators"].sum(), t("takeaway_what_creators")
    if not share_eng.notna().any():  # no engagement data at all: say how the creators split
        biggest = int(np.argmax(summary["creators"].to_numpy()))
        return t("takeaway_tiers_count", tier=t(f"tier_{summary['tier'].iloc[biggest]}"),
                 share=format_percent(summary["creators"].iloc[biggest] / summary["creators"].sum(), lang))
    ratio = (share_eng / share_base.where(share_base > 0)).fillna(-1)
    best = int(np.argmax(ratio.to_numpy()))
    return t("takeaway_tiers", tier=t(f"tier_{summary['tier'].iloc[best]}"),
             engagements=format_percent(share_eng.iloc[best], lang),
             share=format_percent(share_base.iloc[best], lang), what=what)


def _engagement_takeaway(creators: pd.DataFrame, t, lang: str) -> str:
    rated = creators[creators["verdict"].isin(["below", "within", "above"])]
    if rated.empty:
        return t("takeaway_engagement_none")
    above = rated["verdict"].eq("above")
    by_tier = above.groupby(rated["tier"], observed=True).mean()
    best = by_tier.idxmax()
    return t("takeaway_engagement", above=format_count(above.sum(), lang), total=format_count(len(rated), lang),
             best=t(f"tier_{best}"), best_share=format_percent(by_tier.max(), lang))


def _tradeoff_takeaway(summary: pd.DataFrame, t, lang: str) -> str:
    rated = summary.dropna(subset=["median_er"])
    rated = rated[rated["creators"] > 0]
    if rated.empty:
        return t("takeaway_engagement_none")
    small, large = rated.iloc[0], rated.iloc[-1]
    if len(rated) == 1:
        return t("takeaway_tradeoffs_single", er=format_percent(small["median_er"], lang),
                 tier=t(f"tier_{small['tier']}"))
    key = "takeaway_tradeoffs" if large["median_er"] <= small["median_er"] else "takeaway_tradeoffs_rises"
    return t(key, small=format_percent(small["median_er"], lang), small_tier=t(f"tier_{small['tier']}"),
             large=format_percent(large["median_er"], lang), large_tier=t(f"tier_{large['tier']}"))


def _cost_takeaway(summary: pd.DataFrame, t, lang: str, currency: str) -> str:
    per_million = summary.set_index("tier")["engagements_per_million"].dropna()
    best, worst = per_million.idxmax(), per_million.idxmin()
    if best == worst:
        return t("takeaway_cost_single", money=format_money(1_000_000, currency, lang),
                 best=format_count(per_million.max(), lang), best_tier=t(f"tier_{best}"))
    return t("takeaway_cost", money=format_money(1_000_000, currency, lang),
             best=format_count(per_million.max(), lang), best_tier=t(f"tier_{best}"),
             worst=format_count(per_million.min(), lang), worst_tier=t(f"tier_{worst}"))


def changes_takeaway(accounts: pd.DataFrame, since: dt.date, t, lang: str) -> str:
    """What changed, in one paragraph: accounts kept, new and dropped, reach, growth, tier moves, flags."""
    totals = change_summary(accounts)
    before, after = totals["followers_before"], totals["followers_after"]
    change = after / before - 1 if before else float("nan")
    return t("takeaway_changes", since=format_date(since, lang), kept=format_count(totals["kept"], lang),
             new=format_count(totals["new"], lang), dropped=format_count(totals["dropped"], lang),
             before=format_count(before, lang), after=format_count(after, lang),
             change=format_percent(change, lang, signed=True),
             median=format_percent(totals["median_growth"], lang, signed=True),
             up=format_count(totals["moved_up"], lang), down=format_count(totals["moved_down"], lang),
             flagged=format_count(totals["flagged"], lang))


def notable_accounts(accounts: pd.DataFrame, lang: str, limit: int = NOTABLE_ACCOUNTS) -> pd.DataFrame:
    """The accounts a client asks about first: flagged ones, then the biggest movers either way."""
    kept = accounts[accounts["change"] == "kept"]
    flagged = kept[list(CHANGE_FLAGS)].any(axis=1)
    order = kept.assign(_flagged=flagged, _size=kept["growth"].abs()).sort_values(
        ["_flagged", "_size"], ascending=False, kind="stable").head(limit)
    order = order.assign(flag=flag_text(order[list(CHANGE_FLAGS)], lang), name=display_name(order))
    return order[["name", "platform", "followers_before", "followers_after", "growth", "tier_before", "tier_after",
                  "flag"]]


def display_name(accounts: pd.DataFrame) -> pd.Series:
    """Who an account is, for a client: its name, else its @handle (a profile link pasted as the name is not a
    name)."""
    name = accounts["name"].astype("object")
    usable = name.notna() & ~name.astype("str").str.contains(r"://|^www\.|\.com/", case=False, regex=True)
    return name.where(usable, ("@" + accounts["handle"].astype("object")).where(accounts["handle"].notna(), name))


def changes_section(comparison: Comparison, scheme: TierScheme, t, lang: str) -> Section:
    """'What changed since <date>': the takeaway, the tier flow of every platform, the notable accounts."""
    since, until = format_date(comparison.since, lang), format_date(comparison.until, lang)
    figure = charts.tier_flow_figure(tier_flow(comparison.accounts), scheme, t, since, until)
    return Section("changes", t("section_changes", since=since),
                   changes_takeaway(comparison.accounts, comparison.since, t, lang), figure,
                   notable_accounts(comparison.accounts, lang))


RESULT_TIER_COLUMNS = ("tier", "creators", "posts", "views", "engagements", "er_followers", "er_views", "fees",
                       "cpe", "emv")  # the Campaign results section's table, per tier (CPM and more: the workbook)
RESULT_COST_COLUMNS = ("fees", "cpe", "cpv", "cpm", "cost_per_conversion", "roas", "emv_roi", "planned_fees",
                       "planned_cpe")  # left out of a client's link that hides fees
RESULT_VERDICTS = (N_("takeaway_results_below"), N_("takeaway_results_within"), N_("takeaway_results_above"))


def _shown_columns(frame: pd.DataFrame, columns, show_fees: bool) -> pd.DataFrame:
    """`columns` of `frame` that have a value, without the cost columns when fees are hidden."""
    kept = [c for c in columns if c in frame and (show_fees or c not in RESULT_COST_COLUMNS)]
    return frame[[c for c in kept if c == "tier" or frame[c].notna().any()]].rename(columns=results_charts.LABELS)


def _results_takeaway(overall: pd.DataFrame, t, lang: str, currency: str, show_fees: bool) -> str:
    totals = overall[["posts", "creators", "views", "engagements", "fees", "emv"]].sum(min_count=1)
    values = {"posts": format_count(totals["posts"], lang), "creators": format_count(totals["creators"], lang),
              "engagements": format_count(totals["engagements"], lang), "views": format_count(totals["views"], lang),
              "emv": format_money(totals["emv"], currency, lang)}
    if show_fees and pd.notna(totals["fees"]):
        line = t("takeaway_results", fees=format_money(totals["fees"], currency, lang), **values)
    else:
        line = t("takeaway_results_no_fees", **values)
    cpe = overall.dropna(subset=["cpe", "tier"]) if show_fees else overall.iloc[0:0]
    if len(cpe) > 1:
        best = cpe.loc[cpe["cpe"].idxmin()]
        line += " " + t("takeaway_results_best_cpe", tier=t(f"tier_{best['tier']}"),
                        cpe=format_money(best["cpe"], currency, lang))
    return line


def _delivery_takeaway(campaign, t, lang: str) -> str:
    """One clause per verdict naming its tiers and their ER ('ER within the norm band: Nano 9.2%, Mega 1.1%.'),
    then the engagements against the shortlist's forecast."""
    delivered = campaign.delivered
    said = []
    for verdict in ("below", "within", "above"):
        rated = delivered[delivered["verdict"] == verdict]
        if len(rated):
            tiers = ", ".join(f"{t(f'tier_{tier}')} {format_percent(er, lang)}"
                              for tier, er in zip(rated["tier"], rated["er"], strict=True))
            said.append(t(f"takeaway_results_{verdict}", tiers=tiers))
    planned = campaign.versus["planned_engagements"].sum(min_count=1)
    if campaign.planned and pd.notna(planned) and planned > 0:  # against what the shortlisted creators' posts drew
        figures = campaign.figures
        drew = figures.loc[figures["roster_row"].isin(campaign.chosen), "engagements"].sum()
        said.append(t("takeaway_results_plan", engagements=format_count(drew, lang),
                      planned=format_count(planned, lang), share=format_percent(drew / planned, lang)))
    return " ".join(said) or t("takeaway_results_no_norms")


def _posts_takeaway(figures: pd.DataFrame, t, lang: str) -> str:
    measured = figures[(figures["status"] == "ok") & figures["engagements"].notna()]
    best, worst = measured.loc[measured["engagements"].idxmax()], measured.loc[measured["engagements"].idxmin()]
    who = display_name(measured.loc[[best.name, worst.name]])
    return t("takeaway_results_posts", best=who.iloc[0], best_engagements=format_count(best["engagements"], lang),
             worst=who.iloc[1], worst_engagements=format_count(worst["engagements"], lang))


def results_sections(campaign, t, lang: str, show_fees: bool = True) -> list[Section]:
    """'Campaign results': what each tier delivered (its share of engagements and of fees, its figures), what
    it delivered against its norm band and the plan (CPE delivered and planned), and the best and worst posts.
    No sections for a campaign without a post read; no cost figure where fees are hidden."""
    overall = campaign.summary[campaign.summary["platform"] == "all"]
    if overall.empty or overall["posts"].sum() == 0:
        return []
    currency = campaign.currency
    no_tier = t("results_no_tier")
    named = overall.assign(tier=overall["tier"].astype("object").where(overall["tier"].notna(), no_tier))
    shares = results_charts.shares_by_tier(campaign.summary, t, fees=show_fees)
    sections = [Section("results", t("section_results"), _results_takeaway(overall, t, lang, currency, show_fees),
                        shares, _shown_columns(named, RESULT_TIER_COLUMNS, show_fees))]
    versus = campaign.delivered.rename(columns={"er": "er_vs_norm"}).merge(
        campaign.versus[["tier", "planned_engagements", "engagements", "engagements_vs_plan", "planned_cpe", "cpe"]]
        if campaign.planned else campaign.versus[["tier", "cpe"]], on="tier", how="outer")
    versus = versus[versus["verdict"].notna() | versus["er_vs_norm"].notna()] if "verdict" in versus else versus
    drawn = show_fees and campaign.versus["cpe"].notna().any()
    sections.append(Section("results_delivery", t("section_results_delivery"), _delivery_takeaway(campaign, t, lang),
                            results_charts.cpe_by_tier(campaign.versus, t, currency) if drawn else None,
                            _shown_columns(versus, ("tier", "er_vs_norm", "norm_low", "norm_high", "verdict",
                                                    "planned_engagements", "engagements", "engagements_vs_plan",
                                                    "planned_cpe", "cpe"), show_fees)))
    if campaign.figures["engagements"].notna().any():
        sections.append(Section("results_posts", t("section_results_posts"), _posts_takeaway(campaign.figures, t, lang),
                                results_charts.best_and_worst(campaign.figures, t)))
    return sections


def build_story(analysed: pd.DataFrame, roster: Roster, scheme: TierScheme, norms: NormSet,
                shortlist_keys: list[str] | None = None, lang: str = "en", branding: Branding = Branding(),
                today: dt.date | None = None, comparison: Comparison | None = None, show_fees: bool = True,
                shortlist_only: bool = False, campaign=None) -> Story:
    """Everything the client sees, from the analysed roster (see tiers.analysis.classify.analyse).

    For a client's link: `show_fees=False` leaves every fee and cost figure out (not merely hidden),
    and `shortlist_only` tells the story of the shortlisted creators alone. Given a `campaign`
    (tiers.analysis.results.Campaign), the story tells what the campaign delivered, after what changed."""
    t = translator(lang)
    creators = analysed[analysed["status"] == "ok"]
    if shortlist_only and shortlist_keys:
        creators = creators[row_keys(creators).isin(shortlist_keys)]
    if not show_fees:
        creators = creators.assign(**dict.fromkeys(COST_COLUMNS, np.nan), fee_estimated=False)
    currency = analysed.attrs.get("currency", "IDR")
    summary = tier_summary(creators, scheme.tier_ids)
    date = format_date(today or dt.date.today(), lang)

    headlines = [
        (t("headline_creators"), format_count(len(creators), lang)),
        (t("headline_followers"), format_count(creators["followers"].sum(), lang)),
        (t("headline_engagements"), format_count(creators["expected_engagements"].sum(min_count=1), lang)),
        (t("headline_median_er"), format_percent(creators["engagement_rate"].median(), lang)),
    ]
    compared = creators["er_vs_norm"].notna().any()
    rated = (creators["engagement_rate"] > 0).any()
    sections = [
        Section("tiers", t("section_tiers"), _tier_takeaway(summary, t, lang),
                charts.tier_share_figure(summary, scheme, t)),
        Section("engagement", t("section_engagement"), _engagement_takeaway(creators, t, lang),
                charts.er_norm_figure(creators, norms, t, lang) if compared else None),
        Section("tradeoffs", t("section_tradeoffs"), _tradeoff_takeaway(summary, t, lang),
                charts.tradeoff_figure(creators, scheme, t, lang, norms=norms, currency=currency) if rated
                else None),
    ]
    if show_fees:  # a client's link that hides fees has no cost section at all
        if (summary["engagements_per_million"] > 0).any():
            sections.append(Section("cost", t("section_cost"), _cost_takeaway(summary, t, lang, currency),
                                    charts.cost_figure(summary, scheme, t, currency)))
        else:
            sections.append(Section("cost", t("section_cost"), t("no_fees") if creators["fee"].isna().all()
                                    else t("takeaway_cost_none"), None))
    if comparison is not None:
        sections.append(changes_section(comparison, scheme, t, lang))
    if campaign is not None:
        sections.extend(results_sections(campaign, t, lang, show_fees))
    for section in sections:
        if section.figure is not None:
            apply_brand(section.figure, branding.accent)

    picked, note = shortlist_rows(creators, shortlist_keys)
    note = t(note) if note else ""
    picked = by_creator(picked)  # a person once, with each of their accounts under the name
    shown = ["handle", "name", "platform", "tier", "followers", "engagement_rate", "verdict", "expected_engagements"]
    shortlist = picked[[*shown, *(("fee", "fee_estimated") if show_fees else ())]].assign(
        name=picked["name"].where(picked["first_account"]))
    engagements = picked["expected_engagements"].sum(min_count=1)
    totals = {"count": format_count(picked["creator"].nunique(), lang),
              "reach": format_count(picked["reach"].sum(), lang),
              **({"engagements": format_count(engagements, lang)} if pd.notna(engagements) else {})}
    key = "takeaway_shortlist" if "engagements" in totals else "takeaway_shortlist_reach"  # none known: not said
    spend = picked["fee"].sum(min_count=1)
    shortlist_line = (t(key, spend=format_money(spend, currency, lang), **totals) if show_fees and pd.notna(spend)
                      else t(f"{key}_no_fees", **totals))

    card = get_ratecard()
    counts = roster.counts
    bounds = ", ".join(f"{t(f'tier_{tier}')} {scheme.bounds_label(tier)}" for tier in scheme.tier_ids)
    rows = (t("method_rows_shortlist", count=format_count(len(creators), lang)) if shortlist_only  # not the rest
            else t("method_rows", file=roster.file_name, read=format_count(counts["read"], lang),
                   ok=format_count(counts["ok"], lang), rejected=format_count(counts["rejected"], lang),
                   other=format_count(counts["blank"] + counts["total"], lang)))
    method = [
        rows,
        t("method_scheme", name=scheme.name, source=scheme.source, year=scheme.year, bounds=bounds),
        t("method_norms", name=norms.text("name", lang), source=norms.text("source", lang), year=norms.year,
          definition=norms.text("er_definition", lang)),
        t("method_er"),
    ]
    if show_fees:
        method.append(t("method_estimated", estimated=format_count(creators["fee_estimated"].sum(), lang),
                        total=format_count(creators["fee"].notna().sum(), lang), card=card.text("name", lang),
                        source=card.text("source", lang),
                        year=card.year))
    if PLATFORM_OF_ALL in roster.mapping:
        method.append(t("method_platform_of_all", platform=t(f"platform_{roster.mapping[PLATFORM_OF_ALL]}")))
    if roster.header_units:
        method.append(t("method_units", columns=format_units(roster.header_units, lang)))
    if campaign is not None and any(s.key == "results" for s in sections):
        emv_set = campaign.emv_set
        method.append(t("method_results", file=campaign.file_name, read=format_count(campaign.counts["read"], lang),
                        ok=format_count(campaign.counts["ok"], lang), name=emv_set.text("name", lang),
                        source=emv_set.text("source", lang), year=emv_set.year))
    title = t("deck_title", brand=branding.brand) if branding.brand.strip() else t("deck_title_plain")
    subtitle = (t("deck_subtitle", agency=branding.agency, date=date, scheme=scheme.name) if branding.agency.strip()
                else t("deck_subtitle_plain", date=date, scheme=scheme.name))
    return Story(title, subtitle,
                 headlines, sections, shortlist, note, method, branding, lang,
                 extras={"shortlist_line": shortlist_line, "currency": currency})

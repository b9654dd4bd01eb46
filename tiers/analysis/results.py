"""Campaign results: posts matched to the roster's accounts, figures per post, creator, tier and platform,
earned media value (an estimate, from a data file of unit values), and what was delivered against the
norm band of the chosen norm set and against the planner's forecast.

Definitions (the page writes them out; `DEFINITIONS` names their message keys):
- engagements = likes + comments + shares + saves (those the sheet has);
- ER by followers = engagements / followers, summed over the posts that have both;
- ER by views = engagements / views, summed over the posts that have both;
- fees = each package's fee once (a fee merged over a creator's posts is one package);
- CPE = fees / engagements; CPV = fees / views; CPM = fees / views x 1,000, reach standing in for the
  views a post lacks; cost per conversion = fees / conversions; ROAS = revenue / fees;
- EMV = sum of each action's count x its unit value (views per 1,000); ROI from EMV = (EMV - fees) / fees.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from tiers.analysis.changes import handle_keys
from tiers.analysis.engagement import INTERACTIONS, NormSet, norm_bands
from tiers.analysis.schemes import classify, get_scheme
from tiers.presenting.messages import N_
from tiers.reading.columns import name_keys, on_distinct
from tiers.reading.posts import Posts

EMV_DIR = Path(__file__).parents[1] / "emv"
DEFAULT_EMV = "tierscope_2026_idr"
EMV_ACTIONS = ("likes", "comments", "shares", "saves", "clicks", "views")
PER_THOUSAND = ("views",)
SUMS = ("posts", "views", "reach", "impressions", "likes", "comments", "shares", "saves", "engagements", "clicks",
        "conversions", "voucher", "revenue", "fees", "emv")
SUMMARY_COLUMNS = ("creators", *SUMS, "cpe", "cpv", "cpm", "er_followers", "er_views", "cost_per_conversion",
                   "roas", "emv_roi")
TIER_COLUMNS = ("tier", "platform", "creators", "posts", "views", "engagements", "fees", "cpe", "cpv", "cpm",
                "er_views", "emv")  # the CLI's TIERS.csv
DEFINITIONS = {  # figure -> the message key of its definition, as the page writes it
    "engagements": N_("results_def_engagements"), "er_followers": N_("results_def_er_followers"),
    "er_views": N_("results_def_er_views"), "fees": N_("results_def_fees"), "cpe": N_("results_def_cpe"),
    "cpv": N_("results_def_cpv"), "cpm": N_("results_def_cpm"),
    "cost_per_conversion": N_("results_def_cost_per_conversion"), "roas": N_("results_def_roas"),
    "emv": N_("results_def_emv"), "emv_roi": N_("results_def_emv_roi")}
_SEP = ":"


@dataclass(frozen=True)
class EmvSet:
    id: str
    name: str
    source: str
    year: int
    currency: str
    note: str
    values: pd.DataFrame  # platform, action, value (per action; per 1,000 for views)
    translations: dict = field(default_factory=dict)  # lang -> {"name", "source", "note"}, as a norm set's

    def text(self, what: str, lang: str) -> str:
        """The set's name, source or note in `lang` (its file's English where it gives none)."""
        return self.translations.get(lang, {}).get(what) or getattr(self, what)

    def to_dict(self) -> dict:
        return {"id": self.id, "name": self.name, "source": self.source, "year": self.year,
                "currency": self.currency, "note": self.note, "values": self.values.to_dict("records"),
                "translations": self.translations}


def validate_emv(data: dict, where: str) -> EmvSet:
    """An EmvSet from a dict shaped like the TOML files, or ValueError naming every problem."""
    values = pd.DataFrame(data.get("values", []), columns=["platform", "action", "value"])
    problems = [f"missing {key}" for key in ("id", "name", "source", "year", "currency") if key not in data]
    numbers = pd.to_numeric(values["value"], errors="coerce")
    if values.empty or numbers.isna().any() or (numbers < 0).any():
        problems.append("every value needs a number of 0 or more")
    unknown = sorted(set(values["action"]) - set(EMV_ACTIONS))
    if unknown:
        problems.append(f"unknown action(s) {', '.join(map(str, unknown))}; use {', '.join(EMV_ACTIONS)}")
    values["platform"] = values["platform"].astype(str).str.strip().str.lower()
    if values.duplicated(["platform", "action"]).any():
        problems.append("two values share a platform and action")
    if problems:
        raise ValueError(f"{where}: " + "; ".join(problems))
    values["value"] = numbers.astype(float)
    return EmvSet(data["id"], data["name"], data["source"], int(data["year"]), data["currency"],
                  data.get("note", ""), values.reset_index(drop=True), dict(data.get("translations", {})))


def emv_ids() -> list[str]:
    return sorted(path.stem for path in EMV_DIR.glob("*.toml"))


@cache
def get_emv(emv_id: str = DEFAULT_EMV) -> EmvSet:
    path = EMV_DIR / f"{emv_id}.toml"
    if emv_id not in emv_ids():
        raise KeyError(f"unknown EMV set '{emv_id}'; choose one of: {', '.join(emv_ids())}")
    return validate_emv(tomllib.loads(path.read_text(encoding="utf-8")), path.name)


def _keys(platform: pd.Series, handle: pd.Series, name: pd.Series) -> tuple[pd.Series, pd.Series]:
    platform = platform.astype("str")
    by_handle, by_name = on_distinct(handle, handle_keys), on_distinct(name, name_keys)  # repeated down posts
    return (platform + _SEP + by_handle).where(by_handle.notna()), (platform + _SEP + by_name).where(by_name.notna())


def _unique_map(keys: pd.Series) -> pd.Series:
    """key -> the one row holding it; a key several rows share answers nothing (never guessed)."""
    keys = keys.dropna()
    once = keys[~keys.duplicated(keep=False)]
    return pd.Series(once.index, index=once.to_numpy())


def match_posts(posts: pd.DataFrame, roster: pd.DataFrame | None = None) -> pd.DataFrame:
    """Posts with `account` (the account's key: platform and handle, else name), `roster_row` (the index of
    the roster row it matched, else NA) and `matched_by` (handle / name / NA). A post is matched by
    platform and handle, or by platform and name where the post or the roster account has no handle.
    Followers come from the sheet where it has them, else from the matched roster row; the roster's
    handle and name fill the post's missing ones."""
    out = posts.copy()
    by_handle, by_name = _keys(out["platform"], out["handle"], out["name"])
    out["account"] = by_handle.fillna(by_name)
    out["roster_row"] = pd.Series(pd.NA, index=out.index, dtype="Int64")
    out["matched_by"] = pd.Series(pd.NA, index=out.index, dtype="str")
    if roster is None or roster.empty:
        return out
    accounts = roster[roster["status"] == "ok"]
    roster_handle, roster_name = _keys(accounts["platform"], accounts["handle"], accounts["name"])
    found_by_handle = by_handle.map(_unique_map(roster_handle))
    candidate = by_name.map(_unique_map(roster_name))
    candidate_has_handle = candidate.map(accounts["handle"].notna()).fillna(False).astype(bool)
    found_by_name = candidate.where(found_by_handle.isna() & (out["handle"].isna() | ~candidate_has_handle))
    ok = (out["status"] == "ok").to_numpy()
    row = found_by_handle.fillna(found_by_name).where(ok)
    out["roster_row"] = pd.array(row, dtype="Int64")
    out["matched_by"] = pd.Series(np.where(found_by_handle.notna() & ok, "handle",
                                           np.where(found_by_name.notna() & ok, "name", None)),
                                  index=out.index, dtype="str")
    matched = row.notna().to_numpy()
    at = row[matched].astype("int64").to_numpy()
    for column in ("followers", "handle", "name"):
        filled = out[column].copy()
        filled[matched] = out.loc[matched, column].fillna(
            pd.Series(accounts.loc[at, column].to_numpy(), index=out.index[matched]))
        out[column] = filled
    out["account"] = ("roster" + _SEP + row.astype("Int64").astype("str")).where(matched, out["account"])
    return out


def emv(rows: pd.DataFrame, emv_set: EmvSet) -> pd.Series:
    """Each post's earned media value: every action's count x its unit value for the post's platform
    (the `all` value where the platform has none); NaN where the post has none of the counts."""
    codes, platforms = pd.factorize(rows["platform"].astype("str"))
    table = emv_set.values.pivot(index="platform", columns="action", values="value").reindex(
        columns=list(EMV_ACTIONS))
    fallback = table.loc["all"] if "all" in table.index else pd.Series(np.nan, index=table.columns)
    units = table.reindex(platforms).fillna(fallback).to_numpy()  # one row per platform of the sheet
    per = np.array([1000.0 if action in PER_THOUSAND else 1.0 for action in EMV_ACTIONS])
    counts = rows[list(EMV_ACTIONS)].to_numpy(dtype=float)
    parts = counts * units[codes] / per if len(platforms) else np.full(counts.shape, np.nan)
    total = np.nansum(parts, axis=1)
    return pd.Series(np.where(np.isnan(parts).all(axis=1), np.nan, total), index=rows.index)


def post_figures(posts: pd.DataFrame, scheme_id: str, emv_set: EmvSet | None = None) -> pd.DataFrame:
    """Matched posts plus `engagements`, `er_followers`, `er_views`, `tier` (from the post's followers
    under the scheme) and `emv`, for the ok posts (NaN for the others)."""
    out = posts.copy()
    ok = out["status"] == "ok"
    engagements = out[list(INTERACTIONS)].sum(axis=1, min_count=1).where(ok)
    out["engagements"] = engagements
    out["er_followers"] = engagements / out["followers"].where(out["followers"] > 0)
    out["er_views"] = engagements / out["views"].where(out["views"] > 0)
    out["tier"] = classify(out["followers"].where(ok), get_scheme(scheme_id))
    out["emv"] = emv(out, emv_set or get_emv()).where(ok)
    return out


def _ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    return numerator / denominator.where(denominator > 0)


def summarise(figures: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """SUMMARY_COLUMNS per group of `by` (e.g. ["tier"], ["tier", "platform"], ["account"]) over the ok posts.
    Fees count each package once, in the group of the package's first post."""
    ok = figures[figures["status"] == "ok"].assign(
        posts=1, reach_or_views=lambda f: f["views"].fillna(f["reach"]),
        both_followers=lambda f: f["followers"].where(f["engagements"].notna() & (f["followers"] > 0)),
        eng_followers=lambda f: f["engagements"].where(f["followers"] > 0),
        both_views=lambda f: f["views"].where(f["engagements"].notna() & (f["views"] > 0)),
        eng_views=lambda f: f["engagements"].where(f["views"] > 0))
    grouped = ok.groupby(by, observed=True, sort=True, dropna=False)
    sums = ["posts", "views", "reach", "impressions", "likes", "comments", "shares", "saves", "engagements",
            "clicks", "conversions", "voucher", "revenue", "emv", "reach_or_views", "both_followers",
            "eng_followers", "both_views", "eng_views"]
    out = grouped[sums].sum(min_count=1)
    out["posts"] = out["posts"].fillna(0).astype("int64")
    out["creators"] = grouped["account"].nunique()
    packages = ok.drop_duplicates("package")
    out["fees"] = packages.groupby(by, observed=True, sort=True, dropna=False)["package_fee"].sum(min_count=1)
    out["cpe"] = _ratio(out["fees"], out["engagements"])
    out["cpv"] = _ratio(out["fees"], out["views"])
    out["cpm"] = _ratio(out["fees"], out["reach_or_views"]) * 1000
    out["er_followers"] = _ratio(out["eng_followers"], out["both_followers"])
    out["er_views"] = _ratio(out["eng_views"], out["both_views"])
    out["cost_per_conversion"] = _ratio(out["fees"], out["conversions"])
    out["roas"] = _ratio(out["revenue"], out["fees"])
    out["emv_roi"] = _ratio(out["emv"] - out["fees"], out["fees"])
    return out[list(SUMMARY_COLUMNS)].reset_index()


def tier_summary(figures: pd.DataFrame) -> pd.DataFrame:
    """One row per tier and platform, then one per tier with platform `all` (and the posts without a
    follower count under tier NA), in the scheme's tier order."""
    by_platform = summarise(figures, ["tier", "platform"])
    overall = summarise(figures, ["tier"]).assign(platform="all")
    out = pd.concat([by_platform, overall], ignore_index=True)
    order = list(figures["tier"].cat.categories) if isinstance(figures["tier"].dtype, pd.CategoricalDtype) else []
    rank = out["tier"].map({tier: i for i, tier in enumerate(order)}).fillna(len(order))
    out = out.assign(_rank=rank, _all=out["platform"] == "all").sort_values(["_rank", "_all", "platform"],
                                                                            kind="stable")
    return out.drop(columns=["_rank", "_all"]).reset_index(drop=True)


def unmatched_posts(figures: pd.DataFrame) -> pd.DataFrame:
    """The ok posts that matched no roster account."""
    return figures[(figures["status"] == "ok") & figures["roster_row"].isna()]


def not_posted(roster: pd.DataFrame, figures: pd.DataFrame, shortlist: pd.Index | None = None) -> pd.DataFrame:
    """The roster's accounts (the shortlisted ones when a shortlist is given) that no post matched."""
    accounts = roster[roster["status"] == "ok"]
    if shortlist is not None:
        accounts = accounts[accounts.index.isin(shortlist)]
    posted = figures["roster_row"].dropna().astype("int64").unique()
    return accounts[~accounts.index.isin(posted)]


def versus_norms(figures: pd.DataFrame, norms: NormSet) -> pd.DataFrame:
    """Per tier: the ER delivered on the norm set's own definition (its components over its basis, summed
    over the posts having both), the band the norm set gives the tier's posts (median of their bands) and
    whether the tier delivered below, within or above it."""
    ok = figures[figures["status"] == "ok"]
    bands = norm_bands(ok, norms)
    numerator = ok[list(norms.components)].sum(axis=1, min_count=1)
    denominator = ok[norms.basis].where(numerator.notna() & (ok[norms.basis] > 0))
    frame = pd.DataFrame({"tier": ok["tier"], "numerator": numerator.where(denominator.notna()),
                          "denominator": denominator, **bands})
    grouped = frame.groupby("tier", observed=True, sort=True)
    out = grouped[["numerator", "denominator"]].sum(min_count=1)
    out["er"] = _ratio(out["numerator"], out["denominator"])
    out[["norm_low", "norm_high"]] = grouped[["norm_low", "norm_high"]].median()
    out["verdict"] = np.select(
        [out["er"].isna(), out["norm_low"].isna(), out["er"] < out["norm_low"], out["er"] > out["norm_high"]],
        ["no data", "no norm", "below", "above"], default="within")
    return out[["er", "norm_low", "norm_high", "verdict"]].reset_index()


def forecast_by_tier(analysed: pd.DataFrame, chosen: pd.Index) -> pd.DataFrame:
    """The plan per tier from the analysed roster's chosen rows (the shortlist or the planner's pick):
    creators, expected engagements and fees, and the CPE they imply."""
    plan = analysed[analysed.index.isin(chosen) & (analysed["status"] == "ok")]
    out = plan.groupby("tier", observed=True, sort=True).agg(
        planned_creators=("followers", "size"), planned_engagements=("expected_engagements", "sum"),
        planned_fees=("fee", "sum"))
    out["planned_cpe"] = _ratio(out["planned_fees"], out["planned_engagements"])
    return out.reset_index()


def versus_plan(summary: pd.DataFrame, forecast: pd.DataFrame) -> pd.DataFrame:
    """Each tier's delivered creators, engagements, fees and CPE (the `all`-platform rows of
    `tier_summary`) next to the forecast, with engagements delivered as a share of the forecast."""
    actual = summary[summary["platform"] == "all"][["tier", "creators", "engagements", "fees", "cpe"]]
    out = forecast.merge(actual, on="tier", how="outer")
    out["engagements_vs_plan"] = _ratio(out["engagements"], out["planned_engagements"])
    return out


POSTS_COLUMNS = ("source_row", "platform", "handle", "name", "followers", "tier", "views", "reach", "likes",
                 "comments", "shares", "saves", "clicks", "engagements", "fee", "status", "reason")
_COUNTS = ("followers", "views", "reach", "likes", "comments", "shares", "saves", "clicks", "engagements")


def posts_table(figures: pd.DataFrame) -> pd.DataFrame:
    """The `results` command's POSTS.csv: one row per data row of the sheet, in sheet order."""
    out = figures[list(POSTS_COLUMNS)].copy()
    for column in _COUNTS:
        out[column] = out[column].round().astype("Int64")
    out["fee"] = out["fee"].round(2)
    return out


def tiers_table(summary: pd.DataFrame) -> pd.DataFrame:
    """The `results` command's TIERS.csv: `tier_summary` cut to TIER_COLUMNS, ratios rounded."""
    out = summary[list(TIER_COLUMNS)].copy()
    for column in ("views", "engagements"):
        out[column] = out[column].round().astype("Int64")
    for column in ("fees", "cpe", "cpv", "cpm", "emv"):
        out[column] = out[column].round(4)
    out["er_views"] = out["er_views"].round(6)
    return out


@dataclass(frozen=True)
class Campaign:
    """A campaign's results against one analysed roster: every figure the page and the story show."""

    file_name: str
    counts: dict[str, int]  # of the sheet's rows (Posts.counts)
    packages: int  # merged blocks of an amount spanning several posts (Posts.packages)
    figures: pd.DataFrame  # post_figures of the matched posts
    summary: pd.DataFrame  # tier_summary
    delivered: pd.DataFrame  # versus_norms
    versus: pd.DataFrame  # versus_plan
    chosen: pd.Index  # the roster rows of the shortlist that gave the forecast (empty: no plan)
    currency: str
    emv_set: EmvSet

    @property
    def planned(self) -> bool:
        return not self.chosen.empty


def campaign(posts: Posts, analysed: pd.DataFrame, scheme_id: str, norms: NormSet, chosen: pd.Index,
             emv_set: EmvSet | None = None, only: pd.Index | None = None) -> Campaign:
    """A results sheet's posts matched to the analysed roster and summarised; `chosen`: the roster rows of the
    shortlist (the forecast); `only`: keep just the posts matched to these roster rows (a client's link to
    the shortlist alone)."""
    emv_set = emv_set or get_emv()
    figures = post_figures(match_posts(posts.rows, analysed), scheme_id, emv_set)
    if only is not None:
        figures = figures[figures["roster_row"].isin(only)]
    summary = tier_summary(figures)
    fee_currency = figures["fee_currency"].dropna()
    currency = str(fee_currency.mode().iloc[0]) if len(fee_currency) else analysed.attrs.get("currency", "IDR")
    return Campaign(posts.file_name, posts.counts, sum(posts.packages.values()), figures, summary,
                    versus_norms(figures, norms), versus_plan(summary, forecast_by_tier(analysed, chosen)), chosen,
                    currency, emv_set)

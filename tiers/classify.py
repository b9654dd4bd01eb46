"""Roster -> classified roster: tier, engagement against norms, reach, cost. One call, one frame.

This is the single place where the per-creator analysis is put together; the app, the CLI and the
exports all read its output.
"""

from __future__ import annotations

import pandas as pd

from tiers.engagement import DEFAULT_NORMS, NormSet, compare_to_norms, engagement_rates, get_norm_set
from tiers.flags import anomaly_flags, grades, percentile_in_group
from tiers.ratecard import fill_fees, get_ratecard
from tiers.roster import Roster
from tiers.schemes import DEFAULT_SCHEME, classify, get_scheme
from tiers.tradeoffs import cost_metrics, efficient_frontiers, expected_engagements, reach


def main_currency(rows: pd.DataFrame) -> str | None:
    currencies = rows["fee_currency"].dropna()
    return str(currencies.mode().iloc[0]) if not currencies.empty else None


def classify_roster(roster: Roster, scheme_id: str = DEFAULT_SCHEME) -> pd.DataFrame:
    """Every row of the roster with its tier and engagement rates (what the CLI writes).

    Rejected and non-creator rows stay in the frame with no tier or rate, so that every row read
    is accounted for; use `status == "ok"` for the creators.
    """
    rows = roster.rows.copy()
    ok = rows["status"] == "ok"
    rows["tier"] = classify(rows["followers"].where(ok), get_scheme(scheme_id))
    rows["engagement_rate_roster"] = rows["engagement_rate"]
    for column, values in engagement_rates(rows).items():
        rows[column] = values.where(ok)
    rows.attrs.update(scheme=scheme_id)
    return rows


def analyse(roster: Roster, scheme_id: str = DEFAULT_SCHEME, norms: str | NormSet = DEFAULT_NORMS,
            idr_per_unit: float | None = None) -> pd.DataFrame:
    """The classified roster plus each creator's norm band, verdict, grade, percentile and flags,
    reach and cost metrics. `norms` is a norm set id or a NormSet (a user's custom set)."""
    rows = classify_roster(roster, scheme_id)
    ok = rows["status"] == "ok"
    norms = get_norm_set(norms) if isinstance(norms, str) else norms

    currency = main_currency(rows[ok])
    other_currency = ok & rows["fee"].notna() & (rows["fee_currency"] != currency)
    rows.loc[other_currency, "warning"] = rows.loc[other_currency, "warning"].fillna(
        "fee in " + rows.loc[other_currency, "fee_currency"].astype("str")
        + f", the roster's main currency is {currency}: left out of cost figures")
    rows["fee"] = rows["fee"].where(~other_currency)
    filled = fill_fees(rows, get_ratecard(), currency or "IDR", idr_per_unit)
    rows["fee"] = filled["fee"].where(ok)
    rows["fee_estimated"] = filled["fee_estimated"] & ok

    rows = rows.join(compare_to_norms(rows, norms))
    rows["grade"] = grades(rows)
    rows["er_percentile"] = percentile_in_group(rows)
    rows = rows.join(anomaly_flags(rows).apply(lambda flag: flag & ok))
    rows["reach"] = reach(rows)
    rows["expected_engagements"] = expected_engagements(rows)
    rows = rows.join(cost_metrics(rows))
    rows = rows.join(efficient_frontiers(rows.where(ok)).apply(lambda front: front & ok))
    metric_cols = ["er_vs_norm", "norm_low", "norm_high", "reach", "expected_engagements", "cpe", "cpm",
                   "cost_per_follower"]
    rows[metric_cols] = rows[metric_cols].where(ok)
    rows[["verdict", "grade"]] = rows[["verdict", "grade"]].where(ok)
    rows.attrs.update(norms=norms.id, currency=currency or "IDR")
    return rows

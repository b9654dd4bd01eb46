"""Roster -> analysed roster: engagement against norms, reach, cost, then tiers. One frame.

This is the single place where the per-creator analysis is put together; the app, the CLI and the
exports all read its output. The work is split where the settings split it: `assess` depends on the
norm set (and the exchange rate for estimated fees) but not on the tier scheme, and `assign_tiers`
is the cheap scheme-dependent step, so switching scheme in the app does not redo the rest.
"""

from __future__ import annotations

import pandas as pd

from tiers.analysis.engagement import DEFAULT_NORMS, NormSet, compare_to_norms, engagement_rates, get_norm_set
from tiers.analysis.flags import anomaly_flags, grades, percentile_in_group
from tiers.analysis.ratecard import fill_fees, get_ratecard
from tiers.analysis.schemes import DEFAULT_SCHEME, classify, get_scheme
from tiers.analysis.tradeoffs import cost_metrics, efficient_frontiers, expected_engagements, reach
from tiers.reading.roster import Roster


def main_currency(rows: pd.DataFrame) -> str | None:
    currencies = rows["fee_currency"].dropna()
    return str(currencies.mode().iloc[0]) if not currencies.empty else None


def _with_rates(roster: Roster) -> pd.DataFrame:
    """The roster's rows plus the roster's own ER kept apart and the computed rates."""
    rows = roster.rows.copy(deep=False)  # copy-on-write: the roster itself is never changed
    ok = rows["status"] == "ok"
    rows["engagement_rate_roster"] = rows["engagement_rate"]
    for column, values in engagement_rates(rows).items():
        rows[column] = values.where(ok)
    return rows


def assign_tiers(rows: pd.DataFrame, scheme_id: str = DEFAULT_SCHEME) -> pd.DataFrame:
    """`tier` under the scheme (creators only) and, where rates were assessed, the ER percentile
    within tier and platform."""
    out = rows.copy(deep=False)
    ok = out["status"] == "ok"
    out["tier"] = classify(out["followers"].where(ok), get_scheme(scheme_id))
    if "er_vs_norm" in out:
        out["er_percentile"] = percentile_in_group(out)
    out.attrs = {**rows.attrs, "scheme": scheme_id}
    return out


def classify_roster(roster: Roster, scheme_id: str = DEFAULT_SCHEME) -> pd.DataFrame:
    """Every row of the roster with its tier and engagement rates (what the CLI writes).

    Rejected and non-creator rows stay in the frame with no tier or rate, so that every row read
    is accounted for; use `status == "ok"` for the creators.
    """
    return assign_tiers(_with_rates(roster), scheme_id)


def assess(roster: Roster, norms: str | NormSet = DEFAULT_NORMS, idr_per_unit: float | None = None) -> pd.DataFrame:
    """Everything that does not depend on the tier scheme: rates, norm band, verdict, grade, flags,
    fees (estimated where missing), reach, cost metrics and efficient frontiers."""
    rows = _with_rates(roster)
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


def analyse(roster: Roster, scheme_id: str = DEFAULT_SCHEME, norms: str | NormSet = DEFAULT_NORMS,
            idr_per_unit: float | None = None) -> pd.DataFrame:
    """The classified roster plus each creator's norm band, verdict, grade, percentile and flags,
    reach and cost metrics. `norms` is a norm set id or a NormSet (a user's custom set)."""
    return assign_tiers(assess(roster, norms, idr_per_unit), scheme_id)

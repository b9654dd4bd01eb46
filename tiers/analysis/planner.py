"""Budget planner: the set of creators that maximises expected engagements (or reach) for a budget.

A 0/1 integer programme solved exactly with scipy.optimize.milp (HiGHS), not a greedy guess:

    maximise    sum(value_i * x_i)
    subject to  sum(fee_i * x_i) <= budget
                min_t <= sum(x_i for i in tier t) <= max_t        (per tier, optional)
                min_p <= sum(x_i for i on platform p) <= max_p    (per platform, optional)
                x_i = 1 for creators that must be in, 0 for those that must be out,
                x_i = 0 where fee_i > max_share * budget, or the fee or value is unknown,
                x_i = x_j for two accounts of one creator, when whole creators are booked.

When no plan satisfies the constraints, each group of constraints is dropped in turn to find the
ones to relax, and the explanation names them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

import numpy as np
import pandas as pd

OBJECTIVES = ("expected_engagements", "reach")


@dataclass
class Constraints:
    budget: float
    objective: str = "expected_engagements"
    tier_min: dict[str, int] = field(default_factory=dict)
    tier_max: dict[str, int] = field(default_factory=dict)
    platform_min: dict[str, int] = field(default_factory=dict)
    platform_max: dict[str, int] = field(default_factory=dict)
    max_share: float | None = None  # of the budget, on any one creator
    must_include: list = field(default_factory=list)  # index labels of the creators frame
    must_exclude: list = field(default_factory=list)
    allowed_tiers: list[str] | None = None  # e.g. ["mega"] for the all-mega comparison
    by_creator: bool = False  # book people (all their accounts, fees summed), not single accounts


@dataclass
class Plan:
    status: str  # "optimal", "time limit" (best found), "infeasible"
    chosen: pd.Index
    total_fee: float
    total_value: float
    total_reach: float
    total_engagements: float
    message: str = ""
    relax: list[str] = field(default_factory=list)


def _rows(creators: pd.DataFrame, c: Constraints) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Creators the plan may use, with their lower and upper bounds (0/1)."""
    fee, value = creators["fee"], creators[c.objective]
    usable = (fee > 0) & (value >= 0)
    if c.allowed_tiers is not None:
        usable &= creators["tier"].isin(c.allowed_tiers)
    if c.max_share is not None:
        usable &= fee <= c.max_share * c.budget
    upper = usable.to_numpy(dtype=float)
    upper[creators.index.isin(c.must_exclude)] = 0
    lower = np.zeros(len(creators))
    lower[creators.index.isin(c.must_include)] = 1
    return creators, lower, upper


def _constraint_groups(creators: pd.DataFrame, c: Constraints) -> dict[str, tuple[np.ndarray, float, float]]:
    """name -> (row of coefficients, lower, upper), one entry per constraint, grouped by name prefix."""
    fee = creators["fee"].fillna(0).to_numpy()
    rows = {"budget": (fee, -np.inf, c.budget)}
    for column, minimum, maximum, label in (("tier", c.tier_min, c.tier_max, "tier"),
                                            ("platform", c.platform_min, c.platform_max, "platform")):
        for key in sorted(set(minimum) | set(maximum)):
            member = (creators[column] == key).to_numpy(dtype=float)
            rows[f"{label} {key}"] = (member, minimum.get(key, 0), maximum.get(key, np.inf))
    return rows


def _same_creator(creators: pd.DataFrame):  # -> scipy.optimize.LinearConstraint | None
    """x_first - x_other = 0 for every further account of a creator: a person is booked whole."""
    if "creator" not in creators:
        return None
    position = pd.Series(np.arange(len(creators)))
    first = position.groupby(pd.factorize(creators["creator"])[0]).transform("first").to_numpy()
    others = np.flatnonzero(first != position.to_numpy())
    if others.size == 0:
        return None
    rows = np.repeat(np.arange(others.size), 2)
    columns = np.column_stack([first[others], others]).ravel()
    values = np.tile([1.0, -1.0], others.size)
    from scipy import sparse
    from scipy.optimize import LinearConstraint

    return LinearConstraint(sparse.csr_array((values, (rows, columns)), shape=(others.size, len(creators))), 0, 0)


def _solve(creators: pd.DataFrame, c: Constraints, lower: np.ndarray, upper: np.ndarray,
           groups: dict, time_limit: float) -> tuple[str, np.ndarray | None]:
    from scipy.optimize import Bounds, LinearConstraint, milp  # here: scipy takes a second to import at start-up

    if (lower > upper).any():
        return "infeasible", None
    value = creators[c.objective].fillna(0).to_numpy(dtype=float)
    constraints = [LinearConstraint(np.vstack([row for row, _, _ in groups.values()]),
                                    [lo for _, lo, _ in groups.values()], [hi for _, _, hi in groups.values()])]
    whole = _same_creator(creators) if c.by_creator else None
    if whole is not None:
        constraints.append(whole)
    result = milp(-value, integrality=np.ones(len(value)), bounds=Bounds(lower, upper), constraints=constraints,
                  options={"time_limit": time_limit, "mip_rel_gap": 1e-6})
    if result.x is None:
        return ("infeasible" if result.status == 2 else "time limit"), None
    status = "optimal" if result.status == 0 else "time limit"
    return status, np.round(result.x).astype(bool)


def _what_to_relax(creators, c, lower, upper, groups) -> list[str]:
    """Constraint groups whose removal alone makes the plan feasible."""
    names = ["must include"] + sorted({name.split(" ")[0] for name in groups})  # "tier nano" -> "tier"
    culprits = []
    for name in names:
        if name == "must include":
            status, _ = _solve(creators, c, np.zeros_like(lower), upper, groups, 5)
        else:
            kept = {k: v for k, v in groups.items() if not (k == name or k.startswith(name + " "))}
            if not kept:
                kept = {"none": (np.zeros(len(creators)), -np.inf, np.inf)}
            status, _ = _solve(creators, c, lower, upper, kept, 5)
        if status != "infeasible":
            culprits.append(name)
    return culprits


def plan_budget(creators: pd.DataFrame, c: Constraints, time_limit: float = 20.0) -> Plan:
    """The best set of creators under the constraints (creators: analysed rows with fee, tier,
    platform, reach and expected_engagements; index labels identify creators)."""
    if c.objective not in OBJECTIVES:
        raise ValueError(f"objective must be one of {OBJECTIVES}")
    if not c.budget or c.budget <= 0:
        return Plan("infeasible", creators.index[:0], 0, 0, 0, 0, "The budget must be more than zero.", ["budget"])
    creators, lower, upper = _rows(creators, c)
    groups = _constraint_groups(creators, c)
    status, x = _solve(creators, c, lower, upper, groups, time_limit)
    if x is None:
        relax = _what_to_relax(creators, c, lower, upper, groups) if status == "infeasible" else []
        return Plan(status, creators.index[:0], 0, 0, 0, 0, "", relax)
    chosen = creators.index[x]
    picked = creators.loc[chosen]
    return Plan(status, chosen, float(picked["fee"].sum()), float(picked[c.objective].sum()),
                float(picked["reach"].sum()), float(picked["expected_engagements"].sum()))


def compare_plans(creators: pd.DataFrame, c: Constraints, time_limit: float = 20.0) -> dict[str, Plan]:
    """For the same budget and objective: the optimal mix, the best all-mega and the best all-nano plan.

    The single-tier plans keep only the budget, the share cap and the exclusions: tier and platform
    quotas would make them infeasible by construction.
    """
    plain = Constraints(budget=c.budget, objective=c.objective, max_share=c.max_share,
                        must_exclude=list(c.must_exclude))  # single accounts: a person rarely has one tier
    return {
        "mix": plan_budget(creators, c, time_limit),
        "mega": plan_budget(creators, Constraints(**{**plain.__dict__, "allowed_tiers": ["mega"]}), time_limit),
        "nano": plan_budget(creators, Constraints(**{**plain.__dict__, "allowed_tiers": ["nano"]}), time_limit),
    }


def constraints_to_dict(c: Constraints, keys: pd.Series) -> dict:
    """The planner's inputs as saved with an analysis: creators named by their row keys (`keys`, indexed
    like the creators frame), which survive re-reading the roster, rather than by frame labels."""
    saved = {f.name: getattr(c, f.name) for f in fields(c) if f.name != "allowed_tiers"}
    for name in ("must_include", "must_exclude"):
        saved[name] = keys.loc[list(saved[name])].tolist()
    return saved


def constraints_from_dict(saved: dict, keys: pd.Series) -> Constraints | None:
    """The saved planner inputs (see `constraints_to_dict`) for these creators; None when none were saved.
    Creators no longer in the frame (filtered out, or rows since rejected) are left out."""
    if not saved or "budget" not in saved:
        return None
    labels = pd.Series(keys.index, index=keys.to_numpy())
    known = {f.name for f in fields(Constraints)} - {"allowed_tiers"}
    values = {name: value for name, value in saved.items() if name in known}
    for name in ("must_include", "must_exclude"):
        values[name] = labels.reindex(values.get(name, [])).dropna().astype(labels.dtype).tolist()
    return Constraints(**values)

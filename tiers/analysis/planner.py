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


def _never_needed(creators: pd.DataFrame, c: Constraints, lower: np.ndarray, upper: np.ndarray) -> np.ndarray:
    """Accounts no optimal plan needs, so the solver never sees them: of the accounts of one tier and platform
    that share a fee, a plan holds at most budget // fee, and any one below the best that many (by the value
    planned for) could be swapped for a better one the plan left out, at the same fee and under the same
    quotas. Exact, and it is what lets a rate card's fees (thousands of accounts sharing a dozen fees) solve at
    once: HiGHS otherwise branches on their symmetry and meets its time limit. Accounts that must be in, and
    the accounts of a creator booked whole, are always kept."""
    fee = creators["fee"]
    free = (upper > 0) & (lower == 0)
    if c.by_creator and "creator" in creators:
        free &= ~creators["creator"].duplicated(keep=False).to_numpy()
    rank = creators[c.objective].where(free).groupby([creators["tier"], creators["platform"], fee]).rank(
        method="first", ascending=False)
    return (rank > np.floor(c.budget / fee)).to_numpy()


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


def _greedy(value: np.ndarray, matrix: np.ndarray, high: np.ndarray, start: np.ndarray, upper: np.ndarray,
            rounds: int = 50) -> np.ndarray:
    """A plan that keeps every upper limit (the budget first: row 0 of `matrix`): from `start`, add the
    accounts of the most value per rupiah that still fit, a run of them at a time."""
    chosen = start.copy()
    order = np.argsort(-value / np.maximum(matrix[0], 1e-12), kind="stable")
    order = order[(upper[order] > 0) & ~chosen[order]]
    for _ in range(rounds):
        room = high - matrix @ chosen
        order = order[~chosen[order] & (matrix[:, order] <= room[:, None] + 1e-9).all(axis=0)]
        if not order.size:
            break
        fits = (np.cumsum(matrix[:, order], axis=1) <= room[:, None] + 1e-9).all(axis=0)
        chosen[order[:fits.argmin() if not fits.all() else fits.size]] = True
    return chosen


def _settled(value: np.ndarray, matrix: np.ndarray, low: np.ndarray, high: np.ndarray, lower: np.ndarray,
             upper: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """(lower, upper, a good plan or None): the accounts the linear relaxation settles, fixed. Its bound, less
    what forcing an account in (or out) would cost it (the reduced cost), is the most any plan with that
    account in (out) can reach; when that is below a plan already in hand (filling the budget greedily from
    the relaxation's whole accounts), no optimal plan has it in (out). Exact, and the integer programme then
    sees only the accounts near the margin: a thousand of 10,000, solved in well under a second, where HiGHS
    alone met its time limit with a plan worse than the greedy one."""
    from scipy.optimize import linprog

    finite_high, finite_low = np.isfinite(high), np.isfinite(low)
    relaxed = linprog(-value, A_ub=np.vstack([matrix[finite_high], -matrix[finite_low]]),
                      b_ub=np.concatenate([high[finite_high], -low[finite_low]]),
                      bounds=np.column_stack([lower, upper]), method="highs")
    if relaxed.status != 0:
        return lower, upper, None
    plan = _greedy(value, matrix, high, (relaxed.x > 1 - 1e-9) & (upper > 0), upper)
    if (matrix @ plan < low - 1e-9).any() or (plan < lower).any():
        return lower, upper, None
    slack = -relaxed.fun - value @ plan + 1e-7 * max(1.0, abs(relaxed.fun))
    out = (relaxed.x < 1e-9) & (relaxed.lower.marginals > slack)
    into = (relaxed.x > 1 - 1e-9) & (-relaxed.upper.marginals > slack)
    return np.where(into, 1.0, lower), np.where(out, 0.0, upper), plan


def _solve(creators: pd.DataFrame, c: Constraints, lower: np.ndarray, upper: np.ndarray,
           groups: dict, time_limit: float) -> tuple[str, np.ndarray | None]:
    from scipy.optimize import Bounds, LinearConstraint, milp  # here: scipy takes a second to import at start-up

    if (lower > upper).any():
        return "infeasible", None
    value = creators[c.objective].fillna(0).to_numpy(dtype=float)
    matrix = np.vstack([row for row, _, _ in groups.values()])  # the budget first
    low = np.array([lo for _, lo, _ in groups.values()], dtype=float)
    high = np.array([hi for _, _, hi in groups.values()], dtype=float)
    if not len(value):  # no account can be in a plan: the empty plan, when the quotas allow it
        return ("optimal", np.zeros(0, dtype=bool)) if ((low <= 0) & (high >= 0)).all() else ("infeasible", None)
    constraints = [LinearConstraint(matrix, low, high)]
    whole = _same_creator(creators) if c.by_creator else None
    plan = None
    if whole is not None:
        constraints.append(whole)
    else:
        lower, upper, plan = _settled(value, matrix, low, high, lower, upper)
    result = milp(-value, integrality=np.ones(len(value)), bounds=Bounds(lower, upper), constraints=constraints,
                  options={"time_limit": time_limit, "mip_rel_gap": 1e-6})
    if result.x is None or result.status != 0:
        solved = None if result.x is None else np.round(result.x).astype(bool)
        if plan is not None and (solved is None or value @ plan > value @ solved):
            solved = plan
        return ("infeasible" if result.status == 2 else "time limit"), solved
    return "optimal", np.round(result.x).astype(bool)


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
    kept = ~_never_needed(creators, c, lower, upper)
    status, x = _solve(creators[kept], c, lower[kept], upper[kept],
                       {name: (row[kept], low, high) for name, (row, low, high) in groups.items()}, time_limit)
    if x is None:  # what to relax is asked of every account: without the budget, any may be needed
        relax = _what_to_relax(creators, c, lower, upper, groups) if status == "infeasible" else []
        return Plan(status, creators.index[:0], 0, 0, 0, 0, "", relax)
    chosen = creators.index[kept][x]
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

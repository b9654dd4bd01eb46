"""The budget planner against brute force, its explanations, the frontier and the rate card."""

import itertools
import time

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tiers.analysis.planner import Constraints, compare_plans, plan_budget
from tiers.analysis.ratecard import estimated_fees, fill_fees, get_ratecard
from tiers.analysis.tradeoffs import pareto_front

TIERS = ["nano", "micro", "macro", "mega"]


def roster(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "fee": rng.integers(1, 20, n) * 100_000.0,
        "expected_engagements": rng.integers(10, 5_000, n).astype(float),
        "reach": rng.integers(1_000, 200_000, n).astype(float),
        "tier": rng.choice(TIERS, n), "platform": rng.choice(["instagram", "tiktok"], n),
    }, index=[f"c{i}" for i in range(n)])


def brute_force(frame: pd.DataFrame, c: Constraints) -> float | None:
    best = None
    labels = list(frame.index)
    for size in range(len(labels) + 1):
        for combo in itertools.combinations(labels, size):
            picked = frame.loc[list(combo)]
            if picked["fee"].sum() > c.budget + 1e-6:
                continue
            if set(c.must_include) - set(combo) or set(c.must_exclude) & set(combo):
                continue
            if c.max_share is not None and (picked["fee"] > c.max_share * c.budget).any():
                continue
            counts_t, counts_p = picked["tier"].value_counts(), picked["platform"].value_counts()
            if any(counts_t.get(k, 0) < v for k, v in c.tier_min.items()):
                continue
            if any(counts_t.get(k, 0) > v for k, v in c.tier_max.items()):
                continue
            if any(counts_p.get(k, 0) < v for k, v in c.platform_min.items()):
                continue
            if any(counts_p.get(k, 0) > v for k, v in c.platform_max.items()):
                continue
            value = picked[c.objective].sum()
            best = value if best is None or value > best else best
    return best


@settings(max_examples=150, deadline=None, derandomize=True)  # the same examples every run
@example(seed=1, n=3, budget=2, objective="reach", tier_min=0, platform_max=1, share=None)  # no fee fits
@given(seed=st.integers(0, 10_000), n=st.integers(3, 10), budget=st.integers(2, 60),
       objective=st.sampled_from(["expected_engagements", "reach"]),
       tier_min=st.integers(0, 2), platform_max=st.integers(1, 6), share=st.sampled_from([None, 0.3, 0.6]))
def test_optimiser_matches_brute_force(seed, n, budget, objective, tier_min, platform_max, share):
    frame = roster(n, seed)
    c = Constraints(budget=budget * 100_000.0, objective=objective, tier_min={"nano": tier_min},
                    platform_max={"tiktok": platform_max}, max_share=share,
                    must_include=[frame.index[0]] if seed % 3 == 0 else [],
                    must_exclude=[frame.index[-1]] if seed % 2 == 0 else [])
    plan = plan_budget(frame, c)
    best = brute_force(frame, c)
    if best is None:
        assert plan.status == "infeasible"
    else:
        assert plan.status == "optimal"
        assert plan.total_value == pytest.approx(best)
        assert plan.total_fee <= c.budget + 1e-6


def test_infeasible_plans_name_the_constraint_to_relax():
    frame = roster(8, 1)
    too_many = Constraints(budget=50_000_000, tier_min={"mega": 99})
    plan = plan_budget(frame, too_many)
    assert plan.status == "infeasible" and plan.relax == ["tier"]
    expensive = Constraints(budget=100_000, must_include=list(frame.index[:3]))
    assert plan_budget(frame, expensive).relax == ["must include", "budget"]


def test_mega_nano_and_mix_side_by_side():
    frame = roster(40, 3)
    plans = compare_plans(frame, Constraints(budget=3_000_000))
    for key in ("mix", "mega", "nano"):
        assert plans[key].status == "optimal"
    assert set(frame.loc[plans["mega"].chosen, "tier"]) <= {"mega"}
    assert set(frame.loc[plans["nano"].chosen, "tier"]) <= {"nano"}
    assert plans["mix"].total_value >= max(plans["mega"].total_value, plans["nano"].total_value)


def test_five_thousand_creators_solve_in_a_few_seconds():
    frame = roster(5_000, 9)
    started = time.perf_counter()
    plan = plan_budget(frame, Constraints(budget=200_000_000, tier_min={"mega": 5}, platform_max={"tiktok": 300},
                                          max_share=0.05))
    assert plan.status == "optimal"
    assert time.perf_counter() - started < 15  # the issue asks for a few seconds; the margin absorbs CI noise


def test_pareto_front_on_a_hand_built_case():
    reach = pd.Series([100, 200, 300, 300, 50, np.nan])
    er = pd.Series([0.09, 0.05, 0.01, 0.02, 0.10, 0.5])
    # 300/0.02 beats 300/0.01; 50/0.10 is the best rate; nobody beats 200/0.05 on both.
    assert pareto_front(reach, er).tolist() == [True, True, False, True, True, False]


def test_rate_card_estimates_are_marked_and_converted():
    card = get_ratecard()
    frame = pd.DataFrame({"platform": ["instagram", "instagram", "tiktok", "tiktok"],
                          "followers": [5_000, 2_000_000, 20_000, 800_000], "fee": [np.nan, np.nan, 3e6, np.nan]})
    usd = estimated_fees(frame, card, "USD")
    # The geometric mean of the band, to three significant figures: sqrt(10 x 100) = 31.62...
    assert usd.iloc[0] == pytest.approx(31.6) and usd.iloc[1] == 10_000
    assert np.isnan(usd.iloc[3])  # no TikTok range past 500K
    filled = fill_fees(frame, card, "IDR", idr_per_unit=15_000)
    assert filled["fee"].iloc[0] == pytest.approx(474_000)  # sqrt(1000) x 15,000 = 474,341.6...
    assert filled["fee_estimated"].tolist() == [True, True, False, False]
    assert filled["fee"].iloc[2] == 3e6


def test_the_fast_frontier_equals_the_two_key_sort_on_ties_and_gaps():
    def by_two_keys(a, b):  # the definition: sort by a then b, descending; keep rows that raise the best b
        a, b = a.to_numpy(dtype=float), b.to_numpy(dtype=float)
        valid = np.flatnonzero(~np.isnan(a) & ~np.isnan(b))
        order = valid[np.lexsort((-b[valid], -a[valid]))]
        best = np.concatenate([[-np.inf], np.maximum.accumulate(b[order])[:-1]])
        front = np.zeros(len(a), dtype=bool)
        front[order] = b[order] > best
        return front

    rng = np.random.default_rng(3)
    for _ in range(300):
        n = int(rng.integers(1, 60))
        a = pd.Series(rng.integers(0, 6, n).astype(float)).mask(rng.random(n) < 0.1)
        b = pd.Series(rng.integers(0, 6, n).astype(float)).mask(rng.random(n) < 0.1)
        assert (pareto_front(a, b).to_numpy() == by_two_keys(a, b)).all()


def test_ten_thousand_accounts_priced_alike_get_the_optimal_mix():
    """A roster priced from a rate card: thousands of accounts share a few fees. HiGHS alone branched on their
    symmetry until its time limit and handed back a mix worse than the all-mega plan (which is one of the
    mixes it may choose). Within the planner's own time limit the mix is optimal and never worse than either
    single-tier plan (it now takes a second or two; before, each objective took its whole 20 s limit)."""
    frame = roster(10_000, 4)
    for objective in ("expected_engagements", "reach"):
        plans = compare_plans(frame, Constraints(budget=150_000_000, objective=objective))
        assert plans["mix"].status == "optimal"
        assert plans["mix"].total_value >= max(plans["mega"].total_value, plans["nano"].total_value)
        assert plans["mix"].total_fee <= 150_000_000

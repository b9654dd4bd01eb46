"""Tradeoffs: reach against engagement, what the money buys per tier, and the budget planner."""

import pandas as pd
import streamlit as st

from tiers.analysis.creators import by_creator, creator_counts
from tiers.analysis.filters import row_keys
from tiers.analysis.planner import OBJECTIVES, Constraints, constraints_from_dict, constraints_to_dict
from tiers.analysis.ratecard import get_ratecard
from tiers.analysis.tradeoffs import tier_summary
from tiers.presenting import charts
from tiers.presenting.i18n import format_amount, format_count, format_money, translator
from tiers.reading.columns import PLATFORMS
from tiers.reading.numbers import parse_count, parse_money
from ui.state import current, guard_entry, lang, made, plans, set_shortlist, shortlist
from ui.widgets import account_picker, chart, header, paged_table, require_creators

MAX_PLANNED = 20_000

guard_entry(__file__)
t = translator(lang())
ctx = current()
header("tradeoffs_title", ctx)
creators = require_creators(ctx)
currency = ctx.analysed.attrs.get("currency", "IDR")
card = get_ratecard()

chart(made(ctx, "tradeoff", lambda: charts.tradeoff_figure(creators, ctx.scheme, t, lang(), norms=ctx.norms,
                                                             currency=currency)), "tradeoff")
st.caption(t("expected_note"))

has_fee = creators["fee"].notna()
priced = int(has_fee.sum())
idr_per_unit = st.session_state.get("idr_per_unit") or card.idr_per_unit
st.caption(t("fees_note", roster=format_count((has_fee & ~creators["fee_estimated"]).sum(), lang()),
             estimated=format_count(creators["fee_estimated"].sum(), lang()), card=card.text("name", lang()),
             rate=format_count(idr_per_unit, lang()), currency=currency,
             card_currency=card.currency, missing=format_count(len(creators) - priced, lang())))
if currency == "IDR":
    with st.expander(t("fx_rate", currency=currency, card_currency=card.currency)):
        rate = st.number_input(t("fx_rate", currency=currency, card_currency=card.currency), min_value=1.0,
                               value=float(idr_per_unit), step=100.0)
        if rate != idr_per_unit:
            st.session_state["idr_per_unit"] = rate
            st.rerun()

if not priced:
    st.info(t("no_fees"))
    st.stop()

summary = made(ctx, "tier_summary", lambda: tier_summary(creators, ctx.scheme.tier_ids))
chart(made(ctx, "cost", lambda: charts.cost_figure(summary, ctx.scheme, t, currency)), "cost")
chart(made(ctx, "cpe_frontier", lambda: charts.cpe_frontier_figure(creators, t, currency, lang())), "cpe_frontier")
columns = ["tier", "creators", "creators_with_fee", "fees", "expected_engagements", "engagements_per_million",
           "reach_per_million", "cpe"]
paged_table(summary[columns], key="summary_page", ctx=ctx)

st.subheader(t("planner_title"))
st.caption(t("planner_help"))
if priced > MAX_PLANNED:  # counted first: a million priced creators are not copied to say so
    st.warning(t("planner_too_big", count=format_count(priced, lang()),
                 limit=format_count(MAX_PLANNED, lang())))
    st.stop()
candidates = made(ctx, "priced", lambda: creators[has_fee])
labels = dict(zip(candidates.index, candidates["handle"].fillna(candidates["name"]).fillna("").astype(str) + " · "
                  + candidates["platform"].map({p: t(f"platform_{p}") for p in PLATFORMS}), strict=True))
keys = row_keys(candidates)
saved = constraints_from_dict(st.session_state.get("planner", {}), keys)
platforms = sorted(candidates["platform"].unique())


def limits_table(values: list[str], prefix: str, low: dict, high: dict) -> pd.DataFrame:
    """A quota per tier or platform, by its display name: at least (a number), at most (blank: no limit)."""
    return pd.DataFrame({"name": [t(prefix + v) for v in values], "min": [int(low.get(v, 0)) for v in values],
                         "max": [format_count(high[v], lang()) if v in high else "" for v in values]})


def limits_editor(where, values: list[str], prefix: str, saved_limits: tuple[dict, dict], key: str) -> pd.DataFrame:
    config = {"name": st.column_config.TextColumn(t(f"field_{prefix.rstrip('_')}"), disabled=True),
              "min": st.column_config.NumberColumn(t("limit_min"), min_value=0, step=1, format="%d"),
              "max": st.column_config.TextColumn(t("limit_max"), help=t("limit_max_help"))}
    return where.data_editor(limits_table(values, prefix, *saved_limits), hide_index=True, key=key,
                             column_config=config)


with st.form("planner_form"):
    left, right = st.columns(2)
    default_budget = float(round(candidates["fee"].median() * 10, -5)) or 10_000_000.0
    budget_text = left.text_input(t("budget", currency=currency),
                                  format_amount(saved.budget if saved else default_budget, currency, lang()),
                                  help=t("budget_help"))
    objective = right.radio(t("objective"), OBJECTIVES, format_func=lambda o: t(f"objective_{o}"), horizontal=True,
                            index=OBJECTIVES.index(saved.objective) if saved else 0)
    share = left.slider(t("max_share"), 1, 100, round(saved.max_share * 100) if saved and saved.max_share else 100)
    limits_tier = limits_editor(right, ctx.scheme.tier_ids, "tier_",
                                (saved.tier_min, saved.tier_max) if saved else ({}, {}), "tier_limits")
    limits_platform = limits_editor(left, platforms, "platform_",
                                    (saved.platform_min, saved.platform_max) if saved else ({}, {}), "platform_limits")
    include = account_picker(right, t("must_include"), candidates, labels, saved.must_include if saved else [])
    exclude = account_picker(right, t("must_exclude"), candidates, labels, saved.must_exclude if saved else [])
    people = creator_counts(candidates)
    whole = people["several"] > 0 and left.radio(
        t("book_by"), [False, True], index=int(bool(saved and saved.by_creator)), horizontal=True,
        format_func=lambda by: t("book_creators", several=format_count(people["several"], lang())) if by
        else t("book_accounts"))
    submitted = st.form_submit_button(t("plan_button"), type="primary")


def limits(table: pd.DataFrame, codes: list[str], bound: str) -> dict:
    """{code: limit} of the edited rows (in the order of `codes`); a blank or unreadable 'at most' is no limit."""
    values = table[bound] if bound == "min" else parse_count(table[bound].fillna("").astype("str"))["value"]
    return {code: int(v) for code, v in zip(codes, values, strict=True) if pd.notna(v) and (bound == "max" or v > 0)}


budget = parse_money(pd.Series([budget_text]), currency)["value"].iloc[0]
if submitted and not budget >= 0:
    st.error(t("budget_unreadable", text=budget_text))
    submitted = False
if submitted:
    constraints = Constraints(
        budget=budget, objective=objective, max_share=None if share >= 100 else share / 100,
        tier_min=limits(limits_tier, ctx.scheme.tier_ids, "min"),
        tier_max=limits(limits_tier, ctx.scheme.tier_ids, "max"),
        platform_min=limits(limits_platform, platforms, "min"), platform_max=limits(limits_platform, platforms, "max"),
        must_include=include, must_exclude=exclude,
        by_creator=bool(whole))
    st.session_state["planner"] = constraints_to_dict(constraints, keys)  # saved with the analysis
else:
    constraints = saved
if constraints is not None:
    # Keyed on the candidates' content: filters, scheme, norms and exchange rate all change it.
    content = pd.util.hash_pandas_object(candidates[["fee", "expected_engagements", "reach", "tier", "platform",
                                                     "creator"]])
    result = plans(str(int(content.sum())), candidates, repr(constraints), constraints)
    mix = result["mix"]
    if mix.status == "infeasible":
        relax = ", ".join(t(f"relax_{name}") for name in mix.relax)
        st.error(t("plan_infeasible", relax=relax) if relax else t("plan_infeasible_unknown"))
    else:
        if mix.status == "time limit":
            st.warning(t("plan_time_limit"))
        st.success(t("plan_result", creators=format_count(len(mix.chosen), lang()),
                     fee=format_money(mix.total_fee, currency, lang()),
                     budget=format_money(constraints.budget, currency, lang()),
                     engagements=format_count(mix.total_engagements, lang()),
                     reach=format_count(mix.total_reach, lang())))
        chart(made(ctx, "plans", lambda: charts.plan_comparison_figure(result, t, constraints.objective),
                   repr(constraints)), "plans")
        chosen = candidates.loc[mix.chosen]
        paged_table(by_creator(chosen)[["handle", "name", "platform", "tier", "followers", "fee", "fee_estimated",
                                        "expected_engagements", "reach", "cpe"]], key="plan_page",
                    ctx=ctx, depends=(repr(constraints),))
        if st.button(t("use_plan")):
            set_shortlist(row_keys(chosen).tolist())

st.subheader(t("pick_title"))
st.caption(t("pick_help"))
table = creators[["handle", "platform", "tier", "followers", "engagement_rate", "fee", "fee_estimated", "cpe"]]
picked = paged_table(table, key="pick_page", ctx=ctx, select="pick_table")
buttons = st.columns(2)
if buttons[0].button(t("pick_add")) and picked:
    set_shortlist(shortlist() + row_keys(creators.loc[picked]).tolist())
if buttons[1].button(t("shortlist_clear")):
    set_shortlist([])
st.info(t("shortlist_saved", count=format_count(len(shortlist()), lang())))

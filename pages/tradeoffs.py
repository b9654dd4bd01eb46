"""Tradeoffs: reach against engagement, and what the money buys in each tier."""

import streamlit as st

from tiers import charts
from tiers.i18n import localise_labels, translator
from tiers.tradeoffs import tier_summary
from ui.state import current, guard_entry, lang
from ui.widgets import chart, header, require_creators

guard_entry()
t = translator(lang())
ctx = current()
header("tradeoffs_title", ctx)
creators = require_creators(ctx)

chart(charts.tradeoff_figure(creators, ctx.scheme, t, lang()), "tradeoff")
st.caption(t("expected_note"))
currency = ctx.analysed.attrs.get("currency")
if creators["fee"].notna().any() and currency:
    summary = tier_summary(creators, ctx.scheme.tier_ids)
    chart(charts.cost_figure(summary, ctx.scheme, t, currency), "cost")
    columns = ["tier", "creators", "creators_with_fee", "fees", "expected_engagements", "engagements_per_million",
               "reach_per_million", "cpe"]
    st.dataframe(localise_labels(summary[columns], t), hide_index=True, width="stretch")
else:
    st.info(t("no_fees"))

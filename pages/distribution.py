"""Tiers: how the roster splits into tiers by creators, followers and expected engagements."""

import streamlit as st

from tiers import charts
from tiers.i18n import localise_labels, translator
from tiers.tradeoffs import tier_summary
from ui.state import current, lang
from ui.widgets import chart, header, require_creators

t = translator(lang())
ctx = current()
header("tiers_title", ctx)
creators = require_creators(ctx)
summary = tier_summary(creators, ctx.scheme.tier_ids)

chart(charts.tier_share_figure(summary, ctx.scheme, t), "tier_share")
measure = st.segmented_control(t("measure"), ["creators", "followers", "expected_engagements"],
                               default="creators", format_func=lambda m: t(f"measure_{m}"), key="tiers_measure")
chart(charts.tier_platform_figure(creators, ctx.scheme, t, measure or "creators"), "tier_platform")

st.subheader(t("summary_title"))
columns = ["tier", "creators", "followers", "expected_engagements", "median_er"]
st.dataframe(localise_labels(summary[columns], t), hide_index=True, width="stretch",
             column_config={"median_er": st.column_config.NumberColumn("Median ER", format="percent")})

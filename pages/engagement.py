"""Engagement: each creator's engagement rate against the norm band for its size and platform."""

import streamlit as st

from tiers import charts
from tiers.i18n import translator
from ui.state import current, lang
from ui.widgets import chart, header, paged_table, require_creators

t = translator(lang())
ctx = current()
header("engagement_title", ctx)
creators = require_creators(ctx)

verdicts = creators["verdict"].value_counts()
st.markdown(t("verdict_counts", **{v: int(verdicts.get(v, 0)) for v in ("above", "within", "below")}))
chart(charts.er_norm_figure(creators, ctx.norms, t, lang()), "er_norm")
chart(charts.er_tier_figure(creators, ctx.scheme, ctx.norms, t), "er_tier")
if ctx.norms.note:
    st.caption(ctx.norms.note)

table = creators[["handle", "platform", "followers", "tier", "er_vs_norm", "norm_low", "norm_high", "verdict"]]
paged_table(table, key="engagement_page",
            column_config={c: st.column_config.NumberColumn(c, format="percent")
                            for c in ("er_vs_norm", "norm_low", "norm_high")})

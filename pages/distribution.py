"""Tiers: how the roster splits into tiers, how two schemes disagree, and the nano split."""

import numpy as np
import pandas as pd
import streamlit as st

from tiers.analysis.compare import scheme_crosstab, tier_changes
from tiers.analysis.filters import row_columns
from tiers.analysis.schemes import all_schemes
from tiers.analysis.tradeoffs import tier_summary
from tiers.presenting import charts
from tiers.presenting.i18n import column_name, crosstab_table, format_count, translator
from ui.state import current, guard_entry, lang, made, set_nano_tags
from ui.widgets import chart, header, paged_table, require_creators

UNTAGGED = "unknown"  # a nano creator not (yet) tagged native or non-native

guard_entry(__file__)
t = translator(lang())
ctx = current()
header("tiers_title", ctx)
creators = require_creators(ctx)
summary = made(ctx, "tier_summary", lambda: tier_summary(creators, ctx.scheme.tier_ids))

chart(made(ctx, "tier_share", lambda: charts.tier_share_figure(summary, ctx.scheme, t)), "tier_share")
measure = st.segmented_control(t("measure"), ["creators", "followers", "expected_engagements"],
                               default="creators", format_func=lambda m: t(f"measure_{m}"), key="tiers_measure")
chart(made(ctx, "tier_platform", lambda: charts.tier_platform_figure(creators, ctx.scheme, t, measure or "creators"),
           measure), "tier_platform")

st.subheader(t("summary_title"))
columns = ["tier", "creators", "followers", "expected_engagements", "median_er"]
paged_table(summary[columns], key="tier_summary", ctx=ctx)

st.subheader(t("compare_title"))
schemes = all_schemes()
others = [s for s in schemes if s != ctx.scheme.id]
left, right = st.columns(2)
other_id = left.selectbox(t("compare_with", scheme=ctx.scheme.name), others, format_func=lambda s: schemes[s].name,
                          index=others.index("shopee") if "shopee" in others else 0, key="compare_with")
platforms = sorted(creators["platform"].unique())
platform = right.selectbox(t("compare_platform"), [None, *platforms], key="compare_platform",
                           format_func=lambda p: t("compare_all") if p is None else t(f"platform_{p}"))
crosstab = made(ctx, "crosstab", lambda: scheme_crosstab(creators, ctx.scheme, schemes[other_id], platform), other_id,
                platform)
st.markdown(t("compare_changes", changed=format_count(tier_changes(crosstab), lang()),
              total=format_count(int(crosstab.to_numpy().sum()), lang())))
chart(made(ctx, "sankey", lambda: charts.scheme_sankey_figure(crosstab, ctx.scheme, schemes[other_id], t), other_id,
           platform), "sankey")
table = crosstab_table(crosstab, ctx.scheme, schemes[other_id], lang())
st.dataframe(table, hide_index=True, width="stretch",
             column_config={c: st.column_config.TextColumn(alignment="right") for c in table.columns[1:]})

st.subheader(t("nano_title"))
st.caption(t("nano_help"))
is_nano = (creators["tier"] == "nano").to_numpy()
if (is_nano & creators["nano_type"].notna().to_numpy()).any():
    chart(made(ctx, "nano_split", lambda: charts.nano_split_figure(creators, t)), "nano_split")
else:
    st.info(t("nano_untagged"))
with st.expander(t("nano_title")):
    fixed = [*row_columns(creators), "handle", "platform", "followers"]
    editable = creators.iloc[np.flatnonzero(is_nano)[:2_000]][[*fixed, "nano_type"]]  # not a copy of every nano
    platforms = sorted(editable["platform"].unique())
    edited = st.data_editor(
        editable.assign(followers=editable["followers"].map(lambda n: format_count(n, t.lang)),
                        nano_type=editable["nano_type"].fillna(UNTAGGED)), hide_index=True,
        disabled=fixed, key="nano_editor",
        column_config={**{c: column_name(c, t) for c in fixed},
                       "followers": st.column_config.TextColumn(t("field_followers"), alignment="right"),
                       "platform": st.column_config.SelectboxColumn(t("field_platform"), options=platforms,
                                                                    format_func=lambda p: t(f"platform_{p}")),
                       "nano_type": st.column_config.SelectboxColumn(
                           t("field_nano_type"), options=[UNTAGGED, "native", "non-native"], required=True,
                           format_func=lambda kind: t(f"nano_{kind.replace('-', '_')}"))})
    if st.button(t("nano_save")):
        set_nano_tags(pd.DataFrame(edited).replace({"nano_type": {UNTAGGED: None}}))
        st.rerun()

"""Engagement: each creator's engagement rate against the norm band for its size and platform."""

import pandas as pd
import streamlit as st

from tiers.analysis.engagement import validate_norms
from tiers.analysis.flags import FLAG_RULES, flag_text, rule_text, rules
from tiers.presenting import charts
from tiers.presenting.i18n import edited_texts, format_count, translator
from tiers.presenting.markdown import literal
from ui.state import CUSTOM_NORMS, current, guard_entry, lang, made
from ui.widgets import chart, header, paged_table, require_creators

guard_entry(__file__)
t = translator(lang())
ctx = current()
header("engagement_title", ctx)
creators = require_creators(ctx)

verdicts = creators["verdict"].value_counts()
st.markdown(t("verdict_counts", **{v: format_count(verdicts.get(v, 0), lang())
                                   for v in ("above", "within", "below")}))
if creators["er_vs_norm"].notna().any():
    chart(made(ctx, "er_norm", lambda: charts.er_norm_figure(creators, ctx.norms, t, lang())), "er_norm")
    chart(made(ctx, "er_tier", lambda: charts.er_tier_figure(creators, ctx.scheme, ctx.norms, t)), "er_tier")
else:
    st.info(t("takeaway_engagement_none"), icon=":material/info:")
st.caption(" ".join(filter(None, [literal(ctx.norms.text("note", lang())), t("norm_lookup")])))

st.subheader(t("flags_title"))
flags = creators[list(FLAG_RULES)]
flagged = flags.any(axis=1)
if flagged.any():
    st.markdown(t("flags_count", count=format_count(flagged.sum(), lang())))
    for rule in FLAG_RULES:
        st.caption(f"**{format_count(flags[rule].sum(), lang())}** — {rule_text(rule, lang())}")
else:
    st.success(t("flags_none"))

st.subheader(t("table_creators"))
st.caption(t("grades_rule", factor=rules()["grades"]["excellent_factor"]))
columns = ["handle", "platform", "followers", "tier", "engagement_rate_roster", "er_vs_norm", "norm_low", "norm_high",
           "verdict", "grade", "er_percentile"]
order = made(ctx, "engagement_order",  # narrow, then sort: once per analysis (a second at 1M rows), not every run
             lambda: creators[columns + list(FLAG_RULES)].sort_values("er_percentile", ascending=False))
paged_table(order, key="engagement_page", ctx=ctx,
            prepare=lambda page: page[columns].assign(flags=flag_text(page[list(FLAG_RULES)], lang())))

with st.expander(t("custom_title")):
    st.caption(t("custom_help"))
    base = ctx.norms
    edited = st.data_editor(base.bands, num_rows="dynamic", key=f"custom_bands_{base.id}", hide_index=True,
                            column_config={"platform": st.column_config.TextColumn(t("field_platform"), required=True),
                                           "min_followers": st.column_config.NumberColumn(t("band_from")),
                                           "low": st.column_config.NumberColumn(t("field_norm_low"),
                                                                                help=t("band_fraction")),
                                           "high": st.column_config.NumberColumn(t("field_norm_high"),
                                                                                 help=t("band_fraction"))})
    if st.button(t("custom_use")):
        try:
            custom = validate_norms({
                "id": CUSTOM_NORMS, "name": translator("en")("custom_name", base=base.name), "source": base.source,
                "year": base.year, "er_definition": base.er_definition, "basis": base.basis,
                "components": list(base.components), "note": "", "bands": pd.DataFrame(edited).to_dict("records"),
                "translations": edited_texts(base),
            }, t("custom_title"))
        except ValueError as error:
            st.error(t("custom_error", message=literal(error)))
        else:
            st.session_state["custom_norms"] = custom
            st.session_state["norms"] = CUSTOM_NORMS
            st.rerun()

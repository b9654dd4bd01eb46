"""Tierscope: the Streamlit entry point. Navigation, the sidebar settings and the roster upload."""

import streamlit as st

from tiers.engagement import DEFAULT_NORMS, all_norm_sets
from tiers.i18n import LANGUAGES, translator
from tiers.schemes import DEFAULT_SCHEME, all_schemes
from ui.state import lang
from ui.widgets import persistent

st.set_page_config(page_title="Tierscope", page_icon="📊", layout="wide")
t = translator(lang())

pages = st.navigation([
    st.Page("pages/roster.py", title=t("page_roster"), icon=":material/table_view:", url_path="roster",
            default=True),
    st.Page("pages/distribution.py", title=t("page_tiers"), icon=":material/stacked_bar_chart:", url_path="tiers"),
    st.Page("pages/engagement.py", title=t("page_engagement"), icon=":material/favorite:", url_path="engagement"),
    st.Page("pages/tradeoffs.py", title=t("page_tradeoffs"), icon=":material/scale:", url_path="tradeoffs"),
])

with st.sidebar:
    st.title(t("app_title"))
    st.caption(t("app_tagline"))
    schemes = all_schemes()
    scheme_id = persistent(st.selectbox, t("scheme"), list(schemes), "scheme", DEFAULT_SCHEME,
                           format_func=lambda s: schemes[s].name)
    st.caption(t("scheme_source", source=schemes[scheme_id].source, year=schemes[scheme_id].year))
    norm_sets = all_norm_sets()
    persistent(st.selectbox, t("norms"), list(norm_sets), "norms", DEFAULT_NORMS,
               format_func=lambda n: norm_sets[n].name)
    persistent(st.radio, t("language"), list(LANGUAGES), "lang", "en", format_func=LANGUAGES.get, horizontal=True)

pages.run()

"""Tierscope: the Streamlit entry point. Opens the analysis the URL names, navigation, the sidebar
settings, and saves the analysis after every run."""

import streamlit as st

from tiers.analysis.engagement import DEFAULT_NORMS
from tiers.analysis.schemes import DEFAULT_SCHEME, all_schemes
from tiers.presenting.i18n import LANGUAGES, translator
from tiers.presenting.markdown import literal
from ui.access import gate, who
from ui.state import (
    autosave,
    filter_choices,
    lang,
    mark_entry,
    norm_sets,
    open_work,
    return_to_page,
    warm_imports,
)
from ui.timing import run_finished, run_started
from ui.widgets import hide_untranslated, persistent, persistent_multiselect, work_notices

started = run_started()  # timed (and profiled) only when the benchmark asks, see ui/timing.py

st.set_page_config(page_title="Tierscope", page_icon="📊", layout="wide")
hide_untranslated()
gate()  # a client's link shows its story and stops here; sign-in, when configured, before anything else
mark_entry()
open_work()
t = translator(lang())

# The default page is served at `/`; `/roster` (its name, as a bookmark or a link may write it) would
# find no page and Streamlit would say "Page not found" over it. So that address is a hidden page that
# switches to the default one, keeping the query (?a=).
roster = st.Page("pages/roster.py", title=t("page_roster"), icon=":material/table_view:", url_path="",
                 default=True)


def roster_by_name() -> None:
    st.switch_page(roster, query_params=st.query_params.to_dict())


pages = st.navigation([
    st.Page("pages/work.py", title=t("page_work"), icon=":material/folder_open:", url_path="work"),
    roster,
    st.Page(roster_by_name, title=t("page_roster"), url_path="roster", visibility="hidden"),
    st.Page("pages/distribution.py", title=t("page_tiers"), icon=":material/stacked_bar_chart:", url_path="tiers"),
    st.Page("pages/engagement.py", title=t("page_engagement"), icon=":material/favorite:", url_path="engagement"),
    st.Page("pages/tradeoffs.py", title=t("page_tradeoffs"), icon=":material/scale:", url_path="tradeoffs"),
    st.Page("pages/changes.py", title=t("page_changes"), icon=":material/history:", url_path="changes"),
    st.Page("pages/base.py", title=t("page_base"), icon=":material/database:", url_path="base"),
    st.Page("pages/results.py", title=t("page_results"), icon=":material/campaign:", url_path="results"),
    st.Page("pages/present.py", title=t("page_present"), icon=":material/co_present:", url_path="present"),
])
return_to_page()

with st.sidebar:
    st.title(t("app_title"))
    st.caption(t("app_tagline"))
    who()
    opened = st.session_state.get("analysis")
    st.caption(t("work_saved_as", name=literal(opened.name)) if opened else t("work_unsaved"))
    schemes = all_schemes()
    scheme_id = persistent(st.selectbox, t("scheme"), list(schemes), "scheme", DEFAULT_SCHEME,
                           format_func=lambda s: schemes[s].name)
    st.caption(t("scheme_source", source=schemes[scheme_id].source, year=schemes[scheme_id].year))
    sets = norm_sets()
    persistent(st.selectbox, t("norms"), list(sets), "norms", DEFAULT_NORMS,
               format_func=lambda n: sets[n].text("name", t.lang))
    choices = filter_choices()
    if choices:
        st.subheader(t("filters"))
        persistent_multiselect(t("field_platform"), choices["platforms"], "filter_platforms",
                               format_func=lambda p: t(f"platform_{p}"), placeholder=t("filter_all"))
        if choices["niches"]:
            persistent_multiselect(t("field_niche"), choices["niches"], "filter_niches", placeholder=t("filter_all"))
        if choices["cities"]:
            persistent_multiselect(t("field_city"), choices["cities"], "filter_cities", placeholder=t("filter_all"))
    persistent(st.radio, t("language"), list(LANGUAGES), "lang", "en", format_func=LANGUAGES.get, horizontal=True)

work_notices()
try:
    pages.run()
finally:
    try:
        autosave()  # also after a page stops early or asks for a rerun
    finally:
        run_finished(started, pages.url_path)
        warm_imports()

"""Present: the client story in order, without the working controls, and the files to hand over."""

import streamlit as st

from tiers.presenting.deliverables import workbook_xlsx
from tiers.presenting.i18n import translator
from tiers.presenting.markdown import literal
from tiers.presenting.story import Branding
from tiers.storage.analysis import DEFAULT_ACCENT, NAME_LENGTH, check_logo
from ui.access import share_panel
from ui.history import comparison
from ui.results import story_campaign
from ui.state import client_story, current, guard_entry, lang, shortlist, widget_key
from ui.widgets import hide_chrome, require_creators, story_downloads, story_view

guard_entry(__file__)
t = translator(lang())
ctx = current()
require_creators(ctx)
stem = f"tierscope-{ctx.source.name.rsplit('.', 1)[0]}-{lang()}"

if st.toggle(t("presentation_mode"), key="presentation_mode", help=t("presentation_mode_help")):
    # Hide the working controls for the client; the toggle itself stays to bring them back.
    hide_chrome("[data-testid='stExpander']")

with st.expander(t("present_settings")):
    left, middle, right = st.columns([2, 2, 1])
    brand = left.text_input(t("brand_name"), value=st.session_state.get("brand", ""), key=widget_key("brand"),
                            max_chars=NAME_LENGTH)
    agency = middle.text_input(t("agency_name"), value=st.session_state.get("agency", ""), key=widget_key("agency"),
                               max_chars=NAME_LENGTH)
    accent = right.color_picker(t("accent"), value=st.session_state.get("accent", DEFAULT_ACCENT),
                                key=widget_key("accent"))
    logo = left.file_uploader(t("agency_logo"), type=["png", "jpg", "jpeg"], key=widget_key("logo"))
    st.session_state.update(brand=brand, agency=agency, accent=accent)
    if logo is not None and st.session_state.get("_logo_upload") != logo.file_id:
        try:
            check_logo(logo.getvalue(), logo.name)
        except ValueError:
            st.error(t("logo_invalid", name=literal(logo.name)))
        else:
            st.session_state.update(logo=logo.getvalue(), _logo_upload=logo.file_id)
    if st.session_state.get("logo") and middle.button(t("remove_logo"), key="remove_logo"):
        st.session_state["logo"] = None
        st.rerun()

branding = Branding(brand.strip(), agency.strip(), accent, st.session_state.get("logo"))
compared = comparison(ctx.scheme)
campaign = story_campaign(ctx)
story = client_story(ctx, branding, compared, campaign)

story_view(story, "present")

with st.expander(t("share_title")):
    share_panel()

st.divider()
story_downloads(story, stem, lambda: workbook_xlsx(ctx.analysed, ctx.roster, shortlist(), lang(),
                                                   compared[1].accounts if compared else None,
                                                   campaign[1] if campaign else None))

"""Who is using this session: a brand client with a share link, a signed-in member, or the one user
of a local Tierscope. Called first by app.py; the rules themselves are in tiers.signin and
tiers.storage.sharing."""

from __future__ import annotations

import os
import urllib.parse

import streamlit as st

from tiers.presenting.i18n import LANGUAGES, format_moment, translator
from tiers.presenting.markdown import literal
from tiers.presenting.story import Branding, build_story
from tiers.reading.read import RosterError
from tiers.signin import ALLOW_OPEN_ENV, AccessRules, exposure
from tiers.storage.sessions import record_sign_out, signed_out_since
from tiers.storage.sharing import DEFAULT_DAYS, LinkOptions, active_links, create_link, open_link, revoke_link
from ui.history import saved_comparison
from ui.results import saved_campaign
from ui.state import lang, saved_analysis, store, stored_logo
from ui.widgets import hide_chrome, story_downloads, story_view

SHARE = "share"  # the query parameter of a client's link


def _secrets() -> dict:
    try:
        return st.secrets.to_dict()
    except (FileNotFoundError, OSError, st.errors.StreamlitSecretNotFoundError):
        return {}


def sign_in_configured() -> bool:
    return "auth" in _secrets()


def rules() -> AccessRules:
    return AccessRules.from_config(_secrets().get("tierscope"))


def _only(render, url_path: str) -> None:
    """Show `render` as the session's one page and stop: no navigation is listed (without a call to
    st.navigation, Streamlit would list the pages/ folder), and no other page can be reached."""
    st.navigation([st.Page(render, title="Tierscope", url_path=url_path)], position="hidden").run()
    st.stop()


def gate() -> None:
    """Let this session through as who it is, or show why not and stop: a share link shows only its
    client view; with sign-in on, a member must be signed in and allowed; without it, Tierscope
    answers only on this computer unless serving it openly was asked for."""
    state = st.session_state
    if SHARE in st.query_params:
        token = st.query_params[SHARE]
        _only(lambda: client_view(token), "shared")
    how = exposure(sign_in_configured(), st.get_option("server.address"), os.environ.get(ALLOW_OPEN_ENV) == "1")
    state["exposure"] = how
    t = translator(lang())
    if how == "refused":
        _only(lambda: st.error(t("exposure_refused", setting=ALLOW_OPEN_ENV), icon=":material/lock:"), "closed")
    if how != "signed":
        state["member"] = ("", "")
        return
    email, access = st.user.get("email"), rules()
    # Checked on every rerun: a sign-out elsewhere ends this session too (its cookie stays valid for 30 days).
    db = store(everyone=True) if st.user.is_logged_in else None
    if not st.user.is_logged_in or (db is not None and signed_out_since(db, email, st.user.get("iat"))):
        def sign_in_page() -> None:
            st.title(t("app_title"))
            st.write(t("sign_in_needed"))
            st.button(t("sign_in"), on_click=st.login, type="primary")
        _only(sign_in_page, "signin")
    if not access.may_sign_in(email, st.user.get("email_verified"), st.user.get("provider", "default")):
        def refused_page() -> None:
            st.error(t("sign_in_refused", email=literal(email or "?")))
            st.button(t("sign_out"), on_click=sign_out)
        _only(refused_page, "signin")
    state["member"] = (access.organisation(email), str(email).lower())


def sign_out() -> None:
    """Sign out here and end every other session of this member that a sign-in before now opened."""
    db = store(everyone=True)
    if db is not None and st.user.get("email"):
        record_sign_out(db, st.user.get("email"))
    st.logout()


def who() -> None:
    """The sidebar line that says who is signed in, or how far this Tierscope is open."""
    t, state = translator(lang()), st.session_state
    how = state.get("exposure")
    if how == "signed":
        organisation, email = state["member"]
        st.caption(t("signed_in_as", email=literal(email), organisation=literal(organisation)))
        st.button(t("sign_out"), on_click=sign_out, key="sign_out")
    elif how == "local":
        st.caption(t("sign_in_off"))
    elif how == "open":
        st.warning(t("open_without_sign_in"), icon=":material/public:")


def share_url(token: str) -> str:
    """The address a client opens: this server's, with the token."""
    here = urllib.parse.urlsplit(st.context.url or "http://localhost:8501/")
    return urllib.parse.urlunsplit((here.scheme, here.netloc, "/", urllib.parse.urlencode({SHARE: token}), ""))


def _opened(token: str):
    """The analysis and options a token opens, asked of the database on every rerun (a link revoked
    or expired meanwhile ends the session's view of it), each session's opening counted once."""
    state, db = st.session_state, store(everyone=True)
    first = state.get("_share_token") != token
    state["_share_token"] = token
    return open_link(db, token, count=first) if db is not None else None


def client_view(token: str) -> None:
    """What a share link shows: the analysis's client story in presentation mode, nothing else."""
    hide_chrome()
    opened = _opened(token)
    try:
        if opened is None:
            raise LookupError(token)
        analysis, options = opened
        ctx = saved_analysis(analysis)
    except (LookupError, RosterError):  # unknown, expired, revoked, or a roster that no longer reads: all alike
        t = translator(lang())
        st.title(t("link_invalid_title"))
        st.write(t("link_invalid"))
        return
    saved = analysis.settings
    # What changed since the earlier roster, for a link to the whole roster (it tells of every account).
    compared = None if options.shortlist_only else saved_comparison(analysis, ctx)
    results = saved_campaign(analysis, ctx, options.shortlist_only)
    story = _client_story(f"{ctx.key}{analysis.id}{analysis.version}{compared[0] if compared else ''}"
                          f"{results[0] if results else ''}", ctx, analysis, options,
                          compared[1] if compared else None, results[1] if results else None)
    story_view(story, "client")
    if options.downloads:
        story_downloads(story, f"{(saved.brand or 'tierscope').replace(' ', '-')}-{story.lang}", explain_missing=False)


@st.cache_resource(show_spinner=False, max_entries=16)
def _client_story(key: str, _ctx, _analysis, options, _comparison, _campaign):
    saved = _analysis.settings
    logo = stored_logo(saved.logo)
    return build_story(_ctx.analysed, _ctx.roster, _ctx.scheme, _ctx.norms, saved.shortlist, options.lang,
                       Branding(saved.brand or "", saved.agency or "", saved.accent, logo),
                       comparison=_comparison, show_fees=options.show_fees, shortlist_only=options.shortlist_only,
                       campaign=_campaign)


def share_panel() -> None:
    """On the Present page: make a link to the open analysis for the client, see the active ones
    (when each was last opened and how often) and revoke any."""
    t, state = translator(lang()), st.session_state
    opened, db = state.get("analysis"), store()
    if opened is None or db is None:
        st.caption(t("share_unsaved"))
        return
    if state.get("exposure") == "local":
        st.caption(t("share_local"))
    with st.form("share_form", border=False):
        left, middle, right = st.columns(3)
        has_shortlist = bool(state.get("shortlist"))
        whole = left.radio(t("share_what"), [True, False] if has_shortlist else [True], horizontal=True,
                           format_func=lambda w: t("share_whole") if w else t("share_shortlist"))
        fees = middle.toggle(t("share_fees"), value=False)
        downloads = middle.toggle(t("share_downloads"), value=True)
        language = right.selectbox(t("language"), list(LANGUAGES), index=list(LANGUAGES).index(lang()),
                                   format_func=LANGUAGES.get)
        days = right.number_input(t("share_days"), min_value=1, max_value=366, value=DEFAULT_DAYS, step=1)
        if st.form_submit_button(t("share_create"), type="primary"):
            token, _ = create_link(db, opened.id, LinkOptions(not whole, fees, downloads, language), int(days))
            state["_new_link"] = share_url(token)
    if state.get("_new_link"):
        st.success(t("share_created"))
        st.code(state["_new_link"], language=None)
    links = active_links(db, opened.id)
    for link in links:
        what = [t("share_shortlist") if link.options.shortlist_only else t("share_whole"),
                t("share_fees_shown") if link.options.show_fees else t("share_fees_hidden"),
                LANGUAGES.get(link.options.lang, link.options.lang)]
        last = format_moment(link.last_opened_at, lang()) if link.last_opened_at else t("share_never")
        row = st.columns([5, 1], vertical_alignment="center")
        row[0].caption(t("share_line", what=" · ".join(what), by=literal(link.created_by or "–"),
                         expires=format_moment(link.expires_at, lang()), last=last, count=link.opened))
        if row[1].button(t("share_revoke"), key=f"revoke_{link.id[:16]}"):
            revoke_link(db, link.id)
            state.pop("_new_link", None)
            st.rerun()

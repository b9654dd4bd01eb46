"""The open analysis's campaign results: its results sheet (one row per post) lives in the working copy
(`results` in session state: file name, digest, sheet) like every other setting and is saved with it, its
file with the next save (`pending_files`, as a snapshot's). The parsed posts are stored once per file and
sheet, so reopening an analysis (or a client's link) never reads the sheet again."""

from __future__ import annotations

import streamlit as st

from tiers.analysis.filters import row_keys
from tiers.analysis.results import Campaign, campaign
from tiers.reading.posts import Posts, PostsHint, posts_hint, read_posts_file
from tiers.reading.read import RosterError
from tiers.storage.analysis import Analysis
from tiers.storage.results import posts_key
from tiers.storage.store import digest_of
from ui.state import (
    Current,
    Source,
    is_read,
    open_analysis,
    raw_table,
    shortlist,
    show_sample,
    source,
    source_bytes,
    store,
)

HANDED = "results_handed"  # a file the Roster page hands to the Campaign results page: (name, bytes)


def results_source(saved: dict | None = None) -> Source | None:
    """The results sheet of the open analysis (or of saved settings), with its bytes while not yet stored."""
    found = st.session_state.get("results") if saved is None else saved
    if not found:
        return None
    return Source(found["file_name"], found["digest"], False, st.session_state.get("pending_files", {}).get(
        found["digest"]) if saved is None else None)


@st.cache_resource(show_spinner="Reading the results… / Membaca hasil…", max_entries=8)
def _posts(key: str, _src: Source, sheet: str | None) -> Posts:
    """The stored parse of a results sheet, else the sheet read under the reader's limits."""
    db = store(everyone=True)
    stored = db.posts(key) if db is not None else None
    return stored or read_posts_file(source_bytes(_src), _src.name, sheet)


def read_posts(src: Source, sheet: str | None) -> Posts:
    """A results sheet's posts (RosterError when it is not one), stored with the open analysis once saved."""
    key = posts_key(src.digest, sheet)
    posts = _posts(key, src, sheet)
    state, db = st.session_state, store()
    kept = state.setdefault("stored_posts", set())
    if db is not None and state.get("analysis") is not None and key not in kept and db.put_posts(key, src.digest,
                                                                                                 posts):
        kept.add(key)
    return posts


def add_results(name: str, data: bytes) -> str | None:
    """Make a results sheet the open analysis's (replacing any earlier one); why it cannot be read, else None."""
    src = Source(name, digest_of(data), False, data)
    try:
        posts = _posts(posts_key(src.digest, None), src, None)
    except RosterError as error:
        return str(error)
    state = st.session_state
    state["pending_files"] = {**state.get("pending_files", {}), src.digest: data}
    state["results"] = {"file_name": name, "digest": src.digest, "sheet": posts.sheet}
    return None


def remove_results() -> None:
    st.session_state["results"] = None


def _campaign_of(src: Source, sheet: str | None, ctx: Current, chosen_keys: list[str], shortlist_only: bool
                 ) -> tuple[str, Campaign]:
    posts = read_posts(src, sheet)
    chosen = ctx.analysed.index[row_keys(ctx.analysed).isin(chosen_keys)]
    key = f"{posts_key(src.digest, sheet)}{ctx.key}{ctx.norms.id}{'|'.join(chosen_keys)}{shortlist_only}"
    return key, _campaign(key, posts, ctx, chosen, shortlist_only)


@st.cache_resource(show_spinner="Matching posts… / Mencocokkan posting…", max_entries=8)
def _campaign(key: str, _posts: Posts, _ctx: Current, _chosen, shortlist_only: bool) -> Campaign:
    return campaign(_posts, _ctx.analysed, _ctx.scheme.id, _ctx.norms, _chosen,
                    only=_chosen if shortlist_only else None)


def open_campaign(ctx: Current) -> tuple[str, Campaign] | None:
    """(cache key, campaign) of the open analysis's results sheet, None without one. RosterError when the
    sheet no longer reads."""
    src = results_source()
    if src is None:
        return None
    return _campaign_of(src, st.session_state["results"]["sheet"], ctx, shortlist(), False)


def story_campaign(ctx: Current) -> tuple[str, Campaign] | None:
    """The open analysis's campaign for its story: None without a results sheet or with one that does not
    read (the Campaign results page says why)."""
    try:
        return open_campaign(ctx)
    except RosterError:
        return None


def saved_campaign(analysis: Analysis, ctx: Current, shortlist_only: bool) -> tuple[str, Campaign] | None:
    """The campaign a saved analysis's settings name (a client's link), without opening it in this session."""
    src = results_source(analysis.settings.results)
    if src is None:
        return None
    try:
        return _campaign_of(src, analysis.settings.results["sheet"], ctx, analysis.settings.shortlist, shortlist_only)
    except RosterError:
        return None


@st.cache_resource(show_spinner=False, max_entries=16)
def _hint(key: str, _src: Source, sheet: str | None) -> PostsHint | None:
    return posts_hint(raw_table(_src, sheet))


def uploaded_posts_hint() -> PostsHint | None:
    """Whether the roster just uploaded is clearly a sheet of posts (told from the cells this server read;
    a reopened analysis is never read again for it)."""
    src, sheet = source(), st.session_state.get("sheet")
    if src.is_sample or not is_read(src, sheet):
        return None
    return _hint(f"{src.digest}|{sheet}", src, sheet)


def read_as_results() -> None:
    """The roster just uploaded is a sheet of posts: take it back to the analysis that was open before the
    upload (dropping the analysis the upload made, while nothing was changed in it), and on to the Campaign
    results page with the file."""
    state, db = st.session_state, store()
    src = source()
    state[HANDED] = (src.name, source_bytes(src))
    made, before = state.get("analysis"), state.get("_before_upload")
    if db is not None and made is not None and made.version == 1 and made.id == state.get("_upload_made"):
        db.delete(made.id)
    found = db.get(before) if db is not None and before else None
    if found is not None:
        open_analysis(found)
    else:
        show_sample()
    st.switch_page("pages/results.py", query_params=st.query_params.to_dict())

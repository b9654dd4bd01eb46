"""The open analysis: where its roster comes from, the cached steps from bytes to analysed creators,
and keeping it in the database as the user works.

Session state holds the working copy of the open analysis under plain keys (widgets come and go
with their pages; these keys stay). The URL names the open analysis (`?a=<id>`), so a reload, a
bookmark, a second tab or a restarted server opens it again; `autosave` writes every change at the
end of each run, naming the version it started from (a second editor's save is never overwritten
without the user saying so).

Caches are keyed on content (the file's hash, the roster key, the settings), never on object
identity. They are resource caches: a million-row frame is handed out as is rather than unpickled
afresh on every rerun (as st.cache_data would), so callers treat what they get as read-only.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
import sys
import threading
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

import pandas as pd
import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from tiers.analysis.classify import assess, assign_tiers
from tiers.analysis.engagement import DEFAULT_NORMS, NormSet, all_norm_sets, validate_norms
from tiers.analysis.filters import apply_nano_tags, filter_mask, filter_options, row_keys
from tiers.analysis.planner import Constraints, Plan, compare_plans
from tiers.analysis.schemes import DEFAULT_SCHEME, TierScheme, get_scheme
from tiers.presenting.i18n import LANGUAGE_CURRENCIES, said, translator
from tiers.presenting.markdown import literal
from tiers.presenting.story import Branding, Comparison, Story, build_story
from tiers.reading.checking import Reading, read_roles
from tiers.reading.columns import CURRENCY_OF_ALL
from tiers.reading.read import RawTable, RosterError, read_table
from tiers.reading.roster import Roster, build_roster
from tiers.reading.sandbox import prepare_worker, read_table_isolated
from tiers.storage.analysis import CUSTOM_NORMS, DEFAULT_ACCENT, Analysis, Settings, check_logo
from tiers.storage.database import StoreError, database_url
from tiers.storage.rosters import roster_key
from tiers.storage.store import NotFound, Store, VersionConflict, digest_of

APP_DIR = Path(__file__).resolve().parent.parent
SAMPLE = APP_DIR / "data" / "sample_roster.csv"
QUERY = "a"  # the URL's query parameter naming the open analysis


@dataclass(frozen=True)
class Source:
    """The roster file of the open analysis; `data` is None when its bytes are in the database."""

    name: str
    digest: str
    is_sample: bool
    data: bytes | None = None


# The database

@st.cache_resource(show_spinner=False)
def _open_store(url: str) -> Store | str:
    try:
        return Store(url)
    except StoreError as error:
        return str(error)


def store(everyone: bool = False) -> Store | None:
    """The database of saved work as the signed-in member sees it (their organisation's analyses; in
    single-user mode, everything made without sign-in), or None (and a message for `notices`) when
    it cannot be used. `everyone`: unscoped, for opening a client's share link."""
    opened = _open_store(database_url())
    if isinstance(opened, str):
        st.session_state["store_error"] = opened
        return None
    return opened if everyone else opened.as_member(*st.session_state.get("member", ("", "")))


@st.cache_resource(show_spinner="Loading the roster… / Memuat roster…", max_entries=4)
def _stored_file(digest: str) -> bytes:
    return store(everyone=True).file(digest)  # by content hash: only a visible analysis names one


def stored_logo(digest: str | None) -> bytes | None:
    """A saved analysis's logo, or None when it has none or its bytes are not an image Tierscope shows
    (stored before logos were checked)."""
    if digest is None:
        return None
    logo = _stored_file(digest)
    try:
        check_logo(logo, "logo")
    except ValueError:
        return None
    return logo


def source_bytes(src: Source) -> bytes:
    return src.data if src.data is not None else _stored_file(src.digest)


# The working copy of the analysis in session state

def lang() -> str:
    return st.session_state.get("lang", "en")


def _with_custom(custom: NormSet | None) -> dict[str, NormSet]:
    return {**all_norm_sets(), **({CUSTOM_NORMS: custom} if custom is not None else {})}


def norm_sets() -> dict[str, NormSet]:
    """The shipped norm sets, plus the user's custom set once they have made one."""
    return _with_custom(st.session_state.get("custom_norms"))


def _norm_set(sets: dict[str, NormSet], norm_id: str) -> NormSet:
    return sets.get(norm_id, sets[DEFAULT_NORMS])


def settings() -> tuple[TierScheme, NormSet]:
    return (get_scheme(st.session_state.get("scheme", DEFAULT_SCHEME)),
            _norm_set(norm_sets(), st.session_state.get("norms", DEFAULT_NORMS)))


def filters() -> dict[str, list[str]]:
    return {name: st.session_state.get(f"filter_{name}", []) for name in ("platforms", "niches", "cities")}


def working_settings() -> Settings:
    """The open analysis's settings as the session has them now."""
    state = st.session_state
    custom, logo = state.get("custom_norms"), state.get("logo")
    return Settings(
        sheet=state.get("sheet"), mapping=state.get("mapping"), scheme=state.get("scheme", DEFAULT_SCHEME),
        norms=state.get("norms", DEFAULT_NORMS), custom_norms=custom.to_dict() if custom is not None else None,
        filters=filters(), nano_tags=state.get("nano_tags", {}), idr_per_unit=state.get("idr_per_unit"),
        planner=state.get("planner", {}), shortlist=state.get("shortlist", []), brand=state.get("brand", ""),
        agency=state.get("agency", ""), accent=state.get("accent", DEFAULT_ACCENT),
        logo=digest_of(logo) if logo else None, lang=lang(), roster_date=state.get("roster_date"),
        snapshots=state.get("snapshots", []), compare=state.get("compare", {}),
        declined_matches=state.get("declined_matches", []), results=state.get("results"))


def widget_key(name: str) -> str:
    """The key of a widget showing a setting of the open analysis. It changes whenever another
    analysis (or another version) is shown, so the browser's copy of the old widget is not kept."""
    return f"_w_{name}_{st.session_state.get('_shown', 0)}"


def _put_in_session(settings: Settings, logo: bytes | None) -> None:
    state = st.session_state
    state["_shown"] = state.get("_shown", 0) + 1
    custom = validate_norms(settings.custom_norms, "custom norms") if settings.custom_norms else None
    state.update(
        sheet=settings.sheet, mapping=settings.mapping, scheme=settings.scheme, norms=settings.norms,
        custom_norms=custom, nano_tags=settings.nano_tags, idr_per_unit=settings.idr_per_unit,
        planner=settings.planner, shortlist=settings.shortlist, brand=settings.brand, agency=settings.agency,
        accent=settings.accent, logo=logo, lang=settings.lang, roster_date=settings.roster_date,
        snapshots=settings.snapshots, compare=settings.compare, declined_matches=settings.declined_matches,
        results=settings.results, pending_files={},
        **{f"filter_{name}": chosen for name, chosen in settings.filters.items()})


def _show(src: Source, analysis: Analysis | None, settings: Settings, logo: bytes | None = None) -> None:
    """Make the session show `settings` on `src`: saved as `analysis`, or not saved (None) yet."""
    state = st.session_state
    _put_in_session(settings, logo)
    state.update(roster_file=src, analysis=analysis, saved_settings=working_settings().to_json())
    for key in ("conflict", "stored_rosters", "stored_posts"):
        state.pop(key, None)
    if analysis is not None:
        st.query_params[QUERY] = analysis.id
    elif QUERY in st.query_params:
        del st.query_params[QUERY]


def open_analysis(analysis: Analysis) -> None:
    """Show a saved analysis; settings it holds that no longer fit (see Settings.readable) open at
    their defaults, and `work_notices` says which while it is open."""
    logo = stored_logo(analysis.settings.logo)
    reset = (*analysis.reset, *(("logo",) if analysis.settings.logo and logo is None else ()))
    _show(Source(analysis.file_name, analysis.file_digest, False), analysis, analysis.settings, logo)
    st.session_state["settings_reset"] = (analysis.id, reset)


@cache
def _sample() -> Source:
    data = SAMPLE.read_bytes()
    return Source(SAMPLE.name, digest_of(data), True, data)


def _default_name(src: Source) -> str:
    """A new analysis is named after its file until the user renames it."""
    t = translator(lang())
    return t("sample_roster_name") if src.is_sample else src.name.rsplit(".", 1)[0]


def show_sample() -> None:
    """The bundled sample roster, not saved until the user changes something."""
    _show(_sample(), None, Settings())
    _resolve_layout(_sample())
    st.session_state["saved_settings"] = working_settings().to_json()


def open_upload(upload) -> None:
    """A new analysis of a file just uploaded (once per upload), keeping the language, scheme, norms
    and branding in use; then a rerun, so the whole page shows it."""
    if upload is None or st.session_state.get("_opened_upload") == upload.file_id:
        return
    st.session_state["_opened_upload"] = upload.file_id
    before = st.session_state.get("analysis")  # what was open: a sheet of posts is read as its results
    st.session_state["_before_upload"] = before.id if before is not None else None
    open_file(upload.name, upload.getvalue())
    st.rerun()


def open_file(name: str, data: bytes) -> None:
    """A new analysis of a file's bytes (an upload, creators drawn from a base), keeping the language,
    scheme, norms and branding in use, saved when a database can be used; the caller reruns."""
    src = Source(name, digest_of(data), False, data)
    current = working_settings()
    settings = Settings(scheme=current.scheme, norms=current.norms, custom_norms=current.custom_norms,
                        brand=current.brand, agency=current.agency, accent=current.accent, lang=current.lang)
    logo = st.session_state.get("logo")
    _show(src, None, settings, logo)
    try:
        _resolve_layout(src)
    except RosterError:
        return  # not saved: the Roster page says why the file cannot be read
    db = store()
    if db is not None:
        analysis = db.create(_default_name(src), name, data, working_settings(), logo)
        st.session_state["_upload_made"] = analysis.id
        _show(dataclasses.replace(src, data=None), analysis, analysis.settings, logo)


def open_work() -> None:
    """Called first on every run: open what the URL names, else keep what is open, else the sample."""
    state = st.session_state
    wanted, opened = st.query_params.get(QUERY), state.get("analysis")
    if wanted and (opened is None or opened.id != wanted):
        db = store()
        found = db.get(wanted) if db is not None else None
        if found is not None:
            open_analysis(found)
            return
        state["notice"] = "analysis_not_found"
        if opened is not None:
            st.query_params[QUERY] = opened.id
        elif "roster_file" in state:
            del st.query_params[QUERY]
        else:
            show_sample()
    elif opened is not None and not wanted:
        st.query_params[QUERY] = opened.id  # a page switch drops the query parameters
    elif "roster_file" not in state:
        show_sample()


def autosave() -> None:
    """Called last on every run: save the open analysis when its settings changed (the sample's first
    change saves it as a new analysis). A save over someone else's is held back as a conflict."""
    state = st.session_state
    src = state.get("roster_file")
    if src is None:
        return
    settings = working_settings()
    saved = settings.to_json()
    if saved == state.get("saved_settings") or settings.mapping is None:
        return  # unchanged, or a file that could not be read
    db = store()
    if db is None:
        return
    opened, logo, pending = state.get("analysis"), state.get("logo"), state.get("pending_files", {})
    try:
        if opened is None:
            analysis = db.create(_default_name(src), src.name, source_bytes(src), settings, logo, new_files=pending)
        else:
            analysis = db.save(opened.id, settings, opened.version, logo, new_files=pending)
    except VersionConflict as conflict:
        known = state.get("conflict")
        state["conflict"] = conflict.current
        if known is None or known.version != conflict.current.version:
            st.rerun()  # so the page says so now, not after the next click
        return
    except NotFound:  # deleted elsewhere: the user's work becomes a new analysis (with the snapshots it still has)
        kept = [snapshot for snapshot in settings.snapshots if snapshot["digest"] in pending]
        results = settings.results if settings.results and settings.results["digest"] in pending else None
        analysis = db.create(opened.name, src.name, source_bytes(src),
                             dataclasses.replace(settings, snapshots=kept, results=results), logo, new_files=pending)
        state["notice"] = "analysis_recreated"
    except SQLAlchemyError as error:
        state["notice"] = "save_failed"
        state["save_error"] = str(error.orig or error).splitlines()[0]
        return
    state.update(analysis=analysis, saved_settings=saved, pending_files={})
    state.pop("conflict", None)
    st.query_params[QUERY] = analysis.id


def load_theirs() -> None:
    """Conflict: drop this session's unsaved change and show the saved version."""
    open_analysis(st.session_state.pop("conflict"))


def keep_mine() -> None:
    """Conflict: save this session's version over the newer one."""
    state = st.session_state
    state["analysis"] = dataclasses.replace(state["analysis"], version=state.pop("conflict").version)


# Edits the pages make

def shortlist() -> list[str]:
    """The shortlist: row keys (see tiers.analysis.filters.row_keys), in the order chosen."""
    return st.session_state.get("shortlist", [])


def set_shortlist(keys: list[str]) -> None:
    st.session_state["shortlist"] = list(dict.fromkeys(keys))


def set_nano_tags(edited: pd.DataFrame) -> None:
    """Keep the user's native / non-native tags, keyed by `row_keys`."""
    tags = dict(zip(row_keys(edited), edited["nano_type"], strict=True))
    st.session_state["nano_tags"] = {k: v for k, v in tags.items() if isinstance(v, str)}


def choose_sheet(sheet: str) -> None:
    st.session_state.update(sheet=sheet, mapping=None)  # the mapping is guessed again for that sheet


def set_mapping(headers: tuple[str, ...], new: dict[str, str]) -> None:
    """Keep the user's mapping, also for the next upload with the same headers in this session."""
    kept = {f: h for f, h in new.items() if h}
    st.session_state["mapping"] = kept
    st.session_state.setdefault("layouts", {})[tuple(headers)] = kept


def mark_entry() -> None:
    """Called by app.py on every run, so pages can tell they were reached through it."""
    st.session_state["_entry_ran"] = True


def guard_entry(page_file: str) -> None:
    """A page opened by its URL as a new server's first request runs on its own, without app.py's
    navigation and sidebar (Streamlit's pages/ folder fallback): send that session to app.py,
    keeping the analysis its URL names, and have app.py come back to this page (`return_to_page`)."""
    if not st.session_state.get("_entry_ran"):
        st.session_state["_wanted_page"] = Path(page_file).resolve().relative_to(APP_DIR).as_posix()
        st.switch_page("app.py", query_params=st.query_params.to_dict())


def return_to_page() -> None:
    """Called by app.py after its navigation: open the page a URL named before app.py had run."""
    wanted = st.session_state.pop("_wanted_page", None)
    if wanted:
        st.switch_page(wanted, query_params=st.query_params.to_dict())


# From bytes to analysed creators, cached on content

prepare_worker()  # a reader process started ahead, so the first upload does not wait for one


@cache
def warm_imports() -> None:
    """Once per server process, at the end of its first run (the first page is shown by then): import in the
    background what only later clicks need, scipy's optimisers (about a second: the column roles of an upload,
    the planner), so neither a cold reopen nor the first upload waits for them."""
    if "scipy.optimize" in sys.modules or any(t.name == "warm-imports" for t in threading.enumerate()):
        return
    threading.Thread(target=importlib.import_module, args=("scipy.optimize",), name="warm-imports",
                     daemon=True).start()

@st.cache_resource(show_spinner="Reading the file… / Membaca berkas…", max_entries=8)
def _read(digest: str, _src: Source, sheet: str | None) -> RawTable:
    """Read in a child process with limits (tiers.reading.sandbox): no file can take the server down.
    The bundled sample is Tierscope's own file, read here: the first page never waits for a reader."""
    read = read_table if _src.is_sample else read_table_isolated
    raw = read(source_bytes(_src), _src.name, sheet)
    _files_read().add((digest, sheet))
    return raw


@st.cache_resource(show_spinner=False)
def _files_read() -> set[tuple[str, str | None]]:
    """(file, sheet) read into cells by this server process (a cache, so it goes when the caches go)."""
    return set()


def raw_table(src: Source, sheet: str | None = None) -> RawTable:
    return _read(src.digest, src, sheet)


def is_read(src: Source, sheet: str | None) -> bool:
    """Whether this server has read the file's cells already: what may use them without reading the
    file again (a reopened analysis shows its stored roster and never parses its file)."""
    return (src.digest, sheet) in _files_read()


@st.cache_resource(show_spinner=False, max_entries=16)
def _reading(key: str, _raw: RawTable) -> Reading:
    return read_roles(_raw)


def roles_read(src: Source, raw: RawTable) -> Reading:
    """How the sheet's columns were read, once per file and sheet: its mapping is the file's first guess, its
    runner-ups are what the Roster page offers."""
    return _reading(f"{src.digest}|{raw.sheet}", raw)


def _resolve_layout(src: Source) -> None:
    """Settle which sheet and mapping the analysis reads, the first time it is read: the mapping the
    user made for a file with the same headers in this session, else the guess from the file."""
    state = st.session_state
    if state.get("mapping") is not None:
        return
    raw = raw_table(src, state.get("sheet"))
    state.update(sheet=raw.sheet, mapping=first_mapping(src, raw))


def first_mapping(src: Source, raw: RawTable) -> dict[str, str]:
    """The mapping a file is first read with: the one the user made for the same headers in this
    session, else the guess from the file; fees without a currency in the user's market's (MYR in Malay)."""
    mapping = dict(st.session_state.setdefault("layouts", {}).get(tuple(raw.headers))
                   or roles_read(src, raw).mapping)
    if LANGUAGE_CURRENCIES.get(lang()) and CURRENCY_OF_ALL not in mapping:
        mapping[CURRENCY_OF_ALL] = LANGUAGE_CURRENCIES[lang()]
    return mapping


@st.cache_resource(show_spinner="Checking every row… / Memeriksa setiap baris…", max_entries=16)
def _roster(key: str, _src: Source, sheet: str | None, mapping: tuple[tuple[str, str], ...]) -> Roster:
    """The roster as stored when it was parsed before; else parsed from the file."""
    db = store()
    stored = db.roster(key) if db is not None else None
    return stored or build_roster(raw_table(_src, sheet), dict(mapping))


@st.cache_resource(show_spinner="Comparing with the norms… / Membandingkan dengan norma…", max_entries=16)
def _assess(key: str, _roster: Roster, norms_key: str, _norms: NormSet, idr_per_unit: float | None) -> pd.DataFrame:
    return assess(_roster, _norms, idr_per_unit)


@st.cache_resource(show_spinner="Classifying creators… / Mengklasifikasi kreator…", max_entries=32)
def _analyse(key: str, _assessed: pd.DataFrame, scheme_id: str, tags_key: str, _tags: dict[str, str]) -> pd.DataFrame:
    return apply_nano_tags(assign_tiers(_assessed, scheme_id), _tags)


@st.cache_data(show_spinner="Solving… / Menghitung…", max_entries=32)
def plans(digest: str, _creators: pd.DataFrame, constraints: str, _c: Constraints) -> dict[str, Plan]:
    """The optimal mix and the all-nano / all-mega plans, cached on the roster and the constraints."""
    return compare_plans(_creators, _c)


@dataclass
class Current:
    """Everything a page needs to render, from one place."""

    source: Source
    roster_key: str  # what the roster was read from and how (tiers.storage.rosters.roster_key)
    roster: Roster
    analysed: pd.DataFrame
    scheme: TierScheme
    norms: NormSet
    key: str  # of `analysed` in the caches: equal keys, equal analyses

    @cached_property
    def all_creators(self) -> pd.DataFrame:
        """Every classified creator, before the sidebar filters."""
        return _creators(self.key, "", self.analysed, {})

    @cached_property
    def creators(self) -> pd.DataFrame:
        """The classified creators that pass the sidebar filters (platform, niche, city)."""
        chosen = filters()
        if not any(chosen.values()):
            return self.all_creators
        return _creators(self.key, repr(sorted(chosen.items())), self.analysed, chosen)


@st.cache_resource(show_spinner=False, max_entries=8)
def _creators(key: str, chosen_key: str, _analysed: pd.DataFrame, _chosen: dict) -> pd.DataFrame:
    """The analysis's creators that pass the filters `_chosen` (none: every one), selected once per analysis and
    filters: a new selection on every run copied every creator's row (0.2-0.8 s at 1M rows). Few are kept, as
    each can be a copy of most of a large roster; a roster without rejected rows is its own creators."""
    ok = (_analysed["status"] == "ok").to_numpy()
    creators = _analysed if ok.all() else _analysed[ok]
    return creators[filter_mask(creators, **_chosen)] if _chosen else creators


def _keep_roster(key: str, src: Source, roster: Roster) -> None:
    """Store the parse with the saved analysis that reads it, once, so reopening never parses again."""
    state, db = st.session_state, store()
    stored = state.setdefault("stored_rosters", set())
    if db is not None and state.get("analysis") is not None and key not in stored:
        if db.put_roster(key, src.digest, roster):
            stored.add(key)


def source() -> Source:
    return st.session_state.get("roster_file") or _sample()


def read_roster(src: Source, sheet: str | None, mapping: dict[str, str]) -> tuple[str, Roster]:
    """(roster key, roster) of a file read under a sheet and a mapping: the stored parse, else parsed
    (and then stored, when the open analysis is saved). RosterError when it cannot be read as one."""
    key = roster_key(src.digest, sheet, mapping)
    roster = _roster(key, src, sheet, tuple(sorted(mapping.items())))
    _keep_roster(key, src, roster)
    return key, roster


def _analysed(src: Source, sheet: str | None, mapping: dict[str, str], scheme: TierScheme, norms: NormSet,
              rate: float | None, tags: dict[str, str]) -> Current:
    """A roster file analysed under these settings, every step cached on content."""
    key, roster = read_roster(src, sheet, mapping)
    norms_key = norms.id + norms.bands.to_json()
    assessed = _assess(key, roster, norms_key, norms, rate)
    assessed_key, tags_key = key + norms_key + repr(rate), repr(sorted(tags.items()))
    analysed = _analyse(assessed_key, assessed, scheme.id, tags_key, tags)
    return Current(src, key, roster, analysed, scheme, norms, assessed_key + scheme.id + tags_key)


def _load() -> Current:
    """The analysed open roster; RosterError when the file cannot be read as one."""
    src = source()
    _resolve_layout(src)
    state = st.session_state
    scheme, norms = settings()
    return _analysed(src, state["sheet"], state["mapping"], scheme, norms, state.get("idr_per_unit"),
                     state.get("nano_tags", {}))


def saved_analysis(analysis: Analysis) -> Current:
    """A saved analysis as its settings say, without opening it in this session (a client's link):
    RosterError when its roster cannot be read."""
    saved = analysis.settings
    if saved.mapping is None:
        raise RosterError(f"{analysis.file_name}: the analysis has no column mapping yet")
    custom = validate_norms(saved.custom_norms, "custom norms") if saved.custom_norms else None
    norms = _norm_set(_with_custom(custom), saved.norms)
    return _analysed(Source(analysis.file_name, analysis.file_digest, False), saved.sheet, saved.mapping,
                     get_scheme(saved.scheme), norms, saved.idr_per_unit, saved.nano_tags)


def sheet_layout() -> Roster | RawTable:
    """What the Roster page shows of the file's layout (sheets, header row, headers): the roster's,
    else, while no roster can be made of it (no follower column chosen yet), the file's own."""
    try:
        return _load().roster
    except RosterError:
        return raw_table(source(), st.session_state.get("sheet"))


@st.cache_resource(show_spinner="Writing the story… / Menyusun cerita…", max_entries=8)
def _story(key: str, _ctx: Current, shortlist_keys: tuple[str, ...], language: str, brand: str, agency: str,
           accent: str, logo: bytes | None, today: dt.date, comparison_key: str,
           _comparison: Comparison | None, campaign_key: str = "", _campaign=None) -> Story:
    return build_story(_ctx.analysed, _ctx.roster, _ctx.scheme, _ctx.norms, list(shortlist_keys), language,
                       Branding(brand, agency, accent, logo), today, _comparison, campaign=_campaign)


def client_story(ctx: Current, branding: Branding, comparison: tuple[str, Comparison] | None = None,
                 campaign: tuple[str, object] | None = None) -> Story:
    """The client story of the open roster (and what changed, given a comparison of two of its
    rosters; and its campaign's results, given them), made again only when the analysis, the shortlist,
    the language, the branding, the comparison or the results change (a million-row roster takes about
    a second to tell)."""
    key, compared = comparison or ("", None)
    results_key, results = campaign or ("", None)
    return _story(ctx.key, ctx, tuple(shortlist()), lang(), branding.brand, branding.agency,
                  branding.accent, branding.logo, dt.date.today(), key, compared, results_key, results)


@st.cache_resource(show_spinner=False, max_entries=256)
def _made(key: str, _make):
    return _make()


def made(ctx: Current, name: str, make, *depends):
    """What `make()` returns (a page's figure, a table formatted for reading), made once per analysis
    (`ctx.key`: roster, norms, rate, scheme, tags), sidebar filters, language and `depends` (what else
    `make` reads, as text): a page opened again, or a setting changed back, only sends what it made before.
    Like every cache here it is handed out as is: callers treat it as read-only."""
    return _made(repr((name, ctx.key, sorted(filters().items()), lang(), depends)), make)


def current() -> Current:
    """The analysed open roster; on a file that cannot be read, an error message and a stop."""
    try:
        return _load()
    except RosterError as error:
        st.error(translator(lang())("read_error", message=literal(said(error, lang()))))
        st.stop()


@st.cache_resource(show_spinner=False, max_entries=16)
def _filter_choices(key: str, _roster: Roster) -> dict[str, list[str]]:
    ok = _roster.ok
    return {"platforms": filter_options(ok, "platform"), "niches": filter_options(ok, "niche"),
            "cities": filter_options(ok, "city")}


def filter_choices() -> dict[str, list[str]]:
    """Choices for the sidebar filters from the open roster (none while it cannot be read)."""
    try:
        loaded = _load()
    except RosterError:
        return {}
    return _filter_choices(loaded.roster_key, loaded.roster)

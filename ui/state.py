"""Where the current roster comes from, and the cached steps from its bytes to analysed creators.

Caches are keyed on the file's content hash and the settings, never on object identity, so a
rerun after changing page, language or a widget costs a dictionary lookup. They are resource
caches: a million-row frame is handed out as is rather than unpickled afresh on every rerun (as
st.cache_data would), so callers treat what they get as read-only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

import pandas as pd
import streamlit as st

from tiers.analysis.classify import assess, assign_tiers
from tiers.analysis.engagement import DEFAULT_NORMS, NormSet, all_norm_sets
from tiers.analysis.filters import apply_nano_tags, filter_mask, filter_options, row_keys
from tiers.analysis.planner import Constraints, Plan, compare_plans
from tiers.analysis.schemes import DEFAULT_SCHEME, TierScheme, get_scheme
from tiers.presenting.i18n import translator
from tiers.presenting.story import Branding, Story, build_story
from tiers.reading.read import RawTable, RosterError, read_table
from tiers.reading.roster import Roster, build_roster, default_mapping

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "sample_roster.csv"


@dataclass
class Source:
    name: str
    data: bytes
    digest: str
    is_sample: bool


@st.cache_resource(show_spinner="Reading the file… / Membaca berkas…", max_entries=8)
def _read(digest: str, _data: bytes, name: str, sheet: str | None) -> RawTable:
    return read_table(_data, name, sheet)


@st.cache_resource(show_spinner="Checking every row… / Memeriksa setiap baris…", max_entries=16)
def _roster(digest: str, _raw: RawTable, mapping: tuple[tuple[str, str], ...]) -> Roster:
    return build_roster(_raw, dict(mapping))


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


def shortlist(src: Source) -> list[str]:
    """The shortlist of this file: row keys (see tiers.analysis.filters.row_keys), in the order chosen."""
    return st.session_state.setdefault("shortlists", {}).get(src.digest, [])


def set_shortlist(src: Source, keys: list[str]) -> None:
    st.session_state.setdefault("shortlists", {})[src.digest] = list(dict.fromkeys(keys))


def mark_entry() -> None:
    """Called by app.py on every run, so pages can tell they were reached through it."""
    st.session_state["_entry_ran"] = True


def guard_entry() -> None:
    """A page opened by its URL as a new server's first request runs on its own, without app.py's
    navigation and sidebar (Streamlit's pages/ folder fallback): send that session to app.py."""
    if not st.session_state.get("_entry_ran"):
        st.switch_page("app.py")


def lang() -> str:
    return st.session_state.get("lang", "en")


CUSTOM_NORMS = "custom"


def norm_sets() -> dict[str, NormSet]:
    """The shipped norm sets, plus the user's custom set once they have made one."""
    custom = st.session_state.get("custom_norms")
    return {**all_norm_sets(), **({CUSTOM_NORMS: custom} if custom is not None else {})}


def settings() -> tuple[TierScheme, NormSet]:
    sets = norm_sets()
    return (get_scheme(st.session_state.get("scheme", DEFAULT_SCHEME)),
            sets.get(st.session_state.get("norms", DEFAULT_NORMS), sets[DEFAULT_NORMS]))


def filters() -> dict[str, list[str]]:
    return {name: st.session_state.get(f"filter_{name}", []) for name in ("platforms", "niches", "cities")}


def keep_upload() -> None:
    """on_change of the uploader: keep the file under a plain key, since widget state dies with its page."""
    upload = st.session_state.get("upload")
    if upload is None:
        st.session_state.pop("roster_file", None)
    else:
        data = upload.getvalue()
        st.session_state["roster_file"] = Source(upload.name, data, hashlib.sha256(data).hexdigest(), False)


@cache
def _sample() -> Source:
    data = SAMPLE.read_bytes()
    return Source(SAMPLE.name, data, hashlib.sha256(data).hexdigest(), True)


def source() -> Source:
    """The uploaded file, or the bundled sample until there is one."""
    return st.session_state.get("roster_file") or _sample()


def raw_table(src: Source) -> RawTable:
    sheet = st.session_state.setdefault("sheets", {}).get(src.digest)
    return _read(src.digest, src.data, src.name, sheet)


def choose_sheet(src: Source, sheet: str) -> None:
    st.session_state.setdefault("sheets", {})[src.digest] = sheet
    st.session_state.setdefault("mappings", {}).pop(src.digest, None)


def _layout(raw: RawTable) -> tuple[str, ...]:
    return tuple(raw.headers)


@st.cache_resource(show_spinner=False, max_entries=16)
def _guessed_mapping(key: str, _raw: RawTable) -> dict[str, str]:
    return default_mapping(_raw)


def mapping(src: Source, raw: RawTable) -> dict[str, str]:
    """The user's mapping for this file; else one they made for a file of the same layout (same
    headers) earlier in the session; else the guess from the headers (made once per file and sheet)."""
    state = st.session_state
    return (state.setdefault("mappings", {}).get(src.digest)
            or state.setdefault("layouts", {}).get(_layout(raw))
            or dict(_guessed_mapping(src.digest + str(raw.sheet), raw)))


def set_mapping(src: Source, raw: RawTable, new: dict[str, str]) -> None:
    """Keep the user's mapping for this file and for the next upload with the same headers."""
    kept = {f: h for f, h in new.items() if h}
    st.session_state.setdefault("mappings", {})[src.digest] = kept
    st.session_state.setdefault("layouts", {})[_layout(raw)] = kept


def set_nano_tags(src: Source, edited: pd.DataFrame) -> None:
    """Keep the user's native / non-native tags for this file, keyed by `row_keys`."""
    tags = dict(zip(row_keys(edited), edited["nano_type"], strict=True))
    st.session_state.setdefault("nano_tags", {})[src.digest] = {k: v for k, v in tags.items() if isinstance(v, str)}


@dataclass
class Current:
    """Everything a page needs to render, from one place."""

    source: Source
    raw: RawTable
    roster: Roster
    analysed: pd.DataFrame
    scheme: TierScheme
    norms: NormSet
    key: str  # of `analysed` in the caches: equal keys, equal analyses

    @cached_property
    def all_creators(self) -> pd.DataFrame:
        """Every classified creator, before the sidebar filters."""
        return self.analysed[self.analysed["status"] == "ok"]

    @cached_property
    def creators(self) -> pd.DataFrame:
        """The classified creators that pass the sidebar filters (platform, niche, city)."""
        creators, chosen = self.all_creators, filters()
        return creators[filter_mask(creators, **chosen)] if any(chosen.values()) else creators


def _load() -> Current:
    """The analysed current roster; RosterError when the file cannot be read as one."""
    src = source()
    scheme, norms = settings()
    raw = raw_table(src)
    chosen = mapping(src, raw)
    key = tuple(sorted(chosen.items()))
    roster = _roster(src.digest + str(raw.sheet), raw, key)
    roster_key = src.digest + str(raw.sheet) + repr(key)
    norms_key = norms.id + norms.bands.to_json()
    rate = st.session_state.get("idr_per_unit")
    assessed = _assess(roster_key, roster, norms_key, norms, rate)
    tags = st.session_state.get("nano_tags", {}).get(src.digest, {})
    assessed_key, tags_key = roster_key + norms_key + repr(rate), repr(sorted(tags.items()))
    analysed = _analyse(assessed_key, assessed, scheme.id, tags_key, tags)
    return Current(src, raw, roster, analysed, scheme, norms, assessed_key + scheme.id + tags_key)


@st.cache_resource(show_spinner="Writing the story… / Menyusun cerita…", max_entries=8)
def _story(key: str, _ctx: Current, shortlist_keys: tuple[str, ...], language: str, brand: str, agency: str,
           accent: str, logo: bytes | None, today: dt.date) -> Story:
    return build_story(_ctx.analysed, _ctx.roster, _ctx.scheme, _ctx.norms, list(shortlist_keys), language,
                       Branding(brand, agency, accent, logo), today)


def client_story(ctx: Current, branding: Branding) -> Story:
    """The client story of the current roster, made again only when the analysis, the shortlist, the
    language or the branding changes (a million-row roster takes about a second to tell)."""
    return _story(ctx.key, ctx, tuple(shortlist(ctx.source)), lang(), branding.brand, branding.agency,
                  branding.accent, branding.logo, dt.date.today())


def current() -> Current:
    """The analysed current roster; on a file that cannot be read, an error message and a stop."""
    try:
        return _load()
    except RosterError as error:
        st.error(translator(lang())("read_error", message=str(error)))
        st.stop()


@st.cache_resource(show_spinner=False, max_entries=16)
def _filter_choices(digest: str, _roster: Roster) -> dict[str, list[str]]:
    ok = _roster.ok
    return {"platforms": filter_options(ok, "platform"), "niches": filter_options(ok, "niche"),
            "cities": filter_options(ok, "city")}


def filter_choices() -> dict[str, list[str]]:
    """Choices for the sidebar filters from the current roster (none while it cannot be read)."""
    try:
        loaded = _load()
    except RosterError:
        return {}
    return _filter_choices(loaded.source.digest + str(loaded.raw.sheet), loaded.roster)

"""Where the current roster comes from, and the cached steps from its bytes to analysed creators.

Caches are keyed on the file's content hash and the settings, never on object identity, so a
rerun after changing page, language or a widget costs a dictionary lookup.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from tiers.classify import analyse
from tiers.engagement import DEFAULT_NORMS, NormSet, get_norm_set
from tiers.i18n import translator
from tiers.read import RawTable, RosterError, read_table
from tiers.roster import Roster, build_roster, default_mapping
from tiers.schemes import DEFAULT_SCHEME, TierScheme, get_scheme

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "sample_roster.csv"


@dataclass
class Source:
    name: str
    data: bytes
    digest: str
    is_sample: bool


@st.cache_data(show_spinner="Reading the file… / Membaca berkas…", max_entries=8)
def _read(digest: str, _data: bytes, name: str, sheet: str | None) -> RawTable:
    return read_table(_data, name, sheet)


@st.cache_data(show_spinner="Checking every row… / Memeriksa setiap baris…", max_entries=16)
def _roster(digest: str, _raw: RawTable, mapping: tuple[tuple[str, str], ...]) -> Roster:
    return build_roster(_raw, dict(mapping))


@st.cache_data(show_spinner="Classifying creators… / Mengklasifikasi kreator…", max_entries=16)
def _analyse(digest: str, _roster: Roster, mapping: tuple, scheme_id: str, norm_id: str) -> pd.DataFrame:
    return analyse(_roster, scheme_id, norm_id)


def lang() -> str:
    return st.session_state.get("lang", "en")


def settings() -> tuple[TierScheme, NormSet]:
    return (get_scheme(st.session_state.get("scheme", DEFAULT_SCHEME)),
            get_norm_set(st.session_state.get("norms", DEFAULT_NORMS)))


def keep_upload() -> None:
    """on_change of the uploader: keep the file under a plain key, since widget state dies with its page."""
    upload = st.session_state.get("upload")
    if upload is None:
        st.session_state.pop("roster_file", None)
    else:
        data = upload.getvalue()
        st.session_state["roster_file"] = Source(upload.name, data, hashlib.sha256(data).hexdigest(), False)


def source() -> Source:
    """The uploaded file, or the bundled sample until there is one."""
    if "roster_file" in st.session_state:
        return st.session_state["roster_file"]
    data = SAMPLE.read_bytes()
    return Source(SAMPLE.name, data, hashlib.sha256(data).hexdigest(), True)


def raw_table(src: Source) -> RawTable:
    sheet = st.session_state.setdefault("sheets", {}).get(src.digest)
    return _read(src.digest, src.data, src.name, sheet)


def choose_sheet(src: Source, sheet: str) -> None:
    st.session_state.setdefault("sheets", {})[src.digest] = sheet
    st.session_state.setdefault("mappings", {}).pop(src.digest, None)


def _layout(raw: RawTable) -> tuple[str, ...]:
    return tuple(raw.headers)


def mapping(src: Source, raw: RawTable) -> dict[str, str]:
    """The user's mapping for this file; else one they made for a file of the same layout (same
    headers) earlier in the session; else the guess from the headers."""
    state = st.session_state
    return (state.setdefault("mappings", {}).get(src.digest)
            or state.setdefault("layouts", {}).get(_layout(raw))
            or default_mapping(raw))


def set_mapping(src: Source, raw: RawTable, new: dict[str, str]) -> None:
    """Keep the user's mapping for this file and for the next upload with the same headers."""
    kept = {f: h for f, h in new.items() if h}
    st.session_state.setdefault("mappings", {})[src.digest] = kept
    st.session_state.setdefault("layouts", {})[_layout(raw)] = kept


@dataclass
class Current:
    """Everything a page needs to render, from one place."""

    source: Source
    raw: RawTable
    roster: Roster
    analysed: pd.DataFrame
    scheme: TierScheme
    norms: NormSet

    @property
    def creators(self) -> pd.DataFrame:
        return self.analysed[self.analysed["status"] == "ok"]


def current(stop_on_error: bool = True) -> Current | None:
    """The analysed current roster; on a file that cannot be read, an error message and None."""
    t = translator(lang())
    src = source()
    scheme, norms = settings()
    try:
        raw = raw_table(src)
        chosen = mapping(src, raw)
        key = tuple(sorted(chosen.items()))
        roster = _roster(src.digest + str(raw.sheet), raw, key)
        analysed = _analyse(src.digest + str(raw.sheet), roster, key, scheme.id, norms.id)
    except RosterError as error:
        st.error(t("read_error", message=str(error)))
        if stop_on_error:
            st.stop()
        return None
    return Current(src, raw, roster, analysed, scheme, norms)

"""The open analysis's snapshots: further rosters of the same creators at other dates, and the
comparison of two of them. The snapshots live in the working copy (session state) like every other
setting and are saved with it; their files are saved with the next save (`pending_files`).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from tiers.analysis.changes import Changes, compare_snapshots, follower_history
from tiers.analysis.classify import classify_roster
from tiers.analysis.schemes import TierScheme
from tiers.presenting.i18n import format_date, said
from tiers.presenting.story import Comparison
from tiers.reading.dates import date_in_name
from tiers.reading.read import RosterError
from tiers.reading.roster import Roster
from tiers.storage.analysis import MAIN, Analysis
from tiers.storage.store import digest_of
from ui.state import Current, Source, current, first_mapping, lang, raw_table, read_roster, source


@dataclass(frozen=True)
class Snapshot:
    """One roster of the analysis at a date: its own roster (MAIN) or a further one."""

    id: str
    source: Source
    date: dt.date
    sheet: str | None
    mapping: dict[str, str]

    @property
    def is_main(self) -> bool:
        return self.id == MAIN


def _main_date() -> dt.date:
    """The date of the analysis's own roster: the user's, else its file name's, else when it was made."""
    state = st.session_state
    if state.get("roster_date"):
        return dt.date.fromisoformat(state["roster_date"])
    opened = state.get("analysis")
    return date_in_name(source().name) or (opened.created_at.date() if opened else dt.date.today())


def _in_order(main: Snapshot, saved: list[dict], pending: dict[str, bytes]) -> list[Snapshot]:
    """The analysis's own roster and its saved snapshots, oldest first."""
    found = [main, *(Snapshot(s["id"], Source(s["file_name"], s["digest"], False, pending.get(s["digest"])),
                              dt.date.fromisoformat(s["date"]), s["sheet"], s["mapping"] or {}) for s in saved)]
    return sorted(found, key=lambda s: (s.date, not s.is_main))


def snapshots() -> list[Snapshot]:
    """Every roster of the open analysis, oldest first (the analysis's own roster among them)."""
    state = st.session_state
    current()  # the own roster's sheet and mapping are settled (or the page stops with why not)
    main = Snapshot(MAIN, source(), _main_date(), state["sheet"], state["mapping"])
    return _in_order(main, state.get("snapshots", []), state.get("pending_files", {}))


def shared_dates(found: list[Snapshot]) -> dict[dt.date, list[Snapshot]]:
    """Dates two or more rosters have: which came first is unknown until the user sets one (a roster dated by
    its upload day and another by its file name can fall on the same day)."""
    by_date: dict[dt.date, list[Snapshot]] = {}
    for snapshot in found:
        by_date.setdefault(snapshot.date, []).append(snapshot)
    return {day: sharing for day, sharing in by_date.items() if len(sharing) > 1}


def _default_compare(found: list[Snapshot]) -> dict[str, str]:
    """The two latest rosters, older first."""
    return {"before": found[-2].id, "after": found[-1].id} if len(found) >= 2 else {}


def _pair(found: list[Snapshot], chosen: dict[str, str]) -> tuple[Snapshot, Snapshot] | None:
    by_id = {s.id: s for s in found}
    if chosen.get("before") not in by_id or chosen.get("after") not in by_id or chosen["before"] == chosen["after"]:
        chosen = _default_compare(found)
    return (by_id[chosen["before"]], by_id[chosen["after"]]) if chosen else None


def compared() -> tuple[Snapshot, Snapshot] | None:
    """The two rosters being compared (the user's choice, else the two latest), or None with fewer than two."""
    return _pair(snapshots(), st.session_state.get("compare", {}))


def add_snapshot(upload) -> str | None:
    """Add an uploaded roster as a snapshot (once per upload), dated by its file name, else today,
    then rerun so the page shows it. Returns why it cannot be read (nothing is added then)."""
    state = st.session_state
    if upload is None or state.get("_added_snapshot") == upload.file_id:
        return None
    state["_added_snapshot"] = upload.file_id
    data = upload.getvalue()
    src = Source(upload.name, digest_of(data), False, data)
    try:
        raw = raw_table(src)
    except RosterError as error:
        return said(error, lang())
    snapshot = {"id": uuid.uuid4().hex[:8], "file_name": upload.name, "digest": src.digest, "sheet": raw.sheet,
                "mapping": first_mapping(src, raw), "date": (date_in_name(upload.name) or dt.date.today()).isoformat()}
    state["pending_files"] = {**state.get("pending_files", {}), src.digest: data}
    state["snapshots"] = [*state.get("snapshots", []), snapshot]
    state["compare"] = _default_compare(snapshots())
    st.rerun()


def _edit_snapshot(snapshot_id: str, **changes) -> None:
    state = st.session_state
    state["snapshots"] = [s | changes if s["id"] == snapshot_id else s for s in state.get("snapshots", [])]


def set_date(snapshot_id: str, date: dt.date) -> None:
    if snapshot_id == MAIN:
        st.session_state["roster_date"] = date.isoformat()
    else:
        _edit_snapshot(snapshot_id, date=date.isoformat())
    st.session_state["compare"] = _default_compare(snapshots())


def set_snapshot_mapping(snapshot_id: str, mapping: dict[str, str]) -> None:
    _edit_snapshot(snapshot_id, mapping=mapping)


def remove_snapshot(snapshot_id: str) -> None:
    state = st.session_state
    state["snapshots"] = [s for s in state.get("snapshots", []) if s["id"] != snapshot_id]
    state["compare"] = _default_compare(snapshots())


def set_compare(before: str, after: str) -> None:
    st.session_state["compare"] = {"before": before, "after": after}


def set_declined(declined: list[str]) -> None:
    st.session_state["declined_matches"] = sorted(set(declined))


def read_snapshot(snapshot: Snapshot) -> tuple[str, Roster]:
    """(roster key, roster) of a snapshot; RosterError when it cannot be read under its mapping."""
    if snapshot.is_main:
        ctx = current()
        return ctx.roster_key, ctx.roster
    return read_roster(snapshot.source, snapshot.sheet, snapshot.mapping)


@st.cache_resource(show_spinner="Classifying creators… / Mengklasifikasi kreator…", max_entries=8)
def _classified(key: str, _roster: Roster) -> pd.DataFrame:
    return classify_roster(_roster)


def _rows(snapshot: Snapshot, main: Current | None = None) -> tuple[str, pd.DataFrame]:
    """(roster key, classified rows) of a snapshot; the analysis's own roster from `main` (default: the
    open analysis)."""
    if snapshot.is_main:
        ctx = main or current()
        return ctx.roster_key, ctx.analysed
    key, roster = read_roster(snapshot.source, snapshot.sheet, snapshot.mapping)
    return key, _classified(key, roster)


@st.cache_resource(show_spinner="Matching accounts… / Mencocokkan akun…", max_entries=8)
def _compare(key: str, _before: pd.DataFrame, _after: pd.DataFrame, _scheme: TierScheme,
             declined: tuple[str, ...]) -> Changes:
    return compare_snapshots(_before, _after, _scheme, frozenset(declined))


def _changes_of(pair: tuple[Snapshot, Snapshot], scheme: TierScheme, declined: tuple[str, ...],
                main: Current | None = None) -> tuple[str, Changes]:
    (before_key, before), (after_key, after) = _rows(pair[0], main), _rows(pair[1], main)
    key = before_key + after_key + scheme.id + repr(declined)
    return key, _compare(key, before, after, scheme, declined)


def _changes(scheme: TierScheme) -> tuple[str, Snapshot, Snapshot, Changes] | None:
    pair = compared()
    if pair is None:
        return None
    key, result = _changes_of(pair, scheme, tuple(st.session_state.get("declined_matches", [])))
    return key, *pair, result


def changes(scheme: TierScheme) -> tuple[Snapshot, Snapshot, Changes] | None:
    """The compared rosters and what changed between them; None with fewer than two rosters.
    RosterError when one of them cannot be read."""
    found = _changes(scheme)
    return None if found is None else found[1:]


def comparison(scheme: TierScheme) -> tuple[str, Comparison] | None:
    """(cache key, comparison) for the client story: None with fewer than two readable rosters."""
    try:
        found = _changes(scheme)
    except RosterError:
        return None  # the Over time page says why
    if found is None:
        return None
    key, before, after, result = found
    return key, Comparison(result.accounts, before.date, after.date)


def saved_comparison(analysis: Analysis, main: Current) -> tuple[str, Comparison] | None:
    """The comparison a saved analysis's settings name (a client's link), without opening it in this
    session; None with fewer than two readable rosters."""
    saved = analysis.settings
    main_date = (dt.date.fromisoformat(saved.roster_date) if saved.roster_date
                 else date_in_name(analysis.file_name) or analysis.created_at.date())
    found = _in_order(Snapshot(MAIN, main.source, main_date, saved.sheet, saved.mapping or {}), saved.snapshots, {})
    pair = _pair(found, saved.compare)
    if pair is None:
        return None
    try:
        key, result = _changes_of(pair, main.scheme, tuple(saved.declined_matches), main)
    except RosterError:
        return None
    return key, Comparison(result.accounts, pair[0].date, pair[1].date)


@st.cache_resource(show_spinner=False, max_entries=4)
def _history(key: str, _labelled: list[tuple[str, pd.DataFrame]]) -> pd.DataFrame:
    return follower_history(_labelled)


def history() -> pd.DataFrame:
    """Followers of every account in every readable roster, oldest first (see follower_history), each roster
    labelled by its date in the UI language (and its file's name where two share a date)."""
    labelled, keys = [], [lang()]
    found = snapshots()
    shared = shared_dates(found)
    for snapshot in found:
        try:
            key, rows = _rows(snapshot)
        except RosterError:
            continue  # the page says which snapshot cannot be read
        label = format_date(snapshot.date, lang())
        labelled.append((f"{label} · {snapshot.source.name}" if snapshot.date in shared else label, rows))
        keys.append(key)
    return _history("".join(keys), labelled)

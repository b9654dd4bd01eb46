"""What an analysis is: everything a user builds on one roster, as plain JSON-able settings.

The file itself is stored apart (by content hash) and so is its parsed roster; `Settings` holds the
choices made on it. An unknown key in stored settings is ignored and a missing one takes its
default, so settings saved by an older version still open.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import types
import typing
from dataclasses import dataclass, field

from tiers.analysis.engagement import DEFAULT_NORMS
from tiers.analysis.schemes import DEFAULT_SCHEME

DEFAULT_ACCENT = "#219ebc"
MAIN = "main"  # the id of an analysis's own roster among its snapshots
SNAPSHOT_KINDS = {"id": str, "file_name": str, "digest": str, "date": str, "sheet": (str, type(None)),
                  "mapping": (dict, type(None))}


def _kinds(hint) -> tuple[type, ...]:
    """The runtime types a field's annotation admits (`float | None` -> float, int)."""
    members = typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,)
    kinds = tuple(typing.get_origin(m) or m for m in members if m is not type(None))
    return (*kinds, int) if float in kinds else kinds


@dataclass
class Settings:
    sheet: str | None = None  # None until the file is first read: then the sheet holding the roster
    mapping: dict[str, str] | None = None  # field -> header (every correction), None until first guessed
    scheme: str = DEFAULT_SCHEME
    norms: str = DEFAULT_NORMS
    custom_norms: dict | None = None  # a norm set shaped like tiers/norms/*.toml, when the user made one
    filters: dict[str, list[str]] = field(default_factory=lambda: {"platforms": [], "niches": [], "cities": []})
    nano_tags: dict[str, str] = field(default_factory=dict)  # row key -> native / non-native
    idr_per_unit: float | None = None  # exchange rate for the rate card, when the user changed it
    planner: dict = field(default_factory=dict)  # the budget planner's last inputs (tiers.analysis.planner)
    shortlist: list[str] = field(default_factory=list)  # row keys, in the order chosen
    brand: str = ""  # the client
    agency: str = ""
    accent: str = DEFAULT_ACCENT
    logo: str | None = None  # SHA-256 of the agency logo's bytes, stored as a file
    lang: str = "en"
    roster_date: str | None = None  # ISO date of the analysis's own roster (None: from its file name)
    # Further rosters of the same creators at other dates: {id, file_name, digest (SHA-256 of the
    # stored file), sheet, mapping, date (ISO)}, each read like the analysis's own roster.
    snapshots: list[dict] = field(default_factory=list)
    compare: dict[str, str] = field(default_factory=dict)  # {"before": id, "after": id}; MAIN is the own roster
    declined_matches: list[str] = field(default_factory=list)  # name matches the user said are not one account

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self), ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_dict(cls, data: dict) -> Settings:
        """Settings from stored JSON; ValueError when a known key holds the wrong kind of value."""
        if not isinstance(data, dict):
            raise ValueError("the settings are not a JSON object")
        hints = typing.get_type_hints(cls)
        kept = {name: value for name, value in data.items() if name in hints and value is not None}
        for name, value in kept.items():
            if not isinstance(value, _kinds(hints[name])):
                raise ValueError(f"the setting '{name}' has the wrong kind of value")
        for snapshot in kept.get("snapshots", []):
            if not (isinstance(snapshot, dict) and all(isinstance(snapshot.get(k), kind)
                                                       for k, kind in SNAPSHOT_KINDS.items())
                    and len(snapshot["digest"]) == 64 and _is_date(snapshot["date"])):
                raise ValueError("a snapshot in the settings is malformed")
        if kept.get("roster_date") is not None and not _is_date(kept["roster_date"]):
            raise ValueError("the setting 'roster_date' is not a date")
        return cls(**kept)

    @classmethod
    def from_json(cls, text: str) -> Settings:
        return cls.from_dict(json.loads(text))


def _is_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class Analysis:
    """A saved analysis: its settings, the file it reads and the version its last save made."""

    id: str
    name: str
    file_name: str
    file_digest: str
    settings: Settings
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime
    created_by: str = ""  # the signed-in member's email ("" in single-user mode)
    updated_by: str = ""

    @property
    def client(self) -> str:
        return self.settings.brand


@dataclass(frozen=True)
class Summary:
    """One line of the list of saved work (no settings, no bytes)."""

    id: str
    name: str
    client: str
    file_name: str
    created_at: dt.datetime
    updated_at: dt.datetime
    updated_by: str = ""


def by_client(summaries: list[Summary]) -> list[tuple[str, list[Summary]]]:
    """Analyses grouped by client, each group newest first, the group with the newest work first."""
    groups: dict[str, list[Summary]] = {}
    for summary in sorted(summaries, key=lambda s: s.updated_at, reverse=True):
        groups.setdefault(summary.client, []).append(summary)
    return list(groups.items())

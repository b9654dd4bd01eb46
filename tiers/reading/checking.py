"""A reading checked by its result: the roster a mapping gives is judged (share rejected, and as
duplicates, distinct identities, follower counts present, platforms recognised, engagement rates in
a plausible range). When the best assignment of column roles gives an implausible roster and a
runner-up gives a plausible one, the runner-up is read and the switch is said; when none does, the
problems are said, each naming the column to check.

Problems are (message key, parameters) pairs, so the app and the CLI say them in any language.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import numpy as np

from tiers.presenting.messages import N_
from tiers.reading.profile import sample_rows
from tiers.reading.read import SHEET_COLUMN, UNNAMED, RawTable, RosterError
from tiers.reading.roles import Assignment, assign_roles
from tiers.reading.roster import Roster, build_roster, platform_of_sheet

MOST_REJECTED = 0.5  # of the creator rows rejected
MOST_DUPLICATES = 0.3  # of the creator rows rejected as repeating another row
FEW_FOLLOWERS = 0.5  # of the creator rows with a follower count read
UNKNOWN_PLATFORMS = 0.5  # of the rows whose platform cell names no platform
MAX_MEDIAN_RATE = 0.5  # a median engagement rate above 50% is not a reading of engagement rates
SEVERE = (N_("reading_most_rejected"), N_("reading_mostly_duplicates"), N_("reading_few_followers"))
OTHER = (N_("reading_platforms_unknown"), N_("reading_rate_implausible"), N_("reading_switched"),
         N_("reading_switched_off"), N_("field_tier_stated"))


@dataclass(frozen=True)
class Problem:
    key: str  # a message key (tiers/presenting/locales)
    params: dict = field(default_factory=dict)

    @property
    def severe(self) -> bool:
        return self.key in SEVERE


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def check_roster(roster: Roster) -> list[Problem]:
    """What looks wrong in a roster as read, each problem naming the column to check; a big
    roster is judged by a sample of its rows (shares, not single rows, are what is judged)."""
    rows = sample_rows(roster.rows)
    rows = rows[rows["row_kind"] == "creator"]
    n, mapping = len(rows), roster.mapping
    if n == 0:
        return []
    problems = []
    followers = mapping.get("followers") or ", ".join(h for k, h in mapping.items() if k.startswith("followers@"))
    identity = mapping.get("handle") or mapping.get("name") or ""
    reason = rows["reason"].fillna("")
    duplicates = int(reason.str.startswith("duplicate of").sum())
    rejected = int((rows["status"] == "rejected").sum())
    if n >= 4 and _share(duplicates, n) > MOST_DUPLICATES:
        problems.append(Problem("reading_mostly_duplicates", {"share": _share(duplicates, n), "column": identity}))
    elif n >= 4 and _share(rejected, n) > MOST_REJECTED:
        problems.append(Problem("reading_most_rejected", {"share": _share(rejected, n), "column": followers}))
    if n >= 4 and _share(int(rows["followers"].notna().sum()), n) < FEW_FOLLOWERS:
        problems.append(Problem("reading_few_followers", {"share": _share(int(rows["followers"].notna().sum()), n),
                                                          "column": followers}))
    platform = mapping.get("platform")
    if platform and platform != SHEET_COLUMN and n >= 4 and (rows["platform"] == "other").mean() > UNKNOWN_PLATFORMS:
        problems.append(Problem("reading_platforms_unknown", {"column": platform}))
    ok = rows[rows["status"] == "ok"]
    interactions = ok[["likes", "comments"]].sum(axis=1, min_count=1).fillna(ok["engagements"])
    rate = ok["engagement_rate"].fillna(interactions / ok["followers"])
    median = float(np.nanmedian(rate)) if rate.notna().any() else np.nan
    if median > MAX_MEDIAN_RATE:
        columns = [mapping[f] for f in ("engagement_rate", "engagements", "likes", "comments") if f in mapping]
        problems.append(Problem("reading_rate_implausible", {"rate": median, "column": ", ".join(columns)}))
    return problems


@dataclass(frozen=True)
class Reading:
    """The mapping a sheet is read with, each role's runner-up, and what the check of its roster said."""

    mapping: dict[str, str]
    runner_up: dict[str, str] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()  # of the reading taken (on a sample of the sheet's rows)
    switched: tuple[Problem, ...] = ()  # a runner-up taken because the best assignment read implausibly


def _sample(raw: RawTable) -> RawTable:
    cells = sample_rows(raw.cells)
    if len(cells) == len(raw.cells):
        return raw
    rows = raw.row_sheets[raw.cells.index.get_indexer(cells.index)] if raw.row_sheets is not None else None
    return dataclasses.replace(raw, cells=cells, row_sheets=rows)


def _judged(raw: RawTable, mapping: dict[str, str]) -> list[Problem] | None:
    try:
        return check_roster(build_roster(raw, mapping))
    except RosterError:
        return None


def with_role(mapping: dict[str, str], role: str, header: str) -> dict[str, str]:
    """`mapping` with `header` read as `role`; the role `header` had, if any, takes the role's old
    column (the two swap), else that old column is no longer read."""
    holder = next((r for r, h in mapping.items() if h == header), None)
    out = {r: h for r, h in mapping.items() if h != header}
    if holder and role in mapping:
        out[holder] = mapping[role]
    return out | {role: header}


def _alternatives(assignment: Assignment) -> list[tuple[str, dict[str, str]]]:
    """Readings one choice away from the best: a role's runner-up in its place (the two columns
    swapping roles when the runner-up had one), or an identity role left unread."""
    best, out = assignment.mapping, []
    for role in ("handle", "name", "followers", "platform"):
        if assignment.runner_up.get(role):
            out.append((role, with_role(best, role, assignment.runner_up[role])))
        if role in ("handle", "name", "platform") and role in best:
            out.append((role, {r: h for r, h in best.items() if r != role}))
    return out


def _checked(raw: RawTable, assignment: Assignment, mapping: dict[str, str], problems: list[Problem]) -> Reading:
    """The reading: the best assignment's when its roster is plausible, else the first alternative
    whose roster (of a sample of the rows) is, said as a switch; else the best, with its problems."""
    if not any(p.severe for p in problems):
        return Reading(mapping, assignment.runner_up, tuple(problems))
    sample = _sample(raw)
    # Leaving a column unread removes the checks it feeds (a row without a handle, a handle twice), so it
    # is a remedy only for what a wrong identity column causes: rows repeating one another. Rows rejected
    # for their follower counts stay rejected whatever is read as the handle.
    duplicates = any(p.key == "reading_mostly_duplicates" for p in problems)
    for role, candidate in _alternatives(assignment):
        if role not in candidate and not duplicates:
            continue
        candidate = platform_of_sheet(raw, candidate)
        judged = _judged(sample, candidate)
        if judged is not None and not any(p.severe for p in judged):
            said = Problem("reading_switched" if candidate.get(role) else "reading_switched_off",
                           {"field": role, "first": mapping.get(role, ""), "chosen": candidate.get(role, "")})
            runner_up = dict(assignment.runner_up) | ({role: mapping[role]} if role in mapping else {})
            return Reading(candidate, runner_up, tuple(judged), (said,))
    return Reading(mapping, assignment.runner_up, tuple(problems))


def _best(raw: RawTable) -> tuple[Assignment, dict[str, str]]:
    # Cells under no header ('column C') belong to no field unless the user maps them.
    unnamed = tuple(h for h in raw.headers if h.startswith(UNNAMED))
    assignment = assign_roles(raw.cells, exclude=(SHEET_COLUMN, *unnamed))
    return assignment, platform_of_sheet(raw, dict(assignment.mapping))


def read_roles(raw: RawTable) -> Reading:
    """The reading of a sheet (see the module docstring), judged on a sample of its rows."""
    assignment, mapping = _best(raw)
    return _checked(raw, assignment, mapping, _judged(_sample(raw), mapping) or [])


def read_checked(raw: RawTable) -> tuple[Reading, Roster]:
    """The reading of a sheet and the roster it gives, judged on that roster itself: a plausible
    sheet (the common case) is built once; an implausible one is built again only when a runner-up
    reads plausibly. RosterError when the best reading makes no roster at all."""
    assignment, mapping = _best(raw)
    roster = build_roster(raw, mapping)
    reading = _checked(raw, assignment, mapping, check_roster(roster))
    if reading.switched:
        roster = build_roster(raw, reading.mapping)
    return reading, roster


def problem_text(problem: Problem, lang: str) -> str:
    """A problem in words, in `lang`."""
    from tiers.presenting.i18n import format_percent, translator  # presenting builds on reading, not the reverse

    t = translator(lang)
    params = dict(problem.params)
    for name in ("share", "rate"):
        if name in params:
            params[name] = format_percent(params[name], lang, digits=0 if name == "share" else 1)
    if "field" in params:
        params["field"] = t(f"field_{params['field']}").lower()
    return t(problem.key, **params)

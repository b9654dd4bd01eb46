"""Which column plays which role (handle, name, followers, ...), decided once for the whole sheet.

Every (column, role) pair gets a score: what its header says (an exact synonym, a partial one, a
header that names the creator without saying whether as a handle or a name) plus what its cells
say (tiers.reading.profile), or no score at all when the cells rule the role out (a column of a few
distinct words is a category, never a handle; a column of tier words is never a count; a rate column
holds rates). The assignment that maximises the total, one column per role and one role per column,
is the reading (scipy's linear_sum_assignment); for every role the next best column is kept, so a
wrong guess is one choice away.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from tiers.reading.columns import FIELDS, guess_wide_mapping, header_matches, header_platform, normalise_header
from tiers.reading.numbers import header_unit, parse_count
from tiers.reading.profile import profile_columns, sample_rows

HEADER_WEIGHT = 3.0  # an exact synonym; a partial one scores 0.8 of it
IDENTITY_WEIGHT = 1.5  # a header naming the creator, for the identity role it does not name ('KOL' for a name)
MIN_SCORE = 2.0  # a role is read from a column only when the pair scores at least this
RUNNER_UP_SCORE = 1.5  # a column kept as a role's runner-up scores at least this for it
LIFETIME_VIEWS = 20  # views per post this many times the followers are a channel's lifetime views
RULED_OUT = -1e6
IDENTITY = ("handle", "name")
COUNTS = ("likes", "comments", "shares", "saves", "engagements", "views")
ROLES = FIELDS
# Headers that name one role but may hold another: 'Channel' is a platform column or the channel's
# name; 'Engagement' a rate or a count of engagements. The cells decide; the second role scores less.
SECOND_ROLES = {"platform": (("handle", IDENTITY_WEIGHT), ("name", IDENTITY_WEIGHT)),
                "engagement_rate": (("engagements", 0.9 * HEADER_WEIGHT),)}
_EXPLICIT_RATE = r"\b(rate|er|tingkat|persen|kadar|ratio)\b|%"


def header_scores(headers: list[str]) -> pd.DataFrame:
    """Score of each (header, role) from the header's words alone."""
    scores = np.zeros((len(headers), len(ROLES)))
    column = {role: i for i, role in enumerate(ROLES)}
    for row, header in enumerate(headers):
        matches = header_matches(header) or header_matches(header_platform(header)[1])
        for role, confidence, _ in matches:
            others = [(other, IDENTITY_WEIGHT) for other in IDENTITY if other != role] if role in IDENTITY else []
            others += SECOND_ROLES.get(role, [])
            if role == "engagement_rate" and re.search(_EXPLICIT_RATE, normalise_header(header)):
                others = []  # 'Engagement rate', 'ER %' are rates whatever the cells look like
            for other, weight in [(role, HEADER_WEIGHT), *others]:
                scores[row, column[other]] = max(scores[row, column[other]], weight * confidence)
    return pd.DataFrame(scores, index=pd.Index(headers, dtype=object), columns=list(ROLES))


def content_scores(profiles: pd.DataFrame, headers: pd.DataFrame) -> pd.DataFrame:
    """Score of each (column, role) from its cells, RULED_OUT where the cells contradict the role."""
    p = {kind: profiles[kind].to_numpy() for kind in profiles.columns}  # NumPy: a few columns, many steps
    names = [normalise_header(h) for h in profiles.index]
    empty = p["filled"] == 0
    counts = p["number"] + p["compact"]
    linked = p["at_handle"] + p["link"]
    many = p["filled"] >= 8
    categorical = many & ((p["distinct"] < 0.25) | (p["distinct_count"] <= 0.3 * p["filled"]))
    tiered = p["tier_word"] >= 0.5
    textual = (1 - counts - p["percent"] - p["money"] - p["date"]) >= 0.5
    rates = p["percent"] + p["fraction"]
    explicit_rate = np.array([bool(re.search(_EXPLICIT_RATE, name)) for name in names], dtype=bool)
    out = dict.fromkeys(ROLES, np.zeros(len(names)))

    def rule(role: str, allowed: np.ndarray, score: np.ndarray | float) -> None:
        out[role] = np.where(allowed, score, RULED_OUT)

    identity_ok = ~empty & textual & ~categorical & ~tiered
    handle_like, name_like = p["bare_handle"], p["display_name"]
    rule("handle", identity_ok & ~(many & (p["distinct"] < 0.5)), 3 * linked + 1.5 * handle_like - 1.5 * name_like)
    rule("name", identity_ok & (p["platform_word"] < 0.8), 1.5 * name_like + 0.5 * handle_like - 3 * linked)
    rule("platform", p["platform_word"] >= 0.5, 2 * p["platform_word"])
    # A count column counts: tier words, percentages or money rule it out; other text is left to its
    # header, so that a 'Followers' column of 'abc' is read and its rows rejected with their reason.
    numeric = ~tiered & (p["percent"] < 0.3) & (p["money"] < 0.3)
    rule("followers", numeric, counts)
    for role in COUNTS:
        rule(role, numeric, 0.5 * counts * (1 - rates))
    rule("engagement_rate", empty | (~tiered & ((rates >= 0.5) | (explicit_rate & (counts + p["percent"] >= 0.5))
                                                 | ((headers["engagement_rate"].to_numpy() > 0)
                                                    & (p["small_decimal"] >= 0.5)))),
         1.5 * rates)
    in_units = np.array([header_unit(h) != 1 for h in profiles.index], dtype=bool)  # 'Harga (juta)': 1,5
    rule("fee", empty | (~tiered & ((p["small_decimal"] < 0.5) | in_units) & (p["percent"] < 0.3)
                         & (counts + p["money"] >= 0.5)), 0.5 * (counts + p["money"]) + p["money"])
    for role in ("niche", "city", "nano_type"):
        rule(role, empty | (textual & (linked < 0.3) & ~tiered), 0.0)
    rule("tier_stated", p["tier_word"] >= 0.6, 3 * p["tier_word"])
    return pd.DataFrame(out, index=profiles.index, columns=list(ROLES))


@dataclass(frozen=True)
class Assignment:
    """The roles read from the sheet's columns, with every pair's score and each role's runner-up."""

    mapping: dict[str, str]  # role -> header (wide layouts: 'followers@tiktok' -> header)
    runner_up: dict[str, str] = field(default_factory=dict)  # role -> the next best header for it
    scores: pd.DataFrame = field(default_factory=pd.DataFrame)  # header x role


def assign_roles(cells: pd.DataFrame, exclude: tuple[str, ...] = ()) -> Assignment:
    """The best assignment of roles to the columns of `cells` (see the module docstring)."""
    headers = [h for h in cells.columns if h not in exclude]
    wide = guess_wide_mapping(headers)
    taken = {header for header, _ in wide.values()}
    free = [h for h in headers if h not in taken]
    roles = [r for r in ROLES if not (wide and r == "followers")]
    by_header = header_scores(free)
    scores = (by_header + content_scores(profile_columns(sample_rows(cells)[free]), by_header))[roles]
    mapping = {key: header for key, (header, _) in wide.items()}
    if not free:
        return Assignment(mapping, {}, scores)
    gain = np.where(scores.to_numpy() >= MIN_SCORE, scores.to_numpy() - MIN_SCORE + 1e-6, RULED_OUT).T  # role x col
    # Each role may also stay unread (a dummy column of its own, gain 0).
    dummies = np.full((len(roles), len(roles)), RULED_OUT)
    np.fill_diagonal(dummies, 0.0)
    order = np.arange(len(free))  # ties go to the leftmost column
    tie = -1e-9 * order
    from scipy.optimize import linear_sum_assignment  # here: scipy takes a second to import at start-up

    role_of, column_of = linear_sum_assignment(np.hstack([gain + tie, dummies]), maximize=True)
    for role, column in zip(role_of, column_of, strict=True):
        if column < len(free) and gain[role, column] > 0:
            mapping[roles[role]] = free[column]
    if _lifetime_views(cells, mapping):
        del mapping["views"]  # a channel's lifetime total (YouTube's video_views), not views per post
    runner_up = {}
    for role in roles:
        chosen = mapping.get(role)
        ranked = scores[role].drop(chosen) if chosen else scores[role]
        ranked = ranked[ranked >= RUNNER_UP_SCORE].sort_values(ascending=False, kind="stable")
        if len(ranked):
            runner_up[role] = ranked.index[0]
    return Assignment(mapping, runner_up, scores)


def _lifetime_views(cells: pd.DataFrame, mapping: dict[str, str]) -> bool:
    """Whether the views column counts far more than the followers on the same rows: views summed
    over a channel's life, not views per post."""
    if "views" not in mapping or "followers" not in mapping:
        return False
    sample = sample_rows(cells)
    views = parse_count(sample[mapping["views"]])["value"].to_numpy()
    followers = parse_count(sample[mapping["followers"]])["value"].to_numpy()
    ratio = views / np.where(followers > 0, followers, np.nan)
    return bool(np.isfinite(ratio).any() and np.nanmedian(ratio) > LIFETIME_VIEWS)

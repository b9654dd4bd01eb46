"""Tier schemes: follower thresholds read from the data files in tiers/schemes/.

No threshold is written in code. Each file names its source and year; lower bounds are inclusive
(a creator with exactly `min_followers` belongs to that tier).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

SCHEME_DIR = Path(__file__).parents[1] / "schemes"
DEFAULT_SCHEME = "partipost"
# Display order of every tier id any scheme may use, smallest first.
TIER_ORDER = ("nano", "micro", "mid", "macro", "mega")


@dataclass(frozen=True)
class Tier:
    id: str
    min_followers: int


@dataclass(frozen=True)
class TierScheme:
    id: str
    name: str
    source: str
    year: int
    note: str
    tiers: tuple[Tier, ...]

    @property
    def tier_ids(self) -> list[str]:
        return [t.id for t in self.tiers]

    def bounds_label(self, tier_id: str) -> str:
        """`5K–30K`-style range of one tier, for legends and tables."""
        i = self.tier_ids.index(tier_id)
        lo = self.tiers[i].min_followers
        hi = self.tiers[i + 1].min_followers if i + 1 < len(self.tiers) else None
        if hi is None:
            return f"≥ {compact(lo)}"
        if lo == 0:
            return f"< {compact(hi)}"
        return f"{compact(lo)}–{compact(hi)}"


def compact(n: float) -> str:
    """1_000 -> '1K', 1_500_000 -> '1.5M': for labels, not for data."""
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if n >= size:
            return f"{n / size:g}{suffix}"
    return f"{n:g}"


def _validate(data: dict, path: Path) -> TierScheme:
    missing = {"id", "name", "source", "year", "tiers"} - data.keys()
    if missing:
        raise ValueError(f"{path.name}: missing {sorted(missing)}")
    tiers = tuple(Tier(str(t["id"]), int(t["min_followers"])) for t in data["tiers"])
    bounds = [t.min_followers for t in tiers]
    if not tiers or bounds[0] != 0 or bounds != sorted(set(bounds)):
        raise ValueError(f"{path.name}: tiers must start at 0 followers and rise strictly")
    unknown = {t.id for t in tiers} - set(TIER_ORDER)
    if unknown:
        raise ValueError(f"{path.name}: unknown tier ids {sorted(unknown)}")
    return TierScheme(data["id"], data["name"], data["source"], int(data["year"]),
                      data.get("note", ""), tiers)


@cache
def all_schemes() -> dict[str, TierScheme]:
    """Every scheme shipped in tiers/schemes/, default first."""
    schemes = {}
    for path in sorted(SCHEME_DIR.glob("*.toml")):
        scheme = _validate(tomllib.loads(path.read_text(encoding="utf-8")), path)
        schemes[scheme.id] = scheme
    return dict(sorted(schemes.items(), key=lambda kv: kv[0] != DEFAULT_SCHEME))


def get_scheme(scheme_id: str) -> TierScheme:
    schemes = all_schemes()
    if scheme_id not in schemes:
        raise KeyError(f"unknown tier scheme '{scheme_id}'; choose one of: {', '.join(schemes)}")
    return schemes[scheme_id]


def classify(followers: pd.Series, scheme: TierScheme) -> pd.Series:
    """Tier id of each follower count (categorical in the scheme's order; NaN stays NaN)."""
    edges = [t.min_followers for t in scheme.tiers] + [np.inf]
    return pd.cut(followers, bins=edges, right=False, labels=scheme.tier_ids)

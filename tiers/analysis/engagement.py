"""Engagement rates and their comparison with sourced tier norms (tiers/norms/*.toml).

A norm is only comparable with an ER of the same definition, so each norm set names its
denominator (`basis`) and the interactions it counts (`components`), and the ER compared with it is
computed that way. No denominator (missing or zero followers/views) means "no data", never 0%.
Norm bands are defined on follower ranges, so a norm set applies under any tier scheme: a creator's
norm is the band of its platform (or the set's "all" bands) whose range holds its follower count.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

NORM_DIR = Path(__file__).parents[1] / "norms"
DEFAULT_NORMS = "partipost_2022"
INTERACTIONS = ("likes", "comments", "shares", "saves")
VIEW_PLATFORMS = ("tiktok", "youtube")
VERDICTS = ("below", "within", "above", "no data", "no norm")


@dataclass(frozen=True)
class NormSet:
    id: str
    name: str
    source: str
    year: int
    er_definition: str
    basis: str
    components: tuple[str, ...]
    note: str
    bands: pd.DataFrame  # platform, min_followers, low, high
    translations: dict = field(default_factory=dict)  # lang -> {name, source, note, er_definition}, from its file

    def text(self, what: str, lang: str) -> str:
        """The set's name, source, note or ER definition in `lang` (its file's English where it gives none)."""
        return self.translations.get(lang, {}).get(what) or getattr(self, what)

    def to_dict(self) -> dict:
        """The set shaped like its TOML file: what `validate_norms` reads back (a custom set is saved so)."""
        return {"id": self.id, "name": self.name, "source": self.source, "year": self.year,
                "er_definition": self.er_definition, "basis": self.basis, "components": list(self.components),
                "note": self.note, "bands": self.bands.to_dict("records"), "translations": self.translations}


def _load_norms(path: Path) -> NormSet:
    return validate_norms(tomllib.loads(path.read_text(encoding="utf-8")), path.name)


def validate_norms(data: dict, where: str) -> NormSet:
    """A NormSet from a dict shaped like the TOML files, or ValueError naming every problem."""
    bands = pd.DataFrame(data.get("bands", []), columns=["platform", "min_followers", "low", "high"])
    bands["platform"] = bands["platform"].astype(str).str.strip().str.lower()  # before the checks: one platform
    problems = []
    if data.get("basis") not in ("followers", "views"):
        problems.append("basis must be 'followers' or 'views'")
    if not set(data.get("components", [])) <= set(INTERACTIONS) or not data.get("components"):
        problems.append(f"components must be some of {INTERACTIONS}")
    numbers = bands[["min_followers", "low", "high"]].apply(pd.to_numeric, errors="coerce")
    if bands.empty or numbers.isna().any().any():
        problems.append("every band needs numbers for min_followers, low and high")
    elif (numbers["low"] > numbers["high"]).any() or (numbers < 0).any().any() or (numbers["high"] > 1).any():
        problems.append("bands need 0 <= low <= high <= 1 (rates are fractions: 3% is 0.03)")
    else:
        bands[["min_followers", "low", "high"]] = numbers
    if not bands.empty and not bands.groupby("platform")["min_followers"].min().eq(0).all():
        problems.append("each platform's bands must start at 0 followers")
    if bands.duplicated(["platform", "min_followers"]).any():
        problems.append("two bands share a platform and lower bound")
    for key in ("id", "name", "source", "year", "er_definition"):
        if key not in data:
            problems.append(f"missing {key}")
    if problems:
        raise ValueError(f"{where}: " + "; ".join(problems))
    return NormSet(data["id"], data["name"], data["source"], int(data["year"]), data["er_definition"],
                   data["basis"], tuple(data["components"]), data.get("note", ""),
                   bands.sort_values(["platform", "min_followers"]).reset_index(drop=True),
                   dict(data.get("translations") or {}))


def norm_ids() -> list[str]:
    """The shipped norm sets' ids (each file is named after its id), without reading the files."""
    return sorted(path.stem for path in NORM_DIR.glob("*.toml"))


@cache
def all_norm_sets() -> dict[str, NormSet]:
    sets = {n.id: n for n in map(_load_norms, sorted(NORM_DIR.glob("*.toml")))}
    return dict(sorted(sets.items(), key=lambda kv: kv[0] != DEFAULT_NORMS))


def get_norm_set(norm_id: str) -> NormSet:
    sets = all_norm_sets()
    if norm_id not in sets:
        raise KeyError(f"unknown norm set '{norm_id}'; choose one of: {', '.join(sets)}")
    return sets[norm_id]


def interactions(frame: pd.DataFrame, components: tuple[str, ...] = INTERACTIONS) -> pd.Series:
    """Sum of the interaction counts present; where a row has none of them, the roster's own total
    engagements per post (HypeAuditor-style exports give only that); else NaN."""
    total = frame[list(components)].sum(axis=1, min_count=1)
    return total.fillna(frame["engagements"]) if "engagements" in frame else total


def _per(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    return numerator / denominator.where(denominator > 0)


def by_views(frame: pd.DataFrame) -> pd.Series:
    """Rows measured per view (TikTok and YouTube with known views) rather than per follower."""
    return frame["platform"].isin(VIEW_PLATFORMS) & (frame["views"] > 0)


def engagement_rates(frame: pd.DataFrame) -> pd.DataFrame:
    """Computed ER (per view on TikTok/YouTube when views exist, else per follower) and the final ER.

    `engagement_rate` is the roster's own ER where it has one, else the computed one.
    """
    total = interactions(frame)
    per_view = by_views(frame)
    computed = _per(total, frame["views"]).where(per_view, _per(total, frame["followers"]))
    codes = np.where(computed.isna(), -1, per_view.to_numpy(dtype=bool).astype(np.int8))
    basis = pd.Series(pd.Categorical.from_codes(codes, ["followers", "views"]), index=frame.index)
    return pd.DataFrame({
        "engagement_rate": frame["engagement_rate"].fillna(computed),
        "engagement_rate_computed": computed,
        "er_basis": basis,
    }, index=frame.index)


def norm_bands(frame: pd.DataFrame, norms: NormSet) -> pd.DataFrame:
    """The norm band (low, high) of each row, found by platform and follower count."""
    out = pd.DataFrame({"norm_low": np.nan, "norm_high": np.nan}, index=frame.index)
    own = set(norms.bands["platform"]) - {"all"}
    for platform, bands in norms.bands.groupby("platform"):  # a handful of platforms, not rows
        rows = frame["platform"] == platform if platform != "all" else ~frame["platform"].isin(own)
        edges = [*bands["min_followers"], np.inf]
        position = pd.cut(frame.loc[rows, "followers"], bins=edges, right=False, labels=False)
        found = position.notna()
        picked = bands.iloc[position[found].astype(int)]
        out.loc[position[found].index, "norm_low"] = picked["low"].to_numpy()
        out.loc[position[found].index, "norm_high"] = picked["high"].to_numpy()
    return out


def compare_to_norms(frame: pd.DataFrame, norms: NormSet) -> pd.DataFrame:
    """ER on the norm set's own definition, the creator's band, and a verdict from VERDICTS.

    Where the roster lacks the counts to compute that ER, the roster's own ER is used.
    """
    denominator = frame[norms.basis]
    er = _per(interactions(frame, norms.components), denominator).fillna(frame["engagement_rate"])
    bands = norm_bands(frame, norms)
    verdict = np.select(
        [er.isna(), bands["norm_low"].isna(), er < bands["norm_low"], er > bands["norm_high"]],
        ["no data", "no norm", "below", "above"], default="within")
    return pd.DataFrame({"er_vs_norm": er, **bands, "verdict": verdict}, index=frame.index)

"""Estimated fees for creators the roster has no rate for, from a sourced rate-card data file.

Every estimate is marked (`fee_estimated`), so no page or export shows it as the roster's own.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

RATECARD_DIR = Path(__file__).parents[1] / "ratecards"
DEFAULT_RATECARD = "industry_2021_usd"


@dataclass(frozen=True)
class RateCard:
    id: str
    name: str
    source: str
    year: int
    currency: str
    idr_per_unit: float
    note: str
    bands: pd.DataFrame  # platform, min_followers, low, high, estimate
    translations: dict = field(default_factory=dict)  # lang -> {name, source, note}, from its file

    def text(self, what: str, lang: str) -> str:
        """The card's name, source or note in `lang` (its file's English where it gives none)."""
        return self.translations.get(lang, {}).get(what) or getattr(self, what)


@cache
def get_ratecard(ratecard_id: str = DEFAULT_RATECARD) -> RateCard:
    data = tomllib.loads((RATECARD_DIR / f"{ratecard_id}.toml").read_text(encoding="utf-8"))
    bands = pd.DataFrame(data["bands"]).reindex(columns=["platform", "min_followers", "low", "high"])
    # Geometric mean of a closed range; the lower bound of an open one; nothing without a range.
    bands["estimate"] = np.where(bands["high"].notna(), np.sqrt(bands["low"] * bands["high"]), bands["low"])
    bands = bands.sort_values(["platform", "min_followers"]).reset_index(drop=True)
    return RateCard(data["id"], data["name"], data["source"], int(data["year"]), data["currency"],
                    float(data["idr_per_unit"]), data.get("note", ""), bands, data.get("translations", {}))


def estimated_fees(frame: pd.DataFrame, card: RateCard, currency: str, idr_per_unit: float | None = None) -> pd.Series:
    """The rate card's estimate for each creator, in `currency` (the card's own, or IDR converted at
    `idr_per_unit`); NaN where the card has no range or the currency cannot be converted."""
    rate = card.idr_per_unit if idr_per_unit is None else idr_per_unit
    factor = 1.0 if currency == card.currency else (rate if currency == "IDR" else np.nan)
    out = pd.Series(np.nan, index=frame.index)
    for platform, bands in card.bands.groupby("platform"):  # a few platforms, not rows
        rows = frame["platform"] == platform
        position = pd.cut(frame.loc[rows, "followers"], [*bands["min_followers"], np.inf], right=False, labels=False)
        found = position.dropna().astype(int)
        out.loc[found.index] = bands["estimate"].to_numpy()[found.to_numpy()] * factor
    return _three_significant_figures(out)


def _three_significant_figures(values: pd.Series) -> pd.Series:
    """An estimate from a price band carries no more precision than this: Rp 1,010,000, not 1,011,928.851."""
    step = 10.0 ** (np.floor(np.log10(values.where(values > 0))) - 2)
    return (values / step).round() * step


def fill_fees(frame: pd.DataFrame, card: RateCard, currency: str, idr_per_unit: float | None = None) -> pd.DataFrame:
    """`fee` with gaps filled from the rate card, and `fee_estimated` saying which ones were."""
    estimate = estimated_fees(frame, card, currency, idr_per_unit)
    missing = frame["fee"].isna() & estimate.notna()
    return pd.DataFrame({"fee": frame["fee"].where(~missing, estimate), "fee_estimated": missing},
                        index=frame.index)

"""Compare two tier schemes on the same creators: who changes tier, per platform."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tiers.analysis.schemes import TierScheme, classify


def scheme_crosstab(creators: pd.DataFrame, a: TierScheme, b: TierScheme,
                    platform: str | None = None) -> pd.DataFrame:
    """Creators counted by (tier under `a`, tier under `b`), rows and columns in scheme order."""
    followers = creators["followers"] if platform is None else creators.loc[creators["platform"] == platform,
                                                                            "followers"]
    under_a = classify(followers, a).cat.codes.to_numpy()
    under_b = classify(followers, b).cat.codes.to_numpy()
    both = (under_a >= 0) & (under_b >= 0)  # a creator outside either scheme's tiers is in no cell
    cells = np.bincount(under_a[both].astype(np.int64) * len(b.tier_ids) + under_b[both],
                        minlength=len(a.tier_ids) * len(b.tier_ids))  # one pass, not pandas' groupby
    return pd.DataFrame(cells.reshape(len(a.tier_ids), len(b.tier_ids)), index=pd.Index(a.tier_ids, name=a.id),
                        columns=pd.Index(b.tier_ids, name=b.id))


def tier_changes(crosstab: pd.DataFrame) -> int:
    """How many creators land in a tier of another name under the second scheme."""
    same = sum(crosstab.loc[t, t] for t in crosstab.index if t in crosstab.columns)
    return int(crosstab.to_numpy().sum() - same)

"""Compare two tier schemes on the same creators: who changes tier, per platform."""

from __future__ import annotations

import pandas as pd

from tiers.analysis.schemes import TierScheme, classify


def scheme_crosstab(creators: pd.DataFrame, a: TierScheme, b: TierScheme,
                    platform: str | None = None) -> pd.DataFrame:
    """Creators counted by (tier under `a`, tier under `b`), rows and columns in scheme order."""
    rows = creators if platform is None else creators[creators["platform"] == platform]
    table = pd.crosstab(classify(rows["followers"], a), classify(rows["followers"], b), dropna=False)
    return table.reindex(index=a.tier_ids, columns=b.tier_ids, fill_value=0).rename_axis(index=a.id, columns=b.id)


def tier_changes(crosstab: pd.DataFrame) -> int:
    """How many creators land in a tier of another name under the second scheme."""
    same = sum(crosstab.loc[t, t] for t in crosstab.index if t in crosstab.columns)
    return int(crosstab.to_numpy().sum() - same)

"""People, not just accounts: a roster's accounts grouped by the `creator` id reading gave them (one
person with an Instagram, a TikTok and a YouTube account is one creator with three accounts)."""

from __future__ import annotations

import numpy as np
import pandas as pd


def creator_counts(accounts: pd.DataFrame) -> dict[str, int]:
    """Accounts, creators, and creators with more than one account."""
    sizes = accounts["creator"].value_counts()
    return {"accounts": len(accounts), "creators": len(sizes), "several": int((sizes > 1).sum())}


def by_creator(accounts: pd.DataFrame) -> pd.DataFrame:
    """The accounts with each person's accounts together, people in the order their first account
    comes, and `first_account` marking the row that names the person (a list shows a person once)."""
    order = pd.factorize(accounts["creator"])[0]
    out = accounts.iloc[np.argsort(order, kind="stable")]
    return out.assign(first_account=~out["creator"].duplicated())

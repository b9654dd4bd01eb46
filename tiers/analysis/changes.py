"""Two rosters of the same creators, months apart -> who grew, who moved tier, who is new or gone.

Accounts are matched by platform and handle (case, '@' and profile links ignored: `@Rina.ID`,
`rina.id` and `https://www.instagram.com/rina.id/?hl=en` are one account). Where one side has no
handle, accounts are matched by platform and name, and those matches are marked for the user to
confirm; a name that two accounts share on a side is listed as ambiguous, never guessed.

Growth is judged against the roster's own growth: a follower spike is growth far above the typical
growth of the same tier and platform (a median / MAD z-score with floors, thresholds in flags.toml).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from tiers.analysis.flags import rules
from tiers.analysis.schemes import TierScheme, classify
from tiers.reading.columns import arrow_text, name_keys, text_series

CHANGES = ("kept", "new", "dropped")
CHANGE_FLAGS = ("follower_spike", "spike_falling_er", "large_loss")
MOVES = ("up", "same", "down")
ACCOUNT_COLUMNS = ("platform", "handle", "name", "followers_before", "followers_after", "growth", "er_before",
                   "er_after", "er_change", "tier_before", "tier_after", "move", "change", "matched_by",
                   "match", *CHANGE_FLAGS, "row_before", "row_after")
_SEP = ":"  # platform:key (no platform id holds a colon)


def handle_keys(handles: pd.Series) -> pd.Series:
    """The matching form of a roster's (already cleaned) handles: lower case."""
    return text_series(pc.utf8_lower(arrow_text(handles)), handles.index)


def _accounts(rows: pd.DataFrame) -> pd.DataFrame:
    """The creators of one snapshot with their matching keys; the index stays the roster's."""
    ok = rows[rows["status"] == "ok"]
    platform = ok["platform"].astype("str")
    handle, name = handle_keys(ok["handle"]), name_keys(ok["name"])
    return pd.DataFrame({
        "platform": platform, "handle": ok["handle"], "name": ok["name"],
        "followers": ok["followers"].astype(float), "er": ok["engagement_rate"].astype(float),
        "source_row": ok["source_row"],
        "by_handle": (platform + _SEP + handle).where(handle.notna()),
        "by_name": (platform + _SEP + name).where(name.notna()),
    }, index=ok.index)


def _handle_pairs(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """(before, after) row pairs with the same platform and handle, the handle once on each side (a
    roster rejects repeated handles). Keys are factorised once, then paired as integers."""
    codes, uniques = pd.factorize(pd.concat([before["by_handle"], after["by_handle"]], ignore_index=True))
    left, right = codes[:len(before)], codes[len(before):]
    once = (np.bincount(left[left >= 0], minlength=len(uniques)) == 1) & \
        (np.bincount(right[right >= 0], minlength=len(uniques)) == 1)
    row_of_code = np.full(len(uniques) + 1, -1)  # the last slot answers for a missing handle
    row_of_code[right[right >= 0]] = np.flatnonzero(right >= 0)
    partner = row_of_code[np.where(left >= 0, left, len(uniques))]
    paired = (partner >= 0) & np.append(once, False)[np.where(left >= 0, left, len(uniques))]
    return pd.DataFrame({"before": before.index[paired], "after": after.index[partner[paired]]})


def _name_pairs(before: pd.DataFrame, after: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """(before, after) row pairs with the same platform and name where a side has no handle to
    compare (a different handle is a different account), and the names that several rows of a side
    share (ambiguous: not matched)."""
    candidates = pd.merge(before[["by_name", "by_handle"]].dropna(subset="by_name").rename_axis("before").reset_index(),
                          after[["by_name", "by_handle"]].dropna(subset="by_name").rename_axis("after").reset_index(),
                          on="by_name")
    candidates = candidates[candidates["by_handle_x"].isna() | candidates["by_handle_y"].isna()]
    grouped = candidates.groupby("by_name")
    unique = (grouped["before"].transform("nunique") == 1) & (grouped["after"].transform("nunique") == 1)
    ambiguous = pd.Series(candidates.loc[~unique, "by_name"].unique(), dtype="str")
    return candidates.loc[unique, ["before", "after", "by_name"]], ambiguous


def _match(before: pd.DataFrame, after: pd.DataFrame, declined) -> tuple[pd.DataFrame, pd.Series]:
    """Matched (before, after, matched_by, by_name) rows of two snapshots' accounts: by handle, then
    by name among the named accounts not matched by handle; and the ambiguous names."""
    by_handle = _handle_pairs(before, after)
    by_name, ambiguous_keys = _name_pairs(
        before[before["by_name"].notna() & ~before.index.isin(by_handle["before"])],
        after[after["by_name"].notna() & ~after.index.isin(by_handle["after"])])
    by_name = by_name[~by_name["by_name"].isin(declined)]
    pairs = pd.concat([by_handle.assign(matched_by="handle"), by_name.assign(matched_by="name")],
                      ignore_index=True)
    return pairs, ambiguous_keys


@dataclass(frozen=True)
class Changes:
    """One row per account found in either snapshot (`accounts`, columns ACCOUNT_COLUMNS) and the
    names that could not be matched because several accounts share them (`ambiguous`)."""

    accounts: pd.DataFrame
    ambiguous: pd.DataFrame

    @property
    def name_matches(self) -> pd.DataFrame:
        """Accounts matched by name only: shown to the user to confirm."""
        return self.accounts[self.accounts["matched_by"] == "name"]


def compare_snapshots(before_rows: pd.DataFrame, after_rows: pd.DataFrame, scheme: TierScheme,
                      declined: frozenset[str] | set[str] = frozenset()) -> Changes:
    """Match the creators of two classified rosters (rows with status, platform, handle, name,
    followers, engagement_rate) and measure what changed. `declined` holds the name matches the user
    said are not the same account, as 'platform:name key' (the `match` column of `name_matches`)."""
    before, after = _accounts(before_rows), _accounts(after_rows)
    pairs, ambiguous_keys = _match(before, after, declined)
    new, dropped = after.index.difference(pairs["after"]), before.index.difference(pairs["before"])
    absent = np.full(len(new) + len(dropped), -1)  # no row on that side (roster indexes are >= 0)
    row_before = np.concatenate([pairs["before"], absent[:len(new)], dropped])
    row_after = np.concatenate([pairs["after"], new, absent[len(new):]])
    shown = ["platform", "handle", "name", "followers", "er"]
    b = before[[*shown, "by_name"]].reindex(row_before).reset_index(drop=True)
    a = after[shown].reindex(row_after).reset_index(drop=True)
    change = np.repeat(CHANGES, [len(pairs), len(new), len(dropped)])
    matched_by = pairs["matched_by"].reindex(range(len(change)))
    accounts = pd.DataFrame({
        "platform": a["platform"].fillna(b["platform"]), "handle": a["handle"].fillna(b["handle"]),
        "name": a["name"].fillna(b["name"]), "followers_before": b["followers"], "followers_after": a["followers"],
        "er_before": b["er"], "er_after": a["er"], "change": pd.Categorical(change, categories=CHANGES),
        "matched_by": matched_by, "match": b["by_name"].where(matched_by == "name"),
        "row_before": row_before, "row_after": row_after})
    # The change over the start, divided once: 10,000 -> 8,000 is -0.2 exactly (the large-loss bar), where
    # after / before - 1 gives -0.19999999999999996. The engines' plan (tiers/engines/plan.py) divides the same way.
    accounts["growth"] = (accounts["followers_after"] - accounts["followers_before"]) / accounts["followers_before"]
    accounts["er_change"] = accounts["er_after"] - accounts["er_before"]
    accounts["tier_before"] = classify(accounts["followers_before"], scheme)
    accounts["tier_after"] = classify(accounts["followers_after"], scheme)
    step = accounts["tier_after"].cat.codes.astype(int) - accounts["tier_before"].cat.codes.astype(int)
    codes = np.where(accounts["change"] != "kept", -1, np.sign(step).to_numpy() * -1 + 1)  # up 0, same 1, down 2
    accounts["move"] = pd.Categorical.from_codes(codes, categories=MOVES)
    accounts = accounts.join(change_flags(accounts))
    order = np.lexsort((-accounts["followers_before"].fillna(-1).to_numpy(),
                        -accounts["followers_after"].fillna(-1).to_numpy(),
                        pd.factorize(accounts["platform"], sort=True)[0], accounts["change"].cat.codes.to_numpy()))
    accounts = accounts.take(order).reset_index(drop=True)  # kept, new, dropped; by platform; biggest first
    ambiguous = _ambiguous(before, after, ambiguous_keys)
    return Changes(accounts[list(ACCOUNT_COLUMNS)], ambiguous)


def _ambiguous(before: pd.DataFrame, after: pd.DataFrame, keys: pd.Series) -> pd.DataFrame:
    """Per ambiguous platform and name: the source rows of each side carrying it."""
    if keys.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in ("platform", "name", "rows_before", "rows_after")})

    def rows_of(side: pd.DataFrame) -> pd.Series:
        hit = side[side["by_name"].isin(keys)]
        return hit["source_row"].astype("str").groupby(hit["by_name"].to_numpy()).agg(", ".join)

    both = pd.concat([before, after])
    named = both[both["by_name"].isin(keys)].drop_duplicates("by_name").set_index("by_name")
    return pd.DataFrame({"platform": named["platform"], "name": named["name"], "rows_before": rows_of(before),
                         "rows_after": rows_of(after)}, index=named.index).fillna("").reset_index(drop=True)


def _robust_z(growth: pd.Series, groups: list[pd.Series], min_group: int, mad_floor: float) -> pd.Series:
    """(growth - median) / (1.4826 MAD) within the first grouping that has `min_group` accounts,
    falling back to the next (coarser) one; the MAD never below `mad_floor`."""
    z = pd.Series(np.nan, index=growth.index)
    for keys in groups:
        grouped = growth.groupby(keys, observed=True)
        median = grouped.transform("median")
        mad = (growth - median).abs().groupby(keys, observed=True).transform("median")
        big = grouped.transform("count") >= min_group
        scored = (growth - median) / (1.4826 * mad.clip(lower=mad_floor))
        z = z.fillna(scored.where(big))
        if not (z.isna() & growth.notna()).any():
            break  # every account was judged within its own group: no coarser one needed
    return z


def change_flags(accounts: pd.DataFrame) -> pd.DataFrame:
    """follower_spike, spike_falling_er and large_loss for each kept account (rules in flags.toml)."""
    spec = rules()
    spike, falling, loss = spec["follower_spike"], spec["spike_falling_er"], spec["large_loss"]
    growth = accounts["growth"].where(accounts["change"] == "kept")
    everyone = pd.Series(0, index=accounts.index)
    z = _robust_z(growth, [[accounts["tier_before"], accounts["platform"]], [accounts["platform"]], [everyone]],
                  spike["min_group"], spike["mad_floor"])
    # An account no group is big enough to judge it against (a roster of a few accounts) is judged
    # against no growth, by a fixed bar: a 1 -> 10 billion jump is a spike whoever else is there.
    alone = z.isna() & growth.notna()
    spiked = ((z > spike["min_z"]) & (growth >= spike["min_growth"])) | (alone & (growth >= spike["alone_min_growth"]))
    er_ratio = accounts["er_after"] / accounts["er_before"].where(accounts["er_before"] > 0)
    return pd.DataFrame({
        "follower_spike": spiked,
        "spike_falling_er": spiked & (er_ratio <= 1 - falling["min_er_drop"]),
        "large_loss": growth <= -loss["min_loss"],
    }, index=accounts.index).fillna(False).astype(bool)


def change_summary(accounts: pd.DataFrame) -> dict[str, float]:
    """Roster totals: accounts kept, new and dropped, tier moves, flags, and followers gained and lost."""
    change = accounts["change"]
    kept = change == "kept"
    difference = (accounts["followers_after"] - accounts["followers_before"]).where(kept)
    return {
        "accounts_before": int((change != "new").sum()), "accounts_after": int((change != "dropped").sum()),
        "kept": int(kept.sum()), "new": int((change == "new").sum()), "dropped": int((change == "dropped").sum()),
        "moved_up": int((accounts["move"] == "up").sum()), "moved_down": int((accounts["move"] == "down").sum()),
        "flagged": int(accounts[list(CHANGE_FLAGS)].any(axis=1).sum()),
        "followers_before": float(accounts["followers_before"].sum()),
        "followers_after": float(accounts["followers_after"].sum()),
        "grown_by_kept": float(difference.sum()),
        "added_by_new": float(accounts.loc[change == "new", "followers_after"].sum()),
        "lost_with_dropped": float(accounts.loc[change == "dropped", "followers_before"].sum()),
        "median_growth": float(accounts.loc[kept, "growth"].median()),  # NaN when no account is kept
    }


def growth_by_tier(accounts: pd.DataFrame) -> pd.DataFrame:
    """Per platform and tier (before): accounts kept, median growth, moved up and down, flagged."""
    kept = accounts[accounts["change"] == "kept"]
    grouped = kept.assign(up=kept["move"] == "up", down=kept["move"] == "down",
                          flagged=kept[list(CHANGE_FLAGS)].any(axis=1)).groupby(
        ["platform", "tier_before"], observed=True)
    return grouped.agg(accounts=("growth", "size"), median_growth=("growth", "median"), moved_up=("up", "sum"),
                       moved_down=("down", "sum"), flagged=("flagged", "sum")).reset_index()


def tier_flow(accounts: pd.DataFrame, platform: str | None = None) -> pd.DataFrame:
    """Accounts per (tier before, tier after), with 'new' and 'dropped' as the missing side."""
    rows = accounts if platform is None else accounts[accounts["platform"] == platform]
    source = rows["tier_before"].astype("object").where(rows["change"] != "new", "new")
    target = rows["tier_after"].astype("object").where(rows["change"] != "dropped", "dropped")
    flow = pd.DataFrame({"source": source, "target": target}).value_counts().rename("accounts").reset_index()
    return flow.sort_values(["source", "target"]).reset_index(drop=True)  # each pair once: no ties to keep


def follower_history(snapshots: list[tuple[str, pd.DataFrame]]) -> pd.DataFrame:
    """Followers of every account in every snapshot (oldest first), one row per account and snapshot:
    `account` (an id shared along the chain of matches), `snapshot` (its label), platform, handle,
    name, followers. Consecutive snapshots are matched as `compare_snapshots` does (each snapshot's
    accounts are read once, and only matched: no growth, flags or ordering)."""
    parts, ids, next_id, previous = [], None, 0, None
    for position, (label, rows) in enumerate(snapshots):
        accounts = _accounts(rows)
        if previous is None:
            ids = pd.Series(np.arange(len(accounts)), index=accounts.index)
            next_id = len(accounts)
        else:
            pairs = _match(previous, accounts, frozenset())[0]
            carried = pd.Series(ids.loc[pairs["before"]].to_numpy(), index=pairs["after"].to_numpy())
            fresh = accounts.index.difference(carried.index)
            ids = pd.concat([carried, pd.Series(np.arange(next_id, next_id + len(fresh)), index=fresh)])
            ids = ids.reindex(accounts.index)
            next_id += len(fresh)
        previous = accounts
        parts.append(pd.DataFrame({"account": ids.to_numpy(), "snapshot": label, "position": position,
                                   "platform": accounts["platform"].to_numpy(),
                                   "handle": accounts["handle"].to_numpy(), "name": accounts["name"].to_numpy(),
                                   "followers": accounts["followers"].to_numpy()}))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        columns=["account", "snapshot", "position", "platform", "handle", "name", "followers"])


def find_accounts(history: pd.DataFrame, text: str, limit: int = 50) -> pd.DataFrame:
    """The accounts of a follower history whose handle or name contains `text` (any case, '@' ignored),
    each once as in its latest roster, at most `limit`."""
    wanted = text.strip().lstrip("@").lower()
    hit = (history["handle"].str.lower().str.contains(wanted, regex=False, na=False)
           | history["name"].str.lower().str.contains(wanted, regex=False, na=False))
    return history[hit].sort_values("position").drop_duplicates("account", keep="last").head(limit)

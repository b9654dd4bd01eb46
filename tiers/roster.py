"""A raw table plus a column mapping -> the Roster: one canonical row per data row, each ok or rejected.

Every row read is accounted for. Blank and total rows are not creators and are counted apart;
a creator row without a usable follower count, or repeating a handle on the same platform, is
rejected with its reason naming the column. Nothing is dropped silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from tiers.columns import (
    REQUIRED,
    clean_handle,
    guess_mapping,
    is_percent_header,
    normalise_platform,
    platform_from_url,
)
from tiers.numbers import parse_count, parse_money, parse_ratio
from tiers.read import RawTable, RosterError

MAX_FOLLOWERS = 10_000_000_000
COUNT_FIELDS = ("likes", "comments", "shares", "saves", "views")
TEXT_FIELDS = ("name", "niche", "city", "nano_type")
TOTAL_LABEL = r"(?i)^\s*(grand\s*total|sub\s*-?\s*total|total|jumlah|total keseluruhan|sum|subtotal)\b"
COLUMNS = ("source_row", "handle", "name", "platform", "followers", *COUNT_FIELDS, "engagement_rate",
           "fee", "fee_currency", *TEXT_FIELDS[1:], "row_kind", "status", "reason", "warning")


@dataclass(frozen=True)
class Roster:
    """Canonical rows of one file; `rows` holds every data row in file order."""

    rows: pd.DataFrame
    file_name: str
    sheet: str | None
    header_row: int
    mapping: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> pd.DataFrame:
        return self.rows[self.rows["status"] == "ok"]

    @property
    def rejected(self) -> pd.DataFrame:
        return self.rows[(self.rows["status"] == "rejected") & (self.rows["row_kind"] == "creator")]

    @property
    def counts(self) -> dict[str, int]:
        """rows read = ok + rejected + not creators (blank and total rows)."""
        kind, status = self.rows["row_kind"], self.rows["status"]
        return {
            "read": len(self.rows),
            "ok": int((status == "ok").sum()),
            "rejected": int(((status == "rejected") & (kind == "creator")).sum()),
            "blank": int((kind == "blank").sum()),
            "total": int((kind == "total").sum()),
            "flagged": int(self.rows["warning"].notna().sum()),
        }


def default_mapping(raw: RawTable) -> dict[str, str]:
    """field -> header, as guessed from the headers."""
    return {f: header for f, (header, _) in guess_mapping(raw.headers).items()}


def _column(cells: pd.DataFrame, mapping: dict[str, str], name: str) -> pd.Series | None:
    header = mapping.get(name)
    return cells[header] if header in cells.columns else None


def _text(column: pd.Series | None, index: pd.Index) -> pd.Series:
    if column is None:
        return pd.Series(pd.NA, index=index, dtype="str")
    text = column.astype("str").str.strip()
    return text.where(column.notna() & (text != ""))


def _reason(base: pd.Series, mask: pd.Series, message: pd.Series | str) -> pd.Series:
    """Set `message` where `mask` holds and no earlier reason was given (first problem wins)."""
    return base.mask(mask & base.isna(), message)


def build_roster(raw: RawTable, mapping: dict[str, str] | None = None) -> Roster:
    """Parse, validate and account for every data row of `raw` under `mapping` (field -> header)."""
    mapping = {f: h for f, h in (mapping if mapping is not None else default_mapping(raw)).items() if h}
    missing = [f for f in REQUIRED if f not in mapping]
    if missing:
        raise RosterError(f"{raw.file_name}: no follower column found among the headers "
                          f"({', '.join(raw.headers[:12])}). Choose which column holds follower counts.")
    cells = raw.cells
    index = cells.index
    out = pd.DataFrame(index=index)
    out["source_row"] = index.to_numpy()

    handle_raw = _column(cells, mapping, "handle")
    out["handle"] = clean_handle(_text(handle_raw, index))
    for name in TEXT_FIELDS:
        out[name] = _text(_column(cells, mapping, name), index)
    platform_col = _column(cells, mapping, "platform")
    from_url = platform_from_url(_text(handle_raw, index))
    platform = normalise_platform(_text(platform_col, index)) if platform_col is not None else None
    if platform is None:
        platform = from_url.fillna("other")
    else:
        platform = platform.mask((platform == "other") & from_url.notna(), from_url)
    out["platform"] = platform.astype("str")

    followers_header = mapping["followers"]
    followers = parse_count(cells[followers_header])
    out["followers"] = followers["value"].round()
    for name in COUNT_FIELDS:
        column = _column(cells, mapping, name)
        out[name] = parse_count(column)["value"].where(lambda v: v >= 0) if column is not None else np.nan
    er_col = _column(cells, mapping, "engagement_rate")
    out["engagement_rate"] = (parse_ratio(er_col, is_percent_header(mapping["engagement_rate"]))["value"]
                              if er_col is not None else np.nan)
    fee_col = _column(cells, mapping, "fee")
    if fee_col is not None:
        header = mapping["fee"].lower()
        currency = "USD" if ("usd" in header or "$" in header) else "IDR"
        fee = parse_money(fee_col, default_currency=currency)
        out["fee"], out["fee_currency"] = fee["value"].where(fee["value"] >= 0), fee["currency"]
    else:
        out["fee"], out["fee_currency"] = np.nan, pd.NA

    # Which rows are creators at all.
    blank = cells.isna().all(axis=1)
    label_cols = [c for c in {cells.columns[0], *(mapping.get(f) for f in ("handle", "name", "platform"))}
                  if c in cells.columns]
    labelled_total = pd.concat([_text(cells[c], index).str.match(TOTAL_LABEL).fillna(False).astype(bool)
                                for c in label_cols], axis=1).any(axis=1)
    value = followers["value"]
    no_identity = out["handle"].isna() & out["name"].isna()
    sum_total = no_identity & value.notna() & np.isclose(2 * value, value.sum(), rtol=0, atol=0.5) & (value > 0)
    kind = pd.Series("creator", index=index, dtype="str")
    kind = kind.mask(labelled_total | sum_total, "total").mask(blank, "blank")
    out["row_kind"] = kind

    where = f"column '{followers_header}'"
    reason = pd.Series(pd.NA, index=index, dtype="object")
    reason = _reason(reason, kind == "blank", "blank row (not a creator)")
    reason = _reason(reason, kind == "total", "total row (not a creator)")
    reason = _reason(reason, followers["error"] == "empty", f"{where}: no follower count")
    reason = _reason(reason, followers["error"].notna(), f"{where}: " + followers["error"].astype("str"))
    reason = _reason(reason, value < 0, f"{where}: negative follower count")
    reason = _reason(reason, value == 0, f"{where}: zero followers")
    reason = _reason(reason, value > MAX_FOLLOWERS, f"{where}: more than 10 billion followers")
    unscaled_fraction = ~followers["scaled"] & (value % 1 != 0)
    reason = _reason(reason, unscaled_fraction, f"{where}: not a whole number of followers")
    if handle_raw is not None or "name" in mapping:
        reason = _reason(reason, no_identity, "no handle or name")
    else:
        out["handle"] = "row " + out["source_row"].astype("str")

    identity = out["handle"].fillna(out["name"]).str.lower()
    candidates = reason.isna() & identity.notna()
    keys = pd.DataFrame({"who": identity, "platform": out["platform"]})[candidates]
    duplicate = keys.duplicated(keep="first")
    first_row = out.loc[keys.index, "source_row"].groupby([keys["who"], keys["platform"]]).transform("first")
    dup_index = duplicate[duplicate].index
    reason.loc[dup_index] = "duplicate of row " + first_row.loc[dup_index].astype("str") + " (same handle and platform)"

    warning = pd.Series(pd.NA, index=index, dtype="object")
    warning = warning.mask(out["engagement_rate"] > 1, "engagement rate above 100%")
    out["status"] = np.where(reason.isna(), "ok", "rejected")
    out["reason"] = reason.fillna("").astype("str")
    out["warning"] = warning
    out = out.reset_index(drop=True)
    return Roster(out[list(COLUMNS)], raw.file_name, raw.sheet, raw.header_row, dict(mapping))

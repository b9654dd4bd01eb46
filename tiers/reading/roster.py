"""A raw table plus a column mapping -> the Roster: one canonical row per data row, each ok or rejected.

Every row read is accounted for. Blank and total rows are not creators and are counted apart;
a creator row without a usable follower count, or repeating a handle on the same platform, is
rejected with its reason naming the column. Nothing is dropped silently.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from tiers.reading.columns import (
    CURRENCIES,
    CURRENCY_OF_ALL,
    PLATFORM_OF_ALL,
    PLATFORMS,
    arrow_text,
    clean_handle,
    header_platform,
    is_percent_header,
    missing_text,
    name_keys,
    nano_types,
    normalise_platform,
    normalised_text,
    platform_from_url,
    platform_named_by,
    text_series,
)
from tiers.reading.numbers import header_currency, header_unit, parse_count, parse_money, parse_ratio, scientific_cells
from tiers.reading.profile import tier_words
from tiers.reading.read import SHEET_COLUMN, RawTable, RosterError

MAX_FOLLOWERS = 10_000_000_000
COUNT_FIELDS = ("likes", "comments", "shares", "saves", "engagements", "views")
SOURCE_FIELDS = ("handle", "name", "platform", *COUNT_FIELDS, "engagement_rate", "fee", "niche", "city", "nano_type",
                 "tier_stated")
TEXT_FIELDS = ("name", "niche", "city", "nano_type")
_TOTAL_WORDS = r"(grand\s*total|sub\s*-?\s*total|totals?|jumlah|total\s+keseluruhan|jumlah\s+keseluruhan|sum|subtotal)"
TOTAL_LABEL = rf"^\s*{_TOTAL_WORDS}\s*:?\s*$"  # a cell that says TOTAL and nothing else
TOTAL_PREFIX = rf"^\s*{_TOTAL_WORDS}\b"  # 'Total KOL Instagram', but also a channel named 'Total Gaming'
ROW_KINDS = ("creator", "blank", "total")
CREATOR, BLANK, TOTAL = range(len(ROW_KINDS))  # codes of the row_kind categorical
COLUMNS = ("source_row", "handle", "name", "creator", "platform", "followers", *COUNT_FIELDS, "engagement_rate",
           "fee", "fee_currency", *TEXT_FIELDS[1:], "tier_stated", "row_kind", "status", "reason", "warning")


@dataclass(frozen=True)
class Roster:
    """Canonical rows of one file; `rows` holds every data row in file order."""

    rows: pd.DataFrame
    file_name: str
    sheet: str | None
    header_row: int
    mapping: dict[str, str] = field(default_factory=dict)
    header_units: dict[str, float] = field(default_factory=dict)  # header -> the unit it states, e.g. 1,000
    headers: tuple[str, ...] = ()  # of the table read, so a stored roster shows its layout without the file
    sheets: tuple[str, ...] = ()  # the workbook's sheets
    roster_sheets: tuple[str, ...] = ()  # the sheets whose header names a follower column
    notes: tuple[tuple[str, dict], ...] = ()  # what reading the file repaired (RawTable.notes)

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
    """field -> header, as the columns' roles are read (tiers.reading.checking.read_roles): from the
    headers and the cells together, checked by the roster they give."""
    from tiers.reading.checking import read_roles  # it builds rosters with this module

    return read_roles(raw).mapping


def platform_of_sheet(raw: RawTable, mapping: dict[str, str]) -> dict[str, str]:
    """`mapping` with the platform of every row when no column gives it: a sheet per platform,
    else the one platform the identity and follower headers name, else the one the sheet's name or
    the file's name names ('KOL TikTok', 'instagram_reach.csv')."""
    if any(key == "platform" or "@" in key for key in mapping):
        return mapping
    if raw.row_sheets is not None and any(header_platform(name)[0] for name in raw.roster_sheets):
        return mapping | {"platform": SHEET_COLUMN}  # a sheet per platform
    in_headers = platform_named_by(raw.headers)
    named = platform_named_by([mapping[f] for f in ("handle", "name", "followers") if f in mapping])
    sheet_names = header_platform(raw.sheet)[0] if raw.sheet else None  # a workbook with a sheet per platform
    file_names = header_platform(re.sub(r"\.[a-z0-9]+$", "", raw.file_name.lower()).replace("_", " "))[0]
    if named and in_headers == named:  # and no other header names another platform
        return mapping | {PLATFORM_OF_ALL: named}
    if in_headers is None and (sheet_names or file_names):
        return mapping | {PLATFORM_OF_ALL: sheet_names or file_names}
    return mapping


def maps_field(mapping: dict[str, str], field: str) -> bool:
    """Whether the mapping reads `field` from some column (one per platform in a wide layout)."""
    return any(key == field or key.startswith(f"{field}@") for key, header in mapping.items() if header)


def has_followers(mapping: dict[str, str]) -> bool:
    return maps_field(mapping, "followers")


def _text(column: pd.Series | None, index: pd.Index) -> pd.Series:
    """Cell text, Unicode-normalised, without surrounding spaces; missing where the cell is empty or
    only spaces."""
    if column is None:
        return missing_text(index)
    return text_series(pc.utf8_trim_whitespace(normalised_text(arrow_text(column))), index)


def _total_labels(cells: pd.DataFrame, mapping: dict[str, str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(says TOTAL and nothing else, starts with a total word, that word sits in the handle column)
    for each row, from its first column and identity columns."""
    identity = (h for f, h in mapping.items() if f.split("@")[0] in ("handle", "name", "platform"))
    label_cols = {cells.columns[0], *identity}
    only = np.zeros(len(cells), dtype=bool)
    prefixed, in_handle = only.copy(), only.copy()
    for c in label_cols:
        if c in cells.columns:
            text = arrow_text(cells[c])
            starts = pc.fill_null(pc.match_substring_regex(text, TOTAL_PREFIX, ignore_case=True), False).to_numpy()
            if starts.any():  # the whole-cell test on the few rows that start with a total word
                hits = np.flatnonzero(starts)
                label = pc.match_substring_regex(text.take(pa.array(hits)), TOTAL_LABEL, ignore_case=True)
                only[hits[pc.fill_null(label, False).to_numpy(zero_copy_only=False)]] = True
            prefixed |= starts
            in_handle |= starts & (c == mapping.get("handle"))
    return only, prefixed, in_handle


def _long_form(cells: pd.DataFrame, mapping: dict[str, str]) -> tuple[pd.DataFrame, dict[str, str]]:
    """Cells with one entry per creator and platform, columns named by field, `__row` the source row.

    A wide layout (IG Followers, TikTok Followers, ...) becomes one entry per platform the creator
    has a follower cell or a handle of its own for (an account named without its count is rejected
    for it, not left out); a row with neither keeps a single entry so that it is still accounted for.
    """
    wide = {k: h for k, h in mapping.items() if "@" in k}
    shared = {k: h for k, h in mapping.items() if "@" not in k}
    if not wide:
        long = pd.DataFrame({f: cells[h] for f, h in shared.items()}, index=cells.index)
        long["__group"] = 0
        return long.rename_axis("__row").reset_index(), shared
    platforms = _wide_platforms(mapping)
    parts = []
    for order, platform in enumerate(platforms):  # one pass per platform column group, not per row
        part = pd.DataFrame({f: cells[h] for f, h in shared.items() if f != "platform"}, index=cells.index)
        for key, header in wide.items():
            field_name, key_platform = key.split("@")
            if key_platform == platform:
                part[field_name] = cells[header]
        part["platform"] = platform
        part["__group"] = order
        part["__own_handle"] = f"handle@{platform}" in wide  # the handle is this platform's, not the row's
        parts.append(part)
    long = pd.concat(parts).rename_axis("__row").reset_index()
    present = long["followers"].notna()
    if any(key.startswith("handle@") for key in wide):
        present |= long["handle"].notna() & long["__own_handle"]
    row_has_any = present.groupby(long["__row"]).transform("any")
    long = long[present | (~row_has_any & (long["__group"] == 0))]
    long = long.drop(columns="__own_handle").sort_values(["__row", "__group"], kind="stable").reset_index(drop=True)
    fields = {f for f in shared if f != "platform"} | {k.split("@")[0] for k in wide}
    return long, {f: f for f in fields} | {"platform": "platform"}


def _header_of(mapping: dict[str, str], name: str) -> str:
    """The header(s) field `name` is read from, for messages ("IG Likes, TikTok Likes" when wide)."""
    return mapping.get(name) or ", ".join(h for k, h in mapping.items() if k.startswith(f"{name}@"))


def _wide_platforms(mapping: dict[str, str]) -> list[str]:
    """The platforms of a wide layout's follower column groups, in entry-group order; [] if long."""
    return [p for p in PLATFORMS if f"followers@{p}" in mapping]


def _parse_in_header_units(parse, values: pd.Series, name: str, mapping: dict[str, str], groups: np.ndarray,
                           rupiah: bool = False, **options) -> tuple[pd.DataFrame, dict[str, float]]:
    """`parse` (parse_count or parse_money) of field `name`, in the unit its header states
    ("Followers (K)"), and {header: unit} for each header stating one. In a wide layout each entry
    group has its own header, so each group is parsed in its own unit."""
    platforms = _wide_platforms(mapping)
    headers = [mapping.get(f"{name}@{p}", mapping.get(name, "")) for p in platforms] or [mapping.get(name, "")]
    units = [header_unit(header, rupiah) for header in headers]
    stated = {header: unit for header, unit in zip(headers, units, strict=True) if unit != 1}
    if len(set(units)) == 1:
        return parse(values, unit=units[0], **options), stated
    parts = [parse(values[groups == g], unit=unit, **options) for g, unit in enumerate(units)]
    return pd.concat(parts).reindex(values.index), stated


class _Reasons:
    """Why each row is rejected; the first problem found wins. Plain NumPy masks, no per-row loop."""

    def __init__(self, n: int):
        self.text = np.full(n, None, dtype=object)
        self.open = np.ones(n, dtype=bool)  # no problem found yet

    def add(self, mask: np.ndarray, message: str | pd.Series) -> None:
        hit = np.asarray(mask, dtype=bool) & self.open
        if hit.any():
            self.text[hit] = message if isinstance(message, str) else np.asarray(message, dtype=object)[hit]
            self.open &= ~hit

    def series(self, index: pd.Index) -> pd.Series:
        if self.open.all():
            return pd.Series("", index=index, dtype="str")
        return pd.Series(np.where(self.open, "", self.text), index=index, dtype="str")


def _codes(text: pa.ChunkedArray) -> np.ndarray:
    """One integer per distinct string (missing: -1), from Arrow's hash table."""
    encoded = pc.dictionary_encode(text.combine_chunks())
    return pc.fill_null(encoded.indices, -1).to_numpy().astype(np.int64)


class _Warnings:
    """What is doubtful in a row that is still read: every message, joined with '; '."""

    def __init__(self, n: int):
        self.text = np.full(n, "", dtype=object)

    def add(self, mask: np.ndarray, message: str | np.ndarray) -> None:
        rows = np.flatnonzero(mask)
        if rows.size:
            message = message if isinstance(message, str) else message[rows]
            current = self.text[rows]
            self.text[rows] = np.where(current == "", message, current + "; " + message)

    def add_unreadable(self, parsed: pd.DataFrame, header: str, cleared: np.ndarray | None = None) -> None:
        """Cells of an optional column that could not be read (left blank), with the reason."""
        error = parsed["error"]
        bad = (error.notna() & (error != "empty")).to_numpy()
        if bad.any():
            self.add(bad, (f"column '{header}': " + error.fillna("") + ", left blank").to_numpy(dtype=object))
        if cleared is not None:
            self.add(cleared, f"column '{header}': negative, left blank")

    def series(self, index: pd.Index) -> pd.Series:
        if not (self.text != "").any():
            return missing_text(index)
        return pd.Series(self.text, index=index, dtype="str").replace("", None)


def _row_labels(out: dict) -> pd.Series:
    """How messages name each entry's row: 'row 12', or 'TikTok row 12' when several sheets were read."""
    label = "row " + pd.Series(out["source_row"]).astype("str")
    return out["sheet"].reset_index(drop=True) + " " + label if "sheet" in out else label


def _creators(out: dict, index: pd.Index) -> pd.Series:
    """Which accounts are one person, as a stable id ('c12': the sheet row of the person's first
    account, 'TikTok!c12' when several sheets are read): the same name (a merged `Nama KOL` block,
    or one name on several platforms), else the same row (a wide layout's platform columns). A
    name that two accounts on one platform share is two people, each account its own."""
    number = pc.cast(pa.array(np.asarray(out["source_row"])), pa.large_string())
    parts = [arrow_text(out["sheet"]), pa.scalar("!c", pa.large_string())] if "sheet" in out else [
        pa.scalar("c", pa.large_string())]
    row = text_series(pc.binary_join_element_wise(*parts, number, pa.scalar("", pa.large_string())), index)
    name = name_keys(out["name"])
    if name.isna().all():
        return row
    codes = pd.factorize(name)[0]  # -1: no name
    platform = pd.factorize(out["platform"])[0]
    pairs = pd.Series(codes * (platform.max() + 1) + platform)
    shared = np.zeros(codes.max() + 2, dtype=bool)  # names two accounts on one platform share (last slot: none)
    shared[codes[(pairs.duplicated(keep=False) & (codes >= 0)).to_numpy()]] = True
    by_name = (codes >= 0) & ~shared[codes]
    first = np.zeros(codes.max() + 1, dtype=np.int64)
    named = np.flatnonzero(by_name)
    found, position = np.unique(codes[named], return_index=True)
    first[found] = named[position]  # each name's first account, in file order
    return pd.Series(np.where(by_name, row.to_numpy()[first[np.maximum(codes, 0)]], row.to_numpy()),
                     index=index, dtype="str")


def _flag_duplicates(out: dict, reasons: _Reasons) -> None:
    """Reject the second and later rows with the same handle (or name) on the same platform."""
    who = _codes(pc.utf8_lower(pc.coalesce(arrow_text(out["handle"]), arrow_text(out["name"]))))
    platform = _codes(arrow_text(out["platform"]))
    key = np.where(reasons.open & (who >= 0), who * (platform.max(initial=0) + 1) + platform,
                   -1 - np.arange(len(who)))
    duplicate = pd.Series(key).duplicated(keep="first").to_numpy()
    if duplicate.any():
        first = _row_labels(out).groupby(key).transform("first")
        reasons.add(duplicate, ("duplicate of " + first + " (same handle and platform)").to_numpy(dtype=object))


def _read_optional_numbers(out: dict, column: dict, mapping: dict[str, str], groups: np.ndarray,
                           warnings: _Warnings, currency_of_all: str | None) -> dict[str, float]:
    """Interaction counts, ER and fee into `out`, each in its header's unit; a cell that cannot be
    read is left blank with a warning. Returns {header: unit} for the headers stating one."""
    n, header_units = len(groups), {}
    for name in COUNT_FIELDS:
        if column[name] is None:
            out[name] = np.full(n, np.nan)
            continue
        counts, stated = _parse_in_header_units(parse_count, column[name], name, mapping, groups)
        out[name] = counts["value"].where(counts["value"] >= 0).to_numpy()
        warnings.add_unreadable(counts, _header_of(mapping, name), (counts["value"] < 0).to_numpy())
        header_units |= stated
    out["engagement_rate"] = np.full(n, np.nan)
    if column["engagement_rate"] is not None:
        rates = parse_ratio(column["engagement_rate"], is_percent_header(mapping.get("engagement_rate", "")))
        out["engagement_rate"] = rates["value"].to_numpy()
        warnings.add_unreadable(rates, _header_of(mapping, "engagement_rate"))
    out["fee"], out["fee_currency"] = np.full(n, np.nan), missing_text(pd.RangeIndex(n))
    if column["fee"] is not None:
        header = _header_of(mapping, "fee")
        currency = header_currency(header) or currency_of_all or "IDR"
        fee, stated = _parse_in_header_units(parse_money, column["fee"], "fee", mapping, groups,
                                             rupiah=currency == "IDR", default_currency=currency)
        header_units |= stated
        out["fee"], out["fee_currency"] = fee["value"].where(fee["value"] >= 0), fee["currency"]
        warnings.add_unreadable(fee, header)
        warnings.add(fee["range"].to_numpy(dtype=bool), f"column '{header}': a price range, its midpoint used")
    return header_units


def build_roster(raw: RawTable, mapping: dict[str, str] | None = None) -> Roster:
    """Parse, validate and account for every data row of `raw` under `mapping` (field -> header)."""
    mapping = mapping if mapping is not None else default_mapping(raw)
    platform_of_all = mapping.get(PLATFORM_OF_ALL) if mapping.get(PLATFORM_OF_ALL) in PLATFORMS else "other"
    currency_of_all = mapping.get(CURRENCY_OF_ALL) if mapping.get(CURRENCY_OF_ALL) in CURRENCIES else None
    mapping = {f: h for f, h in mapping.items() if h and h in raw.cells.columns}
    if not has_followers(mapping) and mapping.get("tier_stated"):
        raise RosterError(f"{raw.file_name}: column '{mapping['tier_stated']}' gives each creator's tier but no column "
                          "gives follower counts, and tiers are placed by followers: add the follower counts.")
    if not has_followers(mapping):
        raise RosterError(f"{raw.file_name}: no follower column found among the headers "
                          f"({', '.join(raw.headers[:12])}). Choose which column holds follower counts.")
    raw_cells = raw.cells
    if raw_cells.empty:
        raise RosterError(f"{raw.file_name}: the header (row {raw.header_row}) is there but no creator rows follow it.")
    labelled, prefixed, label_in_handle = _total_labels(raw_cells, mapping)
    kind_of_row = np.where(raw_cells.isna().all(axis=1).to_numpy(), BLANK,
                           np.where(labelled, TOTAL, CREATOR)).astype(np.int8)
    cells, fields = _long_form(raw_cells.reset_index(drop=True), mapping)
    position = cells["__row"].to_numpy()  # of each entry's row in raw_cells
    index = cells.index
    column = {f: cells[f] if f in fields else None for f in SOURCE_FIELDS}
    out = {"source_row": raw_cells.index.to_numpy()[position]}
    if raw.row_sheets is not None:  # every roster sheet of a workbook: a row is known by its sheet too
        out["sheet"] = pd.Series(raw.row_sheets[position], index=index, dtype="str")
    handles = _text(column["handle"], index)
    out["handle"] = clean_handle(handles)
    for name in TEXT_FIELDS:
        out[name] = _text(column[name], index)
    out["nano_type"] = nano_types(out["nano_type"])
    out["tier_stated"] = (missing_text(index) if column["tier_stated"] is None
                          else tier_words(_text(column["tier_stated"], index)))
    from_url = platform_from_url(handles)
    if column["platform"] is None:
        platform = from_url.fillna(platform_of_all)
    else:
        platform = normalise_platform(_text(column["platform"], index))
        platform = platform.mask((platform == "other") & from_url.notna(), from_url)
    out["platform"] = platform.astype("str")

    groups = cells["__group"].to_numpy()
    warnings = _Warnings(len(index))
    followers_header = _header_of(mapping, "followers")
    followers, header_units = _parse_in_header_units(parse_count, cells["followers"], "followers", mapping, groups)
    value = followers["value"].to_numpy()
    out["followers"] = np.round(value)  # half to even; a fractional count is rejected below, shown rounded
    rounded = followers["scaled"].to_numpy(dtype=bool) & ~np.isnan(value)  # written with a unit, or 1.2E+06
    if rounded.any():
        rounded[rounded] = scientific_cells(cells["followers"][rounded])
    if rounded.any():
        message = np.full(len(rounded), "", dtype=object)
        message[rounded] = [f"column '{followers_header}': {cell} was rounded by the export (scientific notation "
                            "keeps 2-3 significant digits); check the exact count, it may sit in another tier"
                            for cell in cells["followers"][rounded].astype(str).str.strip()]
        warnings.add(rounded, message)
    header_units |= _read_optional_numbers(out, column, mapping, groups, warnings, currency_of_all)

    # Which entries are creators at all: a TOTAL row is told by what it holds, not by a word at the
    # start of a name. Blank rows and rows labelled TOTAL (and nothing else) are not; nor a row with
    # no identity of its own ('Total KOL' and no handle, or nothing at all) whose follower count is
    # missing or adds up the rows above it (or all the others). 'Total Gaming' with a handle of its
    # own, or with a count of its own, is a creator.
    no_identity = (out["handle"].isna() & out["name"].isna()).to_numpy()
    summed = groups if "sheet" not in out else groups + (groups.max() + 1) * pd.factorize(out["sheet"])[0]
    counted = pd.Series(np.nan_to_num(value)).groupby(summed)
    column_sum, above = counted.transform("sum").to_numpy(), (counted.cumsum() - np.nan_to_num(value)).to_numpy()
    adds_up = (value > 0) & (np.isclose(2 * value, column_sum, rtol=0, atol=0.5)
                             | np.isclose(value, above, rtol=0, atol=0.5))
    own_handle = out["handle"].notna().to_numpy() & ~label_in_handle[position]
    named_total = prefixed[position] & ~own_handle & (adds_up | np.isnan(value))
    kind = kind_of_row[position]
    kind[((no_identity & adds_up) | named_total) & (kind == CREATOR)] = TOTAL
    out["row_kind"] = pd.Categorical.from_codes(kind, categories=ROW_KINDS)

    wide_headers = [mapping[f"followers@{p}"] for p in _wide_platforms(mapping)]  # each entry group's own column
    header = pd.Series(np.array(wide_headers, dtype=object)[groups] if wide_headers else followers_header,
                       index=index, dtype="object")
    where = "column '" + header + "'"
    error = followers["error"]
    # The header again below it (sheets pasted one under another): its follower cell, no number, is the column's
    # name. Only the cells that are no number are compared.
    unread = error.notna().to_numpy() & (error != "empty").to_numpy(dtype=bool, na_value=False)
    repeats_header = np.zeros(len(index), dtype=bool)
    repeats_header[unread] = (cells["followers"][unread].astype("str").str.strip().str.casefold().to_numpy()
                              == header[unread].str.strip().str.casefold().to_numpy())
    reasons = _Reasons(len(index))
    reasons.add(kind == BLANK, "blank row (not a creator)")
    reasons.add(kind == TOTAL, "total row (not a creator)")
    reasons.add(repeats_header, "the header repeated (not a creator)")
    reasons.add((error == "empty").to_numpy(dtype=bool, na_value=False), where + ": no follower count")
    reasons.add(error.notna().to_numpy(), where + ": " + error.astype("object"))
    reasons.add(value < 0, where + ": negative follower count")
    reasons.add(value == 0, where + ": zero followers")
    reasons.add(value > MAX_FOLLOWERS, where + ": more than 10 billion followers")
    reasons.add(~followers["scaled"].to_numpy(dtype=bool) & (value % 1 != 0),
                where + ": not a whole number of followers")
    if column["handle"] is not None or column["name"] is not None:
        reasons.add(no_identity, "no handle or name")
    else:
        out["handle"] = _row_labels(out).set_axis(index)
    _flag_duplicates(out, reasons)
    out["creator"] = _creators(out, index)

    warnings.add(np.asarray(out["engagement_rate"] > 1), "engagement rate above 100%")
    if column["tier_stated"] is not None:
        unnamed = (out["tier_stated"].isna() & _text(column["tier_stated"], index).notna()).to_numpy()
        warnings.add(unnamed, f"column '{mapping['tier_stated']}': names no tier (nano, micro, mid, macro, mega), "
                              "left blank")
    out["warning"] = warnings.series(index)
    out["status"] = pd.Categorical.from_codes((~reasons.open).astype(np.int8), categories=["ok", "rejected"])
    out["reason"] = reasons.series(index)
    out = pd.DataFrame(out, index=index, copy=False)  # no consolidation: columns are new arrays already
    if column["platform"] is None and platform_of_all != "other":
        mapping[PLATFORM_OF_ALL] = platform_of_all
    if currency_of_all:
        mapping[CURRENCY_OF_ALL] = currency_of_all
    columns = ["sheet", *COLUMNS] if "sheet" in out else list(COLUMNS)
    return Roster(out[columns], raw.file_name, raw.sheet, raw.header_row, mapping, header_units, tuple(raw.headers),
                  raw.sheets, raw.roster_sheets, raw.notes)


def load_mapping(path: Path) -> dict[str, str]:
    """A column mapping file, as the Roster page downloads it and `--mapping` names it (JSON: field ->
    column header, plus `platform_of_all`), for a roster and for a creator base alike; RosterError
    naming the file when it is not one."""
    try:
        mapping = json.loads(path.read_bytes().decode("utf-8"))
    except OSError as error:
        raise RosterError(f"{path}: cannot read the file ({error.strerror or error})") from None
    except ValueError as error:  # not UTF-8, not JSON
        raise RosterError(f"{path}: not a readable JSON mapping ({error})") from None
    if not isinstance(mapping, dict) or not all(isinstance(v, str) for v in mapping.values()):
        raise RosterError(f"{path}: a mapping is a JSON object of field -> column header")
    if mapping.get(PLATFORM_OF_ALL, "other") not in PLATFORMS:
        raise RosterError(f"{path}: {PLATFORM_OF_ALL} must be one of {', '.join(PLATFORMS)}")
    return mapping

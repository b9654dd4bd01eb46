"""A campaign's results sheet (one row per content piece) -> posts: one canonical row per data row, ok or rejected.

The cells come from the roster reader (`tiers.reading.read`): cover sheets, title rows and merged cells
filled down are handled there. What is particular to a sheet of posts:

- its headers (`RESULT_SYNONYMS`: views / plays / tayangan, jangkauan, impresi, suka, komentar, bagikan,
  simpan, klik, konversi, voucher, pendapatan, post link, post date, format);
- a fee merged down a creator's posts is **one fee for the package**: paid once, each post's `fee` is
  its share (the package fee split evenly over the package's posts that were read). The same holds for any
  merged amount (conversions, voucher uses, revenue, clicks). A workbook's merged ranges say where a
  package runs; in a text file, every row's amount is its own;
- a row per post is not a duplicate of the creator's previous row; the same post link twice is;
- a TikTok (or YouTube `@`) post link names its account, standing in for a missing handle.

Every row read is accounted for: rows read = ok + rejected + blank + total.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow.compute as pc
import python_calamine

from tiers.reading.columns import (
    PLATFORMS,
    SYNONYMS,
    arrow_text,
    clean_handle,
    missing_text,
    normalise_header,
    normalise_platform,
    normalised_text,
    platform_from_url,
    platform_named_by,
    text_series,
)
from tiers.reading.numbers import header_unit, parse_count, parse_money
from tiers.reading.profile import profile_columns
from tiers.reading.read import UNNAMED, RawTable, RosterError, read_table
from tiers.reading.roster import TOTAL_LABEL

COUNT_METRICS = ("views", "reach", "impressions", "likes", "comments", "shares", "saves", "clicks")
OUTCOMES = ("conversions", "voucher")  # counts a sheet may have
MONEY = ("fee", "revenue")
SPLIT_WHEN_MERGED = ("fee", "revenue", "conversions", "voucher", "clicks")  # amounts: merged means once per package
TEXT = ("post_link", "post_date", "format")
RESULT_SYNONYMS: dict[str, tuple[str, ...]] = {
    "handle": tuple(s for s in SYNONYMS["handle"] if s not in ("link", "url")) + (
        "akun kol", "username kol", "link akun", "profile url", "akun tiktok", "akun instagram"),
    "name": SYNONYMS["name"],
    "platform": SYNONYMS["platform"],
    "followers": SYNONYMS["followers"],
    "post_link": ("post link", "link post", "link postingan", "post url", "url post", "link konten", "content link",
                  "link video", "video link", "tautan", "tautan post", "link", "url", "pautan", "link posting"),
    "post_date": ("post date", "tanggal post", "tanggal posting", "tanggal", "date", "tgl post", "tgl", "posted on",
                  "upload date", "tanggal upload", "tarikh", "tarikh post", "posting date"),
    "format": ("format", "content type", "jenis konten", "tipe konten", "content format", "type", "jenis kandungan",
               "format konten"),
    "views": SYNONYMS["views"] + ("play", "video plays", "total views", "total plays", "jumlah views"),
    "reach": ("reach", "jangkauan", "accounts reached", "akun dijangkau", "capaian", "jangkauan akun", "total reach"),
    "impressions": ("impressions", "impression", "impresi", "imp", "total impressions", "tera"),
    "likes": SYNONYMS["likes"] + ("total likes",),
    "comments": SYNONYMS["comments"] + ("total comments",),
    "shares": SYNONYMS["shares"] + ("total shares",),
    "saves": SYNONYMS["saves"] + ("total saves",),
    "clicks": ("clicks", "click", "link clicks", "klik", "klik tautan", "link click", "swipe ups", "swipe up",
               "sticker taps", "link taps", "jumlah klik"),
    "conversions": ("conversions", "conversion", "konversi", "orders", "pesanan", "purchases", "pembelian",
                    "jumlah pesanan", "checkout"),
    "voucher": ("voucher", "voucher uses", "voucher used", "kode voucher", "promo code uses", "penggunaan voucher",
                "voucher redeemed", "pemakaian voucher", "baucar"),
    "revenue": ("revenue", "pendapatan", "omzet", "omset", "gmv", "sales value", "nilai penjualan", "hasil jualan",
                "penjualan", "sales"),
    "fee": SYNONYMS["fee"] + ("package fee", "fee paket", "harga paket", "biaya paket", "total fee", "fee kol"),
}
RESULT_FIELDS = tuple(RESULT_SYNONYMS)
_LOOKUP = {syn: f for f, syns in RESULT_SYNONYMS.items() for syn in syns}
ROW_KINDS = ("post", "blank", "total")
POST, BLANK, TOTAL = range(len(ROW_KINDS))
COLUMNS = ("source_row", "platform", "handle", "name", "post_link", "post_date", "format", "followers",
           *COUNT_METRICS, *OUTCOMES, "revenue", "fee", "fee_currency", "package", "package_fee", "package_posts",
           "row_kind", "status", "reason")
_ACCOUNT_IN_LINK = r"(?i)(?:tiktok\.com|youtube\.com)/@(?P<handle>[^/?#\s]+)"
POST_LINK_SHARE = 0.6  # of a column's filled cells being post links, to read it as the post link


def _matches(label: object) -> list[tuple[str, float, int]]:
    """(field, confidence, synonym length): an exact synonym 1.0, a synonym as whole words inside 0.8."""
    norm = normalise_header(label)
    if not norm:
        return []
    bare = normalise_header(norm.replace("%", ""))
    if bare in _LOOKUP:
        return [(_LOOKUP[bare], 1.0, len(bare))]
    found: dict[str, tuple[str, float, int]] = {}
    for syn, f in _LOOKUP.items():
        if f" {syn} " in f" {norm} " and len(syn) > found.get(f, ("", 0, 0))[2]:
            found[f] = (f, 0.8, len(syn))
    return list(found.values())


def guess_results_mapping(raw: RawTable) -> dict[str, str]:
    """field -> header for a results sheet: by header (best match first, a header serving one field), then
    by content: a column of post links is the post link, a column of @handles or profile links the handle."""
    headers = raw.headers
    candidates = sorted(((conf, length, headers.index(h), h, f) for h in headers for f, conf, length in _matches(h)),
                        key=lambda c: (-c[0], -c[1], c[2]))
    mapping: dict[str, str] = {}
    for _, _, _, header, f in candidates:
        if f not in mapping and header not in mapping.values():
            mapping[f] = header
    profile = profile_columns(raw.cells)  # what each column holds, as the roster reader tells it
    post_links = profile["post_link"]
    links = [h for h in headers if post_links[h] >= POST_LINK_SHARE]
    if links and mapping.get("post_link") not in links:
        mapping = {f: h for f, h in mapping.items() if h != links[0]} | {"post_link": links[0]}
    handles = profile["at_handle"] + profile["link"]
    for f in ("name", "post_link"):  # '@handles' or profile links under a name or link header are the handle
        header = mapping.get(f)
        if header and "handle" not in mapping and post_links[header] < POST_LINK_SHARE and handles[header] >= 0.6:
            mapping["handle"] = mapping.pop(f)
    return mapping


def merged_row_blocks(data: bytes, raw: RawTable) -> dict[str, np.ndarray]:
    """header -> the source row of the merged block each row of `raw.cells` belongs to (its own row where
    the cell is not merged down), for the columns of a workbook's sheet that have merges spanning rows.
    Empty for a text file. The workbook is opened again only for its merged ranges, after the isolated
    reader has read it within its limits."""
    if raw.sheet is None or raw.row_sheets is not None or not data.startswith(b"PK"):
        return {}
    try:
        sheet = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name(raw.sheet)
        ranges = sheet.merged_cell_ranges or []
        top = sheet.to_python(skip_empty_area=False, nrows=raw.header_row)[max(raw.header_row - 2, 0):]
    except Exception:  # noqa: BLE001 - the cells were read; without the ranges every amount is its row's own
        return {}
    # The sheet column of each header: a column named in the header row (or, in a two-row header, the row
    # above) is kept by the reader; an unnamed one carries its letter.
    named = [i for i, cells in enumerate(zip(*top, strict=True)) if any(str(cell).strip() for cell in cells)]
    lettered = [_letter_index(h.removeprefix(UNNAMED)) for h in raw.headers if h.startswith(UNNAMED)]
    positions = sorted(set(named) | set(lettered))
    if len(positions) != len(raw.headers):
        return {}
    column_of = dict(zip(positions, raw.headers, strict=True))
    rows = raw.cells.index.to_numpy()
    blocks: dict[str, np.ndarray] = {}
    for (top, left), (bottom, _) in ranges:
        first, last = top + 1, bottom + 1  # 1-based sheet rows
        if bottom > top and first > raw.header_row and left in column_of:
            block = blocks.setdefault(column_of[left], rows.copy())
            block[(rows >= first) & (rows <= last)] = first
    return blocks


def _letter_index(letters: str) -> int:
    number = 0
    for char in letters:
        number = number * 26 + ord(char.upper()) - 64
    return number - 1


@dataclass(frozen=True)
class Posts:
    """Canonical rows of one results sheet; `rows` holds every data row in file order (columns COLUMNS)."""

    rows: pd.DataFrame
    file_name: str
    sheet: str | None
    header_row: int
    mapping: dict[str, str] = field(default_factory=dict)
    packages: dict[str, int] = field(default_factory=dict)  # header -> merged blocks spanning several posts

    @property
    def ok(self) -> pd.DataFrame:
        return self.rows[self.rows["status"] == "ok"]

    @property
    def counts(self) -> dict[str, int]:
        """rows read = ok + rejected + blank + total."""
        kind, status = self.rows["row_kind"], self.rows["status"]
        return {"read": len(self.rows), "ok": int((status == "ok").sum()),
                "rejected": int(((status == "rejected") & (kind == "post")).sum()),
                "blank": int((kind == "blank").sum()), "total": int((kind == "total").sum())}


def _text(cells: pd.DataFrame, header: str | None) -> pd.Series:
    if header is None:
        return missing_text(cells.index)
    return text_series(pc.utf8_trim_whitespace(normalised_text(arrow_text(cells[header]))), cells.index)


def _on_distinct(parse, values: pd.Series, **options) -> pd.DataFrame:
    """`parse` run on the distinct cells only and spread back: a creator's followers and package fee repeat
    down its posts (filled down from a merge, or typed again), so a sheet holds a fraction of them."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    if len(uniques) > len(values) // 2:
        return parse(values, **options)
    distinct = pd.Series(uniques).reindex(pd.RangeIndex(len(uniques) + 1))  # the last entry answers for NA
    parsed = parse(distinct, **options)
    return parsed.iloc[np.where(codes < 0, len(uniques), codes)].set_axis(values.index)


class _Reasons:
    """The first reason that applies to each row."""

    def __init__(self, n: int):
        self.reason = np.full(n, None, dtype=object)

    def add(self, where: np.ndarray, text) -> None:
        where = np.asarray(where, dtype=bool) & (self.reason == None)  # noqa: E711 (object array)
        self.reason[where] = text[where] if isinstance(text, np.ndarray) else text


def _said(header: str, error: pd.Series, bad: np.ndarray) -> np.ndarray:
    """"column 'Likes': 'banyak' is not a number" for the rows where `bad`, built for those rows only."""
    said = np.full(len(error), None, dtype=object)
    said[bad] = (f"column '{header}': " + error[bad]).to_numpy(dtype=object)
    return said


def read_posts(raw: RawTable, mapping: dict[str, str] | None = None,
               blocks: dict[str, np.ndarray] | None = None, platform_of_all: str | None = None) -> Posts:
    """Parse, validate and account for every data row of a results sheet. `blocks` from `merged_row_blocks`."""
    mapping = {f: h for f, h in (mapping or guess_results_mapping(raw)).items() if h in raw.cells.columns}
    blocks = blocks or {}
    cells = raw.cells
    if cells.empty:
        raise RosterError(f"{raw.file_name}: the header (row {raw.header_row}) is there but no post rows follow it.")
    metrics_mapped = [f for f in COUNT_METRICS if f in mapping]
    if not metrics_mapped:
        raise RosterError(f"{raw.file_name}: no column of views, reach, likes, comments, shares or saves among the "
                          f"headers ({', '.join(raw.headers[:12])}); this is not a sheet of post results.")
    if not {"handle", "name", "post_link"} & set(mapping):
        raise RosterError(f"{raw.file_name}: no column names the creator (handle, name or post link) among the "
                          f"headers ({', '.join(raw.headers[:12])}).")
    index = cells.index
    n = len(index)
    out: dict[str, object] = {"source_row": index.to_numpy()}
    text = {f: _text(cells, mapping.get(f)) for f in ("handle", "name", "platform", *TEXT)}
    link = text["post_link"]
    found = pc.extract_regex(arrow_text(link), _ACCOUNT_IN_LINK)
    link_account = text_series(pc.if_else(found.is_valid(), pc.struct_field(found, "handle"), None), index)
    handle = clean_handle(text["handle"]).fillna(link_account)
    out["handle"] = handle
    named = platform_named_by(raw.headers)
    default_platform = platform_of_all if platform_of_all in PLATFORMS else (named or "other")
    platform = normalise_platform(text["platform"]) if "platform" in mapping else \
        pd.Series("other", index=index, dtype="str")
    unknown = (platform == "other").to_numpy()
    if unknown.any():  # the profile or post link names the platform where the platform column does not
        from_urls = platform_from_url(text["handle"][unknown]).fillna(platform_from_url(link[unknown]))
        if "platform" not in mapping:
            from_urls = from_urls.fillna(default_platform)
        platform[unknown] = from_urls.fillna("other").to_numpy()
    out["platform"] = platform.astype("str")
    out["name"] = text["name"]
    for f in TEXT:
        out[f] = text[f]

    blank = cells.isna().all(axis=1).to_numpy()
    label_cols = {cells.columns[0], *(mapping[f] for f in ("handle", "name", "platform") if f in mapping)}
    total = np.zeros(n, dtype=bool)
    for header in label_cols:
        total |= pc.fill_null(pc.match_substring_regex(arrow_text(cells[header]), TOTAL_LABEL, ignore_case=True),
                              False).to_numpy(zero_copy_only=False)
    total &= ~blank
    kind = np.where(blank, BLANK, np.where(total, TOTAL, POST)).astype(np.int8)
    reasons = _Reasons(n)
    reasons.add(kind == BLANK, "blank row (not a post)")
    reasons.add(kind == TOTAL, "total row (not a post)")
    reasons.add((handle.isna() & text["name"].isna()).to_numpy(), "no handle, name or post link naming the account")

    out["fee_currency"] = pd.Series(None, index=index, dtype="object")
    for f in ("followers", *COUNT_METRICS, *OUTCOMES, *MONEY):
        if f not in mapping:
            out[f] = np.full(n, np.nan)
            continue
        header = mapping[f]
        money = f in MONEY
        parse, unit = (parse_money, header_unit(header, rupiah=True)) if money else (parse_count, header_unit(header))
        # Followers and amounts repeat down a creator's posts (merged and filled down, or typed again): parsed
        # once per distinct cell. A post's own counts do not repeat.
        parsed = _on_distinct(parse, values=cells[header], unit=unit) if money or f == "followers" else \
            parse(cells[header], unit=unit)
        error = parsed["error"]
        bad = (error.notna() & (error != "empty")).to_numpy()
        reasons.add(bad & (kind == POST), _said(header, error, bad))
        value = parsed["value"].to_numpy(dtype=float)
        if not money:
            value = np.round(value)
            reasons.add((value < 0) & (kind == POST), f"column '{header}': negative count")
        out[f] = value
        if f == "fee":
            out["fee_currency"] = parsed["currency"]
    measured = np.zeros(n, dtype=bool)
    for f in COUNT_METRICS:
        measured |= ~np.isnan(out[f])
    reasons.add(~measured, "no views, reach, impressions, likes, comments, shares, saves or clicks")
    # The same post twice (a pasted row) is a duplicate; another post of the same creator is not.
    key = text_series(pc.utf8_rtrim(pc.utf8_lower(arrow_text(link)), "/"), index).where(kind == POST)
    codes = pd.factorize(key, use_na_sentinel=True)[0]
    found, first_at = np.unique(codes, return_index=True)  # each key's first row
    first_of_code = np.full(codes.max() + 2, -1)
    first_of_code[found + 1] = first_at
    first = first_of_code[codes + 1]
    repeat = (codes >= 0) & (first != np.arange(n))
    said = np.full(n, None, dtype=object)
    said[repeat] = [f"same post link as row {row}" for row in index.to_numpy()[first[repeat]]]
    reasons.add(repeat, said)

    ok = reasons.reason == None  # noqa: E711
    package_counts = _split_packages(out, blocks, mapping, ok, index)
    out["row_kind"] = pd.Categorical.from_codes(kind, categories=ROW_KINDS)
    out["status"] = pd.Categorical.from_codes((~ok).astype(np.int8), categories=["ok", "rejected"])
    out["reason"] = pd.Series(reasons.reason, index=index, dtype="str")
    rows = pd.DataFrame({c: out[c] for c in COLUMNS}, index=index).reset_index(drop=True)
    for c in ("source_row", "package", "package_posts"):
        rows[c] = rows[c].astype("int64")
    return Posts(rows, raw.file_name, raw.sheet, raw.header_row, mapping, package_counts)


def _split_packages(out: dict, blocks: dict[str, np.ndarray], mapping: dict[str, str], ok: np.ndarray,
                    index: pd.Index) -> dict[str, int]:
    """An amount merged down several rows is one amount for the package: each ok post of the block gets an
    equal share. `package`, `package_fee` and `package_posts` say which package a row's fee belongs to."""
    rows = index.to_numpy()
    counts: dict[str, int] = {}
    for f in SPLIT_WHEN_MERGED:
        header = mapping.get(f)
        block = blocks.get(header) if header else None
        if f == "fee":
            out["package"] = block if block is not None else rows
        if block is None:
            continue
        posts_in = pd.Series(ok.astype(int)).groupby(block).transform("sum").to_numpy()
        amount = np.asarray(out[f], dtype=float)
        if f == "fee":
            out["package_fee"] = np.where(ok, amount, np.nan)
            out["package_posts"] = np.where(ok, posts_in, 0)
        out[f] = np.where(ok & (posts_in > 0), amount / np.maximum(posts_in, 1), amount)
        counts[header] = int((np.bincount(pd.factorize(block)[0]) > 1).sum())
    if "package_fee" not in out:
        out["package_fee"] = np.where(ok, out["fee"], np.nan)
        out["package_posts"] = ok.astype(np.int64)
    return counts


def read_posts_file(data: bytes, file_name: str, sheet: str | None = None, *, isolated: bool = True,
                    mapping: dict[str, str] | None = None) -> Posts:
    """Bytes of a results sheet -> Posts, read as rosters are (under the reader's limits unless told otherwise)."""
    if isolated:
        from tiers.reading.sandbox import read_table_isolated
        raw = read_table_isolated(data, file_name, sheet)
    else:
        raw = read_table(data, file_name, sheet)
    return read_posts(raw, mapping, merged_row_blocks(data, raw))



@dataclass(frozen=True)
class PostsHint:
    """Why a sheet uploaded as a roster is clearly a sheet of posts: `accounts` accounts appear on several
    rows (`rows` rows in all), and the sheet has a post link or a post date column."""

    accounts: int
    rows: int
    column: str  # the post link or post date column


REPEATED_SHARE = 0.3  # of the rows naming an account, on accounts named on several rows


def posts_hint(raw: RawTable) -> PostsHint | None:
    """A sheet of posts, told by its cells: a column of post links (or a post date header), counts of what
    posts deliver, and the same account (platform and handle, else name) on many rows. None for a roster:
    one row per account, or an account on two platforms."""
    if raw.cells.empty:
        return None
    mapping = guess_results_mapping(raw)
    column = mapping.get("post_link") or mapping.get("post_date")
    account = mapping.get("handle") or mapping.get("name")
    if column is None or account is None or not any(f in mapping for f in COUNT_METRICS):
        return None
    named = _text(raw.cells, account).str.lower()
    if "platform" in mapping:
        named = normalise_platform(_text(raw.cells, mapping["platform"])).astype("str") + "|" + named
    counts = named.dropna().value_counts()
    repeated = counts[counts > 1]
    if repeated.empty or repeated.sum() < max(3, REPEATED_SHARE * counts.sum()):
        return None
    return PostsHint(len(repeated), int(repeated.sum()), column)

"""Map whatever a spreadsheet calls its columns onto Tierscope's canonical fields.

Headers are matched in English and Indonesian. An exact synonym scores 1.0; a header that merely
contains a synonym as whole words ("IG Followers", "Rate card (IDR)") scores 0.8. Each header serves
at most one field, best match first; the UI lets the user correct the result.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

SYNONYMS: dict[str, tuple[str, ...]] = {
    "handle": ("handle", "username", "user name", "akun", "akaun", "account", "nama pengguna", "nama akun", "akun ig",
               "username ig", "ig handle", "tiktok handle", "profile", "profil", "link profil",
               "profile link", "url", "link", "id akun", "kol"),
    "name": ("name", "nama", "full name", "nama lengkap", "creator", "creator name", "influencer",
             "influencer name", "nama influencer", "kreator", "nama kreator", "talent", "nama talent",
             "youtuber", "tiktoker", "instagrammer", "channel name", "nama channel", "channel title", "nama kol"),
    "platform": ("platform", "platforms", "channel", "sosmed", "media sosial", "social media",
                 "network", "medium", "platform sosmed"),
    "followers": ("followers", "follower", "pengikut", "jumlah pengikut", "jumlah followers",
                  "subscribers", "subscriber", "subs", "pelanggan", "fans", "audience",
                  "audience size", "follower count", "followers count", "total followers",
                  "jml followers", "jumlah follower", "jumlah subscriber"),
    "likes": ("likes", "like", "avg likes", "average likes", "rata rata likes", "suka",
              "jumlah suka", "rata rata suka", "avg like"),
    "comments": ("comments", "comment", "komentar", "komen", "purata komen", "avg comments", "average comments",
                 "rata rata komentar", "jumlah komentar"),
    "shares": ("shares", "share", "bagikan", "kongsi", "kongsian", "dibagikan", "avg shares", "average shares",
               "rata rata share", "jumlah share"),
    "saves": ("saves", "save", "simpan", "disimpan", "avg saves"),
    "engagements": ("engagements", "avg engagement", "average engagement", "engagement avg", "avg engagements",
                    "average engagements", "engagement per post", "engagements per post", "total engagement",
                    "interactions", "avg interactions", "interaksi", "rata rata interaksi",
                    "rata rata engagement", "jumlah engagement", "jumlah interaksi", "eng avg", "avg eng",
                    "eng average", "average eng", "engagement average", "interaksi rata rata", "engagement rata rata",
                    "purata penglibatan", "penglibatan purata"),
    "views": ("views", "view", "tayangan", "tontonan", "purata tontonan", "avg views", "average views",
              "rata rata tayangan", "rata rata views", "plays", "penayangan", "ditonton", "jumlah tayangan",
              "video views"),
    "engagement_rate": ("engagement rate", "er", "er %", "eng rate", "tingkat engagement",
                        "tingkat interaksi", "engagement", "avg er", "rata rata er", "engagement rate %",
                        "kadar penglibatan"),
    "fee": ("rate card", "ratecard", "rate", "harga", "fee", "tarif", "biaya", "price", "cost", "yuran",
            "kadar bayaran", "harga per post", "rate per post", "harga post", "fee per post"),
    "niche": ("niche", "kategori", "category", "vertical", "topik", "topic", "genre", "industry",
              "bidang", "konten", "content category"),
    "city": ("city", "kota", "bandar", "negeri", "domisili", "location", "lokasi", "kabupaten kota", "kota domisili"),
    "nano_type": ("native", "nano type", "jenis nano", "native non native", "nano native",
                  "jenis influencer", "native status"),
    # The tier the sheet itself gives each creator ('Nano', 'Mikro'): read as stated, never as a count.
    "tier_stated": ("tier", "tiers", "tier followers", "follower tier", "followers tier", "tier influencer",
                    "influencer tier", "tier kol", "kol tier", "kelas", "tingkatan", "kelas influencer",
                    "kategori influencer", "kategori kol", "level influencer", "tier size", "size tier"),
}
FIELDS = tuple(SYNONYMS)
_LOOKUP = {syn: field for field, syns in SYNONYMS.items() for syn in syns}


def normalise_header(label: object) -> str:
    """'Rata-rata Likes (avg)' -> 'rata rata likes avg': lower case, words only."""
    text = re.sub(r"[^0-9a-z%]+", " ", str(label).lower()).replace("%", " % ")
    return re.sub(r"\s+", " ", text).strip()


def header_matches(label: object) -> list[tuple[str, float, int]]:
    """(field, confidence, synonym length) for every field this header could be."""
    norm = normalise_header(label)
    if not norm:
        return []
    bare = normalise_header(norm.replace("%", ""))
    if bare in _LOOKUP:
        return [(_LOOKUP[bare], 1.0, len(bare))]
    padded = f" {norm} "
    found: dict[str, tuple[str, float, int]] = {}
    for syn, field in _LOOKUP.items():
        if f" {syn} " in padded and len(syn) > found.get(field, ("", 0, 0))[2]:
            found[field] = (field, 0.8, len(syn))
    return list(found.values())


PLATFORM_WORDS = {"instagram": ("ig", "instagram", "insta", "instagrammer"),
                  "tiktok": ("tiktok", "tt", "tik tok", "tiktoker"),
                  "youtube": ("youtube", "yt", "youtuber"), "facebook": ("facebook", "fb"), "x": ("twitter",)}


def header_platform(label: object) -> tuple[str | None, str]:
    """('tiktok', 'followers') for 'TikTok Followers': the platform a header names and the rest of it."""
    padded = f" {normalise_header(label)} "
    for platform, words in PLATFORM_WORDS.items():
        for word in words:
            if f" {word} " in padded:
                return platform, padded.replace(f" {word} ", " ").strip()
    return None, padded.strip()


def guess_wide_mapping(headers: list[str]) -> dict[str, tuple[str, float]]:
    """'followers@tiktok' -> ('TikTok Followers', confidence) when two or more platforms have their own
    follower column (a wide layout: one row per creator, one column group per platform)."""
    found: dict[str, tuple[str, float]] = {}
    for header in headers:
        platform, rest = header_platform(header)
        if platform is None or not rest:
            continue
        for field, conf, _ in header_matches(rest):
            key = f"{field}@{platform}"
            if field not in ("platform", "name") and key not in found:
                found[key] = (header, conf)
    platforms = {key.split("@")[1] for key in found if key.startswith("followers@")}
    return {k: v for k, v in found.items() if k.split("@")[1] in platforms} if len(platforms) >= 2 else {}


# Mapping key for the platform of every row of a sheet that has no platform column (its value is a
# platform, not a header): guessed from the headers ("Akun IG", "Subscribers"), or chosen by the user.
PLATFORM_OF_ALL = "platform_of_all"
# Mapping key for the currency of fees written without one (its value is an ISO code, not a header):
# IDR unless the user (or the UI language: MYR in Bahasa Melayu) says otherwise.
CURRENCY_OF_ALL = "currency_of_all"
CURRENCIES = ("IDR", "MYR", "SGD", "PHP", "THB", "VND", "USD")


def platform_named_by(headers: list[str]) -> str | None:
    """The one platform these headers name ('Akun IG', 'Tiktoker name'); failing any, YouTube for
    'Subscribers' (its word for followers). None when they name several."""
    named = {header_platform(h)[0] for h in headers} - {None}
    if named:
        return named.pop() if len(named) == 1 else None
    return "youtube" if any(re.search(r"\b(subscribers?|subs)\b", normalise_header(h)) for h in headers) else None


def guess_mapping(headers: list[str]) -> dict[str, tuple[str, float]]:
    """field -> (header, confidence) for the fields the headers reveal; wide layouts give
    'field@platform' keys for their per-platform columns."""
    wide = guess_wide_mapping(headers)
    taken = {header for header, _ in wide.values()}
    candidates = [(conf, length, header, field)
                  for header in headers if header not in taken for field, conf, length in header_matches(header)]
    candidates.sort(key=lambda c: (-c[0], -c[1], headers.index(c[2])))
    mapping: dict[str, tuple[str, float]] = {}
    used: set[str] = set()
    for conf, _, header, field in candidates:
        if field not in mapping and header not in used and not (wide and field == "followers"):
            mapping[field] = (header, conf)
            used.add(header)
    return mapping | wide


def ambiguous_fields(headers: list[str]) -> dict[str, list[str]]:
    """Fields that two or more headers match equally well (the user should choose), with those headers."""
    best: dict[str, tuple[float, list[str]]] = {}
    for header in headers:
        for field, conf, _ in header_matches(header):
            top, names = best.get(field, (0.0, []))
            if conf > top:
                best[field] = (conf, [header])
            elif conf == top:
                names.append(header)
    wide = guess_wide_mapping(headers)
    return {f: names for f, (_, names) in best.items()
            if len(names) > 1 and not (wide and f in ("followers", *(k.split("@")[0] for k in wide)))}


def header_fields(row: pd.Series) -> set[str]:
    """The fields the cells of a candidate header row name."""
    return {m[0] for cell in row.dropna() if isinstance(cell, str) for m in header_matches(cell)}


def header_score(row: pd.Series) -> int:
    """How many distinct fields a candidate header row names, a follower column counting most."""
    fields = header_fields(row)
    return len(fields) + (2 if "followers" in fields else 0)


def arrow_text(values: pd.Series) -> pa.ChunkedArray:
    """A column as Arrow text, to run Arrow's string kernels on; no copy for a str column."""
    text = pa.array(values.astype("str").array)
    return text if isinstance(text, pa.ChunkedArray) else pa.chunked_array([text])


def text_series(text: pa.ChunkedArray | pa.Array, index: pd.Index) -> pd.Series:
    """Arrow text back as a str column; empty strings become missing."""
    return pd.Series(pd.array(pc.if_else(pc.equal(text, ""), None, text), dtype="str"), index=index)


def missing_text(index: pd.Index) -> pd.Series:
    """An all-missing text column, made without one Python object per row."""
    return pd.Series(pd.array(pa.nulls(len(index), pa.large_string()), dtype="str"), index=index)


def is_percent_header(label: str) -> bool:
    return "%" in str(label) or "persen" in str(label).lower()


PLATFORMS = ("instagram", "tiktok", "youtube", "facebook", "x", "other")
_PLATFORM_PATTERNS = {
    "instagram": r"^(instagram|insta|ig|instagram\.com.*|.*instagram\.com.*)$",
    "tiktok": r"^(tiktok|tik tok|tt|tiktok\.com.*|.*tiktok\.com.*)$",
    "youtube": r"^(youtube|yt|youtube shorts|yt shorts|.*youtube\.com.*|.*youtu\.be.*)$",
    "facebook": r"^(facebook|fb|meta|.*facebook\.com.*)$",
    "x": r"^(x|twitter|x twitter|twitter x|.*twitter\.com.*|.*x\.com/.*)$",
}


def on_distinct(values: pd.Series, transform) -> pd.Series:
    """Apply a Series -> Series `transform` to the distinct values only, then spread the results back.

    Platform, niche and city columns hold a handful of distinct values in a million rows.
    """
    if not values.notna().any():  # an absent column: one answer for all
        only = transform(pd.Series([None], dtype=values.dtype)).iloc[0]
        return missing_text(values.index) if pd.isna(only) else pd.Series(
            pd.array(pa.repeat(pa.scalar(only, pa.large_string()), len(values)), dtype="str"), index=values.index)
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    if len(uniques) > len(values) // 2:
        return transform(values)
    mapped = transform(pd.Series([*uniques, None], dtype=values.dtype))  # the last entry stands for NA
    codes = np.where(codes < 0, len(uniques), codes)
    return pd.Series(mapped.array.take(codes), index=values.index)


def normalise_platform(values: pd.Series) -> pd.Series:
    """Free-text platform names ('IG', 'Tik Tok', 'YT') -> one of PLATFORMS; unknown -> 'other'."""
    return on_distinct(values, _normalise_platform)


def _normalise_platform(values: pd.Series) -> pd.Series:
    text = values.astype("str").str.strip().str.lower().str.replace(r"[\s_/-]+", " ", regex=True)
    out = pd.Series("other", index=values.index, dtype="str")
    for platform, pattern in reversed(list(_PLATFORM_PATTERNS.items())):
        out = out.mask(text.str.match(pattern).fillna(False).astype(bool), platform)
    for platform, words in PLATFORM_WORDS.items():  # "IG Reels", "TikTok Shop", a sheet named "KOL TikTok"
        named = text.str.contains(rf"(?:^|\s)(?:{'|'.join(words)})(?:\s|$)").fillna(False).astype(bool)
        out = out.mask((out == "other") & named, platform)
    return out


def platform_from_url(values: pd.Series) -> pd.Series:
    """Platform named by a profile URL in the handle cell, else NA."""
    out = pd.Series(pd.NA, index=values.index, dtype="object")
    has_slash = values.str.contains("/", regex=False).fillna(False).astype(bool)
    if not has_slash.any():
        return out
    text = values.astype("str").str.lower()
    for platform, domain in (("instagram", "instagram.com"), ("tiktok", "tiktok.com"),
                             ("youtube", "youtube.com"), ("youtube", "youtu.be"),
                             ("facebook", "facebook.com"), ("x", "twitter.com"), ("x", "x.com/")):
        out = out.mask(text.str.contains(domain, regex=False).fillna(False).astype(bool) & out.isna(), platform)
    return out


# A profile link: the account is the first path part ("@name" on TikTok and YouTube, "c/", "user/" or
# "channel/" before it on older YouTube links); what follows (/videos, /reels, ?hl=en, ?igsh=...) is not.
_PROFILE_URL = (r"(?i)^(?:https?://)?(?:www\.|m\.|mobile\.)?(?:[a-z0-9-]+\.)*[a-z0-9-]+\.[a-z]+/"
                r"(?:@|c/|user/|channel/)?(?P<handle>[^/?#\s]+)")


def normalised_text(text: pa.ChunkedArray) -> pa.ChunkedArray:
    """NFKC (full-width digits and letters, non-breaking spaces) without format characters (zero-width
    spaces, joiners, byte-order marks): how two cells that look the same compare the same. Plain
    ASCII, the common case, is left as it is without normalising."""
    if pc.all(pc.string_is_ascii(text)).as_py() is not False:
        return text
    return pc.replace_substring_regex(pc.utf8_normalize(text, "NFKC"), r"\p{Cf}", "")


def clean_handle(values: pd.Series) -> pd.Series:
    """'@Rina.id', 'https://instagram.com/rina.id/?hl=en' -> 'rina.id' (case kept, no leading @);
    missing where nothing is left."""
    text = pc.utf8_trim_whitespace(normalised_text(arrow_text(values)))
    if pc.any(pc.match_substring(text, "/")).as_py():
        found = pc.extract_regex(text, _PROFILE_URL)
        text = pc.if_else(found.is_valid(), pc.struct_field(found, "handle"), text)
    return text_series(pc.utf8_trim_whitespace(pc.utf8_ltrim(text, "@")), values.index)


def repeated_headers(headers: list[str], mapping: dict[str, str]) -> list[tuple[str, str, list[str]]]:
    """(field, the column it is read from, every column of that name) for each mapped field whose
    header the sheet repeats (the reader numbers repeats: 'followers', 'followers (2)')."""
    groups: dict[str, list[str]] = {}
    for header in headers:
        groups.setdefault(re.sub(r" \(\d+\)$", "", header), []).append(header)
    repeated = {header: named for base, named in groups.items() if len(named) > 1 and base in named
                for header in named}
    return [(field, header, repeated[header]) for field, header in mapping.items()
            if header in repeated and field != PLATFORM_OF_ALL]


def name_keys(names: pd.Series) -> pd.Series:
    """The comparing form of display names: lower case, letters and digits only ('Rina 🌸 Official!'
    -> 'rina official'); missing when nothing is left."""
    text = pc.replace_substring_regex(pc.utf8_lower(arrow_text(names)), r"[^\p{L}\p{N}]+", " ")
    return text_series(pc.utf8_trim_whitespace(text), names.index)


def _nano_types(values: pd.Series) -> pd.Series:
    text = values.astype("str").str.strip().str.lower().str.replace(r"[\s_-]+", " ", regex=True)
    non_native = text.str.match(r"^(non ?native|bukan native|non|lama|grup|group|komunitas)$").fillna(False)
    native = text.str.match(r"^(native|baru|new|organik|organic|ya|yes|y)$").fillna(False)
    out = missing_text(values.index)
    return out.mask(native.astype(bool), "native").mask(non_native.astype(bool), "non-native")


def nano_types(values: pd.Series) -> pd.Series:
    """Shopee's split of nano creators: 'native' (new, building an audience) or 'non-native' (known
    through a group), from free text such as 'Native', 'Non-native', 'baru', 'grup'; else NA."""
    return on_distinct(values, _nano_types)

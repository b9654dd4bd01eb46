"""A campaign's parsed results sheet (tiers.reading.posts.Posts) <-> bytes, stored as a roster's parse is:
its rows as Parquet, its other fields as JSON, under a key naming the file, the sheet and how it was read
(`POSTS_FORMAT`, raised whenever reading a results sheet changes what its posts hold)."""

from __future__ import annotations

import hashlib
import json

from tiers.reading.posts import Posts
from tiers.storage.rosters import parse_from_bytes

POSTS_FORMAT = 1


def posts_key(file_digest: str, sheet: str | None) -> str:
    what = json.dumps(["posts", POSTS_FORMAT, file_digest, sheet], ensure_ascii=False)
    return hashlib.sha256(what.encode()).hexdigest()


def posts_from_bytes(meta: str, parquet: bytes) -> Posts:
    fields, rows = parse_from_bytes(meta, parquet)
    return Posts(rows=rows, **fields)

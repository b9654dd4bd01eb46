"""A parsed Roster <-> bytes: its rows as Parquet, its other fields as JSON.

The key names what the roster was read from (file, sheet, column mapping) and how (`ROSTER_FORMAT`,
raised whenever reading changes what a roster holds, so an old parse is never taken for a new one).
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from tiers.reading.roster import Roster

ROSTER_FORMAT = 5
OBJECT_COLUMNS = "_object_columns"


def roster_key(file_digest: str, sheet: str | None, mapping: dict[str, str] | None) -> str:
    what = json.dumps([ROSTER_FORMAT, file_digest, sheet, sorted((mapping or {}).items())], ensure_ascii=False)
    return hashlib.sha256(what.encode()).hexdigest()


def parse_to_bytes(parsed) -> tuple[str, bytes]:
    """(meta JSON, Parquet bytes) of a parse: a dataclass whose `rows` are a DataFrame (a Roster, Posts)."""
    meta = {f.name: getattr(parsed, f.name) for f in dataclasses.fields(parsed) if f.name != "rows"}
    # Parquet reads text back as `str`; columns that were Python objects (mixed or all-missing) stay so.
    meta[OBJECT_COLUMNS] = [c for c in parsed.rows.columns if parsed.rows[c].dtype == object]
    buffer = io.BytesIO()
    table = pa.Table.from_pandas(parsed.rows, preserve_index=True)
    pq.write_table(table, buffer)  # snappy: the fastest to write and to read back
    return json.dumps(meta, ensure_ascii=False), buffer.getvalue()


def parse_from_bytes(meta: str, parquet: bytes) -> tuple[dict, pd.DataFrame]:
    """(the other fields, rows) of a parse stored by `parse_to_bytes`."""
    fields = json.loads(meta)
    rows = pq.read_table(io.BytesIO(parquet)).to_pandas()
    objects = fields.pop(OBJECT_COLUMNS, [])
    if objects:
        rows = rows.astype(dict.fromkeys(objects, object))
    return fields, rows


def roster_from_bytes(meta: str, parquet: bytes) -> Roster:
    fields, rows = parse_from_bytes(meta, parquet)
    fields |= {name: tuple(fields[name]) for name in ("headers", "sheets", "roster_sheets")}
    fields["notes"] = tuple(tuple(note) for note in fields.get("notes", ()))
    return Roster(rows=rows, **fields)

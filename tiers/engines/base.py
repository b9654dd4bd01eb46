"""A creator base as the dashboard opens it: its monthly snapshots (folders of Parquet), each one's
content identity, and the small aggregate frames the Creator base page draws, computed by DuckDB.

A *snapshot* is a folder of typed Parquet (a creator base as `classify --engine` reads it), or the
output of `classify --engine duckdb|spark` (a folder holding `creators/`). A *base* is a folder whose
subfolders are snapshots (named by their month, `2026-11`, `2026-12`), or a folder that is itself one
snapshot. A `mapping.json` in the base folder names its columns as `--mapping` does.

Every snapshot is classified once per scheme and norm set into a Parquet file under the cache folder
(keyed on the files' content identity: paths, sizes and modification times, with the scheme's bounds
and the norm set's bands), and every aggregate is computed from that file once and kept beside it, so
reopening the page in any server process reads a few small files. Nothing here returns every row:
the aggregates are per platform, country, tier and verdict, and the top creators are ten per group.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

import ibis
import ibis.expr.types as ir
import pandas as pd
import platformdirs

from tiers.analysis.engagement import NormSet
from tiers.analysis.schemes import TierScheme
from tiers.engines import plan
from tiers.engines.backends import Engine, canonical, duckdb_engine
from tiers.engines.run import classified_rows
from tiers.reading.read import RosterError
from tiers.reading.roster import COUNT_FIELDS, load_mapping

CACHE_VERSION = "1"  # bump when the plan or an aggregate changes what it computes
CACHE_SETTING = "TIERSCOPE_BASE_CACHE"  # the folder of classified snapshots and their aggregates
MAPPING_FILE = "mapping.json"
TOP = 10  # creators kept per platform, country and tier
RANKINGS = ("expected_engagements", "followers", "er_vs_norm")  # what a shortlist may be ranked by
# A classified snapshot (the output of classify --engine) read again: its columns by their own names
# (country found by its name: an output written before it was carried has none)
CLASSIFIED_MAPPING = {**{f: f for f in (*plan.TEXT, *plan.NUMBERS) if f != "country"},
                      "engagement_rate": "engagement_rate_roster"}
TOP_COLUMNS = ("handle", "name", "followers", "engagement_rate", "er_vs_norm", "verdict", "expected_engagements")
ROSTER_COLUMNS = ("platform", "handle", "name", "country", "followers", *COUNT_FIELDS, "engagement_rate")


@dataclass(frozen=True)
class Snapshot:
    name: str
    path: Path
    classified: bool  # the output of `classify --engine`: its creators/ folder is read
    identity: str  # of its files' paths, sizes and modification times


@dataclass(frozen=True)
class Base:
    name: str
    path: Path
    snapshots: tuple[Snapshot, ...]  # oldest first (by folder name)
    mapping: tuple[tuple[str, str], ...]


def default_cache() -> Path:
    return Path(os.environ.get(CACHE_SETTING) or platformdirs.user_cache_path("tierscope", appauthor=False) / "bases")


def _parquet_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.parquet") if p.is_file())


def identity(folder: Path) -> str:
    """The content identity of a folder of Parquet: its files' relative paths, sizes and mtimes."""
    digest = hashlib.sha256(CACHE_VERSION.encode())
    for path in _parquet_files(folder):
        stat = path.stat()
        digest.update(f"{path.relative_to(folder)}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:24]


def _is_snapshot(folder: Path) -> bool:
    """Parquet files directly in it, hive partitions (`platform=x/`) or a classify output (`creators/`)."""
    children = list(folder.iterdir())
    return (folder / "creators").is_dir() or any(
        (p.is_file() and p.suffix.lower() == ".parquet") or (p.is_dir() and "=" in p.name) for p in children)


def open_base(folder: Path, name: str | None = None) -> Base:
    """The base in `folder`: its snapshots and column mapping. RosterError when it holds none."""
    folder = Path(folder)
    if not folder.is_dir():
        raise RosterError(f"{folder}: no such folder")
    if _is_snapshot(folder):
        folders = [folder]
    else:
        folders = sorted(d for d in folder.iterdir() if d.is_dir() and (_is_snapshot(d) or _parquet_files(d)))
    snapshots = tuple(Snapshot(d.name, d, (d / "creators").is_dir(), identity(d)) for d in folders)
    if not snapshots or not any(_parquet_files(s.path) for s in snapshots):
        raise RosterError(f"{folder}: no Parquet files (a folder per month of Parquet, or classify --engine output)")
    mapping = load_mapping(folder / MAPPING_FILE) if (folder / MAPPING_FILE).is_file() else {}
    return Base(name or folder.name, folder, snapshots, tuple(sorted(mapping.items())))


def allowed_folders(setting: str | None) -> list[Path]:
    """The base folders a server offers (TIERSCOPE_BASE_DIRS: folders separated by the path separator)."""
    return [Path(p).expanduser() for p in (setting or "").split(os.pathsep) if p.strip()]


# The aggregates (ibis expressions over a classified snapshot)

def distribution(classified: ir.Table) -> ir.Table:
    """Creators, followers and expected engagements per platform, country, tier and verdict."""
    ok = classified.filter(classified.status == "ok")
    return ok.group_by(["platform", "country", "tier", "verdict"]).agg(
        creators=ok.count(), followers=ok.followers.sum(), expected_engagements=ok.expected_engagements.sum())


def er_bands(classified: ir.Table, by_platform: bool = True) -> ir.Table:
    """Per platform (or over all, platform 'all') and tier: the ER's (on the norm set's definition)
    10th to 90th percentiles, and the median norm band of those creators (exact, without holding the
    rows' values: see plan.quantiles_of)."""
    rated = classified.filter((classified.status == "ok") & classified.er_vs_norm.notnull())
    rated = rated if by_platform else rated.mutate(platform=ibis.literal("all"))
    keys = ["platform", "tier"]
    bands = plan.quantiles_of(rated, keys, "er_vs_norm", {f"p{round(q * 100)}": q for q in plan.QUANTILES})
    for column in ("norm_low", "norm_high"):
        median = plan.median_of(rated, keys, column).select(*keys, **{column: "_median"})
        bands = bands.left_join(median, keys).drop("platform_right", "tier_right")
    return bands.rename(rated="_count")


def top_creators(engine: Engine, classified: ir.Table, n: int = TOP) -> ir.Table:
    """The `n` creators with the most expected engagements per platform, country and tier (ties by
    handle, then row): the top of any platform or country, or of all, is among them. DuckDB keeps the
    best `n` of each group as it reads (`arg_min` of n over the ordering key), not sorting the rows."""
    ok = classified.filter((classified.status == "ok") & classified.expected_engagements.notnull())
    shown = ", ".join(f"'{c}': {c}" for c in TOP_COLUMNS)
    return engine.con.sql(
        f"SELECT platform, country, tier, UNNEST(best, recursive := true) FROM (SELECT platform, country, tier, "
        f"UNNEST(arg_min({{{shown}}}, {{'e': -expected_engagements, 'h': handle, 'r': source_row}}, {n})) AS best "
        f"FROM ({engine.con.compile(ok)}) GROUP BY platform, country, tier)")


def row_counts(classified: ir.Table) -> ir.Table:
    return classified.group_by(["status", "reason"]).agg(rows=classified.count())


def flow(accounts: ir.Table) -> ir.Table:
    """Accounts per platform and (tier before, tier after) with 'new' / 'dropped' for the missing side,
    and how many of them were flagged (spike, loss)."""
    rows = accounts.mutate(source=accounts.tier_before.fill_null("new"),
                           target=accounts.tier_after.fill_null("dropped"))
    return rows.group_by(["platform", "source", "target"]).agg(
        accounts=rows.count(), spikes=rows.follower_spike.cast("int64").sum(),
        losses=rows.large_loss.cast("int64").sum())


def shortlist_query(classified: ir.Table, platforms: list[str], countries: list[str], tiers: list[str],
                    verdicts: list[str], by: str, n: int) -> ir.Table:
    """The `n` creators ranked first by `by` among those chosen (an empty list chooses all)."""
    if by not in RANKINGS:
        raise ValueError(f"rank by one of {', '.join(RANKINGS)}, not {by}")
    c = classified
    keep = c.status == "ok"
    for column, chosen in (("platform", platforms), ("country", countries), ("tier", tiers), ("verdict", verdicts)):
        if chosen:
            keep &= c[column].isin(list(chosen))
    chosen = c.filter(keep & c[by].notnull()).order_by([c[by].desc(), c.handle, c.source_row]).limit(n)
    return chosen.select(*ROSTER_COLUMNS[:-1], engagement_rate=chosen.engagement_rate_roster)


# Computing and keeping them

def _key(*parts: object) -> str:
    return hashlib.sha256(json.dumps([CACHE_VERSION, *parts], default=str).encode()).hexdigest()[:32]


def _scheme_key(scheme: TierScheme) -> list:
    return [scheme.id, [(t.id, t.min_followers) for t in scheme.tiers]]


def _norms_key(norms: NormSet) -> list:
    return [norms.id, norms.basis, list(norms.components), norms.bands.to_json()]


def _write(engine: Engine, expr: ir.Table, path: Path) -> None:
    """Written beside its final name and renamed into place: another process never reads half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    engine.write(expr, str(partial))
    os.replace(partial, path)


def _kept(engine: Engine, expr: ir.Table, path: Path) -> pd.DataFrame:
    if not path.exists():
        _write(engine, expr, path)
    return pd.read_parquet(path)


class BaseCache:
    """Classified snapshots and their aggregates in a cache folder; DuckDB under `memory_limit`."""

    def __init__(self, folder: Path | None = None, memory_limit: str = "2GB", threads: int | None = None):
        self.folder = Path(folder or default_cache())
        self.memory_limit, self.threads = memory_limit, threads

    def _engine(self) -> Engine:
        return duckdb_engine(self.memory_limit, self.threads)

    def _snapshot_folder(self, base: Base, snapshot: Snapshot, scheme: TierScheme, norms: NormSet) -> Path:
        return self.folder / _key(snapshot.identity, snapshot.classified, base.mapping, _scheme_key(scheme),
                                  _norms_key(norms))

    def _classified(self, engine: Engine, base: Base, snapshot: Snapshot, scheme: TierScheme,
                    norms: NormSet) -> ir.Table:
        """The snapshot classified (once: kept as Parquet in the cache folder)."""
        path = self._snapshot_folder(base, snapshot, scheme, norms) / "creators.parquet"
        if not path.exists():
            if snapshot.classified:  # classified before: its creators again (rejected rows keep their reason)
                written = engine.written(str(snapshot.path / "creators"))
                rows = canonical(written.filter(written.status == "ok"), CLASSIFIED_MAPPING, str(snapshot.path))
            else:
                rows = engine.read(str(snapshot.path), dict(base.mapping))
            _write(engine, classified_rows(engine, rows, scheme, norms), path)
        return engine.con.read_parquet(str(path))

    def summaries(self, base: Base, snapshot: Snapshot, scheme: TierScheme, norms: NormSet) -> dict[str, pd.DataFrame]:
        """`distribution`, `bands` (per platform and over all), `top` and `counts` of one snapshot."""
        folder = self._snapshot_folder(base, snapshot, scheme, norms)
        names = ("distribution", "bands", "top", "counts")
        if all((folder / f"{name}.parquet").exists() for name in names):
            return {name: pd.read_parquet(folder / f"{name}.parquet") for name in names}
        engine = self._engine()
        try:
            c = self._classified(engine, base, snapshot, scheme, norms)
            if snapshot.classified:  # the rows rejected when it was classified
                written = engine.written(str(snapshot.path / "creators"))
                counts = row_counts(written.select("status", "reason"))
            else:
                counts = row_counts(c)
            return {"distribution": _kept(engine, distribution(c), folder / "distribution.parquet"),
                    "bands": _kept(engine, er_bands(c).union(er_bands(c, by_platform=False)),
                                   folder / "bands.parquet"),
                    "top": _kept(engine, top_creators(engine, c), folder / "top.parquet"),
                    "counts": _kept(engine, counts, folder / "counts.parquet")}
        finally:
            engine.close()

    def changes(self, base: Base, before: Snapshot, after: Snapshot, scheme: TierScheme,
                norms: NormSet) -> pd.DataFrame:
        """The tier flow between two snapshots (see `flow`), matched as `changes --engine` matches."""
        path = self.folder / _key("flow", self._snapshot_folder(base, before, scheme, norms).name,
                                  self._snapshot_folder(base, after, scheme, norms).name) / "flow.parquet"
        if path.exists():
            return pd.read_parquet(path)
        engine = self._engine()
        try:
            a, b = (self._classified(engine, base, s, scheme, norms) for s in (before, after))
            return _kept(engine, flow(plan.changes(a, b, scheme)), path)
        finally:
            engine.close()

    def shortlist(self, base: Base, snapshot: Snapshot, scheme: TierScheme, norms: NormSet, *,
                  platforms: list[str] = (), countries: list[str] = (), tiers: list[str] = (),
                  verdicts: list[str] = (), by: str = "expected_engagements", n: int = 50) -> pd.DataFrame:
        """The creators a shortlist takes from the base (at most `n`), as roster columns."""
        engine = self._engine()
        try:
            c = self._classified(engine, base, snapshot, scheme, norms)
            query = shortlist_query(c, list(platforms), list(countries), list(tiers), list(verdicts), by, n)
            return engine.fetch(query).to_pandas()
        finally:
            engine.close()


def roster_csv(creators: pd.DataFrame) -> bytes:
    """Creators taken from a base as a roster file the spreadsheet path reads like any other: counts as
    whole numbers, the roster's own ER as a fraction, one row per creator."""
    frame = creators[list(ROSTER_COLUMNS)].copy()
    for column in ("followers", *COUNT_FIELDS):
        frame[column] = frame[column].astype("Int64")
    return frame.to_csv(index=False, float_format="%.17g").encode("utf-8")

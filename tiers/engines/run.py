"""`classify` and `changes` of a creator base on an engine: what the CLI's --engine duckdb|spark runs.

classify SRC -o OUT/ writes
  OUT/creators/platform=P/tier=T/*.parquet   every row read, with its tier, rates, verdict, flags, status
                                             and reason (rejected rows sit under tier=NULL, or
                                             __HIVE_DEFAULT_PARTITION__ on Spark: no tier)
  OUT/tiers.parquet                          per platform and tier: creators, followers, expected
                                             engagements, ER quantiles (what the dashboard draws)
changes OLD NEW -o OUT/ writes
  OUT/accounts/platform=P/change=C/*.parquet one row per account in either snapshot
  OUT/tier_flow.parquet                      accounts per platform, tier before and tier after
Every summary is computed from the written Parquet, so the rows are classified once.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import ibis.expr.types as ir

from tiers.analysis.engagement import NormSet
from tiers.analysis.schemes import TierScheme
from tiers.engines import plan
from tiers.engines.backends import Engine
from tiers.reading.read import RosterError


def location(path: str | Path) -> str:
    """A file path or a cluster's URL (hdfs://, s3a://) as given: a Path folds the URL's '//'."""
    return re.sub(r"^([a-z][a-z0-9+.-]*):/(?!/)", r"\1://", str(path))


def _fresh(out: str) -> str:
    """OUT/ made ready: a local folder is created and its earlier results replaced; a cluster's URL is
    written by Spark in overwrite mode."""
    if "://" not in out:
        folder = Path(out)
        if folder.exists() and not folder.is_dir():
            raise RosterError(f"{out}: the output of --engine is a folder, and this is a file")
        for part in ("creators", "accounts"):
            shutil.rmtree(folder / part, ignore_errors=True)
        folder.mkdir(parents=True, exist_ok=True)
    return out.rstrip("/")


def classify_base(engine: Engine, source: str, mapping: dict[str, str], scheme: TierScheme, norms: NormSet,
                  out: str | Path) -> dict:
    """Classify every row of `source` into OUT/ (see the module's doc); returns the counts."""
    out = _fresh(location(out))
    classified = classified_rows(engine, engine.read(source, mapping), scheme, norms)
    engine.write(classified, f"{out}/creators", partition_by=("platform", "tier"))
    written = engine.written(f"{out}/creators", classified.schema())
    engine.write(plan.tier_summary(written), f"{out}/tiers.parquet")
    counts = written.group_by(["status", "reason"]).agg(rows=written.count())
    return _counts(engine.fetch(counts).to_pylist())


def classified_rows(engine: Engine, rows: ir.Table, scheme: TierScheme, norms: NormSet) -> ir.Table:
    """`plan.classify` of canonical rows, its table of repeated accounts kept by the engine first."""
    return plan.classify(rows, scheme, norms, engine.keep(plan.first_rows(rows, engine.keep)))


def _counts(rows: list[dict]) -> dict:
    ok = sum(r["rows"] for r in rows if r["status"] == "ok")
    reasons = sorted(((r["reason"], r["rows"]) for r in rows if r["status"] != "ok"), key=lambda x: -x[1])
    return {"read": sum(r["rows"] for r in rows), "ok": ok, "rejected": sum(n for _, n in reasons),
            "reasons": reasons}


def changes_base(engine: Engine, old: str, new: str, mapping: dict[str, str], scheme: TierScheme,
                 norms: NormSet, out: str | Path) -> dict:
    """Match the creators of two snapshots into OUT/ (see the module's doc); returns the counts."""
    out = _fresh(location(out))
    before, after = (classified_rows(engine, engine.read(s, mapping), scheme, norms) for s in (old, new))
    accounts = plan.changes(before, after, scheme)
    engine.write(accounts, f"{out}/accounts", partition_by=("platform", "change"))
    written = engine.written(f"{out}/accounts", accounts.schema())
    engine.write(plan.tier_flow(written), f"{out}/tier_flow.parquet")
    flagged = written.follower_spike | written.spike_falling_er | written.large_loss
    summary = written.group_by("change").agg(accounts=written.count(), flagged=flagged.cast("int64").sum())
    by_change = {r["change"]: r for r in engine.fetch(summary).to_pylist()}
    return {c: int(by_change.get(c, {}).get("accounts") or 0) for c in plan.CHANGES} | {
        "flagged": int(sum(r["flagged"] or 0 for r in by_change.values()))}


def bare_tier_query(engine: Engine, source: str, mapping: dict[str, str], scheme: TierScheme, out: str | Path) -> None:
    """Only the scheme's tier CASE over the same files, written the same way: the benchmark's baseline."""
    out = _fresh(location(out))
    t = engine.read(source, mapping)
    engine.write(t.mutate(tier=plan.tier_of(t.followers, scheme)), f"{out}/creators",
                 partition_by=("platform", "tier"))




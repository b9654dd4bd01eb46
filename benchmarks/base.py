"""Creator-base benchmark: the engines on generated Parquet, each step in its own process.

    .venv/bin/python benchmarks/base.py                  # 10M creators (two snapshots), Spark on 1M
    .venv/bin/python benchmarks/base.py --quick          # 1M creators, Spark on 200K
    .venv/bin/python benchmarks/base.py --rows 100000000 --data /big/base-100m  # the issue's size (data kept)

Measured against a baseline in the same run: DuckDB running only the scheme's tier CASE over the same
files and writing them the same way (Parquet partitioned by platform and tier), under the same
memory limit. Peak RSS is each process's own (ru_maxrss). Spark runs in local mode on the machine's
cores; its output is compared with DuckDB's row for row.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tiers.engines.demo import generate  # noqa: E402 - after the path is known

WIDTH = 62

PEAK = """
import os, resource, sys
from tiers.cli import main
code = main(sys.argv[1:])
print("PEAK_KIB", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
sys.stderr.flush()
os._exit(code)
"""
BARE = """
import resource, sys
from pathlib import Path
from tiers.analysis.schemes import get_scheme
from tiers.engines.backends import duckdb_engine
from tiers.engines.run import bare_tier_query
engine = duckdb_engine(memory_limit=sys.argv[3])
bare_tier_query(engine, sys.argv[1], {}, get_scheme("partipost"), Path(sys.argv[2]))
print("PEAK_KIB", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
"""
SAME = """
import sys, duckdb
a, b = sys.argv[1], sys.argv[2]
cols = sys.argv[3]
con = duckdb.connect(config={"enable_progress_bar": False})  # its bar would print to stdout
def q(p):
    return f"SELECT {cols} FROM read_parquet('{p}/**/*.parquet', hive_partitioning = true)"
diff = con.sql(f"SELECT count(*) FROM (({q(a)} EXCEPT ALL {q(b)}) UNION ALL ({q(b)} EXCEPT ALL {q(a)}))").fetchone()[0]
rows = con.sql(f"SELECT count(*) FROM ({q(a)})").fetchone()[0]
print(rows, diff)
"""
# The Creator base page's aggregates (tiers.engines.base): both months classified into the cache folder,
# the latest month's summaries and the tier flow; run cold (computed) then warm (read, as a page rerun does).
PAGE = """
import resource, sys, time
from pathlib import Path
from tiers.analysis.engagement import DEFAULT_NORMS, get_norm_set
from tiers.analysis.schemes import get_scheme
from tiers.engines.base import BaseCache, open_base
def visit():
    cache, base = BaseCache(Path(sys.argv[2]), memory_limit=sys.argv[3]), open_base(Path(sys.argv[1]))
    scheme, norms = get_scheme("partipost"), get_norm_set(DEFAULT_NORMS)
    cache.summaries(base, base.snapshots[-1], scheme, norms)
    cache.changes(base, base.snapshots[0], base.snapshots[-1], scheme, norms)
if sys.argv[4] == "warm":  # a server has read a cached base before: its imports are done
    visit()
started = time.perf_counter()
visit()
print("PAGE_S", time.perf_counter() - started, file=sys.stderr)
print("PEAK_KIB", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
"""
CLASSIFY_COLUMNS = ("source_row, regexp_extract(source_file, '[^/]+$') AS file, platform, handle, tier, status, "
                    "engagement_rate, engagement_rate_computed, er_vs_norm, norm_low, norm_high, verdict, grade, "
                    "er_far_above_norm, few_comments, low_views, er_disagrees")


def timed(command: list[str]) -> tuple[float, float | None, str, float]:
    """A step's time (or the time it says), peak RSS in MB, stdout and the 1-minute load average after it."""
    started = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"benchmark step failed: {' '.join(command)}\n{result.stderr[-3000:]}")
    said = {line.split()[0]: float(line.split()[1]) for line in result.stderr.splitlines()
            if line.startswith(("PEAK_KIB", "PAGE_S"))}
    peak = said["PEAK_KIB"] / 1024 if "PEAK_KIB" in said else None
    return said.get("PAGE_S", elapsed), peak, result.stdout, os.getloadavg()[0]


def snapshots(folder: Path, n: int) -> tuple[Path, Path]:
    """Two generated months of n creators in `folder` (made once: a folder holding them is reused)."""
    months = []
    for name, seed, later in (("2026-11", 7, False), ("2026-12", 11, True)):
        month = folder / f"{n}" / name
        if not (month / ".complete").exists():
            generate(month, n, seed, later=later)
            (month / ".complete").touch()
        months.append(month)
    return months[0], months[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, help="creators per snapshot (default 10M, 1M with --quick)")
    parser.add_argument("--spark-rows", type=int, help="creators for the Spark comparison (default 1M, 200K --quick)")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--memory-limit", default="2GB")
    parser.add_argument("--no-spark", action="store_true")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--data", type=Path, help="generate the months here once and keep them (else a temporary "
                                                  "folder, deleted)")
    args = parser.parse_args(sys.argv[1:])
    n = args.rows or (1_000_000 if args.quick else 10_000_000)
    n_spark = args.spark_rows or (200_000 if args.quick else 1_000_000)
    python, limit = sys.executable, args.memory_limit
    results = {"rows": n, "spark_rows": n_spark, "memory_limit": limit, "load_before": os.getloadavg()}
    with tempfile.TemporaryDirectory(prefix="tierscope-base-") as tmp:
        tmp = Path(tmp)
        started = time.perf_counter()
        before, after = snapshots(args.data or tmp / "base", n)
        results["generate_s"] = time.perf_counter() - started
        cli = [python, "-c", PEAK]
        bare = timed([python, "-c", BARE, str(before), str(tmp / "bare"), limit])
        ours = timed([*cli, "classify", str(before), "--engine", "duckdb", "--memory-limit", limit,
                      "-o", str(tmp / "classified")])
        changes = timed([*cli, "changes", str(before), str(after), "--engine", "duckdb", "--memory-limit", limit,
                         "-o", str(tmp / "changes")])
        page = [timed([python, "-c", PAGE, str(before.parent), str(tmp / "page-cache"), limit, visit])
                for visit in ("cold", "warm")]
        results |= {"bare_s": bare[0], "bare_peak_mb": bare[1], "bare_load": bare[3], "classify_s": ours[0],
                    "classify_peak_mb": ours[1], "classify_load": ours[3], "changes_s": changes[0],
                    "changes_peak_mb": changes[1], "changes_load": changes[3], "page_cold_s": page[0][0],
                    "page_cold_peak_mb": page[0][1], "page_cold_load": page[0][3], "page_warm_s": page[1][0],
                    "page_warm_load": page[1][3]}
        if not args.no_spark:
            small = generate(tmp / "small", n_spark, 7)
            duck = timed([*cli, "classify", str(small), "--engine", "duckdb", "-o", str(tmp / "small-duckdb")])
            spark = timed([*cli, "classify", str(small), "--engine", "spark", "-o", str(tmp / "small-spark")])
            rows, differ = map(int, timed([python, "-c", SAME, str(tmp / "small-duckdb" / "creators"),
                                           str(tmp / "small-spark" / "creators"), CLASSIFY_COLUMNS])[2].split()[-2:])
            results |= {"spark_duckdb_s": duck[0], "spark_s": spark[0], "spark_load": spark[3],
                        "spark_rows_compared": rows, "spark_rows_differing": differ}
    results["load_after"] = os.getloadavg()
    report(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


def report(r: dict) -> None:
    n = format(r["rows"], ",")
    print("load average (1, 5, 15 min) before: {:.1f} {:.1f} {:.1f}; after: {:.1f} {:.1f} {:.1f}".format(
        *r["load_before"], *r["load_after"]))
    print(f"{'step':<{WIDTH}} {'baseline':>9} {'tierscope':>10} {'ratio':>6} {'target':>7}  met  load")

    def line(label, base, ours, unit, target, met, load):
        ratio = f"{ours / base:>6.2f}" if base and unit == "s" else " " * 6
        base = f"{base:>8.{2 if unit == 's' else 0}f}{unit}" if base else " " * 9
        print(f"{label:<{WIDTH}} {base} {ours:>9.{2 if unit == 's' else 0}f}{unit} {ratio} {target:>7}  "
              f"{met:<4} {load:.1f}")

    def met(ok: bool) -> str:
        return "yes" if ok else "NO"

    line(f"DuckDB classify {n} creators vs the bare tier CASE", r["bare_s"], r["classify_s"], "s", "1.5x",
         met(r["classify_s"] <= 1.5 * r["bare_s"]), r["classify_load"])
    line(f"DuckDB classify peak RSS, memory_limit {r['memory_limit']}", r["bare_peak_mb"], r["classify_peak_mb"],
         "MB", "2500MB", met(r["classify_peak_mb"] <= 2500), r["classify_load"])
    line(f"DuckDB changes of two {n}-creator snapshots vs the bare CASE", r["bare_s"], r["changes_s"], "s", "3.0x",
         met(r["changes_s"] <= 3 * r["bare_s"]), r["changes_load"])
    line("DuckDB changes peak RSS", None, r["changes_peak_mb"], "MB", "2500MB", met(r["changes_peak_mb"] <= 2500),
         r["changes_load"])
    line(f"Creator base page, first visit (peak {r['page_cold_peak_mb']:.0f}MB)", None, r["page_cold_s"], "s", "",
         "", r["page_cold_load"])
    line("Creator base page, computed before (a rerun reads them)", None, r["page_warm_s"], "s", "1.5s",
         met(r["page_warm_s"] <= 1.5), r["page_warm_load"])
    if "spark_s" in r:
        line(f"Spark local vs DuckDB classify, {r['spark_rows']:,} (rows differing: {r['spark_rows_differing']})",
             r["spark_duckdb_s"], r["spark_s"], "s", "same", met(r["spark_rows_differing"] == 0), r["spark_load"])


if __name__ == "__main__":
    main()

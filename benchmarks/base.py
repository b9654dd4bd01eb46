"""Creator-base benchmark: the engines on generated Parquet, each step in its own process.

    .venv/bin/python benchmarks/base.py                  # 10M creators (two snapshots), Spark on 1M
    .venv/bin/python benchmarks/base.py --quick          # 1M creators, Spark on 200K
    .venv/bin/python benchmarks/base.py --rows 100000000 # the issue's size, given the disk and the hours

Measured against a baseline in the same run: DuckDB running only the scheme's tier CASE over the same
files and writing them the same way (Parquet partitioned by platform and tier), under the same
memory limit. Peak RSS is each process's own (ru_maxrss). Spark runs in local mode on the machine's
cores; its output is compared with DuckDB's row for row.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]
WIDTH = 62
CHUNK = 1_000_000  # rows per generated Parquet file
PLATFORMS = np.array(["instagram", "tiktok", "youtube"])

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
CLASSIFY_COLUMNS = ("source_row, regexp_extract(source_file, '[^/]+$') AS file, platform, handle, tier, status, "
                    "engagement_rate, engagement_rate_computed, er_vs_norm, norm_low, norm_high, verdict, grade, "
                    "er_far_above_norm, few_comments, low_views, er_disagrees")


def generate(folder: Path, n: int, seed: int, later: bool = False) -> Path:
    """n creators in files of CHUNK rows: handle, platform, followers, likes, comments, views; the
    later snapshot keeps 95% (followers moved a few percent, a few spikes) and adds 5% new ones."""
    folder.mkdir(parents=True, exist_ok=True)
    for start in range(0, n, CHUNK):
        size = min(CHUNK, n - start)
        rng = np.random.default_rng(seed * 1000 + start // CHUNK)
        ids = np.arange(start, start + size)
        base = np.random.default_rng(7 * 1000 + start // CHUNK)  # the first snapshot's creators
        followers = np.round(np.exp(base.uniform(np.log(500), np.log(5e6), size)))
        platform = PLATFORMS[base.integers(0, 3, size)]
        handle = np.char.add("creator", ids.astype(str)).astype(object)
        if later:
            followers = np.round(followers * rng.lognormal(0.02, 0.05, size))
            followers[rng.random(size) < 0.0005] *= 3
            gone = rng.random(size) < 0.05
            handle = np.where(gone, np.char.add("new_creator", ids.astype(str)).astype(object), handle)
        likes = np.round(followers * rng.uniform(0.005, 0.08, size))
        table = pa.table({"handle": pa.array(handle, pa.string()), "platform": pa.array(platform),
                          "followers": followers, "likes": likes,
                          "comments": np.round(followers * rng.uniform(0.0005, 0.004, size)),
                          "views": np.where(platform == "instagram", np.nan,
                                            np.round(followers * rng.uniform(0.1, 2, size)))})
        pq.write_table(table, folder / f"part-{start // CHUNK:04d}.parquet")
    return folder


def timed(command: list[str]) -> tuple[float, float | None, str]:
    started = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"benchmark step failed: {' '.join(command)}\n{result.stderr[-3000:]}")
    peak = next((int(line.split()[1]) / 1024 for line in result.stderr.splitlines() if line.startswith("PEAK_KIB")),
                None)
    return elapsed, peak, result.stdout


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, help="creators per snapshot (default 10M, 1M with --quick)")
    parser.add_argument("--spark-rows", type=int, help="creators for the Spark comparison (default 1M, 200K --quick)")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--memory-limit", default="2GB")
    parser.add_argument("--no-spark", action="store_true")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(sys.argv[1:])
    n = args.rows or (1_000_000 if args.quick else 10_000_000)
    n_spark = args.spark_rows or (200_000 if args.quick else 1_000_000)
    python, limit = sys.executable, args.memory_limit
    results = {"rows": n, "spark_rows": n_spark, "memory_limit": limit}
    with tempfile.TemporaryDirectory(prefix="tierscope-base-") as tmp:
        tmp = Path(tmp)
        started = time.perf_counter()
        before, after = generate(tmp / "before", n, 7), generate(tmp / "after", n, 11, later=True)
        results["generate_s"] = time.perf_counter() - started
        cli = [python, "-c", PEAK]
        bare = timed([python, "-c", BARE, str(before), str(tmp / "bare"), limit])
        ours = timed([*cli, "classify", str(before), "--engine", "duckdb", "--memory-limit", limit,
                      "-o", str(tmp / "classified")])
        changes = timed([*cli, "changes", str(before), str(after), "--engine", "duckdb", "--memory-limit", limit,
                         "-o", str(tmp / "changes")])
        results |= {"bare_s": bare[0], "bare_peak_mb": bare[1], "classify_s": ours[0], "classify_peak_mb": ours[1],
                    "changes_s": changes[0], "changes_peak_mb": changes[1]}
        if not args.no_spark:
            small = generate(tmp / "small", n_spark, 7)
            duck = timed([*cli, "classify", str(small), "--engine", "duckdb", "-o", str(tmp / "small-duckdb")])
            spark = timed([*cli, "classify", str(small), "--engine", "spark", "-o", str(tmp / "small-spark")])
            rows, differ = map(int, timed([python, "-c", SAME, str(tmp / "small-duckdb" / "creators"),
                                           str(tmp / "small-spark" / "creators"), CLASSIFY_COLUMNS])[2].split()[-2:])
            results |= {"spark_duckdb_s": duck[0], "spark_s": spark[0], "spark_rows_compared": rows,
                        "spark_rows_differing": differ}
    report(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


def report(r: dict) -> None:
    n = format(r["rows"], ",")
    print(f"{'step':<{WIDTH}} {'baseline':>9} {'tierscope':>10} {'ratio':>6} {'target':>7}  met")
    ratio = r["classify_s"] / r["bare_s"]
    print(f"{'DuckDB classify ' + n + ' creators vs the bare tier CASE':<{WIDTH}} {r['bare_s']:>8.2f}s "
          f"{r['classify_s']:>9.2f}s {ratio:>6.2f} {'1.5x':>7}  {'yes' if ratio <= 1.5 else 'NO'}")
    peak = r["classify_peak_mb"]
    print(f"{'DuckDB classify peak RSS, memory_limit ' + r['memory_limit']:<{WIDTH}} {r['bare_peak_mb']:>7.0f}MB "
          f"{peak:>8.0f}MB {'':>6} {'2500MB':>7}  {'yes' if peak <= 2500 else 'NO'}")
    ratio = r["changes_s"] / r["bare_s"]
    print(f"{'DuckDB changes of two ' + n + '-creator snapshots vs the bare CASE':<{WIDTH}} {r['bare_s']:>8.2f}s "
          f"{r['changes_s']:>9.2f}s {ratio:>6.2f} {'3.0x':>7}  {'yes' if ratio <= 3 else 'NO'}")
    print(f"{'DuckDB changes peak RSS':<{WIDTH}} {'':>9} {r['changes_peak_mb']:>8.0f}MB {'':>6} {'2500MB':>7}  "
          f"{'yes' if r['changes_peak_mb'] <= 2500 else 'NO'}")
    if "spark_s" in r:
        same = r["spark_rows_differing"] == 0
        label = (f"Spark local vs DuckDB classify, {r['spark_rows']:,} creators "
                 f"(rows differing: {r['spark_rows_differing']})")
        print(f"{label:<{WIDTH}} {r['spark_duckdb_s']:>8.2f}s {r['spark_s']:>9.2f}s "
              f"{r['spark_s'] / r['spark_duckdb_s']:>6.2f} {'same':>7}  {'yes' if same else 'NO'}")


if __name__ == "__main__":
    main()

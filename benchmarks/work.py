"""Benchmarks of saved work: storing a roster, saving settings, database growth, reopening a saved
analysis in a cold server process (the clicks in a real browser: benchmarks/clicks.py)."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]

# A cold server process: open the saved analysis named in the URL and render its first page.
REOPEN = """
import logging, sys, time
from streamlit.runtime.scriptrunner import script_runner
from streamlit.testing.v1 import AppTest
from tests.helpers import run_entry_script
script_runner._mpa_v1 = run_entry_script
logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(lambda r: False)
at = AppTest.from_file(sys.argv[1] + "/app.py", default_timeout=300)
at.query_params["a"] = sys.argv[2]
started = time.perf_counter()
at.run()
assert not at.exception, at.exception
print("REOPEN_S", time.perf_counter() - started)
"""


def storage(csv: bytes, tmp: Path, repeats: int) -> dict:
    """Store a new roster (file + parse) against writing its Parquet; a settings save; growth; reopen."""
    from tiers.reading.read import read_table
    from tiers.reading.roster import build_roster
    from tiers.storage.analysis import Settings
    from tiers.storage.rosters import roster_key
    from tiers.storage.store import Store

    roster = build_roster(read_table(csv, "big.csv"))
    settings = Settings(sheet=roster.sheet, mapping=roster.mapping)
    base_times, our_times = [], []
    for i in range(repeats):  # alternate, so drift in machine load hits both sides alike
        started = time.perf_counter()
        pq.write_table(pa.Table.from_pandas(roster.rows, preserve_index=True), tmp / "rows.parquet")
        base_times.append(time.perf_counter() - started)
        store = Store(f"sqlite:///{tmp / f'store-{i}.db'}")
        started = time.perf_counter()
        made = store.create("big", "big.csv", csv, settings)
        store.put_roster(roster_key(made.file_digest, settings.sheet, settings.mapping), made.file_digest, roster)
        our_times.append(time.perf_counter() - started)
        store.close()
    parquet_size = (tmp / "rows.parquet").stat().st_size
    store = Store(f"sqlite:///{tmp / 'growth.db'}")
    with store.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    before = (tmp / "growth.db").stat().st_size
    made = store.create("big", "big.csv", csv, settings)
    key = roster_key(made.file_digest, settings.sheet, settings.mapping)
    store.put_roster(key, made.file_digest, roster)
    with store.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    growth = (tmp / "growth.db").stat().st_size - before
    saves, version = [], made.version
    for i in range(30):
        changed = Settings(sheet=settings.sheet, mapping=settings.mapping, scheme=("shopee", "iab")[i % 2],
                           shortlist=[f"{row}/instagram" for row in range(2, 200)])
        started = time.perf_counter()
        version = store.save(made.id, changed, version).version
        saves.append(time.perf_counter() - started)
    store.close()
    env = {**os.environ, "TIERSCOPE_DATABASE_URL": f"sqlite:///{tmp / 'growth.db'}", "PYTHONPATH": str(ROOT)}
    reopen = []
    for _ in range(repeats):
        result = subprocess.run([sys.executable, "-c", REOPEN, str(ROOT), made.id], cwd=ROOT, env=env,
                                capture_output=True, text=True)
        line = next((x for x in result.stdout.splitlines() if x.startswith("REOPEN_S")), None)
        if line is None:
            raise SystemExit(f"reopening failed:\n{result.stderr[-2000:]}")
        reopen.append(float(line.split()[1]))
    base, ours = statistics.median(base_times), statistics.median(our_times)
    return {"store_baseline_s": base, "store_s": ours, "store_ratio": ours / base,
            "save_ms": statistics.median(saves) * 1000, "save_ms_max": max(saves) * 1000,
            "growth_mb": growth / 2**20, "file_plus_parquet_mb": (len(csv) + parquet_size) / 2**20,
            "growth_ratio": growth / (len(csv) + parquet_size), "reopen_s": statistics.median(reopen),
            "url": f"sqlite:///{tmp / 'growth.db'}", "analysis_id": made.id}

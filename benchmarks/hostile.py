"""Peak memory while refusing each hostile file of tests/hostile_files.py, read as the dashboard's
server reads an upload: in the process that received it (the server) and in its reader worker.

Each file is read in a fresh process, so each peak is that file's alone. Run alone with
`.venv/bin/python benchmarks/hostile.py`; benchmarks/run.py prints the same table.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# The server's side: the reading modules imported, a worker started ahead, the upload's bytes in memory.
SERVER = """
import resource, sys, time
from tiers.reading.read import RosterError
from tiers.reading.sandbox import prepare_worker, read_table_isolated
prepare_worker(wait=True)
data = open(sys.argv[1], "rb").read()
started = time.perf_counter()
try:
    read_table_isolated(data, sys.argv[2])
    outcome = "READ"
except RosterError:
    outcome = "refused"
seconds = time.perf_counter() - started
own = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM")) / 1024
worker = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # an upper bound: Linux counts exec's parent
print(outcome, f"{seconds:.2f}", f"{own:.0f}", f"{worker:.0f}")
"""
TARGET_MB = 1500


def hostile_peaks() -> list[dict]:
    from tests.hostile_files import REFUSED

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, (make, _) in REFUSED.items():
            path = Path(tmp) / name
            path.write_bytes(make())
            result = subprocess.run([sys.executable, "-c", SERVER, str(path), name], cwd=ROOT, capture_output=True,
                                    text=True, timeout=600)
            outcome, seconds, own, worker = result.stdout.split()
            rows.append({"file": name, "bytes": path.stat().st_size, "outcome": outcome, "seconds": float(seconds),
                         "server_mb": float(own), "worker_mb": float(worker),
                         "met": outcome == "refused" and float(own) + float(worker) <= TARGET_MB})
    return rows


def print_peaks(rows: list[dict], width: int = 90) -> None:
    for row in rows:
        label = f"refuse {row['file']} ({row['bytes'] / 1024:,.0f} KB): server + reader peak, time"
        total = row["server_mb"] + row["worker_mb"]
        print(f"{label:<{width}} {row['seconds']:>8.2f}s {total:>8.0f}MB {'':>6} {TARGET_MB:>5}MB  "
              f"{'yes' if row['met'] else 'NO'}  ({row['server_mb']:.0f} + {row['worker_mb']:.0f} MB)")


if __name__ == "__main__":
    print_peaks(hostile_peaks())

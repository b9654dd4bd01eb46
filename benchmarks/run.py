"""Tierscope benchmark: each step against a bare-pandas baseline measured in the same run.

    .venv/bin/python benchmarks/run.py            # 1M-row CSVs, 200K-row XLSX (a few minutes)
    .venv/bin/python benchmarks/run.py --quick    # 100K / 20K rows, for a smoke run

Steps run as separate processes, alternating baseline and Tierscope, and the median of the runs is
reported with the ratio to the baseline. Targets are the ones in the performance issue; the last
column says whether this run met them.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
WIDTH = 62  # of the step column in the printed table
sys.path.insert(0, str(ROOT))

from benchmarks.clicks import LARGE, SMALL, clicks, print_clicks  # noqa: E402
from benchmarks.hostile import hostile_peaks, print_peaks  # noqa: E402
from benchmarks.load import load  # noqa: E402 - needs the project root on the path
from benchmarks.work import storage  # noqa: E402

# The baseline: what bare pandas does to classify the same file, with nothing checked or parsed.
BASELINE_CSV = """
import sys, pandas as pd, numpy as np
frame = pd.read_csv(sys.argv[1])
frame["tier"] = pd.cut(pd.to_numeric(frame["followers"], errors="coerce"),
                       bins=[0, 5_000, 30_000, 100_000, np.inf], right=False,
                       labels=["nano", "micro", "macro", "mega"])
frame.to_csv(sys.argv[2], index=False)
"""
# The fastest tool a user would reach for: DuckDB running the same tier CASE over the same file.
BASELINE_DUCKDB = """
import sys, duckdb
con = duckdb.connect()
con.execute("PRAGMA disable_progress_bar")  # its bar would print to stdout
con.sql(f\"\"\"COPY (SELECT *, CASE WHEN followers IS NULL OR followers < 0 THEN NULL WHEN followers < 5000 THEN 'nano'
    WHEN followers < 30000 THEN 'micro' WHEN followers < 100000 THEN 'macro' ELSE 'mega' END AS tier
    FROM read_csv('{sys.argv[1]}')) TO '{sys.argv[2]}' (HEADER)\"\"\")
"""
BASELINE_XLSX = """
import sys, pandas as pd
pd.read_excel(sys.argv[1], engine="calamine")
"""
TIERSCOPE_XLSX = """
import sys
from tiers.reading.roster import build_roster
from tiers.reading.sandbox import read_table_isolated, run_command_isolated
run_command_isolated(lambda: build_roster(read_table_isolated(open(sys.argv[1], "rb").read(), "roster.xlsx")) and 0)
# as the CLI reads: in a forked child, the read limited
"""
# The baseline of `changes`: classifying both rosters, as the CLI does, in one process.
CLASSIFY_BOTH = """
import sys
from tiers.cli import main
main(["classify", sys.argv[1], "-o", sys.argv[3]])
main(["classify", sys.argv[2], "-o", sys.argv[3]])
"""
# Reports the child's own peak memory (ru_maxrss, KiB on Linux) after running the CLI.
PEAK = """
import os, resource, sys
from tiers.cli import main
code = main(sys.argv[1:])  # the command runs in a forked child: its peak is the children's
peak = max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
print("PEAK_KIB", peak, file=sys.stderr)
sys.stderr.flush()
os._exit(code)  # as python -m tiers does
"""


def make_roster(n: int, string_followers: bool, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    followers = np.round(np.exp(rng.uniform(np.log(500), np.log(5e6), n))).astype(np.int64)
    frame = pd.DataFrame({
        "handle": "creator" + pd.Series(np.arange(n)).astype(str),
        "platform": rng.choice(["Instagram", "TikTok", "YouTube"], n),
        "followers": followers,
        "likes": np.round(followers * rng.uniform(0.005, 0.08, n)).astype(np.int64),
        "comments": np.round(followers * rng.uniform(0.0005, 0.004, n)).astype(np.int64),
        "city": rng.choice(["Jakarta", "Bandung", "Surabaya", "Medan"], n),
    })
    if string_followers:
        thousands = pd.Series(np.round(followers / 1000, 1)).astype(str).str.replace(".", ",", regex=False)
        millions = pd.Series(np.round(followers / 1e6, 1)).astype(str)
        as_text = np.where(followers >= 1_000_000, millions + "M",
                           np.where(rng.random(n) < 0.5, thousands + "rb", pd.Series(followers).astype(str)))
        frame["followers"] = as_text
    return frame


def next_month(frame: pd.DataFrame, seed: int = 11) -> pd.DataFrame:
    """The same roster a month later, as another tool exports it: 5% of the accounts gone, 5% new,
    followers moved by a few percent (a few hundred spikes), handles as profile links or upper-case @handles,
    columns in another order."""
    rng = np.random.default_rng(seed)
    kept = frame.sample(frac=0.95, random_state=seed)
    kept = kept.assign(followers=np.round(kept["followers"] * rng.lognormal(0.02, 0.05, len(kept))).astype(np.int64))
    spikes = rng.random(len(kept)) < 0.0005
    kept.loc[spikes, "followers"] = kept.loc[spikes, "followers"] * 3
    new = make_roster(len(frame) // 20, False, seed=seed).assign(handle=lambda f: "new_" + f["handle"])
    later = pd.concat([kept, new], ignore_index=True)
    links = rng.random(len(later)) < 0.5
    later["handle"] = np.where(links, "https://www.instagram.com/" + later["handle"] + "/?hl=en",
                               "@" + later["handle"].str.upper())
    return later[["followers", "platform", "handle", "likes", "comments", "city"]]


def timed(command: list[str]) -> tuple[float, int | None]:
    started = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"benchmark step failed: {' '.join(command)}\n{result.stderr[-2000:]}")
    peak = next((int(line.split()[1]) for line in result.stderr.splitlines() if line.startswith("PEAK_KIB")), None)
    return elapsed, peak


def compare(name: str, baseline: list[str], tierscope: list[str], repeats: int, target: float) -> dict:
    base_times, our_times, peaks = [], [], []
    for _ in range(repeats):  # alternate, so drift in machine load hits both sides alike
        base_times.append(timed(baseline)[0])
        elapsed, peak = timed(tierscope)
        our_times.append(elapsed)
        if peak:
            peaks.append(peak)
    base, ours = statistics.median(base_times), statistics.median(our_times)
    row = {"step": name, "baseline_s": base, "tierscope_s": ours, "ratio": ours / base, "target": target,
           "met": ours / base <= target}
    if peaks:
        row["peak_mb"] = max(peaks) / 1024
    return row


def chart_payloads(n: int) -> dict:
    """Largest JSON any page's figure sends, and the time to re-analyse under another scheme."""
    from tiers.analysis.classify import assess, assign_tiers
    from tiers.analysis.engagement import get_norm_set
    from tiers.analysis.schemes import get_scheme
    from tiers.analysis.tradeoffs import tier_summary
    from tiers.presenting import charts
    from tiers.presenting.i18n import translator
    from tiers.reading.read import read_table
    from tiers.reading.roster import build_roster

    data = make_roster(n, string_followers=True).to_csv(index=False).encode()
    roster = build_roster(read_table(data, "big.csv"))
    assessed = assess(roster)  # what the app caches per roster and norm set
    started = time.perf_counter()
    analysed = assign_tiers(assessed, "shopee")  # what a change of scheme recomputes
    reanalyse = time.perf_counter() - started
    creators = analysed[analysed["status"] == "ok"]
    scheme, norms, t = get_scheme("shopee"), get_norm_set("partipost_2022"), translator("en")
    summary = tier_summary(creators, scheme.tier_ids)
    figures = [charts.tier_share_figure(summary, scheme, t), charts.tier_platform_figure(creators, scheme, t),
               charts.er_norm_figure(creators, norms, t), charts.er_tier_figure(creators, scheme, norms, t),
               charts.tradeoff_figure(creators, scheme, t), charts.cost_figure(summary, scheme, t, "IDR")]
    largest = max(len(f.to_json()) for f in figures)
    return {"reanalyse_s": reanalyse, "largest_chart_mb": largest / 2**20}


def dashboard_reruns(n: int) -> dict:
    """Seconds for the app's reruns with an n-row roster loaded (AppTest runs the real scripts)."""
    import logging

    from streamlit.testing.v1 import AppTest

    # Driving the app from outside its script thread logs "missing ScriptRunContext"; harmless here.
    # A filter, because Streamlit resets its loggers' levels when its config loads.
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(
        lambda record: "missing ScriptRunContext" not in record.getMessage())
    from streamlit.runtime.scriptrunner import script_runner

    from tests.helpers import run_entry_script

    script_runner._mpa_v1 = run_entry_script  # every run through app.py, as on a real server
    data = make_roster(n, string_followers=True).to_csv(index=False).encode()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300).run()
    started = time.perf_counter()
    at.file_uploader[0].set_value(("big.csv", data, "text/csv")).run()
    timings = {"first load": time.perf_counter() - started}
    for label, change in (("change scheme", lambda: at.session_state.__setitem__("scheme", "shopee")),
                          ("change language", lambda: at.session_state.__setitem__("lang", "id")),
                          ("switch to the Engagement page", lambda: at.switch_page("pages/engagement.py")),
                          ("change scheme again", lambda: at.session_state.__setitem__("scheme", "hootsuite")),
                          ("switch to the Present page", lambda: at.switch_page("pages/present.py")),
                          ("change language on the Present page", lambda: at.session_state.__setitem__("lang", "en"))):
        change()
        started = time.perf_counter()
        at.run()
        timings[label] = time.perf_counter() - started
        if at.exception:
            raise SystemExit(f"the app failed during '{label}': {at.exception[0].message}")
    return timings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="100K-row CSVs and a 20K-row XLSX")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--no-browser", action="store_true", help="skip the timings in Debian's chromium")
    parser.add_argument("--against", type=Path,
                        help="another checkout of the app (git archive main | tar -x -C DIR): every click done on it "
                             "and on this one in turn, and the ratio printed")
    parser.add_argument("--no-base", action="store_true",
                        help="skip the creator-base engines (benchmarks/base.py: DuckDB on 10M, Spark on 1M)")
    parser.add_argument("--load-seconds", type=float, default=60,
                        help="how long 20 client links and 5 editors use one server (0: skip)")
    args = parser.parse_args()
    n_csv, n_xlsx = (100_000, 20_000) if args.quick else (1_000_000, 200_000)
    work_dir = tempfile.TemporaryDirectory()
    os.environ["TIERSCOPE_DATABASE_URL"] = f"sqlite:///{Path(work_dir.name) / 'dashboard.db'}"  # never the user's
    python = sys.executable
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for label, strings, target in (("numbers", False, 1.2), ("text (12.5K, 1,2jt)", True, 2.0)):
            path = tmp / f"roster-{strings}.csv"
            make_roster(n_csv, strings).to_csv(path, index=False)
            rows.append(compare(
                f"classify {n_csv:,}-row CSV, followers as {label}",
                [python, "-c", BASELINE_CSV, str(path), str(tmp / "base.csv")],
                [python, "-c", PEAK, "classify", str(path), "-o", str(tmp / "ours.csv")], args.repeats, target))
            if not strings:  # beside it, DuckDB's same tier CASE over the same file
                duck = [timed([python, "-c", BASELINE_DUCKDB, str(path), str(tmp / "duck.csv")])[0]
                        for _ in range(args.repeats)]
                rows[-1]["duckdb_s"] = statistics.median(duck)
        later = tmp / "roster-next-month.csv"
        next_month(make_roster(n_csv, False)).to_csv(later, index=False)
        rows.append(compare(
            f"compare two {n_csv:,}-row rosters (changes) vs classifying both",
            [python, "-c", CLASSIFY_BOTH, str(tmp / "roster-False.csv"), str(later), str(tmp / "base.csv")],
            [python, "-m", "tiers", "changes", str(tmp / "roster-False.csv"), str(later), "-o", str(tmp / "ours.csv")],
            args.repeats, 2.0))
        xlsx = tmp / "roster.xlsx"
        make_roster(n_xlsx, False).to_excel(xlsx, index=False, engine="xlsxwriter")
        rows.append(compare(f"read {n_xlsx:,}-row XLSX", [python, "-c", BASELINE_XLSX, str(xlsx)],
                            [python, "-c", TIERSCOPE_XLSX, str(xlsx)], args.repeats, 1.2))
    extra = chart_payloads(n_csv)
    reruns = dashboard_reruns(n_csv)
    big = make_roster(n_csv, string_followers=True).to_csv(index=False).encode()
    work = storage(big, Path(work_dir.name), args.repeats)
    perceived = {}
    if not args.no_browser:  # every click of issue 24: the sample and 10K rows all of them, n_csv rows the pages
        for label, data, everything in (("sample", (ROOT / "data" / "sample_roster.csv").read_bytes(), True),
                                        ("10,000 rows", make_roster(10_000, True).to_csv(index=False).encode(),
                                         not args.quick),
                                        (f"{n_csv:,} rows", big, False)):
            folder = Path(work_dir.name) / label.split()[0].replace(",", "")
            folder.mkdir()
            perceived[label] = clicks(data, f"{label.split()[0].replace(',', '')}.csv", folder, everything,
                                      args.against)
    loaded = load(20, 5, args.load_seconds) if args.load_seconds > 0 and not args.no_browser else None
    refusals = hostile_peaks()

    print(f"{'step':<{WIDTH}} {'baseline':>9} {'tierscope':>10} {'ratio':>6} {'target':>7}  met")
    for row in rows:
        print(f"{row['step']:<{WIDTH}} {row['baseline_s']:>8.2f}s {row['tierscope_s']:>9.2f}s {row['ratio']:>6.2f} "
              f"{row['target']:>6.1f}x  {'yes' if row['met'] else 'NO'}")
        if "duckdb_s" in row:
            print(f"{'  beside it: DuckDB, the same tier CASE over the same file':<{WIDTH}} {row['duckdb_s']:>8.2f}s "
                  f"{row['tierscope_s']:>9.2f}s {row['tierscope_s'] / row['duckdb_s']:>6.2f} {'printed':>7}")
    peak = max(row.get("peak_mb", 0) for row in rows)
    print(f"{'peak memory of classify on ' + format(n_csv, ',') + ' rows':<{WIDTH}} {'':>9} {peak:>8.0f}MB "
          f"{'':>6} {'1500MB':>7}  {'yes' if peak <= 1500 else 'NO'}")
    print(f"{'re-classify under another scheme (assessment cached)':<{WIDTH}} {'':>9} {extra['reanalyse_s']:>9.2f}s "
          f"{'':>6} {'1.0s':>7}  {'yes' if extra['reanalyse_s'] < 1 else 'NO'}")
    print(f"{'largest chart JSON sent to the browser':<{WIDTH}} {'':>9} {extra['largest_chart_mb']:>8.2f}MB "
          f"{'':>6} {'2MB':>7}  {'yes' if extra['largest_chart_mb'] <= 2 else 'NO'}")
    for label, seconds in reruns.items():
        target = "" if label == "first load" else "1.0s"
        met = "" if label == "first load" else ("yes" if seconds < 1 else "NO")
        print(f"{'dashboard: ' + label:<{WIDTH}} {'':>9} {seconds:>9.2f}s {'':>6} {target:>7}  {met}")
    store_label = f"store a new {n_csv:,}-row roster (file + parse) vs writing its Parquet"
    print(f"{store_label:<{WIDTH}} {work['store_baseline_s']:>8.2f}s {work['store_s']:>9.2f}s "
          f"{work['store_ratio']:>6.2f} {'1.5x':>7}  {'yes' if work['store_ratio'] <= 1.5 else 'NO'}")
    print(f"{'save after a settings change (median; max ' + format(work['save_ms_max'], '.0f') + ' ms)':<{WIDTH}} "
          f"{'':>9} {work['save_ms']:>7.1f}ms {'':>6} {'50ms':>7}  {'yes' if work['save_ms'] <= 50 else 'NO'}")
    growth_label = f"database growth per analysis vs file + Parquet ({work['file_plus_parquet_mb']:.0f} MB)"
    print(f"{growth_label:<{WIDTH}} {'':>9} {work['growth_mb']:>8.0f}MB {work['growth_ratio']:>6.2f} {'1.1x':>7}  "
          f"{'yes' if work['growth_ratio'] <= 1.1 else 'NO'}")
    print(f"{'reopen a saved ' + format(n_csv, ',') + '-row analysis, first page (cold server)':<{WIDTH}} {'':>9} "
          f"{work['reopen_s']:>9.2f}s {'':>6} {'1.5s':>7}  {'yes' if work['reopen_s'] <= 1.5 else 'NO'}")
    for roster, found in perceived.items():
        print()
        print_clicks(roster, found, SMALL if roster in ("sample", "10,000 rows") else LARGE)
    if loaded:
        for role in ("client", "editor"):
            label = (f"load, {loaded['clients']} links + {loaded['editors']} editors, {loaded['seconds']:.0f} s: "
                     f"{role} settle p50 / p95")
            print(f"{label:<{WIDTH}} {'':>9} {loaded[role + '_p50']:>5.2f} / {loaded[role + '_p95']:.2f}s")
        print(f"{'load: errors, editor changes lost':<{WIDTH}} {'':>9} {loaded['errors']:>6} / {loaded['lost']:<3} "
              f"{'':>6} {'0 / 0':>7}  {'yes' if loaded['errors'] == loaded['lost'] == 0 else 'NO'}")
    print()
    print_peaks(refusals, WIDTH)
    work_dir.cleanup()
    if not args.no_base:  # the engines, in processes of their own (its table printed after this one)
        subprocess.run([python, str(ROOT / "benchmarks" / "base.py"), *(["--quick"] if args.quick else [])],
                       cwd=ROOT, check=True)
    if args.json:
        args.json.write_text(json.dumps({"steps": rows, **extra, "peak_mb": peak, "work": work,
                                         "browser": perceived, "load": loaded, "hostile": refusals},
                                        indent=2, default=str))


if __name__ == "__main__":
    main()

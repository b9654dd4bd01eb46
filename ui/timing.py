"""How long each script run takes on the server, for the benchmark (benchmarks/clicks.py) and for
profiling a slow click. Off unless asked for by the environment:

- `TIERSCOPE_RUN_LOG=FILE`: every run appends one line `<end time> <seconds> <page>` to FILE, and so
  does the making of every downloaded file (`logged`), which Streamlit does outside a run;
- `TIERSCOPE_PROFILE=FOLDER`: every run is profiled by pyinstrument into FOLDER/<n>-<page>.html
  (pyinstrument is a development tool: requirements-dev.txt).
"""

from __future__ import annotations

import os
import time
from itertools import count

LOG_ENV, PROFILE_ENV = "TIERSCOPE_RUN_LOG", "TIERSCOPE_PROFILE"
_runs = count(1)


def run_started():
    """At the top of app.py: what `run_finished` needs (None when nothing was asked for)."""
    if not (os.environ.get(LOG_ENV) or os.environ.get(PROFILE_ENV)):
        return None
    profiler = None
    if os.environ.get(PROFILE_ENV):
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.001)
        profiler.start()
    return time.perf_counter(), profiler


def run_finished(started, page: str) -> None:
    """At the end of app.py (also after a page stops or asks for a rerun)."""
    if started is None:
        return
    began, profiler = started
    seconds = time.perf_counter() - began
    page = page or "roster"
    if profiler is not None:
        profiler.stop()
        folder = os.environ[PROFILE_ENV]
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, f"{next(_runs):04d}-{page}.html"), "w", encoding="utf-8") as out:
            out.write(profiler.output_html())
        with open(os.path.join(folder, "runs.txt"), "a", encoding="utf-8") as out:
            out.write(profiler.output_text(unicode=False, show_all=False))
    if os.environ.get(LOG_ENV):
        with open(os.environ[LOG_ENV], "a", encoding="utf-8") as log:
            log.write(f"{time.time():.4f} {seconds:.4f} {page}\n")


def logged(label: str, make):
    """`make` (a download button's deferred data), its time logged as a run's when the log is asked for."""
    if not os.environ.get(LOG_ENV):
        return make

    def timed():
        began = time.perf_counter()
        made = make()
        with open(os.environ[LOG_ENV], "a", encoding="utf-8") as log:
            log.write(f"{time.time():.4f} {time.perf_counter() - began:.4f} {label}\n")
        return made

    return timed

"""Every click of issue 24 in a real browser (Debian's chromium), each timed twice: on the server (the
Streamlit script runs the click caused, from the app's own run log, ui/timing.py; for a download, the
making of its file) and in the browser (from the click until the app is idle and every chart it placed
is drawn, tests.helpers.rerun; for a download, until the file has arrived).

    .venv/bin/python benchmarks/clicks.py [--rows 10000] [--few] [--against DIR] [--profile FOLDER]

`--against DIR` runs a second server from another checkout of the app (`git archive main | tar -x -C DIR`)
and does every click on it and on this one in turn, so the ratio between them is measured under the same
load. `--profile FOLDER` has this server write a pyinstrument profile of every run into FOLDER.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SAMPLE = ROOT / "data" / "sample_roster.csv"
ARTIFACTS = ROOT / "test-artifacts"  # a screenshot of every click that failed
PAGES = ("Tiers", "Engagement", "Tradeoffs", "Over time", "Campaign results", "Present", "Saved work", "Roster")
# Targets (seconds, browser-perceived) of issue 24: rosters up to 10K rows, and 1M rows.
SMALL = {"switch": 0.5, "setting": 0.5, "widget": 0.5, "upload": 1.0, "planner": 1.0, "deck": 2.0,
         "report": 1.0, "workbook": 1.0}
LARGE = {"switch": 1.0, "setting": 1.0, "upload": 12.0}
LATER = "later-2026-12-01.csv"


def later_roster(csv: bytes, name: str) -> bytes:
    """The same creators a month later, as another tool exports them (benchmarks.run.next_month)."""
    from benchmarks.run import next_month
    from tiers.reading.read import read_table
    from tiers.reading.roster import build_roster

    ok = build_roster(read_table(csv, name)).ok
    frame = pd.DataFrame({"handle": ok["handle"].fillna(ok["name"]).astype(str).str.lstrip("@"),
                          "platform": ok["platform"], "followers": ok["followers"].astype("int64"),
                          "likes": ok["likes"].fillna(0).astype("int64"),
                          "comments": ok["comments"].fillna(0).astype("int64"),
                          "city": ok["city"] if "city" in ok else ""})
    return next_month(frame.reset_index(drop=True)).to_csv(index=False).encode()


def _serve(app_dir: Path, env: dict[str, str], log: Path) -> subprocess.Popen:
    """`streamlit run app.py` in `app_dir` on a free port (as tests.conftest.serve, from any checkout)."""
    from tests.conftest import _free_port

    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        cwd=app_dir, stdout=log.open("w"), stderr=subprocess.STDOUT, env={**os.environ, **env})
    server.url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=2).status == 200:
                return server
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise SystemExit(f"the server in {app_dir} did not start; see {log}")


@dataclass
class Side:
    """One server and the browser page driving it; `found` holds its timings by click."""

    name: str
    page: object
    log: Path
    seen: int = 0
    found: dict = field(default_factory=dict)

    def server_seconds(self) -> float | None:
        """The seconds of the runs (and downloads made) that ended since the last look, from the run log."""
        lines = self.log.read_text().splitlines() if self.log.exists() else []
        new, self.seen = lines[self.seen:], len(lines)
        return sum(float(line.split()[1]) for line in new) if new else None


def _timed(side: Side, click: int, action, timeout: float) -> None:
    from tests.helpers import rerun

    side.server_seconds()
    started = time.perf_counter()
    try:
        rerun(side.page, action, timeout=timeout)
    except Exception as error:  # said in the table; the other clicks are still measured
        ARTIFACTS.mkdir(exist_ok=True)
        side.page.screenshot(path=ARTIFACTS / f"clicks-failed-{side.name}-{click}.png")
        side.found[click] = {"failed": str(error).splitlines()[0][:70]}
        return
    side.found[click] = {"browser_s": time.perf_counter() - started, "server_s": side.server_seconds()}


def _download(side: Side, click: int, label: str) -> None:
    side.server_seconds()
    started = time.perf_counter()
    try:
        with side.page.expect_download(timeout=300_000) as arrived:
            side.page.get_by_role("button", name=label).click()
        arrived.value.path()  # the whole file is in
    except Exception as error:
        side.found[click] = {"failed": str(error).splitlines()[0][:70]}
        return
    side.found[click] = {"browser_s": time.perf_counter() - started, "server_s": side.server_seconds()}


def _steps(csv: bytes, name: str, everything: bool) -> list[tuple[str, str, object]]:
    """(click, kind, do(side)) in the order a user goes: upload, every page, settings, the planner, a later
    roster, the deliverables, the language on Present."""

    def nav(title: str):
        return lambda side: side.page.locator("[data-testid='stSidebarNav'] a", has_text=title).first.click()

    def opened(label: str, option: str):  # not timed: a select box's list, opened (tests.helpers.open_select)
        from tests.helpers import open_select

        def do(side):
            box = side.page.locator("[data-testid='stSelectbox']").filter(has_text=label).first
            open_select(side.page, box, side.page.get_by_role("option", name=option, exact=True))
        return do

    def pick(option: str):
        return lambda side: side.page.get_by_role("option", name=option, exact=True).click()

    def send(file_name: str, data: bytes):
        # A file on disk, as a person picks one: handed as bytes, playwright would pipe them to the browser
        # base64-encoded first (35 s of a 44 MB upload), which no user's upload waits for.
        folder = Path(tempfile.mkdtemp(prefix="clicks-"))
        (folder / file_name).write_bytes(data)

        def do(side):
            started = time.perf_counter()
            with side.page.expect_response(lambda r: "/_stcore/upload_file" in r.url and r.request.method == "PUT",
                                           timeout=300_000):
                side.page.locator("[data-testid='stFileUploaderDropzoneInput']").first.set_input_files(
                    folder / file_name)
            side.sent = time.perf_counter() - started
        return do

    def radio(label: str, option: str):
        return lambda side: side.page.locator("[data-testid='stRadio']").filter(has_text=label).get_by_text(
            option, exact=True).click()

    def edit_date(side) -> None:  # the later roster's day, typed into its segment; leaving the field commits it
        side.page.locator("[data-testid='stDateInputField']").nth(1).locator("[role='spinbutton']").last.click()
        side.page.keyboard.type("15")
        side.page.get_by_role("heading", name="Over time").first.click()

    def expand(title: str):
        return lambda side: side.page.get_by_text(title).click()

    from tiers.analysis.engagement import DEFAULT_NORMS, all_norm_sets

    other_norms = next(s.text("name", "en") for i, s in all_norm_sets().items() if i != DEFAULT_NORMS)
    fresh = csv + b"\n" if csv == SAMPLE.read_bytes() else csv  # not the bundled sample, which the server has read
    steps = [("upload to the first page", "upload", send(name, fresh)),
             *((f"switch to {title}", "switch", nav(title)) for title in PAGES),
             ("switch to Tiers", "switch", nav("Tiers")),
             ("", "", opened("Tier scheme", "IAB UK creator tiers")),
             ("change the tier scheme", "setting", pick("IAB UK creator tiers")),
             ("", "", opened("Engagement norms", other_norms)),
             ("change the norms", "setting", pick(other_norms)),
             *((f"switch to {title}, again", "switch", nav(title)) for title in ("Engagement", "Tradeoffs", "Present"))]
    if everything:
        later = later_roster(csv, name)
        steps += [("switch to Tradeoffs, again", "switch", nav("Tradeoffs")),
                  ("run the budget planner", "planner", lambda side: side.page.get_by_role(
                      "button", name="Find the best plan").click()),
                  ("switch to Over time, again", "switch", nav("Over time")),
                  ("add a later roster", "widget", send(LATER, later)),
                  ("edit its date", "widget", edit_date),
                  ("", "", expand(f"Columns of {LATER}")),
                  ("", "", opened("City", "(none)")),
                  ("remap a column", "widget", pick("(none)")),
                  ("switch to Present, again", "switch", nav("Present")),
                  ("report (HTML)", "report", "Download the report (HTML)"),
                  ("workbook (XLSX)", "workbook", "Download the workbook (XLSX)"),
                  ("deck (PPTX)", "deck", "Download the deck (PPTX)"),
                  ("switch the language on Present", "setting", radio("Language", "Bahasa Indonesia")),
                  ("switch the language on Present, back", "setting", radio("Bahasa", "English"))]
    return steps


def clicks(csv: bytes, name: str, tmp: Path, everything: bool = True, against: Path | None = None,
           profile: Path | None = None) -> list[dict]:
    """[{click, kind, server_s, browser_s[, base_s]}] for one roster file; `base_s`: the same click on the
    app in `against`, done in turn with this one's."""
    from playwright.sync_api import sync_playwright

    from tests.conftest import CHROMIUM, CHROMIUM_ARGS
    from tests.helpers import rerun
    from tiers.storage.database import DATABASE_URL_ENV
    from ui.timing import LOG_ENV, PROFILE_ENV

    apps = {"ours": ROOT, **({"base": against} if against else {})}
    servers, sides = {}, []
    try:
        for side_name, app_dir in apps.items():
            env = {DATABASE_URL_ENV: f"sqlite:///{tmp / f'{side_name}-{name}.db'}",
                   LOG_ENV: str(tmp / f"runs-{side_name}.log"), **({PROFILE_ENV: str(profile)} if profile else {})}
            servers[side_name] = _serve(app_dir, env, tmp / f"server-{side_name}.log")
        with sync_playwright() as playwright:
            # A browser for each side: two pages of one browser share a renderer process (the servers' ports do not
            # make them different sites), so the side clicked first also compiled plotly's code for the other.
            browsers = {side_name: playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                        for side_name in servers}
            for side_name, server in servers.items():
                side = Side(side_name, browsers[side_name].new_page(viewport={"width": 1400, "height": 1000}),
                            tmp / f"runs-{side_name}.log")
                rerun(side.page, lambda p=side.page, u=server.url: p.goto(u), timeout=120_000)
                sides.append(side)
            rows = []  # side.found is keyed by the row's number: a click may come twice
            for click, kind, do in _steps(csv, name, everything):
                for side in sides:  # in turn, so drift in the machine's load hits both alike
                    if not click:
                        do(side)
                    elif isinstance(do, str):
                        _download(side, len(rows), do)
                    else:
                        _timed(side, len(rows), lambda s=side, d=do: d(s), 300_000 if kind == "upload" else 60_000)
                if not click:
                    continue
                rows.append({"click": click, "kind": kind})
                print(f"  {click}: " + ", ".join(f"{s.name} {s.found[len(rows) - 1].get('browser_s', 0):.2f} s"
                                                 for s in sides), file=sys.stderr, flush=True)
                if kind == "upload" and click.startswith("upload"):
                    for side in sides:
                        whole = side.found[len(rows) - 1]
                        if "browser_s" in whole:
                            side.found[len(rows)] = {"browser_s": side.sent, "server_s": None}
                            side.found[len(rows) + 1] = {"browser_s": whole["browser_s"] - side.sent,
                                                         "server_s": whole["server_s"]}
                    rows += [{"click": "  of which the file's transfer", "kind": ""},
                             {"click": "  of which reading, checking, drawing", "kind": ""}]
            for side in sides:  # the saved analysis opened in a new browser tab, server warm
                fresh = browsers[side.name].new_page(viewport={"width": 1400, "height": 1000})
                _timed(Side(side.name, fresh, side.log, found=side.found), len(rows),
                       lambda f=fresh, u=side.page.url: f.goto(u), 120_000)
            rows.append({"click": "reopen in a new tab (server warm)", "kind": "reopen"})
            for browser in browsers.values():
                browser.close()
    finally:
        for server in servers.values():
            server.terminate()
            server.wait(20)
    ours, base = sides[0].found, sides[1].found if against else {}
    return [{**row, **ours.get(i, {"failed": "not run"}),
             **({"base_s": base.get(i, {}).get("browser_s")} if against else {})} for i, row in enumerate(rows)]


def print_clicks(label: str, found: list[dict], targets: dict, width: int = 52) -> None:
    against = any("base_s" in row for row in found)
    print(f"{'browser, ' + label + ': click':<{width}} {'server':>7} {'browser':>8}"
          + (f" {'before':>7} {'ratio':>6}" if against else "") + f" {'target':>7}  met")
    for row in found:
        target = targets.get(row["kind"])
        ours = row.get("browser_s")
        met = ("" if target is None else "NOT met (failed: " + row["failed"] + ")" if ours is None
               else "met" if ours <= target else "NOT met")
        cells = [f"{row['click']:<{width}}", f"{row['server_s']:>6.2f}s" if row.get("server_s") is not None
                 else " " * 7, f"{ours:>7.2f}s" if ours is not None else " " * 8]
        if against:
            base = row.get("base_s")
            cells += [f"{base:>6.2f}s" if base else " " * 7,
                      f"{ours / base:>6.2f}" if base and ours is not None else " " * 6]
        print(" ".join(cells) + f" {'' if target is None else format(target, '.1f') + 's':>7}  {met}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, help="a generated roster of this many rows (else the sample)")
    parser.add_argument("--few", action="store_true", help="only the upload, page switches, settings and reopen")
    parser.add_argument("--against", type=Path, help="another checkout of the app, clicked in turn with this one")
    parser.add_argument("--profile", type=Path, help="write a pyinstrument profile of every server run here")
    args = parser.parse_args()
    if args.rows:
        from benchmarks.run import make_roster

        data, file_name = make_roster(args.rows, string_followers=True).to_csv(index=False).encode(), "generated.csv"
    else:
        data, file_name = SAMPLE.read_bytes(), SAMPLE.name
    with tempfile.TemporaryDirectory() as work:
        found = clicks(data, file_name, Path(work), not args.few, args.against, args.profile)
    print_clicks(f"{args.rows:,} rows" if args.rows else "sample", found, LARGE if (args.rows or 0) > 10_000 else SMALL)


if __name__ == "__main__":
    main()

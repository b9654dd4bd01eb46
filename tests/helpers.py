"""Build roster files in memory, so fixtures are code rather than opaque binaries."""

from __future__ import annotations

import io
import runpy

import xlsxwriter

from tiers.reading.read import read_table
from tiers.reading.roster import Roster, build_roster


def xlsx_bytes(sheets: dict[str, list[list]], percent_cells: set[tuple[str, int, int]] = frozenset()) -> bytes:
    """A workbook whose cells are typed as given: numbers as numbers, text as text (never formulas)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    percent = book.add_format({"num_format": "0.0%"})
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, str):
                    sheet.write_string(r, c, value)
                else:
                    sheet.write_number(r, c, value, percent if (name, r, c) in percent_cells else None)
    book.close()
    return buffer.getvalue()


def csv_bytes(lines: list[str], sep: str = ",", encoding: str = "utf-8") -> bytes:
    return ("\n".join(sep.join(cells) if isinstance(cells, list) else cells for cells in lines) + "\n").encode(encoding)


def roster_of(data: bytes, name: str = "roster.csv") -> Roster:
    return build_roster(read_table(data, name))


def widget(at, name: str) -> str:
    """The key of the widget showing the open analysis's setting `name` (see ui.state.widget_key)."""
    return f"_w_{name}_{at.session_state['_shown']}"


def run_entry_script(main_script_path: str) -> None:
    """Stands in for Streamlit's `_mpa_v1` under AppTest: AppTest runs every rerun after the first as
    the old pages/-folder app (the page alone, without app.py), because it forgets between runs that
    app.py calls st.navigation. A real server remembers, so every run goes through app.py."""
    runpy.run_path(main_script_path)


# --- Waiting in the browser -----------------------------------------------------------------------
# Streamlit marks its root element with data-test-script-state: initial, running, rerunRequested or
# notRunning. A fixed sleep, or "state is notRunning" alone, is satisfied by the run *before* an action
# when the rerun has not begun yet. Instead a MutationObserver, installed in every document the page
# loads, counts the runs that ended (running -> notRunning); `rerun` waits until that count has grown
# past its value before the action, the app is idle, and every chart the run placed has been drawn.

_COUNT_RUNS = """(() => {
  if (window.__tsRuns !== undefined) return;
  window.__tsRuns = 0;
  new MutationObserver(records => {
    for (const r of records)
      if (r.oldValue === 'running' && r.target.getAttribute('data-test-script-state') === 'notRunning')
        window.__tsRuns += 1;
  }).observe(document, {subtree: true, attributes: true, attributeOldValue: true,
                        attributeFilter: ['data-test-script-state']});
})();"""
_IDLE_AFTER = """n => window.__tsRuns > n && document.querySelector(
  "[data-testid='stApp'][data-test-script-state='notRunning']") !== null"""
_CHARTS_DRAWN = """() => document.querySelectorAll('.js-plotly-plot').length
  >= document.querySelectorAll("[data-testid='stPlotlyChart']").length"""


def rerun(page, action, charts: int | None = None, navigates: bool = False, timeout: float = 60_000) -> None:
    """Do `action` (a click, an upload, a page load) and wait until the rerun it starts has ended and its
    charts are drawn: exactly `charts` of them when given, else as many as the run placed on the page.
    `navigates`: the action loads a new document, whose own count starts at 0."""
    from playwright.sync_api import expect

    if not getattr(page, "_ts_counts_runs", False):
        page.add_init_script(_COUNT_RUNS)
        page._ts_counts_runs = True
        page.evaluate(_COUNT_RUNS)
    before = 0 if navigates else page.evaluate("window.__tsRuns")
    action()
    page.wait_for_function(_IDLE_AFTER, arg=before, timeout=timeout)
    if charts is None:
        page.wait_for_function(_CHARTS_DRAWN, timeout=timeout)
    else:
        expect(page.locator(".js-plotly-plot")).to_have_count(charts, timeout=timeout)


def open_app(page, url: str, charts: int | None = None) -> None:
    """Load `url` and wait until its first run has ended (and its charts are drawn)."""
    rerun(page, lambda: page.goto(url), charts, navigates=True)

"""Build roster files in memory, so fixtures are code rather than opaque binaries."""

from __future__ import annotations

import io
import re
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


def shown(markdown: str) -> str:
    """The text a Markdown element's source shows: CommonMark's backslash escapes undone (what
    `tiers.presenting.markdown.literal` adds to user text)."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown)


def png_bytes(width: int = 8, height: int = 8, colour: str = "#c2185b") -> bytes:
    """A real PNG image (a logo)."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, "PNG")
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
# Streamlit's root element says data-test-script-state = notRunning between runs, so "notRunning" alone
# is satisfied by the run *before* an action when the rerun has not begun yet, and a run that ends in
# st.rerun() (an upload does) shows notRunning for a moment before the run that draws the page. The
# server says which runs ended, and how, on the page's websocket: `rerun` counts the script_finished
# messages that end a run (all but FINISHED_EARLY_FOR_RERUN), waits until that count has grown past its
# value before the action, then until the page is idle and every chart the run placed has been drawn.

_CHARTS_DRAWN = """n => document.querySelector("[data-testid='stApp'][data-test-script-state='notRunning']") !== null
  && document.querySelectorAll('.js-plotly-plot').length === (n ?? document.querySelectorAll(
     "[data-testid='stPlotlyChart']").length)"""


def _count_runs(page) -> list[int]:
    """The page's count of ended runs (one list, updated in place), counting from its first call."""
    if not hasattr(page, "_ts_runs"):
        import time

        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        page._ts_runs = runs = [0]
        # What a timeout reports: each websocket's [opened, closed or None, frames received, the last one's time,
        # frames sent, the last one's time and kind], monotonic seconds.
        page._ts_sockets = sockets = []
        rerun_requested = ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN

        def opened(socket) -> None:
            seen = [time.monotonic(), None, 0, None, 0, None, None]
            sockets.append(seen)

            def frame(payload) -> None:
                seen[2:4] = seen[2] + 1, time.monotonic()
                if isinstance(payload, bytes):
                    message = ForwardMsg.FromString(payload)
                    if message.WhichOneof("type") == "script_finished" and message.script_finished != rerun_requested:
                        runs[0] += 1

            def sent(payload) -> None:
                kind = BackMsg.FromString(payload).WhichOneof("type") if isinstance(payload, bytes) else "text"
                seen[4:] = seen[4] + 1, time.monotonic(), kind

            def closed(_) -> None:
                seen[1] = time.monotonic()

            socket.on("framereceived", frame)
            socket.on("framesent", sent)
            socket.on("close", closed)

        page.on("websocket", opened)
        page._ts_console = console = []  # what the page said wrong, for the same report
        page.on("console", lambda m: m.type in ("error", "warning") and console.append(f"{m.type}: {m.text[:200]}"))
        page.on("pageerror", lambda error: console.append(f"uncaught: {str(error)[:200]}"))
    return page._ts_runs


def _sockets_told(page, since: float) -> str:
    """The page's websockets, in seconds from `since` (the action): when each opened and closed, how many
    frames it brought and sent, and when the last of each went (so a lost click shows whether the browser
    sent anything)."""
    def at(moment):
        return "-" if moment is None else f"{moment - since:+.1f} s"
    return "; ".join(f"opened {at(o)}, closed {at(c)}, {n} frames received, the last {at(last)}, "
                     f"{m} sent, the last {at(last_sent)} ({kind})"
                     for o, c, n, last, m, last_sent, kind in page._ts_sockets) or "none opened"


def _server_health(url: str) -> str:
    """Whether the page's server answers its health check now (a server whose event loop is blocked does not)."""
    import time
    import urllib.parse
    import urllib.request

    parts = urllib.parse.urlsplit(url)
    began = time.monotonic()
    try:
        with urllib.request.urlopen(f"{parts.scheme}://{parts.netloc}/_stcore/health", timeout=5) as answer:
            return f"its server's health check: {answer.status} in {time.monotonic() - began:.2f} s"
    except OSError as error:
        return f"its server's health check: {error} after {time.monotonic() - began:.1f} s"


def _screenshot(page) -> str:
    """The page as it is, saved beside the server logs for the report."""
    import time

    from tests.conftest import ARTIFACTS

    path = ARTIFACTS / f"no-run-{time.time():.0f}.png"
    try:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=path, full_page=True)
    except Exception as error:  # a page that cannot be drawn says so in the report instead
        return f"no screenshot ({type(error).__name__})"
    return f"screenshot: test-artifacts/{path.name}"


def rerun(page, action, charts: int | None = None, timeout: float = 60_000) -> None:
    """Do `action` (a click, an upload, a page load) and wait until a run it started has ended and its
    charts are drawn: exactly `charts` of them when given, else as many as the run placed on the page."""
    import time

    runs = _count_runs(page)
    before = runs[0]
    began = time.monotonic()
    action()
    deadline = began + timeout / 1000
    while runs[0] <= before:  # playwright delivers the websocket's frames while it waits
        if time.monotonic() > deadline:
            raise TimeoutError(f"no run ended within {timeout / 1000:.0f} s of the action ({runs[0]} ended before; "
                               f"{_stalled(page, began)})")
        page.wait_for_timeout(20)
    page.wait_for_function(_CHARTS_DRAWN, arg=charts, timeout=timeout)


def _stalled(page, began: float) -> str:
    """What a wait that timed out reports of the page: its script state, websockets, console, the server's
    health, a download button's error, and a screenshot."""
    state = page.evaluate("document.querySelector('[data-testid=stApp]')?.dataset.testScriptState ?? 'no app'")
    errors = page.locator("[data-testid='stDownloadButtonError']").all_inner_texts()
    return (f"the page's script state: {state}; websockets: {_sockets_told(page, began)}; "
            f"its console's last errors: {page._ts_console[-5:] or 'none'}; download errors: {errors or 'none'}; "
            f"{_server_health(page.url)}; {_screenshot(page)}")


def downloaded(page, action, timeout: float = 60_000):
    """Do `action` (a download button's click) and return the download it brings."""
    import time

    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    _count_runs(page)
    began = time.monotonic()
    try:
        with page.expect_download(timeout=timeout) as download:
            action()
        return download.value
    except PlaywrightTimeout:
        raise TimeoutError(f"no download within {timeout / 1000:.0f} s of the click; {_stalled(page, began)}") from None


def open_select(page, box, option) -> None:
    """Open the select box `box` (a locator) until `option` shows in its list. A click while a rerun redraws
    the box only focuses it, so the box is clicked again, each time the app is idle, until its list opens."""
    import time

    deadline = time.monotonic() + 60
    while True:
        page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=60_000)
        box.click()
        try:
            option.wait_for(timeout=3_000)
            return
        except Exception:
            if time.monotonic() > deadline:
                raise
            page.keyboard.press("Escape")


def open_app(page, url: str, charts: int | None = None) -> None:
    """Load `url` and wait until its first run has ended (and its charts are drawn)."""
    rerun(page, lambda: page.goto(url), charts)

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

"""Build roster files in memory, so fixtures are code rather than opaque binaries."""

from __future__ import annotations

import io

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

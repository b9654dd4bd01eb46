"""Everything a person reads, gathered from an AppTest page, a figure, a deck, a report or a workbook, and the
checks that none of it is unfinished: no `None` / `nan` / `True`, no snake_case code or message key, and, in
Indonesian and Malay, no English message that has a translation."""

from __future__ import annotations

import html
import io
import json
import re
import string

import pandas as pd
from google.protobuf.json_format import MessageToDict

from tiers.presenting.i18n import catalogue

RAW_VALUE = re.compile(r"(?<![\w@.])(None|nan|NaN|True|False|NaT|<NA>)(?![\w])")
COMMANDS = {"pg_dump"}  # programs a message names, written as they are typed
SNAKE = re.compile(r"(?<![\w@./#-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w.-]*\.(?:csv|xlsx|pptx|html))(?![\w@/-])")
# Proto fields that are not text a person reads (ids, keys, data, options of the client, icons).
NOT_TEXT = {"id", "formId", "key", "type", "icon", "arrowData", "data", "spec", "url", "deltaPath", "theme",
            "acceptedExtensions", "args", "pageScriptHash", "selectionMode", "useContainerWidth", "columns",
            "editingMode", "format", "width", "height", "rowHeight", "scrollingIdentifier"}
FIGURE_TEXT = {"text", "name", "title", "ticktext", "label", "hovertemplate"}


def _strings(value, skip: set[str]) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for key, item in value.items() if key not in skip for s in _strings(item, skip)]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item, skip)]
    return []


def figure_text(spec: dict) -> list[str]:
    """The words of a plotly figure: titles, trace names, labels, tick text, hover templates."""
    found = []

    def walk(value, key=None):
        if isinstance(value, dict):
            for k, item in value.items():
                walk(item, k)
        elif isinstance(value, list):
            for item in value:
                walk(item, key)
        elif isinstance(value, str) and key in FIGURE_TEXT:
            found.append(re.sub(r"%\{[^}]*\}|<[^>]+>", " ", value))  # hover placeholders and markup are code

    walk({"data": spec.get("data", []), "layout": spec.get("layout", {})})
    return found


def frame_text(frame: pd.DataFrame, config: dict | None = None) -> list[str]:
    """A table's header (as its column configuration labels it; hidden columns left out) and cells."""
    config = config or {}
    shown = [c for c in frame.columns if not config.get(str(c), {}).get("hidden")]
    cells = frame[shown].astype("object").to_numpy().ravel().tolist()
    return [config.get(str(c), {}).get("label") or str(c) for c in shown] + [
        "None" if c is None else str(c) for c in cells]


def page_text(at) -> list[str]:
    """Every string an AppTest run shows: text elements, widget labels and options, tables, charts."""
    found = []

    def walk(node):
        kind = getattr(node, "type", "")
        if kind in ("dataframe", "arrow_data_frame"):
            config = json.loads(node.proto.columns) if getattr(node.proto, "columns", "") else {}
            found.extend(frame_text(node.value, config))
        elif kind == "plotly_chart":
            found.extend(figure_text(json.loads(node.proto.spec)))
        elif hasattr(node, "proto") and node.proto is not None:
            found.extend(_strings(MessageToDict(node.proto), NOT_TEXT))
        children = getattr(node, "children", None)
        if isinstance(children, dict):
            for child in children.values():
                walk(child)

    walk(at._tree)
    return found


def deck_text(data: bytes) -> list[str]:
    from pptx import Presentation

    found = []
    for slide in Presentation(io.BytesIO(data)).slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                found.append(shape.text_frame.text)
            if shape.has_table:
                found.extend(cell.text for row in shape.table.rows for cell in row.cells)
    return found


def report_text(page: str) -> list[str]:
    """The report's words outside its scripts (its charts' words are checked from the figures)."""
    body = re.sub(r"<script.*?</script>|<style.*?</style>", " ", page, flags=re.S)
    return [html.unescape(part) for part in re.split(r"<[^>]+>", body) if part.strip()]


def workbook_text(data: bytes) -> list[str]:
    import python_calamine

    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    found = list(book.sheet_names)
    for name in book.sheet_names:
        found.extend(str(cell) for row in book.get_sheet_by_name(name).to_python() for cell in row
                     if isinstance(cell, str | bool))
    return found


def _fragments(text: str) -> list[str]:
    """The literal parts of a message between its {placeholders}."""
    return [literal for literal, *_ in string.Formatter().parse(text) if literal]


def english_fragments(lang: str, min_length: int = 14) -> dict[str, str]:
    """English text that must not appear in `lang`'s output: each literal part (of `min_length` characters or
    more, with a space) of every message whose translation differs -> its message key."""
    english, texts = catalogue("en"), catalogue(lang)
    found = {}
    for key, text in english.items():
        if texts.get(key, text) == text:
            continue
        theirs = set(_fragments(texts[key]))
        for fragment in _fragments(text):
            fragment = fragment.strip(" .,:;()·—-")
            if len(fragment) >= min_length and " " in fragment and fragment not in theirs and not any(
                    fragment in other for other in theirs):
                found[fragment] = key
    return found


def problems(texts: list[str], lang: str, allowed: set[str] = frozenset()) -> list[str]:
    """What is unfinished in `texts` (in `lang`): raw values, snake_case tokens, message keys, English messages.
    `allowed`: the user's own words (handles, names, file names, headers), which are shown as they are."""
    keys = set(catalogue("en"))
    english = english_fragments(lang) if lang != "en" else {}
    found = []
    for text in texts:
        cleaned = text
        for word in sorted(allowed, key=len, reverse=True):
            cleaned = cleaned.replace(word, " ")
        for raw in RAW_VALUE.findall(cleaned):
            found.append(f"raw value {raw!r} in {text[:120]!r}")
        for token in set(SNAKE.findall(cleaned)) - COMMANDS:
            found.append(f"{'message key' if token in keys else 'snake_case'} {token!r} in {text[:120]!r}")
        for fragment, key in english.items():
            if fragment in cleaned:
                found.append(f"English ({key}) {fragment!r} in {text[:120]!r}")
    return sorted(set(found))

"""What the agency hands the client: a PPTX deck, a self-contained HTML report and an XLSX workbook.

All three render the same Story (tiers.presenting.story) or the same analysed roster, in the story's language,
with numbers formatted for it. Static chart images come from kaleido driving a headless Chromium;
without one, `ExportUnavailable` says what to install.
"""

from __future__ import annotations

import asyncio
import atexit
import base64
import concurrent.futures
import contextlib
import hashlib
import io
import os
import shutil
import threading
import weakref
from collections import OrderedDict
from pathlib import Path

import jinja2
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import xlsxwriter
from markupsafe import Markup

from tiers.analysis.creators import by_creator
from tiers.analysis.filters import row_columns
from tiers.presenting.export import changes_table
from tiers.presenting.i18n import (
    COLUMN_KINDS,
    KINDS,
    column_name,
    excel_format,
    format_frame,
    localise_labels,
    translator,
)
from tiers.presenting.palette import legible
from tiers.presenting.results_charts import results_sheets
from tiers.presenting.story import Story, shortlist_rows
from tiers.reading.roster import Roster

SLIDE_W, SLIDE_H = 13.333, 7.5  # inches, 16:9
WIDESCREEN = (12_192_000, 6_858_000)  # the same in EMU, exactly (PowerPoint's "Widescreen")


class ExportUnavailable(RuntimeError):
    """A deliverable needs something this machine lacks; the message says what to install."""


def display_table(frame: pd.DataFrame, lang: str, currency: str) -> pd.DataFrame:
    """Creators as text for a slide or a report: labels in `lang`, numbers formatted for it by their kind,
    estimated fees marked with an asterisk, handles with their @."""
    out = frame.copy()
    estimated = out.pop("fee_estimated").fillna(False).astype(bool) if "fee_estimated" in out else None
    if "handle" in out:
        out["handle"] = ("@" + out["handle"].astype("object")).where(out["handle"].notna())
    out = format_frame(out, lang, currency)
    if estimated is not None and "fee" in frame:
        fee = column_name("fee", translator(lang))
        out[fee] = out[fee] + np.where(estimated.to_numpy() & (out[fee] != "").to_numpy(), " *", "")
    out = out.loc[:, (out != "").any()] if len(out) else out  # a column the roster has nothing for is left out
    t = translator(lang)
    out.attrs["figures"] = [column_name(c, t) for c in frame.columns if c in COLUMN_KINDS and column_name(c, t) in out]
    return out  # attrs["figures"]: the columns of numbers, aligned right wherever the table is shown


# ---------------------------------------------------------------- static images

def chart_renderer_missing() -> str:
    """Why static chart images cannot be made here ('' when they can)."""
    if shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome"):
        return ""
    return "no Chromium found; install it with `apt-get install chromium`."


class _Renderer:
    """One headless Chromium for the whole process, driven by kaleido on an event loop of its own thread.

    Started once (`start` returns at once: the browser opens in the background), reused for every image, and
    never waited on for ever: a browser that fails to start or to draw raises within the timeout, and the next
    request starts a new one. Images are kept by the figure's content (the last `KEPT`): a figure drawn ahead
    (`submit`, as the Present page does for its deck) or before is not drawn again."""

    OPEN_S, DRAW_S, KEPT = 90.0, 60.0, 64

    def __init__(self):
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._opening: concurrent.futures.Future | None = None
        self._drawn: OrderedDict[str, concurrent.futures.Future] = OrderedDict()

    def start(self) -> concurrent.futures.Future:
        import kaleido

        async def open_browser():
            browser = kaleido.Kaleido(n=1)
            await browser.open()
            _yield_cpu(browser.subprocess.pid)  # its own Chromium only: not another browser of this process
            return browser

        with self._lock:
            if self._loop is None:
                self._loop = asyncio.new_event_loop()
                threading.Thread(target=self._loop.run_forever, name="chart-renderer", daemon=True).start()
                atexit.register(self._close)
            failed = self._opening is not None and self._opening.done() and self._opening.exception() is not None
            if self._opening is None or failed:
                self._opening = asyncio.run_coroutine_threadsafe(open_browser(), self._loop)
            return self._opening

    def submit(self, figures: list[go.Figure], opts: dict) -> list[tuple[str, concurrent.futures.Future]]:
        """Start drawing the figures not drawn (nor being drawn) yet; (key, future PNG) of each."""
        opening = self.start()

        async def draw(fig: go.Figure) -> bytes:
            browser = await asyncio.wrap_future(opening)
            return await browser.calc_fig(fig, opts=opts)

        keys = [hashlib.sha256((fig.to_json() + repr(sorted(opts.items()))).encode()).hexdigest() for fig in figures]
        with self._lock:
            for key, fig in zip(keys, figures, strict=True):
                known = self._drawn.get(key)
                if known is None or (known.done() and known.exception() is not None):
                    self._drawn[key] = asyncio.run_coroutine_threadsafe(draw(fig), self._loop)
                self._drawn.move_to_end(key)
            futures = [(key, self._drawn[key]) for key in keys]
            while len(self._drawn) > max(self.KEPT, len(keys)):
                self._drawn.popitem(last=False)
        return futures

    def draw(self, figures: list[go.Figure], opts: dict) -> list[bytes]:
        futures = self.submit(figures, opts)
        self.start().result(self.OPEN_S)
        try:
            return [future.result(self.DRAW_S) for _, future in futures]
        except Exception:  # a stuck or failed drawing is not handed out again
            with self._lock:
                for key, _ in futures:
                    self._drawn.pop(key, None)
            raise

    def _close(self) -> None:
        opening = self._opening
        if opening is not None and opening.done() and opening.exception() is None:
            with contextlib.suppress(Exception):
                asyncio.run_coroutine_threadsafe(opening.result().close(), self._loop).result(5)


RENDERER = _Renderer()
BACKGROUND_NICE = 10  # chart images are drawn ahead, in the background: they give way to the app's own work


def _yield_cpu(root: int) -> None:
    """Lower the CPU priority of every thread of the Chromium process `root` and of the Chromium processes under
    it (Linux: /proc; elsewhere, or without the right, nothing happens), so drawing a deck's charts ahead gives way
    to clicks on a 2-core box. Only the renderer's own browser: a test's browser started by the same process must
    keep its priority (niced beside a busy core, it starved and its page waited over a minute)."""
    with contextlib.suppress(OSError):
        if "chrom" in Path(f"/proc/{root}/comm").read_text():
            for thread in os.listdir(f"/proc/{root}/task"):
                os.setpriority(os.PRIO_PROCESS, int(thread), BACKGROUND_NICE)
    try:
        children = (Path(f"/proc/{root}/task") / task / "children" for task in os.listdir(f"/proc/{root}/task"))
        pids = {int(pid) for path in children for pid in path.read_text().split()}
    except OSError:
        return
    for pid in pids:
        _yield_cpu(pid)


def _png_opts(width: int | None, height: int | None) -> dict:
    return {"format": "png", "width": width or CHART_PX[0], "height": height or CHART_PX[1], "scale": CHART_SCALE}


def figure_pngs(figures: list[go.Figure], width: int | None = None, height: int | None = None) -> list[bytes]:
    """PNGs of the figures via kaleido, all through the process's one headless Chromium (see `warm_renderer`),
    drawn at the deck's chart size unless told."""
    if chart_renderer_missing():
        raise ExportUnavailable(chart_renderer_missing())
    try:
        return RENDERER.draw(figures, _png_opts(width, height))
    except Exception as error:  # kaleido reports a missing, broken or stuck browser in several ways
        raise ExportUnavailable(f"Chromium could not draw the chart ({type(error).__name__}: {error}); "
                                "install it with `apt-get install chromium`.") from None


def warm_renderer(story: Story | None = None) -> None:
    """Start the headless Chromium that draws every chart image of this process (a few seconds, once, in the
    background), so a deck asked for later does not wait for it; given a story, draw its deck's charts
    ahead too (in the background: the deck then only places them)."""
    if chart_renderer_missing():
        return
    RENDERER.start()
    if story is not None and not _drawn_ahead(story):
        RENDERER.submit(_deck_figures(story), _png_opts(None, None))


_AHEAD: dict[int, weakref.ref] = {}  # id -> the stories whose deck charts were handed to the renderer


def _drawn_ahead(story: Story) -> bool:
    """Whether this very story (a cached one comes back on every rerun) was handed over before; notes it if not:
    hashing its figures again on every rerun of the Present page took longer than the rerun's other work."""
    known = _AHEAD.get(id(story))
    if known is not None and known() is story:
        return True
    for key in [key for key, ref in _AHEAD.items() if ref() is None]:
        del _AHEAD[key]
    _AHEAD[id(story)] = weakref.ref(story)
    return False


# ---------------------------------------------------------------- HTML report

REPORT = jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"), autoescape=True,
                            trim_blocks=True, lstrip_blocks=True)


def story_html(story: Story) -> str:
    """One self-contained HTML file (plotly.js inlined once, logo embedded) that opens offline,
    from templates/report.html.j2."""
    drawn = [section.key for section in story.sections if section.figure is not None]
    sections = [(section,
                 None if section.figure is None else Markup(section.figure.to_html(  # noqa: S704 (plotly's own HTML)
                     full_html=False, include_plotlyjs=section.key == drawn[0], config={"displaylogo": False},
                     default_height="520px")),
                 None if section.table is None or section.table.empty
                 else display_table(section.table, story.lang, story.extras["currency"]))
                for section in story.sections]
    return REPORT.get_template("report.html.j2").render(
        story=story, sections=sections, t=translator(story.lang),
        shortlist=display_table(story.shortlist, story.lang, story.extras["currency"]),
        show_fees="fee" in story.shortlist, logo=base64.b64encode(story.branding.logo).decode() if story.branding.logo
        else None)


# ---------------------------------------------------------------- PPTX deck

def _rgb(colour: str):
    from pptx.dml.color import RGBColor
    return RGBColor.from_string(colour.lstrip("#")[:6].upper())


TITLE_SLIDE, TITLE_ONLY = 0, 5  # layouts of python-pptx's default template: each has a title placeholder
TITLE_BOX = (0.6, 0.3, 12.1, 0.8)  # left, top, width, height in inches, on every content slide
LINE_BOX = (0.6, 1.1, 12.1, 0.8)  # the takeaway under it
BODY_BOX = (0.6, 2.0, 12.1, 5.25)  # what a chart or a table may fill
CHART_PX = (1100, round(1100 * BODY_BOX[3] / BODY_BOX[2]))  # the chart's layout size, in the body's proportions
CHART_SCALE = 2  # about 12-point text across the slide, drawn at twice the pixels to stay sharp
COVER_TITLE_BOX = (0.8, 1.5, 11.7, 1.5)  # the cover's title and the line under it
COVER_LINE_BOX = (0.8, 3.0, 11.7, 0.9)
TABLE_ROWS = 14  # creators on one slide, with the header and a note below


def _widescreen(accent: str):
    """python-pptx's default template made 16:9: its master and layouts stretched to the width, the Title Only
    layout's title placed in TITLE_BOX, and the master's title style (size, weight, the brand's accent) set once,
    so a client's template restyles every title."""
    from lxml import etree
    from pptx import Presentation
    from pptx.util import Emu, Inches, Pt

    deck = Presentation()
    factor = WIDESCREEN[0] / deck.slide_width
    deck.slide_width, deck.slide_height = (Emu(v) for v in WIDESCREEN)
    layouts = list(deck.slide_layouts)
    for shape in [*deck.slide_master.placeholders, *(p for layout in layouts for p in layout.placeholders)]:
        shape.left, shape.width = Emu(round(shape.left * factor)), Emu(round(shape.width * factor))
    for layout, index, box in ((TITLE_ONLY, 0, TITLE_BOX), (TITLE_SLIDE, 0, COVER_TITLE_BOX),
                               (TITLE_SLIDE, 1, COVER_LINE_BOX)):
        shape = layouts[layout].placeholders[index]
        shape.left, shape.top, shape.width, shape.height = (Inches(v) for v in box)
    namespace = {"p": "http://schemas.openxmlformats.org/presentationml/2006/main",
                 "a": "http://schemas.openxmlformats.org/drawingml/2006/main"}
    level = deck.slide_master.element.find("p:txStyles/p:titleStyle/a:lvl1pPr", namespace)
    level.set("algn", "l")
    run = level.find("a:defRPr", namespace)
    run.set("sz", str(int(Pt(28).pt * 100)))
    run.set("b", "1")
    for fill in run.findall("a:solidFill", namespace):
        run.remove(fill)
    fill = etree.SubElement(run, f"{{{namespace['a']}}}solidFill")
    etree.SubElement(fill, f"{{{namespace['a']}}}srgbClr", val=legible(accent).lstrip("#").upper())
    run.insert(0, fill)  # a:solidFill comes before the font elements
    return deck


def _fit(png: bytes, box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """Where a picture goes in `box` (inches), as large as fits with its proportions, centred across."""
    import struct

    width, height = struct.unpack(">II", png[16:24])  # a PNG's IHDR
    left, top, box_width, box_height = box
    scale = min(box_width / width, box_height / height)
    return left + (box_width - width * scale) / 2, top, width * scale, height * scale



def _column_shares(shown: pd.DataFrame) -> list[float]:
    """Each column's share of a slide table's width, by the longest text it must hold on one line (its
    longest cell, or the longest word of its header), so a handle is not broken across lines while a
    tier's column stands half empty."""
    longest = [max(shown[column].astype(str).str.len().max() if len(shown) else 0,
                   max((len(word) for word in str(column).split()), default=0)) for column in shown.columns]
    weights = [min(max(length, 4), 28) for length in longest]
    return [weight / sum(weights) for weight in weights]


def _deck_figures(story: Story) -> list[go.Figure]:
    return [section.figure for section in story.sections if section.figure is not None]


def story_pptx(story: Story) -> bytes:
    """A 16:9 deck: title, one slide per section (its chart, or the sentence saying there is no data for one)
    with its takeaway, the shortlist table, method and sources. Every slide's title is its layout's title
    placeholder; every shape lies within the slide."""
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Inches, Pt

    charts = [section.key for section in story.sections if section.figure is not None]
    images = dict(zip(charts, figure_pngs(_deck_figures(story)), strict=True))  # fail early
    deck = _widescreen(story.branding.accent)
    accent = _rgb(legible(story.branding.accent))

    def text(slide, content, box, size, bold=False, colour=None):
        left, top, width, height = box
        frame = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height)).text_frame
        frame.word_wrap = True
        run = frame.paragraphs[0].add_run()
        run.text = content
        run.font.size, run.font.bold = Pt(size), bold
        if colour is not None:
            run.font.color.rgb = colour
        return frame

    def band(slide):
        bar = slide.shapes.add_shape(1, 0, 0, deck.slide_width, Inches(0.18))
        bar.fill.solid()
        bar.fill.fore_color.rgb = accent
        bar.line.fill.background()
        if story.branding.logo:
            slide.shapes.add_picture(io.BytesIO(story.branding.logo), Inches(SLIDE_W - 1.6), Inches(0.35),
                                     height=Inches(0.5))

    def slide_titled(title: str, line: str = ""):
        slide = deck.slides.add_slide(deck.slide_layouts[TITLE_ONLY])
        slide.shapes.title.text = title
        band(slide)
        if line:
            text(slide, line, LINE_BOX, 16)
        return slide

    cover = deck.slides.add_slide(deck.slide_layouts[TITLE_SLIDE])
    band(cover)
    cover.shapes.title.text = story.title
    cover.shapes.title.text_frame.paragraphs[0].runs[0].font.size = Pt(40)  # the cover's title, larger
    cover.placeholders[1].text = story.subtitle
    cover.placeholders[1].text_frame.paragraphs[0].alignment = 1  # left, under the title
    for i, (label, value) in enumerate(story.headlines):
        box = text(cover, value, (0.8 + i * 3.0, 4.6, 2.8, 1.1), 26, bold=True, colour=accent)
        run = box.add_paragraph().add_run()
        run.text, run.font.size = label, Pt(13)

    def table_slide(title: str, line: str, frame: pd.DataFrame):
        shown = display_table(frame, story.lang, story.extras["currency"]).head(TABLE_ROWS)  # what fits a slide
        slide = slide_titled(title, line)
        rows, cols = len(shown) + 1, len(shown.columns)
        left, top, width, _ = BODY_BOX
        table = slide.shapes.add_table(rows, cols, Inches(left), Inches(top), Inches(width),
                                       Inches(0.3 * rows)).table
        for c, share in enumerate(_column_shares(shown)):
            table.columns[c].width = int(Inches(width) * share)
        for c, name in enumerate(shown.columns):
            table.cell(0, c).text = str(name)
        for r, row in enumerate(shown.itertuples(index=False), start=1):
            for c, value in enumerate(row):
                table.cell(r, c).text = str(value)
        for r, c in ((r, c) for r in range(rows) for c in range(cols)):
            for paragraph in table.cell(r, c).text_frame.paragraphs:
                if shown.columns[c] in shown.attrs["figures"]:
                    paragraph.alignment = PP_ALIGN.RIGHT  # figures line up by their last digit
                for run in paragraph.runs:
                    run.font.size = Pt(10)
        return slide

    for section in story.sections:
        slide = slide_titled(section.title, section.takeaway if section.key in images else "")
        if section.key in images:
            left, top, width, height = _fit(images[section.key], BODY_BOX)
            slide.shapes.add_picture(io.BytesIO(images[section.key]), Inches(left), Inches(top), Inches(width),
                                     Inches(height))
        else:  # nothing to draw: the sentence that says why, where the chart would be
            text(slide, section.takeaway, (BODY_BOX[0], BODY_BOX[1], BODY_BOX[2], 1.5), 20)
        if section.table is not None and not section.table.empty:
            table_slide(section.title, section.takeaway, section.table)

    t = translator(story.lang)
    slide = table_slide(t("section_shortlist"), story.extras["shortlist_line"], story.shortlist)
    note = " ".join(filter(None, [story.shortlist_note, f"* {t('fee_estimated')}" if "fee" in story.shortlist
                                  else ""]))
    if note:
        text(slide, note, (0.6, 6.75, 12.1, 0.5), 11)

    slide = slide_titled(t("section_method"))
    body = text(slide, story.method[0], (0.6, 1.2, 12.1, 6.0), 13)
    for line in story.method[1:]:
        paragraph = body.add_paragraph()
        paragraph.space_before = Pt(6)
        run = paragraph.add_run()
        run.text, run.font.size = line, Pt(13)

    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- XLSX workbook

def _write_table(sheet, frame: pd.DataFrame, header) -> None:
    """`frame` into `sheet` under a header row, a column at a time by its type: numbers as numbers, everything
    else as text (a column of mixed values, each by its own); a missing value or an infinite number leaves its
    cell empty. pandas' `to_excel` makes a styled cell object per value first, which at 10K creators was most of
    the workbook's seconds; xlsxwriter's typed writes are the floor."""
    for j, name in enumerate(frame.columns):
        sheet.write_string(0, j, str(name), header)
        column = frame.iloc[:, j]
        if pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
            numbers = column.to_numpy(dtype="float64", na_value=np.nan)
            for i in np.flatnonzero(np.isfinite(numbers)).tolist():
                sheet.write_number(i + 1, j, numbers[i])
        else:  # text, or values of mixed types: each by its own
            values = column.astype("object").tolist()
            for i in np.flatnonzero(column.notna().to_numpy()).tolist():
                value = values[i]
                if isinstance(value, (bool, np.bool_)):
                    sheet.write_boolean(i + 1, j, bool(value))
                elif isinstance(value, (int, float, np.number)):
                    if np.isfinite(value):
                        sheet.write_number(i + 1, j, float(value))
                else:
                    sheet.write_string(i + 1, j, str(value))


def workbook_sheets(analysed: pd.DataFrame, roster: Roster, shortlist_keys: list[str] | None, lang: str,
                    changes: pd.DataFrame | None = None, campaign=None) -> dict[str, pd.DataFrame]:
    """The workbook's sheets by their names in `lang`, before their labels are: classified creators, rejected rows and
    the shortlist the story shows (the chosen creators, else the suggested ones), given compared rosters'
    accounts, what changed, and given a campaign (tiers.analysis.results.Campaign), its posts and its figures per
    tier."""
    t = translator(lang)
    creators = analysed[analysed["status"] == "ok"]
    columns = [*row_columns(creators), "handle", "name", "platform", "tier", "followers", "engagement_rate",
               "verdict", "grade", "expected_engagements", "reach", "fee", "fee_estimated", "cpe", "niche", "city"]
    sheets = {
        t("sheet_creators"): creators[columns],
        t("sheet_shortlist"): by_creator(shortlist_rows(creators, shortlist_keys)[0])[columns],
        t("sheet_rejected"): roster.rows[roster.rows["status"] == "rejected"][
            [*row_columns(roster.rows), "handle", "name", "platform", "reason"]],
    }
    if changes is not None:
        sheets[t("sheet_changes")] = changes_table(changes, lang)
    if campaign is not None:
        sheets.update(results_sheets(campaign, t))
    return {name[:31]: frame for name, frame in sheets.items()}


def workbook_xlsx(analysed: pd.DataFrame, roster: Roster, shortlist_keys: list[str] | None, lang: str,
                  changes: pd.DataFrame | None = None, campaign=None) -> bytes:
    """`workbook_sheets` as an XLSX file: sheet names, headers and labels in `lang`, numbers stored as numbers
    with a number format by their kind, frozen headers, and every text cell written as a string (never a formula
    or a link)."""
    t = translator(lang)
    currency = analysed.attrs.get("currency", "IDR")
    out = io.BytesIO()
    options = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False, "in_memory": True}
    with xlsxwriter.Workbook(out, options) as book:
        formats = {kind: book.add_format({"num_format": excel_format(kind, lang, currency)}) for kind in KINDS}
        header = book.add_format({"bold": True, "border": 1, "align": "center", "valign": "top"})
        for name, frame in workbook_sheets(analysed, roster, shortlist_keys, lang, changes, campaign).items():
            sheet = book.add_worksheet(name)
            _write_table(sheet, localise_labels(frame, t), header)
            sheet.freeze_panes(1, 0)
            sheet.autofilter(0, 0, max(len(frame), 1), len(frame.columns) - 1)
            for i, column in enumerate(frame.columns):
                kind = COLUMN_KINDS.get(column)
                sheet.set_column(i, i, 16 if kind else 20, formats.get(kind))
    return out.getvalue()

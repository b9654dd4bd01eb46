"""What the agency hands the client: a PPTX deck, a self-contained HTML report and an XLSX workbook.

All three render the same Story (tiers.presenting.story) or the same analysed roster, in the story's language,
with numbers formatted for it. Static chart images come from kaleido driving a headless Chromium;
without one, `ExportUnavailable` says what to install.
"""

from __future__ import annotations

import base64
import io
import shutil
import warnings
from pathlib import Path

import jinja2
import numpy as np
import pandas as pd
import plotly.graph_objects as go
from markupsafe import Markup

from tiers.analysis.filters import row_columns, row_keys
from tiers.presenting.export import changes_table
from tiers.presenting.i18n import (
    COLUMN_KINDS,
    SIGNED,
    format_count,
    format_money,
    format_percent,
    localise_labels,
    translator,
)
from tiers.presenting.story import Story
from tiers.reading.roster import Roster

SLIDE_W, SLIDE_H = 13.333, 7.5  # inches, 16:9
CHART_PX = (1600, 820)


class ExportUnavailable(RuntimeError):
    """A deliverable needs something this machine lacks; the message says what to install."""


def display_table(frame: pd.DataFrame, lang: str, currency: str) -> pd.DataFrame:
    """Creators as text for a slide or a report: labels in `lang`, numbers formatted for it, estimated
    fees marked with an asterisk."""
    t = translator(lang)
    out = frame.copy()
    shown = {"count": lambda v: format_count(v, lang), "money": lambda v: format_money(v, currency, lang),
             "percent": lambda v: format_percent(v, lang)}
    for column in out.columns:
        kind = COLUMN_KINDS.get(column)
        if kind:
            write = (lambda v: format_percent(v, lang, signed=True)) if column in SIGNED else shown[kind]
            out[column] = out[column].map(lambda v, write=write: write(v) if pd.notna(v) else "").astype("str")
    if "fee" in out and "fee_estimated" in out:
        out["fee"] = out["fee"] + np.where(out.pop("fee_estimated").fillna(False).astype(bool), " *", "")
    out["handle"] = "@" + out["handle"].fillna("").astype(str) if "handle" in out else None
    out = localise_labels(out, t)
    return out.fillna("").astype(str)


# ---------------------------------------------------------------- static images

def chart_renderer_missing() -> str:
    """Why static chart images cannot be made here ('' when they can)."""
    if shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome"):
        return ""
    return "no Chromium found; install it with `apt-get install chromium`."


def figure_png(fig: go.Figure, width: int = CHART_PX[0], height: int = CHART_PX[1]) -> bytes:
    """A PNG of the figure via kaleido (one shared headless Chromium for the whole process)."""
    import kaleido

    if chart_renderer_missing():
        raise ExportUnavailable(chart_renderer_missing())
    try:
        kaleido.start_sync_server(silence_warnings=True)
    except RuntimeError:
        pass  # already running
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # "kopts ignored when using a server": expected
            return fig.to_image(format="png", width=width, height=height)
    except Exception as error:  # kaleido reports a missing or broken browser in several ways
        raise ExportUnavailable(f"Chromium could not draw the chart ({type(error).__name__}: {error}); "
                                "install it with `apt-get install chromium`.") from None


# ---------------------------------------------------------------- HTML report

REPORT = jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"), autoescape=True,
                            trim_blocks=True, lstrip_blocks=True)


def story_html(story: Story) -> str:
    """One self-contained HTML file (plotly.js inlined once, logo embedded) that opens offline,
    from templates/report.html.j2."""
    sections = [(section,
                 Markup(section.figure.to_html(full_html=False, include_plotlyjs=(i == 0),  # noqa: S704 (plotly's)
                                               config={"displaylogo": False}, default_height="520px")),
                 None if section.table is None or section.table.empty
                 else display_table(section.table, story.lang, story.extras["currency"]))
                for i, section in enumerate(story.sections)]
    return REPORT.get_template("report.html.j2").render(
        story=story, sections=sections, t=translator(story.lang),
        shortlist=display_table(story.shortlist, story.lang, story.extras["currency"]),
        show_fees="fee" in story.shortlist, logo=base64.b64encode(story.branding.logo).decode() if story.branding.logo
        else None)


# ---------------------------------------------------------------- PPTX deck

def _rgb(colour: str):
    from pptx.dml.color import RGBColor
    return RGBColor.from_string(colour.lstrip("#")[:6].upper())


def story_pptx(story: Story) -> bytes:
    """A 16:9 deck: title, one slide per chart with its takeaway, the shortlist table, method and sources."""
    from pptx import Presentation
    from pptx.util import Inches, Pt

    images = [figure_png(section.figure) for section in story.sections]  # fail early, before building slides
    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(SLIDE_W), Inches(SLIDE_H)
    blank = deck.slide_layouts[6]
    accent = _rgb(story.branding.accent)

    def text(slide, content, left, top, width, height, size, bold=False, colour=None):
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
            slide.shapes.add_picture(io.BytesIO(story.branding.logo), Inches(SLIDE_W - 1.9), Inches(0.35),
                                     height=Inches(0.6))

    title = deck.slides.add_slide(blank)
    band(title)
    text(title, story.title, 0.8, 2.2, 11.5, 1.4, 40, bold=True, colour=accent)
    text(title, story.subtitle, 0.8, 3.6, 11.5, 0.6, 18)
    for i, (label, value) in enumerate(story.headlines):
        box = text(title, value, 0.8 + i * 3.0, 4.8, 2.8, 0.7, 28, bold=True, colour=accent)
        run = box.add_paragraph().add_run()
        run.text, run.font.size = label, Pt(13)

    def table_slide(title: str, line: str, frame: pd.DataFrame):
        shown = display_table(frame, story.lang, story.extras["currency"]).head(15)  # what fits a slide
        slide = deck.slides.add_slide(blank)
        band(slide)
        text(slide, title, 0.6, 0.35, 10.5, 0.6, 26, bold=True, colour=accent)
        text(slide, line, 0.6, 0.95, 12.0, 0.6, 15)
        rows, cols = len(shown) + 1, len(shown.columns)
        table = slide.shapes.add_table(rows, cols, Inches(0.6), Inches(1.6), Inches(12.1), Inches(0.32 * rows)).table
        for c, name in enumerate(shown.columns):
            table.cell(0, c).text = str(name)
        for r, row in enumerate(shown.itertuples(index=False), start=1):
            for c, value in enumerate(row):
                table.cell(r, c).text = str(value)
        for cell in (table.cell(r, c) for r in range(rows) for c in range(cols)):
            for paragraph in cell.text_frame.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(11)
        return slide

    for section, png in zip(story.sections, images, strict=True):
        slide = deck.slides.add_slide(blank)
        band(slide)
        text(slide, section.title, 0.6, 0.35, 10.5, 0.6, 26, bold=True, colour=accent)
        text(slide, section.takeaway, 0.6, 0.95, 12.0, 0.7, 17)
        slide.shapes.add_picture(io.BytesIO(png), Inches(0.6), Inches(1.7), width=Inches(12.1))
        if section.table is not None and not section.table.empty:
            table_slide(section.title, section.takeaway, section.table)

    t = translator(story.lang)
    slide = table_slide(t("section_shortlist"), story.extras["shortlist_line"], story.shortlist)
    note = " ".join(filter(None, [story.shortlist_note, f"* {t('fee_estimated')}"]))
    text(slide, note, 0.6, 6.8, 12.0, 0.5, 11)

    slide = deck.slides.add_slide(blank)
    band(slide)
    text(slide, t("section_method"), 0.6, 0.35, 10.5, 0.6, 26, bold=True, colour=accent)
    body = text(slide, story.method[0], 0.6, 1.2, 12.0, 5.5, 14)
    for line in story.method[1:]:
        run = body.add_paragraph().add_run()
        run.text, run.font.size = line, Pt(14)

    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- XLSX workbook

def workbook_xlsx(analysed: pd.DataFrame, roster: Roster, shortlist_keys: list[str], lang: str,
                  changes: pd.DataFrame | None = None) -> bytes:
    """Classified creators, rejected rows and the shortlist (and, given compared rosters' accounts,
    what changed): numbers stored as numbers with formats, frozen headers, and every text cell
    written as a string (never a formula or a link)."""
    t = translator(lang)
    creators = analysed[analysed["status"] == "ok"]
    keys = row_keys(creators)
    columns = [*row_columns(creators), "handle", "name", "creator", "platform", "tier", "followers", "engagement_rate",
               "verdict", "grade", "expected_engagements", "reach", "fee", "fee_estimated", "cpe", "niche", "city"]
    sheets = {
        t("sheet_creators"): creators[columns],
        t("sheet_shortlist"): creators[keys.isin(shortlist_keys)][columns],
        t("sheet_rejected"): roster.rows[roster.rows["status"] == "rejected"][
            [*row_columns(roster.rows), "handle", "name", "platform", "reason"]],
    }
    if changes is not None:
        sheets[t("sheet_changes")] = changes_table(changes, lang)
    out = io.BytesIO()
    options = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    with pd.ExcelWriter(out, engine="xlsxwriter", engine_kwargs={"options": options}) as writer:
        book = writer.book
        formats = {"percent": book.add_format({"num_format": "0.00%"}),
                   "count": book.add_format({"num_format": "#,##0"}),
                   "money": book.add_format({"num_format": "#,##0"})}
        for name, frame in sheets.items():
            shown = localise_labels(frame, t)
            shown.to_excel(writer, sheet_name=name[:31], index=False)
            sheet = writer.sheets[name[:31]]
            sheet.freeze_panes(1, 0)
            sheet.autofilter(0, 0, max(len(shown), 1), len(shown.columns) - 1)
            for i, column in enumerate(frame.columns):
                kind = COLUMN_KINDS.get(column)
                sheet.set_column(i, i, 16 if kind else 20, formats.get(kind))
    return out.getvalue()

"""Small rendering helpers shared by the pages (no calculations)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from tiers.analysis.filters import named_accounts
from tiers.presenting.deliverables import (
    chart_renderer_missing,
    display_table,
    story_html,
    story_pptx,
    warm_renderer,
)
from tiers.presenting.i18n import COLUMN_KINDS, column_name, format_count, format_frame, format_moment, translator
from tiers.presenting.markdown import literal
from tiers.reading.columns import CURRENCIES, CURRENCY_OF_ALL, FIELDS, PLATFORM_OF_ALL, PLATFORMS, guess_mapping
from tiers.reading.read import RawTable
from tiers.reading.roster import Roster, maps_field
from ui.state import Current, current, keep_mine, lang, load_theirs, made, widget_key
from ui.timing import logged


def header(title_key: str, ctx: Current) -> None:
    """Page title, and which roster it shows."""
    t = translator(lang())
    st.header(t(title_key))
    st.caption(" · ".join([t("roster_file", name=literal(ctx.source.name)), literal(ctx.scheme.name),
                            literal(ctx.norms.text("name", lang()))]))


def work_notices() -> None:
    """What happened to the user's work: a database that cannot be used, an analysis not found, a
    save that failed, or someone else's newer save (with the choice of whose version to keep)."""
    t, state = translator(lang()), st.session_state
    if "store_error" in state:
        st.error(t("store_error", message=literal(state["store_error"])), icon=":material/database:")
    notice = state.pop("notice", None)
    if notice == "save_failed":
        st.error(t("save_failed", error=literal(state.pop("save_error", ""))))
    elif notice:
        st.warning(t(notice))
    opened, (reset_in, reset) = state.get("analysis"), state.get("settings_reset", ("", ()))
    if reset and opened is not None and opened.id == reset_in:  # said on every page while that analysis is open
        st.warning(t("settings_reset", settings=literal(", ".join(reset))), icon=":material/settings_backup_restore:")
    theirs = state.get("conflict")
    if theirs is not None:
        when = format_moment(theirs.updated_at, lang())
        st.warning(t("conflict", name=literal(theirs.name), when=when, version=theirs.version),
                   icon=":material/group:")
        left, right = st.columns(2)
        left.button(t("conflict_load"), on_click=load_theirs, key="conflict_load")
        right.button(t("conflict_keep"), on_click=keep_mine, key="conflict_keep")


def mapping_editor(raw: RawTable | Roster, chosen: dict[str, str], key: str) -> dict[str, str] | None:
    """One selectbox per field naming the column it is read from (the guess preselected, with how
    sure it was), and the platform of every row when no column names it. Returns the mapping the
    user made when it differs from `chosen`, else None."""
    t = translator(lang())
    wide = {k: h for k, h in chosen.items() if "@" in k}
    if wide:
        described = (f"{h} → {t('platform_' + k.split('@')[1])} {t('field_' + k.split('@')[0]).lower()}"
                     for k, h in wide.items())
        st.info(t("mapping_wide", columns=literal(", ".join(described))))
    confidence = guess_mapping(list(raw.headers))
    options = ["", *raw.headers]
    columns = st.columns(4)
    edited = {}
    for i, field in enumerate(f for f in FIELDS if not (wide and f == "followers")):
        guess = chosen.get(field, "")
        how = confidence.get(field)
        edited[field] = columns[i % 4].selectbox(
            t(f"field_{field}"), options, index=options.index(guess) if guess in options else 0,
            format_func=lambda h: h or t("mapping_none"), key=widget_key(f"{key}_{field}_{raw.sheet}"),
            help=(t("mapping_exact") if how[1] == 1 else t("mapping_partial")) if how and how[0] == guess else None)
    edited |= wide
    if not wide and not edited.get("platform"):  # no platform column: one platform for every row
        every = chosen.get(PLATFORM_OF_ALL, "other")
        picked = st.selectbox(
            t("platform_of_all"), PLATFORMS, index=PLATFORMS.index(every) if every in PLATFORMS else len(PLATFORMS) - 1,
            format_func=lambda p: t(f"platform_{p}"), key=widget_key(f"{key}_{PLATFORM_OF_ALL}_{raw.sheet}"))
        if picked != "other" or PLATFORM_OF_ALL in chosen:  # the default changes nothing: no rerun for it
            edited[PLATFORM_OF_ALL] = picked
    if maps_field(edited, "fee"):
        currency = chosen.get(CURRENCY_OF_ALL, "IDR")
        edited[CURRENCY_OF_ALL] = st.selectbox(
            t("currency_of_all"), CURRENCIES, index=CURRENCIES.index(currency) if currency in CURRENCIES else 0,
            key=widget_key(f"{key}_{CURRENCY_OF_ALL}_{raw.sheet}"), help=t("currency_of_all_help"))
        if edited[CURRENCY_OF_ALL] == "IDR" and CURRENCY_OF_ALL not in chosen:
            del edited[CURRENCY_OF_ALL]  # the default changes nothing: no rerun for it
    edited = {f: h for f, h in edited.items() if h}
    return edited if edited != chosen else None


def require_creators(ctx: Current) -> pd.DataFrame:
    """The classified creators, or a message and stop when there are none."""
    if ctx.creators.empty:
        st.warning(translator(lang())("no_roster"))
        st.stop()
    return ctx.creators


def chart(fig, key: str) -> None:
    st.plotly_chart(fig, width="stretch", key=key, config={"displaylogo": False})


def _keeper(key: str, own: str):
    """on_change: copy the widget's value to the plain key, unless the widget belongs to an analysis
    shown before the current one (its change would overwrite the newly opened analysis)."""

    def keep() -> None:
        if own == widget_key(key) and own in st.session_state:
            st.session_state[key] = st.session_state[own]

    return keep


def persistent(widget, label: str, options: list, key: str, default, **kwargs):
    """A widget whose value lives under a plain session_state key `key`.

    Widget state belongs to the widget, and a widget whose label changes (switching language) or
    that is not rendered (switching page) loses it; the plain key keeps the user's choice.
    """
    value = st.session_state.get(key, default)
    if value not in options:
        value = default

    own = widget_key(key)
    st.session_state[key] = value
    return widget(label, options, index=options.index(value), key=own, on_change=_keeper(key, own), **kwargs)


def persistent_multiselect(label: str, options: list[str], key: str, **kwargs) -> list[str]:
    """A multiselect whose choice lives under a plain session_state key (see `persistent`)."""
    chosen = [value for value in st.session_state.get(key, []) if value in options]

    own = widget_key(key)
    st.session_state[key] = chosen
    return st.multiselect(label, options, default=chosen, key=own, on_change=_keeper(key, own), **kwargs)


PICKER_OPTIONS = 1_000  # listed in a creator picker; past it a browser takes seconds to draw the list


def account_picker(where, label: str, accounts: pd.DataFrame, labels: dict, chosen: list, **kwargs) -> list:
    """Index labels of the accounts picked. Up to PICKER_OPTIONS are listed (the chosen ones first, then the
    roster's order); on a larger roster any other account is picked by typing its handle or name, and a text
    naming none is said."""
    t = translator(lang())
    listed = list(dict.fromkeys([*chosen, *accounts.index[:PICKER_OPTIONS]]))
    more = len(accounts) > len(listed)
    picked = where.multiselect(label, listed, default=chosen, format_func=lambda key: labels.get(key, str(key)),
                               accept_new_options=more, placeholder=t("choose_creators"),
                               help=t("picker_more", listed=format_count(len(listed), lang()),
                                      count=format_count(len(accounts), lang())) if more else None, **kwargs)
    typed = [key for key in picked if key not in labels]
    if not typed:
        return picked
    found, unknown = named_accounts(accounts, typed)
    if unknown:
        where.warning(t("picker_unknown", texts=", ".join(literal(text) for text in unknown)))
    return list(dict.fromkeys([key for key in picked if key in labels] + found))


PAGE_ROWS = 500


def text_columns(frame: pd.DataFrame, language: str | None = None) -> dict:
    """Numbers formatted as text (see tiers.presenting.i18n.format_frame) still read as numbers: right-aligned."""
    t = translator(language or lang())
    return {column_name(c, t): st.column_config.TextColumn(alignment="right") for c in frame.columns
            if c in COLUMN_KINDS}


def shown_table(frame: pd.DataFrame, currency: str | None = None) -> pd.DataFrame:
    """A table as the user reads it: numbers by their kind in the UI language, codes as names, blanks for
    missing values (see format_frame)."""
    return format_frame(frame, lang(), currency or current().analysed.attrs.get("currency", "IDR"))


def paged_table(frame: pd.DataFrame, key: str, prepare=None, ctx: Current | None = None, depends: tuple = (),
                select: str | None = None, **kwargs) -> list:
    """A table with labels and numbers in the UI language, one page at a time: a million-row roster must not
    be sent to the browser whole (nor formatted whole). `prepare` derives display columns for the shown page
    only. Given `ctx`, the frame is what the analysis (and `depends`) make of it: each page is formatted once
    (ui.state.made). Given `select` (a widget key), rows can be selected: the index labels of those selected
    on the page shown are returned."""
    t = translator(lang())

    def display(page: pd.DataFrame, number: int = 1) -> pd.DataFrame:
        def formatted() -> pd.DataFrame:
            return shown_table(prepare(page) if prepare else page)

        return formatted() if ctx is None else made(ctx, f"table {key} {number}", formatted, *depends)

    kwargs["column_config"] = text_columns(frame) | kwargs.get("column_config", {})
    pages = -(-len(frame) // PAGE_ROWS)
    number = 1
    if pages > 1:
        number = int(st.number_input(t("table_page", pages=format_count(pages, lang())), min_value=1,
                                     max_value=pages, value=1, step=1, key=key))
    start = (number - 1) * PAGE_ROWS
    rows = frame.iloc[start:start + PAGE_ROWS]
    if select:  # a selection belongs to its page: another page starts with none
        kwargs |= {"on_select": "rerun", "selection_mode": "multi-row", "key": f"{select} {number}"}
    shown = st.dataframe(display(rows, number), hide_index=True, width="stretch", **kwargs)
    if pages > 1:
        st.caption(t("table_rows", first=format_count(start + 1, lang()),
                     last=format_count(min(start + PAGE_ROWS, len(frame)), lang()),
                     total=format_count(len(frame), lang())))
    return rows.index[shown.selection.rows].tolist() if select else []


CHROME = ("[data-testid='stSidebar']", "[data-testid='stSidebarCollapsedControl']", "[data-testid='stHeader']",
          "[data-testid='stToolbar']")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


# Streamlit writes its uploader's hint ("200MB per file • CSV, ...") in English only; each uploader's own label
# names the formats in the user's language.
UPLOADER_HINT = "[data-testid='stFileUploaderDropzoneInstructions']"


def hide_untranslated() -> None:
    """Hide what Streamlit writes in English only, on every page."""
    st.html(f"<style>{UPLOADER_HINT} {{ display: none; }}</style>")


def hide_chrome(*also: str) -> None:
    """Hide Streamlit's sidebar and header (and the `also` selectors) while the story is presented."""
    st.html(f"<style>{', '.join([*CHROME, *also])} {{ display: none; }}</style>")


def download(where, label: str, data, file_name: str, mime: str, **options) -> None:
    """A download button that leaves the page as it is. Streamlit's default reruns the page on the click, and
    when the file is made on the click (`data` a callable) that rerun races the making: once the run has
    ended, the callable it replaced is gone, and the browser's request for the file, still on its way under
    load, finds nothing, so the download never comes (20 of 40 clicks in a row, beside three CPU burners)."""
    where.download_button(label, data, file_name, mime, on_click="ignore", **options)


def story_downloads(story, stem: str, workbook=None, explain_missing: bool = True) -> None:
    """The story as an HTML report and a PPTX deck (and `workbook()` as XLSX, given), each made when
    its button is clicked, not on every rerun. Without Chromium the deck is left out, said so when
    `explain_missing`."""
    t = translator(story.lang)
    columns = st.columns(3 if workbook else 2)
    download(columns[0], t("download_html"), logged("report", lambda: story_html(story).encode("utf-8")),
             f"{stem}.html", "text/html")
    if workbook:
        download(columns[1], t("download_xlsx"), logged("workbook", workbook), f"{stem}.xlsx", XLSX)
    missing = chart_renderer_missing()
    if not missing:
        warm_renderer(story)  # Chromium draws the deck's charts in the background now, not when it is asked for
        download(columns[-1], t("download_pptx"), logged("deck", lambda: story_pptx(story)), f"{stem}.pptx", PPTX)
    elif explain_missing:
        columns[-1].warning(t("no_browser", detail=missing))


def story_view(story, key: str) -> None:
    """The client story in order, as the Present page and a client's link show it."""
    t = translator(story.lang)
    head = st.columns([5, 1])
    head[0].title(literal(story.title))
    head[0].caption(literal(story.subtitle))
    if story.branding.logo:
        head[1].image(story.branding.logo)
    for column, (label, value) in zip(st.columns(len(story.headlines)), story.headlines, strict=True):
        column.metric(literal(label), literal(value))
    for section in story.sections:
        st.header(literal(section.title))
        if section.figure is None:  # no data to draw: the sentence says so, and no empty chart is drawn
            st.info(literal(section.takeaway), icon=":material/info:")
            continue
        st.markdown(f"**{literal(section.takeaway)}**")
        chart(section.figure, f"{key}_{section.key}")
        if section.table is not None and not section.table.empty:
            st.dataframe(display_table(section.table, story.lang, story.extras["currency"]), hide_index=True,
                         width="stretch", column_config=text_columns(section.table, story.lang))
    st.header(t("section_shortlist"))
    st.markdown(f"**{literal(story.extras['shortlist_line'])}**")
    st.dataframe(display_table(story.shortlist, story.lang, story.extras["currency"]), hide_index=True,
                 width="stretch", column_config=text_columns(story.shortlist, story.lang))
    fees_note = f"* {t('fee_estimated')}" if "fee" in story.shortlist else ""
    st.caption(literal(" ".join(filter(None, [story.shortlist_note, fees_note]))))
    st.header(t("section_method"))
    for line in story.method:
        st.markdown(f"- {literal(line)}")

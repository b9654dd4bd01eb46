"""Roster: upload, where the data came from, how columns were mapped, what was read and rejected."""

import json

import streamlit as st

from tiers.analysis.creators import creator_counts
from tiers.analysis.filters import row_columns
from tiers.presenting.export import classified_table, to_safe_csv
from tiers.presenting.i18n import format_count, format_units, said, translator
from tiers.presenting.markdown import literal
from tiers.reading.checking import Reading, check_roster, problem_text, with_role
from tiers.reading.columns import FIELDS, PLATFORM_OF_ALL, ambiguous_fields, repeated_headers
from tiers.reading.read import ALL_SHEETS, RawTable, RosterError
from tiers.reading.roster import has_followers
from ui.results import read_as_results, uploaded_posts_hint
from ui.state import (
    choose_sheet,
    current,
    guard_entry,
    is_read,
    lang,
    made,
    open_upload,
    raw_table,
    roles_read,
    set_mapping,
    sheet_layout,
    source,
    widget_key,
)
from ui.widgets import download, mapping_editor, paged_table


def _cached_reading(src, roster) -> Reading | None:
    """The reading of a file this server has read already (its cells are cached), else none."""
    if not is_read(src, roster.sheet):
        return None
    return roles_read(src, raw_table(src, roster.sheet))


def _use(headers: tuple[str, ...], mapping: dict[str, str], sheet: str | None) -> None:
    """A runner-up taken: the new mapping, and the mapping's selectboxes shown afresh from it."""
    set_mapping(headers, mapping)
    for field in FIELDS:
        st.session_state.pop(widget_key(f"map_{field}_{sheet}"), None)


guard_entry(__file__)
if "_runner_up" in st.session_state:  # a runner-up taken on the last run: applied before the mapping's widgets
    _use(*st.session_state.pop("_runner_up"))
t = translator(lang())
st.header(t("page_roster"))
open_upload(st.file_uploader(t("upload"), type=["csv", "tsv", "txt", "xlsx", "xlsm", "xls", "ods"], key="upload"))
src = source()
if src.is_sample:
    st.info(t("using_sample"), icon=":material/info:")
try:
    raw = sheet_layout()
except RosterError as error:
    st.error(t("read_error", message=literal(said(error, lang()))))
    st.stop()

if raw.sheet == ALL_SHEETS:
    where = t("roster_all_sheets", sheets=literal(", ".join(raw.roster_sheets)))
elif raw.sheet:
    where = t("roster_sheet_header", sheet=literal(raw.sheet), row=raw.header_row)
else:
    where = t("roster_header", row=raw.header_row)
st.caption(f"{t('roster_file', name=literal(src.name))} · {where}")
if (posts := uploaded_posts_hint()) is not None:  # a sheet of posts uploaded as a roster
    st.warning(t("roster_looks_like_posts", accounts=format_count(posts.accounts, lang()),
                 rows=format_count(posts.rows, lang()), column=literal(posts.column)), icon=":material/campaign:")
    if st.button(t("roster_read_as_results"), key="read_as_results", type="primary"):
        read_as_results()
for key, values in raw.notes:
    st.info(t(key, **{name: literal(value) for name, value in values.items()}), icon=":material/build:")
if len(raw.sheets) > 1:
    others = [name for name in raw.roster_sheets if name != raw.sheet]
    if others and raw.sheet != ALL_SHEETS:
        st.warning(t("other_roster_sheets", sheets=literal(", ".join(others)), sheet=literal(raw.sheet)),
                   icon=":material/tab:")
    options = [ALL_SHEETS, *raw.sheets] if len(raw.roster_sheets) > 1 else list(raw.sheets)
    picked = st.selectbox(t("sheet"), options, index=options.index(raw.sheet), key=widget_key("sheet"),
                          format_func=lambda name: t("all_roster_sheets", count=len(raw.roster_sheets))
                          if name == ALL_SHEETS else name)
    if picked != raw.sheet:
        choose_sheet(picked)
        st.rerun()

chosen = st.session_state["mapping"]
ambiguous = {f: names for f, names in ambiguous_fields(raw.headers).items()
             if f in ("followers", "handle", "platform")}
for field, names in ambiguous.items():
    st.warning(t("mapping_ambiguous", field=t(f"field_{field}"), headers=literal(", ".join(names)),
                 chosen=literal(chosen.get(field, ""))))
repeated = repeated_headers(raw.headers, chosen)
for field, header, columns in repeated:
    st.warning(t("mapping_repeated", count=len(columns), header=literal(columns[0]),
                 columns=literal(", ".join(columns)),
                 field=t(f"field_{field.split('@')[0]}"), chosen=literal(header)))
with st.expander(t("mapping_title"), expanded=not has_followers(chosen) or bool(ambiguous) or bool(repeated)):
    st.caption(t("mapping_help"))
    edited = mapping_editor(raw, chosen, "map")
    if edited is not None:
        set_mapping(raw.headers, edited)
        st.rerun()
    # The runner-ups come from the file's cells: offered when it was read in this server, never read again for
    # them (a reopened analysis shows its stored roster without parsing its file).
    reading = roles_read(src, raw) if isinstance(raw, RawTable) else _cached_reading(src, raw)
    swaps = {field: header for field, header in (reading.runner_up if reading else {}).items()
             if field in chosen and header != chosen[field] and header in raw.headers}
    if swaps:  # a wrong guess is one click away
        st.caption(t("mapping_runner_up_help"))
        buttons = st.columns(3)
        for i, (field, header) in enumerate(swaps.items()):
            if buttons[i % 3].button(t("mapping_runner_up", header=literal(header), field=t(f"field_{field}").lower()),
                                     key=widget_key(f"runner_up_{field}_{raw.sheet}")):
                st.session_state["_runner_up"] = (tuple(raw.headers), with_role(chosen, field, header), raw.sheet)
                st.rerun()
    download(st, t("download_mapping"), json.dumps(chosen, indent=2, ensure_ascii=False).encode(),
             "tierscope-mapping.json", "application/json")

ctx = current()
said = reading.switched if reading and {f: h for f, h in chosen.items() if f in reading.mapping} == reading.mapping \
    else ()
for problem in said:
    st.info(literal(problem_text(problem, lang())), icon=":material/swap_horiz:")
problems = check_roster(ctx.roster)
if problems:  # before any table: what looks wrong in this reading, and which column to check
    title = t("reading_check_title")
    lines = [f"- {literal(problem_text(problem, lang()))}" for problem in problems]
    st.error("\n".join([f"**{title}**", *lines]), icon=":material/rule:")
if not any("@" in k for k in chosen) and not chosen.get("platform"):
    every = chosen.get(PLATFORM_OF_ALL, "other")
    named = t(f"platform_{every}")
    st.info(t("platform_unknown_note") if every == "other" else t("platform_of_all_note", platform=named),
            icon=":material/devices:")
if ctx.roster.header_units:
    st.info(t("header_units", columns=literal(format_units(ctx.roster.header_units, lang()))),
            icon=":material/straighten:")
counts = ctx.roster.counts
metrics = st.columns(4)
metrics[0].metric(t("count_read"), format_count(counts["read"], lang()))
metrics[1].metric(t("count_ok"), format_count(counts["ok"], lang()))
metrics[2].metric(t("count_rejected"), format_count(counts["rejected"], lang()))
metrics[3].metric(t("count_not_creators"), format_count(counts["blank"] + counts["total"], lang()))

stated = ctx.all_creators[ctx.all_creators["tier_stated"].notna()] if "tier_stated" in ctx.all_creators else None
if stated is not None and not stated.empty:
    differ = stated[stated["tier_stated"] != stated["tier"]]
    column = ctx.roster.mapping.get("tier_stated", "")
    if differ.empty:
        st.success(t("tier_stated_agree", column=column, scheme=ctx.scheme.name))
    else:
        st.warning(t("tier_stated_disagree", count=format_count(len(differ), lang()), column=column,
                     scheme=ctx.scheme.name), icon=":material/compare_arrows:")
        paged_table(differ[[*row_columns(differ), "handle", "name", "platform", "followers", "tier_stated", "tier"]],
                    key="tier_stated_page", ctx=ctx)

stem = src.name.rsplit(".", 1)[0]
st.subheader(t("rejected_title"))
rejected = ctx.roster.rejected
if rejected.empty:
    st.success(t("rejected_none"))
else:
    shown = rejected[[*row_columns(rejected), "handle", "name", "platform", "reason"]]
    paged_table(shown, key="rejected_page", ctx=ctx)
    download(st, t("download_rejected"), lambda: to_safe_csv(rejected, excel_bom=True), f"{stem}-rejected.csv",
             "text/csv")

warned = ctx.roster.ok[ctx.roster.ok["warning"].notna()]
if not warned.empty:
    st.subheader(t("warnings_title", count=format_count(len(warned), lang())))
    st.caption(t("warnings_help"))
    paged_table(warned[[*row_columns(warned), "handle", "name", "platform", "warning"]], key="warnings_page", ctx=ctx)

st.subheader(t("table_title"))
people = made(ctx, "creator_counts", lambda: creator_counts(ctx.creators))
if people["several"]:
    st.caption(t("creator_counts", accounts=format_count(people["accounts"], lang()),
                 creators=format_count(people["creators"], lang()), several=format_count(people["several"], lang())))
table = ctx.creators[[*row_columns(ctx.creators), "handle", "name", "creator", "platform", "followers", "tier",
                      "engagement_rate", "verdict", "fee", "fee_estimated", "niche", "city"]]
paged_table(table, key="creators_page", ctx=ctx)
download(st, t("download_classified"), lambda: to_safe_csv(classified_table(ctx.analysed), excel_bom=True),
         f"{stem}-{ctx.scheme.id}.csv", "text/csv")

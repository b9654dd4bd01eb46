"""Saved work: every analysis by client, newest first, with search; open, rename, duplicate, export,
delete; import an analysis exported elsewhere."""

import streamlit as st

from tiers.presenting.i18n import format_moment, translator
from tiers.presenting.markdown import literal
from tiers.storage.analysis import by_client
from tiers.storage.archive import SUFFIX, ArchiveError
from ui.state import QUERY, guard_entry, lang, show_sample, store
from ui.widgets import download

guard_entry(__file__)
t = translator(lang())
st.header(t("page_work"))
db = store()
if db is None:
    st.stop()  # app.py has said why
st.caption(t("work_location", location=literal(db.location)))
state = st.session_state
opened = state.get("analysis")

upload = st.file_uploader(t("work_import"), type=[SUFFIX.lstrip(".")], key="work_import")
if upload is not None and state.get("_imported") != upload.file_id:
    try:
        imported = db.import_archive(upload.getvalue(), upload.name)
    except ArchiveError as error:
        st.error(t("work_import_error", message=literal(error)))
    else:
        state["_imported"] = upload.file_id
        st.success(t("work_imported", name=literal(imported.name)))

search = st.text_input(t("work_search"), key="work_search")
groups = by_client(db.list(search))
if not groups:
    st.info(t("work_no_match", search=literal(search)) if search else t("work_none"))

for client, items in groups:
    st.subheader(literal(client) if client else t("work_no_client"))
    for item in items:
        with st.container(border=True):
            about, open_it, duplicate, export = st.columns([6, 1, 1, 1], vertical_alignment="center")
            is_open = opened is not None and opened.id == item.id
            about.markdown(f"**{literal(item.name)}**" + (f" · *{t('work_is_open')}*" if is_open else ""))
            about.caption(t("work_line", file=literal(item.file_name), when=format_moment(item.updated_at, lang()))
                          + (f" · {t('work_by', who=literal(item.updated_by))}" if item.updated_by else ""))
            if open_it.button(t("work_open"), key=f"open_{item.id}", type="primary"):
                st.switch_page("pages/roster.py", query_params={QUERY: item.id})
            if duplicate.button(t("work_duplicate"), key=f"duplicate_{item.id}"):
                db.duplicate(item.id)
                st.rerun()
            download(export, t("work_export"), lambda i=item.id: db.export(i), f"{item.name}{SUFFIX}",
                     "application/zip", key=f"export_{item.id}", help=t("work_export_help"))
            with st.expander(t("work_manage")):
                name = st.text_input(t("work_name"), item.name, key=f"name_{item.id}")
                left, right = st.columns(2)
                if left.button(t("work_rename"), key=f"rename_{item.id}") and name.strip() != item.name:
                    db.rename(item.id, name)
                    if is_open:
                        state["analysis"] = db.get(item.id)
                    st.rerun()
                if right.button(t("work_delete"), key=f"delete_{item.id}"):
                    state["_confirm_delete"] = item.id
                if state.get("_confirm_delete") == item.id:
                    st.warning(t("work_delete_confirm", name=literal(item.name)))
                    yes, no = st.columns(2)
                    if yes.button(t("work_delete_yes"), key=f"delete_yes_{item.id}", type="primary"):
                        db.delete(item.id)
                        del state["_confirm_delete"]
                        if is_open:
                            show_sample()
                        st.rerun()
                    if no.button(t("work_cancel"), key=f"delete_no_{item.id}"):
                        del state["_confirm_delete"]
                        st.rerun()

"""Over time: the rosters of the analysis at their dates, and what changed between two of them."""

import pandas as pd
import streamlit as st

from tiers.analysis.changes import CHANGE_FLAGS, change_summary, find_accounts, growth_by_tier, tier_flow
from tiers.analysis.flags import flag_text, rule_text
from tiers.presenting import charts
from tiers.presenting.export import changes_table, to_safe_csv
from tiers.presenting.i18n import format_count, format_date, format_percent, said, translator
from tiers.presenting.markdown import literal
from tiers.reading.read import RosterError
from ui.history import (
    add_snapshot,
    changes,
    compared,
    history,
    read_snapshot,
    remove_snapshot,
    set_compare,
    set_date,
    set_declined,
    set_snapshot_mapping,
    shared_dates,
    snapshots,
)
from ui.state import current, guard_entry, lang, raw_table, widget_key
from ui.widgets import chart, download, mapping_editor, paged_table, shown_table, text_columns

guard_entry(__file__)
t = translator(lang())
ctx = current()
st.header(t("page_changes"))
st.caption(t("changes_intro"))

st.subheader(t("snapshots_title"))
for snapshot in snapshots():
    with st.container(border=True):
        name, when, action = st.columns([5, 2, 1], vertical_alignment="bottom")
        name.markdown(f"**{literal(snapshot.source.name)}**" + (f" · {t('snapshot_main')}" if snapshot.is_main else ""))
        picked = when.date_input(t("snapshot_date"), snapshot.date, key=widget_key(f"date_{snapshot.id}"),
                                 format="DD/MM/YYYY" if lang() == "id" else "YYYY-MM-DD")
        if picked != snapshot.date:
            set_date(snapshot.id, picked)
            st.rerun()
        if not snapshot.is_main and action.button(t("snapshot_remove"), key=widget_key(f"remove_{snapshot.id}")):
            remove_snapshot(snapshot.id)
            st.rerun()
        try:
            counts = read_snapshot(snapshot)[1].counts
            name.caption(t("snapshot_counts", ok=format_count(counts["ok"], lang()),
                           rejected=format_count(counts["rejected"], lang())))
        except RosterError as error:
            st.error(t("snapshot_unreadable", name=literal(snapshot.source.name), message=literal(said(error, lang()))))
        if snapshot.is_main:
            continue  # its columns are corrected on the Roster page
        with st.expander(t("snapshot_columns", name=literal(snapshot.source.name))):
            edited = mapping_editor(raw_table(snapshot.source, snapshot.sheet), snapshot.mapping, f"snap_{snapshot.id}")
            if edited is not None:
                set_snapshot_mapping(snapshot.id, edited)
                st.rerun()

upload = st.file_uploader(t("snapshot_add"), type=["csv", "tsv", "txt", "xlsx", "xlsm", "xls", "ods"],
                          key="snapshot_upload")
problem = add_snapshot(upload)
if problem:
    st.error(t("read_error", message=literal(problem)))

pair = compared()
if pair is None:
    st.info(t("snapshots_one"), icon=":material/history:")
    st.stop()

found = snapshots()
labels = {s.id: f"{format_date(s.date, lang())} · {s.source.name}" for s in found}
for day, sharing in shared_dates(found).items():  # the dates say which roster came first: two cannot share one
    st.warning(t("snapshots_same_date", date=format_date(day, lang()), names=", ".join(s.source.name for s in sharing)),
               icon=":material/event_busy:")
ids = list(labels)
left, right = st.columns(2)
shown = f"compare_{pair[0].id}_{pair[1].id}"  # new widgets when the pair changes elsewhere (a date, a removal)
before_id = left.selectbox(t("compare_before"), ids, index=ids.index(pair[0].id), format_func=labels.get,
                           key=widget_key(f"{shown}_before"))
after_id = right.selectbox(t("compare_after"), ids, index=ids.index(pair[1].id), format_func=labels.get,
                           key=widget_key(f"{shown}_after"))
if (before_id, after_id) != (pair[0].id, pair[1].id):
    if before_id == after_id:
        st.warning(t("compare_same"))
        st.stop()
    set_compare(before_id, after_id)
    st.rerun()

try:
    before, after, result = changes(ctx.scheme)
except RosterError as error:
    st.error(t("read_error", message=literal(said(error, lang()))))
    st.stop()
accounts = result.accounts
totals = change_summary(accounts)
since, until = format_date(before.date, lang()), format_date(after.date, lang())
if totals["kept"] == 0 and totals["new"] and totals["dropped"]:  # the same creators read from different columns?
    def identity(snapshot):
        return snapshot.mapping.get("handle") or snapshot.mapping.get("name") or t("mapping_none")

    st.warning(t("changes_none_in_common", before=before.source.name, before_column=identity(before),
                 after=after.source.name, after_column=identity(after)), icon=":material/link_off:")

metrics = st.columns(5)
metrics[0].metric(t("metric_kept"), format_count(totals["kept"], lang()))
metrics[1].metric(t("metric_new"), format_count(totals["new"], lang()))
metrics[2].metric(t("metric_dropped"), format_count(totals["dropped"], lang()))
metrics[3].metric(t("metric_moved"), f"{format_count(totals['moved_up'], lang())} / "
                                     f"{format_count(totals['moved_down'], lang())}")
reach_change = totals["followers_after"] / totals["followers_before"] - 1 if totals["followers_before"] else None
metrics[4].metric(t("metric_reach"), format_count(totals["followers_after"], lang()),
                  delta=format_percent(reach_change, lang()) if reach_change is not None else None)

st.subheader(t("flagged_title") + f" ({format_count(totals['flagged'], lang())})")
flagged = accounts[accounts[list(CHANGE_FLAGS)].any(axis=1)]
if flagged.empty:
    st.success(t("flagged_none"))
else:
    paged_table(flagged.assign(flag=flag_text(flagged[list(CHANGE_FLAGS)], lang()))[
        ["handle", "name", "platform", "followers_before", "followers_after", "growth", "er_before", "er_after",
         "tier_before", "tier_after", "flag"]], key="flagged_page")
with st.expander(t("flag_rules")):
    for rule in CHANGE_FLAGS:
        st.markdown(f"- {rule_text(rule, lang())}")

platforms = sorted(accounts["platform"].unique())
platform = st.segmented_control(t("flow_platform"), [None, *platforms], default=None, key="flow_platform",
                                format_func=lambda p: t("all_platforms") if p is None else t(f"platform_{p}"))
chart(charts.tier_flow_figure(tier_flow(accounts, platform), ctx.scheme, t, since, until, platform), "tier_flow")
by_tier = growth_by_tier(accounts)
if not by_tier.empty:
    chart(charts.growth_tier_figure(by_tier, ctx.scheme, t), "growth_by_tier")

st.subheader(t("accounts_title"))
paged_table(accounts[["handle", "name", "platform", "followers_before", "followers_after", "growth", "tier_before",
                      "tier_after", "move", "change", "er_before", "er_after", "matched_by"]], key="accounts_page")
download(st, t("download_changes"), lambda: to_safe_csv(changes_table(accounts, lang()), excel_bom=True),
         f"tierscope-changes-{before.date}-{after.date}.csv", "text/csv")

declined = st.session_state.get("declined_matches", [])
by_name = result.name_matches
if not by_name.empty or declined:
    st.subheader(t("name_matches_title", count=format_count(len(by_name), lang())))
    st.caption(t("name_matches_help"))
    columns = ["name", "handle", "platform", "followers_before", "followers_after"]
    shown = pd.concat([by_name[["match"]], shown_table(by_name[columns])], axis=1).assign(same=True)
    edited = st.data_editor(shown, hide_index=True, key=widget_key(f"name_matches_{len(declined)}"),
                            column_config={"match": None, "same": t("same_account"), **text_columns(by_name[columns])},
                            disabled=[c for c in shown.columns if c != "same"])
    said_no = edited.loc[~edited["same"].astype(bool), "match"].tolist()
    if said_no:
        set_declined([*declined, *said_no])
        st.rerun()
    if declined and st.button(t("name_matches_reset"), key=widget_key("name_matches_reset")):
        set_declined([])
        st.rerun()

if not result.ambiguous.empty:
    st.subheader(t("ambiguous_title", count=format_count(len(result.ambiguous), lang())))
    st.caption(t("ambiguous_help"))
    st.dataframe(shown_table(result.ambiguous).rename(columns={"rows_before": t("rows_before"),
                                                               "rows_after": t("rows_after")}), hide_index=True)

st.subheader(t("history_title"))
every = history()
search = st.text_input(t("history_search"), key="history_search")
if search:
    latest = find_accounts(every, search)
    if latest.empty:
        st.info(t("history_none", search=literal(search)))
    else:
        options = latest["account"].tolist()
        names = {a: f"@{h} · {t('platform_' + p)}" if pd.notna(h) else f"{n} · {t('platform_' + p)}"
                 for a, h, n, p in zip(latest["account"], latest["handle"], latest["name"], latest["platform"],
                                       strict=True)}
        picked = st.multiselect(t("history_pick"), options, default=options[:1], format_func=names.get,
                                placeholder=t("choose_creators"),
                                key="history_pick")
        if picked:
            chart(charts.follower_history_figure(every[every["account"].isin(picked)], t, lang()), "history")

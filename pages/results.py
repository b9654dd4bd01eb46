"""Campaign results: the open analysis's results sheet (one row per post), kept with the analysis; what each
tier delivered, against the norm band and the plan."""

import streamlit as st

from tiers.analysis.results import DEFINITIONS, not_posted, posts_table, tiers_table, unmatched_posts
from tiers.presenting import results_charts
from tiers.presenting.export import to_safe_csv
from tiers.presenting.i18n import format_count, format_money, format_percent, said, translator
from tiers.presenting.markdown import literal
from tiers.reading.read import RosterError
from ui.results import HANDED, add_results, open_campaign, remove_results
from ui.state import current, guard_entry, lang
from ui.widgets import chart, download, paged_table

SHOWN = ["tier", "creators", "posts", "views", "reach", "engagements", "fees", "cpe", "cpv", "cpm", "er_followers",
         "er_views", "conversions", "cost_per_conversion", "revenue", "roas", "emv", "emv_roi"]


def table(frame, key: str) -> None:
    paged_table(frame.rename(columns=results_charts.LABELS), key)


guard_entry(__file__)
t = translator(lang())
ctx = current()
st.header(t("page_results"))
st.caption(t("results_intro"))

upload = st.file_uploader(t("results_upload"), type=["csv", "tsv", "txt", "xlsx", "xlsm", "xls", "ods"],
                          key="results_upload")
handed = st.session_state.pop(HANDED, None)  # a sheet of posts uploaded on the Roster page
offered = (upload.file_id, upload.name, upload.getvalue()) if upload is not None else \
    (f"handed:{handed[0]}", *handed) if handed else None
if offered and st.session_state.get("_added_results") != offered[0]:
    st.session_state["_added_results"] = offered[0]
    problem = add_results(offered[1], offered[2])
    if problem:
        st.error(t("read_error", message=literal(said(problem, lang()))))
try:
    found = open_campaign(ctx)
except RosterError as error:
    st.error(t("read_error", message=literal(said(error, lang()))))
    found = None
if found is None:
    st.info(t("results_none"), icon=":material/campaign:")
    st.stop()
campaign = found[1]
figures, summary = campaign.figures, campaign.summary

counts = campaign.counts
matched = int(figures["roster_row"].notna().sum())
st.markdown(t("results_counts", file=literal(campaign.file_name), read=format_count(counts["read"], lang()),
              ok=format_count(counts["ok"], lang()), rejected=format_count(counts["rejected"], lang()),
              other=format_count(counts["blank"] + counts["total"], lang()), matched=format_count(matched, lang())))
if campaign.packages:
    st.caption(t("results_packages", count=format_count(campaign.packages, lang())))
kept = st.columns([4, 1], vertical_alignment="center")
kept[0].caption(t("results_kept"))
if kept[1].button(t("results_remove"), key="results_remove"):
    remove_results()
    st.rerun()

overall = summary[summary["platform"] == "all"]
currency = campaign.currency
headline = st.columns(4)
totals = overall[["posts", "engagements", "fees", "emv"]].sum(min_count=1)
headline[0].metric(t("field_posts"), format_count(totals["posts"], lang()))
headline[1].metric(t("field_post_engagements"), format_count(totals["engagements"], lang()))
headline[2].metric(t("field_fees"), format_money(totals["fees"], currency, lang()))
headline[3].metric(t("field_emv"), format_money(totals["emv"], currency, lang()), help=t("results_emv_estimate"))

st.subheader(t("results_by_tier"))
columns = [c for c in SHOWN if overall[c].notna().any() or c in ("tier", "posts")]
table(overall[columns], "results_tiers")
with st.expander(t("results_by_tier_platform")):
    table(summary[summary["platform"] != "all"][["platform", *columns]], "results_tier_platform")
emv_set = campaign.emv_set
st.caption(t("results_emv_source", name=emv_set.text("name", lang()), source=emv_set.text("source", lang()),
             year=emv_set.year))
with st.expander(t("results_definitions"), expanded=True):
    st.markdown("\n".join(f"- {t(key)}" for key in DEFINITIONS.values()))

st.subheader(t("results_vs_norms", norms=ctx.norms.name))
delivered = campaign.delivered
table(delivered.rename(columns={"er": "er_vs_norm"}), "results_norms")
for row in delivered[delivered["verdict"].isin(["below", "within", "above"])].itertuples():
    st.markdown(t(f"results_verdict_{row.verdict}", tier=t(f"tier_{row.tier}"), er=format_percent(row.er, lang()),
                  low=format_percent(row.norm_low, lang()), high=format_percent(row.norm_high, lang())))

st.subheader(t("results_vs_plan"))
versus = campaign.versus
if campaign.planned:
    table(versus, "results_plan")
else:
    st.info(t("results_no_plan"))
left, right = st.columns(2)
with left:
    chart(results_charts.cpe_by_tier(versus, t, currency), "results_cpe")
with right:
    chart(results_charts.shares_by_tier(summary, t), "results_shares")
chart(results_charts.best_and_worst(figures, t), "results_posts")

st.subheader(t("results_posts"))
table(figures[figures["status"] == "ok"][["source_row", "platform", "handle", "name", "tier", "followers",
                                                "views", "engagements", "er_followers", "er_views", "fee",
                                                "emv", "matched_by"]], "results_post_rows")
rejected = figures[(figures["status"] == "rejected") & (figures["row_kind"] == "post")]
if not rejected.empty:
    with st.expander(t("results_rejected", count=format_count(len(rejected), lang()))):
        table(rejected[["source_row", "handle", "name", "reason"]], "results_rejected")
lost = unmatched_posts(figures)
if not lost.empty:
    with st.expander(t("results_unmatched", count=format_count(len(lost), lang()))):
        table(lost[["source_row", "platform", "handle", "name"]], "results_unmatched")
never = not_posted(ctx.analysed, figures, None if not campaign.planned else campaign.chosen)
if not never.empty:
    with st.expander(t("results_not_posted", count=format_count(len(never), lang()))):
        table(never[["platform", "handle", "name", "tier"]], "results_not_posted")

downloads = st.columns(2)
download(downloads[0], t("results_download_posts"), to_safe_csv(posts_table(figures), excel_bom=True), "posts.csv",
         "text/csv")
download(downloads[1], t("results_download_tiers"), to_safe_csv(tiers_table(summary), excel_bom=True), "tiers.csv",
         "text/csv")

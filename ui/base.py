"""The Creator base page's shell: which base (the bundled generated demo base, or a folder the
server's TIERSCOPE_BASE_DIRS names; never a path typed in the browser), which snapshot, and drawing
the aggregates of tiers.engines.base, which are computed once per base content and kept in its cache
folder (TIERSCOPE_BASE_CACHE). Creators drawn from the base become an ordinary analysis."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pandas as pd
import streamlit as st

from tiers.analysis.engagement import NormSet
from tiers.analysis.schemes import TierScheme
from tiers.engines.base import (
    CACHE_VERSION,
    RANKINGS,
    Base,
    BaseCache,
    Snapshot,
    allowed_folders,
    open_base,
    roster_csv,
)
from tiers.engines.demo import generate_base
from tiers.presenting import base_charts, charts
from tiers.presenting.i18n import format_count, translator
from tiers.presenting.markdown import literal
from tiers.reading.read import RosterError
from ui.state import lang, open_file, settings
from ui.widgets import chart, shown_table, text_columns

BASE_DIRS = "TIERSCOPE_BASE_DIRS"  # the folders (separated by the path separator) this server offers as bases
MEMORY_SETTING = "TIERSCOPE_BASE_MEMORY_LIMIT"  # DuckDB's memory limit while computing (default 2GB)
DEMO = ""  # the choice naming the bundled demo base
DEMO_ROWS = 100_000  # creators per month of the demo base
MAX_SHORTLIST = 500
# One computation at a time in this server process: each is given the whole memory limit.
_COMPUTING = threading.Lock()


def base_cache() -> BaseCache:
    """The cache folder and memory limit as the server's settings say now (a small object: no state)."""
    return BaseCache(memory_limit=os.environ.get(MEMORY_SETTING) or "2GB")


def demo_folder() -> Path:
    """The demo base: two generated months (seeded), made once in the cache folder."""
    folder = base_cache().folder / f"demo-{CACHE_VERSION}-{DEMO_ROWS}"
    with _COMPUTING:
        if not folder.is_dir():
            partial = folder.with_name(f".{folder.name}.{os.getpid()}.partial")
            shutil.rmtree(partial, ignore_errors=True)
            generate_base(partial, DEMO_ROWS)
            partial.rename(folder)
    return folder


def base_choices() -> list[str]:
    return [DEMO, *(str(p) for p in allowed_folders(os.environ.get(BASE_DIRS)))]


def _summaries(base: Base, snapshot: Snapshot, scheme: TierScheme, norms: NormSet) -> dict[str, pd.DataFrame]:
    with _COMPUTING:
        return base_cache().summaries(base, snapshot, scheme, norms)


def _flow(base: Base, before: Snapshot, after: Snapshot, scheme: TierScheme, norms: NormSet) -> pd.DataFrame:
    with _COMPUTING:
        return base_cache().changes(base, before, after, scheme, norms)


def _chosen(frame: pd.DataFrame, platform: str | None, country: str | None) -> pd.DataFrame:
    keep = pd.Series(True, index=frame.index)
    if platform:
        keep &= frame["platform"] == platform
    if country and "country" in frame:
        keep &= frame["country"] == country
    return frame[keep]


def filled_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """The columns holding anything: a base without names (or countries) shows no empty column."""
    blank = frame.isna() | frame.astype("str").apply(lambda c: c.str.strip() == "")
    return frame.loc[:, ~blank.all()]


def _table(frame: pd.DataFrame) -> None:
    st.dataframe(shown_table(frame, "IDR"), hide_index=True, width="stretch", column_config=text_columns(frame))


def base_page() -> None:
    t = translator(lang())
    st.header(t("base_title"))
    st.caption(t("base_help", setting=BASE_DIRS))
    chosen = st.selectbox(t("base_choose"), base_choices(), key="base_choice",
                          format_func=lambda c: t("base_demo") if c == DEMO else literal(c))
    try:
        with st.spinner(t("base_opening")):
            base = open_base(Path(chosen) if chosen else demo_folder(), None if chosen else t("base_demo"))
    except (RosterError, OSError) as error:
        st.error(t("base_error", message=literal(error)))
        st.stop()
    scheme, norms = settings()
    names = [s.name for s in base.snapshots]
    picked = st.selectbox(t("base_snapshot"), names, index=len(names) - 1, key=f"base_snapshot_{chosen}",
                          format_func=literal)
    snapshot = base.snapshots[names.index(picked)]
    try:
        with st.spinner(t("base_computing")):
            summaries = _summaries(base, snapshot, scheme, norms)
    except (RosterError, OSError) as error:
        st.error(t("base_error", message=literal(error)))
        st.stop()
    distribution, counts = summaries["distribution"], summaries["counts"]
    ok = int(counts.loc[counts["status"] == "ok", "rows"].sum())
    rejected = counts[counts["status"] != "ok"]
    platforms = sorted(distribution["platform"].dropna().unique())
    countries = sorted(distribution["country"].dropna().unique())
    columns = st.columns(4)
    columns[0].metric(t("base_creators"), format_count(ok, lang()))
    columns[1].metric(t("base_rejected"), format_count(int(rejected["rows"].sum()), lang()))
    columns[2].metric(t("base_platforms"), format_count(len(platforms), lang()))
    columns[3].metric(t("base_countries"), format_count(len(countries), lang()))
    if not rejected.empty:
        with st.expander(t("base_rejected_why")):
            _table(rejected[["reason", "rows"]].sort_values("rows", ascending=False))
    if not ok:
        st.warning(t("base_no_creators"))
        st.stop()

    left, right = st.columns(2)
    platform = left.selectbox(t("field_platform"), [None, *platforms], key="base_platform",
                              format_func=lambda p: t("compare_all") if p is None else t(f"platform_{p}"))
    country = None
    if countries:
        country = right.selectbox(t("field_country"), [None, *countries], key="base_country",
                                  format_func=lambda c: t("compare_all") if c is None else literal(c))
    shown = _chosen(distribution, platform, country)

    st.subheader(t("base_tiers_title"))
    chart(charts.tier_share_figure(base_charts.tier_summary(shown, scheme), scheme, t), "base_tier_share")
    measure = st.segmented_control(t("measure"), ["creators", "followers", "expected_engagements"],
                                   default="creators", format_func=lambda m: t(f"measure_{m}"), key="base_measure")
    chart(base_charts.platform_tier_figure(shown, scheme, t, measure or "creators"), "base_tier_platform")

    st.subheader(t("base_er_title"))
    bands = summaries["bands"]
    chart(base_charts.er_band_figure(bands[bands["platform"] == (platform or "all")], scheme, norms, t), "base_bands")
    if country:
        st.caption(t("base_bands_all_countries"))
    chart(base_charts.verdict_figure(shown, scheme, norms, t), "base_verdicts")

    st.subheader(t("base_top_title"))
    top = _chosen(summaries["top"], platform, country)
    tiers = [tier for tier in scheme.tier_ids if tier in set(top["tier"])]
    if tiers:
        tier = st.segmented_control(t("field_tier"), tiers, default=tiers[-1], key="base_top_tier",
                                    format_func=lambda x: t(f"tier_{x}")) or tiers[-1]
        best = top[top["tier"] == tier].sort_values(["expected_engagements", "handle"], ascending=[False, True])
        _table(filled_columns(best.head(10)[["handle", "name", "platform", "country", "followers", "er_vs_norm",
                                             "verdict", "expected_engagements"]]))

    earlier = base.snapshots[:names.index(picked)]
    if earlier:
        st.subheader(t("base_changes_title"))
        since = st.selectbox(t("base_since"), [s.name for s in earlier], index=len(earlier) - 1,
                             key=f"base_since_{chosen}", format_func=literal)
        before = earlier[[s.name for s in earlier].index(since)]
        with st.spinner(t("base_computing")):
            flow = _flow(base, before, snapshot, scheme, norms)
        moved = _chosen(flow, platform, None).groupby(["source", "target"], as_index=False)[
            ["accounts", "spikes", "losses"]].sum()
        kept = moved[(moved["source"] != "new") & (moved["target"] != "dropped")]
        figures = {t("change_kept"): kept["accounts"].sum(),
                   t("change_new"): moved.loc[moved["source"] == "new", "accounts"].sum(),
                   t("change_dropped"): moved.loc[moved["target"] == "dropped", "accounts"].sum(),
                   t("base_flagged"): moved[["spikes", "losses"]].sum().sum()}
        for column, (label, value) in zip(st.columns(4), figures.items(), strict=True):
            column.metric(label, format_count(int(value), lang()))
        chart(charts.tier_flow_figure(moved, scheme, t, since, picked, platform), "base_flow")
        if country:
            st.caption(t("base_flow_all_countries"))

    st.subheader(t("base_shortlist_title"))
    st.caption(t("base_shortlist_help"))
    with st.form("base_shortlist"):
        left, middle, right = st.columns(3)
        tiers_chosen = left.multiselect(t("field_tier"), scheme.tier_ids, format_func=lambda x: t(f"tier_{x}"),
                                        placeholder=t("filter_all"))
        verdicts = middle.multiselect(t("field_verdict"), ["above", "within", "below"],
                                      format_func=lambda v: t(f"verdict_{v}"), placeholder=t("filter_all"))
        by = right.selectbox(t("base_rank_by"), RANKINGS, format_func=lambda c: t(f"field_{c}"))
        n = st.number_input(t("base_shortlist_size"), 1, MAX_SHORTLIST, 50, step=10)
        drawn = st.form_submit_button(t("base_shortlist_open"), type="primary")
    if drawn:
        with _COMPUTING:
            creators = base_cache().shortlist(
                base, snapshot, scheme, norms, platforms=[platform] if platform else [],
                countries=[country] if country else [], tiers=tiers_chosen, verdicts=verdicts, by=by, n=int(n))
        if creators.empty:
            st.warning(t("base_shortlist_none"))
            return
        open_file(f"{base.name} {snapshot.name} shortlist.csv", roster_csv(creators))
        st.switch_page("pages/roster.py", query_params=st.query_params.to_dict())

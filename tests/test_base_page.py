"""The Creator base page and its aggregates (tiers.engines.base): each aggregate against the same
figures computed with pandas from the rows `classify --engine duckdb` writes, the cache keyed on the
files' content, a classified snapshot read as a raw one, the page in AppTest (only the folders the
server names, every chart, a shortlist drawn into an analysis) and its rerun settling quickly."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from streamlit.testing.v1 import AppTest

from tiers.analysis.changes import tier_flow
from tiers.analysis.engagement import get_norm_set
from tiers.analysis.schemes import get_scheme
from tiers.engines import base as bases
from tiers.engines.backends import duckdb_engine
from tiers.engines.base import CACHE_SETTING, TOP, BaseCache, open_base
from tiers.engines.demo import generate_base
from tiers.engines.plan import QUANTILES
from tiers.engines.run import changes_base, classify_base
from tiers.presenting.i18n import format_count, translator
from ui.base import BASE_DIRS

ROOT = Path(__file__).parents[1]
SCHEME, NORMS = "partipost", "partipost_2022"
ROWS = 12_000
t = translator("en")


@pytest.fixture(scope="module")
def base_folder(tmp_path_factory) -> Path:
    """Two generated months in files of 5,000 rows, the later with rows a careful reader rejects."""
    folder = generate_base(tmp_path_factory.mktemp("bases") / "acme", ROWS, chunk=5_000)
    first = pq.read_table(folder / "2026-12" / "part-0000.parquet").slice(0, 1).to_pylist()[0]
    pq.write_table(pa.table({"handle": ["zero", "elsewhere", first["handle"]],
                             "platform": ["instagram", "myspace", first["platform"]],
                             "followers": [0.0, 5_000.0, 7_000.0]}), folder / "2026-12" / "part-9999.parquet")
    return folder


@pytest.fixture()
def cache(tmp_path) -> BaseCache:
    return BaseCache(tmp_path / "cache", memory_limit="1GB")


@pytest.fixture(scope="module")
def classified(base_folder, tmp_path_factory) -> dict[str, pd.DataFrame]:
    """Every row of each month as `classify --engine duckdb` writes it (the expected figures' source)."""
    out, engine = tmp_path_factory.mktemp("classified"), duckdb_engine("1GB")
    rows = {}
    for month in ("2026-11", "2026-12"):
        classify_base(engine, str(base_folder / month), {}, get_scheme(SCHEME), get_norm_set(NORMS), out / month)
        rows[month] = engine.fetch(engine.written(f"{out / month}/creators")).to_pandas()
    engine.close()
    return rows


def _sorted(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    return frame.sort_values(keys).reset_index(drop=True)


def test_aggregates_are_the_rows_figures(base_folder, cache, classified):
    base = open_base(base_folder)
    assert [s.name for s in base.snapshots] == ["2026-11", "2026-12"]
    got = cache.summaries(base, base.snapshots[1], get_scheme(SCHEME), get_norm_set(NORMS))
    rows = classified["2026-12"].astype({"platform": "str", "tier": "object"})
    ok = rows[rows["status"] == "ok"]
    assert len(ok) == ROWS and len(rows) == ROWS + 3  # a handle's second row is rejected

    keys = ["platform", "country", "tier", "verdict"]
    grouped = ok.groupby(keys, dropna=False)
    expected = pd.DataFrame({"creators": grouped.size(), "followers": grouped["followers"].sum(),
                             "expected_engagements": grouped["expected_engagements"].sum()}).reset_index()
    ours = _sorted(got["distribution"].astype({"creators": "int64"}), keys)
    pd.testing.assert_frame_equal(ours[expected.columns], _sorted(expected, keys), check_dtype=False, rtol=1e-12)

    rated = ok[ok["er_vs_norm"].notna()]
    for platform, part in [*rated.groupby("platform"), ("all", rated)]:
        bands = got["bands"][got["bands"]["platform"] == platform].set_index("tier").sort_index()
        by_tier = part.groupby("tier")
        assert bands["rated"].to_dict() == by_tier.size().to_dict()
        for q in QUANTILES:
            np.testing.assert_allclose(bands[f"p{round(q * 100)}"], by_tier["er_vs_norm"].quantile(q), rtol=1e-12)
        np.testing.assert_allclose(bands["norm_low"], by_tier["norm_low"].median(), rtol=1e-12)

    ranked = ok.sort_values(["expected_engagements", "handle", "source_row"], ascending=[False, True, True])
    top = ranked.groupby(["platform", "country", "tier"], dropna=False).head(TOP)
    columns = ["platform", "country", "tier", "handle"]
    assert _sorted(got["top"][columns], columns).equals(_sorted(top[columns].astype(got["top"][columns].dtypes),
                                                                 columns))

    reasons = rows[rows["status"] != "ok"]["reason"].sort_values().tolist()
    counted = got["counts"][got["counts"]["status"] != "ok"].sort_values("reason")
    assert counted["reason"].tolist() == reasons and counted["rows"].tolist() == [1] * 3


def test_tier_flow_is_the_changes_commands(base_folder, cache, tmp_path):
    base = open_base(base_folder)
    got = cache.changes(base, *base.snapshots, get_scheme(SCHEME), get_norm_set(NORMS))
    engine = duckdb_engine("1GB")
    changes_base(engine, str(base_folder / "2026-11"), str(base_folder / "2026-12"), {}, get_scheme(SCHEME),
                 get_norm_set(NORMS), tmp_path / "changes")
    accounts = engine.fetch(engine.written(f"{tmp_path}/changes/accounts")).to_pandas()
    engine.close()
    expected = tier_flow(accounts.astype({"platform": "str"})).set_index(["source", "target"])["accounts"]
    ours = got.groupby(["source", "target"])["accounts"].sum()
    pd.testing.assert_series_equal(ours.astype(int).sort_index(), expected.astype(int).sort_index(), check_names=False)
    assert got["spikes"].sum() == accounts["follower_spike"].sum() > 0
    assert got["losses"].sum() == accounts["large_loss"].sum()


def test_aggregates_are_kept_per_content(base_folder, cache, monkeypatch, tmp_path):
    """Opened again, nothing is computed (DuckDB is not even started); a file changed, it is again."""
    base = open_base(base_folder)
    scheme, norms = get_scheme(SCHEME), get_norm_set(NORMS)
    first = cache.summaries(base, base.snapshots[0], scheme, norms)
    started = []
    real = BaseCache._engine
    monkeypatch.setattr(BaseCache, "_engine", lambda self: started.append(1) or real(self))
    again = cache.summaries(open_base(base_folder), base.snapshots[0], scheme, norms)
    assert not started
    assert all(first[name].equals(again[name]) for name in first)
    # the same month with one file rewritten (one creator fewer): another identity, computed afresh
    copy = tmp_path / "copy" / "2026-11"
    copy.mkdir(parents=True)
    for part in sorted((base_folder / "2026-11").glob("*.parquet")):
        pq.write_table(pq.read_table(part), copy / part.name)
    moved = cache.summaries(open_base(copy), open_base(copy).snapshots[0], scheme, norms)
    assert started and moved["counts"]["rows"].sum() == first["counts"]["rows"].sum()  # new mtimes: recomputed
    started.clear()
    last = sorted(copy.glob("*.parquet"))[-1]
    pq.write_table(pq.read_table(last).slice(1), last)
    fewer = cache.summaries(open_base(copy), open_base(copy).snapshots[0], scheme, norms)
    assert started and fewer["counts"]["rows"].sum() == first["counts"]["rows"].sum() - 1


def test_a_classify_output_opens_as_its_rows_do(base_folder, cache, tmp_path):
    """A month written by `classify --engine duckdb` is read again: the same aggregates as its source,
    and the rows rejected then are counted with their reasons."""
    engine = duckdb_engine("1GB")
    classify_base(engine, str(base_folder / "2026-12"), {}, get_scheme(SCHEME), get_norm_set(NORMS),
                  tmp_path / "out" / "2026-12")
    engine.close()
    scheme, norms = get_scheme(SCHEME), get_norm_set(NORMS)
    written = open_base(tmp_path / "out")
    assert [s.classified for s in written.snapshots] == [True]
    raw = open_base(base_folder)
    ours = cache.summaries(written, written.snapshots[0], scheme, norms)
    theirs = cache.summaries(raw, raw.snapshots[1], scheme, norms)
    keys = ["platform", "country", "tier", "verdict"]
    pd.testing.assert_frame_equal(_sorted(ours["distribution"], keys), _sorted(theirs["distribution"], keys))
    pd.testing.assert_frame_equal(_sorted(ours["counts"], ["status", "reason"]),
                                  _sorted(theirs["counts"], ["status", "reason"]))


def test_the_shortlist_is_the_first_ranked_and_reads_back_as_a_roster(base_folder, cache, classified):
    from tests.helpers import roster_of

    base = open_base(base_folder)
    drawn = cache.shortlist(base, base.snapshots[1], get_scheme(SCHEME), get_norm_set(NORMS), platforms=["tiktok"],
                            tiers=["micro", "mid"], verdicts=["above"], by="followers", n=25)
    rows = classified["2026-12"].astype({"platform": "str"})
    chosen = rows[(rows["status"] == "ok") & (rows["platform"] == "tiktok") & rows["tier"].isin(["micro", "mid"])
                  & (rows["verdict"] == "above")]
    expected = chosen.sort_values(["followers", "handle"], ascending=[False, True]).head(25)
    assert drawn["handle"].tolist() == expected["handle"].tolist()
    roster = roster_of(bases.roster_csv(drawn), "shortlist.csv")
    assert roster.counts["ok"] == 25 and roster.counts["rejected"] == 0
    assert roster.ok["followers"].tolist() == expected["followers"].tolist()
    assert roster.ok["likes"].tolist() == expected["likes"].tolist()


def test_only_the_named_folders_are_offered(monkeypatch, tmp_path):
    from ui.base import base_choices

    monkeypatch.setenv(BASE_DIRS, os.pathsep.join([str(tmp_path / "a"), str(tmp_path / "b")]))
    assert base_choices() == ["", str(tmp_path / "a"), str(tmp_path / "b")]  # "" is the demo base
    monkeypatch.delenv(BASE_DIRS)
    assert base_choices() == [""]


def _page(monkeypatch, base_folder, tmp_path) -> AppTest:
    monkeypatch.setenv(BASE_DIRS, str(base_folder))
    monkeypatch.setenv(CACHE_SETTING, str(tmp_path / "cache"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180).run()
    at.switch_page("pages/base.py").run()
    at.selectbox(key="base_choice").set_value(str(base_folder)).run()
    assert not at.exception and not at.error, (at.exception, [e.value for e in at.error])
    return at


def test_the_page_draws_a_base_and_draws_a_shortlist_into_an_analysis(monkeypatch, base_folder, tmp_path):
    at = _page(monkeypatch, base_folder, tmp_path)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[t("base_creators")] == format_count(ROWS, "en")
    assert metrics[t("base_rejected")] == "3"
    assert metrics[t("base_countries")] == "6"
    assert [c.key for c in at.get("plotly_chart")] == ["base_tier_share", "base_tier_platform", "base_bands",
                                                        "base_verdicts", "base_flow"]
    # the top creators of a base without names: handles, and no empty Name column
    top = next(d.value for d in at.dataframe if t("field_handle") in d.value.columns)
    assert len(top) == 10 and top[t("field_handle")].str.len().gt(0).all()
    assert t("field_name") not in top.columns and t("field_country") in top.columns
    at.selectbox(key="base_platform").set_value("youtube").run()
    assert not at.exception
    at.number_input[0].set_value(30)
    at.get("form_submit_button")[0].click().run()
    assert not at.exception and not at.error
    # the Roster page of a new, saved analysis of the 30 YouTube creators with the most expected engagements
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[t("count_read")] == "30" and metrics[t("count_rejected")] == "0"
    assert at.session_state["analysis"] is not None
    assert at.session_state["roster_file"].name.endswith("2026-12 shortlist.csv")


def test_a_page_computed_once_reruns_from_its_aggregates(monkeypatch, base_folder, tmp_path):
    """After the first visit computed the aggregates, every rerun draws from them: no DuckDB engine is started
    (how quickly it settles is measured by benchmarks/base.py, not asserted here: a timed test flakes)."""
    at = _page(monkeypatch, base_folder, tmp_path)
    started = []
    real = BaseCache._engine
    monkeypatch.setattr(BaseCache, "_engine", lambda self: started.append(1) or real(self))
    for platform in ("tiktok", None, "instagram"):
        at.selectbox(key="base_platform").set_value(platform).run()
        assert not at.exception and len(at.get("plotly_chart")) == 5
    assert not started

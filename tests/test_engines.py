"""The creator-base engines (DuckDB, Spark) against the pandas path, row for row: tiers, rates, norm
bands, verdicts, grades, flags and the change rows between two snapshots, on the test rosters and on
generated ones. Spark runs in local mode in one session for the whole test run."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import ibis
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st

from tests.fixtures import FIXTURES
from tests.helpers import roster_of
from tiers.analysis.changes import CHANGE_FLAGS, compare_snapshots, tier_flow
from tiers.analysis.classify import analyse, classify_roster
from tiers.analysis.engagement import get_norm_set, norm_ids
from tiers.analysis.flags import FLAG_RULES
from tiers.analysis.schemes import all_schemes, get_scheme
from tiers.engines.backends import duckdb_engine, spark_engine, spark_session
from tiers.engines.plan import QUANTILES, median_of, quantiles_of
from tiers.engines.run import changes_base, classify_base
from tiers.reading.read import read_table
from tiers.reading.roster import COUNT_FIELDS, Roster, build_roster

TYPED = ("platform", "handle", "name", "followers", *COUNT_FIELDS, "engagement_rate")
COMPARED = ("status", "platform", "tier", "engagement_rate", "engagement_rate_computed", "er_basis", "er_vs_norm",
            "norm_low", "norm_high", "verdict", "grade", *FLAG_RULES, "expected_engagements")
CHANGE_COLUMNS = ("platform", "handle", "name", "followers_before", "followers_after", "growth", "er_before",
                  "er_after", "er_change", "tier_before", "tier_after", "move", "change", *CHANGE_FLAGS)


@pytest.fixture(scope="session")
def duckdb():
    engine = duckdb_engine(memory_limit="1GB")
    yield engine
    engine.close()


@pytest.fixture(scope="session")
def spark():
    pytest.importorskip("pyspark", reason="pyspark is in requirements-dev.txt")
    if shutil.which("java") is None:
        pytest.skip("Spark needs Java (scripts/test.sh installs openjdk-17-jre-headless)")
    session = spark_session("local[2]", shuffle_partitions=2)  # test bases are small: few tasks
    yield spark_engine(session=session)
    session.stop()


@pytest.fixture(scope="session", params=["duckdb", "spark"])
def engine(request):
    return request.getfixturevalue(request.param)


def _typed(rows: pd.DataFrame, path: Path) -> Path:
    """Roster rows as the typed Parquet a creator base holds (what the spreadsheet path read)."""
    rows[list(TYPED)].astype({"platform": "str"}).to_parquet(path, index=False)
    return path


def _text(values: pd.Series) -> pd.Series:
    return values.astype("object").where(values.notna(), None)


def _frame(table, columns) -> pd.DataFrame:
    frame = table.to_pandas().reset_index(drop=True)
    return _frame_like(pd.DataFrame({c: frame[c] for c in columns}))


def engine_classified(engine, source: Path, out: Path, scheme: str, norms: str, mapping=None) -> pd.DataFrame:
    classify_base(engine, str(source), mapping or {}, get_scheme(scheme), get_norm_set(norms), out)
    written = engine.fetch(engine.written(f"{out}/creators"))
    return _frame(written, ("source_row", *COMPARED)).sort_values("source_row").reset_index(drop=True)


def pandas_classified(roster: Roster, scheme: str, norms: str) -> pd.DataFrame:
    analysed = analyse(roster, scheme, norms)
    frame = pd.DataFrame({c: analysed[c] for c in COMPARED})
    return _frame_like(frame)


def _frame_like(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.reset_index(drop=True).copy()
    for c in out:
        if c in FLAG_RULES or c in CHANGE_FLAGS:
            out[c] = out[c].astype(bool)
        elif not pd.api.types.is_float_dtype(out[c]):
            out[c] = _text(out[c])
    return out


def assert_same_summary(summary: pd.DataFrame, analysed: pd.DataFrame) -> None:
    """tiers.parquet against the pandas path's creators grouped by platform and tier (sums of floats
    may differ in their last bits with the order of addition)."""
    ok = analysed[analysed["status"] == "ok"].astype({"tier": "str"})
    grouped = ok.groupby(["platform", "tier"])
    theirs = pd.DataFrame({"creators": grouped.size(), "followers": grouped["followers"].sum(),
                           "expected_engagements": grouped["expected_engagements"].sum(min_count=1),
                           **{f"er_p{round(q * 100)}": grouped["engagement_rate"].quantile(q) for q in QUANTILES}})
    ours = summary.astype({"platform": "str", "tier": "str"}).set_index(["platform", "tier"]).sort_index()
    pd.testing.assert_frame_equal(ours[theirs.columns].astype(float), theirs.sort_index().astype(float),
                                  rtol=1e-12, check_names=False)


def assert_same_rows(ours: pd.DataFrame, theirs: pd.DataFrame) -> None:
    """Column by column, exactly: floats bit for bit (NaN where the other has NaN), text and flags equal."""
    assert len(ours) == len(theirs)
    for c in theirs.columns:
        pd.testing.assert_series_equal(ours[c].reset_index(drop=True), theirs[c].reset_index(drop=True),
                                       check_exact=True, check_dtype=False, check_names=False, obj=c)


def test_test_rosters_classify_the_same(engine, tmp_path):
    """Every CSV test roster, as read by the spreadsheet path, in one folder of Parquet files (one per
    roster): each file's rows get the pandas path's tiers, rates, bands, verdicts, grades and flags."""
    folder, expected = tmp_path / "base", {}
    folder.mkdir()
    for i, fixture in enumerate(f for f in FIXTURES if f.name.endswith(".csv")):
        roster = build_roster(read_table(fixture.data, fixture.name))
        ok = (roster.rows["status"] == "ok").to_numpy()
        if ok.any():
            name = f"roster-{i:02d}.parquet"
            # the files of a folder are one creator base, where a handle is one account: keep them apart
            rows = roster.rows[ok].assign(handle=f"r{i}-" + roster.rows["handle"], name=f"r{i}-" + roster.rows["name"])
            _typed(rows, folder / name)
            expected[name] = pandas_classified(roster, "partipost", "partipost_2022")[ok]
    assert len(expected) > 5
    classify_base(engine, str(folder), {}, get_scheme("partipost"), get_norm_set("partipost_2022"), tmp_path / "out")
    written = engine.fetch(engine.written(f"{tmp_path}/out/creators")).to_pandas()
    files = written["source_file"].str.extract(r"(roster-\d+\.parquet)$")[0]
    assert set(files) == set(expected)
    for name, theirs in expected.items():
        ours = _frame(pa.Table.from_pandas(written[files == name], preserve_index=False), ("source_row", *COMPARED))
        ours = ours.sort_values("source_row").reset_index(drop=True)
        assert (ours["status"] == "ok").all(), name
        assert_same_rows(ours[list(COMPARED)], theirs)


def test_sample_roster_under_every_scheme_and_norm_set(engine, tmp_path):
    """Every scheme file and every norm file gives the engines the same answers as the pandas path."""
    roster = roster_of((Path(__file__).parents[1] / "data" / "sample_roster.csv").read_bytes(), "sample_roster.csv")
    ok = (roster.rows["status"] == "ok").to_numpy()
    base = _typed(roster.rows[ok], tmp_path / "base.parquet")
    schemes = list(all_schemes()) if engine.name == "duckdb" else ["shopee"]
    for scheme in schemes:
        for norms in norm_ids() if engine.name == "duckdb" else ["modash_instagram"]:
            expected = pandas_classified(roster, scheme, norms)[ok]
            ours = engine_classified(engine, base, tmp_path / f"out-{scheme}-{norms}", scheme, norms)
            assert_same_rows(ours[list(COMPARED)], expected)


# Generated creator bases: the same typed rows go to the pandas path as a CSV and to the engines as Parquet.
HANDLES = ("rina.id", "Budi_Vlog", "sari", "amy", "ben", "cal", "dee", "eve", "fay", "gus", "hana", "ivan")
BOUNDS = sorted({t.min_followers + d for s in all_schemes().values() for t in s.tiers for d in (-1, 0)} - {-1})


def _handle_forms(handle: str):
    return st.sampled_from([handle, "@" + handle, handle.upper(), f"https://www.instagram.com/{handle}/?hl=en",
                            f"tiktok.com/@{handle}/video"])


counts = st.one_of(st.none(), st.integers(0, 50_000))
row = st.fixed_dictionaries({
    "platform": st.sampled_from(["instagram", "tiktok", "youtube", "facebook", "x"]),
    "handle": st.one_of(st.none(), st.sampled_from(HANDLES).flatmap(_handle_forms)),
    "name": st.one_of(st.none(), st.sampled_from(["Rina", "Budi", "Sari"])),
    "followers": st.one_of(st.none(), st.sampled_from(BOUNDS), st.integers(0, 3_000_000)),
    **{c: counts for c in ("likes", "comments", "shares", "saves", "views", "engagements")},
    "engagement_rate": st.one_of(st.none(), st.floats(0, 0.9, allow_subnormal=False).map(lambda x: round(x, 4))),
})


def _frames_of(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(TYPED))
    return frame.astype({c: "float64" for c in ("followers", *COUNT_FIELDS, "engagement_rate")})


def _csv(frame: pd.DataFrame) -> bytes:
    text = io.StringIO()
    frame.to_csv(text, index=False, float_format="%.15g")
    return text.getvalue().encode()


def _with_handles(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows that every snapshot names by handle (name matching is the spreadsheet path's own)."""
    return frame[frame["handle"].notna()].reset_index(drop=True)


def _next_month(frame: pd.DataFrame, growth: list[float], keep: int, extra: pd.DataFrame) -> pd.DataFrame:
    kept = frame.iloc[:keep].copy()
    kept["followers"] = (kept["followers"] * np.resize(np.asarray(growth), len(kept))).round()
    return pd.concat([kept, extra], ignore_index=True)


def mapped_roster(frame: pd.DataFrame, name: str, mapping: dict[str, str]) -> Roster:
    """The spreadsheet path reading a CSV of `frame` under `mapping`, as `classify --mapping` does: the
    columns it names, as named. (Without a mapping the spreadsheet path reads roles from the cells and
    may switch a role to its runner-up when the roster reads implausibly; the engines, given typed
    columns, go by their names. Given one, both read what the mapping says.)"""
    return build_roster(read_table(_csv(frame), name), mapping)


def check_generated(engine, frame: pd.DataFrame, later: pd.DataFrame, tmp: Path, scheme: str, norms: str) -> None:
    tmp.mkdir(parents=True, exist_ok=True)
    mapping = {c: c for c in TYPED}
    roster = mapped_roster(frame, "base.csv", mapping)
    frame.to_parquet(tmp / "before.parquet", index=False)
    ours = engine_classified(engine, tmp / "before.parquet", tmp / "out", scheme, norms, mapping)
    assert_same_rows(ours[["status"]], _frame_like(roster.rows[["status"]]))
    ok = (roster.rows["status"] == "ok").to_numpy()
    assert_same_rows(ours[ok][list(COMPARED)], pandas_classified(roster, scheme, norms)[ok])
    # tiers.parquet: a file from DuckDB, a folder of parts from Spark
    assert_same_summary(pd.read_parquet(tmp / "out" / "tiers.parquet"), analyse(roster, scheme, norms))

    # Changes: matched by handle on both paths (the spreadsheet path also matches by name where a
    # roster has no handles, and lists those matches for a person to confirm)
    frame = _with_handles(frame)
    assume(not frame.empty)
    roster = mapped_roster(frame, "base.csv", mapping)
    frame.to_parquet(tmp / "before.parquet", index=False)
    later_roster = mapped_roster(later, "later.csv", mapping)
    later.to_parquet(tmp / "after.parquet", index=False)
    expected = compare_snapshots(classify_roster(roster, scheme), classify_roster(later_roster, scheme),
                                 get_scheme(scheme)).accounts
    changes_base(engine, str(tmp / "before.parquet"), str(tmp / "after.parquet"), mapping, get_scheme(scheme),
                 get_norm_set(norms), tmp / "changes")
    ours_flow = pd.read_parquet(tmp / "changes" / "tier_flow.parquet")
    if expected.empty:  # no account in either snapshot: nothing partitioned, an empty flow
        assert ours_flow.empty and not any((tmp / "changes" / "accounts").rglob("*.parquet"))
        return
    written = _frame(engine.fetch(engine.written(f"{tmp}/changes/accounts")), CHANGE_COLUMNS)
    assert int(ours_flow["accounts"].sum()) == len(written) == len(expected)
    theirs_flow = tier_flow(expected).set_index(["source", "target"])["accounts"]
    pd.testing.assert_series_equal(ours_flow.groupby(["source", "target"])["accounts"].sum().astype(int),
                                   theirs_flow.astype(int), check_names=False)
    key = ["platform", "handle", "change"]
    theirs = _frame_like(expected[list(CHANGE_COLUMNS)]).assign(handle_key=lambda f: f["handle"].str.lower())
    written = written.assign(handle_key=written["handle"].str.lower())
    order = ["platform", "handle_key", *key[2:]]
    assert_same_rows(written.sort_values(order)[list(CHANGE_COLUMNS)],
                     theirs.sort_values(order)[list(CHANGE_COLUMNS)])


# No shrinking: each example runs both paths (about a second), and a failure prints its example as drawn.
@settings(max_examples=12, deadline=None, derandomize=True, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(rows=st.lists(row, min_size=1, max_size=40), extra=st.lists(row, max_size=8),
       growth=st.lists(st.sampled_from([0.5, 0.79, 0.8, 0.95, 1.0, 1.02, 1.1, 1.3, 2.0, 4.0]), min_size=1, max_size=8),
       keep=st.integers(0, 40), scheme=st.sampled_from(list(all_schemes())), norms=st.sampled_from(norm_ids()))
def test_generated_bases_agree_on_duckdb(duckdb, tmp_path, rows, extra, growth, keep, scheme, norms):
    frame = _frames_of(rows)
    later = _next_month(_with_handles(frame), growth, keep, _with_handles(_frames_of(extra)))
    assume(not later.empty)  # a roster file with no row at all is refused by the spreadsheet path
    check_generated(duckdb, frame, later, tmp_path / str(id(rows)), scheme, norms)


def _many(seed: int, n: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A generated base big enough for every tier-and-platform group of the spike rule to count."""
    rng = np.random.default_rng(seed)
    handles = np.array([f"creator{i}" for i in range(n)], dtype=object)
    frame = pd.DataFrame({
        "platform": rng.choice(["instagram", "tiktok", "youtube"], n), "handle": handles, "name": None,
        "followers": np.where(rng.random(n) < 0.02, 0, rng.lognormal(9, 2, n).round()),
        **{c: np.where(rng.random(n) < 0.2, np.nan, rng.integers(0, 20_000, n)) for c in COUNT_FIELDS},
        "engagement_rate": np.where(rng.random(n) < 0.7, np.nan, (0.001 + rng.random(n) / 5).round(5))})
    frame = _frames_of(frame.to_dict("records"))
    growth = np.where(rng.random(n) < 0.05, rng.uniform(1.3, 5, n), rng.normal(1.02, 0.05, n))
    # YouTube grows by a steady fifth, a few by 27%: far out by the MAD alone, within it by its floor
    youtube = frame["platform"].to_numpy() == "youtube"
    growth[youtube] = np.where(rng.random(youtube.sum()) < 0.03, 1.27, rng.normal(1.2, 0.002, youtube.sum()))
    later = frame.iloc[: int(n * 0.9)].assign(followers=lambda f: (f["followers"] * growth[: len(f)]).round())
    new = frame.iloc[: n // 10].assign(handle=lambda f: "new" + f["handle"])
    return frame, pd.concat([later, new], ignore_index=True)


def test_generated_base_with_spikes_agrees(engine, tmp_path):
    before, after = _many(7, 3000)
    check_generated(engine, before, after, tmp_path, "partipost", "partipost_2022")


@pytest.mark.parametrize(("text", "said"), [
    ('["followers"]', "a mapping is a JSON object of field -> column header"),
    ('{"followers": 3}', "a mapping is a JSON object of field -> column header"),
    ('{"platform_of_all": "myspace"}', "platform_of_all must be one of"),
    ("{", "not a readable JSON mapping"),
])
def test_both_paths_refuse_a_mapping_file_alike(tmp_path, capfd, text, said):
    """One reading of a --mapping file (tiers.reading.roster.load_mapping) for rosters and bases."""
    from tiers.cli import main

    (tmp_path / "mapping.json").write_text(text)
    (tmp_path / "roster.csv").write_text("handle,followers\nrina,1200\n")
    for engine in ("pandas", "duckdb"):
        code = main(["classify", str(tmp_path / "roster.csv"), "--mapping", str(tmp_path / "mapping.json"),
                     "--engine", engine, "-o", str(tmp_path / f"out-{engine}")])
        assert code == 2 and said in capfd.readouterr().err, engine


@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.lists(st.tuples(st.sampled_from("ab"), st.one_of(
    st.none(), st.sampled_from([-1.0, 0.0, 0.02, 1 / 3, 2.0]), st.floats(-1, 1e10, allow_subnormal=False))),
    min_size=1, max_size=60))
def test_bounded_order_statistics_are_pandas(duckdb, values):
    """plan.median_of and plan.quantiles_of (counts per bucket, then ranks within the buckets that hold
    the wanted ranks) give each group's median exactly as pandas does (the mean of the two middle
    values, bit for bit) and its quantiles as pandas interpolates them."""
    frame = pd.DataFrame(values, columns=["g", "x"]).astype({"x": "float64"})
    grouped = frame.dropna().groupby("g")["x"]
    named = {f"p{round(q * 100)}": q for q in QUANTILES}
    medians = duckdb.fetch(median_of(ibis.memtable(frame), ["g"], "x")).to_pandas().set_index("g").sort_index()
    theirs = pd.DataFrame({"_median": grouped.median(), "_count": grouped.size()}).sort_index()
    pd.testing.assert_frame_equal(medians[theirs.columns], theirs, check_exact=True, check_dtype=False,
                                  check_names=False)
    ours = duckdb.fetch(quantiles_of(ibis.memtable(frame), ["g"], "x", named)).to_pandas().set_index("g").sort_index()
    theirs = pd.DataFrame({name: grouped.quantile(q) for name, q in named.items()}).sort_index()
    pd.testing.assert_frame_equal(ours[theirs.columns], theirs, rtol=1e-12, check_dtype=False, check_names=False)

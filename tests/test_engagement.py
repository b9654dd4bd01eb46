import math
import tomllib

import numpy as np
import pandas as pd
import pytest

from tiers.analysis import engagement
from tiers.analysis.engagement import (
    DEFAULT_NORMS,
    INTERACTIONS,
    NORM_DIR,
    all_norm_sets,
    compare_to_norms,
    engagement_rates,
    get_norm_set,
    norm_bands,
    norm_ids,
    validate_norms,
)
from tiers.analysis.tradeoffs import cost_metrics, expected_engagements, reach, tier_summary


def creators(**columns) -> pd.DataFrame:
    n = len(next(iter(columns.values())))
    base = {c: [np.nan] * n for c in ("likes", "comments", "shares", "saves", "views", "engagement_rate", "fee")}
    base.update(platform=["instagram"] * n)
    base.update(columns)
    return pd.DataFrame(base)


def test_engagement_rate_by_followers_and_by_views():
    frame = creators(platform=["instagram", "tiktok", "tiktok", "youtube"], followers=[10_000, 10_000, 10_000, 0],
                     likes=[400, 800, 800, 50], comments=[100, 100, 100, 10], shares=[np.nan, 100, 100, np.nan],
                     views=[np.nan, 20_000, 0, np.nan])
    er = engagement_rates(frame)
    assert er["engagement_rate_computed"].iloc[0] == pytest.approx(500 / 10_000)
    assert er["engagement_rate_computed"].iloc[1] == pytest.approx(1000 / 20_000)
    assert er["er_basis"].tolist()[:3] == ["followers", "views", "followers"]
    assert er["engagement_rate_computed"].iloc[2] == pytest.approx(1000 / 10_000)  # no views: per follower
    assert math.isnan(er["engagement_rate_computed"].iloc[3])  # no denominator: no data, never 0%


def test_roster_er_wins_over_computed():
    frame = creators(followers=[1000, 1000], likes=[50, 50], engagement_rate=[0.09, np.nan])
    assert engagement_rates(frame)["engagement_rate"].tolist() == pytest.approx([0.09, 0.05])


def test_no_interactions_is_no_data():
    frame = creators(followers=[1000])
    assert math.isnan(engagement_rates(frame)["engagement_rate_computed"].iloc[0])


@pytest.mark.parametrize(("followers", "likes", "verdict", "low"), [
    (4_999, 300, "below", 0.07),    # 6% against nano 7-10%
    (4_999, 400, "within", 0.07),   # 8%
    (4_999, 600, "above", 0.07),    # 12%
    (5_000, 200, "within", 0.03),   # 4% against micro 3-5% (5,000 is micro)
    (30_000, 600, "within", 0.01),  # 2% against macro 1-3%
    (100_000, 500, "below", 0.008),  # 0.5% against mega about 1%
])
def test_partipost_verdicts(followers, likes, verdict, low):
    frame = creators(followers=[followers], likes=[likes])
    result = compare_to_norms(frame, get_norm_set("partipost_2022"))
    assert result["verdict"].iloc[0] == verdict
    assert result["norm_low"].iloc[0] == low


def test_platform_specific_norms_leave_other_platforms_without_a_norm():
    frame = creators(platform=["instagram", "tiktok"], followers=[7_000, 7_000], likes=[100, 100], comments=[10, 10],
                     shares=[500, 500])
    result = compare_to_norms(frame, get_norm_set("modash_instagram"))
    # Modash counts likes + comments only: 110 / 7000 = 1.57%, within its 5-10K band 1.25-1.62%.
    assert result["er_vs_norm"].iloc[0] == pytest.approx(110 / 7000)
    assert result["verdict"].tolist() == ["within", "no norm"]


def test_norm_bands_are_found_by_followers_whatever_the_scheme():
    frame = creators(followers=[1, 4_999, 5_000, 10**9])
    bands = norm_bands(frame, get_norm_set("partipost_2022"))
    assert bands["norm_low"].tolist() == [0.07, 0.07, 0.03, 0.008]


def test_every_norm_file_is_valid_and_sourced():
    for norms in all_norm_sets().values():
        assert norms.source and norms.year > 2000 and norms.er_definition
        assert (norms.bands["low"] <= norms.bands["high"]).all()
        assert norms.basis in ("followers", "views")


def test_cost_metrics_with_missing_and_zero_values():
    frame = creators(platform=["instagram", "tiktok", "instagram", "instagram"], followers=[10_000, 50_000, 1000, 0],
                     likes=[500, 900, 0, np.nan], views=[np.nan, 20_000, np.nan, np.nan],
                     fee=[1_000_000, 0, 500_000, np.nan])
    frame["reach"] = reach(frame)
    frame["expected_engagements"] = expected_engagements(frame)
    costs = cost_metrics(frame)
    assert frame["reach"].tolist()[:3] == [10_000, 20_000, 1000]
    assert costs["cpe"].iloc[0] == pytest.approx(2_000)
    assert costs["cpm"].iloc[0] == pytest.approx(100_000)
    assert math.isnan(costs["cpe"].iloc[1])  # zero fee: unknown, not free
    assert math.isnan(costs["cpe"].iloc[2])  # zero engagements: no CPE, not infinity
    assert costs.iloc[3].isna().all()


def test_tier_summary_per_million():
    frame = creators(followers=[1000, 2000, 200_000], likes=[100, 100, 1000], fee=[500_000, 500_000, 10_000_000])
    frame["tier"] = pd.Categorical(["nano", "nano", "mega"], categories=["nano", "micro", "macro", "mega"])
    frame["reach"] = reach(frame)
    frame["expected_engagements"] = expected_engagements(frame)
    frame["engagement_rate"] = engagement_rates(frame)["engagement_rate"]
    summary = tier_summary(frame, ["nano", "micro", "macro", "mega"]).set_index("tier")
    assert summary.loc["nano", "creators"] == 2 and summary.loc["micro", "creators"] == 0
    assert summary.loc["nano", "engagements_per_million"] == pytest.approx(200)
    assert summary.loc["mega", "engagements_per_million"] == pytest.approx(100)
    assert summary.loc["nano", "cpe"] == pytest.approx(5_000)


def test_each_norm_file_is_named_after_its_id():
    assert norm_ids() == sorted(all_norm_sets())


# --- What each function decides, value by value (the mutation run of tiers/analysis/engagement.py) ---

@pytest.fixture(autouse=True)
def norm_files_read_again():
    """all_norm_sets is cached for the process: read the files again in each test, so a test sees
    what the reading code does now, not what it did when the cache was filled."""
    all_norm_sets.cache_clear()
    yield
    all_norm_sets.cache_clear()


def plain(norms) -> dict:
    """A NormSet's fields with its bands as records (a DataFrame does not compare as one value)."""
    return {"id": norms.id, "name": norms.name, "source": norms.source, "year": norms.year,
            "er_definition": norms.er_definition, "basis": norms.basis, "components": norms.components,
            "note": norms.note, "translations": norms.translations, "bands": norms.bands.to_dict("records"),
            "band_columns": list(norms.bands.columns), "band_index": list(norms.bands.index)}


def test_each_shipped_set_holds_what_its_file_says():
    for path in sorted(NORM_DIR.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        bands = sorted(data["bands"], key=lambda b: (b["platform"].strip().lower(), b["min_followers"]))
        assert plain(get_norm_set(data["id"])) == {
            "id": data["id"], "name": data["name"], "source": data["source"], "year": int(data["year"]),
            "er_definition": data["er_definition"], "basis": data["basis"], "components": tuple(data["components"]),
            "note": data.get("note", ""), "translations": data.get("translations", {}),
            "bands": [{**b, "platform": b["platform"].strip().lower()} for b in bands],
            "band_columns": ["platform", "min_followers", "low", "high"], "band_index": list(range(len(bands)))}
        for lang, texts in data.get("translations", {}).items():
            assert get_norm_set(data["id"]).text("name", lang) == texts.get("name", data["name"])
        assert get_norm_set(data["id"]).text("note", "xx") == data.get("note", "")  # no such language: English


def test_a_set_survives_being_saved_and_read_back():
    for norms in all_norm_sets().values():
        assert plain(validate_norms(norms.to_dict(), "saved")) == plain(norms)


def test_a_bad_norm_file_is_named_in_the_refusal(tmp_path, monkeypatch):
    (tmp_path / "good.toml").write_text((NORM_DIR / f"{DEFAULT_NORMS}.toml").read_text(encoding="utf-8"),
                                        encoding="utf-8")
    (tmp_path / "bad.toml").write_text('id = "bad"\nname = "Bad – set"\n', encoding="utf-8")
    monkeypatch.setattr(engagement, "NORM_DIR", tmp_path)
    with pytest.raises(ValueError) as refused:
        all_norm_sets()
    assert str(refused.value).startswith("bad.toml: ")
    (tmp_path / "bad.toml").unlink()
    all_norm_sets.cache_clear()
    assert list(all_norm_sets()) == [DEFAULT_NORMS]  # the default set first


def test_an_unknown_set_is_refused_with_the_sets_to_choose_from():
    with pytest.raises(KeyError) as refused:
        get_norm_set("nope")
    assert refused.value.args[0] == f"unknown norm set 'nope'; choose one of: {', '.join(all_norm_sets())}"


def norm_data(**changes) -> dict:
    """A valid norm set shaped like a TOML file, with `changes` (None removes a key)."""
    data = {"id": "t", "name": "Test", "source": "a survey", "year": 2024, "er_definition": "likes / followers",
            "basis": "followers", "components": ["likes"], "note": "n",
            "bands": [{"platform": "all", "min_followers": 0, "low": 0.02, "high": 0.04},
                      {"platform": "all", "min_followers": 10_000, "low": 0.01, "high": 0.02}]}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def band(platform="all", min_followers=0, low=0.01, high=0.02) -> dict:
    return {"platform": platform, "min_followers": min_followers, "low": low, "high": high}


BASIS = "basis must be 'followers' or 'views'"
COMPONENTS = f"components must be some of {INTERACTIONS}"
NUMBERS = "every band needs numbers for min_followers, low and high"
RANGE = "bands need 0 <= low <= high <= 1 (rates are fractions: 3% is 0.03)"
START = "each platform's bands must start at 0 followers"
SHARED = "two bands share a platform and lower bound"


@pytest.mark.parametrize(("changes", "problems"), [
    ({"basis": "reach"}, [BASIS]),
    ({"basis": None}, [BASIS]),
    ({"components": []}, [COMPONENTS]),
    ({"components": None}, [COMPONENTS]),
    ({"components": ["likes", "reach"]}, [COMPONENTS]),
    ({"bands": None}, [NUMBERS]),
    ({"bands": [band(low="abc")]}, [NUMBERS]),
    ({"bands": [band(high=None)]}, [NUMBERS]),
    ({"bands": [band(min_followers="")]}, [NUMBERS, START]),  # no number is no start at 0
    ({"bands": [band(low=0.05, high=0.04)]}, [RANGE]),  # each bound broken alone
    ({"bands": [band(low=-0.01)]}, [RANGE]),
    ({"bands": [band(min_followers=-1)]}, [RANGE, START]),
    ({"bands": [band(low=0.5, high=1.5)]}, [RANGE]),
    ({"bands": [band(min_followers=1_000)]}, [START]),
    ({"bands": [band(), band("instagram", 1_000)]}, [START]),
    ({"bands": [band(), band(low=0.02, high=0.03)]}, [SHARED]),
    ({"id": None}, ["missing id"]),
    ({"name": None}, ["missing name"]),
    ({"source": None}, ["missing source"]),
    ({"year": None}, ["missing year"]),
    ({"er_definition": None}, ["missing er_definition"]),
    ({"basis": "reach", "components": [], "id": None}, [BASIS, COMPONENTS, "missing id"]),
])
def test_a_bad_norm_set_is_refused_naming_every_problem(changes, problems):
    with pytest.raises(ValueError) as refused:
        validate_norms(norm_data(**changes), "custom norms")
    assert str(refused.value) == "custom norms: " + "; ".join(problems)


@pytest.mark.parametrize("changes", [
    {"basis": "views"}, {"basis": "followers"}, {"components": list(INTERACTIONS)}, {"components": ["saves"]},
    {"bands": [band(low=0.0, high=0.0)]},  # zero is a rate; low may equal high
    {"bands": [band(low=0.03, high=0.03)]},
    {"bands": [band(low=0.5, high=1.0)]},  # 100% is the highest rate
    {"bands": [band(), band("instagram", 0), band("instagram", 5_000)]},  # one lower bound on two platforms
])
def test_edge_values_make_a_valid_set(changes):
    norms = validate_norms(norm_data(**changes), "custom norms")
    data = norm_data(**changes)
    assert norms.basis == data["basis"] and norms.components == tuple(data["components"])
    assert norms.bands[["low", "high"]].to_numpy().tolist() == [[b["low"], b["high"]] for b in data["bands"]]


def test_a_valid_set_is_tidied_as_it_is_read():
    data = norm_data(year="2024", note=None, bands=[band(" Instagram ", "5000", "0.01", "0.02"),
                                                    band("all", 0, 0.02, 0.04), band("INSTAGRAM", 0, 0.03, 0.05)])
    norms = validate_norms(data, "custom norms")
    assert norms.year == 2024 and norms.note == "" and norms.translations == {}
    assert list(norms.bands.columns) == ["platform", "min_followers", "low", "high"]
    assert list(norms.bands.index) == [0, 1, 2]
    # Platforms in lower case, numbers as numbers, sorted by platform and lower bound.
    assert norms.bands.to_dict("records") == [band("all", 0.0, 0.02, 0.04), band("instagram", 0.0, 0.03, 0.05),
                                              band("instagram", 5_000.0, 0.01, 0.02)]
    assert norms.bands[["min_followers", "low", "high"]].dtypes.map(pd.api.types.is_numeric_dtype).all()
    assert plain(validate_norms(norm_data(), "x"))["note"] == "n"


def test_total_engagements_stand_in_where_no_interaction_is_counted():
    frame = creators(followers=[10_000, 10_000, 10_000], likes=[100, np.nan, np.nan],
                     engagements=[300, 300, np.nan])
    er = engagement_rates(frame)["engagement_rate_computed"]
    assert er.tolist()[:2] == pytest.approx([100 / 10_000, 300 / 10_000])  # counted interactions win
    assert math.isnan(er.iloc[2])
    result = compare_to_norms(frame, get_norm_set(DEFAULT_NORMS))
    assert result["er_vs_norm"].tolist()[:2] == pytest.approx([100 / 10_000, 300 / 10_000])


def test_one_follower_or_one_view_is_a_denominator():
    frame = creators(platform=["instagram", "tiktok"], followers=[1, 100], views=[np.nan, 1], likes=[1, 1])
    er = engagement_rates(frame)
    assert er["engagement_rate_computed"].tolist() == [1.0, 1.0]
    assert er["er_basis"].tolist() == ["followers", "views"]


def test_rates_keep_the_rosters_row_labels_and_no_data_has_no_basis():
    frame = creators(followers=[1_000, 0], likes=[50, 50]).set_axis([10, 20])
    er = engagement_rates(frame)
    assert list(er.index) == [10, 20] and list(er.columns) == ["engagement_rate", "engagement_rate_computed",
                                                                 "er_basis"]
    assert er.loc[10, "er_basis"] == "followers" and pd.isna(er.loc[20, "er_basis"])
    assert er.loc[10, "engagement_rate"] == pytest.approx(50 / 1_000)
    result = compare_to_norms(frame, get_norm_set(DEFAULT_NORMS))
    assert list(result.index) == [10, 20] and result.loc[20, "verdict"] == "no data"


def test_norm_bands_of_platform_sets_and_of_rows_with_none():
    norms = validate_norms(norm_data(bands=[band("all", 0, 0.02, 0.04), band("instagram", 0, 0.03, 0.05),
                                            band("instagram", 5_000, 0.01, 0.015)]), "custom norms")
    frame = creators(platform=["instagram", "instagram", "tiktok", "tiktok"], followers=[4_999, 5_000, 9, np.nan])
    bands = norm_bands(frame.set_axis([7, 8, 9, 10]), norms)
    assert list(bands.columns) == ["norm_low", "norm_high"] and list(bands.index) == [7, 8, 9, 10]
    assert bands.iloc[:3].to_numpy().tolist() == [[0.03, 0.05], [0.01, 0.015], [0.02, 0.04]]
    assert bands.iloc[3].isna().all()  # no follower count: no band
    nowhere = norm_bands(creators(platform=["tiktok"], followers=[7_000]), get_norm_set("modash_instagram"))
    assert list(nowhere.columns) == ["norm_low", "norm_high"] and nowhere.iloc[0].isna().all()


def test_a_rate_on_a_band_bound_is_within_it():
    norms = get_norm_set(DEFAULT_NORMS)
    micro = norms.bands[norms.bands["min_followers"] == 5_000].iloc[0]
    followers = 10_000
    likes = [round(micro["low"] * followers), round(micro["high"] * followers)]
    assert [n / followers for n in likes] == [micro["low"], micro["high"]]  # exactly on the bounds
    result = compare_to_norms(creators(followers=[followers] * 2, likes=likes), norms)
    assert result["verdict"].tolist() == ["within", "within"]


def test_the_rosters_own_rate_is_compared_where_its_counts_are_missing():
    norms = get_norm_set(DEFAULT_NORMS)
    result = compare_to_norms(creators(followers=[1_000, 1_000], engagement_rate=[0.2, np.nan]), norms)
    assert result["er_vs_norm"].iloc[0] == 0.2 and result["verdict"].tolist() == ["above", "no data"]

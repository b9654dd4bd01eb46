"""AppTest: every page runs without an exception, on the sample and on uploaded rosters."""

import re
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.fixtures import KOL_XLSX
from tests.helpers import roster_of, widget, xlsx_bytes
from tests.test_roster import INDONESIAN_SEMICOLON
from tiers.analysis.schemes import classify, get_scheme
from tiers.presenting.i18n import format_count, translator

ROOT = Path(__file__).parents[1]
SAMPLE = ROOT / "data" / "sample_roster.csv"
t = translator("en")


def sample_rows() -> int:
    """The sample's rows, counted from the file: every line after its header line (the one naming
    "Pengikut"), none of them blank."""
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    header = next(i for i, line in enumerate(lines) if "Pengikut" in line.split(";"))
    assert all(line.strip(";") for line in lines[header + 1:])
    return len(lines) - header - 1
PAGES = ["pages/work.py", "pages/roster.py", "pages/distribution.py", "pages/engagement.py", "pages/tradeoffs.py",
         "pages/present.py"]
XLSX = KOL_XLSX


def app() -> AppTest:
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()


def visit_all(at: AppTest) -> None:
    """Every page, in English and Indonesian, runs without an exception or an error message."""
    for language in ("en", "id"):
        at.session_state["lang"] = language
        for page in PAGES:
            at.switch_page(page).run()
            assert not at.exception, (page, language, at.exception)
            assert not at.error, (page, language, [e.value for e in at.error])


def test_every_page_runs_on_the_sample():
    at = app()
    assert not at.exception
    assert at.metric[0].value == f"{sample_rows():,}"
    assert t("using_sample") in [i.value for i in at.info]  # the roster page says it shows the sample
    visit_all(at)
    at.switch_page("pages/distribution.py").run()
    assert [c.key for c in at.get("plotly_chart")] == ["tier_share", "tier_platform", "sankey", "nano_split"]


def test_no_download_button_reruns_the_page():
    """A click that reruns the page races a file made on the click: the run that ends replaces the button's
    callable, and the browser's request for the file, still on its way, finds none (`ui.widgets.download`).
    Checked on the page's own elements, for every download button any page shows on the sample."""
    at = app()
    buttons = []
    for page in PAGES:
        at.switch_page(page).run()
        buttons += [(page, b.proto.label, b.proto.ignore_rerun) for b in at.get("download_button")]
    assert len({label for _, label, _ in buttons}) >= 3, buttons  # the classified roster, the report, the deck...
    assert [b for b in buttons if not b[2]] == []


@pytest.mark.parametrize(("name", "data", "ok", "rejected"), [
    ("kol.xlsx", XLSX, "4", "0"),
    ("kol.csv", INDONESIAN_SEMICOLON, "3", "2"),
    ("bare.csv", b"Akun,Followers\na,1200\nb,50000\n", "2", "0"),  # nothing to compute engagement from
])
def test_uploaded_roster_runs_every_page(name, data, ok, rejected):
    at = app()
    at.file_uploader[0].set_value((name, data, "application/octet-stream")).run()
    assert not at.exception
    assert [m.value for m in at.metric][1:3] == [ok, rejected]
    assert t("using_sample") not in [i.value for i in at.info]
    for scheme in ("partipost", "shopee", "hootsuite"):
        at.session_state["scheme"] = scheme
        visit_all(at)
    at.switch_page("pages/roster.py").run()
    assert [m.value for m in at.metric][1] == ok  # the upload survives page switches


def test_a_header_unit_is_applied_and_said_on_the_roster_page():
    at = app()
    data = b"Akun,Followers (K)\nayu,4.5\nbudi,120\n"
    at.file_uploader[0].set_value(("k.csv", data, "text/csv")).run()
    assert not at.exception
    assert any("Followers (K) ×1,000" in i.value for i in at.info)
    table = at.dataframe[-1].value
    assert table.set_index("Handle")["Tier"].to_dict() == {"ayu": "Nano", "budi": "Mega"}


def test_other_sheets_holding_rosters_are_pointed_out_and_can_be_picked():
    book = xlsx_bytes({"Instagram": [["Akun", "Followers"], ["ayu", 1200], ["budi", 50_000]],
                       "Notes": [["Brief"], ["Ramadan campaign"]],
                       "TikTok": [["Akun", "Followers"], ["citra", 2_000_000]]})
    at = app()
    at.file_uploader[0].set_value(("two.xlsx", book, "application/octet-stream")).run()
    assert any("TikTok" in w.value and "'Instagram'" in w.value for w in at.warning)
    assert [m.value for m in at.metric][1] == "2"
    at.selectbox(key=widget(at, "sheet")).set_value("TikTok").run()
    assert not at.exception
    assert [m.value for m in at.metric][1] == "1"
    assert any("Instagram" in w.value and "'TikTok'" in w.value for w in at.warning)
    assert set(at.dataframe[-1].value["Platform"]) == {"TikTok"}  # the sheet's name says which platform
    at.selectbox(key=widget(at, "sheet")).set_value("*").run()
    assert not at.exception and not at.warning
    assert [m.value for m in at.metric][1] == "3"
    table = at.dataframe[-1].value
    assert table[["Sheet", "Handle", "Platform"]].values.tolist() == [
        ["Instagram", "ayu", "Instagram"], ["Instagram", "budi", "Instagram"], ["TikTok", "citra", "TikTok"]]
    visit_all(at)


def test_without_a_platform_column_the_user_picks_one_for_every_creator():
    at = app()
    at.file_uploader[0].set_value(("p.csv", b"Akun,Followers\nayu,1200\nbudi,50000\n", "text/csv")).run()
    assert any("no platform column" in i.value for i in at.info)
    assert set(at.dataframe[-1].value["Platform"]) == {"Other"}
    at.selectbox(key=widget(at, "map_platform_of_all_None")).set_value("tiktok").run()
    assert not at.exception
    assert set(at.dataframe[-1].value["Platform"]) == {"TikTok"}
    assert any("read as TikTok" in i.value for i in at.info)


def test_cells_left_blank_are_listed_as_warnings_on_the_roster_page():
    at = app()
    data = b"Akun,Followers,Likes,ER\nayu,1200,abc,3%\nbudi,5000,40,250%\ncici,300,10,2%\n"
    at.file_uploader[0].set_value(("w.csv", data, "text/csv")).run()
    assert not at.exception
    warned = next(d.value for d in at.dataframe if "Warning" in d.value.columns)
    assert warned.set_index("Handle")["Warning"].to_dict() == {
        "ayu": "column 'Likes': 'abc' is not a number, left blank", "budi": "engagement rate above 100%"}


def test_uploaded_tiers_are_right_on_the_roster_table():
    at = app()
    at.file_uploader[0].set_value(("kol.xlsx", XLSX, "application/octet-stream")).run()
    table = at.dataframe[-1].value
    assert table.set_index("Handle")["Tier"].to_dict() == {"ayu": "Nano", "budi": "Micro", "citra": "Mega",
                                                           "dewi": "Macro"}


def test_language_switch_translates_pages():
    at = app()
    at.session_state["lang"] = "id"
    at.run()
    assert at.metric[0].label == "Baris dibaca"
    at.switch_page("pages/engagement.py").run()
    assert "di atas" in at.markdown[0].value


def test_bad_upload_shows_a_message_not_a_traceback():
    at = app()
    at.file_uploader[0].set_value(("broken.xlsx", b"not a workbook at all", "application/octet-stream")).run()
    assert not at.exception
    assert "broken.xlsx" in at.error[0].value
    at.switch_page("pages/distribution.py").run()
    assert not at.exception and at.error


def test_missing_follower_column_opens_the_mapping():
    at = app()
    at.file_uploader[0].set_value(("x.csv", b"akun,angka\nayu,12rb\nbudi,900\n", "text/csv")).run()
    assert not at.exception and "no follower column" in at.error[0].value
    at.selectbox(key=widget(at, "map_followers_None")).set_value("angka").run()
    assert not at.exception and not at.error
    assert [m.value for m in at.metric][1] == "2"


def test_filters_apply_to_every_page():
    at = app()
    at.session_state["filter_platforms"] = ["tiktok"]
    at.switch_page("pages/engagement.py").run()
    assert not at.exception
    shown = at.dataframe[0].value
    assert set(shown["Platform"]) == {"TikTok"}
    at.session_state["filter_platforms"] = []
    at.run()
    assert set(at.dataframe[0].value["Platform"]) == {"Instagram", "TikTok", "YouTube"}


def test_custom_norm_set_replaces_the_chosen_one():
    at = app()
    at.switch_page("pages/engagement.py").run()
    editor = at.get("arrow_data_editor") or at.get("data_editor")
    assert editor
    at.button[0].click().run()  # use the bands as they are: a valid custom set
    assert not at.exception and not at.error
    assert at.session_state["norms"] == "custom"
    assert "Custom" in at.caption[0].value


def test_nano_split_and_scheme_comparison_on_the_tiers_page():
    at = app()
    at.switch_page("pages/distribution.py").run()
    assert not at.exception
    # Derived: the sample's creators classified under each scheme, the ones whose tier id differs counted.
    creators = roster_of(SAMPLE.read_bytes(), SAMPLE.name).ok
    before, after = (classify(creators["followers"], get_scheme(s)).astype(str) for s in ("partipost", "shopee"))
    changed = int((before != after).sum())
    assert 0 < changed < len(creators)
    assert t("compare_changes", changed=f"{changed:,}", total=f"{len(creators):,}") in [m.value for m in at.markdown]


def test_budget_planner_and_shortlist():
    at = app()
    at.switch_page("pages/tradeoffs.py").run()
    assert not at.exception
    assert [c.key for c in at.get("plotly_chart")] == ["tradeoff", "cost", "cpe_frontier"]
    at.button[0].click().run()  # "Find the best plan" with the default budget
    assert not at.exception and not at.error
    said = re.fullmatch(r"(\d+) creators, IDR([\d,.]+)(\w*) spent of IDR([\d,.]+)(\w*): ([\d,]+) expected "
                        r"engagements, reach ([\d,]+)\.", at.success[0].value.replace("\xa0", ""))
    assert said, at.success[0].value
    assert "plans" in [c.key for c in at.get("plotly_chart")]
    use_plan = [b for b in at.button if b.label == "Use this plan as the shortlist"][0]
    use_plan.click().run()
    assert not at.exception
    shortlisted = at.session_state["shortlist"]
    assert len(shortlisted) == int(said[1]) > 0  # the plan it told of is the one it shortlisted
    unit = {"": 1, "K": 1e3, "M": 1e6, "B": 1e9}
    spent, budget = (float(said[i].replace(",", "")) * unit[said[i + 1]] for i in (2, 4))
    assert 0 < spent <= budget


def test_planner_explains_an_impossible_plan():
    at = app()
    at.switch_page("pages/tradeoffs.py").run()
    budget = [n for n in at.text_input if n.label.startswith("Budget")][0]
    assert budget.value.startswith("IDR") and "," in budget.value  # a grouped amount with its currency
    budget.set_value("Rp 1.000")  # far below any fee, with a creator who must be in
    at.main.multiselect[-2].set_value([0])  # the first creator with a fee (index label 0)
    at.button[0].click().run()
    assert not at.exception
    assert "Relax" in at.error[0].value and "budget" in at.error[0].value


def test_presentation_page_tells_the_story_with_branding():
    at = app()
    at.switch_page("pages/present.py").run()
    assert not at.exception
    at.text_input(key=widget(at, "brand")).set_value("Wardah").run()
    at.color_picker(key=widget(at, "accent")).set_value("#c2185b").run()
    assert not at.exception
    assert at.title[0].value == "Creator roster review for Wardah"
    assert [c.key for c in at.get("plotly_chart")] == ["present_tiers", "present_engagement", "present_tradeoffs",
                                                       "present_cost"]
    at.session_state["lang"] = "id"
    at.run()
    assert at.title[0].value == "Tinjauan roster kreator untuk Wardah"


ODD_ROSTERS = {
    "one creator": b"Akun,Followers,Likes,Rate\nayu,12000,400,Rp 1jt\n",
    "every row rejected": b"Akun,Followers\nayu,abc\nbudi,\n",
    "tiktok views only": b"Akun,Platform,Followers,Views\na,TikTok,5000,1200\nb,TikTok,800000,90000\n",
    "a billion followers": b"Akun,Followers,Likes\nbig,1200000000,1000000\nsmall,900,90\n",
    "some fees": b"Akun,Followers,Likes,Rate\na,3000,300,Rp 500rb\nb,40000,900,\nc,2000000,30000,Rp 50jt\n",
    "rate only": b"Akun,Followers,ER\na,3000,8%\nb,150000,1.2%\n",
    "wide": b"Nama,IG Followers,TikTok Followers,IG Likes\nayu,12000,3400,300\nbudi,,5000,\n",
    # the shapes of public influencer data sets: units in cells, engagements per post, no platform column
    "top instagram": (b"rank,channel_info,influence_score,posts,followers,avg_likes,60_day_eng_rate,country\n"
                      b"1,cristiano,92,3.3k,475.8m,8.7m,1.39%,Spain\n2,kyliejenner,91,6.9k,366.2m,8.3m,1.62%,\n"),
    "tiktokers": (b"S.no,Tiktoker name,Tiktok name,Subscribers count,Views avg.,Likes avg.,Comments avg.\n"
                  b"1,khaby.lame,Khabane lame,149.2M,17.3M,2.3M,15.9K\n"
                  b"2,scarlettsspam2,scarlett,2.1M,17M,4.4M,67.1K\n"),
    "youtubers": (b"S.no,youtuber name,channel name,Category,Subscribers,avg views,avg likes\n"
                  b"1,tseries,T-Series,Music,212.1M,323.7K,9.8K\n3,MrBeast6000,MrBeast,Games,110.5M,36M,1.7M\n"),
    "engagement avg": (b"Influencer insta name,Followers,Authentic engagement,Engagement avg\n"
                       b"433,48.5M,383.1K,637K\n__youngbae__,12.7M,478K,542.3K\n"),
}


# The follower counts each odd roster holds, read by eye from its text (475.8m is 475,800,000), and the
# rows it rejects; the tiers are derived from them with the scheme's boundaries.
ODD_FOLLOWERS = {
    "one creator": ([12_000], 0),
    "every row rejected": ([], 2),  # 'abc' is not a number, and a blank count
    "tiktok views only": ([5_000, 800_000], 0),
    "a billion followers": ([1_200_000_000, 900], 0),
    "some fees": ([3_000, 40_000, 2_000_000], 0),
    "rate only": ([3_000, 150_000], 0),
    "wide": ([12_000, 3_400, 5_000], 0),  # one row per platform with a count; budi has no Instagram count
    "top instagram": ([475_800_000, 366_200_000], 0),
    "tiktokers": ([149_200_000, 2_100_000], 0),
    "youtubers": ([212_100_000, 110_500_000], 0),
    "engagement avg": ([48_500_000, 12_700_000], 0),
}


READING_LOOKS_WRONG = {"tiktokers"}


@pytest.mark.parametrize("name", ODD_ROSTERS)
def test_odd_rosters_run_every_page(name):
    followers, rejected = ODD_FOLLOWERS[name]
    at = app()
    at.file_uploader[0].set_value((f"{name}.csv", ODD_ROSTERS[name], "text/csv")).run()
    # The reading's check speaks up exactly where the sheet looks wrong: 4.4M likes a post on 2.1M followers.
    checked = [e for e in at.error if e.icon == ":material/rule:"]
    assert not at.exception and len(at.error) == len(checked) == (name in READING_LOOKS_WRONG), at.error
    assert [m.value for m in at.metric][1:3] == [str(len(followers)), str(rejected)]
    if followers:
        table = at.dataframe[-1].value
        tiers = classify(pd.Series(followers, dtype=float), get_scheme("partipost")).astype(str)
        assert sorted(zip(table["Followers"], table["Tier"].str.lower(), strict=True)) == sorted(
            zip([format_count(f, "en") for f in followers], tiers, strict=True))  # as the page writes counts
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)
        unexpected = [e.value for e in at.error if not (e.icon == ":material/rule:" and name in READING_LOOKS_WRONG)]
        assert not unexpected, (page, unexpected)
        if not followers and page not in ("pages/work.py", "pages/roster.py"):  # nothing to chart: it says so
            assert t("no_roster") in [w.value for w in at.warning], page


def test_page_two_of_a_long_table_shows_the_next_rows():
    from ui.widgets import PAGE_ROWS
    total = 2 * PAGE_ROWS + 3
    data = ("Akun,Followers\n" + "".join(f"c{i},{1000 + i}\n" for i in range(total))).encode()
    at = app()
    at.file_uploader[0].set_value(("long.csv", data, "text/csv")).run()
    assert [m.value for m in at.metric][1] == f"{total:,}"
    assert at.dataframe[-1].value["Handle"].tolist() == [f"c{i}" for i in range(PAGE_ROWS)]
    at.number_input(key="creators_page").set_value(2).run()
    assert not at.exception
    shown = at.dataframe[-1].value
    assert shown["Handle"].tolist() == [f"c{i}" for i in range(PAGE_ROWS, 2 * PAGE_ROWS)]
    assert shown["Followers"].tolist() == [format_count(1000 + i, "en") for i in range(PAGE_ROWS, 2 * PAGE_ROWS)]
    assert t("table_rows", first=f"{PAGE_ROWS + 1:,}", last=f"{2 * PAGE_ROWS:,}", total=f"{total:,}") in [
        c.value for c in at.caption]
    at.number_input(key="creators_page").set_value(3).run()
    assert at.dataframe[-1].value["Handle"].tolist() == [f"c{i}" for i in range(2 * PAGE_ROWS, total)]


def test_on_a_big_roster_the_planner_lists_some_creators_and_finds_any_typed_one():
    """Past PICKER_OPTIONS a browser takes seconds to draw a picker's list: it lists that many, and an
    account not listed is picked by typing its handle (any case, '@' or not); a handle naming no one is said."""
    from benchmarks.run import make_roster
    from ui.widgets import PICKER_OPTIONS

    size = PICKER_OPTIONS + 300
    at = app()
    roster = make_roster(size, False).assign(fee=2_500_000)  # every account priced: every one a candidate
    at.file_uploader[0].set_value(("big.csv", roster.to_csv(index=False).encode(), "text/csv")).run()
    at.switch_page("pages/tradeoffs.py").run()
    include = [m for m in at.main.multiselect if m.label == "Must be in the plan"][0]
    assert len(include.options) == PICKER_OPTIONS
    last = f"creator{size - 1}"  # the roster's last row: not listed
    assert not any(last in option for option in include.options)
    include.set_value([f"@{last.upper()}", "nobody_here"])
    at.button[0].click().run()
    assert not at.exception
    assert "nobody_here" in at.warning[0].value
    chosen = at.session_state["planner"]["must_include"]
    assert len(chosen) == 1 and chosen[0].startswith(f"{size - 1 + 2}/")  # the row key: its sheet row

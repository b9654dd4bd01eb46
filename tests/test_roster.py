"""Reading awkward roster files: every row ends ok or rejected with its reason."""

import codecs

import pytest

from tests.helpers import csv_bytes, roster_of, xlsx_bytes
from tiers.analysis.classify import analyse
from tiers.analysis.filters import row_keys
from tiers.reading.read import ALL_SHEETS, RosterError, read_table
from tiers.reading.roster import build_roster

INDONESIAN_SEMICOLON = csv_bytes([
    "Daftar KOL Kampanye Ramadan;;;;",
    ";;;;",
    "Akun;Platform;Pengikut;Rata-rata Likes;Harga",
    "@rina.id;IG;12,5rb;1.234;Rp 1.500.000",
    "budi_vlog;TikTok;1,2 jt;45.000;Rp15jt",
    "sari;YT;4.876;120;",
    ";;;;",
    "dodo;ig;abc;10;Rp 500rb",
    "@rina.id;Instagram;13rb;10;",
    "TOTAL;;1.262.376;;",
])


def test_indonesian_semicolon_csv_reads_exactly():
    roster = roster_of(INDONESIAN_SEMICOLON)
    rows = roster.rows.set_index("source_row")
    assert roster.header_row == 3
    assert rows.loc[4, ["handle", "platform", "followers", "likes", "fee"]].tolist() == [
        "rina.id", "instagram", 12_500, 1_234, 1_500_000]
    assert rows.loc[5, ["followers", "likes", "fee"]].tolist() == [1_200_000, 45_000, 15_000_000]
    assert rows.loc[6, "followers"] == 4_876 and rows.loc[6, "platform"] == "youtube"
    assert rows.loc[7, "row_kind"] == "blank"
    assert rows.loc[8, "reason"] == "column 'Pengikut': 'abc' is not a number"
    assert rows.loc[9, "reason"] == "duplicate of row 4 (same handle and platform)"
    assert rows.loc[10, "row_kind"] == "total"
    assert roster.counts == {"read": 7, "ok": 3, "rejected": 2, "blank": 1, "total": 1, "flagged": 0}


def test_counts_account_for_every_row():
    roster = roster_of(INDONESIAN_SEMICOLON)
    c = roster.counts
    assert c["read"] == c["ok"] + c["rejected"] + c["blank"] + c["total"]
    assert (roster.rows["status"] == "ok").sum() + (roster.rows["status"] == "rejected").sum() == c["read"]


def test_tiers_of_the_indonesian_csv():
    analysed = analyse(roster_of(INDONESIAN_SEMICOLON), "partipost")
    ok = analysed[analysed["status"] == "ok"].set_index("handle")
    assert ok["tier"].to_dict() == {"rina.id": "micro", "budi_vlog": "mega", "sari": "nano"}
    shopee = analyse(roster_of(INDONESIAN_SEMICOLON), "shopee")
    assert shopee[shopee["status"] == "ok"].set_index("handle")["tier"].to_dict() == {
        "rina.id": "micro", "budi_vlog": "mega", "sari": "nano"}


def test_indonesian_xlsx_with_number_cells_title_rows_and_total():
    data = xlsx_bytes({
        "Catatan": [["Dibuat oleh agensi"], ["Versi 3"]],
        "KOL": [
            ["Roster Kampanye Q3"],
            [],
            ["Nama", "Username", "Sosmed", "Jumlah Followers", "ER", "Rate Card"],
            ["Ayu", "@ayu", "Instagram", 4999, 0.081, "Rp 750.000"],
            ["Budi", "budi", "TikTok", "5.000", 0.045, 1500000],
            ["Citra", "citra", "YouTube", "1,2 jt", 0.02, "Rp1,5jt"],
            [None, None, None, None, None, None],
            ["Jumlah", None, None, 1_209_999, None, None],
        ]}, percent_cells={("KOL", 3, 4), ("KOL", 4, 4), ("KOL", 5, 4)})
    roster = roster_of(data, "kol.xlsx")
    assert roster.sheet == "KOL" and roster.header_row == 3
    rows = roster.rows.set_index("source_row")
    assert rows.loc[[4, 5, 6], "followers"].tolist() == [4_999, 5_000, 1_200_000]
    assert rows.loc[[4, 5, 6], "engagement_rate"].tolist() == pytest.approx([0.081, 0.045, 0.02])
    assert rows.loc[[4, 5, 6], "fee"].tolist() == [750_000, 1_500_000, 1_500_000]
    assert rows.loc[7, "row_kind"] == "blank" and rows.loc[8, "row_kind"] == "total"
    tiers = analyse(roster, "partipost").set_index("source_row")["tier"]
    assert tiers.loc[[4, 5, 6]].tolist() == ["nano", "micro", "mega"]


def test_a_sum_row_without_a_label_is_a_total():
    roster = roster_of(csv_bytes(["handle,followers", "a,100", "b,300", ",400"]))
    assert roster.rows["row_kind"].tolist() == ["creator", "creator", "total"]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig", "cp1252"])
def test_encodings(encoding):
    data = csv_bytes(["Nama\tPengikut", "Zoë Café\t12,5rb", "Nur\t4.876"], encoding=encoding)
    roster = roster_of(data, "export.txt")
    assert roster.rows["name"].tolist() == ["Zoë Café", "Nur"]
    assert roster.rows["followers"].tolist() == [12_500, 4_876]


def test_utf16_without_bom_is_recognised():
    data = codecs.encode("handle,followers\nayu,1200\n", "utf-16-le")
    assert roster_of(data).rows["followers"].tolist() == [1_200]


@pytest.mark.parametrize("sep", [",", ";", "\t", "|"])
def test_delimiters_are_sniffed(sep):
    data = csv_bytes([f"handle{sep}followers{sep}platform", f"ayu{sep}\"12,5K\"{sep}ig", f"budi{sep}900{sep}tt"])
    assert roster_of(data).rows["followers"].tolist() == [12_500, 900]


def test_quoted_fields_with_separators_and_newlines():
    data = b'handle,followers,bio\nayu,"1,200","likes: food, travel\nand cats"\nbudi,300,x\n'
    roster = roster_of(data)
    assert roster.rows["followers"].tolist() == [1_200, 300]
    assert roster.rows["source_row"].tolist() == [2, 3]


@pytest.mark.parametrize(("cell", "reason"), [
    ("-5", "negative follower count"), ("0", "zero followers"), ("20000000000", "more than 10 billion followers"),
    ("12.5", "not a whole number of followers"), ("", "no follower count"),
])
def test_impossible_follower_counts_are_rejected(cell, reason):
    roster = roster_of(csv_bytes(["handle,followers", f"ayu,{cell}", "budi,100"]))
    assert roster.rows.loc[0, "status"] == "rejected"
    assert roster.rows.loc[0, "reason"] == f"column 'followers': {reason}"
    assert roster.rows.loc[1, "status"] == "ok"


def test_english_headers_and_urls_as_handles():
    data = csv_bytes(["Creator,Profile Link,Followers,Avg Likes,Comments",
                      "Ayu,https://www.instagram.com/ayu.eats/?hl=en,12.5K,900,30",
                      "Budi,https://www.tiktok.com/@budi.vlog,1.2M,40000,1000"])
    rows = roster_of(data).rows
    assert rows["handle"].tolist() == ["ayu.eats", "budi.vlog"]
    assert rows["platform"].tolist() == ["instagram", "tiktok"]


def test_no_follower_column_is_a_clear_error():
    raw = read_table(csv_bytes(["handle,city", "ayu,Jakarta"]), "list.csv")
    with pytest.raises(RosterError, match="list.csv: no follower column"):
        build_roster(raw)


def test_user_mapping_overrides_the_guess():
    raw = read_table(csv_bytes(["akun,angka", "ayu,12rb"]), "x.csv")
    roster = build_roster(raw, {"handle": "akun", "followers": "angka"})
    assert roster.rows["followers"].tolist() == [12_000]


@pytest.mark.parametrize(("data", "name", "message"), [
    (b"", "empty.csv", "the file is empty"),
    (b"\x00\x01\x02garbage" * 50, "random.xlsx", "content is not one"),
    (b"PK\x03\x04" + b"\x00" * 100, "broken.xlsx", "cannot be opened"),
    (b"<!DOCTYPE html><html><body><table></table></body></html>", "page.csv", "web page"),
])
def test_unreadable_files_are_refused_with_a_message(data, name, message):
    with pytest.raises(RosterError, match=message):
        read_table(data, name)


def test_header_only_file_is_refused():
    with pytest.raises(RosterError, match="no creator rows follow"):
        roster_of(csv_bytes(["handle,followers"]))


def test_sample_roster_reads_cleanly():
    from pathlib import Path
    roster = roster_of((Path(__file__).parents[1] / "data" / "sample_roster.csv").read_bytes(), "sample.csv")
    c = roster.counts
    assert c["ok"] >= 490 and c["rejected"] == 3 and c["total"] == 1
    assert set(roster.ok["platform"]) == {"instagram", "tiktok", "youtube"}


def test_opendocument_spreadsheet():
    import io

    import pandas as pd
    buffer = io.BytesIO()
    pd.DataFrame({"Akun": ["a", "b"], "Pengikut": [5000, "12,5rb"]}).to_excel(buffer, engine="odf", index=False)
    roster = roster_of(buffer.getvalue(), "roster.ods")
    assert roster.rows["followers"].tolist() == [5_000, 12_500]


def test_saved_mapping_json_is_used_by_the_cli(tmp_path):
    import json
    import subprocess
    import sys
    from pathlib import Path
    (tmp_path / "r.csv").write_bytes(csv_bytes(["akun,angka,kota", "ayu,12rb,Bandung"]))
    (tmp_path / "m.json").write_text(json.dumps({"handle": "akun", "followers": "angka"}))
    result = subprocess.run([sys.executable, "-m", "tiers", "classify", str(tmp_path / "r.csv"), "--mapping",
                             str(tmp_path / "m.json")], capture_output=True, text=True, cwd=Path(__file__).parents[1])
    assert result.returncode == 0, result.stderr
    assert "2,ayu,,c2,other,12000,micro" in result.stdout


def test_ambiguous_follower_columns_are_reported():
    from tiers.reading.columns import ambiguous_fields
    assert ambiguous_fields(["Handle", "Followers", "Follower"]) == {"followers": ["Followers", "Follower"]}
    assert ambiguous_fields(["Handle", "IG Followers", "TikTok Followers"]) == {}


def test_units_stated_in_headers_apply_per_column_and_are_reported():
    roster = roster_of(csv_bytes(["Nama;Akun;Platform;Followers (K);Harga (Rp juta)",
                                  "Ayu;@ayu;IG;12,5;2,5", "Budi;@budi;TikTok;125;3", "Cici;@cici;IG;4;750rb"]))
    assert roster.rows["followers"].tolist() == [12_500, 125_000, 4_000]
    assert roster.rows["fee"].tolist() == [2_500_000, 3_000_000, 750_000]
    assert roster.header_units == {"Followers (K)": 1e3, "Harga (Rp juta)": 1e6}
    wide = roster_of(csv_bytes(["Nama,IG Followers (K),TikTok Followers", "Ayu,12.5,3400", "Budi,,5000"]))
    assert wide.rows[["platform", "followers"]].values.tolist() == [
        ["instagram", 12_500], ["tiktok", 3_400], ["tiktok", 5_000]]
    assert wide.header_units == {"IG Followers (K)": 1e3}


def test_a_two_row_header_with_platform_groups_reads_as_a_wide_layout():
    rows = [["Daftar KOL", None, None, None, None, None, None],
            ["Nama", "Instagram", None, "TikTok", None, "Fee", "Catatan"],
            [None, "Followers", "ER", "Followers", "ER", None, None],
            ["Ayu", 12_500, 0.032, 45_000, 0.05, "Rp 1jt", "ok"],
            ["Budi", None, None, 1_200_000, 0.02, "Rp 5jt", None]]
    for data, name in ((xlsx_bytes({"KOL": rows}), "kol.xlsx"),
                       (csv_bytes([";".join("" if c is None else str(c) for c in row) for row in rows]), "kol.csv")):
        roster = roster_of(data, name)
        assert roster.header_row == 3
        assert {k: roster.mapping[k] for k in ("name", "followers@instagram", "engagement_rate@tiktok", "fee")} == {
            "name": "Nama", "followers@instagram": "Instagram Followers", "engagement_rate@tiktok": "TikTok ER",
            "fee": "Fee"}
        assert roster.rows[["name", "platform", "followers"]].values.tolist() == [
            ["Ayu", "instagram", 12_500], ["Ayu", "tiktok", 45_000], ["Budi", "tiktok", 1_200_000]]


def test_a_single_platform_or_title_above_the_header_changes_no_label():
    roster = roster_of(csv_bytes(["Instagram roster;;", "Akun;Followers;ER", "ayu;1200;3%"]))
    assert sorted(roster.mapping.values()) == ["Akun", "ER", "Followers"]
    roster = roster_of(csv_bytes([";Instagram;", "Akun;Followers;ER", "ayu;1200;3%"]))
    assert sorted(roster.mapping.values()) == ["Akun", "ER", "Followers"]


def test_without_a_platform_column_the_headers_or_the_user_name_the_platform():
    named = roster_of(csv_bytes(["Akun IG,Followers", "ayu,1200"]))
    assert named.rows["platform"].tolist() == ["instagram"] and named.mapping["platform_of_all"] == "instagram"
    youtube = roster_of(csv_bytes(["Channel name,Subscribers", "kiki,90000"]))
    assert youtube.rows["platform"].tolist() == ["youtube"]
    unnamed = roster_of(csv_bytes(["Akun,Followers", "ayu,1200", "https://tiktok.com/@budi,500"]))
    assert unnamed.rows["platform"].tolist() == ["other", "tiktok"] and "platform_of_all" not in unnamed.mapping
    raw = read_table(csv_bytes(["Akun,Followers", "ayu,1200", "https://tiktok.com/@budi,500"]), "r.csv")
    chosen = build_roster(raw, {"handle": "Akun", "followers": "Followers", "platform_of_all": "youtube"})
    assert chosen.rows["platform"].tolist() == ["youtube", "tiktok"]  # a profile URL still says where it is
    tiktok = roster_of(csv_bytes(["Tiktoker name,Tiktok name,Subscribers count", "khaby.lame,Khaby,149.2M"]))
    assert tiktok.rows["platform"].tolist() == ["tiktok"]  # a named platform outranks YouTube's word
    mixed = roster_of(csv_bytes(["IG handle,TikTok handle,Followers", "a,b,100"]))
    assert "platform_of_all" not in mixed.mapping


def test_unreadable_optional_cells_are_left_blank_with_a_warning():
    roster = roster_of(csv_bytes(["Akun,Followers,Likes,ER,Harga", "ayu,1200,abc,3%,Rp 1jt",
                                  "budi,5000,-5,lots,xyz", "cici,300,10,250%,"]))
    assert roster.counts["ok"] == 3 and roster.counts["flagged"] == 3
    assert roster.rows["warning"].tolist() == [
        "column 'Likes': 'abc' is not a number, left blank",
        "column 'Likes': negative, left blank; column 'ER': 'lots' is not a rate, left blank; "
        "column 'Harga': 'xyz' is not an amount, left blank",
        "engagement rate above 100%"]


def test_engagements_per_post_give_the_rate_when_likes_and_comments_are_missing():
    roster = roster_of(csv_bytes(["Instagram name,Followers,Authentic engagement,Engagement avg",
                                  "a,48.5M,383.1K,637K", "b,12.7M,478K,542.3K"]))
    assert roster.mapping["engagements"] == "Engagement avg" and "engagement_rate" not in roster.mapping
    analysed = analyse(roster, "partipost", "modash_instagram")
    assert analysed["engagement_rate"].round(6).tolist() == [round(637_000 / 48_500_000, 6),
                                                              round(542_300 / 12_700_000, 6)]
    assert analysed["verdict"].tolist() == ["above", "above"]


def test_an_engagement_column_of_counts_is_not_taken_for_a_rate():
    counts = roster_of(csv_bytes(["Akun IG,Followers,Engagement", "a,12000,540", "b,50000,1.2K"]))
    assert counts.mapping.get("engagements") == "Engagement" and "engagement_rate" not in counts.mapping
    rates = roster_of(csv_bytes(["Akun IG;Followers;Engagement", "a;12000;4.5%", "b;50000;3,2%"]))
    assert rates.mapping.get("engagement_rate") == "Engagement" and rates.rows["engagement_rate"].tolist() == [
        0.045, 0.032]
    explicit = roster_of(csv_bytes(["Akun IG,Followers,ER", "a,12000,3.5", "b,50000,250"]))
    assert explicit.mapping.get("engagement_rate") == "ER"


def test_a_price_range_is_read_at_its_midpoint_with_a_warning():
    roster = roster_of(csv_bytes(["Akun;Followers;Rate card", "a;12000;Rp 1-1,5jt", "b;50000;Rp 3jt"], sep=";"))
    assert roster.rows["fee"].tolist() == [1_250_000, 3_000_000]
    assert roster.rows["warning"].tolist()[0] == "column 'Rate card': a price range, its midpoint used"


def test_every_roster_sheet_read_together_keeps_each_rows_sheet():
    book = xlsx_bytes({"Instagram": [["Akun", "Followers"], ["ayu", 1200], ["budi", 50_000], [None, 51_200]],
                       "Notes": [["Brief"], ["Ramadan"]],
                       "KOL TikTok": [["Akun", "Followers", "Views"], ["citra", 2_000_000, 50_000], ["ayu", 3_000, 100],
                                      ["ayu", 3_000, 100], ["TOTAL", 2_006_000, None]]})
    roster = build_roster(read_table(book, "kol.xlsx", ALL_SHEETS))
    rows = roster.rows
    assert rows[["sheet", "source_row", "handle", "platform", "status"]].fillna("").values.tolist() == [
        ["Instagram", 2, "ayu", "instagram", "ok"], ["Instagram", 3, "budi", "instagram", "ok"],
        ["Instagram", 4, "", "instagram", "rejected"], ["KOL TikTok", 2, "citra", "tiktok", "ok"],
        ["KOL TikTok", 3, "ayu", "tiktok", "ok"], ["KOL TikTok", 4, "ayu", "tiktok", "rejected"],
        ["KOL TikTok", 5, "TOTAL", "tiktok", "rejected"]]
    assert rows["reason"].tolist()[2] == "total row (not a creator)"  # the sum of its own sheet
    assert rows["reason"].tolist()[5] == "duplicate of KOL TikTok row 3 (same handle and platform)"
    assert row_keys(rows).tolist()[:2] == ["Instagram!2/instagram", "Instagram!3/instagram"]
    with pytest.raises(RosterError, match="no sheet has a follower column"):
        read_table(xlsx_bytes({"A": [["Brief"], ["x"]]}), "none.xlsx", ALL_SHEETS)


def test_a_wide_layouts_account_named_without_its_count_is_rejected_for_it_not_left_out():
    """Bimo's Instagram handle is there, its follower cell empty: his Instagram account is a row of the roster,
    rejected with the reason naming its own column; Cici, with no Instagram at all, has no Instagram row."""
    roster = roster_of(csv_bytes(["Nama,IG Handle,IG Followers,TikTok Handle,TikTok Followers",
                                  "Ayu,@ayu,12500,@ayu.tt,40000", "Bimo,@bimo,,@bimo_tt,1200000",
                                  "Cici,,,@cici,abc"]))
    rows = roster.rows.set_index(["source_row", "platform"])
    assert sorted(rows.index) == [(2, "instagram"), (2, "tiktok"), (3, "instagram"), (3, "tiktok"), (4, "tiktok")]
    assert rows.loc[(3, "instagram"), ["handle", "status", "reason"]].tolist() == [
        "bimo", "rejected", "column 'IG Followers': no follower count"]
    assert rows.loc[(4, "tiktok"), "reason"] == "column 'TikTok Followers': 'abc' is not a number"
    assert roster.counts["read"] == 5 and roster.counts["ok"] == 3 and roster.counts["rejected"] == 2


def test_a_header_repeated_below_it_is_said_to_be_one():
    """Two exports pasted one under the other: the second header is no creator with an unreadable count."""
    roster = roster_of(csv_bytes(["Akun,Followers,Platform", "a,1000,ig", "b,2000,tt", "Akun,FOLLOWERS ,Platform",
                                  "c,3000,ig"]))
    rows = roster.rows.set_index("source_row")
    assert rows.loc[4, ["status", "reason"]].tolist() == ["rejected", "the header repeated (not a creator)"]
    assert rows.loc[[2, 3, 5], "status"].tolist() == ["ok", "ok", "ok"]

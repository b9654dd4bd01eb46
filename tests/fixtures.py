"""Awkward rosters, made by code, each with the exact result expected from it.

Each expectation lists, per output row in order: (source_row, handle, platform, followers, Partipost
tier, status). Rejected rows carry their reason's key phrase in place of the tier.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from tests.helpers import csv_bytes, xlsx_bytes


@dataclass(frozen=True)
class Fixture:
    name: str
    data: bytes
    expected: list[tuple]
    sheet: str | None = None


OK = "ok"
R = "rejected"

FIXTURES = [
    Fixture("indonesian-semicolon.csv", csv_bytes([
        "Daftar KOL Kampanye Ramadan;;;;", ";;;;", "Akun;Platform;Pengikut;Rata-rata Likes;Harga",
        "@rina.id;IG;12,5rb;1.234;Rp 1.500.000", "budi_vlog;TikTok;1,2 jt;45.000;Rp15jt", "sari;YT;4.876;120;",
        ";;;;", "dodo;ig;abc;10;Rp 500rb", "@rina.id;Instagram;13rb;10;", "TOTAL;;1.262.376;;"]), [
        (4, "rina.id", "instagram", 12_500, "micro", OK), (5, "budi_vlog", "tiktok", 1_200_000, "mega", OK),
        (6, "sari", "youtube", 4_876, "nano", OK), (7, None, "other", None, "blank row", R),
        (8, "dodo", "instagram", None, "'abc' is not a number", R),
        (9, "rina.id", "instagram", 13_000, "duplicate of row 4", R),
        (10, "TOTAL", "other", 1_262_376, "total row", R)]),
    Fixture("english-plain.csv", csv_bytes([
        "Handle,Platform,Followers,Avg Likes,Avg Comments", "@amy,Instagram,4999,400,20", "ben,TikTok,5000,100,5",
        "cal,YouTube,29999,10,1", "dee,Instagram,30000,900,30", "eve,Instagram,100000,1000,40"]), [
        (2, "amy", "instagram", 4_999, "nano", OK), (3, "ben", "tiktok", 5_000, "micro", OK),
        (4, "cal", "youtube", 29_999, "micro", OK), (5, "dee", "instagram", 30_000, "macro", OK),
        (6, "eve", "instagram", 100_000, "mega", OK)]),
    Fixture("unicode-text.txt", "Nama\tAkun\tPengikut\nZoë Café\tzoe\t12,5rb\nNur\tnur\t4.876\n".encode("utf-16"), [
        (2, "zoe", "other", 12_500, "micro", OK), (3, "nur", "other", 4_876, "nano", OK)]),
    Fixture("windows-1252.csv", csv_bytes(["Nama;Akun;Pengikut", "José;josé;8.500", "Renée;renee;1,5 jt"],
                                          encoding="cp1252"), [
        (2, "josé", "other", 8_500, "micro", OK), (3, "renee", "other", 1_500_000, "mega", OK)]),
    Fixture("pipes.csv", csv_bytes(["handle|followers|platform", "a|12.5K|ig", "b|800|tt"]), [
        (2, "a", "instagram", 12_500, "micro", OK), (3, "b", "tiktok", 800, "nano", OK)]),
    Fixture("bom.csv", codecs.BOM_UTF8 + csv_bytes(["Username,Subscribers,Channel", "kiki,250K,YouTube"]), [
        (2, "kiki", "youtube", 250_000, "mega", OK)]),
    Fixture("typed.xlsx", xlsx_bytes({"KOL": [
        ["Roster Kampanye Q3"], [], ["Nama", "Username", "Sosmed", "Jumlah Followers", "ER", "Rate Card"],
        ["Ayu", "@ayu", "Instagram", 4999, 0.081, "Rp 750.000"], ["Budi", "budi", "TikTok", "5.000", 0.045, 1500000],
        ["Citra", "citra", "YouTube", "1,2 jt", 0.02, "Rp1,5jt"], [None], ["Jumlah", None, None, 1_209_999]]}), [
        (4, "ayu", "instagram", 4_999, "nano", OK), (5, "budi", "tiktok", 5_000, "micro", OK),
        (6, "citra", "youtube", 1_200_000, "mega", OK), (7, None, "other", None, "blank row", R),
        (8, None, "other", 1_209_999, "total row", R)]),
    Fixture("notes-first.xlsx", xlsx_bytes({
        "Catatan": [["Dibuat oleh agensi"], ["Versi 3"]],
        "Data KOL": [["Akun", "Platform", "Followers"], ["x1", "IG", 45_000], ["x2", "IG", 120_000]]}), [
        (2, "x1", "instagram", 45_000, "macro", OK), (3, "x2", "instagram", 120_000, "mega", OK)]),
    Fixture("wide.xlsx", xlsx_bytes({"Sheet1": [
        ["Nama", "IG Username", "IG Followers", "IG Likes", "TikTok Followers", "TikTok Views"],
        ["Ayu", "ayu.ig", "12.5K", 400, "1.2M", 300000], ["Budi", "budi", 900, 50, None, None],
        ["Citra", None, None, None, None, None]]}), [
        (2, "ayu.ig", "instagram", 12_500, "micro", OK), (2, None, "tiktok", 1_200_000, "mega", OK),
        (3, "budi", "instagram", 900, "nano", OK), (4, None, "instagram", None, "no follower count", R)]),
    Fixture("wide.csv", csv_bytes(["Creator,Followers IG,Followers TikTok,Followers YouTube",
                                   "amy,5000,,", "ben,,20K,1.1M"]), [
        (2, None, "instagram", 5_000, "micro", OK), (3, None, "tiktok", 20_000, "micro", OK),
        (3, None, "youtube", 1_100_000, "mega", OK)]),
    Fixture("suffixes.csv", csv_bytes(["handle,followers", "a,12.5K", "b,1.2M", "c,10K+", "d,850k", "e,3B",
                                       "f,1.5 Mio"]), [
        (2, "a", "other", 12_500, "micro", OK), (3, "b", "other", 1_200_000, "mega", OK),
        (4, "c", "other", 10_000, "micro", OK), (5, "d", "other", 850_000, "mega", OK),
        (6, "e", "other", 3_000_000_000, "mega", OK), (7, "f", "other", 1_500_000, "mega", OK)]),
    Fixture("indonesian-words.csv", csv_bytes(["akun;pengikut", "a;93 ribu", "b;±8rb", "c;~5K", "d;2 juta",
                                               "e;sekitar 40rb", "f;1,25jt"], sep=";"), [
        (2, "a", "other", 93_000, "macro", OK), (3, "b", "other", 8_000, "micro", OK),
        (4, "c", "other", 5_000, "micro", OK), (5, "d", "other", 2_000_000, "mega", OK),
        (6, "e", "other", 40_000, "macro", OK), (7, "f", "other", 1_250_000, "mega", OK)]),
    Fixture("duplicates.csv", csv_bytes(["handle,platform,followers", "@Amy,ig,1000", "amy,Instagram,1200",
                                         "amy,TikTok,5000"]), [
        (2, "Amy", "instagram", 1_000, "nano", OK), (3, "amy", "instagram", 1_200, "duplicate of row 2", R),
        (4, "amy", "tiktok", 5_000, "micro", OK)]),
    # A fractional count is rejected and shown as the nearest whole number, a tie to the even one
    # (numpy's round, like Python's: 12.5 -> 12, 13.5 -> 14), the count a sheet that dropped the
    # decimals would hold; round() here is that rule, not a copy of the output.
    Fixture("impossible.csv", csv_bytes(["handle,followers", "a,-5", "b,0", "c,20000000000", "d,n/a", "e,",
                                         "f,12.5", "g,700", "h,13.5"]), [
        (2, "a", "other", -5, "negative", R), (3, "b", "other", 0, "zero followers", R),
        (4, "c", "other", 20_000_000_000, "more than 10 billion", R), (5, "d", "other", None, "not a number", R),
        (6, "e", "other", None, "no follower count", R), (7, "f", "other", round(12.5), "not a whole number", R),
        (8, "g", "other", 700, "nano", OK), (9, "h", "other", round(13.5), "not a whole number", R)]),
    Fixture("totals.csv", csv_bytes(["Name,Followers", "Ayu,1000", "Subtotal,1000", "Budi,2000", "Grand Total,3000",
                                     "Jumlah Keseluruhan,3000"]), [
        (2, None, "other", 1_000, "nano", OK), (3, None, "other", 1_000, "total row", R),
        (4, None, "other", 2_000, "nano", OK), (5, None, "other", 3_000, "total row", R),
        (6, None, "other", 3_000, "total row", R)]),
    Fixture("sum-row.csv", csv_bytes(["handle,followers", "a,100", "b,300", ",400"]), [
        (2, "a", "other", 100, "nano", OK), (3, "b", "other", 300, "nano", OK),
        (4, None, "other", 400, "total row", R)]),
    Fixture("messy-header.csv", csv_bytes([
        "PT Agensi Kreatif,,,,", "Laporan: Oktober,,,,", ",,,,", ",Akun IG,Followers,,Catatan",
        ",@a,\"1,500\",,ok", ",@b,\"12,000\",,", ",,,,"]), [
        (5, "a", "instagram", 1_500, "nano", OK), (6, "b", "instagram", 12_000, "micro", OK)]),
    Fixture("quoted.csv", b'handle,followers,bio\nayu,"1,200","food, travel\nand cats"\nbudi,300,x\n', [
        (2, "ayu", "other", 1_200, "nano", OK), (3, "budi", "other", 300, "nano", OK)]),
    Fixture("urls.csv", csv_bytes(["Profile Link,Followers", "https://www.instagram.com/ayu.eats/?hl=en,12.5K",
                                   "https://www.tiktok.com/@budi.vlog,1.2M", "youtube.com/@kiki,90K"]), [
        (2, "ayu.eats", "instagram", 12_500, "micro", OK), (3, "budi.vlog", "tiktok", 1_200_000, "mega", OK),
        (4, "kiki", "youtube", 90_000, "macro", OK)]),
    Fixture("spaces.csv", csv_bytes(["handle;followers", "a;12 500", "b;1\u00a0250\u00a0000", "c; 4.876 "], sep=";"), [
        (2, "a", "other", 12_500, "micro", OK), (3, "b", "other", 1_250_000, "mega", OK),
        (4, "c", "other", 4_876, "nano", OK)]),
    Fixture("crlf.csv", b"handle,followers\r\nayu,5000\r\nbudi,4999\r\n\r\n\r\n", [
        (2, "ayu", "other", 5_000, "micro", OK), (3, "budi", "other", 4_999, "nano", OK)]),
    Fixture("er-strings.csv", csv_bytes(["handle;followers;ER", "a;5000;3,5%", "b;9000;150%"], sep=";"), [
        (2, "a", "other", 5_000, "micro", OK), (3, "b", "other", 9_000, "micro", OK)]),
]


# An Indonesian agency workbook used by the app and browser tests: title row, Indonesian numbers, TOTAL row.
KOL_XLSX = xlsx_bytes({"KOL": [
    ["Roster Kampanye"], [],
    ["Nama", "Akun", "Platform", "Pengikut", "Rata-rata Likes", "Komentar", "Harga"],
    ["Ayu", "@ayu", "Instagram", "4.999", 400, 20, "Rp 750.000"],
    ["Budi", "@budi", "TikTok", "5.000", 300, 10, "Rp 1.000.000"],
    ["Citra", "@citra", "YouTube", "1,2 jt", 15000, 300, "Rp 25 jt"],
    ["Dewi", "@dewi", "Instagram", "35rb", 700, 40, 3500000],
    ["TOTAL", None, None, "1.244.999", None, None, None],
]})


# Roster over time: the same creators in successive rosters, in different layouts.
# An Indonesian workbook (title row, `rb`/`jt`, dotted thousands) then an English CSV of profile links.
INDONESIAN_WORKBOOK = xlsx_bytes({"KOL Oktober": [
    ["Daftar KOL Brand X - Oktober 2026"],
    [],
    ["No", "Nama KOL", "Akun", "Platform", "Jumlah Pengikut", "ER"],
    [1, "Rina Wijaya", "@Rina.ID", "Instagram", "4.876", "5,2%"],
    [2, "Budi Santoso", "@budi_s", "Instagram", "12,5rb", "3,1%"],
    [3, "Siti Aminah", "@sitiaminah", "TikTok", "1,2 jt", "2%"],
    [4, "Joko", "@joko.id", "Instagram", "40rb", "2%"],
    [5, "Dewi", "@dewi", "YouTube", "95rb", "1,5%"],
    [6, "Tanpa Angka", "@kosong", "Instagram", "-", ""],
    ["TOTAL", None, None, None, "1.357.376", None],
]})
ENGLISH_LINKS = csv_bytes([
    "Creator,Platform,Followers,Engagement rate",
    "https://www.instagram.com/rina.id/?hl=en,Instagram,6100,4.8%",
    "@Budi_S,Instagram,12900,3.0%",
    "https://www.tiktok.com/@sitiaminah/video/7300000000000000000,TikTok,1250000,1.9%",
    "https://youtube.com/@dewi/videos,YouTube,130000,1.2%",
    "https://instagram.com/new.face?igsh=abc123,Instagram,2300,8%",
])



HANDLES = csv_bytes([
    "Nama,Username,Platform,Followers",
    "Rina Wijaya,@rina.w,Instagram,10000",
    "Budi,@budi,Instagram,20000",
    "Andi,@andi1,TikTok,3000",
    "Andi,@andi2,TikTok,4000",
    "Eka 🌸,@eka,Instagram,50000",
])
NAMES_ONLY = csv_bytes([
    "Nama,Platform,Followers",
    "rina  wijaya,Instagram,11000",
    "BUDI,Instagram,26000",
    "Andi,TikTok,3500",
    "Eka,Instagram,52000",
    "Fajar,Instagram,700",
])




# Real KOL sheets (the ingestion issue): each file with the rows expected from it, as
# (source_row, handle, name, creator, platform, followers, status or the reason's key phrase).
def _merged_kol_workbook(unsaved_formula: bool = False, date_count: bool = False) -> bytes:
    """`No`, `Nama KOL` and `Domisili` merged down each person's block of platform rows; no handle column."""
    import io
    import zipfile

    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("KOL")
    sheet.write_row(0, 0, ["Daftar KOL Ramadan 2026"])
    sheet.write_row(2, 0, ["No", "Nama KOL", "Platform", "Followers", "Domisili"])
    blocks = [("Rina Wijaya", [("Instagram", "12,5rb"), ("TikTok", "1,2 jt"), ("YouTube", 95_000)], "Bandung"),
              ("Budi Santoso", [("Instagram", 4_876), ("TikTok", "30rb")], "Jakarta")]
    row = 3
    for number, (name, accounts, city) in enumerate(blocks, start=1):
        last = row + len(accounts) - 1
        sheet.merge_range(row, 0, last, 0, number)
        sheet.merge_range(row, 1, last, 1, name)
        sheet.merge_range(row, 4, last, 4, city)
        for offset, (platform, followers) in enumerate(accounts):
            sheet.write_string(row + offset, 2, platform)
            (sheet.write_string if isinstance(followers, str) else sheet.write_number)(row + offset, 3, followers)
        row = last + 1
    sheet.write_string(row, 1, "Sari")
    sheet.write_string(row, 2, "Instagram")
    if unsaved_formula:
        sheet.write_formula(row, 3, "=D4*2", None, "")
    elif date_count:
        sheet.write_number(row, 3, 1200, book.add_format({"num_format": "yyyy-mm-dd"}))
    else:
        sheet.write_number(row, 3, 7_000)
    book.close()
    data = buffer.getvalue()
    if not unsaved_formula:
        return data
    # As scripts (openpyxl and the like) write a formula: no cached result at all.
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename.startswith("xl/worksheets/"):
                content = content.replace(b"<f>D4*2</f><v></v>", b"<f>D4*2</f>")
            target.writestr(item, content)
    return out.getvalue()


MERGED_KOL = _merged_kol_workbook()
RINA = [(4, None, "Rina Wijaya", "c4", "instagram", 12_500, OK),
        (5, None, "Rina Wijaya", "c4", "tiktok", 1_200_000, OK), (6, None, "Rina Wijaya", "c4", "youtube", 95_000, OK)]
BUDI = [(7, None, "Budi Santoso", "c7", "instagram", 4_876, OK), (8, None, "Budi Santoso", "c7", "tiktok", 30_000, OK)]
KOL_SHEETS = [
    Fixture("kol-merged.xlsx", MERGED_KOL, [*RINA, *BUDI, (9, None, "Sari", "c9", "instagram", 7_000, OK)]),
    Fixture("kol-unsaved-formula.xlsx", _merged_kol_workbook(unsaved_formula=True), [
        *RINA, *BUDI,
        (9, None, "Sari", "c9", "instagram", None, "holds a formula (=D4*2) whose result was never saved")]),
    Fixture("kol-date-count.xlsx", _merged_kol_workbook(date_count=True), [
        *RINA, *BUDI, (9, None, "Sari", "c9", "instagram", None,
                       "formatted as a date (1903-04-14): the cell stores the number 1,200")]),
    Fixture("creator-links.csv", csv_bytes([
        "No,Creator,Influencer,Followers", "1,@kreator_031,Kreator Tiga Satu,1200",
        "2,https://www.instagram.com/kreator_032/?igsh=abc,Kreator 32,34000",
        "3,https://www.tiktok.com/@kreator_033?lang=id,Kreator 33,560000"]), [
        (2, "kreator_031", "Kreator Tiga Satu", "c2", "other", 1_200, OK),
        (3, "kreator_032", "Kreator 32", "c3", "instagram", 34_000, OK),
        (4, "kreator_033", "Kreator 33", "c4", "tiktok", 560_000, OK)]),
    Fixture("tiktokers.csv", csv_bytes([
        "Tiktoker name,Tiktok name,Followers", "Rina 🌸 Official,rina.official,1200", "Budi Santoso,budi_s,34000",
        "Cici,cici.cc,560000"]), [
        (2, "rina.official", "Rina 🌸 Official", "c2", "tiktok", 1_200, OK),
        (3, "budi_s", "Budi Santoso", "c3", "tiktok", 34_000, OK),
        (4, "cici.cc", "Cici", "c4", "tiktok", 560_000, OK)]),
    Fixture("scientific.csv", csv_bytes([
        "Handle,Platform,Followers", "@big,Instagram,1.2E+06", "@mid,Instagram,\"3,5E+04\"", "@small,TikTok,800"]), [
        (2, "big", None, "c2", "instagram", 1_200_000, OK), (3, "mid", None, "c3", "instagram", 35_000, OK),
        (4, "small", None, "c4", "tiktok", 800, OK)]),
    Fixture("mac-line-endings.csv", b"Handle,Followers\r@a,1200\r@b,3400\r\n@c,5600\n", [
        (2, "a", None, "c2", "other", 1_200, OK), (3, "b", None, "c3", "other", 3_400, OK),
        (4, "c", None, "c4", "other", 5_600, OK)]),
    Fixture("unicode-cells.csv", csv_bytes([
        "Akun,Platform,Followers", "name4,IG,\uff11\uff12\uff13\uff14", "name4\u200b,IG,5\u00a0000",
        "\uff52\uff49\uff4e\uff41,TikTok,12\u202f500"]), [
        (2, "name4", None, "c2", "instagram", 1_234, OK),
        (3, "name4", None, "c3", "instagram", 5_000, "duplicate of row 2"),
        (4, "rina", None, "c4", "tiktok", 12_500, OK)]),
    Fixture("top-instagram.csv", csv_bytes([
        "rank,channel_info,influence_score,posts,followers,avg_likes,60_day_eng_rate,new_post_avg_like,total_likes,country",
        "1,cristiano,92,3.3k,475.8m,8.7m,1.39%,6.5m,29.0b,Spain",
        "2,kyliejenner,91,6.9k,366.2m,8.3m,1.62%,5.9m,57.4b,United States"]), [
        (2, "cristiano", None, "c2", "instagram", 475_800_000, OK),  # the file's name names the platform
        (3, "kyliejenner", None, "c3", "instagram", 366_200_000, OK)]),
    Fixture("top-youtube.csv", csv_bytes([
        "Rank,Youtuber,Subscribers,Video Views,Video Count,Category,Started", "1,T-Series,222M,198B,17.3K,Music,2006",
        '2,Cocomelon - Nursery Rhymes,"155,000,000",158B,867,Education,2006', "3,Kecil,12.5M,1B,50,Music,2015"]), [
        (2, None, "T-Series", "c2", "youtube", 222_000_000, OK),
        (3, None, "Cocomelon - Nursery Rhymes", "c3", "youtube", 155_000_000, OK),
        (4, None, "Kecil", "c4", "youtube", 12_500_000, OK)]),
]

"""Write the corpus of sheet shapes under tests/corpus/: each file with its expected reading.

Run `python -m tests.corpus.make_corpus` after changing a shape; the files are committed so that a
test failure shows the very bytes that were read. Values come from a seeded generator; no real
person's data. Each expected-reading file says what a careful person reading the sheet would
expect: which columns are the identity, followers and engagements, and how many creators.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from tests.helpers import csv_bytes, xlsx_bytes

HERE = Path(__file__).parent
CATEGORIES = ["Music", "Games", "Entertainment", "Education", "People & Blogs", "Comedy", "Sports", "Film & Animation",
              "Howto & Style", "News & Politics", "Science & Technology", "Shows", "Nonprofits & Activism",
              "Autos & Vehicles", "Pets & Animals", "Travel & Events"]
COUNTRIES = ["India", "United States", "Brazil", "Indonesia", "Mexico", "Japan", "Thailand", "Philippines"]
WORDS = ["Kids", "TV", "Official", "Music", "Studio", "Live", "Channel", "Vlogs", "Gaming", "Shorts", "Daily", "Family"]
FIRST = ["Ayu", "Budi", "Citra", "Dewi", "Eka", "Fajar", "Gita", "Hendra", "Intan", "Joko", "Kartika", "Lestari",
         "Made", "Nadia", "Oki", "Putri", "Rizky", "Sari", "Tono", "Umi", "Vina", "Wahyu", "Yuni", "Zaki"]
LAST = ["Pratama", "Wijaya", "Santoso", "Lestari", "Saputra", "Hidayat", "Kusuma", "Nugroho", "Rahma", "Putra"]


def compact(n: int) -> str:
    for unit, size in (("B", 1e9), ("M", 1e6), ("K", 1e3)):
        if n >= size:
            return f"{n / size:.1f}{unit}"
    return str(n)


def rb(n: int) -> str:
    """Indonesian compact counts: 12,5rb, 1,2jt."""
    if n >= 1_000_000:
        return f"{n / 1e6:.1f}jt".replace(".", ",")
    if n >= 1_000:
        return f"{n / 1e3:.1f}rb".replace(".", ",")
    return str(n)


def youtube_channels(rng: random.Random) -> tuple[bytes, dict]:
    """The shape of Kaggle's 'Global YouTube Statistics 2023': Youtuber, category, channel_type with a
    few distinct words, lifetime video_views, country statistics (Unemployment rate) per row."""
    header = ["rank", "Youtuber", "subscribers", "video views", "category", "Title", "uploads", "Country",
              "Abbreviation", "channel_type", "video_views_rank", "created_year",
              "Gross tertiary education enrollment (%)", "Population", "Unemployment rate", "Latitude", "Longitude"]
    rows, subscribers = [",".join(header)], 245_000_000
    for i in range(1, 61):
        name = f"{rng.choice(WORDS)} {rng.choice(WORDS)} {i}" if i != 7 else "Total Gaming"
        subscribers -= rng.randint(100_000, 3_000_000)
        category = rng.choice(CATEGORIES[:8])
        rows.append(",".join(map(str, [
            i, name, subscribers, rng.randint(10**9, 2 * 10**11), category, name, rng.randint(10, 90_000),
            rng.choice(COUNTRIES), "IN", category.split()[0], rng.randint(1, 4000), rng.randint(2006, 2020),
            round(rng.uniform(20, 90), 1), rng.randint(10**6, 10**9), round(rng.uniform(2, 15), 2),
            round(rng.uniform(-30, 50), 6), round(rng.uniform(-120, 120), 6)])))
    return csv_bytes(rows), {
        "source": "Shape of Kaggle 'Global YouTube Statistics 2023' (kaggle.com/datasets/nelgiriyewithana/"
                  "global-youtube-statistics-2023): its columns in its order; rows invented, 'Total Gaming' kept as "
                  "the channel whose name starts with 'total'.",
        "identity": {"handle": None, "name": "Youtuber"}, "followers": "subscribers", "engagements": None,
        "not_read_as": {"fee": "Unemployment rate", "views": "video views", "platform": "channel_type",
                        "handle": "category"},
        "platform": "youtube", "creators": 60, "ok": 60, "rejected": 0, "not_creators": 0}


def mixed_handles(rng: random.Random) -> tuple[bytes, dict]:
    """A monthly export whose Creator column mixes @handles, profile links and bare handles."""
    rows = ["Creator,Platform,Followers,Avg Views,Rate card"]
    for i in range(1, 56):
        handle = f"kreator_{i:03d}" if i <= 45 else f"kreator_baru_{i - 45}"
        platform = rng.choice(["TikTok", "Instagram", "YouTube"])
        shape = i % 4
        if shape == 0:
            cell = f"@{handle}"
        elif shape == 1 and platform == "TikTok":
            cell = f"https://www.tiktok.com/@{handle}"
        elif shape == 1 and platform == "YouTube":
            cell = f"https://youtube.com/@{handle}/videos"
        elif shape == 1:
            cell = f"https://www.instagram.com/{handle}/?hl=en"
        else:
            cell = handle
        fee = f"Rp {rng.randint(5, 300) * 100_000:,}".replace(",", ".")
        rows.append(f"{cell},{platform},{rng.randint(2_000, 900_000)},{rng.randint(500, 90_000)},{fee}")
    return csv_bytes(rows), {
        "source": "Hand-made: the issue's monthly export whose 'Creator' column holds @handles, TikTok/YouTube/"
                  "Instagram profile links and bare handles, about half each.",
        "identity": {"handle": "Creator", "name": None}, "followers": "Followers", "engagements": None,
        "creators": 55, "ok": 55, "rejected": 0, "not_creators": 0}


def average_engagements(rng: random.Random) -> tuple[bytes, dict]:
    """A 'top Instagram' export with average and authentic engagements per post, 23.4M style."""
    rows = ["#,Instagram name,Username,Category,Followers,Followers (exact),Country,Eng. (Auth.),Eng. (Avg.)"]
    for i in range(1, 41):
        followers = rng.randint(5_000_000, 600_000_000)
        average = int(followers * rng.uniform(0.002, 0.04))
        rows.append(",".join([str(i), f"{rng.choice(FIRST)} {rng.choice(LAST)}", f"star.{i}",
                              rng.choice(["Music", "Sports", "Fashion", "Beauty"]), compact(followers), str(followers),
                              rng.choice(COUNTRIES), compact(int(average * 0.6)), compact(average)]))
    return csv_bytes(rows), {
        "source": "Shape of the HypeAuditor 'Top Instagram influencers' tables as copied into sheets: 'Eng. (Auth.)'"
                  " and 'Eng. (Avg.)' average engagements per post, compact counts; rows invented.",
        "identity": {"handle": "Username", "name": "Instagram name"}, "followers": "Followers",
        "engagements": "Eng. (Avg.)", "platform": "instagram", "creators": 40, "ok": 40, "rejected": 0,
        "not_creators": 0, "rate_known": 40}


def tier_words_only(rng: random.Random) -> tuple[bytes, dict]:
    """A roster that states each creator's tier in words and gives no follower counts."""
    rows = ["No,Nama,Username,tier_followers,Kota,Niche"]
    for i in range(1, 31):
        rows.append(",".join([str(i), f"{rng.choice(FIRST)} {rng.choice(LAST)}", f"kol.{i}",
                              rng.choice(["Nano", "Micro", "Mid", "Macro", "Mega"]),
                              rng.choice(["Jakarta", "Bandung", "Surabaya"]), rng.choice(["Beauty", "Food", "Tech"])]))
    return csv_bytes(rows), {
        "source": "Hand-made: the issue's roster with tier_followers = Nano / Micro / Mid / Macro / Mega and no "
                  "follower counts.",
        "refused": "gives each creator's tier but no column gives follower counts"}


def stated_tiers(rng: random.Random) -> tuple[bytes, dict]:
    """Tier words next to follower counts: the sheet's own tier, shown against the scheme's."""
    rows = ["Nama KOL;Akun IG;Pengikut;Tier;Rate card"]
    for i in range(1, 21):
        followers = rng.choice([rng.randint(1_000, 9_000), rng.randint(10_000, 90_000),
                                rng.randint(200_000, 2_000_000)])
        tier = "Nano" if followers < 10_000 else "Mikro" if followers < 100_000 else "Makro"
        rows.append(f"{rng.choice(FIRST)} {rng.choice(LAST)};@ig_{i};{rb(followers)};{tier};Rp {i}.500.000")
    return csv_bytes(rows), {
        "source": "Hand-made Indonesian agency roster with its own tier column (Nano / Mikro / Makro).",
        "identity": {"handle": "Akun IG", "name": "Nama KOL"}, "followers": "Pengikut", "engagements": None,
        "tier_stated": "Tier", "platform": "instagram", "creators": 20, "ok": 20, "rejected": 0, "not_creators": 0}


def huge_count(rng: random.Random) -> tuple[bytes, dict]:
    """A follower cell of 1e30 among ordinary ones, and counts too large for any integer."""
    rows = ["Handle,Platform,Followers,Likes"]
    for i in range(1, 13):
        rows.append(f"@akun{i},TikTok,{rng.randint(1_000, 500_000)},{rng.randint(10, 9_000)}")
    rows += ["@besar,TikTok,1e30,10", "@lebih,TikTok,100000000000000000000,20", "@batas,TikTok,9223372036854775808,5",
             "@koma,TikTok,\"1,2,3\",5", "@titik,TikTok,1.2.3,5", "@suka,TikTok,12000,1e30"]
    return csv_bytes(rows), {
        "source": "Hand-made: the issue's follower cell 1e30, with 1e20, 2**63, '1,2,3' and '1.2.3'.",
        "identity": {"handle": "Handle", "name": None}, "followers": "Followers", "engagements": None,
        "creators": 18, "ok": 13, "rejected": 5, "not_creators": 0, "warned": 1}


def merged_kol_workbook(rng: random.Random) -> tuple[bytes, dict]:
    """An Indonesian agency workbook: title rows, a person's accounts on several rows, a TOTAL row."""
    sheet = [["DAFTAR KOL KAMPANYE RAMADAN 2026"], ["Klien: Brand Kecantikan"], [],
             ["No", "Nama KOL", "Username", "Platform", "Jumlah Pengikut", "Interaksi rata-rata", "ER",
              "Rate Card (Rp)"]]
    total = 0
    for i in range(1, 9):
        name = f"{FIRST[i]} {LAST[i % len(LAST)]}"
        for platform in ("Instagram", "TikTok")[: 1 + i % 2]:
            followers = rng.randint(3_000, 800_000)
            total += followers
            sheet.append([i, name, f"{name.split()[0].lower()}.{platform[:2].lower()}", platform, rb(followers),
                          rb(int(followers * 0.03)), f"{rng.uniform(1, 6):.1f}%".replace(".", ","),
                          f"{rng.randint(1, 30)}.000.000"])
    sheet += [[], ["TOTAL", None, None, None, f"{total:,}".replace(",", ".")]]
    return xlsx_bytes({"KOL": sheet}), {
        "source": "Hand-made Indonesian agency KOL list: title rows, one person's Instagram and TikTok rows, "
                  "'Interaksi rata-rata', ER as '3,5%', rate card in rupiah, a blank row and a TOTAL row.",
        "identity": {"handle": "Username", "name": "Nama KOL"}, "followers": "Jumlah Pengikut",
        "engagements": "Interaksi rata-rata", "creators": 12, "ok": 12, "rejected": 0, "not_creators": 2}


def platform_in_file_name(rng: random.Random) -> tuple[bytes, dict]:
    """No platform column and no platform in the headers: the file's name says Instagram."""
    rows = ["Nama;Akun;Pengikut;Avg. engagement"]
    for i in range(1, 16):
        name, handle = f"{rng.choice(FIRST)} {rng.choice(LAST)}", f"@{rng.choice(FIRST).lower()}_{i}"
        rows.append(f"{name};{handle};{rb(rng.randint(900, 90_000))};{rng.randint(20, 900)}")
        if i == 8:
            rows.append(";;;")
    return csv_bytes(rows), {
        "source": "Hand-made: an agency's reach export named instagram_reach.csv, semicolons, 12,5rb counts.",
        "identity": {"handle": "Akun", "name": "Nama"}, "followers": "Pengikut", "engagements": "Avg. engagement",
        "platform": "instagram", "creators": 15, "ok": 15, "rejected": 0, "not_creators": 1}


SHAPES = {
    "youtube-channels.csv": youtube_channels,
    "kol-november-mixed-handles.csv": mixed_handles,
    "top-instagram-engagements.csv": average_engagements,
    "tier-words-no-counts.csv": tier_words_only,
    "kol-stated-tiers.csv": stated_tiers,
    "huge-counts.csv": huge_count,
    "kol-ramadan.xlsx": merged_kol_workbook,
    "instagram_reach.csv": platform_in_file_name,
}


def main() -> None:
    for name, make in SHAPES.items():
        data, expected = make(random.Random(name))
        (HERE / name).write_bytes(data)
        (HERE / f"{name}.expected.json").write_text(json.dumps({"file": name, **expected}, indent=2,
                                                               ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

"""Make data/sample_roster.csv: a seeded, realistic Indonesian agency roster (run: python data/make_sample.py).

About 500 creators on Instagram, TikTok and YouTube, followers spread over every tier of every
scheme, engagement falling with size as the published norms describe, a rupiah rate card, and the
mess real sheets have: a title row, semicolons, `12,5rb` / `1,2 jt` / `4.876` counts, a few gaps,
three rows without a follower count and a TOTAL row.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

SEED = 20261123
N = 500
OUT = Path(__file__).with_name("sample_roster.csv")

FIRST = ["Ayu", "Budi", "Citra", "Dewi", "Eka", "Fajar", "Gita", "Hendra", "Indah", "Joko", "Kartika",
         "Lestari", "Made", "Nadia", "Oki", "Putri", "Rizky", "Sari", "Teguh", "Umi", "Vina", "Wahyu",
         "Yusuf", "Zahra", "Agus", "Bayu", "Dimas", "Fitri", "Galih", "Intan", "Kevin", "Maya", "Nanda",
         "Rani", "Siti", "Tania", "Wulan", "Yoga", "Bella", "Reza"]
LAST = ["Pratama", "Saputra", "Wijaya", "Lestari", "Santoso", "Hidayat", "Nugroho", "Kusuma", "Siregar",
        "Putri", "Halim", "Wibowo", "Gunawan", "Setiawan", "Rahayu", "Permata", "Nasution", "Harahap",
        "Simanjuntak", "Utami", "Anggraini", "Syahputra", "Firmansyah", "Maharani"]
CITIES = ["Jakarta", "Surabaya", "Bandung", "Medan", "Yogyakarta", "Makassar", "Semarang", "Denpasar",
          "Palembang", "Malang", "Bekasi", "Tangerang", "Depok", "Bogor", "Balikpapan", "Manado"]
NICHES = ["Beauty", "Fashion", "Kuliner", "Travel", "Gaming", "Parenting", "Tech", "Fitness",
          "Otomotif", "Edukasi", "Komedi", "Lifestyle", "Hijab Fashion", "Musik"]


def indonesian_thousands(n: pd.Series) -> pd.Series:
    """12500 -> '12.500' as an Indonesian-locale sheet shows it."""
    return n.map("{:,.0f}".format).str.replace(",", ".")


def short_form(n: pd.Series, rng: np.random.Generator) -> pd.Series:
    """12500 -> '12,5rb' or '12,5 rb'; 1200000 -> '1,2 jt' (one decimal, as people type it)."""
    millions = n >= 1_000_000
    value = np.where(millions, n / 1e6, n / 1e3)
    unit = np.where(millions, "jt", np.where(rng.random(len(n)) < 0.5, "rb", "ribu"))
    text = pd.Series(np.round(value, 1), index=n.index).map("{:g}".format).str.replace(".", ",")
    space = np.where(rng.random(len(n)) < 0.5, " ", "")
    return text + space + unit


def make_sample(seed: int = SEED, n: int = N) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    first, last = rng.choice(FIRST, n), rng.choice(LAST, n)
    names = pd.Series(first) + " " + pd.Series(last)
    handles = (pd.Series(first).str.lower() + rng.choice([".", "_", ""], n) + pd.Series(last).str.lower()
               + pd.Series(rng.integers(0, 100, n)).map(lambda i: "" if i < 60 else str(i)))
    handles = handles.where(~handles.duplicated(), handles + "_" + pd.Series(np.arange(n)).astype(str))
    platform = rng.choice(["Instagram", "TikTok", "YouTube"], n, p=[0.5, 0.35, 0.15])
    # Log-uniform sizes, weighted towards the small creators agencies book most.
    top = np.where(rng.random(n) < 0.6, np.log(150_000), np.log(6_000_000))
    followers = np.round(np.exp(rng.uniform(np.log(800), top))).astype(int)
    # Engagement per follower falls with size (Partipost: nano 7-10%, mega about 1%), with noise.
    er = np.clip(0.08 * (followers / 3000) ** -0.4 * rng.lognormal(0, 0.35, n), 0.002, 0.4)
    video = platform != "Instagram"
    views = np.where(platform == "TikTok", followers * rng.uniform(0.3, 1.6, n),
                     np.where(platform == "YouTube", followers * rng.uniform(0.08, 0.5, n), np.nan))
    # A few rows that a careful analyst should question: near-silent comment sections, views far
    # below followers on video platforms.
    suspects = rng.choice(np.flatnonzero((followers > 50_000) & video), 8, replace=False)
    views[suspects[:4]] = followers[suspects[:4]] * 0.02
    engagements = np.where(video, views * er * 1.3, followers * er)
    likes = np.round(engagements * 0.88)
    comments = np.round(engagements * rng.uniform(0.03, 0.09, n))
    comments[suspects[4:]] = np.round(likes[suspects[4:]] * 0.0008)
    shares = np.where(video, np.round(engagements * 0.04), np.nan)
    fee = followers * rng.uniform(70, 160, n) * (followers / 10_000) ** -0.12
    fee = np.maximum(np.round(fee / 50_000) * 50_000, 150_000)
    nano_type = np.where(followers < 10_000, rng.choice(["Native", "Non-native"], n), "")

    frame = pd.DataFrame({
        "Nama": names, "Akun": "@" + handles, "Platform": platform,
        "Pengikut": pd.Series(followers).astype(str),
        "Rata-rata Likes": indonesian_thousands(pd.Series(likes)),
        "Komentar": pd.Series(comments).map("{:.0f}".format),
        "Share": pd.Series(shares).map(lambda v: "" if np.isnan(v) else f"{v:.0f}"),
        "Tayangan": pd.Series(views).map(lambda v: "" if np.isnan(v) else f"{v:.0f}"),
        "Harga (Rp)": "Rp " + indonesian_thousands(pd.Series(fee)),
        "Kategori": rng.choice(NICHES, n), "Kota": rng.choice(CITIES, n), "Jenis Nano": nano_type,
    })
    style = rng.random(n)
    f = pd.Series(followers)
    frame["Pengikut"] = frame["Pengikut"].mask(style < 0.25, short_form(f, rng))
    frame["Pengikut"] = frame["Pengikut"].mask((style >= 0.25) & (style < 0.45), indonesian_thousands(f))
    # A few gaps, as real sheets have.
    gaps = rng.choice(n, 12, replace=False)
    frame.loc[gaps[:5], "Harga (Rp)"] = ""
    frame.loc[gaps[5:9], "Komentar"] = ""
    frame.loc[gaps[9:], "Pengikut"] = ["", "n/a", "-"]
    total = {c: "" for c in frame.columns} | {"Nama": "TOTAL", "Pengikut": indonesian_thousands(
        pd.Series([followers[np.setdiff1d(np.arange(n), gaps[9:])].sum()])).iloc[0]}
    return pd.concat([frame, pd.DataFrame([total])], ignore_index=True)


def write_sample(path: Path = OUT, seed: int = SEED, n: int = N) -> Path:
    frame = make_sample(seed, n)
    title = "Roster KOL Tierscope - contoh data (fiktif)" + ";" * (len(frame.columns) - 1)
    body = frame.to_csv(sep=";", index=False, lineterminator="\n")
    path.write_text(title + "\n" + body, encoding="utf-8")
    return path


if __name__ == "__main__":
    print(f"wrote {write_sample()}")

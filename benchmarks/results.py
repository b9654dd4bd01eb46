"""Campaign results benchmark: reading and summarising a results sheet of N posts against classifying an
N-row roster, both by the command line, in the same run (target: at most 1.5x).

    .venv/bin/python benchmarks/results.py                # 100K posts, 3 alternated runs
    .venv/bin/python benchmarks/results.py --posts 20000 --repeats 1
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.run import compare, make_roster  # noqa: E402 - needs the project root on the path

TARGET = 1.5


def make_posts(n: int, seed: int = 5) -> pd.DataFrame:
    """N posts of N/4 creators as an agency types them: Indonesian number text (`12,5rb`, `1.234`, `Rp 1,5jt`),
    @handles, post links, a format and a date; one post in fifty without views (a story)."""
    rng = np.random.default_rng(seed)
    creators = max(n // 4, 1)
    who = np.sort(rng.integers(0, creators, n))
    followers = np.round(np.exp(rng.uniform(np.log(500), np.log(5e6), creators))).astype(np.int64)[who]
    platform = rng.choice(["Instagram", "TikTok", "YouTube"], creators)[who]
    views = np.round(followers * rng.uniform(0.1, 2.0, n)).astype(np.int64)
    likes = np.round(views * rng.uniform(0.01, 0.08, n)).astype(np.int64)
    thousands = pd.Series(np.round(followers / 1000, 1)).astype(str).str.replace(".", ",", regex=False) + "rb"
    grouped = pd.Series(views).map("{:,}".format).str.replace(",", ".", regex=False)
    fee = pd.Series(np.round(followers / 100) * 1000).map("Rp {:,.0f}".format).str.replace(",", ".", regex=False)
    return pd.DataFrame({
        "Nama KOL": "Creator " + pd.Series(who).astype(str),
        "Akun": "@creator" + pd.Series(who).astype(str),
        "Platform": platform,
        "Followers": np.where(followers >= 10_000, thousands, pd.Series(followers).astype(str)),
        "Link Post": "https://www.instagram.com/p/P" + pd.Series(np.arange(n)).astype(str) + "/",
        "Tanggal": "0" + pd.Series(rng.integers(1, 10, n)).astype(str) + "/03/2026",
        "Format": rng.choice(["Reels", "Feed", "Story", "TikTok video", "Shorts"], n),
        "Tayangan": np.where(rng.random(n) < 0.02, "", grouped),
        "Suka": likes,
        "Komentar": np.round(likes * rng.uniform(0.01, 0.1, n)).astype(np.int64),
        "Bagikan": np.round(likes * rng.uniform(0.0, 0.05, n)).astype(np.int64),
        "Simpan": np.round(likes * rng.uniform(0.0, 0.05, n)).astype(np.int64),
        "Fee": fee,
    })


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    python = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        roster, posts = tmp / "roster.csv", tmp / "hasil.csv"
        make_roster(args.posts, string_followers=True).to_csv(roster, index=False)
        make_posts(args.posts).to_csv(posts, index=False, sep=";")
        row = compare(f"results: read and summarise {args.posts:,} posts vs classify {args.posts:,}-row roster",
                      [python, "-m", "tiers", "classify", str(roster), "-o", str(tmp / "classified.csv")],
                      [python, "-m", "tiers", "results", str(posts), "-o", str(tmp / "posts.csv"),
                       "--summary", str(tmp / "tiers.csv")], args.repeats, TARGET)
    print(f"{row['step']}: classify {row['baseline_s']:.2f} s, results {row['tierscope_s']:.2f} s, "
          f"ratio {row['ratio']:.2f} (target <= {TARGET}x): {'met' if row['met'] else 'NOT met'}")


if __name__ == "__main__":
    main()

"""Generated creator bases: monthly snapshots of typed Parquet, seeded, for the dashboard's demo base,
the tests and the benchmark (benchmarks/base.py). Every column is drawn vectorised, a file of
`CHUNK` rows at a time, so a 100M-creator base needs no more memory than a 1M-creator one."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

CHUNK = 1_000_000  # rows per generated Parquet file
PLATFORMS = np.array(["instagram", "tiktok", "youtube"])
COUNTRIES = np.array(["ID", "MY", "SG", "TH", "PH", "VN"])
COUNTRY_SHARES = np.array([0.45, 0.15, 0.05, 0.15, 0.12, 0.08])


def generate(folder: Path, n: int, seed: int, later: bool = False, countries: bool = False,
             chunk: int = CHUNK) -> Path:
    """n creators in files of `chunk` rows: handle, platform, followers, likes, comments, views (and
    country, when asked). The later snapshot (`later`) has the first one's creators, 95% kept
    (followers moved a few percent, one in 2,000 tripled) and 5% replaced by new ones."""
    folder.mkdir(parents=True, exist_ok=True)
    for start in range(0, n, chunk):
        size = min(chunk, n - start)
        rng = np.random.default_rng(seed * 1000 + start // chunk)
        ids = np.arange(start, start + size)
        base = np.random.default_rng(7 * 1000 + start // chunk)  # the first snapshot's creators
        followers = np.round(np.exp(base.uniform(np.log(500), np.log(5e6), size)))
        platform = PLATFORMS[base.integers(0, 3, size)]
        country = COUNTRIES[base.choice(len(COUNTRIES), size, p=COUNTRY_SHARES)]
        handle = np.char.add("creator", ids.astype(str)).astype(object)
        if later:
            followers = np.round(followers * rng.lognormal(0.02, 0.05, size))
            followers[rng.random(size) < 0.0005] *= 3
            gone = rng.random(size) < 0.05
            handle = np.where(gone, np.char.add("new_creator", ids.astype(str)).astype(object), handle)
        likes = np.round(followers * rng.uniform(0.005, 0.08, size))
        columns = {"handle": pa.array(handle, pa.string()), "platform": pa.array(platform),
                   "followers": followers, "likes": likes,
                   "comments": np.round(followers * rng.uniform(0.0005, 0.004, size)),
                   "views": np.where(platform == "instagram", np.nan, np.round(followers * rng.uniform(0.1, 2, size)))}
        if countries:
            columns["country"] = pa.array(country)
        pq.write_table(pa.table(columns), folder / f"part-{start // chunk:04d}.parquet")
    return folder


def generate_base(folder: Path, n: int, months: tuple[str, str] = ("2026-11", "2026-12"), chunk: int = CHUNK) -> Path:
    """A creator base of two monthly snapshots (folders named by their month) with countries."""
    generate(folder / months[0], n, 7, countries=True, chunk=chunk)
    generate(folder / months[1], n, 11, later=True, countries=True, chunk=chunk)
    return folder

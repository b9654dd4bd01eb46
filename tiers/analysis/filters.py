"""Filters shared by every page: boolean masks over the analysed creators (pure functions)."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd


def filter_mask(frame: pd.DataFrame, platforms: Iterable[str] = (), niches: Iterable[str] = (),
                cities: Iterable[str] = ()) -> pd.Series:
    """Rows matching every non-empty filter; an empty filter keeps everything."""
    mask = pd.Series(True, index=frame.index)
    for column, chosen in (("platform", platforms), ("niche", niches), ("city", cities)):
        chosen = list(chosen)
        if chosen:
            mask &= frame[column].isin(chosen)
    return mask


def filter_options(frame: pd.DataFrame, column: str, limit: int = 200) -> list[str]:
    """The most common values of a column, for a filter's choices."""
    return frame[column].dropna().value_counts().head(limit).index.astype(str).tolist()


def row_keys(frame: pd.DataFrame) -> pd.Series:
    """'<source_row>/<platform>': a creator entry's identity that survives re-analysis (a wide
    layout gives one source row several platform entries); '<sheet>!<source_row>/<platform>' when
    every roster sheet of a workbook is read together."""
    keys = frame["source_row"].astype("str") + "/" + frame["platform"].astype("str")
    return frame["sheet"].astype("str") + "!" + keys if "sheet" in frame else keys


def row_columns(frame: pd.DataFrame) -> list[str]:
    """The columns that say where a row is in the file: its sheet too when several were read."""
    return ["sheet", "source_row"] if "sheet" in frame else ["source_row"]


def apply_nano_tags(frame: pd.DataFrame, tags: dict[str, str]) -> pd.DataFrame:
    """Override `nano_type` with the user's tags, keyed by `row_keys`."""
    if not tags:
        return frame
    tagged = row_keys(frame).map(tags)
    out = frame.copy()
    out["nano_type"] = tagged.where(tagged.notna(), frame["nano_type"]).astype("str")
    return out


def named_accounts(frame: pd.DataFrame, texts: Iterable[str]) -> tuple[list, list[str]]:
    """(index labels of the accounts the texts name, the texts naming none): a text names an account by its
    handle (any case, with or without '@') or its name, as a person types one into a picker."""
    wanted = {text.strip().lstrip("@").lower(): text for text in texts if text.strip()}
    handles = frame["handle"].astype("str").str.lstrip("@").str.lower().where(frame["handle"].notna())
    names = frame["name"].astype("str").str.strip().str.lower().where(frame["name"].notna())
    hit = handles.isin(wanted) | names.isin(wanted)
    found = set(handles[hit]) | set(names[hit])
    return frame.index[hit].tolist(), [text for key, text in wanted.items() if key not in found]

"""Read-only links for the brand client: one analysis's client story, nothing else, until it expires
or is revoked.

A link carries a random token of 192 bits; only its SHA-256 is stored, so the database alone cannot
open a link. Unknown, expired and revoked tokens are refused alike (`open_link` answers None), so a
refusal says nothing about which links exist.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import re
import secrets
from dataclasses import dataclass

from sqlalchemy import insert, select, update

from tiers.storage.analysis import Analysis
from tiers.storage.schema import analyses, share_links
from tiers.storage.store import NotFound, Store

TOKEN_BYTES = 24  # 192 random bits
DEFAULT_DAYS = 14
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")  # what token_urlsafe(24) writes


@dataclass(frozen=True)
class LinkOptions:
    """What the client may see. Fees are hidden unless the editor shows them: agencies treat
    negotiated fees as confidential."""

    shortlist_only: bool = False
    show_fees: bool = False
    downloads: bool = True
    lang: str = "en"

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> LinkOptions:
        data = json.loads(text)
        return cls(**{f.name: data[f.name] for f in dataclasses.fields(cls) if f.name in data})


@dataclass(frozen=True)
class ShareLink:
    id: str  # the SHA-256 of its token
    analysis_id: str
    options: LinkOptions
    created_by: str
    created_at: dt.datetime
    expires_at: dt.datetime
    revoked_at: dt.datetime | None
    last_opened_at: dt.datetime | None
    opened: int


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _utc(moment: dt.datetime | None) -> dt.datetime | None:
    if moment is None:
        return None
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


def token_id(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _link(row) -> ShareLink:
    return ShareLink(row.id, row.analysis_id, LinkOptions.from_json(row.options), row.created_by,
                     _utc(row.created_at), _utc(row.expires_at), _utc(row.revoked_at), _utc(row.last_opened_at),
                     row.opened)


def create_link(store: Store, analysis_id: str, options: LinkOptions,
                days: int = DEFAULT_DAYS) -> tuple[str, ShareLink]:
    """A new link to an analysis the store's member may see: (token, link). The token is shown to the
    editor once and never stored."""
    if store.get(analysis_id) is None:
        raise NotFound(analysis_id)
    if not 1 <= days <= 366:
        raise ValueError("a link lasts from 1 to 366 days")
    token = secrets.token_urlsafe(TOKEN_BYTES)
    now = _now()
    with store.engine.begin() as connection:
        connection.execute(insert(share_links).values(
            id=token_id(token), analysis_id=analysis_id, options=options.to_json(), created_by=store.member,
            created_at=now, expires_at=now + dt.timedelta(days=days), opened=0))
        row = connection.execute(select(share_links).where(share_links.c.id == token_id(token))).first()
    return token, _link(row)


def active_links(store: Store, analysis_id: str) -> list[ShareLink]:
    """The links of an analysis the store's member may see that still open, newest first."""
    if store.get(analysis_id) is None:
        return []
    query = (select(share_links).where(share_links.c.analysis_id == analysis_id, share_links.c.revoked_at.is_(None),
                                       share_links.c.expires_at > _now())
             .order_by(share_links.c.created_at.desc()))
    with store.engine.connect() as connection:
        return [_link(row) for row in connection.execute(query)]


def revoke_link(store: Store, link_id: str) -> None:
    """Stop a link of one of the member's analyses from opening; NotFound for any other."""
    with store.engine.begin() as connection:
        row = connection.execute(select(share_links.c.analysis_id).where(share_links.c.id == link_id)).first()
        if row is None or store.get(row.analysis_id) is None:
            raise NotFound(link_id)
        connection.execute(update(share_links).where(share_links.c.id == link_id).values(revoked_at=_now()))


def open_link(store: Store, token: object, count: bool = True) -> tuple[Analysis, LinkOptions] | None:
    """The analysis and options a token opens, counting the opening (unless `count` is False: the
    same session looking again); None for a token that is malformed, unknown, expired or revoked
    (all alike)."""
    if not isinstance(token, str) or not _TOKEN.match(token):
        return None
    now = _now()
    with store.engine.begin() as connection:
        row = connection.execute(select(share_links).where(share_links.c.id == token_id(token))).first()
        if row is None or row.revoked_at is not None or _utc(row.expires_at) <= now:
            return None
        if count:
            connection.execute(update(share_links).where(share_links.c.id == row.id)
                               .values(last_opened_at=now, opened=share_links.c.opened + 1))
        organisation = connection.execute(select(analyses.c.organisation).where(
            analyses.c.id == row.analysis_id)).scalar()
    analysis = store.as_member(organisation or "", "").get(row.analysis_id)
    return (analysis, LinkOptions.from_json(row.options)) if analysis is not None else None

"""Signing out everywhere. Streamlit keeps a signed-in member's identity in a signed cookie that
stays valid for 30 days; signing out clears it in that browser only. So each sign-out is recorded
here, and a sign-in whose ID token was issued before the member's last sign-out (`iat`, in whole
seconds) is refused on the session's next rerun: a copied or left-over cookie of that member stops
working, and the member signs in again.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from tiers.storage.schema import sign_outs
from tiers.storage.store import Store


def _email(address: object) -> str:
    return str(address or "").strip().lower()


def record_sign_out(store: Store, email: object, when: dt.datetime | None = None) -> dt.datetime:
    """Note that `email` signed out now (to the whole second: an ID token's `iat` has no finer unit)."""
    moment = (when or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    address = _email(email)
    change = update(sign_outs).where(sign_outs.c.email == address).values(signed_out_at=moment)
    try:
        with store.engine.begin() as connection:
            if connection.execute(change).rowcount == 0:
                connection.execute(insert(sign_outs).values(email=address, signed_out_at=moment))
    except IntegrityError:  # the same member signing out in two places at once: the other inserted first
        with store.engine.begin() as connection:
            connection.execute(change)
    return moment


def signed_out_since(store: Store, email: object, issued_at: object) -> bool:
    """Whether `email` signed out after an ID token issued at `issued_at` (seconds since 1970; a
    token without one counts as issued before any sign-out)."""
    with store.engine.connect() as connection:
        moment = connection.execute(select(sign_outs.c.signed_out_at)
                                    .where(sign_outs.c.email == _email(email))).scalar()
    if moment is None:
        return False
    moment = moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment
    issued = issued_at if isinstance(issued_at, int | float) and not isinstance(issued_at, bool) else 0
    return issued < moment.timestamp()

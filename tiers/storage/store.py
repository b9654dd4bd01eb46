"""Saved analyses: create, open, save with a version check, list, rename, duplicate, delete,
export and import. Every write is one transaction, so a process killed mid-save leaves the last
saved state; every save names the version it started from, so a second editor's save is never
silently discarded (`VersionConflict`).
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import hashlib
import json
import uuid

from sqlalchemy import Connection, delete, exists, func, insert, or_, select, update

from tiers.reading.posts import Posts
from tiers.reading.roster import Roster
from tiers.storage import archive
from tiers.storage.analysis import NAME_LENGTH, Analysis, Settings, Summary
from tiers.storage.database import database_url, describe, head_revision, open_engine
from tiers.storage.results import posts_from_bytes, posts_key
from tiers.storage.rosters import parse_to_bytes, roster_from_bytes, roster_key
from tiers.storage.schema import analyses, files, posts, result_files, rosters, snapshot_files


class NotFound(LookupError):
    """No analysis with that id (deleted, never made, or not visible here)."""


class VersionConflict(RuntimeError):
    """Someone saved the analysis after the version this save started from."""

    def __init__(self, current: Analysis):
        super().__init__(f"'{current.name}' was saved elsewhere (version {current.version}) since it was opened")
        self.current = current


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


def digest_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _valid_id(analysis_id: object) -> bool:
    return isinstance(analysis_id, str) and len(analysis_id) == 32 and all(c in "0123456789abcdef" for c in analysis_id)


def _stored_settings(text: str) -> tuple[Settings, tuple[str, ...]]:
    """An analysis's stored settings as far as they fit the schema, and which did not (see Settings.readable)."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        data = None
    return Settings.readable(data)


def _name(name: str) -> str:
    return " ".join(str(name).split())[:NAME_LENGTH] or "Untitled analysis"


class Store:
    """The saved work in one database (see `database` for which and how it is opened).

    A store opened as a member of an organisation (`as_member`) sees, changes and shares only that
    organisation's analyses, and records the member on what it creates and saves; the store as
    opened (`organisation` None) sees everything, as the command line on the server does.
    """

    def __init__(self, url: str | None = None):
        url = url or database_url()
        self.location = describe(url)
        self.engine = open_engine(url)
        self.organisation: str | None = None
        self.member = ""

    def as_member(self, organisation: str, member: str) -> Store:
        """The same database seen by one member of one organisation ("" and "": single-user mode)."""
        scoped = copy.copy(self)
        scoped.organisation, scoped.member = organisation, member
        return scoped

    def _visible(self, query):
        """`query` limited to the analyses this store may see."""
        return query if self.organisation is None else query.where(analyses.c.organisation == self.organisation)

    def close(self) -> None:
        self.engine.dispose()

    # Files: bytes stored once by content hash, removed with the last analysis that uses them.

    def _put_file(self, connection: Connection, data: bytes) -> str:
        digest = digest_of(data)
        if not connection.execute(select(exists().where(files.c.digest == digest))).scalar():
            connection.execute(insert(files).values(digest=digest, size=len(data), data=data, created_at=_now()))
        return digest

    def file(self, digest: str) -> bytes:
        with self.engine.connect() as connection:
            data = connection.execute(select(files.c.data).where(files.c.digest == digest)).scalar()
        if data is None:
            raise NotFound(f"no stored file {digest[:12]}")
        return bytes(data)

    def _collect_garbage(self, connection: Connection) -> None:
        """Drop rosters no analysis reads and files no analysis uses."""
        connection.execute(delete(rosters).where(
            ~rosters.c.key.in_(select(analyses.c.roster_key).where(analyses.c.roster_key.is_not(None))),
            ~rosters.c.key.in_(select(snapshot_files.c.roster_key))))
        connection.execute(delete(posts).where(~posts.c.key.in_(select(result_files.c.posts_key))))
        connection.execute(delete(files).where(
            ~files.c.digest.in_(select(analyses.c.file_digest)),
            ~files.c.digest.in_(select(analyses.c.logo_digest).where(analyses.c.logo_digest.is_not(None))),
            ~files.c.digest.in_(select(snapshot_files.c.file_digest)),
            ~files.c.digest.in_(select(result_files.c.file_digest))))

    def _link_snapshots(self, connection: Connection, analysis_id: str, settings: Settings,
                        new_files: dict[str, bytes] | None) -> None:
        """Store the snapshots' new files and record which files and parses the snapshots use."""
        for data in (new_files or {}).values():
            self._put_file(connection, data)
        connection.execute(delete(snapshot_files).where(snapshot_files.c.analysis_id == analysis_id))
        links = {roster_key(s["digest"], s["sheet"], s["mapping"]): s["digest"] for s in settings.snapshots}
        if not links:
            return
        known = set(connection.execute(select(files.c.digest).where(files.c.digest.in_(set(links.values())))).scalars())
        if missing := set(links.values()) - known:
            raise NotFound(f"the file of a snapshot is not stored ({sorted(missing)[0][:12]})")
        connection.execute(insert(snapshot_files), [{"analysis_id": analysis_id, "roster_key": key, "file_digest": d}
                                                    for key, d in links.items()])

    @staticmethod
    def _link_results(connection: Connection, analysis_id: str, settings: Settings) -> None:
        """Record which file and parse the analysis's results sheet uses (its file stored with `new_files`)."""
        connection.execute(delete(result_files).where(result_files.c.analysis_id == analysis_id))
        results = settings.results
        if results is None:
            return
        if not connection.execute(select(exists().where(files.c.digest == results["digest"]))).scalar():
            raise NotFound(f"the file of the results sheet is not stored ({results['digest'][:12]})")
        connection.execute(insert(result_files).values(analysis_id=analysis_id, file_digest=results["digest"],
                                                       posts_key=posts_key(results["digest"], results["sheet"])))

    def _link(self, connection: Connection, analysis_id: str, settings: Settings,
              new_files: dict[str, bytes] | None) -> None:
        """Store the new files and record the files and parses the analysis's settings name."""
        self._link_snapshots(connection, analysis_id, settings, new_files)
        self._link_results(connection, analysis_id, settings)

    # Analyses

    @staticmethod
    def _values(settings: Settings, file_digest: str) -> dict:
        return {"settings": settings.to_json(), "client": _name(settings.brand) if settings.brand.strip() else "",
                "logo_digest": settings.logo,
                "roster_key": roster_key(file_digest, settings.sheet, settings.mapping)}

    def create(self, name: str, file_name: str, data: bytes, settings: Settings, logo: bytes | None = None,
               created_at: dt.datetime | None = None, new_files: dict[str, bytes] | None = None) -> Analysis:
        """A new analysis of `data` (stored once however many analyses read it); `new_files` are the
        bytes of snapshot files not stored yet, by digest."""
        now = _now()
        with self.engine.begin() as connection:
            digest = self._put_file(connection, data)
            settings = self._with_logo(connection, settings, logo)
            analysis_id = uuid.uuid4().hex
            connection.execute(insert(analyses).values(
                id=analysis_id, name=_name(name), file_name=file_name[:500], file_digest=digest, version=1,
                created_at=created_at or now, updated_at=now, organisation=self.organisation or "",
                created_by=self.member, updated_by=self.member, **self._values(settings, digest)))
            self._link(connection, analysis_id, settings, new_files)
            return self._get(connection, analysis_id)

    def _with_logo(self, connection: Connection, settings: Settings, logo: bytes | None) -> Settings:
        """`settings` naming `logo` (the logo's bytes, stored as a file), or no logo."""
        return dataclasses.replace(settings, logo=self._put_file(connection, logo) if logo else None)

    def _get(self, connection: Connection, analysis_id: str) -> Analysis | None:
        row = connection.execute(self._visible(select(analyses).where(analyses.c.id == analysis_id))).mappings().first()
        if row is None:
            return None
        settings, reset = _stored_settings(row["settings"])
        return Analysis(row["id"], row["name"], row["file_name"], row["file_digest"], settings, row["version"],
                        _utc(row["created_at"]), _utc(row["updated_at"]), row["created_by"], row["updated_by"], reset)

    def get(self, analysis_id: str) -> Analysis | None:
        """The analysis, or None for an unknown or malformed id."""
        if not _valid_id(analysis_id):
            return None
        with self.engine.connect() as connection:
            return self._get(connection, analysis_id)

    def save(self, analysis_id: str, settings: Settings, version: int, logo: bytes | None = None,
             new_files: dict[str, bytes] | None = None) -> Analysis:
        """Save `settings` over `version`; VersionConflict when another save came first, NotFound when
        the analysis is gone. `new_files`: snapshot files not stored yet, by digest. Returns the
        analysis as saved (its version one higher)."""
        with self.engine.begin() as connection:
            file_digest = connection.execute(
                self._visible(select(analyses.c.file_digest).where(analyses.c.id == analysis_id))).scalar()
            if file_digest is None:
                raise NotFound(analysis_id)
            settings = self._with_logo(connection, settings, logo)
            done = connection.execute(
                update(analyses).where(analyses.c.id == analysis_id, analyses.c.version == version)
                .values(version=version + 1, updated_at=_now(), updated_by=self.member,
                        **self._values(settings, file_digest)))
            if done.rowcount != 1:
                raise VersionConflict(self._get(connection, analysis_id))
            self._link(connection, analysis_id, settings, new_files)
            self._collect_garbage(connection)
            return self._get(connection, analysis_id)

    def rename(self, analysis_id: str, name: str) -> None:
        with self.engine.begin() as connection:
            done = connection.execute(self._visible(update(analyses).where(analyses.c.id == analysis_id))
                                      .values(name=_name(name), updated_at=_now(), updated_by=self.member))
            if done.rowcount != 1:
                raise NotFound(analysis_id)

    def duplicate(self, analysis_id: str, name: str | None = None) -> Analysis:
        """A copy to vary (a second proposal): same file and settings, a new id and name."""
        with self.engine.begin() as connection:
            row = connection.execute(self._visible(select(analyses).where(analyses.c.id == analysis_id))
                                     ).mappings().first()
            if row is None:
                raise NotFound(analysis_id)
            now, copy_id = _now(), uuid.uuid4().hex
            connection.execute(insert(analyses).values(
                {**row, "id": copy_id, "name": _name(name or f"{row['name']} (copy)"), "version": 1,
                 "created_at": now, "updated_at": now, "created_by": self.member, "updated_by": self.member}))
            self._link(connection, copy_id, _stored_settings(row["settings"])[0], None)
            return self._get(connection, copy_id)

    def delete(self, analysis_id: str) -> None:
        """Delete the analysis, and its file and roster when no other analysis uses them."""
        with self.engine.begin() as connection:  # its snapshot links and share links go by ON DELETE CASCADE
            done = connection.execute(self._visible(delete(analyses).where(analyses.c.id == analysis_id)))
            if done.rowcount != 1:
                raise NotFound(analysis_id)
            self._collect_garbage(connection)

    def list(self, search: str = "") -> list[Summary]:
        """Every analysis whose name, client or file name contains `search` (any case), newest first."""
        query = self._visible(select(analyses.c.id, analyses.c.name, analyses.c.client, analyses.c.file_name,
                                     analyses.c.created_at, analyses.c.updated_at, analyses.c.updated_by)
                              .order_by(analyses.c.updated_at.desc()))
        words = search.lower().split()
        for word in words:
            query = query.where(or_(*(func.lower(column).contains(word, autoescape=True)
                                      for column in (analyses.c.name, analyses.c.client, analyses.c.file_name))))
        with self.engine.connect() as connection:
            return [Summary(r.id, r.name, r.client, r.file_name, _utc(r.created_at), _utc(r.updated_at), r.updated_by)
                    for r in connection.execute(query)]

    # Parsed rosters

    def roster(self, key: str) -> Roster | None:
        """The stored parse of a roster, or None when it was never stored (or is no longer used)."""
        with self.engine.connect() as connection:
            row = connection.execute(select(rosters.c.meta, rosters.c.parquet).where(rosters.c.key == key)).first()
        return None if row is None else roster_from_bytes(row.meta, bytes(row.parquet))

    def put_roster(self, key: str, file_digest: str, roster: Roster) -> bool:
        """Keep a parse for the analyses whose settings read it; False (nothing stored) when none does."""
        with self.engine.begin() as connection:
            used = connection.execute(select(or_(exists().where(analyses.c.roster_key == key),
                                                 exists().where(snapshot_files.c.roster_key == key)))).scalar()
            stored = connection.execute(select(exists().where(rosters.c.key == key))).scalar()
            if not used or stored:
                return bool(stored)
        meta, parquet = parse_to_bytes(roster)  # outside the transaction: serialising takes a while
        with self.engine.begin() as connection:
            if not connection.execute(select(exists().where(rosters.c.key == key))).scalar():
                connection.execute(insert(rosters).values(key=key, file_digest=file_digest, meta=meta,
                                                          parquet=parquet, created_at=_now()))
        return True

    # Parsed results sheets

    def posts(self, key: str) -> Posts | None:
        """The stored parse of a results sheet, or None when it was never stored (or is no longer used)."""
        with self.engine.connect() as connection:
            row = connection.execute(select(posts.c.meta, posts.c.parquet).where(posts.c.key == key)).first()
        return None if row is None else posts_from_bytes(row.meta, bytes(row.parquet))

    def put_posts(self, key: str, file_digest: str, parsed: Posts) -> bool:
        """Keep a results sheet's parse for the analyses whose settings read it; False when none does."""
        with self.engine.begin() as connection:
            used = connection.execute(select(exists().where(result_files.c.posts_key == key))).scalar()
            stored = connection.execute(select(exists().where(posts.c.key == key))).scalar()
            if not used or stored:
                return bool(stored)
        meta, parquet = parse_to_bytes(parsed)
        with self.engine.begin() as connection:
            if not connection.execute(select(exists().where(posts.c.key == key))).scalar():
                connection.execute(insert(posts).values(key=key, file_digest=file_digest, meta=meta, parquet=parquet,
                                                        created_at=_now()))
        return True

    # Moving work between machines

    def export(self, analysis_id: str) -> bytes:
        """The analysis as a `.tierscope` file (see `archive`)."""
        analysis = self.get(analysis_id)
        if analysis is None:
            raise NotFound(analysis_id)
        logo = self.file(analysis.settings.logo) if analysis.settings.logo else None
        snapshots = {s["digest"]: self.file(s["digest"]) for s in analysis.settings.snapshots}
        results = self.file(analysis.settings.results["digest"]) if analysis.settings.results else None
        return archive.pack(analysis.name, analysis.file_name, self.file(analysis.file_digest), analysis.settings,
                            logo, analysis.created_at, analysis.updated_at, head_revision(), snapshots, results)

    def import_archive(self, data: bytes, where: str) -> Analysis:
        """A new analysis from a `.tierscope` file; ArchiveError (and nothing written) when it is not one."""
        unpacked = archive.unpack(data, where)
        results = {unpacked.settings.results["digest"]: unpacked.results} if unpacked.results is not None else {}
        return self.create(unpacked.name, unpacked.file_name, unpacked.data, unpacked.settings, unpacked.logo,
                           unpacked.created_at, unpacked.snapshots | results)

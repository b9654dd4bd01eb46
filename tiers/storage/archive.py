"""The `.tierscope` file: one analysis to carry to another machine.

A zip holding `manifest.json` (format, settings, name, the roster file's name and SHA-256) and the
original roster file (and the logo, when there is one, and from format 2 its snapshots' files).
Unpacking checks everything before anything is written: not a zip, a damaged entry, a hash that does
not match or a newer format is refused with an `ArchiveError` whose message is meant for the user.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile
import zlib
from dataclasses import dataclass

from tiers.reading.limits import MAX_FILE_BYTES
from tiers.storage.analysis import Settings

FORMAT = "tierscope-analysis"
FORMAT_VERSION = 2  # 2: snapshot files
SUFFIX = ".tierscope"
MAX_LOGO_BYTES = 10 * 1024 * 1024


class ArchiveError(ValueError):
    """A file that cannot be imported as an analysis; the message is meant for the user as it is."""


@dataclass(frozen=True)
class Unpacked:
    name: str
    file_name: str
    data: bytes
    settings: Settings
    logo: bytes | None
    created_at: dt.datetime | None
    snapshots: dict[str, bytes]  # the snapshot files by SHA-256


def pack(name: str, file_name: str, data: bytes, settings: Settings, logo: bytes | None,
         created_at: dt.datetime, updated_at: dt.datetime, schema_revision: str,
         snapshots: dict[str, bytes] | None = None) -> bytes:
    manifest = {
        "format": FORMAT, "format_version": FORMAT_VERSION, "schema_revision": schema_revision,
        "name": name, "created_at": created_at.isoformat(), "updated_at": updated_at.isoformat(),
        "roster": {"file_name": file_name, "entry": "roster/" + _safe_name(file_name),
                   "sha256": hashlib.sha256(data).hexdigest()},
        "logo": {"entry": "logo", "sha256": settings.logo} if logo is not None else None,
        "snapshots": [{"entry": f"snapshots/{digest}", "sha256": digest} for digest in snapshots or {}],
        "settings": json.loads(settings.to_json()),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
        archive.writestr(manifest["roster"]["entry"], data)
        if logo is not None:
            archive.writestr("logo", logo)
        for digest, snapshot in (snapshots or {}).items():
            archive.writestr(f"snapshots/{digest}", snapshot)
    return buffer.getvalue()


def _safe_name(file_name: str) -> str:
    return file_name.replace("\\", "/").rsplit("/", 1)[-1] or "roster"


def _entry(archive: zipfile.ZipFile, where: str, entry: object, sha256: object, limit: int) -> bytes:
    if not isinstance(entry, str) or not isinstance(sha256, str):
        raise ArchiveError(f"{where}: the manifest does not say where the file is; the file is damaged.")
    try:
        info = archive.getinfo(entry)
    except KeyError:
        raise ArchiveError(f"{where}: '{entry}' is missing; the file is damaged.") from None
    if info.file_size > limit:
        raise ArchiveError(f"{where}: '{entry}' unpacks to {info.file_size / 2**20:.0f} MB, over the "
                           f"{limit // 2**20} MB limit.")
    data = archive.read(info)
    if hashlib.sha256(data).hexdigest() != sha256:
        raise ArchiveError(f"{where}: '{entry}' does not match its checksum; the file is damaged.")
    return data


def unpack(data: bytes, where: str) -> Unpacked:
    """The analysis in a `.tierscope` file, checked whole; ArchiveError naming `where` otherwise."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ArchiveError(f"{where}: not a Tierscope analysis file (.tierscope); nothing was imported.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            try:
                manifest = json.loads(archive.read("manifest.json"))
            except KeyError:
                raise ArchiveError(f"{where}: a zip file, but not a Tierscope analysis (no manifest.json); "
                                   "nothing was imported.") from None
            if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
                raise ArchiveError(f"{where}: a zip file, but not a Tierscope analysis; nothing was imported.")
            version = manifest.get("format_version")
            if not isinstance(version, int):
                raise ArchiveError(f"{where}: the manifest has no format version; the file is damaged.")
            if version > FORMAT_VERSION:
                raise ArchiveError(f"{where}: made by a newer Tierscope (format {version}; this one reads up to "
                                   f"{FORMAT_VERSION}). Update Tierscope to import it; nothing was imported.")
            roster, logo = manifest.get("roster") or {}, manifest.get("logo")
            file_name = roster.get("file_name") if isinstance(roster, dict) else None
            if not isinstance(file_name, str) or not file_name:
                raise ArchiveError(f"{where}: the manifest names no roster file; the file is damaged.")
            roster_bytes = _entry(archive, where, roster.get("entry"), roster.get("sha256"), MAX_FILE_BYTES)
            logo_bytes = (_entry(archive, where, logo.get("entry"), logo.get("sha256"), MAX_LOGO_BYTES)
                          if isinstance(logo, dict) else None)
            listed = manifest.get("snapshots") or []
            if not isinstance(listed, list) or not all(isinstance(entry, dict) for entry in listed):
                raise ArchiveError(f"{where}: the manifest's list of snapshots is damaged; nothing was imported.")
            snapshots = {entry.get("sha256"): _entry(archive, where, entry.get("entry"), entry.get("sha256"),
                                                     MAX_FILE_BYTES) for entry in listed}
            settings = Settings.from_dict(manifest.get("settings"))
            if {s["digest"] for s in settings.snapshots} - set(snapshots):
                raise ArchiveError(f"{where}: a snapshot's file is missing; the file is damaged.")
    except ArchiveError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, UnicodeDecodeError) as error:
        raise ArchiveError(f"{where}: the file is damaged ({error}); nothing was imported.") from None
    except ValueError as error:  # JSON or settings
        raise ArchiveError(f"{where}: the manifest is damaged ({error}); nothing was imported.") from None
    name = manifest.get("name") if isinstance(manifest.get("name"), str) else file_name
    try:
        created = dt.datetime.fromisoformat(manifest.get("created_at", ""))
    except (TypeError, ValueError):
        created = None
    if settings.logo is not None and logo_bytes is None:
        settings.logo = None
    return Unpacked(name, file_name, roster_bytes, settings, logo_bytes, created, snapshots)

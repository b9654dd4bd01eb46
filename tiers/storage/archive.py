"""The `.tierscope` file: one analysis to carry to another machine.

A zip holding `manifest.json` (format, settings, name, the roster file's name and SHA-256) and the
original roster file (and the logo, when there is one, from format 2 its snapshots' files and from format 3
its campaign's results sheet).
Unpacking checks everything before anything is written, and reads only what the manifest names, each
entry within its size limit: not a zip, a damaged, encrypted or oversized entry, a hash that does not
match, settings that do not fit their schema, a logo that is not an image or a newer format is
refused with an `ArchiveError` whose message is meant for the user (one line, no server paths).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import struct
import zipfile
import zlib
from dataclasses import dataclass

from tiers.reading.limits import MAX_FILE_BYTES
from tiers.storage.analysis import NAME_LENGTH, Settings, SettingsError, check_logo

FORMAT = "tierscope-analysis"
FORMAT_VERSION = 3  # 2: snapshot files; 3: the results sheet
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
    results: bytes | None = None  # the results sheet's file, when the settings name one


def pack(name: str, file_name: str, data: bytes, settings: Settings, logo: bytes | None,
         created_at: dt.datetime, updated_at: dt.datetime, schema_revision: str,
         snapshots: dict[str, bytes] | None = None, results: bytes | None = None) -> bytes:
    manifest = {
        "format": FORMAT, "format_version": FORMAT_VERSION, "schema_revision": schema_revision,
        "name": name, "created_at": created_at.isoformat(), "updated_at": updated_at.isoformat(),
        "roster": {"file_name": file_name, "entry": "roster/" + _safe_name(file_name),
                   "sha256": hashlib.sha256(data).hexdigest()},
        "logo": {"entry": "logo", "sha256": settings.logo} if logo is not None else None,
        "snapshots": [{"entry": f"snapshots/{digest}", "sha256": digest} for digest in snapshots or {}],
        "results": ({"entry": "results/" + _safe_name(settings.results["file_name"]),
                     "sha256": settings.results["digest"]} if results is not None and settings.results else None),
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
        if manifest["results"]:
            archive.writestr(manifest["results"]["entry"], results)
    return buffer.getvalue()


def _safe_name(file_name: str) -> str:
    return file_name.replace("\\", "/").rsplit("/", 1)[-1] or "roster"


MAX_MANIFEST_BYTES = 64 * 1024 * 1024  # settings with a million-row shortlist and tags fit well within
MAX_ENTRIES = 10_000  # a zip listing more entries is refused before its directory is read
MAX_JSON_DEPTH = 32  # our manifest nests 6 deep
READABLE = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)  # what `pack` writes


def _entry_count(data: bytes) -> int | None:
    """The number of entries the zip's end record declares (None: no end record, or a ZIP64 one),
    read before `zipfile` builds an object per entry."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if end < 0 or end + 22 > len(data):
        return None
    count = struct.unpack_from("<H", data, end + 10)[0]
    return None if count == 0xFFFF else count


def _read(archive: zipfile.ZipFile, where: str, info: zipfile.ZipInfo, limit: int) -> bytes:
    """One entry's bytes: refused when encrypted, compressed in a way `pack` never writes, or over
    `limit` by its header or by what it really unpacks to (the read stops at limit + 1 bytes)."""
    name = info.filename[:100]
    if info.flag_bits & 0x1:
        raise ArchiveError(f"{where}: '{name}' is encrypted; nothing was imported.")
    if info.compress_type not in READABLE:
        raise ArchiveError(f"{where}: '{name}' is compressed with a method Tierscope does not read "
                           "(only stored and deflate); nothing was imported.")
    over = ArchiveError(f"{where}: '{name}' unpacks to more than the {limit // 2**20} MB limit; "
                        "nothing was imported.")
    if info.file_size > limit:
        raise over
    with archive.open(info) as stream:
        data = stream.read(limit + 1)
    if len(data) > limit:
        raise over
    return data


def _entry(archive: zipfile.ZipFile, where: str, entry: object, sha256: object, limit: int) -> bytes:
    if not isinstance(entry, str) or not isinstance(sha256, str):
        raise ArchiveError(f"{where}: the manifest does not say where the file is; the file is damaged.")
    try:
        info = archive.getinfo(entry)
    except KeyError:
        raise ArchiveError(f"{where}: '{entry[:100]}' is missing; the file is damaged.") from None
    data = _read(archive, where, info, limit)
    if hashlib.sha256(data).hexdigest() != sha256:
        raise ArchiveError(f"{where}: '{entry[:100]}' does not match its checksum; the file is damaged.")
    return data


def _depth(value: object) -> int:
    """How deep JSON values nest (a scalar is 0), without recursion."""
    deepest, todo = 0, [(value, 1)]
    while todo:
        item, depth = todo.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is not None:
            deepest = max(deepest, depth)
            todo.extend((child, depth + 1) for child in children)
    return deepest


def _manifest(archive: zipfile.ZipFile, where: str) -> dict:
    try:
        info = archive.getinfo("manifest.json")
    except KeyError:
        raise ArchiveError(f"{where}: a zip file, but not a Tierscope analysis (no manifest.json); "
                           "nothing was imported.") from None
    text = _read(archive, where, info, MAX_MANIFEST_BYTES)
    try:
        manifest = json.loads(text)
    except (ValueError, RecursionError):  # not JSON, not UTF-8, a number of thousands of digits, nested too deep
        raise ArchiveError(f"{where}: the manifest is not valid JSON; the file is damaged.") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ArchiveError(f"{where}: a zip file, but not a Tierscope analysis; nothing was imported.")
    if _depth(manifest) > MAX_JSON_DEPTH:
        raise ArchiveError(f"{where}: the manifest nests deeper than a Tierscope manifest does; nothing was imported.")
    version = manifest.get("format_version")
    if type(version) is not int or not 1 <= version <= 10**6:
        raise ArchiveError(f"{where}: the manifest has no valid format version; the file is damaged.")
    if version > FORMAT_VERSION:
        raise ArchiveError(f"{where}: made by a newer Tierscope (format {version}; this one reads up to "
                           f"{FORMAT_VERSION}). Update Tierscope to import it; nothing was imported.")
    return manifest


def unpack(data: bytes, where: str) -> Unpacked:
    """The analysis in a `.tierscope` file, checked whole; ArchiveError naming `where` otherwise.
    Only the entries the manifest and its settings name are read, each within its size limit."""
    count = _entry_count(data)
    if count is None or not zipfile.is_zipfile(io.BytesIO(data)):
        raise ArchiveError(f"{where}: not a Tierscope analysis file (.tierscope); nothing was imported.")
    if count > MAX_ENTRIES:
        raise ArchiveError(f"{where}: lists {count} files, far more than an analysis holds; nothing was imported.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            manifest = _manifest(archive, where)
            try:
                settings = Settings.from_dict(manifest.get("settings"))
            except SettingsError as error:
                raise ArchiveError(f"{where}: {error}; nothing was imported.") from None
            roster, logo = manifest.get("roster"), manifest.get("logo")
            file_name = roster.get("file_name") if isinstance(roster, dict) else None
            if not isinstance(file_name, str) or not file_name.strip() or len(file_name) > 500:
                raise ArchiveError(f"{where}: the manifest names no roster file; the file is damaged.")
            roster_bytes = _entry(archive, where, roster.get("entry"), roster.get("sha256"), MAX_FILE_BYTES)
            logo_bytes = None
            if settings.logo is not None and isinstance(logo, dict):
                logo_bytes = _entry(archive, where, logo.get("entry"), logo.get("sha256"), MAX_LOGO_BYTES)
                try:
                    check_logo(logo_bytes, where)
                except ValueError as error:
                    raise ArchiveError(f"{error}; nothing was imported.") from None
            listed = manifest.get("snapshots") or []
            if not isinstance(listed, list) or not all(isinstance(entry, dict) for entry in listed):
                raise ArchiveError(f"{where}: the manifest's list of snapshots is damaged; nothing was imported.")
            entries = {entry.get("sha256"): entry.get("entry") for entry in listed}
            named = {snapshot["digest"] for snapshot in settings.snapshots}  # only these are read
            if named - set(entries):
                raise ArchiveError(f"{where}: a snapshot's file is missing; the file is damaged.")
            snapshots = {digest: _entry(archive, where, entries[digest], digest, MAX_FILE_BYTES) for digest in named}
            results_bytes = None
            if settings.results is not None:  # only the file the settings name, with the checksum they give
                listed = manifest.get("results")
                if not isinstance(listed, dict):
                    raise ArchiveError(f"{where}: the results sheet's file is missing; the file is damaged.")
                results_bytes = _entry(archive, where, listed.get("entry"), settings.results["digest"],
                                       MAX_FILE_BYTES)
    except ArchiveError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, NotImplementedError,
            RuntimeError, ValueError) as error:  # a damaged entry, a bad CRC, a broken deflate stream
        raise ArchiveError(f"{where}: the file is damaged ({str(error)[:200]}); nothing was imported.") from None
    name = manifest.get("name") if isinstance(manifest.get("name"), str) and manifest["name"].strip() else file_name
    try:
        created = dt.datetime.fromisoformat(manifest.get("created_at", ""))
    except (TypeError, ValueError):
        created = None
    if logo_bytes is None:
        settings.logo = None
    return Unpacked(name[:NAME_LENGTH], file_name, roster_bytes, settings, logo_bytes, created, snapshots,
                    results_bytes)

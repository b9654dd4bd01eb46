"""Which database, and opening it safely: upgraded by Alembic on opening, never written when foreign.

`TIERSCOPE_DATABASE_URL` (any SQLAlchemy URL) chooses the database; without it, a SQLite file in the
user's data directory. A file that is not a SQLite database, a database holding other tables, or one
migrated by a newer Tierscope is refused with a `StoreError` naming it, and left as it is.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import platformdirs
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from tiers.storage.schema import metadata

DATABASE_URL_ENV = "TIERSCOPE_DATABASE_URL"
MIGRATIONS = Path(__file__).parent / "migrations"
SQLITE_MAGIC = b"SQLite format 3\x00"


class StoreError(RuntimeError):
    """The database cannot be used; the message is meant for the user as it is."""


def default_database_path() -> Path:
    """Where work is kept when nothing else is configured (e.g. ~/.local/share/tierscope on Linux)."""
    return platformdirs.user_data_path("tierscope", appauthor=False) / "tierscope.db"


def database_url() -> str:
    return os.environ.get(DATABASE_URL_ENV) or f"sqlite:///{default_database_path()}"


def describe(url: str) -> str:
    """The URL as it may be shown: a file path for SQLite, the password hidden otherwise."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return "an invalid database URL"
    if parsed.get_backend_name() == "sqlite":
        return parsed.database or "an in-memory SQLite database"
    return parsed.render_as_string(hide_password=True)


# PostgreSQL advisory lock held while the schema is upgraded (any number unique to Tierscope's upgrades):
# two servers started at once on a new database would otherwise both create its tables.
MIGRATION_LOCK = 0x7469657273  # "tiers"


def _alembic_config(connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


@cache
def _migrations() -> ScriptDirectory:
    return ScriptDirectory.from_config(_alembic_config(None))


def head_revision() -> str:
    return _migrations().get_current_head()


def _check_sqlite_file(path: str | None) -> None:
    if not path or path == ":memory:":
        return
    file = Path(path)
    if file.is_dir():
        raise StoreError(f"{file} is a folder, not a database file. Set {DATABASE_URL_ENV} to a file.")
    if file.exists() and file.stat().st_size:
        with file.open("rb") as handle:
            if handle.read(16) != SQLITE_MAGIC:
                raise StoreError(f"{file} is not a Tierscope database (not a SQLite file); it was left as it is. "
                                 f"Move it away or set {DATABASE_URL_ENV} to another file.")
    else:
        file.parent.mkdir(parents=True, exist_ok=True)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")  # with WAL: durable at each checkpoint, never corrupt
    cursor.close()


def _check_not_foreign(engine: Engine, where: str) -> None:
    tables = set(inspect(engine).get_table_names())
    others = tables - set(metadata.tables) - {"alembic_version"}
    if others and not tables & set(metadata.tables):
        raise StoreError(f"{where} holds other tables ({', '.join(sorted(others)[:5])}), not Tierscope's; it was "
                         f"left as it is. Point {DATABASE_URL_ENV} at an empty database or a Tierscope one.")
    if "alembic_version" in tables:
        with engine.connect() as connection:
            revisions = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
        known = {script.revision for script in _migrations().walk_revisions()}
        unknown = [r for r in revisions if r not in known]
        if unknown:
            raise StoreError(f"{where} was written by a newer Tierscope (schema {unknown[0]}); update Tierscope "
                             "to open it. It was left as it is.")


def open_engine(url: str | None = None) -> Engine:
    """An engine on the database, its schema upgraded to this version's head; StoreError when unusable."""
    url = url or database_url()
    where = describe(url)
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(f"{DATABASE_URL_ENV} is not a database URL ({url!r}); e.g. sqlite:///path/to/tierscope.db "
                         "or postgresql+psycopg://user@host/db") from None
    is_sqlite = parsed.get_backend_name() == "sqlite"
    if is_sqlite:
        _check_sqlite_file(parsed.database)
    try:
        engine = create_engine(parsed, pool_pre_ping=not is_sqlite)
    except (NoSuchModuleError, ImportError) as error:
        raise StoreError(f"{where}: no driver for this kind of database ({error}).") from None
    if is_sqlite:
        event.listen(engine, "connect", _sqlite_pragmas)
    try:
        _check_not_foreign(engine, where)
        if is_sqlite:  # kept in the file, so set once it is known to be ours (or new)
            with engine.connect() as connection:  # readers never wait for a writer; a killed writer rolls back
                connection.exec_driver_sql("PRAGMA journal_mode=WAL")
        with engine.begin() as connection:
            if parsed.get_backend_name() == "postgresql":  # replicas starting together upgrade one at a time
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
            command.upgrade(_alembic_config(connection), "head")
    except DBAPIError as error:
        engine.dispose()
        reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        raise StoreError(f"{where} cannot be opened as a Tierscope database: {reason}. It was left as it is.") from None
    except StoreError:
        engine.dispose()
        raise
    return engine

"""The tables of a Tierscope database. Alembic's migrations (migrations/versions) build exactly these;
a test compares the two.

File bytes are stored once, keyed by their SHA-256; a parsed roster once per file, sheet and column
mapping (its key, see `rosters.roster_key`), so reopening an analysis never parses its file again.
An analysis's further rosters (snapshots, kept in its settings) are listed in `snapshot_files`; its
campaign's results sheet (also in its settings) in `result_files`, and that sheet's parsed posts are kept
once per file and sheet in `posts`, as rosters are.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData(naming_convention={
    "ix": "ix_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
})

files = Table(
    "files", metadata,
    Column("digest", String(64), primary_key=True),  # SHA-256 of `data`, hex
    Column("size", BigInteger, nullable=False),
    Column("data", LargeBinary, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

rosters = Table(
    "rosters", metadata,
    Column("key", String(64), primary_key=True),
    Column("file_digest", String(64), ForeignKey("files.digest", ondelete="CASCADE"), nullable=False),
    Column("meta", Text, nullable=False),  # JSON: the Roster's fields other than its rows
    Column("parquet", LargeBinary, nullable=False),  # the Roster's rows
    Column("created_at", DateTime(timezone=True), nullable=False),
)

analyses = Table(
    "analyses", metadata,
    Column("id", String(32), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("client", String(200), nullable=False),  # the brand of the settings, kept apart to group and search
    Column("file_name", String(500), nullable=False),
    Column("file_digest", String(64), ForeignKey("files.digest"), nullable=False),
    Column("logo_digest", String(64), ForeignKey("files.digest"), nullable=True),
    Column("roster_key", String(64), nullable=True),  # of the roster its settings read
    Column("settings", Text, nullable=False),  # JSON of analysis.Settings
    Column("version", Integer, nullable=False),  # raised by every save: two editors never overwrite silently
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    # Who may see it: members of this organisation only ("" in single-user mode); and who made and changed it.
    Column("organisation", String(200), nullable=False, server_default="", index=True),
    Column("created_by", String(320), nullable=False, server_default=""),
    Column("updated_by", String(320), nullable=False, server_default=""),
    Index(None, "updated_at"),
)

snapshot_files = Table(
    "snapshot_files", metadata,  # derived from each analysis's settings.snapshots at every save
    Column("analysis_id", String(32), ForeignKey("analyses.id", ondelete="CASCADE"), primary_key=True),
    Column("roster_key", String(64), primary_key=True, index=True),
    Column("file_digest", String(64), ForeignKey("files.digest"), nullable=False),
)

posts = Table(
    "posts", metadata,  # a parsed results sheet (tiers.reading.posts.Posts), by `results.posts_key`
    Column("key", String(64), primary_key=True),
    Column("file_digest", String(64), ForeignKey("files.digest", ondelete="CASCADE"), nullable=False),
    Column("meta", Text, nullable=False),  # JSON: the Posts' fields other than its rows
    Column("parquet", LargeBinary, nullable=False),  # the Posts' rows
    Column("created_at", DateTime(timezone=True), nullable=False),
)

result_files = Table(
    "result_files", metadata,  # derived from each analysis's settings.results at every save
    Column("analysis_id", String(32), ForeignKey("analyses.id", ondelete="CASCADE"), primary_key=True),
    Column("posts_key", String(64), nullable=False, index=True),
    Column("file_digest", String(64), ForeignKey("files.digest"), nullable=False),
)

share_links = Table(
    "share_links", metadata,  # a read-only link to one analysis for the brand client (see sharing.py)
    Column("id", String(64), primary_key=True),  # SHA-256 of the link's token, hex: the token itself is not kept
    Column("analysis_id", String(32), ForeignKey("analyses.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("options", Text, nullable=False),  # JSON of sharing.LinkOptions
    Column("created_by", String(320), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
    Column("last_opened_at", DateTime(timezone=True), nullable=True),
    Column("opened", Integer, nullable=False, server_default="0"),
)

sign_outs = Table(
    "sign_outs", metadata,  # a member's last sign-out: sign-ins made before it are refused (see sessions.py)
    Column("email", String(320), primary_key=True),
    Column("signed_out_at", DateTime(timezone=True), nullable=False),
)

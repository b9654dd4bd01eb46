"""Saved analyses: files stored once by content hash, parsed rosters, analyses with a version.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "files",
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("digest", name="pk_files"),
    )
    op.create_table(
        "rosters",
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("file_digest", sa.String(64), nullable=False),
        sa.Column("meta", sa.Text(), nullable=False),
        sa.Column("parquet", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["file_digest"], ["files.digest"], name="fk_rosters_file_digest_files",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("key", name="pk_rosters"),
    )
    op.create_table(
        "analyses",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("client", sa.String(200), nullable=False),
        sa.Column("file_name", sa.String(500), nullable=False),
        sa.Column("file_digest", sa.String(64), nullable=False),
        sa.Column("logo_digest", sa.String(64), nullable=True),
        sa.Column("roster_key", sa.String(64), nullable=True),
        sa.Column("settings", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["file_digest"], ["files.digest"], name="fk_analyses_file_digest_files"),
        sa.ForeignKeyConstraint(["logo_digest"], ["files.digest"], name="fk_analyses_logo_digest_files"),
        sa.PrimaryKeyConstraint("id", name="pk_analyses"),
    )
    op.create_index("ix_analyses_updated_at", "analyses", ["updated_at"])


def downgrade() -> None:
    op.drop_index("ix_analyses_updated_at", table_name="analyses")
    op.drop_table("analyses")
    op.drop_table("rosters")
    op.drop_table("files")

"""Snapshots: the further rosters of an analysis (the same creators at other dates), each a stored file
and a parse; this table says which, so unused files and parses are collected as before.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "snapshot_files",
        sa.Column("analysis_id", sa.String(32), nullable=False),
        sa.Column("roster_key", sa.String(64), nullable=False),
        sa.Column("file_digest", sa.String(64), nullable=False),
        sa.ForeignKeyConstraint(["analysis_id"], ["analyses.id"], name="fk_snapshot_files_analysis_id_analyses",
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["file_digest"], ["files.digest"], name="fk_snapshot_files_file_digest_files"),
        sa.PrimaryKeyConstraint("analysis_id", "roster_key", name="pk_snapshot_files"),
    )
    op.create_index("ix_snapshot_files_roster_key", "snapshot_files", ["roster_key"])


def downgrade() -> None:
    op.drop_index("ix_snapshot_files_roster_key", table_name="snapshot_files")
    op.drop_table("snapshot_files")

"""Campaign results: an analysis's results sheet (one row per post) is a stored file named in its settings
and listed in `result_files`; the sheet's parsed posts are kept in `posts`, once per file and sheet, so
reopening an analysis never reads its results sheet again.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "posts",
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("file_digest", sa.String(64), nullable=False),
        sa.Column("meta", sa.Text(), nullable=False),
        sa.Column("parquet", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["file_digest"], ["files.digest"], name="fk_posts_file_digest_files",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("key", name="pk_posts"),
    )
    op.create_table(
        "result_files",
        sa.Column("analysis_id", sa.String(32), nullable=False),
        sa.Column("posts_key", sa.String(64), nullable=False),
        sa.Column("file_digest", sa.String(64), nullable=False),
        sa.ForeignKeyConstraint(["analysis_id"], ["analyses.id"], name="fk_result_files_analysis_id_analyses",
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["file_digest"], ["files.digest"], name="fk_result_files_file_digest_files"),
        sa.PrimaryKeyConstraint("analysis_id", name="pk_result_files"),
    )
    op.create_index("ix_result_files_posts_key", "result_files", ["posts_key"])


def downgrade() -> None:
    op.drop_index("ix_result_files_posts_key", table_name="result_files")
    op.drop_table("result_files")
    op.drop_table("posts")

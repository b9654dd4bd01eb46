"""Organisations (who may see an analysis), who created and last changed it, and share links.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("analyses") as batch:  # batch: SQLite cannot add a column with a constraint in place
        batch.add_column(sa.Column("organisation", sa.String(200), nullable=False, server_default=""))
        batch.add_column(sa.Column("created_by", sa.String(320), nullable=False, server_default=""))
        batch.add_column(sa.Column("updated_by", sa.String(320), nullable=False, server_default=""))
        batch.create_index("ix_analyses_organisation", ["organisation"])
    op.create_table(
        "share_links",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("analysis_id", sa.String(32), nullable=False),
        sa.Column("options", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(320), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_opened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("opened", sa.Integer(), nullable=False, server_default="0"),
        sa.ForeignKeyConstraint(["analysis_id"], ["analyses.id"], name="fk_share_links_analysis_id_analyses",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_share_links"),
    )
    op.create_index("ix_share_links_analysis_id", "share_links", ["analysis_id"])


def downgrade() -> None:
    op.drop_index("ix_share_links_analysis_id", table_name="share_links")
    op.drop_table("share_links")
    with op.batch_alter_table("analyses") as batch:
        batch.drop_index("ix_analyses_organisation")
        batch.drop_column("updated_by")
        batch.drop_column("created_by")
        batch.drop_column("organisation")

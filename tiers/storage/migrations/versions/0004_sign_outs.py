"""When each member last signed out: a sign-in made before it no longer opens a session.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sign_outs",
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("signed_out_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("email", name="pk_sign_outs"),
    )


def downgrade() -> None:
    op.drop_table("sign_outs")

"""review log phase, card state queue index

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 16:03:03.091378
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("card_states", schema=None) as batch_op:
        batch_op.create_index(
            "ix_card_states_user_state_due", ["user_id", "state", "due"], unique=False
        )

    with op.batch_alter_table("review_logs", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("phase", sa.String(length=16), server_default="review", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("review_logs", schema=None) as batch_op:
        batch_op.drop_column("phase")

    with op.batch_alter_table("card_states", schema=None) as batch_op:
        batch_op.drop_index("ix_card_states_user_state_due")

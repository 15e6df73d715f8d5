"""card_states.selected and an index-only queue index

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 16:40:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("card_states", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("selected", sa.Boolean(), server_default=sa.true(), nullable=False)
        )
        batch_op.drop_index("ix_card_states_user_state_due")
        batch_op.create_index(
            "ix_card_states_queue",
            ["user_id", "state", "selected", "suspended", "due", "buried_until"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("card_states", schema=None) as batch_op:
        batch_op.drop_index("ix_card_states_queue")
        batch_op.create_index(
            "ix_card_states_user_state_due", ["user_id", "state", "due"], unique=False
        )
        batch_op.drop_column("selected")

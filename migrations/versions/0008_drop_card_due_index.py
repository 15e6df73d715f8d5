"""one index fewer rewritten per answer

`ix_card_states_user_due` (user, due) served only the progress page's forecast.
The forecast now counts the cards of the review queue (in the study selection,
not new, not suspended), as the dashboard's backlog does, from the partial
backlog index; every answer rewrote this one.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26 23:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("card_states", schema=None) as batch_op:
        batch_op.drop_index("ix_card_states_user_due")


def downgrade() -> None:
    with op.batch_alter_table("card_states", schema=None) as batch_op:
        batch_op.create_index("ix_card_states_user_due", ["user_id", "due"], unique=False)

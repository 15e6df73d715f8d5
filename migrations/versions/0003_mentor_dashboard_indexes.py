"""mentor dashboard covering indexes

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 16:20:00.000000
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("card_states", schema=None) as batch_op:
        batch_op.create_index(
            "ix_card_states_user_memory",
            ["user_id", "question_id", "stability", "last_review"],
            unique=False,
        )
        batch_op.create_index(
            "ix_card_states_user_backlog",
            ["user_id", "state", "due", "suspended", "buried_until"],
            unique=False,
        )

    with op.batch_alter_table("review_logs", schema=None) as batch_op:
        batch_op.create_index(
            "ix_review_logs_user_activity",
            ["user_id", "reviewed_at", "undone", "phase", "rating"],
            unique=False,
        )
        batch_op.create_index(
            "ix_review_logs_question_reviewed",
            ["question_id", "reviewed_at", "user_id", "undone", "rating", "correct"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("review_logs", schema=None) as batch_op:
        batch_op.drop_index("ix_review_logs_question_reviewed")
        batch_op.drop_index("ix_review_logs_user_activity")

    with op.batch_alter_table("card_states", schema=None) as batch_op:
        batch_op.drop_index("ix_card_states_user_backlog")
        batch_op.drop_index("ix_card_states_user_memory")

"""fewer indexes rewritten per answer

Every answer updates a card state and appends a review log; each index on the
changed columns is rewritten with it. These three duplicated others: the
review-log ones are prefixes of the covering indexes from 0003, and the card
memory index was used by no query.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 17:10:57.070878
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("card_states", schema=None) as batch_op:
        batch_op.drop_index("ix_card_states_user_memory")

    with op.batch_alter_table("review_logs", schema=None) as batch_op:
        batch_op.drop_index("ix_review_logs_question_id")
        batch_op.drop_index("ix_review_logs_user_reviewed")


def downgrade() -> None:
    with op.batch_alter_table("review_logs", schema=None) as batch_op:
        batch_op.create_index(
            "ix_review_logs_user_reviewed", ["user_id", "reviewed_at"], unique=False
        )
        batch_op.create_index("ix_review_logs_question_id", ["question_id"], unique=False)

    with op.batch_alter_table("card_states", schema=None) as batch_op:
        batch_op.create_index(
            "ix_card_states_user_memory",
            ["user_id", "question_id", "stability", "last_review"],
            unique=False,
        )

"""live questions by bank, category, level and kind, from an index

The deck overview, the selection choices, the progress page and the dashboards
count and filter live questions by bank, category, level and kind. Each of those
queries read every row of `questions`, and the rows grew with their HTML (0007):
the deck overview of a 20,000-question collection went from 75 ms to 93 ms. An
index holding those columns (and the id) answers them without the rows.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-26 23:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

COLUMNS = ["retired", "bank_id", "category", "level", "kind", "id"]


def upgrade() -> None:
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.create_index("ix_questions_selection", COLUMNS, unique=False)


def downgrade() -> None:
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.drop_index("ix_questions_selection")

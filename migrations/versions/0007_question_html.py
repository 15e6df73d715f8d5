"""questions carry their HTML

The review screen rendered each question's Markdown when it was shown: about
0.3 ms per card on the real content (p90 0.5 ms), paid again by every worker.
The content build now stores the prompt, answer and explanation as HTML.

Rows written before stay NULL (shown by rendering, as before) until the next
build rewrites them: the compiler version moved to 2, so that build is a full
one, and each question's recorded hash now includes the version.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 22:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

COLUMNS = ("prompt_html", "answer_html", "explanation_html")


def upgrade() -> None:
    with op.batch_alter_table("questions", schema=None) as batch_op:
        for column in COLUMNS:
            batch_op.add_column(sa.Column(column, sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("questions", schema=None) as batch_op:
        for column in reversed(COLUMNS):
            batch_op.drop_column(column)

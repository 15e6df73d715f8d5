"""study days: per-user daily answer counts, and card categories for the dashboards

The mentor dashboard read a cohort's whole recent review log (activity, streaks,
simulator accuracy) and joined every card to its question (mastery). Now:

- `review_logs.study_day`: the user's study day of each answer, fixed when it is
  recorded (time zone and rollover hour then); backfilled here in Python.
- `study_days`: answers per user per study day, kept in step by answer and undo;
  filled here from the log.
- `card_states.category` (the question's, copied) and `last_review_days` (the
  last review as days since the epoch); partial indexes for mastery (studied
  cards per user and category) and backlog (queued cards by due date) replace
  the backlog index.
- `ix_review_logs_question_reviewed` served only the simulator-accuracy query,
  which now reads `study_days`: dropped (each answer wrote it).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 18:40:00
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlalchemy as sa
from alembic import op

import quizapp.data.base

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

BATCH = 5000
STUDIED_CARD = "selected = true AND stability IS NOT NULL AND last_review_days IS NOT NULL"
QUEUED_CARD = (
    "selected = true AND suspended = false AND state IN ('learning', 'review', 'relearning')"
)


def upgrade() -> None:
    with op.batch_alter_table("card_states", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("category", sa.String(length=64), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("last_review_days", sa.Double(), nullable=True))
        batch_op.drop_index("ix_card_states_user_backlog")
    op.execute(
        "UPDATE card_states SET category = (SELECT questions.category FROM questions"
        " WHERE questions.id = card_states.question_id)"
    )
    if op.get_bind().dialect.name == "sqlite":
        days = "julianday(last_review) - 2440587.5"
    else:
        days = "EXTRACT(EPOCH FROM last_review) / 86400.0"
    op.execute(f"UPDATE card_states SET last_review_days = {days} WHERE last_review IS NOT NULL")
    with op.batch_alter_table("card_states", schema=None) as batch_op:
        batch_op.create_index(
            "ix_card_states_mastery",
            ["user_id", "category", "stability", "last_review_days"],
            unique=False,
            sqlite_where=sa.text(STUDIED_CARD),
            postgresql_where=sa.text(STUDIED_CARD),
        )
        batch_op.create_index(
            "ix_card_states_backlog",
            ["user_id", "due", "buried_until"],
            unique=False,
            sqlite_where=sa.text(QUEUED_CARD),
            postgresql_where=sa.text(QUEUED_CARD),
        )

    with op.batch_alter_table("review_logs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("study_day", sa.Date(), nullable=True))
        batch_op.drop_index("ix_review_logs_question_reviewed")
    _backfill_study_days(op.get_bind())
    with op.batch_alter_table("review_logs", schema=None) as batch_op:
        batch_op.alter_column("study_day", existing_type=sa.Date(), nullable=False)

    op.create_table(
        "study_days",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("answers", sa.Integer(), nullable=False),
        sa.Column("new_answers", sa.Integer(), nullable=False),
        sa.Column("review_answers", sa.Integer(), nullable=False),
        sa.Column("review_passed", sa.Integer(), nullable=False),
        sa.Column("oom_easy", sa.Integer(), nullable=False),
        sa.Column("oom_easy_passed", sa.Integer(), nullable=False),
        sa.Column("oom_medium", sa.Integer(), nullable=False),
        sa.Column("oom_medium_passed", sa.Integer(), nullable=False),
        sa.Column("oom_hard", sa.Integer(), nullable=False),
        sa.Column("oom_hard_passed", sa.Integer(), nullable=False),
        sa.Column("streak", sa.Integer(), nullable=False),
        sa.Column("last_answer_at", quizapp.data.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_study_days_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "day", name=op.f("pk_study_days")),
        sqlite_with_rowid=False,
    )
    # The statement of `quizapp.services.study_days.rebuild`, frozen here.
    op.execute(
        "INSERT INTO study_days (user_id, day, answers, new_answers, review_answers, review_passed,"
        " oom_easy, oom_easy_passed, oom_medium, oom_medium_passed, oom_hard,"
        " oom_hard_passed, last_answer_at, streak)"
        f" SELECT r.user_id, r.study_day, {_count('NOT r.undone')},"
        f" {_count(NEW)},"
        f" {_count(REVIEW)}, {_count(REVIEW + ' AND r.rating > 1')},"
        + ", ".join(
            f"{_count(OOM + ' AND ' + tier)}, {_count(OOM + ' AND ' + tier + ' AND ' + PASSED)}"
            for tier in TIERS
        )
        + ", MAX(r.reviewed_at), 0"
        " FROM review_logs r JOIN questions q ON q.id = r.question_id"
        " GROUP BY r.user_id, r.study_day"
    )
    _backfill_streaks(op.get_bind())


NEW = "NOT r.undone AND r.phase = 'new'"
REVIEW = "NOT r.undone AND r.phase = 'review'"
OOM = "NOT r.undone AND q.kind IN ('oom_victim', 'oom_score', 'oom_kernel')"
PASSED = "COALESCE(r.correct, r.rating > 1)"
TIERS = (
    "q.level = 'beginner'",
    "q.level NOT IN ('beginner', 'advanced')",
    "q.level = 'advanced'",
)


def _count(condition: str) -> str:
    return f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)"


def _zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _day_of(moment: datetime, zone: ZoneInfo, hour: int) -> date:
    # As quizapp.core.scheduler.days.day_of at this revision.
    local = moment.astimezone(zone)
    day = local.date()
    if moment < datetime.combine(day, time(hour), tzinfo=zone).astimezone(UTC):
        day -= timedelta(days=1)
    return day


def _backfill_study_days(bind: sa.engine.Connection) -> None:
    users = sa.table(
        "users", sa.column("id"), sa.column("timezone"), sa.column("day_rollover_hour")
    )
    logs = sa.table(
        "review_logs",
        sa.column("id", sa.Integer()),
        sa.column("user_id", sa.Integer()),
        sa.column("reviewed_at", quizapp.data.base.UTCDateTime(timezone=True)),
        sa.column("study_day", sa.Date()),
    )
    update = (
        sa.update(logs)
        .where(logs.c.id == sa.bindparam("log_id"))
        .values(study_day=sa.bindparam("day"))
    )
    for user_id, zone_name, hour in bind.execute(sa.select(users)).all():
        zone = _zone(zone_name)
        rows = bind.execute(
            sa.select(logs.c.id, logs.c.reviewed_at).where(logs.c.user_id == user_id)
        ).all()
        for start in range(0, len(rows), BATCH):
            bind.execute(
                update,
                [
                    {"log_id": log_id, "day": _day_of(at, zone, hour if hour is not None else 4)}
                    for log_id, at in rows[start : start + BATCH]
                ],
            )


def _backfill_streaks(bind: sa.engine.Connection) -> None:
    """Each day's run of consecutive study days with answers (as services.study_days)."""
    days = sa.table(
        "study_days",
        sa.column("user_id", sa.Integer()),
        sa.column("day", sa.Date()),
        sa.column("answers", sa.Integer()),
        sa.column("streak", sa.Integer()),
    )
    rows = bind.execute(
        sa.select(days.c.user_id, days.c.day, days.c.answers).order_by(days.c.user_id, days.c.day)
    ).all()
    runs, previous, run = [], None, 0
    for user_id, day, answers in rows:
        consecutive = previous is not None and previous == (user_id, day - timedelta(days=1))
        run = 0 if answers <= 0 else (run + 1 if consecutive and run else 1)
        runs.append({"uid": user_id, "d": day, "run": run})
        previous = (user_id, day)
    update = (
        sa.update(days)
        .where(days.c.user_id == sa.bindparam("uid"), days.c.day == sa.bindparam("d"))
        .values(streak=sa.bindparam("run"))
    )
    for start in range(0, len(runs), BATCH):
        bind.execute(update, runs[start : start + BATCH])


def downgrade() -> None:
    op.drop_table("study_days")
    with op.batch_alter_table("review_logs", schema=None) as batch_op:
        batch_op.create_index(
            "ix_review_logs_question_reviewed",
            ["question_id", "reviewed_at", "user_id", "undone", "rating", "correct"],
            unique=False,
        )
        batch_op.drop_column("study_day")
    with op.batch_alter_table("card_states", schema=None) as batch_op:
        batch_op.drop_index("ix_card_states_backlog")
        batch_op.drop_index("ix_card_states_mastery")
        batch_op.create_index(
            "ix_card_states_user_backlog",
            ["user_id", "state", "due", "suspended", "buried_until"],
            unique=False,
        )
        batch_op.drop_column("last_review_days")
        batch_op.drop_column("category")

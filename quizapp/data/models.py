"""SQLAlchemy 2.0 typed models: the whole schema in one place.

Timestamps are aware UTC (see `base.UTCDateTime`). JSON columns hold lists and
small documents that are read whole; anything queried or indexed is a column.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quizapp.data.base import Base


class Role(enum.StrEnum):
    CANDIDATE = "candidate"
    MENTOR = "mentor"
    ADMIN = "admin"


def _enum(cls: type[enum.Enum], name: str) -> Enum:
    return Enum(
        cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=20,
        values_callable=lambda e: [m.value for m in e],
    )


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(255), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(_enum(Role, "role"), default=Role.CANDIDATE)
    # Rotated on password change / "log out everywhere": Flask-Login's id, so
    # old sessions and remember-me cookies stop working.
    session_token: Mapped[str] = mapped_column(String(64), unique=True)
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    day_rollover_hour: Mapped[int] = mapped_column(Integer, default=4)
    created_at: Mapped[datetime]
    last_active_at: Mapped[datetime | None]

    # Study settings (Anki's defaults).
    new_per_day: Mapped[int] = mapped_column(Integer, default=20)
    reviews_per_day: Mapped[int] = mapped_column(Integer, default=200)
    desired_retention: Mapped[float] = mapped_column(default=0.9)
    learning_steps: Mapped[list[int]] = mapped_column(JSON, default=lambda: [60, 600])
    relearning_steps: Mapped[list[int]] = mapped_column(JSON, default=lambda: [600])
    maximum_interval: Mapped[int] = mapped_column(Integer, default=36500)
    leech_threshold: Mapped[int] = mapped_column(Integer, default=8)
    study_selection: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    interview_date: Mapped[date | None]

    # What Flask-Login asks of a user object.
    is_authenticated = True
    is_active = True
    is_anonymous = False

    def get_id(self) -> str:
        return self.session_token


class Category(Base):
    __tablename__ = "categories"

    slug: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)


class Lesson(Base):
    __tablename__ = "lessons"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")


class Entry(Base):
    """A compiled knowledge-base entry, as its page shows it."""

    __tablename__ = "entries"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)  # slug or explicit id
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    category: Mapped[str] = mapped_column(String(64), index=True)
    level: Mapped[str] = mapped_column(String(16))
    summary: Mapped[str] = mapped_column(Text)
    aka: Mapped[list[str]] = mapped_column(JSON, default=list)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    see_also: Mapped[list[str]] = mapped_column(JSON, default=list)
    lessons: Mapped[list[str]] = mapped_column(JSON, default=list)
    commands: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    toc: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    body_html: Mapped[str] = mapped_column(Text)
    markdown: Mapped[str] = mapped_column(Text)
    source_path: Mapped[str] = mapped_column(String(500))
    content_hash: Mapped[str] = mapped_column(String(64))
    retired: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    updated_at: Mapped[datetime]


class ContentFile(Base):
    """Hash of each content file at the last build, for cheap no-op rebuilds."""

    __tablename__ = "content_files"

    path: Mapped[str] = mapped_column(String(500), primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    built_at: Mapped[datetime]


class Bank(Base):
    __tablename__ = "banks"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    retired: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    questions: Mapped[list[Question]] = relationship(back_populates="bank")


class Question(Base):
    """A compiled question. Never deleted: a removed source sets `retired`."""

    __tablename__ = "questions"
    __table_args__ = (
        # What the selection choices, the deck overview and the dashboards count and
        # filter on (live questions by bank, category, level, kind), read from the index
        # alone: the rows themselves are wide (Markdown and HTML).
        Index("ix_questions_selection", "retired", "bank_id", "category", "level", "kind", "id"),
    )

    id: Mapped[str] = mapped_column(String(255), primary_key=True)  # stable id
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    prompt: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    explanation: Mapped[str] = mapped_column(Text, default="")
    # The three above as HTML, rendered by the content build (None: render when shown).
    prompt_html: Mapped[str | None] = mapped_column(Text)
    answer_html: Mapped[str | None] = mapped_column(Text)
    explanation_html: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    entry_slug: Mapped[str | None] = mapped_column(String(200), index=True)
    category: Mapped[str] = mapped_column(String(64), index=True, default="")
    level: Mapped[str] = mapped_column(String(16), default="intermediate")
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    content_hash: Mapped[str] = mapped_column(String(64))
    retired: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    bank: Mapped[Bank] = relationship(back_populates="questions")


# Cards of the study selection with a memory state (mastery counts them) and those in the
# review queue (backlog): the WHERE clauses of partial indexes, valid on both databases.
STUDIED_CARD = "selected = true AND stability IS NOT NULL AND last_review_days IS NOT NULL"
QUEUED_CARD = (
    "selected = true AND suspended = false AND state IN ('learning', 'review', 'relearning')"
)


class CardState(Base):
    """One user's scheduling state for one question (FSRS memory model + queue flags)."""

    __tablename__ = "card_states"
    __table_args__ = (
        UniqueConstraint("user_id", "question_id", name="uq_card_states_user_question"),
        # The daily queue counts and reads learning, review and new cards, each by due,
        # from the index alone (selection, suspension and burial are in it).
        Index(
            "ix_card_states_queue",
            "user_id",
            "state",
            "selected",
            "suspended",
            "due",
            "buried_until",
        ),
        # Mentor dashboard, partial indexes holding just the cards each figure counts:
        # the memory of studied cards per category (mastery), and the due dates of
        # cards in the review queue (backlog). Queries must repeat the WHERE text.
        Index(
            "ix_card_states_mastery",
            "user_id",
            "category",
            "stability",
            "last_review_days",
            sqlite_where=text(STUDIED_CARD),
            postgresql_where=text(STUDIED_CARD),
        ),
        Index(
            "ix_card_states_backlog",
            "user_id",
            "due",
            "buried_until",
            sqlite_where=text(QUEUED_CARD),
            postgresql_where=text(QUEUED_CARD),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(ForeignKey("questions.id"), index=True)
    state: Mapped[str] = mapped_column(String(16), default="new")  # new|learning|review|relearning
    step: Mapped[int | None]
    stability: Mapped[float | None]
    difficulty: Mapped[float | None]
    due: Mapped[datetime]
    last_review: Mapped[datetime | None]
    # `last_review` in days since the epoch (`base.epoch_days`), written with it: the
    # mentor dashboard computes every card's recall without parsing a timestamp.
    last_review_days: Mapped[float | None]
    reps: Mapped[int] = mapped_column(Integer, default=0)
    lapses: Mapped[int] = mapped_column(Integer, default=0)
    suspended: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    buried_until: Mapped[datetime | None]
    leech: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # In the user's study selection (and not retired); kept in step by the study service.
    selected: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    # The question's category, copied so dashboards group cards without a join; kept
    # in step by the content build.
    category: Mapped[str] = mapped_column(String(64), default="", server_default="")
    created_at: Mapped[datetime]


class ReviewLog(Base):
    """Append-only record of every answer; undo marks a row, it never deletes it."""

    __tablename__ = "review_logs"
    __table_args__ = (
        # Covering index for the progress page's counts by user and time (the queue and
        # the dashboards read `StudyDay`). Each answer appends to every index here.
        Index(
            "ix_review_logs_user_activity", "user_id", "reviewed_at", "undone", "phase", "rating"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(ForeignKey("questions.id"))
    rating: Mapped[int] = mapped_column(Integer)  # 1 Again, 2 Hard, 3 Good, 4 Easy
    # The card's state before the answer (new|learning|review|relearning), like
    # Anki's revlog type: daily limits and true retention are counted from it.
    phase: Mapped[str] = mapped_column(String(16), default="review", server_default="review")
    reviewed_at: Mapped[datetime]
    # The user's study day (time zone and rollover hour at the time of the answer).
    study_day: Mapped[date]
    duration_ms: Mapped[int] = mapped_column(Integer, default=0)
    state_before: Mapped[dict[str, Any]] = mapped_column(JSON)
    state_after: Mapped[dict[str, Any]] = mapped_column(JSON)
    typed_answer: Mapped[str | None] = mapped_column(Text)
    correct: Mapped[bool | None]  # for auto-graded kinds
    answer_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    undone: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class StudyDay(Base):
    """Answers per user per study day, kept in step with `ReviewLog` by every answer
    and undo (`services.study_days`): dashboards read days, not the whole log.

    `answers` counts answers not undone; `new_answers` those to new cards (the
    daily new-card limit); `review_*` those to cards in the review phase (the daily
    review limit) and how many passed (Hard/Good/Easy); `oom_*` answers to
    OOM-simulator questions by tier and how many were right. A day whose answers
    were all undone keeps its row with zero answers.
    """

    __tablename__ = "study_days"
    __table_args__ = {"sqlite_with_rowid": False}  # rows stored in (user, day) order

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(primary_key=True)
    answers: Mapped[int] = mapped_column(Integer, default=0)
    new_answers: Mapped[int] = mapped_column(Integer, default=0)  # to new cards
    review_answers: Mapped[int] = mapped_column(Integer, default=0)
    review_passed: Mapped[int] = mapped_column(Integer, default=0)
    oom_easy: Mapped[int] = mapped_column(Integer, default=0)
    oom_easy_passed: Mapped[int] = mapped_column(Integer, default=0)
    oom_medium: Mapped[int] = mapped_column(Integer, default=0)
    oom_medium_passed: Mapped[int] = mapped_column(Integer, default=0)
    oom_hard: Mapped[int] = mapped_column(Integer, default=0)
    oom_hard_passed: Mapped[int] = mapped_column(Integer, default=0)
    # Consecutive study days with answers up to this one (see services.study_days).
    streak: Mapped[int] = mapped_column(Integer, default=1)
    last_answer_at: Mapped[datetime]  # the day's latest answer, undone ones included


class MockInterview(Base):
    __tablename__ = "mock_interviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    time_limit_seconds: Mapped[int] = mapped_column(Integer)
    categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    question_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    score: Mapped[float | None]  # 0..1 once finished
    by_category: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class SimAttempt(Base):
    """An answer to a simulator question outside the review queue (practice mode)."""

    __tablename__ = "sim_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    tier: Mapped[str] = mapped_column(String(16))  # easy|medium|hard
    correct: Mapped[bool]
    created_at: Mapped[datetime]


class Cohort(Base):
    __tablename__ = "cohorts"

    id: Mapped[int] = mapped_column(primary_key=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    inactive_days: Mapped[int] = mapped_column(Integer, default=7)
    created_at: Mapped[datetime]


class CohortMember(Base):
    """A candidate who accepted an invitation; `left_at` ends sharing at once."""

    __tablename__ = "cohort_members"
    __table_args__ = (UniqueConstraint("cohort_id", "user_id", name="uq_cohort_members_pair"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    invitation_id: Mapped[int | None] = mapped_column(
        ForeignKey("invitations.id", ondelete="SET NULL")
    )
    joined_at: Mapped[datetime]
    left_at: Mapped[datetime | None]


class Invitation(Base):
    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]

"""Builders for mentor/cohort tests: questions, card states, review logs, cohorts."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from quizapp.core.scheduler.days import day_of
from quizapp.data.base import epoch_days
from quizapp.data.models import (
    Bank,
    CardState,
    Category,
    Cohort,
    CohortMember,
    Question,
    ReviewLog,
    Role,
    User,
)
from quizapp.services import cohorts, study_days
from tests.factories import T0, make_user


def make_mentor(session: Session, email: str = "mentor@example.com", **kw: Any) -> User:
    kw.setdefault("display_name", "Morgan Mentor")
    return make_user(session, email, role=Role.MENTOR, **kw)


def make_bank(session: Session, slug: str = "kb-test") -> Bank:
    bank = session.scalar(select(Bank).where(Bank.slug == slug))
    if bank is None:
        bank = Bank(slug=slug, title=slug)
        session.add(bank)
        session.flush()
    return bank


def make_category(session: Session, slug: str, title: str | None = None) -> Category:
    category = session.get(Category, slug)
    if category is None:
        category = Category(slug=slug, title=title or slug.capitalize())
        session.add(category)
        session.flush()
    return category


def make_question(
    session: Session,
    qid: str,
    *,
    category: str = "processes",
    kind: str = "term_definition",
    level: str = "intermediate",
    prompt: str | None = None,
    retired: bool = False,
) -> Question:
    bank = make_bank(session)
    make_category(session, category)
    question = Question(
        id=qid,
        bank_id=bank.id,
        kind=kind,
        prompt=prompt or f"Prompt of {qid}",
        answer="answer",
        category=category,
        level=level,
        content_hash="h",
        retired=retired,
        created_at=T0,
        updated_at=T0,
    )
    session.add(question)
    session.flush()
    return question


def make_card(
    session: Session,
    user: User,
    question: Question,
    *,
    stability: float | None = 10.0,
    last_review: datetime | None = T0,
    due: datetime | None = None,
    state: str = "review",
    lapses: int = 0,
    leech: bool = False,
    suspended: bool = False,
) -> CardState:
    if due is None:
        due = (last_review or T0) + timedelta(days=stability or 1)
    card = CardState(
        user_id=user.id,
        question_id=question.id,
        state=state,
        stability=stability,
        difficulty=5.0 if stability else None,
        due=due,
        last_review=last_review,
        last_review_days=epoch_days(last_review) if last_review else None,
        reps=1,
        lapses=lapses,
        leech=leech,
        suspended=suspended,
        category=question.category,
        created_at=T0,
    )
    session.add(card)
    session.flush()
    return card


def make_review(
    session: Session,
    user: User,
    question: Question,
    at: datetime,
    *,
    rating: int = 3,
    phase: str = "review",
    undone: bool = False,
    correct: bool | None = None,
    stability_after: float | None = 10.0,
) -> ReviewLog:
    """A review log row; the user's study days are recomputed from the log (the study
    service counts answers one by one as they come, in time order)."""
    log = ReviewLog(
        user_id=user.id,
        question_id=question.id,
        rating=rating,
        phase=phase,
        reviewed_at=at,
        study_day=day_of(at, ZoneInfo(user.timezone), user.day_rollover_hour),
        state_before={},
        state_after={"stability": stability_after},
        correct=correct,
        undone=undone,
    )
    session.add(log)
    session.flush()
    study_days.rebuild(session, [user.id])
    return log


def make_cohort(session: Session, mentor: User, name: str = "Spring cohort", **kw: Any) -> Cohort:
    return cohorts.create_cohort(session, mentor, name, now=kw.pop("now", T0), **kw)


def join(session: Session, cohort: Cohort, user: User, at: datetime = T0) -> CohortMember:
    invitation = cohorts.create_invitation(session, cohort, now=at)
    return cohorts.accept_invitation(session, invitation.code, user, now=at)

"""Answers per user per study day (`StudyDay`), kept in step with the review log.

Every recorded answer adds itself to its day's row (`count_answer`) and an undo
takes itself back out (`uncount_answer`), in the same transaction as the log
row; `rebuild` recomputes rows from the log (bulk loads: the demo, benchmarks,
the migration that introduced them). Dashboards then read a few rows per
candidate instead of every answer.

Streaks: a day's `streak` is the number of consecutive study days with answers
ending with it, fixed when the day gets its first answer (from the day before's
row). Undo only ever takes back the newest answer, so a day can lose all its
answers only after every later day has; a day that gets answers again after
that is recounted from the day before.

Simulator tiers follow the question's level: beginner = easy, advanced = hard,
anything else medium. An OOM answer passed if auto-graded correct, otherwise if
rated Hard or better.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    Connection,
    Date,
    Integer,
    and_,
    bindparam,
    case,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from quizapp.core.questions import QuestionKind
from quizapp.data.models import Question, ReviewLog, StudyDay
from quizapp.data.prepared import Prepared

TIERS = ("easy", "medium", "hard")
LEVEL_TIER = {"beginner": "easy", "intermediate": "medium", "advanced": "hard"}
OOM_KINDS = tuple(kind.value for kind in QuestionKind if kind.value.startswith("oom_"))
COUNTS = (
    "answers", "new_answers", "review_answers", "review_passed",
    *(f"oom_{tier}{suffix}" for tier in TIERS for suffix in ("", "_passed")),
)  # fmt: skip


def oom_tier(kind: str, level: str) -> str | None:
    """The simulator tier an answer to a question of this kind and level counts for."""
    return LEVEL_TIER.get(level, "medium") if kind in OOM_KINDS else None


def answer_counts(
    phase: str, rating: int, correct: bool | None, tier: str | None
) -> dict[str, int]:
    """What one answer adds to its day's counts."""
    counts = dict.fromkeys(COUNTS, 0)
    counts["answers"] = 1
    if phase == "new":
        counts["new_answers"] = 1
    if phase == "review":
        counts["review_answers"] = 1
        counts["review_passed"] = int(rating > 1)
    if tier is not None:
        counts[f"oom_{tier}"] = 1
        counts[f"oom_{tier}_passed"] = int(correct if correct is not None else rating > 1)
    return counts


def count_answer(
    connection: Connection,
    *,
    user_id: int,
    day: date,
    at: datetime,
    phase: str,
    rating: int,
    correct: bool | None,
    tier: str | None,
    sign: int = 1,
) -> None:
    """Add one answer to (or, with `sign=-1`, take it out of) its study day's row."""
    counts = {k: sign * v for k, v in answer_counts(phase, rating, correct, tier).items()}
    if sign > 0:
        # Most answers go to a day that already has answers: add the counts that
        # change; its streak stays. Otherwise the upsert below sets the streak.
        added = tuple(name for name, value in counts.items() if value)
        updated = _add_to_day(added).run(
            connection,
            {"the_user": user_id, "the_day": day, "at": at}
            | {f"add_{name}": counts[name] for name in added},
        )
        if updated:
            return
    values = {
        "user_id": user_id,
        "day": day,
        "last_answer_at": at,
        **counts,
        "same_user": user_id,
        "day_before": day - timedelta(days=1),
    }
    connection.execute(_UPSERTS[connection.dialect.name], values)


@lru_cache(maxsize=64)
def _add_to_day(names: tuple[str, ...]) -> Prepared:
    """UPDATE of a day with answers: these counts go up by their parameters."""
    table = StudyDay.__table__
    at = bindparam("at", type_=table.c.last_answer_at.type)
    return Prepared(
        update(table)
        .where(
            table.c.user_id == bindparam("the_user", type_=Integer),
            table.c.day == bindparam("the_day", type_=Date),
            table.c.answers > 0,
        )
        .values(
            {
                **{name: table.c[name] + bindparam(f"add_{name}", type_=Integer) for name in names},
                "last_answer_at": case(
                    (at > table.c.last_answer_at, at), else_=table.c.last_answer_at
                ),
            }
        )
    )


def uncount_answer(connection: Connection, log: ReviewLog, kind: str, level: str) -> None:
    """Take an undone answer out of the day it was counted in."""
    count_answer(
        connection,
        user_id=log.user_id,
        day=log.study_day,
        at=log.reviewed_at,
        phase=log.phase,
        rating=log.rating,
        correct=log.correct,
        tier=oom_tier(kind, level),
        sign=-1,
    )


def _build_upsert(dialect_insert: Any) -> Any:
    table = StudyDay.__table__
    before = table.alias("before")
    run_before = (
        select(before.c.streak)
        .where(
            before.c.user_id == bindparam("same_user", type_=Integer),
            before.c.day == bindparam("day_before", type_=Date),
            before.c.answers > 0,
        )
        .scalar_subquery()
    )
    statement = dialect_insert(table).values(streak=func.coalesce(run_before, 0) + 1)
    new = statement.excluded
    return statement.on_conflict_do_update(
        index_elements=[table.c.user_id, table.c.day],
        set_={
            **{name: table.c[name] + new[name] for name in COUNTS},
            "streak": case((table.c.answers > 0, table.c.streak), else_=new.streak),
            "last_answer_at": case(
                (new.last_answer_at > table.c.last_answer_at, new.last_answer_at),
                else_=table.c.last_answer_at,
            ),
        },
    )


_UPSERTS = {
    "sqlite": _build_upsert(sqlite.insert),
    "postgresql": _build_upsert(postgresql.insert),
}


def rebuild(session: Session, user_ids: Sequence[int] | None = None) -> None:
    """Recompute the study-day rows of these users (all users without `user_ids`)."""
    log, question = ReviewLog, Question
    kept = log.undone.is_(False)
    passed = func.coalesce(log.correct, log.rating > 1)
    is_oom = and_(kept, question.kind.in_(OOM_KINDS))
    tiers = {
        "easy": question.level == "beginner",
        "medium": question.level.not_in(("beginner", "advanced")),
        "hard": question.level == "advanced",
    }

    def count(*conditions: Any) -> Any:
        return func.sum(case((and_(*conditions), 1), else_=0))

    in_review = and_(kept, log.phase == "review")
    columns = {
        "answers": count(kept),
        "new_answers": count(kept, log.phase == "new"),
        "review_answers": count(in_review),
        "review_passed": count(in_review, log.rating > 1),
    }
    for tier in TIERS:
        columns[f"oom_{tier}"] = count(is_oom, tiers[tier])
        columns[f"oom_{tier}_passed"] = count(is_oom, tiers[tier], passed)
    query = (
        select(log.user_id, log.study_day, *columns.values(), func.max(log.reviewed_at))
        .join(question, question.id == log.question_id)
        .group_by(log.user_id, log.study_day)
    )
    days = select(StudyDay.user_id, StudyDay.day, StudyDay.answers)
    clear = delete(StudyDay)
    if user_ids is not None:
        query = query.where(log.user_id.in_(list(user_ids)))
        days = days.where(StudyDay.user_id.in_(list(user_ids)))
        clear = clear.where(StudyDay.user_id.in_(list(user_ids)))
    session.execute(clear)
    session.execute(
        insert(StudyDay).from_select(["user_id", "day", *columns, "last_answer_at"], query)
    )
    rows = session.execute(days.order_by(StudyDay.user_id, StudyDay.day)).all()
    if rows:
        table = StudyDay.__table__
        session.connection().execute(  # Core executemany: no ORM objects to synchronize
            update(table)
            .where(table.c.user_id == bindparam("uid"), table.c.day == bindparam("d"))
            .values(streak=bindparam("run")),
            [{"uid": uid, "d": day, "run": run} for uid, day, run in streaks(rows)],
        )


def streaks(rows: Sequence[Any]) -> list[tuple[int, date, int]]:
    """(user, day, streak) for (user, day, answers) rows sorted by user and day."""
    result, previous, run = [], None, 0
    for uid, day, answers in rows:
        consecutive = previous == (uid, day - timedelta(days=1))
        run = 0 if answers <= 0 else (run + 1 if consecutive and run else 1)
        result.append((uid, day, run))
        previous = (uid, day)
    return result

"""Per-day answer counts follow every answer and undo, and equal a rebuild from the log."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from quizapp.core.scheduler import Rating
from quizapp.data.models import ReviewLog, StudyDay
from quizapp.services import accounts, study, study_days
from quizapp.services.study import Selection
from tests.factories import DEFAULT_PASSWORD, make_user
from tests.study_data import add_bank, add_question, answer_next, small_content

# 12:00 UTC is 13:00 in Berlin; the study day starts at 04:00 local (03:00 UTC in winter).
DAY1 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


@pytest.fixture
def user(session):
    small_content(session)
    user = make_user(session)
    user.timezone = "Europe/Berlin"
    study.save_selection(session, user, Selection(banks=("kb-memory",)), DAY1)
    session.flush()
    return user


def days(session, user):
    rows = session.scalars(
        select(StudyDay).where(StudyDay.user_id == user.id).order_by(StudyDay.day)
    ).all()
    columns = ("day", *study_days.COUNTS, "streak", "last_answer_at")
    return [tuple(getattr(r, c) for c in columns) for r in rows]


def test_answers_and_undo_keep_the_days_equal_to_a_rebuild_from_the_log(session, user):
    answer_next(session, user, DAY1)
    answer_next(session, user, DAY1 + timedelta(minutes=1), Rating.AGAIN)
    answer_next(session, user, DAY1 + timedelta(hours=14, minutes=30))  # 03:30 next day: still DAY1
    answer_next(session, user, DAY1 + timedelta(days=1))
    answer_next(session, user, DAY1 + timedelta(days=1, minutes=2), Rating.HARD)
    assert study.undo_last_answer(session, user) is not None
    answer_next(session, user, DAY1 + timedelta(days=3), Rating.EASY)
    session.flush()
    incremental = days(session, user)
    assert [(d, n) for d, n, *_ in incremental] == [
        (date(2026, 3, 2), 3),
        (date(2026, 3, 3), 1),
        (date(2026, 3, 5), 1),
    ]
    assert [row[-2] for row in incremental] == [1, 2, 1]  # streaks
    logged = session.scalars(select(ReviewLog.study_day).order_by(ReviewLog.id)).all()
    assert logged == [date(2026, 3, 2)] * 3 + [date(2026, 3, 3)] * 2 + [date(2026, 3, 5)]
    session.expire_all()
    study_days.rebuild(session, [user.id])
    assert days(session, user) == incremental


def test_undoing_a_days_only_answer_leaves_it_unstudied_until_answered_again(session, user):
    answer_next(session, user, DAY1)
    answer_next(session, user, DAY1 + timedelta(days=1))
    study.undo_last_answer(session, user)
    session.flush()
    day2 = session.get(StudyDay, (user.id, date(2026, 3, 3)))
    assert day2.answers == 0
    answer_next(session, user, DAY1 + timedelta(days=1, hours=1))  # day 2 studied after all
    answer_next(session, user, DAY1 + timedelta(days=2))
    session.flush()
    session.expire_all()
    assert session.get(StudyDay, (user.id, date(2026, 3, 3))).streak == 2
    assert session.get(StudyDay, (user.id, date(2026, 3, 4))).streak == 3


def test_a_day_after_a_fully_undone_day_starts_a_new_streak(session, user):
    answer_next(session, user, DAY1)
    answer_next(session, user, DAY1 + timedelta(days=1))
    study.undo_last_answer(session, user)
    answer_next(session, user, DAY1 + timedelta(days=2))
    session.flush()
    session.expire_all()
    assert session.get(StudyDay, (user.id, date(2026, 3, 4))).streak == 1


def test_an_answer_counts_for_the_study_day_of_the_users_zone(session, user):
    user.timezone = "America/New_York"  # 02:00 UTC on 3 March is 21:00 on 2 March there
    answer_next(session, user, datetime(2026, 3, 3, 2, 0, tzinfo=UTC))
    session.flush()
    assert [d for d, *_ in days(session, user)] == [date(2026, 3, 2)]


def test_oom_answers_count_for_their_tier_and_pass_when_graded_right(session, user):
    bank = add_bank(session, "oom", "OOM")
    question = add_question(session, bank, "oom/q", kind="oom_victim", level="advanced")
    session.flush()
    assert study_days.oom_tier(question.kind, question.level) == "hard"
    assert study_days.oom_tier("term_definition", "advanced") is None
    wrong = study_days.answer_counts("review", rating=3, correct=False, tier="hard")
    assert (wrong["oom_hard"], wrong["oom_hard_passed"]) == (1, 0)
    assert (wrong["review_answers"], wrong["review_passed"]) == (1, 1)
    self_graded = study_days.answer_counts("learning", rating=2, correct=None, tier="easy")
    assert (self_graded["oom_easy"], self_graded["oom_easy_passed"]) == (1, 1)
    assert self_graded["review_answers"] == 0
    again = study_days.answer_counts("review", rating=1, correct=None, tier=None)
    assert (again["answers"], again["review_answers"], again["review_passed"]) == (1, 1, 0)
    assert again["oom_medium"] == 0


def test_streaks_restart_after_a_gap_and_skip_days_without_answers() -> None:
    d = date(2026, 3, 1)
    rows = [(1, d, 3), (1, d + timedelta(1), 1), (1, d + timedelta(2), 0),
            (1, d + timedelta(3), 2), (1, d + timedelta(5), 4), (2, d + timedelta(6), 1)]  # fmt: skip
    assert [run for _u, _d, run in study_days.streaks(rows)] == [1, 2, 0, 1, 1, 1]


def test_deleting_the_account_deletes_its_study_days(session, user):
    answer_next(session, user, DAY1)
    session.flush()
    assert days(session, user)
    accounts.delete_account(session, user, DEFAULT_PASSWORD)
    assert session.scalars(select(StudyDay)).all() == []

"""Prepared statements give what `Connection.execute` gives, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Integer, String, bindparam, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from quizapp.data.models import Bank, Question, ReviewLog, User
from quizapp.data.prepared import Prepared
from tests.factories import T0, make_user

LOG_COLUMNS = (
    "user_id", "question_id", "rating", "phase", "reviewed_at", "study_day", "duration_ms",
    "state_before", "state_after", "typed_answer", "correct", "answer_token", "undone",
)  # fmt: skip
INSERT_LOG = Prepared(
    insert(ReviewLog.__table__).values({name: bindparam(name) for name in LOG_COLUMNS})
)
LOG_BY_TOKEN = select(*(getattr(ReviewLog, name) for name in ("id", *LOG_COLUMNS))).where(
    ReviewLog.answer_token == bindparam("token", type_=String)
)


def _question(session: Session) -> str:
    bank = Bank(slug="b", title="B")
    session.add(bank)
    session.flush()
    session.execute(
        insert(Question),
        {
            "id": "b/q1",
            "bank_id": bank.id,
            "kind": "term_definition",
            "prompt": "p",
            "answer": "a",
            "explanation": "",
            "data": {},
            "entry_slug": None,
            "category": "c",
            "level": "beginner",
            "tags": [],
            "content_hash": "h",
            "retired": False,
            "created_at": T0,
            "updated_at": T0,
        },  # fmt: skip
    )
    return "b/q1"


def _log(user_id: int, question_id: str, token: str, **changes: object) -> dict[str, object]:
    return {
        "user_id": user_id,
        "question_id": question_id,
        "rating": 3,
        "phase": "review",
        "reviewed_at": T0 + timedelta(microseconds=123_456),
        "study_day": date(2026, 3, 1),
        "duration_ms": 4200,
        "state_before": {"phase": "new", "steps": [60, 600]},
        "state_after": {"phase": "review", "due": "2026-03-04T12:00:00+00:00"},
        "typed_answer": "ls -l",
        "correct": True,
        "answer_token": token,
        "undone": False,
        **changes,
    }


def test_rows_written_and_read_match_sqlalchemys_own(session: Session) -> None:
    user = make_user(session)
    question_id = _question(session)
    connection = session.connection()
    assert INSERT_LOG.run(connection, _log(user.id, question_id, "t1")) == 1
    connection.execute(insert(ReviewLog), _log(user.id, question_id, "t2", correct=None))

    for token in ("t1", "t2"):
        ours = Prepared(LOG_BY_TOKEN).first(connection, {"token": token})
        theirs = connection.execute(LOG_BY_TOKEN, {"token": token}).one()
        assert tuple(ours) == tuple(theirs)
        assert ours._fields == tuple(theirs._fields)
    row = Prepared(LOG_BY_TOKEN).first(connection, {"token": "t1"})
    assert row is not None
    assert row.reviewed_at == datetime(2026, 3, 1, 12, 0, 0, 123_456, tzinfo=UTC)
    assert row.study_day == date(2026, 3, 1)
    assert row.state_before == {"phase": "new", "steps": [60, 600]}
    assert row.correct is True and row.undone is False
    assert Prepared(LOG_BY_TOKEN).first(connection, {"token": "none"}) is None


def test_comparisons_on_converted_parameters_find_the_same_rows(session: Session) -> None:
    user = make_user(session)
    question_id = _question(session)
    connection = session.connection()
    for minute in range(5):
        at = T0 + timedelta(minutes=minute)
        INSERT_LOG.run(connection, _log(user.id, question_id, f"t{minute}", reviewed_at=at))
    counted = select(func.count(ReviewLog.id)).where(
        ReviewLog.reviewed_at < bindparam("at", type_=ReviewLog.reviewed_at.type)
    )
    at = T0 + timedelta(minutes=3)
    assert Prepared(counted).first(connection, {"at": at}) == (3,)
    assert connection.execute(counted, {"at": at}).scalar() == 3


def test_run_counts_matched_rows_and_constants_are_bound(session: Session) -> None:
    user = make_user(session)
    rename = Prepared(
        update(User.__table__)
        .where(User.id == bindparam("user_id", type_=Integer), User.new_per_day > 0)
        .values(display_name=bindparam("name", type_=String))
    )
    connection = session.connection()
    assert rename.run(connection, {"user_id": user.id, "name": "Renamed"}) == 1
    assert rename.run(connection, {"user_id": user.id + 1000, "name": "Nobody"}) == 0
    assert connection.execute(select(User.display_name)).scalar() == "Renamed"


def test_a_constraint_violation_is_sqlalchemys_integrity_error(session: Session) -> None:
    user = make_user(session)
    question_id = _question(session)
    connection = session.connection()
    INSERT_LOG.run(connection, _log(user.id, question_id, "same"))
    with pytest.raises(IntegrityError):
        INSERT_LOG.run(connection, _log(user.id, question_id, "same"))


def test_statements_expanded_per_execution_are_refused(session: Session) -> None:
    make_user(session)
    in_list = Prepared(select(User.id).where(User.id.in_(bindparam("ids", expanding=True))))
    with pytest.raises(ValueError, match="expanded per execution"):
        in_list.first(session.connection(), {"ids": [1, 2]})


def test_python_side_defaults_are_refused(session: Session) -> None:
    user = make_user(session)
    question_id = _question(session)
    without_phase = Prepared(
        insert(ReviewLog.__table__).values(
            {name: bindparam(name) for name in LOG_COLUMNS if name != "duration_ms"}
        )
    )
    log = _log(user.id, question_id, "t")
    del log["duration_ms"]
    with pytest.raises(ValueError, match="Python-side defaults"):
        without_phase.run(session.connection(), log)


def test_outside_a_transaction_is_refused(session: Session) -> None:
    refused = pytest.raises(RuntimeError, match="inside the connection's transaction")
    with session.get_bind().connect() as connection, refused:
        Prepared(select(User.id)).first(connection, {})

"""`quizapp demo`: populated dashboards from the real scheduler; never in production."""

from __future__ import annotations

import zlib
from collections import defaultdict
from datetime import UTC, datetime

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select

from quizapp import database
from quizapp.core.scheduler import CardSnapshot, Rating, review_card
from quizapp.data.models import CardState, Cohort, ReviewLog, Role, User
from quizapp.services import dashboard, demo, study
from tests.mentor_factories import make_question

NOW = datetime(2026, 5, 1, 9, 30, tzinfo=UTC)


@pytest.fixture
def questions(app: Flask) -> None:
    app.config["CLOCK"] = lambda: NOW
    with app.app_context():
        session = database.get_session()
        for i in range(40):
            category = ("processes", "memory", "networking", "storage")[i % 4]
            kind = "oom_victim" if i % 10 == 0 else "term_definition"
            level = ("beginner", "intermediate", "advanced")[i % 3]
            make_question(session, f"q{i:02d}", category=category, kind=kind, level=level)
        session.commit()


def test_demo_loads_a_cohort_with_history_and_prints_logins(
    app: Flask, runner: FlaskCliRunner, questions: None
) -> None:
    result = runner.invoke(args=["demo", "--days", "60", "--candidates", "6"])
    assert result.exit_code == 0, result.output
    assert demo.MENTOR_EMAIL in result.output
    assert "ada@demo.quizapp.test" in result.output
    assert "password" in result.output
    with app.app_context():
        session = database.get_session()
        mentor = session.scalar(select(User).where(User.email == demo.MENTOR_EMAIL))
        assert mentor is not None and mentor.role == Role.MENTOR
        cohort = session.scalar(select(Cohort).where(Cohort.mentor_id == mentor.id))
        assert cohort is not None
        board = dashboard.cohort_dashboard(session, cohort, now=NOW)
        assert len(board.rows) == 6
        assert sum(r.reviews_30d for r in board.rows) > 200
        assert all(r.studied > 0 for r in board.rows)
        assert any(r.inactive for r in board.rows)  # Eve stopped 16 days ago
        assert any(r.streak >= 3 for r in board.rows)
        assert any(r.retention is not None and 0.5 < r.retention < 1 for r in board.rows)
        assert any(r.readiness is not None for r in board.rows)
        assert any(r.sim for r in board.rows) and any(r.mock_scores for r in board.rows)


def test_demo_history_replays_through_the_scheduler(
    app: Flask, runner: FlaskCliRunner, questions: None
) -> None:
    """Each card's final state is what the real scheduler gives for its logged answers."""
    assert runner.invoke(args=["demo", "--days", "30", "--candidates", "2"]).exit_code == 0
    with app.app_context():
        session = database.get_session()
        logs = session.scalars(select(ReviewLog).order_by(ReviewLog.reviewed_at, ReviewLog.id))
        by_card: dict[tuple[int, str], list[ReviewLog]] = defaultdict(list)
        for log in logs:
            by_card[(log.user_id, log.question_id)].append(log)
        assert by_card
        users = {u.id: u for u in session.scalars(select(User))}
        checked = 0
        for (user_id, question_id), card_logs in by_card.items():
            state = session.scalar(
                select(CardState).where(
                    CardState.user_id == user_id, CardState.question_id == question_id
                )
            )
            assert state is not None
            settings = study.scheduler_settings(users[user_id])
            snapshot = CardSnapshot.from_dict(card_logs[0].state_before)
            for log in card_logs:
                assert CardSnapshot.from_dict(log.state_before) == snapshot
                seed = zlib.crc32(f"{question_id}:{snapshot.reps}".encode())
                outcome = review_card(
                    snapshot, Rating(log.rating), log.reviewed_at, settings, fuzz_seed=seed
                )
                snapshot = outcome.card
                assert snapshot.to_dict() == log.state_after
            assert snapshot.stability == pytest.approx(state.stability)
            assert snapshot.due == state.due and snapshot.reps == state.reps
            checked += 1
        assert checked > 20


def test_demo_runs_again_replacing_its_accounts(
    app: Flask, runner: FlaskCliRunner, questions: None
) -> None:
    assert runner.invoke(args=["demo", "--days", "14", "--candidates", "2"]).exit_code == 0
    assert runner.invoke(args=["demo", "--days", "14", "--candidates", "3"]).exit_code == 0
    with app.app_context():
        session = database.get_session()
        count = session.scalar(
            select(func.count(User.id)).where(User.email.like("%demo.quizapp.test"))
        )
        assert count == 4
        assert session.scalar(select(func.count(Cohort.id))) == 1


def test_demo_without_questions_says_to_build_content(app: Flask, runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["demo"])
    assert result.exit_code != 0
    assert "quizapp build" in result.output
    with app.app_context():
        assert database.get_session().scalar(select(func.count(User.id))) == 0


def test_demo_refuses_in_production(app: Flask, runner: FlaskCliRunner, questions: None) -> None:
    app.config["ENV"] = "production"
    result = runner.invoke(args=["demo"])
    assert result.exit_code != 0
    assert "QUIZAPP_ENV=production" in result.output
    with app.app_context():
        assert database.get_session().scalar(select(func.count(User.id))) == 0

"""The migrations build exactly the models' schema, and can go down and up again."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect, text
from sqlalchemy.engine import make_url

from quizapp import migrate
from quizapp.data.base import Base
from quizapp.data.engine import make_engine

POSTGRES_URL = os.environ.get("QUIZAPP_TEST_DATABASE_URL")


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'migrations.sqlite3'}")
        yield engine
        engine.dispose()
        return
    if not POSTGRES_URL:
        pytest.skip("PostgreSQL leg: set QUIZAPP_TEST_DATABASE_URL (.ci/run does)")
    admin = make_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    scratch = f"quizapp_migrations_{uuid.uuid4().hex[:8]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{scratch}"'))
    engine = make_engine(make_url(POSTGRES_URL).set(database=scratch).render_as_string(False))
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)'))
        admin.dispose()


def _tables(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names()) - {"alembic_version"}


def test_migrated_schema_equals_the_models(empty_engine: Engine) -> None:
    migrate.upgrade(empty_engine)
    assert migrate.schema_differences(empty_engine) == []
    assert _tables(empty_engine) == set(Base.metadata.tables)


def test_upgrade_downgrade_upgrade(empty_engine: Engine) -> None:
    migrate.upgrade(empty_engine)
    head = migrate.current(empty_engine)
    migrate.downgrade(empty_engine, "base")
    assert _tables(empty_engine) == set()
    assert migrate.current(empty_engine) is None
    migrate.upgrade(empty_engine)
    assert migrate.current(empty_engine) == head
    assert migrate.schema_differences(empty_engine) == []


def test_sqlite_batch_migrations_keep_child_rows(tmp_path: Path) -> None:
    """Stepping down and up one revision at a time must never cascade-delete data."""
    engine = make_engine(f"sqlite:///{tmp_path / 'keep.sqlite3'}")
    migrate.upgrade(engine)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO users (email, display_name, password_hash, role, session_token,"
                " timezone, day_rollover_hour, created_at, new_per_day, reviews_per_day,"
                " desired_retention, learning_steps, relearning_steps, maximum_interval,"
                " leech_threshold, study_selection) VALUES ('a@b.c', 'A', 'x', 'candidate',"
                " 't', 'UTC', 4, '2026-01-01 00:00:00', 20, 200, 0.9, '[60, 600]', '[600]',"
                " 36500, 8, '{}')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO cohorts (mentor_id, name, inactive_days, created_at)"
                " VALUES (1, 'c', 7, '2026-01-01 00:00:00')"
            )
        )
    migrate.upgrade(engine)  # idempotent at head
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM cohorts")).scalar() == 1
        assert connection.execute(text("PRAGMA foreign_key_check")).fetchall() == []
    engine.dispose()


def test_migration_files_are_named_in_order() -> None:
    versions = sorted(p.name for p in (migrate.MIGRATIONS_DIR / "versions").glob("*.py"))
    assert versions and all(name[:4].isdigit() for name in versions)


def test_0006_backfills_study_days_in_each_users_zone(empty_engine: Engine) -> None:
    """Answers logged before 0006 get the study day of their user's zone and rollover
    hour, and per-day counts (undone answers excluded) with streaks."""
    migrate.upgrade(empty_engine, "0005")
    stamp = "2026-03-01 00:00:00"
    with empty_engine.begin() as db:
        db.execute(
            text(
                "INSERT INTO banks (id, slug, title, description, retired)"
                " VALUES (1, 'b', 'B', '', false)"
            )
        )
        for qid, kind, level in (("q1", "term_definition", "beginner"), ("q2", "oom_victim", "advanced")):  # fmt: skip
            db.execute(
                text(
                    "INSERT INTO questions (id, bank_id, kind, prompt, answer, explanation,"
                    " data, category, level, tags, content_hash, retired, created_at,"
                    " updated_at) VALUES (:id, 1, :kind, 'P', 'A', '', '{}', 'memory', :level,"
                    " '[]', 'h', false, :t, :t)"
                ),
                {"id": qid, "kind": kind, "level": level, "t": stamp},
            )
        db.execute(
            text(
                "INSERT INTO users (id, email, display_name, password_hash, role, session_token,"
                " timezone, day_rollover_hour, created_at, new_per_day, reviews_per_day,"
                " desired_retention, learning_steps, relearning_steps, maximum_interval,"
                " leech_threshold, study_selection) VALUES (1, 'a@x.test', 'A', 'x',"
                " 'candidate', 't', 'Asia/Tokyo', 4, :t, 20, 200, 0.9, '[]', '[]', 365, 8,"
                " '{}')"
            ),
            {"t": stamp},
        )
        card = {"user_id": 1, "t": stamp}
        db.execute(
            text(
                "INSERT INTO card_states (user_id, question_id, state, due, reps, lapses,"
                " suspended, leech, created_at, selected) VALUES (:user_id, 'q2', 'review', :t,"
                " 1, 0, false, false, :t, true)"
            ),
            card,
        )
        # Tokyo is UTC+9, day starts at 04:00 local = 19:00 UTC the day before.
        logs = [
            ("q1", 3, "review", "2026-03-01 18:59:00", False),  # study day 1 March
            ("q2", 1, "review", "2026-03-01 19:01:00", False),  # study day 2 March
            ("q2", 4, "review", "2026-03-02 10:00:00", False),  # 2 March
            ("q1", 3, "new", "2026-03-02 11:00:00", True),  # 2 March, undone
        ]
        for qid, rating, phase, at, undone in logs:
            db.execute(
                text(
                    "INSERT INTO review_logs (user_id, question_id, rating, phase, reviewed_at,"
                    " duration_ms, state_before, state_after, undone) VALUES (1, :q, :r, :p,"
                    " :at, 0, '{}', '{}', :undone)"
                ),
                {"q": qid, "r": rating, "p": phase, "at": at, "undone": undone},
            )
    migrate.upgrade(empty_engine)
    with empty_engine.connect() as db:
        days = [
            str(d) for (d,) in db.execute(text("SELECT study_day FROM review_logs ORDER BY id"))
        ]
        rows = db.execute(
            text(
                "SELECT day, answers, new_answers, review_answers, review_passed, oom_hard,"
                " oom_hard_passed, streak FROM study_days ORDER BY day"
            )
        ).all()
        category = db.execute(text("SELECT category FROM card_states")).scalar_one()
    assert days == ["2026-03-01", "2026-03-02", "2026-03-02", "2026-03-02"]
    assert [(str(r[0]), *r[1:]) for r in rows] == [
        ("2026-03-01", 1, 0, 1, 1, 0, 0, 1),
        ("2026-03-02", 2, 0, 2, 1, 2, 1, 2),
    ]
    assert category == "memory"

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

"""Alembic environment: the engine comes from the app (quizapp.migrate)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

import quizapp.data.models  # noqa: F401  (registers the tables)
from quizapp.data.base import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    engine: Engine = config.attributes["engine"]
    with engine.connect() as connection:
        is_sqlite = connection.dialect.name == "sqlite"
        if is_sqlite:
            # Batch mode copies and drops tables; with foreign keys on, SQLite's
            # DROP TABLE would fire ON DELETE CASCADE and empty child tables
            # (research/ecosystem.md §4.5). The commit ends the autobegun
            # transaction so Alembic's own transaction really commits.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=is_sqlite,
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        if is_sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; run against a database")
run_migrations_online()

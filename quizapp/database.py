"""The app's database: one engine per app, one session per request or command.

The request (or CLI command) is the unit of work: it commits. Services below
it take the session as an argument and never commit.
"""

from __future__ import annotations

from flask import Flask, current_app, g
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from quizapp.data.engine import make_engine


def init_app(app: Flask) -> None:
    engine = make_engine(app.config["DATABASE_URL"])
    app.extensions["quizapp.engine"] = engine
    app.extensions["quizapp.sessionmaker"] = sessionmaker(engine, expire_on_commit=False)
    app.teardown_appcontext(_close_session)


def get_engine() -> Engine:
    engine: Engine = current_app.extensions["quizapp.engine"]
    return engine


def get_session() -> Session:
    """The session of the current request or command, created on first use."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["quizapp.sessionmaker"]()
    session: Session = g.db_session
    return session


def _close_session(exc: BaseException | None) -> None:
    session: Session | None = g.pop("db_session", None)
    if session is not None:
        if exc is not None:
            session.rollback()
        session.close()


def ping() -> None:
    """Raise if the database cannot answer a trivial query."""
    with get_engine().connect() as connection:
        connection.execute(text("SELECT 1"))

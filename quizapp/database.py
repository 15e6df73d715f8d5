"""The app's database: one engine per app, one connection and transaction per request.

The request (or CLI command) is the unit of work: it commits. Services below
it take the session (or, on the review loop, the connection) as an argument and
never commit.

Every request reads its user on the request's connection (`get_connection`), and
the review loop runs its Core statements there too, with no ORM session: a
session's own bookkeeping costs more per request than those statements. A view
that wants the ORM calls `get_session()`: the session then takes over the same
connection and transaction (`join_transaction_mode="control_fully"`), so its
`commit()` commits whatever ran on the connection before it.
"""

from __future__ import annotations

from flask import Flask, current_app, g
from sqlalchemy import Connection, Engine, text
from sqlalchemy.orm import Session, sessionmaker

from quizapp.data.engine import make_engine


def init_app(app: Flask) -> None:
    engine = make_engine(app.config["DATABASE_URL"])
    app.extensions["quizapp.engine"] = engine
    app.extensions["quizapp.sessionmaker"] = sessionmaker(engine, expire_on_commit=False)
    app.teardown_appcontext(_close)


def get_engine() -> Engine:
    engine: Engine = current_app.extensions["quizapp.engine"]
    return engine


def get_connection() -> Connection:
    """The connection of the current request or command, inside its transaction."""
    session: Session | None = g.get("db_session")
    if session is not None:
        return session.connection()
    connection: Connection | None = g.get("db_connection")
    if connection is None:
        connection = g.db_connection = get_engine().connect()
    if not connection.in_transaction():
        connection.begin()
    return connection


def get_session() -> Session:
    """The session of the current request or command, created on first use."""
    session: Session | None = g.get("db_session")
    if session is None:
        maker = current_app.extensions["quizapp.sessionmaker"]
        connection: Connection | None = g.get("db_connection")
        if connection is None:
            session = maker()
        else:  # the session's transaction is the connection's, begun or not
            session = maker(bind=connection, join_transaction_mode="control_fully")
        g.db_session = session
    return session


def _close(exc: BaseException | None) -> None:
    session: Session | None = g.pop("db_session", None)
    connection: Connection | None = g.pop("db_connection", None)
    if session is not None:
        if exc is not None:
            session.rollback()
        session.close()
    if connection is not None:
        connection.close()  # what was not committed is rolled back


def ping() -> None:
    """Raise if the database cannot answer a trivial query."""
    with get_engine().connect() as connection:
        connection.execute(text("SELECT 1"))

"""The request's unit of work: one connection and transaction, shared with a session."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select, update

from quizapp import database
from quizapp.data.models import User
from tests.factories import make_user


def _names(app: Flask) -> list[str]:
    with app.app_context():
        return list(database.get_session().scalars(select(User.display_name).order_by(User.id)))


def _add_user(app: Flask) -> None:
    with app.app_context():
        make_user(database.get_session())
        database.get_session().commit()


def test_a_session_takes_over_the_connections_transaction(app: Flask) -> None:
    _add_user(app)
    with app.app_context():
        connection = database.get_connection()
        connection.execute(update(User).values(display_name="on the connection"))
        session = database.get_session()
        assert session.connection() is connection  # one connection, one transaction
        # The session sees what ran on the connection before it, uncommitted.
        assert session.scalar(select(User.display_name)) == "on the connection"
        session.scalar(select(User).limit(1)).timezone = "Europe/Paris"
        session.commit()  # commits both
        assert database.get_connection() is connection
    assert _names(app) == ["on the connection"]
    with app.app_context():
        assert database.get_session().scalar(select(User.timezone)) == "Europe/Paris"


def test_what_a_request_does_not_commit_is_rolled_back(app: Flask) -> None:
    _add_user(app)
    with app.app_context():
        database.get_connection().execute(update(User).values(display_name="connection only"))
    with app.app_context():
        database.get_connection().execute(update(User).values(display_name="and a session"))
        database.get_session().execute(update(User).values(email="changed@example.com"))
    assert _names(app) == ["Casey Candidate"]
    with app.app_context():
        changed = select(func.count()).where(User.email == "changed@example.com")
        assert database.get_session().scalar(changed) == 0


def test_the_connection_commits_on_its_own_and_goes_on(app: Flask) -> None:
    _add_user(app)
    with app.app_context():
        connection = database.get_connection()
        connection.execute(update(User).values(display_name="first"))
        connection.commit()
        # A new transaction begins for what follows, as the review loop's statements need.
        assert database.get_connection().in_transaction()
        connection.execute(update(User).values(display_name="second, not committed"))
    assert _names(app) == ["first"]

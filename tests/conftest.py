"""Shared fixtures, flaskr style: `app`, `client`, `runner`, `session`.

The database is SQLite in a temporary file per test, or PostgreSQL when
QUIZAPP_TEST_DATABASE_URL names one (the schema is created once per run and
emptied after each test).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import text
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

import quizapp.data.models  # noqa: F401  (registers the tables)
from quizapp import create_app, database
from quizapp.data.base import Base
from quizapp.data.engine import make_engine

POSTGRES_URL = os.environ.get("QUIZAPP_TEST_DATABASE_URL")
FIXTURES = Path(__file__).parent / "fixtures"


def pytest_report_header() -> str:
    return f"quizapp test database: {'PostgreSQL ' + POSTGRES_URL if POSTGRES_URL else 'SQLite'}"


@pytest.fixture(scope="session")
def _postgres_schema() -> Iterator[str | None]:
    if not POSTGRES_URL:
        yield None
        return
    engine = make_engine(POSTGRES_URL)
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    engine.dispose()
    yield POSTGRES_URL


def _empty_postgres(url: str) -> None:
    engine = make_engine(url)
    tables = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE TABLE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


def make_test_app(tmp_path: Path, postgres_url: str | None, **overrides: object) -> Flask:
    url = postgres_url or f"sqlite:///{tmp_path / 'test.sqlite3'}"
    config = {
        "TESTING": True,
        "DATABASE_URL": url,
        "SECRET_KEY": "test-secret-key",
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1",
        "CONTENT_DIR": str(FIXTURES / "content" / "minimal"),
    }
    config.update(overrides)
    app = create_app(config)
    if postgres_url is None:
        with app.app_context():
            Base.metadata.create_all(database.get_engine())
    return app


@pytest.fixture
def app(tmp_path: Path, _postgres_schema: str | None) -> Iterator[Flask]:
    app = make_test_app(tmp_path, _postgres_schema)
    yield app
    app.extensions["quizapp.engine"].dispose()
    if _postgres_schema:
        _empty_postgres(_postgres_schema)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def session(app: Flask) -> Iterator[Session]:
    """A database session inside an app context; the test decides when to commit."""
    with app.app_context():
        yield database.get_session()


class AuthActions:
    """Register, log in and log out through the real forms (flaskr's `auth` helper)."""

    def __init__(self, client: FlaskClient) -> None:
        self._client = client

    def register(
        self,
        email: str = "candidate@example.com",
        password: str | None = None,
        display_name: str = "Casey Candidate",
        timezone: str = "UTC",
    ) -> TestResponse:
        from tests.factories import DEFAULT_PASSWORD

        password = DEFAULT_PASSWORD if password is None else password
        return self._client.post(
            "/register",
            data={
                "email": email,
                "display_name": display_name,
                "password": password,
                "confirm": password,
                "timezone": timezone,
            },
        )

    def login(
        self,
        email: str = "candidate@example.com",
        password: str | None = None,
        remember: bool = False,
    ) -> TestResponse:
        from tests.factories import DEFAULT_PASSWORD

        data = {"email": email, "password": DEFAULT_PASSWORD if password is None else password}
        if remember:
            data["remember"] = "y"
        return self._client.post("/login", data=data)

    def logout(self) -> TestResponse:
        return self._client.post("/logout")


@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    return AuthActions(client)

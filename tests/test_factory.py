from pathlib import Path

import pytest
from flask import Flask

from quizapp import create_app
from quizapp.core.errors import ConfigError
from quizapp.data.engine import normalise_url


def test_test_config_overrides_defaults(app: Flask) -> None:
    assert app.testing
    assert app.config["SECRET_KEY"] == "test-secret-key"


def test_default_database_is_sqlite_in_instance_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app({"SECRET_KEY": "x"})
    assert app.config["DATABASE_URL"] == f"sqlite:///{Path(app.instance_path) / 'quizapp.sqlite3'}"


def test_environment_selects_database_and_prefixed_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p%40ss@db.example:5432/app?sslmode=require")
    monkeypatch.setenv("QUIZAPP_RATELIMIT_STORAGE_URI", "memory://")
    monkeypatch.setenv("QUIZAPP_CONTENT_DIR", "/srv/content")
    app = create_app({"SECRET_KEY": "x"})
    assert app.config["DATABASE_URL"].startswith("postgres://")
    assert app.config["CONTENT_DIR"] == "/srv/content"
    engine = app.extensions["quizapp.engine"]
    assert engine.url.drivername == "postgresql+psycopg"
    assert engine.url.password == "p@ss"
    assert engine.url.query["sslmode"] == "require"


@pytest.mark.parametrize(
    ("raw", "driver"),
    [
        ("postgres://h/db", "postgresql+psycopg"),
        ("postgresql://h/db", "postgresql+psycopg"),
        ("postgresql+psycopg://h/db", "postgresql+psycopg"),
        ("sqlite:///x.db", "sqlite"),
    ],
)
def test_database_urls_are_normalised(raw: str, driver: str) -> None:
    assert normalise_url(raw).drivername == driver


@pytest.mark.parametrize("raw", ["not a url", "mysql://h/db"])
def test_bad_database_urls_are_a_clear_config_error(raw: str) -> None:
    with pytest.raises(ConfigError):
        normalise_url(raw)


def test_production_without_secret_key_refuses_to_start(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("QUIZAPP_ENV", "production")
    with pytest.raises(ConfigError, match="SECRET_KEY is not set"):
        create_app()


def test_production_sets_secure_cookies(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUIZAPP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "s" * 64)
    app = create_app()
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True


def test_development_secret_is_generated_once_and_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from quizapp.config import _development_secret

    first = _development_secret(tmp_path)
    assert len(first) == 64
    assert _development_secret(tmp_path) == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0

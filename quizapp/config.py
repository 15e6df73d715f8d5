"""Configuration: defaults, then the environment, then a test mapping.

Environment variables: `DATABASE_URL`, `SECRET_KEY`, and any `QUIZAPP_<KEY>`
(prefix stripped, value parsed as JSON when it parses, e.g.
`QUIZAPP_ENV=production`, `QUIZAPP_RATELIMIT_STORAGE_URI=redis://...`).
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask

from quizapp.core.errors import ConfigError

REPO_ROOT = Path(__file__).resolve().parent.parent


def defaults(app: Flask) -> dict[str, Any]:
    return {
        "ENV": "development",
        "DATABASE_URL": f"sqlite:///{Path(app.instance_path) / 'quizapp.sqlite3'}",
        "CONTENT_DIR": str(REPO_ROOT / "content"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": False,
        "PERMANENT_SESSION_LIFETIME": timedelta(days=14),
        # Sessions are permanent (14 days from login; remember-me outlasts them): no need
        # to re-sign and re-send the cookie on every response, only when it changes.
        "SESSION_REFRESH_EACH_REQUEST": False,
        "REMEMBER_COOKIE_DURATION": timedelta(days=30),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": False,
        # A review session can outlast an hour: tie CSRF tokens to the session.
        "WTF_CSRF_TIME_LIMIT": None,
        "RATELIMIT_STORAGE_URI": "memory://",
        "RATELIMIT_HEADERS_ENABLED": True,
        "PASSWORD_HASH_METHOD": "scrypt",
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
    }


def load(app: Flask, test_config: dict[str, Any] | None) -> None:
    app.config.from_mapping(defaults(app))
    for key in ("DATABASE_URL", "SECRET_KEY"):
        if os.environ.get(key):
            app.config[key] = os.environ[key]
    app.config.from_prefixed_env("QUIZAPP")
    if test_config is not None:
        app.config.from_mapping(test_config)

    if app.config["ENV"] == "production":
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["REMEMBER_COOKIE_SECURE"] = True
        if not app.config.get("SECRET_KEY"):
            raise ConfigError(
                "SECRET_KEY is not set. In production (QUIZAPP_ENV=production) the app "
                "refuses to start without one: set the SECRET_KEY environment variable "
                "to a long random value, e.g. the output of "
                "`python -c 'import secrets; print(secrets.token_hex(32))'`."
            )
    elif not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _development_secret(Path(app.instance_path))


def _development_secret(instance: Path) -> str:
    """Generate a secret once and keep it in the instance folder (never in the repo)."""
    path = instance / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    path.write_text(key + "\n")
    path.chmod(0o600)
    return key

"""quizapp: interview-prep quizzes and flashcards for Linux, infrastructure and SRE.

Importing the package loads nothing heavy, so `quizapp.core` stays free of
Flask and SQLAlchemy; `create_app` pulls in the web stack.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: configuration, then one line per integration, then blueprints."""
    from flask import Flask

    from quizapp import config, database, extensions, security, web
    from quizapp.cli import register_commands

    app = Flask(__name__, instance_relative_config=True)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    config.load(app, test_config)
    database.init_app(app)
    extensions.init_app(app)
    security.init_app(app)
    web.register_blueprints(app)
    register_commands(app.cli)
    return app

"""`quizapp up` (try it locally) and `quizapp release` (the Procfile's release phase)."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from quizapp import database, migrate

GUNICORN_CONFIG = Path(__file__).resolve().parent.parent / "gunicorn_conf.py"


def _migrate_and_build(strict: bool) -> None:
    migrate.upgrade(database.get_engine())
    click.echo(f"database migrated to {migrate.current(database.get_engine())}")
    from quizapp.cli.content import build_from_cli

    build_from_cli(Path(current_app.config["CONTENT_DIR"]), strict=strict)


@click.command(help="Migrate the database and compile content/ (the Procfile's release phase).")
@click.option("--strict", is_flag=True, help="Treat content warnings as errors.")
@with_appcontext
def release(strict: bool) -> None:
    _migrate_and_build(strict)


@click.command(help="Set up the SQLite database, compile content/ and serve on 127.0.0.1.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int)
@with_appcontext
def up(host: str, port: int, workers: int) -> None:
    _migrate_and_build(strict=False)
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or shutil.which(
        "gunicorn"
    )
    if gunicorn is None:
        raise click.ClickException("gunicorn is not installed: pip install -e .")
    click.echo(f"serving on http://{host}:{port}/  (Ctrl-C stops)")
    args = [
        gunicorn,
        "--config",
        str(GUNICORN_CONFIG),
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "quizapp:create_app()",
    ]
    os.execv(gunicorn, args)

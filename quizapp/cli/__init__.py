"""The `quizapp` command: Flask's CLI (run, routes, shell) plus the project's commands.

Each module below registers one group or a few commands; they stay thin
wrappers over plain functions in `quizapp.services`.
"""

from __future__ import annotations

import click
from flask.cli import FlaskGroup

from quizapp import create_app


@click.group(cls=FlaskGroup, create_app=create_app, help=__doc__)
def cli() -> None:
    pass


def _register() -> None:
    from quizapp.cli import db, up

    cli.add_command(db.db)
    cli.add_command(up.up)
    cli.add_command(up.release)
    # Feature commands: one line each.


_register()


def main() -> None:
    cli.main(prog_name="quizapp")

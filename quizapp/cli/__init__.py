"""The `quizapp` command: Flask's CLI (run, routes, shell) plus the project's commands.

The project's commands hang off `app.cli` (so `flask --app quizapp ...` and the
test runner see them too); each module below holds one group or a few commands,
thin wrappers over plain functions in `quizapp.services`.
"""

from __future__ import annotations

import click
from flask.cli import FlaskGroup

from quizapp import create_app


def register_commands(group: click.Group) -> None:
    from quizapp.cli import content, db, demo, export, sim, up, users

    group.add_command(db.db)
    group.add_command(up.up)
    group.add_command(up.release)
    content.register(group)  # check, build, export-json
    group.add_command(users.users)
    group.add_command(sim.sim)
    group.add_command(demo.demo_command, "demo")
    group.add_command(export.export)


@click.group(cls=FlaskGroup, create_app=create_app, help=__doc__)
def cli() -> None:
    pass


def main() -> None:
    cli.main(prog_name="quizapp")

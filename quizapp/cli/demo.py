"""`quizapp demo`: a demo mentor, cohort and candidates with months of study history."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from quizapp import database
from quizapp.clock import now
from quizapp.core.errors import ConfigError, UserInputError
from quizapp.services import cohorts, demo


@click.command(help="Load demo accounts with simulated study history (never in production).")
@click.option("--days", default=120, show_default=True, help="Days of history to simulate.")
@click.option("--candidates", default=8, show_default=True, help="How many candidates (1-10).")
@click.option("--seed", default=7, show_default=True, help="Random seed (same seed, same data).")
@with_appcontext
def demo_command(days: int, candidates: int, seed: int) -> None:
    session = database.get_session()
    try:
        result = demo.load_demo(
            session,
            now=now(),
            environment=current_app.config["ENV"],
            days=days,
            candidates=candidates,
            seed=seed,
            hash_method=current_app.config["PASSWORD_HASH_METHOD"],
        )
    except (ConfigError, UserInputError) as error:
        raise click.ClickException(str(error)) from None
    session.commit()
    click.echo(
        f"Loaded a cohort of {len(result.candidates)} candidates: {result.reviews} reviews "
        f"over {days} days on {result.questions} questions (real FSRS scheduler)."
    )
    click.echo("Log in with any of these (same password for all):")
    click.echo(f"  mentor     {result.mentor_email}")
    for name, email in result.candidates:
        click.echo(f"  candidate  {email}  ({name})")
    click.echo(f"  password   {result.password}")
    click.echo(
        f"Dashboard: /mentor/cohorts/{result.cohort_id}   "
        f"open invitation code: {cohorts.format_code(result.invitation_code)}"
    )
    click.echo("Running `quizapp demo` again replaces these demo accounts.")

"""`quizapp users ...`: accounts for operators (create, set a role, reset a password)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from quizapp import database
from quizapp.clock import now
from quizapp.core.errors import UserInputError
from quizapp.data.models import Role
from quizapp.services import accounts

ROLES = click.Choice([role.value for role in Role])


def _hash_method() -> str:
    method: str = current_app.config["PASSWORD_HASH_METHOD"]
    return method


@click.group(help="Manage user accounts.")
def users() -> None:
    pass


@users.command(help="Create an account. Asks for the password unless --password is given.")
@click.argument("email")
@click.option("--name", "display_name", help="Display name (default: the part before @).")
@click.option("--role", type=ROLES, default=Role.CANDIDATE.value, show_default=True)
@click.option("--timezone", default="UTC", show_default=True, help="IANA time zone.")
@click.password_option(help="The password (asked twice, hidden, when not given).")
@with_appcontext
def create(email: str, display_name: str | None, role: str, timezone: str, password: str) -> None:
    session = database.get_session()
    try:
        user = accounts.create_user(
            session,
            email=email,
            display_name=display_name or email.split("@")[0],
            password=password,
            role=Role(role),
            timezone=timezone,
            now=now(),
            hash_method=_hash_method(),
        )
    except UserInputError as error:
        raise click.ClickException(str(error)) from None
    session.commit()
    click.echo(f"created {user.email} ({user.role})")


@users.command("set-role", help="Give an account a role: candidate, mentor or admin.")
@click.argument("email")
@click.argument("role", type=ROLES)
@with_appcontext
def set_role(email: str, role: str) -> None:
    session = database.get_session()
    try:
        user = accounts.set_role(session, email, role)
    except UserInputError as error:
        raise click.ClickException(str(error)) from None
    session.commit()
    click.echo(f"{user.email} is now {user.role}")


@users.command(
    "reset-password",
    help="Set a new password and log the account out everywhere.",
)
@click.argument("email")
@click.password_option("--password", help="The new password (asked twice when not given).")
@with_appcontext
def reset_password(email: str, password: str) -> None:
    session = database.get_session()
    try:
        user = accounts.require_by_email(session, email)
        accounts.set_password(user, password, hash_method=_hash_method())
    except UserInputError as error:
        raise click.ClickException(str(error)) from None
    session.commit()
    click.echo(f"password of {user.email} reset; its sessions are logged out")

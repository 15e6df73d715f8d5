from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select
from werkzeug.security import check_password_hash

from quizapp import database
from quizapp.data.models import Role, User
from tests.factories import make_user


def _user(app: Flask, email: str) -> User | None:
    with app.app_context():
        return database.get_session().scalar(select(User).where(User.email == email))


def test_users_create_with_a_prompted_password(app: Flask, runner: FlaskCliRunner) -> None:
    result = runner.invoke(
        args=["users", "create", "Ops@Example.com", "--role", "admin", "--name", "Ops"],
        input="a long passphrase\na long passphrase\n",
    )
    assert result.exit_code == 0, result.output
    assert "created ops@example.com (admin)" in result.output
    user = _user(app, "ops@example.com")
    assert user is not None and user.role == Role.ADMIN and user.display_name == "Ops"
    assert check_password_hash(user.password_hash, "a long passphrase")


def test_users_create_defaults_the_name_and_role(app: Flask, runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["users", "create", "sam@example.com", "--password", "passphrase!"])
    assert result.exit_code == 0, result.output
    user = _user(app, "sam@example.com")
    assert user is not None and user.display_name == "sam" and user.role == Role.CANDIDATE


def test_users_create_reports_bad_input_cleanly(app: Flask, runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["users", "create", "sam@example.com", "--password", "short"])
    assert result.exit_code == 1
    assert "at least 8" in result.output and "Traceback" not in result.output
    runner.invoke(args=["users", "create", "sam@example.com", "--password", "passphrase!"])
    result = runner.invoke(args=["users", "create", "SAM@example.com", "--password", "passphrase!"])
    assert result.exit_code == 1 and "already exists" in result.output
    result = runner.invoke(
        args=["users", "create", "x@example.com", "--role", "root", "--password", "passphrase!"]
    )
    assert result.exit_code == 2


def test_users_set_role(app: Flask, runner: FlaskCliRunner) -> None:
    with app.app_context():
        make_user(database.get_session())
        database.get_session().commit()
    result = runner.invoke(args=["users", "set-role", "candidate@example.com", "mentor"])
    assert result.exit_code == 0, result.output
    user = _user(app, "candidate@example.com")
    assert user is not None and user.role == Role.MENTOR
    result = runner.invoke(args=["users", "set-role", "ghost@example.com", "mentor"])
    assert result.exit_code == 1 and "No account" in result.output


def test_users_reset_password_logs_out_everywhere(app: Flask, runner: FlaskCliRunner) -> None:
    with app.app_context():
        token = make_user(database.get_session()).session_token
        database.get_session().commit()
    result = runner.invoke(
        args=["users", "reset-password", "candidate@example.com"],
        input="new passphrase\nnew passphrase\n",
    )
    assert result.exit_code == 0, result.output
    user = _user(app, "candidate@example.com")
    assert user is not None
    assert check_password_hash(user.password_hash, "new passphrase")
    assert user.session_token != token
    result = runner.invoke(
        args=["users", "reset-password", "ghost@example.com", "--password", "new passphrase"]
    )
    assert result.exit_code == 1 and "No account" in result.output

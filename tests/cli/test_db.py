import subprocess
import sys
from pathlib import Path

from sqlalchemy import inspect

from quizapp import create_app
from quizapp.data.engine import make_engine


def _runner_for(tmp_path: Path):  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    app = create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "x"})
    return app.test_cli_runner(), url


def test_db_upgrade_creates_the_schema_and_check_agrees(tmp_path: Path) -> None:
    runner, url = _runner_for(tmp_path)
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert "database at" in result.output
    engine = make_engine(url)
    assert "users" in inspect(engine).get_table_names()
    engine.dispose()
    result = runner.invoke(args=["db", "check"])
    assert result.exit_code == 0 and "agree" in result.output


def test_db_current_on_an_empty_database(tmp_path: Path) -> None:
    runner, _ = _runner_for(tmp_path)
    result = runner.invoke(args=["db", "current"])
    assert result.exit_code == 0
    assert "base" in result.output


def test_console_script_help_lists_the_commands() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "quizapp.cli", "--help"], capture_output=True, text=True, check=True
    )
    for command in ("run", "db", "up", "release", "routes", "shell"):
        assert f"  {command} " in result.stdout or f"  {command}\n" in result.stdout

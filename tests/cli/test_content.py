from __future__ import annotations

import json
import shutil
from pathlib import Path

from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select

from quizapp import database
from quizapp.data import models

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "content"


def question_count(app: Flask) -> int:
    with app.app_context():
        return int(database.get_session().scalar(select(func.count(models.Question.id))) or 0)


def test_check_passes_on_clean_content(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["check", "--content", str(FIXTURES / "minimal"), "--strict"])
    assert result.exit_code == 0, result.output
    assert "0 errors, 0 warnings" in result.output


def test_check_reports_every_problem_and_fails(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["check", "--content", str(FIXTURES / "broken")])
    assert result.exit_code == 1
    assert (
        "tests/fixtures/content/broken/kb/memory/links.md:19: error: "
        "interview question has no stable key"
    ) in result.output
    assert "hint: end the heading with {#why-is-free-memory-low}" in result.output
    assert "Traceback" not in result.output


def test_check_strict_fails_on_warnings(runner: FlaskCliRunner, tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "minimal", content)
    (content / "stray.md").write_text("x\n")
    assert runner.invoke(args=["check", "--content", str(content)]).exit_code == 0
    assert runner.invoke(args=["check", "--content", str(content), "--strict"]).exit_code == 1


def test_check_of_a_missing_folder_is_a_clean_error(runner: FlaskCliRunner, tmp_path: Path) -> None:
    result = runner.invoke(args=["check", "--content", str(tmp_path / "nope")])
    assert result.exit_code == 1
    assert "content directory not found" in result.output


def test_build_writes_and_a_second_build_is_a_noop(app: Flask, runner: FlaskCliRunner) -> None:
    first = runner.invoke(args=["build", "--content", str(FIXTURES / "minimal")])
    assert first.exit_code == 0, first.output
    assert "5 entries" in first.output and "new" in first.output
    written = question_count(app)
    assert written > 40
    second = runner.invoke(args=["build", "--content", str(FIXTURES / "minimal")])
    assert second.exit_code == 0
    assert "nothing to do" in second.output
    assert question_count(app) == written


def test_build_with_errors_writes_nothing(app: Flask, runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["build", "--content", str(FIXTURES / "broken")])
    assert result.exit_code == 1
    assert "nothing written" in result.output
    assert question_count(app) == 0


def test_build_defaults_to_the_app_content_dir(app: Flask, runner: FlaskCliRunner) -> None:
    assert runner.invoke(args=["build"]).exit_code == 0  # CONTENT_DIR is the minimal fixture
    assert question_count(app) > 0


def test_export_json_documents_banks(runner: FlaskCliRunner, tmp_path: Path) -> None:
    out = tmp_path / "banks.json"
    result = runner.invoke(
        args=["export-json", "--content", str(FIXTURES / "minimal"), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert data["format"] == "quizapp-banks" and data["version"] == 1
    banks = {bank["slug"]: bank for bank in data["banks"]}
    assert set(banks) == {"commands", "kb-memory", "kb-processes"}
    ids = {q["id"] for q in banks["kb-processes"]["questions"]}
    assert "oom-killer/interview/victim-choice" in ids
    assert {e["slug"] for e in data["entries"]} >= {"oom-killer", "cmd-ss"}


def test_build_json_option(runner: FlaskCliRunner, tmp_path: Path) -> None:
    out = tmp_path / "b.json"
    result = runner.invoke(
        args=["build", "--content", str(FIXTURES / "minimal"), "--json", str(out)]
    )
    assert result.exit_code == 0
    assert json.loads(out.read_text())["format"] == "quizapp-banks"

"""`quizapp export anki|csv`."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner

from quizapp import database
from tests.anki_data import insert, sample_questions


@pytest.fixture
def filled(app: Flask) -> Flask:
    with app.app_context():
        session = database.get_session()
        insert(session, sample_questions())
        session.commit()
    return app


def test_export_anki_writes_a_package_and_reports_counts(
    filled: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "deck.apkg"
    result = runner.invoke(
        args=["export", "anki", "--out", str(out), "--base-url", "https://quiz.example"]
    )
    assert result.exit_code == 0, result.output
    assert f"{out}: 11 questions → 10 notes, 12 cards in 3 deck(s)" in result.output
    assert "cloze: 1 notes, 2 cards" in result.output
    with zipfile.ZipFile(out) as archive:
        collection = archive.read("collection.anki2")
    assert b"https://quiz.example/kb/oom-killer" in collection


def test_export_anki_applies_the_selection(
    filled: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "deck.apkg"
    result = runner.invoke(
        args=["export", "anki", "--out", str(out), "--category", "memory", "--kind", "cloze"]
    )
    assert result.exit_code == 0, result.output
    assert "1 questions → 1 notes, 2 cards in 1 deck(s)" in result.output


def test_export_csv_writes_anki_text_import_headers(
    filled: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "deck.tsv"
    result = runner.invoke(args=["export", "csv", "--out", str(out), "--level", "beginner"])
    assert result.exit_code == 0, result.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "#separator:tab" and lines[1] == "#html:true"
    assert "#guid column:1" in lines and "#notetype column:2" in lines
    assert len(lines) == 7 + 2
    assert "http://localhost:5000/kb/zombies" in out.read_text(encoding="utf-8")


def test_bad_levels_and_kinds_are_a_usage_error(
    filled: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "deck.apkg"
    result = runner.invoke(
        args=["export", "anki", "--out", str(out), "--level", "expert", "--kind", "essay"]
    )
    assert result.exit_code == 2
    assert "unknown level(s): expert; unknown question kind(s): essay" in result.output
    assert not out.exists()


def test_an_empty_selection_warns(filled: Flask, runner: FlaskCliRunner, tmp_path: Path) -> None:
    result = runner.invoke(
        args=["export", "anki", "--out", str(tmp_path / "x.apkg"), "--bank", "nope"]
    )
    assert result.exit_code == 0
    assert "no questions match the selection" in result.output

"""Multiple-choice questions over the real corpus have exactly one right answer."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.core.compiler import compile_directory
from quizapp.core.compiler.generate import _command_head
from quizapp.core.questions import Question, QuestionKind

CONTENT = Path(__file__).resolve().parents[3] / "content"


@pytest.fixture(scope="module")
def choice_questions() -> list[Question]:
    result = compile_directory(CONTENT)
    return [q for q in result.questions if q.kind is QuestionKind.MULTIPLE_CHOICE]


def test_command_distractors_never_run_the_same_program_and_subcommand(
    choice_questions: list[Question],
) -> None:
    clashes = []
    for question in choice_questions:
        if not question.data.get("code"):
            continue
        choices = question.data["choices"]
        right = choices[question.data["correct"]]
        for index, choice in enumerate(choices):
            if index != question.data["correct"] and _command_head(choice) == _command_head(right):
                clashes.append((question.id, right, choice))
    assert clashes == []


def test_concept_distractors_never_contain_the_answer(choice_questions: list[Question]) -> None:
    clashes = []
    for question in choice_questions:
        if question.data.get("code"):
            continue
        choices = [c.casefold() for c in question.data["choices"]]
        right = choices[question.data["correct"]]
        clashes += [(question.id, c) for c in choices if c != right and (c in right or right in c)]
    assert clashes == []


@pytest.mark.parametrize(
    ("command", "head"),
    [
        ("ip neigh show dev eth0", ("ip", "neigh")),
        ("sudo ip -6 route", ("ip", "route")),
        ("ss -tlnp", ("ss",)),
        ("systemctl status {{unit}}", ("systemctl", "status")),
    ],
)
def test_command_head(command: str, head: tuple[str, ...]) -> None:
    assert _command_head(command) == head

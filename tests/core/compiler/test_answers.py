from __future__ import annotations

import pytest

from quizapp.core.compiler.answers import check_typed_answer
from quizapp.core.questions import Question, QuestionKind


def typed_card(*accepted: str) -> Question:
    return Question(
        id="x/purpose_command/k",
        bank="commands",
        kind=QuestionKind.PURPOSE_COMMAND,
        prompt="?",
        answer=f"`{accepted[0]}`",
        data={"accepted": list(accepted)},
    )


@pytest.mark.parametrize(
    ("template", "typed"),
    [
        ("ss -tlnp", "  ss   -tlnp "),
        ("dmesg -T | grep -i 'killed process'", 'dmesg -T | grep -i "killed process"'),
        ("kill -TERM {{pid}}", "kill -TERM 1234"),
        ("cat /proc/{{pid}}/oom_score", "cat /proc/42/oom_score"),
        ("ss {{[-s|--summary]}}", "ss -s"),
        ("ss {{[-s|--summary]}}", "ss --summary"),
        ("ss {{[-tlp|--tcp --listening --processes]}}", "ss --tcp --listening --processes"),
        ("tar cf {{target.tar}} {{file1 file2 ...}}", "tar cf out.tar a b c"),
        ("grep {{pattern}} {{file}}", "grep 'two words' notes.txt"),
    ],
)
def test_accepted_forms(template: str, typed: str) -> None:
    assert check_typed_answer(typed_card(template), typed).correct


@pytest.mark.parametrize(
    ("template", "typed"),
    [
        ("ss -tlnp", "ss -tln"),
        ("ss {{[-s|--summary]}}", "ss --sum"),
        ("kill -TERM {{pid}}", "kill -TERM"),
        ("tar cf {{target.tar}} {{file1 file2 ...}}", "tar cf out.tar"),
    ],
)
def test_rejected_forms(template: str, typed: str) -> None:
    assert not check_typed_answer(typed_card(template), typed).correct


def test_diff_names_what_differed() -> None:
    result = check_typed_answer(typed_card("kill -TERM {{pid}}"), "kill -KILL 1234 now")
    assert not result.correct
    assert [(p.op, p.expected, p.typed) for p in result.diff] == [
        ("same", "kill", "kill"),
        ("wrong", "-TERM", "-KILL"),
        ("same", "{{pid}}", "1234"),
        ("extra", "", "now"),
    ]


def test_missing_token_is_reported() -> None:
    result = check_typed_answer(typed_card("ss -t -l -n"), "ss -t -n")
    assert ("missing", "-l", "") in [(p.op, p.expected, p.typed) for p in result.diff]


def test_any_accepted_form_counts_and_the_closest_is_shown() -> None:
    card = typed_card("free -h", "free --human")
    assert check_typed_answer(card, "free --human").correct
    assert check_typed_answer(card, "free -m").expected == "free -h"


def test_unbalanced_quotes_do_not_raise() -> None:
    assert not check_typed_answer(typed_card("echo 'a'"), "echo 'a").correct

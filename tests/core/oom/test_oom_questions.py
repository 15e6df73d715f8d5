"""OOM questions: stable ids, reproducible generation, one correct answer, renderable data."""

from __future__ import annotations

import json
import random

import pytest

from quizapp.core.oom import load_scenario, run_scenario
from quizapp.core.oom.questions import (
    GENERATED_BANK,
    SCENARIO_BANK,
    clear_winner,
    generated_questions,
    practice_question,
    questions_from_scenarios,
)
from quizapp.core.questions import Level, QuestionKind
from quizapp.services.oom_scenarios import load_scenario_dir

SCENARIOS = load_scenario_dir()
BANK = questions_from_scenarios(SCENARIOS)
GENERATED = generated_questions(seed=7, per_tier=6)


def test_scenario_bank_ids_and_kinds() -> None:
    ids = [q.id for q in BANK]
    assert len(ids) == len(set(ids))
    assert {q.bank for q in BANK} == {SCENARIO_BANK}
    assert f"oom:{SCENARIOS[0].id}:victim" in ids
    assert "oom:adj-volunteer:score:950" in ids
    assert "oom:tie-later-wins:kernel:4.19" in ids
    assert {q.kind for q in BANK} == {
        QuestionKind.OOM_VICTIM,
        QuestionKind.OOM_SCORE,
        QuestionKind.OOM_KERNEL,
    }


@pytest.mark.parametrize("question", BANK + GENERATED, ids=lambda q: q.id)
def test_each_question_has_exactly_one_correct_choice_consistent_with_the_result(question) -> None:  # type: ignore[no-untyped-def]
    data = question.data
    json.dumps(data)  # JSON-serialisable
    labels = [c["label"] for c in data["choices"]]
    assert len(labels) == len(set(labels)) >= 2
    correct = data["choices"][data["correct"]]
    assert correct == data["answer"]
    assert question.answer == correct["label"]
    result = data["result"]
    if question.kind is QuestionKind.OOM_SCORE:
        score = next(s for s in result["scores"] if s["pid"] == data["asked_pid"])
        assert correct["value"] == score["oom_score"]
    else:
        assert correct["pids"] == [k["pid"] for k in result["killed"]]
    assert "| pid | name | badness |" in question.explanation


def test_generated_set_is_reproducible_and_has_stable_ids() -> None:
    again = generated_questions(seed=7, per_tier=6)
    assert [q.content_hash for q in again] == [q.content_hash for q in GENERATED]
    assert [q.id for q in GENERATED][:2] == ["oom:gen:easy:0", "oom:gen:easy:1"]
    assert {q.bank for q in GENERATED} == {GENERATED_BANK}
    assert {q.level for q in GENERATED} == {Level.BEGINNER, Level.INTERMEDIATE, Level.ADVANCED}
    other = generated_questions(seed=8, per_tier=6)
    assert [q.content_hash for q in other] != [q.content_hash for q in GENERATED]


def test_generated_victims_are_clear_unless_the_tie_is_the_point() -> None:
    for q in GENERATED:
        if q.kind is not QuestionKind.OOM_VICTIM or q.data["near_tie_allowed"]:
            continue
        scenario = load_scenario(q.data["scenario"])
        assert clear_winner(scenario, run_scenario(scenario)), q.id


def test_generated_scenarios_reload_to_the_same_answer() -> None:
    for q in GENERATED:
        scenario = load_scenario(q.data["scenario"])
        assert list(run_scenario(scenario).killed_pids) == [
            k["pid"] for k in q.data["result"]["killed"]
        ]


def test_practice_is_unlimited_and_reproducible() -> None:
    first = [practice_question(random.Random(1), tier) for tier in ("easy", "medium", "hard")]
    second = [practice_question(random.Random(1), tier) for tier in ("easy", "medium", "hard")]
    assert [q.content_hash for q in first] == [q.content_hash for q in second]
    rng = random.Random(99)
    ids = {practice_question(rng, "hard").id for _ in range(20)}
    assert len(ids) == 20
    with pytest.raises(ValueError):
        practice_question(rng, "impossible")


def test_panic_and_abort_scenarios_offer_the_right_special_answer() -> None:
    by_id = {q.id: q for q in BANK}
    assert by_id["oom:panic-on-oom-global:victim"].answer == "No process: the kernel panics"
    assert by_id["oom:pending-victim-abort:victim"].answer == "Nothing is killed"
    assert by_id["oom:oom-group-global:victim"].data["answer"]["pids"] == [10, 12]

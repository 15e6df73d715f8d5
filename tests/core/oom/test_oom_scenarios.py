"""The hand-written scenarios in content/scenarios: golden results and coverage of every rule."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from quizapp.core.oom import run_scenario
from quizapp.core.oom.kernel import Era, KernelRules
from quizapp.core.oom.scenario import _TASK_KEYS, _TOP_KEYS, Scenario
from quizapp.services.oom_scenarios import load_scenario_dir

GOLDEN = json.loads((Path(__file__).parent / "golden" / "scenarios.json").read_text())
SCENARIOS = {s.id: s for s in load_scenario_dir()}
SCHEMA = json.loads(
    (Path(__file__).parents[3] / "quizapp" / "core" / "oom" / "scenario.schema.json").read_text()
)


def test_there_are_at_least_30_scenarios_each_with_a_story() -> None:
    assert len(SCENARIOS) >= 30
    for scenario in SCENARIOS.values():
        assert len(scenario.story.split()) >= 10, scenario.id


@pytest.mark.parametrize("scenario_id", sorted(SCENARIOS))
def test_scenario_matches_golden_result(scenario_id: str) -> None:
    scenario: Scenario = SCENARIOS[scenario_id]
    result = run_scenario(scenario)
    golden = GOLDEN[scenario_id]
    assert result.outcome.value == golden["outcome"]
    assert list(result.killed_pids) == golden["killed"]
    assert result.totalpages == golden["totalpages"]
    assert {str(s.pid): s.badness for s in result.scores} == golden["badness"]
    assert {str(s.pid): s.oom_score for s in result.scores} == golden["oom_score"]
    for kernel, killed in golden["kernels"].items():
        assert list(run_scenario(scenario, kernel).killed_pids) == killed


def test_golden_file_covers_exactly_the_scenarios() -> None:
    assert set(GOLDEN) == set(SCENARIOS)


@pytest.mark.parametrize(
    "tag",
    ["size", "adj", "immune", "memcg", "swap", "oom-group", "sysctl", "tie", "truncation",
     "kubernetes", "shared-mm", "cgroup-v1", "panic-on-oom", "oom-kill-allocating-task",
     "abort", "no-killable", "pgtables", "oom-score"],
)  # fmt: skip
def test_every_rule_has_a_scenario(tag: str) -> None:
    assert any(tag in s.tags for s in SCENARIOS.values())


def test_at_least_three_older_kernel_eras_are_covered() -> None:
    eras = {KernelRules.for_version(s.kernel).era for s in SCENARIOS.values()}
    eras |= {
        KernelRules.for_version(k).era for s in SCENARIOS.values() for k in s.questions.kernels
    }
    assert len(eras - {Era.PAGES_SIGNED}) >= 3


def test_schema_and_loader_accept_the_same_keys() -> None:
    assert set(SCHEMA["properties"]) == _TOP_KEYS
    assert set(SCHEMA["$defs"]["task"]["properties"]) == _TASK_KEYS

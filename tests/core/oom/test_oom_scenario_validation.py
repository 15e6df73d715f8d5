"""Scenario documents: sizes, units and validation errors (all reported at once)."""

from __future__ import annotations

from typing import Any

import pytest

from quizapp.core.oom import ScenarioError, load_scenario, parse_scenario_text
from quizapp.core.oom.units import SizeError, parse_bytes, parse_pages


def doc(**over: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": "x",
        "story": "s",
        "machine": {"ram": "1GiB"},
        "tasks": [{"pid": 10, "name": "a", "rss": 100}],
    }
    base.update(over)
    return base


@pytest.mark.parametrize(
    ("value", "pages"),
    [(100, 100), ("100", 100), ("100 pages", 100), ("4KiB", 1), ("512MiB", 131072),
     ("1.5GiB", 393216), ("8kB", 2), ("64Mi", 16384), ("1G", 262144), ("4096B", 1)],
)  # fmt: skip
def test_page_sizes(value: object, pages: int) -> None:
    assert parse_pages(value) == pages


@pytest.mark.parametrize(
    ("value", "message"),
    [("512MB", "MiB"), ("1GB", "GiB"), ("5000B", "whole number of 4096-byte pages"),
     ("12 parsecs", "unknown unit"), (-1, "negative"), ("1.5 pages", "whole number"),
     (True, "not a size"), ([1], "not a size")],
)  # fmt: skip
def test_bad_sizes_say_why(value: object, message: str) -> None:
    with pytest.raises(SizeError, match=message):
        parse_pages(value)


def test_byte_sizes() -> None:
    assert parse_bytes("1Gi") == 1024**3
    assert parse_bytes(8191) == 8191


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"id": "Bad Id"}, "id: 'Bad Id' must be lower-case"),
        ({"kernel": "banana"}, "kernel: 'banana' is not a kernel version"),
        ({"machine": {}}, "machine.ram: is required"),
        ({"tasks": []}, "tasks: must be a non-empty list"),
        ({"tasks": [{"pid": 10, "name": "a", "oom_score_adj": 1500}]}, "tasks[0].oom_score_adj: 1500 is outside -1000..1000"),
        ({"tasks": [{"pid": 10, "name": "a", "flags": ["sleepy"]}]}, "unknown flag 'sleepy'"),
        ({"tasks": [{"pid": 10, "name": "a", "colour": "red"}]}, "tasks[0].colour: unknown key"),
        ({"tasks": [{"pid": 10, "name": "a"}, {"pid": 10, "name": "b"}]}, "pid 10 is used twice"),
        ({"tasks": [{"pid": 10, "name": "a", "rss": 1, "rss_anon": 1}]}, "give either rss"),
        ({"oom": {"constraint": "memcg"}}, "oom.memcg: a memcg OOM needs"),
        ({"oom": {"constraint": "memcg", "memcg": "/x"}}, "oom.memcg: /x must be listed under cgroups"),
        ({"oom": {"constraint": "cpuset"}}, "oom.allowed_memory"),
        ({"oom": {"allocating": 99}}, "oom.allocating: no task has pid 99"),
        ({"sysctls": {"panic_on_oom": 3}}, "sysctls.panic_on_oom: 3 is outside 0..2"),
        ({"cgroup_version": 1, "cgroups": [{"path": "/a", "oom_group": True}]}, "exists only in cgroup v2"),
        ({"cgroups": [{"path": "/a", "swappiness": 0}]}, "cgroup v2 has no per-cgroup swappiness"),
        ({"cgroup_version": 1, "cgroups": [{"path": "/a", "memory_max": "2GiB", "memsw_max": "1GiB"}]}, "must be at least memory_max"),
        ({"tasks": [{"pid": 10, "name": "a", "rss": 5, "mm": "m"}, {"pid": 11, "name": "b", "rss": 6, "mm": "m"}]}, "shares mm 'm' with pid 10"),
        ({"tasks": [{"pid": 10, "name": "a", "pod": {"qos": "Platinum"}}]}, "is not a QoS class"),
        ({"tasks": [{"pid": 10, "name": "a", "pod": {"qos": "Burstable"}}]}, "needs its memory request"),
        ({"tasks": [{"pid": 10, "name": "a", "oom_score_adj": 5, "pod": {"qos": "BestEffort"}}]}, "give either pod"),
        ({"questions": {"oom_score": [77]}}, "questions.oom_score"),
        ({"tier": "expert"}, "tier: 'expert' is not one of"),
    ],
)  # fmt: skip
def test_invalid_scenarios_are_rejected_with_the_path(
    override: dict[str, Any], message: str
) -> None:
    with pytest.raises(ScenarioError) as info:
        load_scenario(doc(**override))
    assert any(message in e for e in info.value.errors), info.value.errors


def test_every_invalid_value_is_reported_in_one_error() -> None:
    bad = doc(
        kernel="x",
        machine={"ram": "12 parsecs"},
        tasks=[{"pid": 0, "name": "a", "oom_score_adj": 2000, "rss": "1MB"}],
    )
    with pytest.raises(ScenarioError) as info:
        load_scenario(bad)
    paths = [e.split(":")[0] for e in info.value.errors]
    assert {
        "kernel",
        "machine.ram",
        "tasks[0].pid",
        "tasks[0].oom_score_adj",
        "tasks[0].rss",
    } <= set(paths)
    assert "5 error(s)" in str(info.value) or len(info.value.errors) >= 5


def test_json_and_yaml_text_both_parse() -> None:
    assert parse_scenario_text('{"id": "x"}') == {"id": "x"}
    assert parse_scenario_text("id: x\n") == {"id": "x"}
    with pytest.raises(ScenarioError, match="mapping"):
        parse_scenario_text("- a\n- b\n")
    with pytest.raises(ScenarioError, match="not valid YAML"):
        parse_scenario_text("id: [unclosed\n")

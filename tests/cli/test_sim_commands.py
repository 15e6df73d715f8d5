"""`quizapp sim run|explain|snapshot` through click's runner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from quizapp.cli.sim import sim

ROOT = Path(__file__).parents[2]
SCENARIO = ROOT / "content" / "scenarios" / "adj-volunteer.yaml"
REPORT = ROOT / "tests" / "core" / "oom" / "reports" / "6.8-dmesg-T-multi.txt"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_run_prints_the_explanation_and_table(runner: CliRunner) -> None:
    result = runner.invoke(sim, ["run", str(SCENARIO)])
    assert result.exit_code == 0, result.output
    assert "Killed: backup (pid 950)" in result.output
    assert "| 950 | backup | 2,635,600 | 1010 | killed |" in result.output


def test_run_json_and_kernel_override(runner: CliRunner) -> None:
    result = runner.invoke(
        sim,
        ["run", str(ROOT / "content/scenarios/tie-later-wins.yaml"), "--kernel", "4.19", "--json"],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["kernel"] == "4.19"
    assert [k["name"] for k in data["killed"]] == ["X"]


def test_run_reports_all_scenario_errors_cleanly(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "id: Bad\nstory: s\nmachine: {ram: 1MB}\ntasks: [{pid: 1, name: a, oom_score_adj: 5000}]\n"
    )
    result = runner.invoke(sim, ["run", str(bad)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert (
        "id: 'Bad'" in result.output
        and "machine.ram" in result.output
        and "tasks[0].oom_score_adj" in result.output
    )


def test_run_missing_file_is_a_clean_error(runner: CliRunner) -> None:
    result = runner.invoke(sim, ["run", "/no/such/file.yaml"])
    assert result.exit_code == 1
    assert "No such file" in result.output


def test_explain_file_and_stdin(runner: CliRunner) -> None:
    text = runner.invoke(sim, ["explain", str(REPORT)])
    assert text.exit_code == 0
    assert "The prediction agrees with the kernel." in text.output
    piped = runner.invoke(
        sim, ["explain", "-", "--json", "--swap", "2GiB"], input=REPORT.read_text()
    )
    data = json.loads(piped.output)
    assert [e["agrees"] for e in data["events"]] == [True, None, True]
    assert data["events"][2]["totalpages"] == 131072 + 524288


def test_explain_rejects_a_bad_size(runner: CliRunner) -> None:
    result = runner.invoke(sim, ["explain", str(REPORT), "--ram", "lots"])
    assert result.exit_code == 2
    assert "--ram" in result.output


def test_snapshot_json(runner: CliRunner) -> None:
    result = runner.invoke(sim, ["snapshot", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["constraint"] == "CONSTRAINT_NONE"
    assert data["processes"]


def test_snapshot_unknown_cgroup_is_a_clean_error(runner: CliRunner) -> None:
    result = runner.invoke(sim, ["snapshot", "--cgroup", "/no-such-cgroup-here"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output

from __future__ import annotations

from pathlib import Path

from quizapp.core.compiler import SourceFile, compile_content, read_content
from quizapp.core.questions import QuestionKind

SCENARIO = """id: tiny-box
title: A tiny box
story: A small VM runs out of memory.
tier: easy
kernel: "6.8"
machine: {ram: 1GiB, swap: 0}
tasks:
  - {pid: 1, name: systemd, rss: 12MiB, flags: [init]}
  - {pid: 300, name: big, rss: 700MiB}
  - {pid: 301, name: small, rss: 50MiB}
"""


def minimal(content_dir: Path) -> list[SourceFile]:
    files, _ = read_content(content_dir / "minimal")
    return files


def test_scenarios_become_oom_banks(content_dir: Path) -> None:
    files = [*minimal(content_dir), SourceFile.of("scenarios/tiny-box.yaml", SCENARIO)]
    result = compile_content(files)
    assert result.errors == []
    banks = {b.slug for b in result.banks}
    assert {"oom-scenarios", "oom-generated"} <= banks
    [victim] = [q for q in result.questions if q.id == "oom:tiny-box:victim"]
    assert victim.kind is QuestionKind.OOM_VICTIM and victim.bank == "oom-scenarios"


def test_a_broken_scenario_is_a_diagnostic_with_a_line(content_dir: Path) -> None:
    broken = SCENARIO.replace("rss: 700MiB", "rss: lots")
    files = [*minimal(content_dir), SourceFile.of("scenarios/tiny-box.yaml", broken)]
    result = compile_content(files)
    [error] = [d for d in result.errors if d.path == "scenarios/tiny-box.yaml"]
    assert error.message.startswith("scenario: tasks[1].rss: ")
    assert error.line == 9  # the task's own line


def test_no_scenarios_folder_no_oom_banks(content_dir: Path) -> None:
    result = compile_content(minimal(content_dir))
    assert not any(b.slug.startswith("oom-") for b in result.banks)

"""The Linux OOM-killer simulator: scoring, victim selection, reports and questions.

Pure code in the kernel's vocabulary (`oom_badness`, `totalpages`,
`select_bad_process`, `oom_kill_process`, constraint). The reference is
`docs/research/oom-spec.md`; the default rules are those of Linux >= 5.9.
"""

from __future__ import annotations

from dataclasses import replace

from .badness import oom_badness, proc_oom_score, totalpages
from .engine import simulate
from .k8s import QoSClass, container_oom_score_adj
from .kernel import DEFAULT_KERNEL, Era, KernelRules, KernelVersion
from .legacy import oom_adj_read, oom_adj_write
from .model import Cgroup, Constraint, Machine, OomEvent, Sysctls, System, Task
from .result import KilledTask, OomResult, Outcome, TaskScore
from .scenario import Scenario, ScenarioError, load_scenario, parse_scenario_text


def run_scenario(scenario: Scenario, kernel: str | None = None) -> OomResult:
    """Simulate a scenario on its own kernel (or `kernel`), with kubelet notes added."""
    result = simulate(scenario.system, kernel or scenario.kernel)
    if not scenario.adj_notes:
        return result
    names = {t.pid: t.name for t in scenario.system.tasks}
    notes = tuple(
        f"Kubernetes: {names[pid]} (pid {pid}) gets oom_score_adj from {note}."
        for pid, note in scenario.adj_notes
    )
    lines = result.explanation
    return replace(result, explanation=lines[:2] + notes + lines[2:])


__all__ = [
    "DEFAULT_KERNEL",
    "Cgroup",
    "Constraint",
    "Era",
    "KernelRules",
    "KernelVersion",
    "KilledTask",
    "Machine",
    "OomEvent",
    "OomResult",
    "Outcome",
    "QoSClass",
    "Scenario",
    "ScenarioError",
    "Sysctls",
    "System",
    "Task",
    "TaskScore",
    "container_oom_score_adj",
    "load_scenario",
    "oom_adj_read",
    "oom_adj_write",
    "oom_badness",
    "parse_scenario_text",
    "proc_oom_score",
    "run_scenario",
    "simulate",
    "totalpages",
]

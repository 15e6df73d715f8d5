"""Rank the processes of a running machine as the kernel would now (pure part).

The service hands in the text of /proc; this builds the `System`, simulates a
global (or memcg) OOM and sets the predicted `/proc/<pid>/oom_score` beside the
value the kernel printed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .engine import simulate
from .model import Cgroup, Constraint, OomEvent, Sysctls, System, in_cgroup_subtree
from .procfs import ProcEntry, machine_from_meminfo, start_time, task_from_proc
from .result import OomResult


@dataclass(frozen=True)
class SnapshotRow:
    pid: int
    name: str
    badness: int | None
    excluded: str | None
    predicted_oom_score: int
    kernel_oom_score: int | None

    @property
    def matches(self) -> bool | None:
        if self.kernel_oom_score is None:
            return None
        return self.predicted_oom_score == self.kernel_oom_score


@dataclass(frozen=True)
class Snapshot:
    kernel: str
    result: OomResult
    rows: tuple[SnapshotRow, ...]  # highest badness first, ineligible last

    @property
    def mismatches(self) -> tuple[SnapshotRow, ...]:
        return tuple(r for r in self.rows if r.matches is False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kernel": self.kernel,
            "constraint": self.result.constraint,
            "oom_domain": self.result.oom_domain,
            "totalpages": self.result.totalpages,
            "victim": self.result.victim,
            "deciding_rule": self.result.deciding_rule,
            "processes": [
                {
                    "pid": r.pid,
                    "name": r.name,
                    "badness": r.badness,
                    "excluded": r.excluded,
                    "predicted_oom_score": r.predicted_oom_score,
                    "kernel_oom_score": r.kernel_oom_score,
                    "matches": r.matches,
                }
                for r in self.rows
            ],
        }


def take_snapshot(
    entries: Sequence[ProcEntry],
    meminfo: str,
    kernel: str,
    *,
    memcg: Cgroup | None = None,
    cgroup_version: int = 2,
    swappiness: int = 60,
    page_size: int = 4096,
) -> Snapshot:
    machine = machine_from_meminfo(meminfo, page_size)
    ordered = sorted(entries, key=lambda e: (start_time(e), e.pid))
    tasks = tuple(task_from_proc(e, page_size) for e in ordered)
    if memcg is not None:
        event = OomEvent(constraint=Constraint.MEMCG, memcg=memcg.path)
        cgroups: tuple[Cgroup, ...] = (memcg,)
    else:
        event = OomEvent()
        cgroups = ()
    system = System(
        machine=machine,
        tasks=tasks,
        cgroups=cgroups,
        cgroup_version=cgroup_version,
        sysctls=Sysctls(swappiness=swappiness),
        event=event,
    )
    result = simulate(system, kernel)
    shown = {e.pid: e.oom_score for e in entries}
    rows = []
    for score in result.scores:
        if memcg is not None and not in_cgroup_subtree(score.cgroup, memcg.path):
            continue
        raw = shown.get(score.pid)
        rows.append(
            SnapshotRow(
                pid=score.pid,
                name=score.name,
                badness=score.badness,
                excluded=score.excluded,
                predicted_oom_score=score.oom_score,
                kernel_oom_score=int(raw) if raw and raw.strip().isdigit() else None,
            )
        )
    rows.sort(key=lambda r: (r.badness is None, -(r.badness or 0)))
    return Snapshot(kernel=kernel, result=result, rows=tuple(rows))

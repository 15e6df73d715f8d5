"""What the simulator returns: the outcome, the kill set and a score per task."""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, fields
from typing import Any

from .lazy import BuiltOnRead


class Outcome(enum.StrEnum):
    KILL = "kill"
    PANIC = "panic"
    ABORT = "abort"  # an earlier victim is still exiting: nothing is killed this time
    NO_KILLABLE = "no-killable-process"


@dataclass(frozen=True)
class TaskScore:
    pid: int
    name: str
    cgroup: str
    oom_score_adj: int
    rss: int
    swapents: int
    pgtables_bytes: int
    scanned: bool  # inside the OOM domain and visited by the scan
    badness: int | None  # None: ineligible (LONG_MIN), or not scanned
    how: str
    excluded: str | None  # why it cannot be chosen, if so
    oom_score: int  # /proc/<pid>/oom_score (global domain)
    oom_score_how: str
    scan_index: int | None  # position in the scan, 0-based


class Scores(BuiltOnRead[TaskScore]):
    """A simulation's score per task, in order; each is built (by `build`) when first read.

    A 10,000-task report explains a few dozen tasks: the rest need no TaskScore unless
    someone reads the whole table.
    """

    def __init__(self, pids: Sequence[int], build: Callable[[int], TaskScore]) -> None:
        self.pids = pids
        super().__init__(len(pids), build)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return tuple(self) == tuple(other)

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"Scores({list(self)!r})"

    def of(self, pid: int) -> TaskScore:
        """The first score for this pid (KeyError if none)."""
        try:
            return self[self.pids.index(pid)]
        except ValueError:
            raise KeyError(pid) from None


@dataclass(frozen=True)
class KilledTask:
    pid: int
    name: str
    why: str


@dataclass(frozen=True)
class OomResult:
    kernel: str
    era: str
    constraint: str
    oom_domain: str | None  # memcg path for a memcg OOM
    totalpages: int
    totalpages_how: str
    global_totalpages: int
    outcome: Outcome
    message: str  # dmesg prefix: "Out of memory", "Memory cgroup out of memory", ...
    selected: int | None  # the pid select_bad_process chose (or the allocating task)
    victim: int | None  # the pid actually killed first (a child may be sacrificed)
    killed: tuple[KilledTask, ...]
    scores: Scores  # scan order first, then tasks outside the domain
    deciding_rule: str
    panic_reason: str | None
    explanation: tuple[str, ...]

    @property
    def killed_pids(self) -> tuple[int, ...]:
        return tuple(k.pid for k in self.killed)

    def score_of(self, pid: int) -> TaskScore:
        return self.scores.of(pid)

    def explanation_text(self) -> str:
        return "\n".join(self.explanation)

    def to_dict(self) -> dict[str, Any]:
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["outcome"] = self.outcome.value
        data["killed"] = [asdict(k) for k in self.killed]
        data["scores"] = [asdict(s) for s in self.scores]
        data["explanation"] = list(self.explanation)
        return data

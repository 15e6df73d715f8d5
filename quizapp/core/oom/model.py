"""The simulator's inputs: tasks, the machine, cgroups, sysctls and the OOM event.

All memory quantities are in pages (the machine's page size) except
`pgtables_bytes`, which the kernel itself keeps in bytes.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from .lazy import BuiltOnRead


class Constraint(enum.StrEnum):
    """`enum oom_constraint`: what ran out (spec §5)."""

    NONE = "CONSTRAINT_NONE"  # global: all RAM + swap
    CPUSET = "CONSTRAINT_CPUSET"
    MEMORY_POLICY = "CONSTRAINT_MEMORY_POLICY"
    MEMCG = "CONSTRAINT_MEMCG"

    @property
    def is_memcg(self) -> bool:
        return self is Constraint.MEMCG


@dataclass(frozen=True)
class Task:
    """One process (thread-group leader) as the OOM killer sees it."""

    pid: int
    name: str
    uid: int = 0
    rss_anon: int = 0
    rss_file: int = 0
    rss_shmem: int = 0
    swapents: int = 0
    pgtables_bytes: int = 0
    oom_score_adj: int = 0
    cgroup: str = "/"
    mm: str | None = None  # processes with the same id share one mm (CLONE_VM)
    parent: int | None = None  # parent pid, for the children heuristics
    # flags
    init: bool = False  # global init (PID 1 of the initial namespace)
    kthread: bool = False
    no_mm: bool = False  # exited / zombie: no thread has an mm
    in_vfork: bool = False
    mm_reaped: bool = False  # MMF_OOM_SKIP: already reaped or being torn down
    oom_victim: bool = False  # already chosen by an earlier OOM kill
    oom_origin: bool = False  # swapoff / KSM unmerge: always chosen
    cap_sys_admin: bool = False  # root bonus in 2.6.36-4.16; /4 before 2.6.36
    numa_eligible: bool = True  # cpuset/mempolicy intersects the OOM's nodes
    # pre-2.6.36 heuristic inputs
    total_vm: int = 0
    cpu_jiffies: int = 0
    run_seconds: int = 0
    nice: int = 0
    cap_sys_resource: bool = False
    cap_sys_rawio: bool = False
    oom_adj: int | None = None  # legacy -17..15; derived from oom_score_adj when None

    @property
    def rss(self) -> int:
        """`get_mm_rss()`: file + anon + shmem pages."""
        return self.rss_anon + self.rss_file + self.rss_shmem

    @property
    def mm_key(self) -> str:
        return self.mm if self.mm is not None else f"pid:{self.pid}"


class TaskTable(BuiltOnRead[Task]):
    """Many ordinary processes of one cgroup held as columns: a report's task dump.

    No row records a parent, a shared mm or a NUMA restriction, and every row outside
    `special` is plain: no flag set and oom_score_adj above -1000. The simulator scores
    the rows from the columns; a row's `Task` is built (by `build`) only when read.
    """

    def __init__(
        self,
        cgroup: str,
        pid: list[int],
        usage: list[int],
        pgtables_bytes: list[int],
        oom_score_adj: list[int],
        special: set[int],
        build: Callable[[int], Task],
    ) -> None:
        self.cgroup = cgroup
        self.pid = pid
        self.usage = usage  # rss + swapents, pages
        self.pgtables_bytes = pgtables_bytes
        self.oom_score_adj = oom_score_adj
        self.special = special  # row indices that need the full oom_badness()
        super().__init__(len(pid), build)

    def find(self, pid: int) -> Task | None:
        """The first row with this pid, if any."""
        try:
            return self[self.pid.index(pid)]
        except ValueError:
            return None


@dataclass(frozen=True)
class Machine:
    ram_pages: int  # MemTotal / page size (totalram_pages)
    swap_pages: int = 0  # SwapTotal / page size (total_swap_pages)
    page_size: int = 4096
    hz: int = 1000  # only the pre-2.6.36 heuristic reads it


@dataclass(frozen=True)
class Cgroup:
    """A memory cgroup; limits in pages, None meaning "max" (unlimited)."""

    path: str
    memory_max: int | None = None  # v2 memory.max / v1 memory.limit_in_bytes
    swap_max: int | None = None  # v2 memory.swap.max
    memsw_max: int | None = None  # v1 memory.memsw.limit_in_bytes (memory + swap)
    swappiness: int | None = None  # v1 memory.swappiness; None = vm.swappiness
    oom_group: bool = False  # v2 memory.oom.group


@dataclass(frozen=True)
class Sysctls:
    panic_on_oom: int = 0
    oom_kill_allocating_task: bool = False
    swappiness: int = 60  # vm.swappiness


@dataclass(frozen=True)
class OomEvent:
    """One invocation of out_of_memory()."""

    constraint: Constraint = Constraint.NONE
    memcg: str | None = None  # the OOMing memcg (the one whose limit was hit)
    allowed_pages: int | None = None  # cpuset/mempolicy: present pages of the allowed nodes
    allocating_pid: int | None = None  # `current`
    sysrq: bool = False  # order == -1: manual sysrq-f


@dataclass(frozen=True)
class System:
    """Everything out_of_memory() reads."""

    machine: Machine
    tasks: Sequence[Task]  # a tuple, or a TaskTable for a long report
    cgroups: tuple[Cgroup, ...] = ()
    cgroup_version: int = 2
    sysctls: Sysctls = field(default_factory=Sysctls)
    event: OomEvent = field(default_factory=OomEvent)

    def cgroup(self, path: str) -> Cgroup:
        for cgroup in self.cgroups:
            if cgroup.path == path:
                return cgroup
        return Cgroup(path=path)

    def task(self, pid: int) -> Task | None:
        if isinstance(self.tasks, TaskTable):
            return self.tasks.find(pid)
        for task in self.tasks:
            if task.pid == pid:
                return task
        return None


def in_cgroup_subtree(path: str, root: str) -> bool:
    """True if cgroup `path` is `root` or below it."""
    if root == "/":
        return True
    return path == root or path.startswith(root.rstrip("/") + "/")


def parent_cgroup(path: str) -> str | None:
    if path == "/":
        return None
    head = path.rstrip("/").rsplit("/", 1)[0]
    return head or "/"

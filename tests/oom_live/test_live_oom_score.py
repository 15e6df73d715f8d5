"""/proc/<pid>/oom_score of real processes equals the simulator's prediction, exactly."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from quizapp.core.oom import KernelRules, proc_oom_score
from quizapp.core.oom.model import System
from quizapp.core.oom.procfs import machine_from_meminfo, task_from_proc
from quizapp.services.oom_snapshot import kernel_release, read_proc_entry, snapshot
from tests.oom_live.oom_live_helpers import hogs

pytestmark = [
    pytest.mark.live_kernel,
    pytest.mark.skipif(
        not sys.platform.startswith("linux") or not Path("/proc/self/oom_score").exists(),
        reason="needs Linux with /proc/<pid>/oom_score",
    ),
]

MIB = 1024 * 1024


def _has_cap_sys_resource() -> bool:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("CapEff:"):
            return bool(int(line.split()[1], 16) & (1 << 24))
    return False


# Negative values need CAP_SYS_RESOURCE (root in a container may lack it); the negative
# branch of the formula is also covered by the spec vectors in tests/core/oom.
ROOT = _has_cap_sys_resource()

# (bytes to hold, oom_score_adj); lowering below 0 needs CAP_SYS_RESOURCE
SPECS = [
    (200 * MIB, "0"),
    (64 * MIB, "1"),
    (96 * MIB, "500"),
    (8 * MIB, "1000"),
    (120 * MIB, "999"),
    (32 * MIB, "250"),
    (48 * MIB, "-1000" if ROOT else "7"),
    (150 * MIB, "-500" if ROOT else "3"),
    (160 * MIB, "-999" if ROOT else "42"),
]


def predicted_and_shown(pid: int) -> tuple[int, int]:
    """Read the process twice around its oom_score so the counters are known to be stable."""
    rules = KernelRules.for_version(kernel_release())
    page_size = os.sysconf("SC_PAGE_SIZE")
    for _ in range(20):
        before = read_proc_entry(pid)
        shown = Path(f"/proc/{pid}/oom_score").read_text()
        after = read_proc_entry(pid)
        meminfo = Path("/proc/meminfo").read_text()
        assert before is not None and after is not None
        if before.status == after.status:
            machine = machine_from_meminfo(meminfo, page_size)
            task = task_from_proc(after, page_size)
            system = System(machine=machine, tasks=(task,))
            return proc_oom_score(task, system, rules), int(shown)
    raise AssertionError(f"pid {pid} kept changing its memory counters")


def test_kernel_rules_of_this_machine_are_the_modern_ones() -> None:
    assert KernelRules.for_version(kernel_release()).scores_in_pages


@pytest.mark.parametrize(("size", "adj"), SPECS, ids=[f"{s // MIB}MiB-adj{a}" for s, a in SPECS])
def test_oom_score_of_a_real_process_matches_exactly(size: int, adj: str) -> None:
    with hogs([(size, adj)]) as (proc,):
        predicted, shown = predicted_and_shown(proc.pid)
        assert predicted == shown


def test_this_test_process_matches() -> None:
    predicted, shown = predicted_and_shown(os.getpid())
    assert predicted == shown


def test_snapshot_ranks_real_processes_and_every_score_matches() -> None:
    with hogs([(300 * MIB, "600"), (40 * MIB, "0")]) as procs:
        snap = snapshot()
        assert snap.rows[0].pid == procs[0].pid
        assert snap.result.victim == procs[0].pid
        # processes may start or grow while /proc is walked: allow only those races
        racy = [r for r in snap.mismatches if r.pid not in {p.pid for p in procs}]
        assert len(racy) <= 2, racy
        assert not [r for r in snap.mismatches if r.pid in {p.pid for p in procs}]

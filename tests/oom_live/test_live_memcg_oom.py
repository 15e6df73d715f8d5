"""Real OOM kills in a small memory cgroup: the explainer, shown the kernel's report without
its verdict lines, predicts the victim the kernel chose."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from quizapp.core.oom.report import ExplainOptions, explain_report, parse_report, strip_verdict
from tests.oom_live.oom_live_helpers import HOG

pytestmark = pytest.mark.live_kernel

MIB = 1024 * 1024
CGROUP_ROOT = Path("/sys/fs/cgroup")


def _memory_mount() -> tuple[int, Path] | None:
    if "memory" in _controllers(CGROUP_ROOT):
        return 2, CGROUP_ROOT
    if (CGROUP_ROOT / "memory" / "memory.limit_in_bytes").exists():
        return 1, CGROUP_ROOT / "memory"
    if "memory" in _controllers(CGROUP_ROOT / "unified"):
        return 2, CGROUP_ROOT / "unified"
    return None


def _controllers(path: Path) -> list[str]:
    try:
        return (path / "cgroup.subtree_control").read_text().split() or (
            path / "cgroup.controllers"
        ).read_text().split()
    except OSError:
        return []


def _why_not() -> str | None:
    if not sys.platform.startswith("linux"):
        return "needs Linux"
    if os.geteuid() != 0:
        return "creating a memory cgroup needs root"
    if _memory_mount() is None:
        return "no cgroup v1 or v2 memory controller is mounted under /sys/fs/cgroup"
    if not os.access("/dev/kmsg", os.R_OK):
        return "cannot read the kernel log (/dev/kmsg)"
    return None


@pytest.fixture
def memcg() -> Iterator[tuple[int, Path, str]]:
    reason = _why_not()
    if reason:
        pytest.skip(reason)
    mount = _memory_mount()
    assert mount is not None
    version, root = mount
    name = f"quizapp-oomtest-{os.getpid()}"
    path = root / name
    path.mkdir()
    try:
        limit = str(96 * MIB)
        (path / ("memory.max" if version == 2 else "memory.limit_in_bytes")).write_text(limit)
        if version == 2 and (path / "memory.swap.max").exists():
            (path / "memory.swap.max").write_text("0")
        yield version, path, "/" + name
    finally:
        for _ in range(50):
            try:
                path.rmdir()
                break
            except OSError:
                time.sleep(0.1)


class KernelLog:
    """New /dev/kmsg records since construction, rendered as `dmesg` prints them."""

    def __init__(self) -> None:
        self.fd = os.open("/dev/kmsg", os.O_RDONLY | os.O_NONBLOCK)
        os.lseek(self.fd, 0, os.SEEK_END)

    def read(self) -> str:
        lines = []
        while True:
            try:
                record = os.read(self.fd, 8192).decode(errors="replace")
            except OSError as exc:
                if exc.errno == errno.EAGAIN:
                    break
                if exc.errno == errno.EPIPE:  # overwritten: keep going
                    continue
                raise
            head, _, message = record.partition(";")
            usec = int(head.split(",")[2])
            first = message.split("\n", 1)[0]
            lines.append(f"[{usec // 1_000_000:5d}.{usec % 1_000_000:06d}] {first}")
        os.close(self.fd)
        return "\n".join(lines)


def _spawn(cgroup_procs: Path, size: int, adj: str, step: int = 0) -> subprocess.Popen[str]:
    def enter() -> None:
        cgroup_procs.write_text(str(os.getpid()))

    args = [sys.executable, "-c", HOG, str(size), adj] + ([str(step)] if step else [])
    proc = subprocess.Popen(
        args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, preexec_fn=enter
    )
    assert proc.stdout is not None
    proc.stdout.readline()
    return proc


@pytest.mark.parametrize(
    "hogs",
    [
        [(24 * MIB, "0"), (8 * MIB, "0")],  # size decides
        [(24 * MIB, "0"), (8 * MIB, "800")],  # oom_score_adj outweighs size
        [(20 * MIB, "0"), (20 * MIB, "0"), (4 * MIB, "300")],
    ],
    ids=["by-size", "by-adj", "three"],
)
def test_explainer_predicts_the_kernels_victims(
    memcg: tuple[int, Path, str], hogs: list[tuple[int, str]]
) -> None:
    _, path, cgroup = memcg
    log = KernelLog()
    procs = [_spawn(path / "cgroup.procs", size, adj) for size, adj in hogs]
    grower = _spawn(path / "cgroup.procs", 1 * MIB, "0", step=1 * MIB)
    try:
        grower.wait(timeout=60)
    finally:
        for proc in [*procs, grower]:
            proc.kill()
            proc.wait()
            for pipe in (proc.stdin, proc.stdout):
                if pipe is not None:
                    pipe.close()
    time.sleep(0.2)
    text = log.read()
    events = [e for e in parse_report(text) if e.oom_memcg == cgroup]
    assert events, f"no OOM report for {cgroup} in the kernel log:\n{text[-3000:]}"
    kernel_victims = [e.killed[0].pid for e in events if e.killed]
    assert kernel_victims and grower.returncode == -9

    hidden = "\n".join(strip_verdict(text.splitlines()))
    explained = explain_report(hidden, ExplainOptions())
    ours = [e for e in explained.events if e.event.tasks and e.event.current_pid is not None]
    # strip_verdict also removes the summary line naming the memcg; keep our cgroup's events
    ours = [e for e in ours if {t.pid for t in e.event.tasks} <= {p.pid for p in [*procs, grower]}]
    assert len(ours) == len(events)
    for event, pid in zip(ours, kernel_victims, strict=True):
        assert event.kernel_victim is None
        assert event.victim is not None, event.reason
        assert event.victim["pid"] == pid, "\n".join(
            event.result.explanation if event.result else []
        )
    # and with the verdict lines kept, every event says it agrees
    full = [e for e in explain_report(text).events if e.event.oom_memcg == cgroup]
    assert [e.agrees for e in full] == [True] * len(full)

"""Read /proc and /sys/fs/cgroup for the OOM simulator's live snapshot."""

from __future__ import annotations

import os
from pathlib import Path

from quizapp.core.errors import UserInputError
from quizapp.core.oom.model import Cgroup
from quizapp.core.oom.procfs import ProcEntry
from quizapp.core.oom.snapshot import Snapshot, take_snapshot

PROC = Path("/proc")
CGROUP_ROOT = Path("/sys/fs/cgroup")


def _read(path: Path) -> str | None:
    try:
        return path.read_text()
    except OSError:  # the process exited, or the file is not readable
        return None


def read_proc_entry(pid: int, proc: Path = PROC) -> ProcEntry | None:
    base = proc / str(pid)
    status = _read(base / "status")
    stat = _read(base / "stat")
    adj = _read(base / "oom_score_adj")
    if status is None or stat is None or adj is None:
        return None
    return ProcEntry(
        pid=pid,
        status=status,
        stat=stat,
        oom_score_adj=adj,
        cgroup=_read(base / "cgroup") or "",
        oom_score=_read(base / "oom_score"),
    )


def read_proc_entries(proc: Path = PROC) -> list[ProcEntry]:
    entries = []
    for name in os.listdir(proc):
        if name.isdigit():
            entry = read_proc_entry(int(name), proc)
            if entry is not None:
                entries.append(entry)
    return entries


def kernel_release(proc: Path = PROC) -> str:
    return (_read(proc / "sys/kernel/osrelease") or "6.8").strip()


def cgroup_layout(root: Path = CGROUP_ROOT) -> tuple[int, Path]:
    """(version, mount point of the memory controller)."""
    if (root / "cgroup.controllers").exists():
        return 2, root
    if (root / "memory" / "memory.limit_in_bytes").exists():
        return 1, root / "memory"
    unified = root / "unified"
    if "memory" in (_read(unified / "cgroup.controllers") or "").split():
        return 2, unified
    raise UserInputError("no memory cgroup controller is mounted under /sys/fs/cgroup")


def _pages(text: str | None, page_size: int) -> int | None:
    if text is None:
        return None
    value = text.strip()
    if value == "max":
        return None
    pages = int(value) // page_size
    return None if pages >= 2**63 // 4096 // 2 else pages


def read_memcg(path: str, root: Path = CGROUP_ROOT, page_size: int = 4096) -> tuple[Cgroup, int]:
    """The limits of memory cgroup `path` ("/a/b", as in /proc/<pid>/cgroup) and the version."""
    version, mount = cgroup_layout(root)
    directory = mount / path.strip("/")
    if not directory.is_dir():
        raise UserInputError(f"no memory cgroup {path} under {mount}")
    if version == 2:
        group = (_read(directory / "memory.oom.group") or "0").strip() == "1"
        cgroup = Cgroup(
            path=path,
            memory_max=_pages(_read(directory / "memory.max"), page_size),
            swap_max=_pages(_read(directory / "memory.swap.max"), page_size),
            oom_group=group,
        )
    else:
        swappiness = _read(directory / "memory.swappiness")
        cgroup = Cgroup(
            path=path,
            memory_max=_pages(_read(directory / "memory.limit_in_bytes"), page_size),
            memsw_max=_pages(_read(directory / "memory.memsw.limit_in_bytes"), page_size),
            swappiness=int(swappiness) if swappiness else None,
        )
    if cgroup.memory_max is None:
        raise UserInputError(
            f"memory cgroup {path} has no memory limit, so it cannot OOM by itself"
        )
    return cgroup, version


def snapshot(cgroup: str | None = None, proc: Path = PROC, root: Path = CGROUP_ROOT) -> Snapshot:
    """Rank this machine's processes as the kernel would for a global (or memcg) OOM now."""
    page_size = os.sysconf("SC_PAGE_SIZE")
    meminfo = _read(proc / "meminfo")
    if meminfo is None:
        raise UserInputError(f"cannot read {proc}/meminfo: is this Linux?")
    swappiness = int((_read(proc / "sys/vm/swappiness") or "60").strip())
    memcg, version = (None, 2) if cgroup is None else read_memcg(cgroup, root, page_size)
    return take_snapshot(
        read_proc_entries(proc),
        meminfo,
        kernel_release(proc),
        memcg=memcg,
        cgroup_version=version,
        swappiness=swappiness,
        page_size=page_size,
    )

"""Turning /proc text into simulator inputs (the text is read by the caller).

`quizapp.services.oom_snapshot` reads the files; everything here parses
strings it is handed, so it is tested with fixed text.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Machine, Task

PF_KTHREAD = 0x00200000


def parse_kb_fields(text: str) -> dict[str, int]:
    """`Key:   1234 kB` lines (meminfo, status) -> {Key: 1234}; other lines are ignored."""
    values: dict[str, int] = {}
    for line in text.splitlines():
        key, sep, rest = line.partition(":")
        if not sep:
            continue
        parts = rest.split()
        if parts and parts[0].isdigit() and (len(parts) == 1 or parts[1] == "kB"):
            values[key.strip()] = int(parts[0])
    return values


def machine_from_meminfo(meminfo: str, page_size: int = 4096) -> Machine:
    fields = parse_kb_fields(meminfo)
    kb_per_page = page_size // 1024
    return Machine(
        ram_pages=fields["MemTotal"] // kb_per_page,
        swap_pages=fields.get("SwapTotal", 0) // kb_per_page,
        page_size=page_size,
    )


def parse_status_text(status: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in status.splitlines():
        key, sep, rest = line.partition(":")
        if sep:
            out[key.strip()] = rest.strip()
    return out


def stat_fields(stat: str) -> list[str]:
    """/proc/<pid>/stat split into fields, with the comm (which may hold spaces) kept whole."""
    head, _, tail = stat.rpartition(")")
    pid, _, comm = head.partition(" (")
    return [pid, comm, *tail.split()]


def cgroup_path(cgroup_file: str) -> str:
    """The memory cgroup from /proc/<pid>/cgroup: the v1 `memory` line, else the v2 `0::` line."""
    v2 = "/"
    for line in cgroup_file.splitlines():
        parts = line.split(":", 2)
        if len(parts) != 3:
            continue
        _, controllers, path = parts
        if "memory" in controllers.split(","):
            return path or "/"
        if controllers == "":
            v2 = path or "/"
    return v2


@dataclass(frozen=True)
class ProcEntry:
    """The raw text of one process's /proc files."""

    pid: int
    status: str
    stat: str
    oom_score_adj: str
    cgroup: str = ""
    oom_score: str | None = None  # what the kernel shows, for comparison


def task_from_proc(entry: ProcEntry, page_size: int = 4096) -> Task:
    status = parse_status_text(entry.status)
    kb = parse_kb_fields(entry.status)
    fields = stat_fields(entry.stat)
    flags = int(fields[8]) if len(fields) > 8 else 0
    kb_per_page = page_size // 1024
    has_mm = "VmRSS" in kb or "RssAnon" in kb
    uid = int(status.get("Uid", "0").split()[0])
    ppid = int(status.get("PPid", "0") or 0)
    return Task(
        pid=entry.pid,
        name=status.get("Name", fields[1] if len(fields) > 1 else "?"),
        uid=uid,
        rss_anon=kb.get("RssAnon", 0) // kb_per_page,
        rss_file=kb.get("RssFile", 0) // kb_per_page,
        rss_shmem=kb.get("RssShmem", 0) // kb_per_page,
        swapents=kb.get("VmSwap", 0) // kb_per_page,
        pgtables_bytes=kb.get("VmPTE", 0) * 1024,
        oom_score_adj=int(entry.oom_score_adj.strip() or 0),
        cgroup=cgroup_path(entry.cgroup),
        parent=ppid or None,
        init=entry.pid == 1,
        kthread=bool(flags & PF_KTHREAD),
        no_mm=not has_mm,
        total_vm=kb.get("VmSize", 0) // kb_per_page,
    )


def start_time(entry: ProcEntry) -> int:
    fields = stat_fields(entry.stat)
    return int(fields[21]) if len(fields) > 21 else 0

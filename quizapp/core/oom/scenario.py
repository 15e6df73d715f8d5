"""Scenario documents (YAML/JSON, already parsed into dicts) -> `Scenario` values.

Every invalid value is reported at once in one `ScenarioError`, each message
with the path of the value (`tasks[2].oom_score_adj: ...`). Reading files is
the caller's job; `parse_scenario_text` parses text that was handed in.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from ..errors import ContentError
from .k8s import QoSClass, container_oom_score_adj
from .kernel import DEFAULT_KERNEL, KernelVersion
from .model import Cgroup, Constraint, Machine, OomEvent, Sysctls, System, Task
from .units import SizeError, parse_bytes, parse_pages

TASK_FLAGS = (
    "init",
    "kthread",
    "no_mm",
    "in_vfork",
    "mm_reaped",
    "oom_victim",
    "oom_origin",
    "cap_sys_admin",
    "cap_sys_resource",
    "cap_sys_rawio",
    "numa_ineligible",
)
TIERS = ("easy", "medium", "hard")
_CONSTRAINTS = {
    "global": Constraint.NONE,
    "none": Constraint.NONE,
    "memcg": Constraint.MEMCG,
    "cpuset": Constraint.CPUSET,
    "mempolicy": Constraint.MEMORY_POLICY,
}
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_TOP_KEYS = {
    "id", "title", "story", "kernel", "tier", "tags", "machine", "cgroup_version", "sysctls",
    "cgroups", "oom", "kubernetes", "tasks", "questions",
}  # fmt: skip
_TASK_KEYS = {
    "pid", "name", "uid", "rss", "rss_anon", "rss_file", "rss_shmem", "swap", "pgtables_bytes",
    "oom_score_adj", "oom_adj", "cgroup", "mm", "parent", "flags", "total_vm", "cpu_jiffies",
    "run_seconds", "nice", "pod",
}  # fmt: skip


class ScenarioError(ContentError):
    """A scenario is invalid; `errors` lists every problem found."""

    def __init__(self, errors: list[str], source: str = "scenario") -> None:
        self.errors = errors
        self.source = source
        super().__init__(
            f"{source}: {len(errors)} error(s):\n" + "\n".join(f"  {e}" for e in errors)
        )


@dataclass(frozen=True)
class QuestionHints:
    victim: bool = True
    oom_score: tuple[int, ...] = ()
    kernels: tuple[str, ...] = ()


@dataclass(frozen=True)
class Scenario:
    id: str
    title: str
    story: str
    kernel: str
    system: System
    tier: str = "medium"
    tags: tuple[str, ...] = ()
    questions: QuestionHints = field(default_factory=QuestionHints)
    adj_notes: tuple[tuple[int, str], ...] = ()  # pid -> how kubelet derived its adj
    source: dict[str, Any] = field(default_factory=dict)


def parse_scenario_text(text: str, source: str = "scenario") -> dict[str, Any]:
    """Parse YAML (JSON is valid YAML, but is tried first for its clearer errors)."""
    try:
        data = json.loads(text) if text.lstrip().startswith("{") else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise ScenarioError([f"not valid YAML/JSON: {exc}"], source) from exc
    if not isinstance(data, dict):
        raise ScenarioError(["the document must be a mapping (key: value pairs)"], source)
    return data


class _Reader:
    def __init__(self) -> None:
        self.errors: list[str] = []

    def error(self, path: str, message: str) -> None:
        self.errors.append(f"{path}: {message}")

    def mapping(self, value: object, path: str) -> Mapping[str, Any]:
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            self.error(path, "must be a mapping")
            return {}
        return value

    def unknown(self, data: Mapping[str, Any], allowed: set[str], path: str) -> None:
        for key in data:
            if key not in allowed:
                self.error(
                    f"{path}{key}" if path else str(key),
                    f"unknown key (allowed: {', '.join(sorted(allowed))})",
                )

    def integer(
        self,
        data: Mapping[str, Any],
        key: str,
        path: str,
        default: int,
        low: int | None = None,
        high: int | None = None,
    ) -> int:
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(path + key, f"{value!r} is not an integer")
            return default
        if (low is not None and value < low) or (high is not None and value > high):
            self.error(path + key, f"{value} is outside {low}..{high}")
            return default
        return value

    def boolean(self, data: Mapping[str, Any], key: str, path: str, default: bool = False) -> bool:
        value = data.get(key, default)
        if isinstance(value, bool):
            return value
        if isinstance(value, int) and value in (0, 1):
            return bool(value)
        self.error(path + key, f"{value!r} is not true/false")
        return default

    def text(self, data: Mapping[str, Any], key: str, path: str, default: str | None = None) -> str:
        value = data.get(key, default)
        if value is None:
            self.error(path + key, "is required")
            return ""
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            self.error(path + key, f"{value!r} is not text")
            return ""
        return str(value)

    def pages(
        self, data: Mapping[str, Any], key: str, path: str, page_size: int, default: int = 0
    ) -> int:
        if key not in data:
            return default
        try:
            return parse_pages(data[key], page_size)
        except SizeError as exc:
            self.error(path + key, str(exc))
            return default

    def limit(self, data: Mapping[str, Any], key: str, path: str, page_size: int) -> int | None:
        value = data.get(key)
        if value is None or value == "max":
            return None
        try:
            return parse_pages(value, page_size)
        except SizeError as exc:
            self.error(path + key, str(exc) + " (or 'max')")
            return None

    def size_bytes(self, data: Mapping[str, Any], key: str, path: str, default: int = 0) -> int:
        if key not in data:
            return default
        try:
            return parse_bytes(data[key])
        except SizeError as exc:
            self.error(path + key, str(exc))
            return default


def load_scenario(data: Mapping[str, Any], source: str = "scenario") -> Scenario:
    """Validate a scenario document and build the `System` it describes."""
    r = _Reader()
    if not isinstance(data, Mapping):
        raise ScenarioError(["the document must be a mapping"], source)
    r.unknown(data, _TOP_KEYS, "")
    scenario_id = r.text(data, "id", "")
    if scenario_id and not _ID.match(scenario_id):
        r.error("id", f"{scenario_id!r} must be lower-case letters, digits and dashes")
    title = r.text(data, "title", "", default=scenario_id)
    story = r.text(data, "story", "")
    kernel = r.text(data, "kernel", "", default=DEFAULT_KERNEL)
    version = None
    try:
        version = KernelVersion.parse(kernel)
    except ValueError as exc:
        r.error("kernel", str(exc))
    tier = r.text(data, "tier", "", default="medium")
    if tier not in TIERS:
        r.error("tier", f"{tier!r} is not one of {', '.join(TIERS)}")
    tags_raw = data.get("tags", [])
    tags: tuple[str, ...] = ()
    if not isinstance(tags_raw, list) or not all(isinstance(t, str) for t in tags_raw):
        r.error("tags", "must be a list of strings")
    else:
        tags = tuple(tags_raw)

    m = r.mapping(data.get("machine"), "machine")
    r.unknown(m, {"ram", "swap", "page_size", "hz"}, "machine.")
    page_size = r.integer(m, "page_size", "machine.", 4096, 512, 1 << 21)
    if page_size & (page_size - 1):
        r.error("machine.page_size", f"{page_size} is not a power of two")
        page_size = 4096
    if "ram" not in m:
        r.error("machine.ram", "is required (e.g. 16GiB or a number of pages)")
    ram = r.pages(m, "ram", "machine.", page_size, 1)
    if ram == 0:
        r.error("machine.ram", "must be more than 0")
        ram = 1
    machine = Machine(
        ram_pages=ram,
        swap_pages=r.pages(m, "swap", "machine.", page_size),
        page_size=page_size,
        hz=r.integer(m, "hz", "machine.", 1000, 12, 12287),
    )
    cgroup_version = r.integer(data, "cgroup_version", "", 2, 1, 2)

    s = r.mapping(data.get("sysctls"), "sysctls")
    r.unknown(s, {"panic_on_oom", "oom_kill_allocating_task", "swappiness"}, "sysctls.")
    sysctls = Sysctls(
        panic_on_oom=r.integer(s, "panic_on_oom", "sysctls.", 0, 0, 2),
        oom_kill_allocating_task=r.boolean(s, "oom_kill_allocating_task", "sysctls."),
        swappiness=r.integer(s, "swappiness", "sysctls.", 60, 0, 200),
    )

    cgroups: list[Cgroup] = []
    raw_cgroups = data.get("cgroups", [])
    if not isinstance(raw_cgroups, list):
        r.error("cgroups", "must be a list")
        raw_cgroups = []
    for i, raw in enumerate(raw_cgroups):
        path = f"cgroups[{i}]."
        c = r.mapping(raw, path.rstrip("."))
        r.unknown(
            c, {"path", "memory_max", "swap_max", "memsw_max", "swappiness", "oom_group"}, path
        )
        cpath = r.text(c, "path", path)
        if cpath and not cpath.startswith("/"):
            r.error(path + "path", f"{cpath!r} must start with /")
        swappiness = None
        if "swappiness" in c:
            swappiness = r.integer(c, "swappiness", path, 60, 0, 200)
            if cgroup_version == 2:
                r.error(
                    path + "swappiness",
                    "cgroup v2 has no per-cgroup swappiness (use sysctls.swappiness)",
                )
        cg = Cgroup(
            path=cpath,
            memory_max=r.limit(c, "memory_max", path, page_size),
            swap_max=r.limit(c, "swap_max", path, page_size),
            memsw_max=r.limit(c, "memsw_max", path, page_size),
            swappiness=swappiness,
            oom_group=r.boolean(c, "oom_group", path),
        )
        if cgroup_version == 1 and "swap_max" in c:
            r.error(path + "swap_max", "cgroup v1 has no memory.swap.max (use memsw_max)")
        if cgroup_version == 2 and "memsw_max" in c:
            r.error(path + "memsw_max", "cgroup v2 has no memsw limit (use swap_max)")
        if cgroup_version == 1 and cg.oom_group:
            r.error(path + "oom_group", "memory.oom.group exists only in cgroup v2")
        if cg.memsw_max is not None and cg.memory_max is not None and cg.memsw_max < cg.memory_max:
            r.error(path + "memsw_max", "must be at least memory_max (the kernel refuses it)")
        if cpath in {x.path for x in cgroups}:
            r.error(path + "path", f"{cpath} is listed twice")
        cgroups.append(cg)

    o = r.mapping(data.get("oom"), "oom")
    r.unknown(o, {"constraint", "memcg", "allowed_memory", "allocating", "sysrq"}, "oom.")
    constraint_name = r.text(o, "constraint", "oom.", default="global")
    constraint = _CONSTRAINTS.get(constraint_name.lower())
    if constraint is None:
        r.error("oom.constraint", f"{constraint_name!r} is not one of {', '.join(_CONSTRAINTS)}")
        constraint = Constraint.NONE
    memcg = o.get("memcg")
    if constraint is Constraint.MEMCG:
        if not isinstance(memcg, str):
            r.error("oom.memcg", "a memcg OOM needs the path of the cgroup whose limit was hit")
            memcg = None
        elif (
            memcg not in {c.path for c in cgroups}
            or next(c for c in cgroups if c.path == memcg).memory_max is None
        ):
            r.error("oom.memcg", f"{memcg} must be listed under cgroups with a memory_max")
    elif memcg is not None:
        r.error("oom.memcg", "only a memcg OOM has a memcg")
        memcg = None
    allowed = None
    if constraint in (Constraint.CPUSET, Constraint.MEMORY_POLICY):
        if "allowed_memory" not in o:
            r.error(
                "oom.allowed_memory", "a cpuset/mempolicy OOM needs the size of the allowed nodes"
            )
        allowed = r.pages(o, "allowed_memory", "oom.", page_size)
    allocating = o.get("allocating")
    if allocating is not None and (isinstance(allocating, bool) or not isinstance(allocating, int)):
        r.error("oom.allocating", f"{allocating!r} is not a pid")
        allocating = None
    event = OomEvent(
        constraint=constraint,
        memcg=memcg if isinstance(memcg, str) else None,
        allowed_pages=allowed,
        allocating_pid=allocating,
        sysrq=r.boolean(o, "sysrq", "oom."),
    )

    k = r.mapping(data.get("kubernetes"), "kubernetes")
    r.unknown(k, {"memory_capacity"}, "kubernetes.")
    capacity = r.size_bytes(k, "memory_capacity", "kubernetes.", machine.ram_pages * page_size)

    tasks, adj_notes = _tasks(r, data.get("tasks"), page_size, capacity)
    pids = [t.pid for t in tasks]
    for pid in sorted({p for p in pids if pids.count(p) > 1}):
        r.error("tasks", f"pid {pid} is used twice")
    if allocating is not None and allocating not in pids:
        r.error("oom.allocating", f"no task has pid {allocating}")
    for i, t in enumerate(tasks):
        if t.parent is not None and t.parent not in pids:
            r.error(f"tasks[{i}].parent", f"no task has pid {t.parent}")
        if t.cgroup != "/" and cgroup_version == 2 and t.pid == 1 and t.init:
            r.error(f"tasks[{i}].cgroup", "global init lives in the root cgroup")

    sharers: dict[str, Task] = {}
    for i, t in enumerate(tasks):
        if t.mm is None:
            continue
        first = sharers.setdefault(t.mm, t)
        fields = (
            "rss_anon",
            "rss_file",
            "rss_shmem",
            "swapents",
            "pgtables_bytes",
            "oom_score_adj",
        )
        if any(getattr(first, f) != getattr(t, f) for f in fields):
            r.error(
                f"tasks[{i}].mm",
                f"shares mm {t.mm!r} with pid {first.pid}, so its rss, swap, page tables and "
                "oom_score_adj must be the same (they are per-mm counters)",
            )

    q = r.mapping(data.get("questions"), "questions")
    r.unknown(q, {"victim", "oom_score", "kernels"}, "questions.")
    score_pids = q.get("oom_score", [])
    if not isinstance(score_pids, list) or not all(
        isinstance(p, int) and p in pids for p in score_pids
    ):
        r.error("questions.oom_score", "must be a list of pids of listed tasks")
        score_pids = []
    kernels = q.get("kernels", [])
    if not isinstance(kernels, list):
        r.error("questions.kernels", "must be a list of kernel versions")
        kernels = []
    for kv in kernels:
        try:
            KernelVersion.parse(str(kv))
        except ValueError as exc:
            r.error("questions.kernels", str(exc))
    hints = QuestionHints(
        victim=r.boolean(q, "victim", "questions.", True),
        oom_score=tuple(score_pids),
        kernels=tuple(str(kv) for kv in kernels),
    )
    if version is not None and version < KernelVersion(4, 5) and cgroup_version == 2 and cgroups:
        r.error("cgroup_version", f"kernel {kernel} predates the cgroup v2 memory controller (4.5)")

    if r.errors:
        raise ScenarioError(r.errors, source)
    system = System(
        machine=machine,
        tasks=tuple(tasks),
        cgroups=tuple(cgroups),
        cgroup_version=cgroup_version,
        sysctls=sysctls,
        event=event,
    )
    return Scenario(
        id=scenario_id,
        title=title,
        story=story,
        kernel=kernel,
        system=system,
        tier=tier,
        tags=tags,
        questions=hints,
        adj_notes=tuple(adj_notes),
        source=dict(data),
    )


def _tasks(
    r: _Reader, raw_tasks: object, page_size: int, capacity: int
) -> tuple[list[Task], list[tuple[int, str]]]:
    if not isinstance(raw_tasks, list) or not raw_tasks:
        r.error("tasks", "must be a non-empty list")
        return [], []
    tasks: list[Task] = []
    pods: list[tuple[int, Mapping[str, Any], str]] = []
    for i, raw in enumerate(raw_tasks):
        path = f"tasks[{i}]."
        t = r.mapping(raw, path.rstrip("."))
        r.unknown(t, _TASK_KEYS, path)
        pid = r.integer(t, "pid", path, -1, 1, 4194304)
        if "pid" not in t:
            r.error(path + "pid", "is required")
        name = r.text(t, "name", path)
        if "rss" in t and any(k in t for k in ("rss_anon", "rss_file", "rss_shmem")):
            r.error(path + "rss", "give either rss (all anonymous) or rss_anon/rss_file/rss_shmem")
        flags_raw = t.get("flags", [])
        flags: set[str] = set()
        if not isinstance(flags_raw, list):
            r.error(path + "flags", "must be a list")
        else:
            for flag in flags_raw:
                if flag not in TASK_FLAGS:
                    r.error(
                        path + "flags", f"unknown flag {flag!r} (known: {', '.join(TASK_FLAGS)})"
                    )
                else:
                    flags.add(flag)
        adj = r.integer(t, "oom_score_adj", path, 0, -1000, 1000)
        oom_adj = None
        if "oom_adj" in t:
            oom_adj = r.integer(t, "oom_adj", path, 0, -17, 15)
        if "pod" in t:
            if "oom_score_adj" in t:
                r.error(path + "pod", "give either pod (kubelet computes the adj) or oom_score_adj")
            pods.append((i, r.mapping(t["pod"], path + "pod"), path + "pod."))
        cgroup = r.text(t, "cgroup", path, default="/")
        if not cgroup.startswith("/"):
            r.error(path + "cgroup", f"{cgroup!r} must start with /")
        parent = t.get("parent")
        if parent is not None and (isinstance(parent, bool) or not isinstance(parent, int)):
            r.error(path + "parent", f"{parent!r} is not a pid")
            parent = None
        mm = t.get("mm")
        if mm is not None and not isinstance(mm, str | int):
            r.error(path + "mm", "must be a name shared by the processes sharing one mm")
            mm = None
        tasks.append(
            Task(
                pid=pid,
                name=name,
                uid=r.integer(t, "uid", path, 0, 0, 2**32 - 1),
                rss_anon=r.pages(t, "rss", path, page_size)
                if "rss" in t
                else r.pages(t, "rss_anon", path, page_size),
                rss_file=r.pages(t, "rss_file", path, page_size),
                rss_shmem=r.pages(t, "rss_shmem", path, page_size),
                swapents=r.pages(t, "swap", path, page_size),
                pgtables_bytes=r.size_bytes(t, "pgtables_bytes", path),
                oom_score_adj=adj,
                cgroup=cgroup,
                mm=str(mm) if mm is not None else None,
                parent=parent,
                init="init" in flags,
                kthread="kthread" in flags,
                no_mm="no_mm" in flags,
                in_vfork="in_vfork" in flags,
                mm_reaped="mm_reaped" in flags,
                oom_victim="oom_victim" in flags,
                oom_origin="oom_origin" in flags,
                cap_sys_admin="cap_sys_admin" in flags,
                numa_eligible="numa_ineligible" not in flags,
                total_vm=r.pages(t, "total_vm", path, page_size),
                cpu_jiffies=r.integer(t, "cpu_jiffies", path, 0, 0, None),
                run_seconds=r.integer(t, "run_seconds", path, 0, 0, None),
                nice=r.integer(t, "nice", path, 0, -20, 19),
                cap_sys_resource="cap_sys_resource" in flags,
                cap_sys_rawio="cap_sys_rawio" in flags,
                oom_adj=oom_adj,
            )
        )
    notes = _apply_pods(r, tasks, pods, capacity)
    return tasks, notes


def _apply_pods(
    r: _Reader, tasks: list[Task], pods: list[tuple[int, Mapping[str, Any], str]], capacity: int
) -> list[tuple[int, str]]:
    from dataclasses import replace

    from .k8s import explain_adj

    parsed: list[tuple[int, str, QoSClass, int, bool, bool]] = []
    for i, pod, path in pods:
        r.unknown(pod, {"name", "qos", "memory_request", "sidecar", "node_critical"}, path)
        try:
            qos = QoSClass.parse(r.text(pod, "qos", path))
        except ValueError as exc:
            r.error(path + "qos", str(exc))
            continue
        request = r.size_bytes(pod, "memory_request", path)
        if qos is QoSClass.BURSTABLE and "memory_request" not in pod:
            r.error(
                path + "memory_request",
                "a Burstable container needs its memory request (0 if only CPU is requested)",
            )
        parsed.append(
            (
                i,
                r.text(pod, "name", path, default=""),
                qos,
                request,
                r.boolean(pod, "sidecar", path),
                r.boolean(pod, "node_critical", path),
            )
        )
    notes: list[tuple[int, str]] = []
    for i, pod_name, qos, request, sidecar, critical in parsed:
        smallest = None
        if sidecar:
            regular = [
                req for j, nm, q, req, sc, _ in parsed if nm == pod_name and not sc and j != i
            ]
            smallest = min(regular) if regular else None
        adj = container_oom_score_adj(
            qos, request, capacity, node_critical=critical, sidecar_min_regular_request=smallest
        )
        note = "node-critical pod: -997" if critical else explain_adj(qos, request, capacity, adj)
        if smallest is not None:
            note += f"; sidecar capped at the adj of the smallest regular request ({smallest:,} B) -> {adj}"
        tasks[i] = replace(tasks[i], oom_score_adj=adj)
        notes.append((tasks[i].pid, note))
    return notes

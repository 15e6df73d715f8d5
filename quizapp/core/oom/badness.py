"""`oom_badness()`, `totalpages` and `/proc/<pid>/oom_score`, era by era (spec §1-§3, §5).

Every function returns the number *and* a sentence saying how it was made, so
the explanation the learner reads is produced by the same code that decides.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .arith import ULONG_MAX, as_ulong, cdiv, int_sqrt, shift_hz, wrap_int32
from .kernel import Era, KernelRules
from .legacy import OOM_DISABLE, OOM_SCORE_ADJ_MIN, oom_adj_read
from .model import Constraint, System, Task

PAGE_COUNTER_MAX = 2**63 // 4096  # "max": larger than any real amount of memory


def n(value: int) -> str:
    """A number as the explanations print it: 5,111,808."""
    return f"{value:,}"


@dataclass(frozen=True)
class Badness:
    """The value select_bad_process compares; `points is None` means ineligible."""

    points: int | None
    how: str
    excluded: str | None = None


def unkillable_reason(task: Task) -> str | None:
    """`oom_unkillable_task()` plus the mm check every era makes first."""
    if task.init:
        return "global init (PID 1) is never chosen"
    if task.kthread:
        return "kernel threads are never chosen"
    if task.no_mm:
        return "it has no memory left (already exited)"
    return None


def legacy_oom_adj(task: Task) -> int:
    return task.oom_adj if task.oom_adj is not None else oom_adj_read(task.oom_score_adj)


def oom_badness(
    task: Task,
    totalpages: int,
    rules: KernelRules,
    page_size: int = 4096,
    children: Sequence[Task] = (),
    hz: int = 1000,
    explain: bool = True,
) -> Badness:
    """The kernel's score for one task in one OOM domain of `totalpages` pages.

    `explain=False` skips building the sentence (`how` is empty): the same number, faster.
    """
    if rules.era is Era.HEURISTIC:
        if task.no_mm or task.kthread:
            gone = "it has no mm (kernel thread or exited)"
            return Badness(0, gone, gone)
        return _heuristic_badness(task, rules, children, hz)
    reason = unkillable_reason(task)
    if reason is not None:
        return Badness(None, reason, reason)
    if task.oom_score_adj == OOM_SCORE_ADJ_MIN:
        reason = "oom_score_adj is -1000 (OOM_SCORE_ADJ_MIN): never killed"
        return Badness(None, reason, reason)
    if task.mm_reaped:
        reason = "its mm is already reaped (MMF_OOM_SKIP)"
        return Badness(None, reason, reason)
    if task.in_vfork:
        reason = "it is in the middle of vfork()"
        return Badness(None, reason, reason)
    if rules.era is Era.PERMILLE:
        return _permille_badness(task, totalpages, rules, page_size)
    if not explain and not task.cap_sys_admin:
        points = (
            task.rss_anon + task.rss_file + task.rss_shmem + task.swapents
            + (task.pgtables_bytes // page_size if rules.pgtables_counted else 0)
            + task.oom_score_adj * (totalpages // 1000)
        )  # fmt: skip
        if rules.era is not Era.PAGES_SIGNED and points < 1:
            points = 1
        return Badness(points, "")
    return _pages_badness(task, totalpages, rules, page_size)


def _usage(task: Task, rules: KernelRules, page_size: int) -> tuple[int, str]:
    parts = [f"rss {n(task.rss)}"]
    total = task.rss
    if task.swapents:
        parts.append(f"swap {n(task.swapents)}")
        total += task.swapents
    if rules.pgtables_counted:
        pgt = task.pgtables_bytes // page_size
        total += pgt
        if task.pgtables_bytes:
            parts.append(f"page tables {n(pgt)} ({n(task.pgtables_bytes)} B / {page_size})")
    text = " + ".join(parts)
    if len(parts) > 1:
        text += f" = {n(total)}"
    return total, text


def _pages_badness(task: Task, totalpages: int, rules: KernelRules, page_size: int) -> Badness:
    points, how = _usage(task, rules, page_size)
    adj = task.oom_score_adj
    if task.cap_sys_admin and rules.era is Era.PAGES_PCT_BONUS:
        bonus = points * 3 // 100
        points -= bonus
        how += f"; root bonus -{n(bonus)} (3% of usage) = {n(points)}"
    if task.cap_sys_admin and rules.era is Era.PAGES_ADJ_BONUS:
        adj -= 30
        how += f"; root bonus: adj {task.oom_score_adj} - 30 = {adj}"
    unit = totalpages // 1000
    adj_term = adj * unit
    total = points + adj_term
    if adj:
        how += f"; adj {adj} x {n(unit)} (totalpages/1000) = {n(adj_term)} -> {n(total)}"
    if rules.era is not Era.PAGES_SIGNED and total < 1:
        how += " -> clamped to 1"
        total = 1
    return Badness(total, how)


def _permille_badness(task: Task, totalpages: int, rules: KernelRules, page_size: int) -> Badness:
    usage, how = _usage(task, rules, page_size)
    total = totalpages or 1
    if rules.int_points_overflow:
        # `int points` (2.6.39-3.1): the sum and the *1000 wrap at 32 bits, the division
        # converts to unsigned long and the result is truncated back to int.
        product = wrap_int32(wrap_int32(usage) * 1000)
        points = wrap_int32(as_ulong(product) // total)
        if usage * 1000 >= 2**31:
            how += f"; x1000 overflows the 32-bit int -> {n(product)}; / {n(total)} -> {n(points)}"
        else:
            how += f"; x1000 / {n(total)} = {n(points)} per mille"
    else:
        points = usage * 1000 // total
        how += f"; x1000 / {n(total)} = {n(points)} per mille"
    if task.cap_sys_admin:
        points -= 30
        how += f"; root bonus -30 = {points}"
    if task.oom_score_adj:
        points += task.oom_score_adj
        how += f"; + adj {task.oom_score_adj} = {points}"
    if points <= 0:
        how += " -> clamped to 1"
        points = 1
    elif points > 1000:
        how += " -> clamped to 1000"
        points = 1000
    return Badness(points, how)


def _heuristic_badness(
    task: Task, rules: KernelRules, children: Sequence[Task], hz: int
) -> Badness:
    oom_adj = legacy_oom_adj(task)
    if rules.heuristic_disable_check and oom_adj == OOM_DISABLE:
        reason = "oom_adj is -17 (OOM_DISABLE)"
        return Badness(0, reason, None)
    if task.oom_origin:
        return Badness(ULONG_MAX, "it started the OOM (swapoff): ULONG_MAX")
    points = task.total_vm
    how = f"total_vm {n(points)}"
    for child in children:
        if child.mm_key != task.mm_key and not child.no_mm:
            points += child.total_vm // 2 + 1
            how += f" + child {child.name} {n(child.total_vm)}/2+1"
    if children:
        how += f" = {n(points)}"
    cpu_time = task.cpu_jiffies >> (shift_hz(hz) + 3)
    run_time = task.run_seconds >> 10
    if cpu_time:
        points //= int_sqrt(cpu_time)
        how += f"; / int_sqrt(cpu {cpu_time}) = {n(points)}"
    if run_time:
        points //= int_sqrt(int_sqrt(run_time))
        how += f"; / int_sqrt(int_sqrt(run {run_time})) = {n(points)}"
    if task.nice > 0:
        points *= 2
        how += f"; niced x2 = {n(points)}"
    privileged = task.cap_sys_admin or (
        task.uid == 0 if rules.heuristic_uid0_bonus else task.cap_sys_resource
    )
    if privileged:
        points //= 4
        how += f"; privileged /4 = {n(points)}"
    if task.cap_sys_rawio:
        points //= 4
        how += f"; CAP_SYS_RAWIO /4 = {n(points)}"
    if not task.numa_eligible:
        points //= 8
        how += f"; other nodes /8 = {n(points)}"
    if oom_adj > 0:
        if points == 0 and rules.heuristic_disable_check:
            points = 1
        points = (points << oom_adj) & ULONG_MAX
        how += f"; oom_adj {oom_adj}: << {oom_adj} = {n(points)}"
    elif oom_adj < 0:
        points >>= -oom_adj
        how += f"; oom_adj {oom_adj}: >> {-oom_adj} = {n(points)}"
    return Badness(points, how)


def global_totalpages(system: System) -> int:
    return system.machine.ram_pages + system.machine.swap_pages


def totalpages(system: System, rules: KernelRules) -> tuple[int, str]:
    """`oc->totalpages` for the event's constraint, with how it was computed."""
    machine, event = system.machine, system.event
    swap = machine.swap_pages
    if event.constraint is Constraint.NONE:
        total = machine.ram_pages + swap
        return total, f"RAM {n(machine.ram_pages)} + swap {n(swap)} = {n(total)} pages"
    if event.constraint is not Constraint.MEMCG:
        allowed = event.allowed_pages or 0
        total = allowed + swap
        return total, f"allowed nodes {n(allowed)} + swap {n(swap)} = {n(total)} pages"
    assert event.memcg is not None
    cgroup = system.cgroup(event.memcg)
    limit = cgroup.memory_max if cgroup.memory_max is not None else PAGE_COUNTER_MAX
    v1 = system.cgroup_version == 1
    if v1 and cgroup.swappiness is not None:
        swappiness, source = cgroup.swappiness, "memory.swappiness"
    else:
        swappiness, source = system.sysctls.swappiness, "vm.swappiness"
    limit_name = "memory.limit_in_bytes" if v1 else "memory.max"
    how = f"{limit_name} {n(limit)}"
    if not swappiness:
        total = limit
        how += f" (swap not counted: {source} is 0)"
    elif rules.memcg_max_split:
        if v1:
            memsw = cgroup.memsw_max if cgroup.memsw_max is not None else PAGE_COUNTER_MAX
            room = memsw - limit
            add = min(room, swap)
            total = limit + add
            how += (
                f" + min(memsw {_lim(cgroup.memsw_max)} - limit = {_lim_n(room)}, swap {n(swap)})"
            )
        else:
            swap_max = cgroup.swap_max if cgroup.swap_max is not None else PAGE_COUNTER_MAX
            add = min(swap_max, swap)
            total = limit + add
            how += f" + min(memory.swap.max {_lim(cgroup.swap_max)}, swap {n(swap)})"
        how += f" = {n(total)} pages"
    else:
        memsw = cgroup.memsw_max if (v1 and cgroup.memsw_max is not None) else PAGE_COUNTER_MAX
        swap_max = cgroup.swap_max if (not v1 and cgroup.swap_max is not None) else PAGE_COUNTER_MAX
        total = min(limit + min(swap_max, swap), memsw)
        how += f" + min(swap limit {_lim_n(swap_max)}, swap {n(swap)})"
        if memsw != PAGE_COUNTER_MAX:
            how += f", capped at memsw {n(memsw)}"
        how += f" = {n(total)} pages"
    if total == 0:
        total = 1
        how += " (0 becomes 1)"
    return total, how


def _lim(value: int | None) -> str:
    return "max" if value is None else n(value)


def _lim_n(value: int) -> str:
    return "max" if value >= PAGE_COUNTER_MAX // 2 else n(value)


def proc_oom_score(
    task: Task, system: System, rules: KernelRules, children: Sequence[Task] = ()
) -> int:
    """What `cat /proc/<pid>/oom_score` prints: always the global domain (spec §2.1)."""
    total = global_totalpages(system)
    machine = system.machine
    badness = oom_badness(task, total, rules, machine.page_size, children, machine.hz)
    return proc_score_from_badness(badness.points, total, rules)


def proc_score_from_badness(points: int | None, total: int, rules: KernelRules) -> int:
    """/proc/<pid>/oom_score from a badness computed against the global `total`."""
    if rules.era is Era.HEURISTIC:
        return points or 0
    if points is None:
        return 0
    if rules.era is Era.PERMILLE:
        return points
    if rules.era is Era.PAGES_SIGNED:
        return as_ulong(cdiv((1000 + cdiv(points * 1000, total)) * 2, 3))
    return points * 1000 // total


def proc_oom_score_how(points: int | None, total: int, rules: KernelRules) -> str:
    """The /proc formula spelled out for one badness value (for explanations)."""
    if points is None:
        return "ineligible -> 0"
    if rules.era is Era.PAGES_SIGNED:
        inner = cdiv(points * 1000, total)
        value = cdiv((1000 + inner) * 2, 3)
        return (
            f"{n(points)} x 1000 / {n(total)} = {inner} (truncated toward zero); "
            f"(1000 + {inner}) x 2 / 3 = {value}"
        )
    if rules.era is Era.PERMILLE or rules.era is Era.HEURISTIC:
        return f"the badness itself: {n(points)}"
    return f"{n(points)} x 1000 / {n(total)} = {points * 1000 // total}"

"""`out_of_memory()`: constraint, panic check, select_bad_process, oom_kill_process (spec §4-§7).

The control flow follows mm/oom_kill.c of the chosen kernel; the scoring lives
in `badness.py`. `simulate(system, kernel)` is the single entry point.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from .arith import LONG_MAX, ULONG_MAX
from .badness import (
    Badness,
    global_totalpages,
    legacy_oom_adj,
    n,
    oom_badness,
    proc_oom_score_how,
    proc_score_from_badness,
    totalpages,
    unkillable_reason,
)
from .kernel import DEFAULT_KERNEL, ChildSacrifice, Era, KernelRules, KernelVersion, TieRule
from .legacy import OOM_DISABLE, OOM_SCORE_ADJ_MIN
from .model import Constraint, System, Task, TaskTable, in_cgroup_subtree, parent_cgroup
from .result import KilledTask, OomResult, Outcome, Scores, TaskScore

EXPLAIN_ALL_LIMIT = 200  # above this many tasks, only the top ones get a written explanation
EXPLAINED_TOP = 50


def _plain(task: Task) -> bool:
    """True if `oom_badness` is the bare sum for this task (no exclusion, no root bonus)."""
    return not (
        task.init
        or task.kthread
        or task.no_mm
        or task.mm_reaped
        or task.in_vfork
        or task.cap_sys_admin
        or task.oom_score_adj == OOM_SCORE_ADJ_MIN
    )


def label(task: Task) -> str:
    return f"{task.name} (pid {task.pid})"


def cgroup_order(system: System) -> list[str]:
    """Every cgroup path in creation order: declared ones first, then as tasks mention them."""
    seen: dict[str, None] = {"/": None}

    def add(path: str) -> None:
        chain = []
        current: str | None = path
        while current is not None and current not in seen:
            chain.append(current)
            current = parent_cgroup(current)
        for item in reversed(chain):
            seen[item] = None

    for cgroup in system.cgroups:
        add(cgroup.path)
    for task in system.tasks:
        if task.cgroup not in seen:
            add(task.cgroup)
    return list(seen)


def scan_order(system: System) -> list[Task]:
    """The order the kernel visits tasks in (spec §4.3).

    Global OOMs walk every process in creation order (the order of `tasks`).
    Memcg OOMs walk the OOMing cgroup, then its descendants depth-first in
    creation order, each cgroup's processes in the order they are listed.
    """
    event = system.event
    if not event.constraint.is_memcg or event.memcg is None:
        return list(system.tasks)
    paths = cgroup_order(system)
    children: dict[str, list[str]] = {p: [] for p in paths}
    for path in paths:
        parent = parent_cgroup(path)
        if parent is not None:
            children[parent].append(path)
    ordered: list[str] = []
    stack = [event.memcg]
    while stack:
        path = stack.pop()
        ordered.append(path)
        stack.extend(reversed(children.get(path, [])))
    by_cgroup: dict[str, list[Task]] = {}
    for task in system.tasks:
        group = by_cgroup.get(task.cgroup)
        if group is None:
            by_cgroup[task.cgroup] = [task]
        else:
            group.append(task)
    if len(by_cgroup) == 1 and event.memcg in by_cgroup:
        return list(system.tasks)  # every task sits in the OOMing cgroup itself
    return [task for path in ordered for task in by_cgroup.get(path, [])]


@dataclass
class _Scan:
    points: dict[int, int | None] = field(default_factory=dict)  # badness by pid
    slow: dict[int, Badness] = field(default_factory=dict)  # full Badness, unless the bare sum
    excluded: dict[int, str] = field(default_factory=dict)
    order: list[Task] = field(default_factory=list)
    chosen: Task | None = None
    chosen_points: int = 0
    abort_by: Task | None = None
    origin: Task | None = None
    # a TaskTable's scan: per row (= scan order), the points it competes with or None
    ranked: list[int | None] | None = None
    chosen_index: int = -1


def simulate(
    system: System, kernel: str | KernelVersion = DEFAULT_KERNEL, *, proc_scores: bool = True
) -> OomResult:
    """Run one OOM event through the rules of `kernel` and explain the result.

    `proc_scores=False` skips /proc/<pid>/oom_score (reported as 0), for callers such
    as the report explainer that do not know the machine's real size.
    """
    rules = KernelRules.for_version(kernel)
    return _Simulation(system, rules, proc_scores).run()


def _scanned_table(system: System, rules: KernelRules, explain_all: bool) -> TaskTable | None:
    """The system's TaskTable if the scan can read its columns, in table order."""
    table, event = system.tasks, system.event
    if not isinstance(table, TaskTable) or explain_all or not rules.scores_in_pages:
        return None
    if event.constraint.is_memcg and event.memcg is not None and table.cgroup != event.memcg:
        return None
    if len(set(table.pid)) != len(table):
        return None  # repeated pids: scores are keyed by pid, so take the general path
    return table


class _Simulation:
    def __init__(self, system: System, rules: KernelRules, proc_scores: bool = True) -> None:
        self.proc_scores = proc_scores
        # Large systems (a 10,000-task report) explain only the tasks worth reading.
        self.explain_all = len(system.tasks) <= EXPLAIN_ALL_LIMIT
        # A long table of plain rows is scanned from its columns; anything else as Tasks.
        self.table = _scanned_table(system, rules, self.explain_all)
        if self.table is None and not isinstance(system.tasks, tuple):
            system = replace(system, tasks=tuple(system.tasks))
        self.children: dict[int, list[Task]] = {}
        for task in () if self.table is not None else system.tasks:  # a table has no parents
            if task.parent is not None and task.parent != task.pid:
                self.children.setdefault(task.parent, []).append(task)
        self.system = system
        self.rules = rules
        self.event = system.event
        self.machine = system.machine
        self.total, self.total_how = totalpages(system, rules)
        self.lines: list[str] = []

    # -- helpers -------------------------------------------------------------------

    def children_of(self, task: Task) -> list[Task]:
        return self.children.get(task.pid, [])

    def badness(self, task: Task, explain: bool | None = None) -> Badness:
        return oom_badness(
            task,
            self.total,
            self.rules,
            self.machine.page_size,
            self.children_of(task),
            self.machine.hz,
            self.explain_all if explain is None else explain,
        )

    def in_scope(self, task: Task) -> bool:
        event = self.event
        if event.constraint.is_memcg and event.memcg is not None:
            return in_cgroup_subtree(task.cgroup, event.memcg)
        return True

    @property
    def is_memcg(self) -> bool:
        return self.event.constraint.is_memcg

    # -- the flow of out_of_memory() -----------------------------------------------

    def run(self) -> OomResult:
        rules, event = self.rules, self.event
        self._intro()
        current = self.system.task(event.allocating_pid) if event.allocating_pid else None

        scan = self.select_bad_process()
        panic = self.check_panic_on_oom()
        if panic is not None:
            rule = f"vm.panic_on_oom={self.system.sysctls.panic_on_oom}: {panic}"
            self.lines.append(f"Outcome: kernel panic. {rule}.")
            return self._result(scan, Outcome.PANIC, None, None, (), rule, panic)

        shortcut = self.allocating_task_shortcut(current)
        if shortcut is not None:
            victim, rule = shortcut
            killed = self.oom_kill_process(victim, None)
            message = (
                "Out of memory (oom_kill_allocating_task)"
                if rules.era is not Era.HEURISTIC or event.constraint is Constraint.NONE
                else "Out of memory"
            )
            self.lines.append(f"Outcome: {label(victim)} is killed. {rule}.")
            self._kill_lines(killed)
            return self._result(scan, Outcome.KILL, victim, killed, message, rule, None)

        if scan.abort_by is not None:
            rule = (
                f"{label(scan.abort_by)} is an earlier OOM victim whose memory is not yet "
                "reaped, so the kernel waits for it instead of killing anything else"
            )
            self.lines.append(f"Outcome: nothing is killed this time. {rule}.")
            return self._result(scan, Outcome.ABORT, None, None, (), rule, None)

        if scan.chosen is None:
            rule = "no task in the OOM domain is eligible"
            panic = None
            if not event.sysrq and not self.is_memcg:
                panic = "System is deadlocked on memory"
                rule += (
                    "; a global OOM with nothing to kill panics: 'System is deadlocked on memory'"
                )
            elif self.is_memcg:
                rule += "; the memcg charge simply fails"
            self.lines.append(f"Outcome: Out of memory and no killable processes. {rule}.")
            outcome = Outcome.NO_KILLABLE
            return self._result(scan, outcome, None, None, (), rule, panic)

        rule = self._deciding_rule(scan)
        killed = self.oom_kill_process(scan.chosen, scan)
        message = "Memory cgroup out of memory" if self.is_memcg else "Out of memory"
        self.lines.append(f"Outcome: {label(scan.chosen)} is selected: {rule}.")
        self._kill_lines(killed)
        return self._result(scan, Outcome.KILL, scan.chosen, killed, message, rule, None)

    def _intro(self) -> None:
        rules, event = self.rules, self.event
        formulas = {
            Era.PAGES_SIGNED: "badness = rss + swap + page-table pages + oom_score_adj x "
            "(totalpages/1000), in pages, signed, never clamped",
            Era.PAGES_CLAMPED: "badness = rss + swap + page-table pages + oom_score_adj x "
            "(totalpages/1000), in pages, raised to 1 if lower",
            Era.PAGES_PCT_BONUS: "badness = rss + swap + page-table pages, minus 3% for "
            "CAP_SYS_ADMIN, + oom_score_adj x (totalpages/1000), raised to 1 if lower",
            Era.PAGES_ADJ_BONUS: "badness = rss + swap + page-table pages + (oom_score_adj, "
            "minus 30 for CAP_SYS_ADMIN) x (totalpages/1000), raised to 1 if lower",
            Era.PERMILLE: "badness = (rss + swap + page tables) x 1000 / totalpages, minus 30 "
            "for CAP_SYS_ADMIN, + oom_score_adj, clamped to 1..1000",
            Era.HEURISTIC: "badness = total_vm (+ half of each child's), divided by CPU and run "
            "time roots, doubled if niced, /4 for privileged, shifted by oom_adj",
        }
        self.lines.append(
            f"Kernel {rules.version} ({rules.era.value} rules): {formulas[rules.era]}."
        )
        where = f" in {event.memcg}" if self.is_memcg else ""
        unit = ""
        if rules.era is not Era.HEURISTIC and rules.era is not Era.PERMILLE:
            unit = f"; one oom_score_adj point is worth {n(self.total // 1000)} pages"
        self.lines.append(f"{event.constraint.value}{where}: totalpages = {self.total_how}{unit}.")

    def check_panic_on_oom(self) -> str | None:
        setting = self.system.sysctls.panic_on_oom
        if not setting or self.event.sysrq:
            return None
        if setting != 2 and self.event.constraint is not Constraint.NONE:
            return None
        kind = "compulsory" if setting == 2 else "system-wide"
        return f"Out of memory: {kind} panic_on_oom is enabled"

    def allocating_task_shortcut(self, current: Task | None) -> tuple[Task, str] | None:
        rules, event = self.rules, self.event
        if current is None:
            return None
        if rules.era is Era.HEURISTIC and event.constraint in (
            Constraint.CPUSET,
            Constraint.MEMORY_POLICY,
        ):
            return (
                current,
                "before 2.6.36 a cpuset/mempolicy-constrained OOM kills the allocating task",
            )
        if not self.system.sysctls.oom_kill_allocating_task or self.is_memcg:
            return None
        if unkillable_reason(current) is not None or not current.numa_eligible:
            return None
        adj_disabled = (
            legacy_oom_adj(current) == OOM_DISABLE
            if rules.era is Era.HEURISTIC
            else current.oom_score_adj == OOM_SCORE_ADJ_MIN
        )
        if adj_disabled:
            return None
        return current, (
            "vm.oom_kill_allocating_task=1 on a global OOM: the allocating task is killed "
            "without scanning"
        )

    def select_bad_process(self) -> _Scan:
        if self.table is not None:
            return self._select_from_table(self.table)
        rules = self.rules
        scan = _Scan()
        # The bare sum of oom_badness() for plain tasks, inline (the same arithmetic as
        # its explain=False branch); every other task takes the full path below.
        fast = rules.scores_in_pages and not self.explain_all
        page_size = self.machine.page_size
        pgtables = rules.pgtables_counted
        unit = self.total // 1000
        clamp = rules.era is not Era.PAGES_SIGNED
        last = rules.tie_rule is TieRule.LAST_SCANNED
        memcg = self.is_memcg
        points_of, slow = scan.points, scan.slow
        scan.order = scan_order(self.system)
        for task in scan.order:
            pid = task.pid
            if fast and not (  # `_plain`, inline, and nothing the checks below look at
                task.init
                or task.kthread
                or task.no_mm
                or task.mm_reaped
                or task.in_vfork
                or task.cap_sys_admin
                or task.oom_score_adj == OOM_SCORE_ADJ_MIN
                or task.oom_victim
                or task.oom_origin
                or not (memcg or task.numa_eligible)
            ):
                total = (
                    task.rss_anon + task.rss_file + task.rss_shmem + task.swapents
                    + (task.pgtables_bytes // page_size if pgtables else 0)
                    + task.oom_score_adj * unit
                )  # fmt: skip
                if clamp and total < 1:
                    total = 1
                points_of[pid] = total
                if slow:
                    slow.pop(pid, None)
                if scan.origin is None and (
                    scan.chosen is None
                    or total > scan.chosen_points
                    or (total == scan.chosen_points and last)
                ):
                    scan.chosen, scan.chosen_points = task, total
                continue
            points = self._visit(task, scan)
            if points is not None and (
                scan.chosen is None
                or points > scan.chosen_points
                or (points == scan.chosen_points and last)
            ):
                scan.chosen, scan.chosen_points = task, points
        return scan

    def _visit(self, task: Task, scan: _Scan) -> int | None:
        """The full path for one task: its badness and any exclusion recorded in `scan`.

        Returns the points it competes with, or None if it cannot be chosen by score.
        """
        rules, event = self.rules, self.event
        heuristic = rules.era is Era.HEURISTIC
        badness = self.badness(task)
        scan.points[task.pid] = badness.points
        scan.slow[task.pid] = badness
        if task.init:
            scan.excluded[task.pid] = "global init (PID 1) is never chosen"
            return None
        if task.kthread or (heuristic and task.no_mm):
            scan.excluded[task.pid] = unkillable_reason(task) or "no mm"
            return None
        if not heuristic and not self.is_memcg and not task.numa_eligible:
            scan.excluded[task.pid] = "its cpuset/mempolicy does not overlap the OOM's nodes"
            return None
        if task.oom_victim and not event.sysrq:
            if task.mm_reaped and not heuristic:
                scan.excluded[task.pid] = "an earlier OOM victim, already reaped (MMF_OOM_SKIP)"
                return None
            if scan.abort_by is None:
                scan.abort_by = task
            return None
        if heuristic and legacy_oom_adj(task) == OOM_DISABLE:
            scan.excluded[task.pid] = "oom_adj is -17 (OOM_DISABLE)"
            return None
        if task.oom_origin and not heuristic:
            scan.origin = task
            scan.chosen = task
            scan.chosen_points = LONG_MAX if rules.era is Era.PAGES_SIGNED else ULONG_MAX
            return None
        points = badness.points
        if points is None:
            scan.excluded[task.pid] = badness.excluded or "ineligible"
            return None
        if scan.origin is not None:
            return None
        return points

    def _select_from_table(self, table: TaskTable) -> _Scan:
        """select_bad_process over a TaskTable, whose order is the scan order.

        Plain rows score the bare sum of `oom_badness` (its explain=False branch) from the
        columns; the `special` rows take the full path. The highest score wins, the first
        or last of a tie by the kernel's rule.
        """
        scan = _Scan()
        rules, unit, page_size = self.rules, self.total // 1000, self.machine.page_size
        usage, adj = table.usage, table.oom_score_adj
        if rules.pgtables_counted:
            pgtables = table.pgtables_bytes
            sums = [
                u + g // page_size + a * unit for u, g, a in zip(usage, pgtables, adj, strict=True)
            ]
        else:
            sums = [u + a * unit for u, a in zip(usage, adj, strict=True)]
        if rules.era is not Era.PAGES_SIGNED:
            sums = [p if p >= 1 else 1 for p in sums]
        scan.points = dict(zip(table.pid, sums, strict=True))
        ranked: list[int | None] = list(sums)
        for i in sorted(table.special):
            ranked[i] = self._visit(table[i], scan)
        scan.ranked = ranked
        if scan.origin is not None:
            return scan
        eligible = [p for p in ranked if p is not None] if table.special else sums
        if eligible:
            best = max(eligible)
            if rules.tie_rule is TieRule.LAST_SCANNED:
                i = len(ranked) - 1 - ranked[::-1].index(best)
            else:
                i = ranked.index(best)
            scan.chosen, scan.chosen_points, scan.chosen_index = table[i], best, i
        return scan

    def _deciding_rule(self, scan: _Scan) -> str:
        chosen = scan.chosen
        assert chosen is not None
        if scan.origin is not None:
            return "it started this OOM itself (swapoff / KSM unmerge), so it is chosen outright"
        if chosen.oom_origin:
            return "it started this OOM itself (swapoff), so its badness is ULONG_MAX"
        # The eligible tasks tied with the choice, and the best of the others (the first
        # one scanned, if several share that score).
        points_of, excluded, best = scan.points, scan.excluded, scan.chosen_points
        ties: list[Task] = []
        second: int | None = None
        runner: Task | None = None
        if scan.ranked is not None:
            ranked, at, rows = scan.ranked, scan.chosen_index, self.system.tasks
            if ranked.count(best) > 1:
                ties = [rows[i] for i, p in enumerate(ranked) if p == best]
            others = ranked[:at] + ranked[at + 1 :]
            second = max((p for p in others if p is not None), default=None)
            if second is not None:
                i = others.index(second)
                runner = rows[i if i < at else i + 1]
        for t in scan.order:
            p = points_of[t.pid]
            if p is None or t.pid in excluded or t.oom_victim:
                continue
            if p == best:
                ties.append(t)
            if t.pid != chosen.pid and (second is None or p > second):
                second, runner = p, t
        points = n(best)
        if len(ties) > 1:
            names = ", ".join(label(t) for t in ties)
            return f"a tie at {points} between {names} in scan order; {self.rules.tie_rule_text()}"
        if second is None or runner is None:
            return f"it is the only eligible task (badness {points})"
        return (
            f"the highest badness, {points}, against {n(second)} for the runner-up {label(runner)}"
        )

    def oom_kill_process(self, chosen: Task, scan: _Scan | None) -> tuple[KilledTask, ...]:
        rules = self.rules
        victim = chosen
        why = "selected victim"
        if scan is not None and rules.child_sacrifice is not ChildSacrifice.NONE:
            victim, why = self._sacrifice_child(chosen, scan)
        killed: list[KilledTask] = [KilledTask(victim.pid, victim.name, why)]
        key = victim.mm_key
        for other in () if self.table is not None else self.system.tasks:  # rows share no mm
            if other.pid == victim.pid:
                continue
            if other.mm is None:  # mm_key is "pid:<pid>", built only when it could match
                if not key.startswith("pid:") or other.mm_key != key:
                    continue
            elif other.mm != key:
                continue
            if other.init:
                self.lines.append(
                    f"{label(other)} shares the victim's mm: the mm is pinned by init and not reaped."
                )
                continue
            if other.kthread:
                continue
            if rules.skip_unkillable_sharers and other.oom_score_adj == OOM_SCORE_ADJ_MIN:
                self.lines.append(f"{label(other)} shares the mm but has adj -1000: spared.")
                continue
            killed.append(KilledTask(other.pid, other.name, f"shares the mm of {label(victim)}"))
        group = self._oom_group(victim)
        if group is not None:
            for member in scan_order_of_subtree(self.system, group):
                if member.pid in {k.pid for k in killed}:
                    continue
                if member.oom_score_adj == OOM_SCORE_ADJ_MIN:
                    self.lines.append(
                        f"{label(member)} is in oom.group {group} but has adj -1000: spared."
                    )
                    continue
                if member.init:
                    continue
                killed.append(
                    KilledTask(member.pid, member.name, f"member of memory.oom.group {group}")
                )
        return tuple(killed)

    def _sacrifice_child(self, chosen: Task, scan: _Scan) -> tuple[Task, str]:
        rules = self.rules
        children = [c for c in self.children_of(chosen) if c.mm_key != chosen.mm_key]
        if rules.child_sacrifice is ChildSacrifice.FIRST_CHILD:
            for child in children:
                if child.no_mm or child.init or legacy_oom_adj(child) == OOM_DISABLE:
                    continue
                self.lines.append(
                    f"Before 2.6.36 the first child with its own mm dies instead of its parent: "
                    f"{label(child)} is killed instead of {label(chosen)}."
                )
                return child, f"first child of {label(chosen)}, sacrificed for its parent"
            return chosen, "selected victim"
        best, best_points = chosen, 0
        for child in children:
            if not self.in_scope(child) or (not self.is_memcg and not child.numa_eligible):
                continue
            points = self.badness(child).points or 0
            if points > best_points:
                best, best_points = child, points
        if best is chosen:
            return chosen, "selected victim"
        self.lines.append(
            f"Kernels before 5.1 sacrifice a child: {label(chosen)} was selected, but its child "
            f"{label(best)} (badness {n(best_points)}, the highest among its children with their "
            "own mm) is killed instead."
        )
        return best, f"child of {label(chosen)}, sacrificed for its parent"

    def _oom_group(self, victim: Task) -> str | None:
        if not self.rules.oom_group or self.system.cgroup_version != 2:
            return None
        domain = self.event.memcg if self.is_memcg and self.event.memcg else "/"
        if victim.cgroup == "/" or not in_cgroup_subtree(victim.cgroup, domain):
            return None
        group = None
        current: str | None = victim.cgroup
        while current is not None:
            if current != "/" and self.system.cgroup(current).oom_group:
                group = current
            if current == domain:
                break
            current = parent_cgroup(current)
        if group is not None:
            self.lines.append(
                f"memory.oom.group: walking up from {victim.cgroup} to {domain}, the highest "
                f"cgroup with oom.group=1 is {group}, so every task in it dies (adj -1000 spared)."
            )
        return group

    def _kill_lines(self, killed: tuple[KilledTask, ...]) -> None:
        for item in killed:
            self.lines.append(f"Killed: {item.name} (pid {item.pid}) - {item.why}.")

    def _result(
        self,
        scan: _Scan,
        outcome: Outcome,
        selected: Task | None,
        killed: tuple[KilledTask, ...] | None,
        message: str | tuple[()],
        rule: str,
        panic: str | None,
    ) -> OomResult:
        explained = self._explained(scan)
        scores = self._scores(scan, explained)
        table = self._table_lines(scores, scan, explained)
        explanation = self.lines[:2] + table + self.lines[2:]
        killed_tuple = killed or ()
        return OomResult(
            kernel=str(self.rules.version),
            era=self.rules.era.value,
            constraint=self.event.constraint.value,
            oom_domain=self.event.memcg if self.is_memcg else None,
            totalpages=self.total,
            totalpages_how=self.total_how,
            global_totalpages=global_totalpages(self.system),
            outcome=outcome,
            message=message if isinstance(message, str) else "",
            selected=selected.pid if selected else None,
            victim=killed_tuple[0].pid if killed_tuple else None,
            killed=killed_tuple,
            scores=scores,
            deciding_rule=rule,
            panic_reason=panic,
            explanation=tuple(explanation),
        )

    def _explained(self, scan: _Scan) -> set[int]:
        """The pids whose scores get a written explanation."""
        if self.explain_all:
            return {t.pid for t in self.system.tasks}
        ranked = ((p, pid) for pid, p in scan.points.items() if p is not None)
        keep = {pid for _, pid in heapq.nlargest(EXPLAINED_TOP, ranked)}
        if scan.chosen is not None:
            keep.add(scan.chosen.pid)
        return keep

    def _scores(self, scan: _Scan, explained: set[int]) -> Scores:
        """Every task's score, scan order first, each built when first read."""
        rules = self.rules
        gtotal = global_totalpages(self.system)
        order: Sequence[Task]
        index: dict[int, int] | None = None  # scan position by pid; a table's is its row
        if self.table is not None:
            order = self.table
        else:
            index = {t.pid: i for i, t in enumerate(scan.order)}
            tasks = self.system.tasks
            # as many distinct scanned pids as tasks: every task was scanned
            outside = [] if len(index) == len(tasks) else [t for t in tasks if t.pid not in index]
            order = [*scan.order, *outside]
        points_of, slow, excluded_of = scan.points, scan.slow, scan.excluded
        proc_scores, same_total = self.proc_scores, gtotal == self.total
        # /proc/<pid>/oom_score of a plain task, inline: the bare sum against the global
        # totalpages, then the era's formula (`proc_score_from_badness`, C division).
        pages, signed = rules.scores_in_pages, rules.era is Era.PAGES_SIGNED
        page_size, pgtables, gunit = self.machine.page_size, rules.pgtables_counted, gtotal // 1000
        inline_proc = pages and gtotal > 0
        abort_by = scan.abort_by

        def score(position: int) -> TaskScore:
            task = order[position]
            pid = task.pid
            scan_index = position if index is None else index.get(pid)
            scanned = scan_index is not None
            explain = pid in explained
            if not proc_scores:
                proc, proc_how = 0, ""
            else:
                global_points: int | None
                if scanned and same_total:
                    global_points = points_of[pid]
                elif pages and _plain(task):
                    global_points = (
                        task.rss_anon + task.rss_file + task.rss_shmem + task.swapents
                        + (task.pgtables_bytes // page_size if pgtables else 0)
                        + task.oom_score_adj * gunit
                    )  # fmt: skip
                    if not signed and global_points < 1:
                        global_points = 1
                else:
                    global_points = oom_badness(
                        task,
                        gtotal,
                        rules,
                        page_size,
                        self.children_of(task),
                        self.machine.hz,
                        explain,
                    ).points
                if global_points is not None and inline_proc:
                    product = global_points * 1000
                    if signed:  # as_ulong(cdiv((1000 + cdiv(points * 1000, total)) * 2, 3))
                        inner = product // gtotal if product >= 0 else -(-product // gtotal)
                        twice = (1000 + inner) * 2
                        proc = (twice // 3 if twice >= 0 else -(-twice // 3)) & ULONG_MAX
                    else:
                        proc = product // gtotal
                else:
                    proc = proc_score_from_badness(global_points, gtotal, rules)
                proc_how = proc_oom_score_how(global_points, gtotal, rules) if explain else ""
            if scanned:
                badness = slow.get(pid)
                if badness is None:
                    points, how = points_of[pid], ""
                else:
                    points, how = badness.points, badness.how
                if explain and not how:
                    badness = self.badness(task, explain=True)
                    points, how = badness.points, badness.how
                excluded = excluded_of.get(pid)
                if task is abort_by:
                    excluded = "an earlier OOM victim still exiting: the scan aborts here"
                if excluded:
                    points = None
            else:
                excluded = "outside the OOM domain (not in the memcg that hit its limit)"
                points, how = None, ""
            return TaskScore(
                pid=pid,
                name=task.name,
                cgroup=task.cgroup,
                oom_score_adj=task.oom_score_adj,
                rss=task.rss_anon + task.rss_file + task.rss_shmem,
                swapents=task.swapents,
                pgtables_bytes=task.pgtables_bytes,
                scanned=scanned,
                badness=points,
                how=how,
                excluded=excluded,
                oom_score=proc,
                oom_score_how=proc_how,
                scan_index=scan_index,
            )

        pids = self.table.pid if self.table is not None else [t.pid for t in order]
        return Scores(pids, score)

    def _table_lines(self, scores: Scores, scan: _Scan, explained: set[int]) -> list[str]:
        if self.explain_all:
            shown: Sequence[int] = range(len(scores))
        else:
            # Only a scanned task explained or scored the full way has a written `how`
            # (see `_scores`); the others are counted, not built.
            scanned = len(scores) if self.table is not None else len(scan.order)
            worth = explained.union(scan.slow)
            shown = [i for i, pid in enumerate(scores.pids[:scanned]) if pid in worth]
        lines = []
        written = 0
        for i in shown:
            s = scores[i]
            if not self.explain_all and not s.how:
                continue
            written += 1
            head = f"- {s.name} (pid {s.pid})"
            proc = f" /proc oom_score {s.oom_score}." if self.proc_scores else ""
            if s.excluded:
                lines.append(f"{head}: excluded - {s.excluded}.{proc}")
            else:
                assert s.badness is not None
                lines.append(f"{head}: {s.how}; badness {n(s.badness)}.{proc}")
        hidden = 0 if self.explain_all else len(scores) - written
        if hidden:
            lines.append(f"- ... and {hidden:,} more tasks with lower scores (see the table).")
        return lines


def scan_order_of_subtree(system: System, root: str) -> list[Task]:
    sub = System(
        machine=system.machine,
        tasks=system.tasks,
        cgroups=system.cgroups,
        cgroup_version=system.cgroup_version,
        sysctls=system.sysctls,
        event=type(system.event)(constraint=Constraint.MEMCG, memcg=root),
    )
    return scan_order(sub)

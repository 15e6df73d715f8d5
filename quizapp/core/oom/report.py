"""Kernel OOM reports (dmesg, dmesg -T, journalctl -k, /dev/kmsg) -> events -> explanations.

`parse_report(text)` splits a paste into OOM events; `explain_report(text)`
rebuilds each event's `System` from its header and task table alone, runs the
simulator and compares its victim with the kernel's `Killed process` line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache, partial
from operator import itemgetter
from typing import Any, NamedTuple, overload

from .engine import simulate
from .kernel import Era, KernelRules, KernelVersion
from .legacy import OOM_SCORE_ADJ_MIN
from .model import Cgroup, Constraint, Machine, OomEvent, Sysctls, System, Task, TaskTable
from .result import OomResult

UNLIMITED_KB = 2**62 // 1024  # page_counter "max" prints as 9007199254740988kB

_PREFIXES = (
    re.compile(r"^<\d+>"),  # syslog level
    re.compile(r"^\d+,\d+,\d+,[^;]*;"),  # /dev/kmsg record
    re.compile(r"^\S.*?\skernel:\s"),  # journalctl / syslog: "Nov 26 10:00:00 host kernel: "
    re.compile(r"^\[\s*\d+\.\d+\]\s?"),  # dmesg
    re.compile(r"^\[[A-Z][a-z]{2} [^\]]*\d{4}\]\s?"),  # dmesg -T
)
_ROW = re.compile(r"\[\s*(\d+)\]((?:\s+-?\d+)+)\s+(\S.*?)\s*$")


@lru_cache(maxsize=16)
def _timestamped_row(count: int) -> re.Pattern[str]:
    r"""The common case of `_ROW.search` for a header of `count` numbers, anchored.

    A row with no prefix or a dmesg timestamp (whose `[` `_ROW` cannot match, so it
    lands on the same `[pid]`), each number its own group. `_ROW`'s greedy numbers would
    take a name that starts with a number and a space, making the count wrong: the
    lookahead leaves such lines to `_ROW`. The greedy name takes what `_ROW`'s lazy name
    and trailing `\s*` take together; `.rstrip()` splits them.
    """
    numbers = r"\s+(-?\d+)" * count
    return re.compile(rf"(?:\[\s*\d+\.\d+\]\s?)?\[\s*(\d+)\]{numbers}\s+(?!-?\d+\s+\S)(\S.*)$")


_HEADER = re.compile(r"\[\s*pid\s*\]\s+(.*\S)")
_INVOKED = re.compile(
    r"(\S.*?) invoked oom-killer: gfp_mask=(\S+?)(?:\(([^)]*)\))?,(?: nodemask=\S+,)? order=(-?\d+),"
    r"(?: oom_adj=(-?\d+),)?(?: oomkilladj=(-?\d+))?(?: oom_score_adj=(-?\d+))?"
)
_CPU = re.compile(r"CPU: \d+ (?:UID: \d+ )?PID: (\d+) Comm: (.+?) (?:Not tainted|Tainted:)")
_VERSION = re.compile(r"(?:Not tainted|Tainted:[A-Z ]*?)\s+(\d+\.\d+[^\s]*)")
_MEM = re.compile(r"^memory: usage (\d+)kB, limit (\d+)kB")
_SWAP = re.compile(r"^swap: usage (\d+)kB, limit (\d+)kB")
_MEMSW = re.compile(r"^memory\+swap: usage (\d+)kB, limit (\d+)kB")
_SUMMARY = re.compile(r"oom-kill:constraint=(CONSTRAINT_\w+),(.*)$")
_KILLED = re.compile(
    r"(?:(.*?): )?Killed process (\d+) \((.*?)\),? total-vm:(\d+)kB, anon-rss:(\d+)kB, "
    r"file-rss:(\d+)kB(?:, shmem-rss:(\d+)kB)?(?:, UID:(\d+) pgtables:(\d+)kB oom_score_adj:(-?\d+))?"
)
_KILL_PROCESS = re.compile(
    r"(?:(.*?): )?Kill process (\d+) \((.*?)\) score (\d+) or sacrifice child"
)
_TASK_IN = re.compile(r"Task in (\S+) killed as a result of limit of (\S+)")
_GROUP = re.compile(r"Tasks in (\S+) are going to be killed due to memory\.oom\.group set")
_PAGES_RAM = re.compile(r"^(\d+) pages RAM")
_PAGES_RESERVED = re.compile(r"^(\d+) pages reserved")
_TOTAL_SWAP = re.compile(r"^Total swap = (\d+)kB")


def strip_prefix(line: str) -> str:
    """Remove timestamps, log levels and journal prefixes (several may be stacked)."""
    line = line.rstrip("\r\n")
    changed = True
    while changed:
        changed = False
        for pattern in _PREFIXES:
            match = pattern.match(line)
            if match:
                line = line[match.end() :]
                changed = True
    return line


class _Layout(NamedTuple):
    """Where each known column sits in a row's numbers, for one table header."""

    header: tuple[str, ...]
    positions: dict[str, int]
    uid: int | None
    tgid: int | None
    total_vm: int | None
    rss: int | None


def _layout(header: Sequence[str]) -> _Layout:
    # the header ends with "name"; a repeated column keeps its last position
    index = {column: i for i, column in enumerate(header[:-1])}
    get = index.get
    return _Layout(tuple(header), index, get("uid"), get("tgid"), get("total_vm"), get("rss"))


class ReportTask(NamedTuple):
    """One row of a task table: the pid, the name and the numbers under its header."""

    pid: int
    name: str
    values: tuple[int, ...]
    layout: _Layout

    def _column(self, index: int | None, default: int) -> int:
        return self.values[index] if index is not None else default

    @property
    def uid(self) -> int:
        return self._column(self.layout.uid, 0)

    @property
    def tgid(self) -> int:
        return self._column(self.layout.tgid, self.pid)

    @property
    def total_vm(self) -> int:
        return self._column(self.layout.total_vm, 0)

    @property
    def rss(self) -> int:
        return self._column(self.layout.rss, 0)

    @property
    def columns(self) -> dict[str, int]:
        """Every number by its column name."""
        return {column: self.values[i] for column, i in self.layout.positions.items()}


# One row as printed: [1] the pid, [2:n+2] the n numbers, [n+2] the name, as text. The
# match of `_timestamped_row(n)` itself (its groups are made only if the row is read), or
# a tuple laid out the same way.
_Cells = re.Match[str] | tuple[str, ...]


class TaskRows(Sequence[ReportTask]):
    """An event's task table as printed.

    `rows[i]` reads one row as a ReportTask; a long table is read a column at a time
    (`segments()`, `pids()`).
    """

    def __init__(self) -> None:
        self.text: list[_Cells] = []
        self.layouts: list[tuple[int, _Layout]] = []  # (first row, layout), one per header

    def start(self, layout: _Layout) -> None:
        """Rows added from now on sit under `layout`."""
        self.layouts.append((len(self.text), layout))

    def __len__(self) -> int:
        return len(self.text)

    @overload
    def __getitem__(self, index: int) -> ReportTask: ...
    @overload
    def __getitem__(self, index: slice) -> list[ReportTask]: ...
    def __getitem__(self, index: int | slice) -> ReportTask | list[ReportTask]:
        if isinstance(index, slice):
            return [self[i] for i in range(len(self))[index]]
        row = self.text[index]
        if index < 0:
            index += len(self)
        layout = next(layout for first, layout in reversed(self.layouts) if first <= index)
        pid, *numbers, name = row.groups() if isinstance(row, re.Match) else row[1:]
        return ReportTask(int(pid), name.rstrip(), tuple(map(int, numbers)), layout)

    def __iter__(self) -> Iterator[ReportTask]:
        return (self[i] for i in range(len(self)))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]

    def segments(self) -> Iterator[tuple[_Layout, list[_Cells]]]:
        """The rows under each header, in order."""
        bounds = [first for first, _ in self.layouts[1:]] + [len(self.text)]
        for (first, layout), end in zip(self.layouts, bounds, strict=True):
            if first < end:
                yield layout, self.text[first:end]

    def pids(self) -> list[int]:
        return list(map(int, map(itemgetter(1), self.text)))


@dataclass
class KilledLine:
    pid: int
    name: str
    prefix: str
    total_vm_kb: int
    anon_rss_kb: int
    file_rss_kb: int
    shmem_rss_kb: int | None
    uid: int | None
    pgtables_kb: int | None
    oom_score_adj: int | None

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class ReportEvent:
    """One OOM invocation as far as the paste shows it."""

    trigger: str | None = None  # comm of the allocating task
    gfp_mask: str | None = None
    order: int | None = None
    trigger_adj: int | None = None
    current_pid: int | None = None
    kernel: str | None = None
    constraint: str | None = None
    oom_memcg: str | None = None
    task_memcg: str | None = None
    memory_limit_kb: int | None = None
    swap_limit_kb: int | None = None  # cgroup v2
    memsw_limit_kb: int | None = None  # cgroup v1
    pages_ram: int | None = None
    pages_reserved: int | None = None
    total_swap_kb: int | None = None
    header: list[str] | None = None
    tasks: TaskRows = field(default_factory=TaskRows)
    killed: list[KilledLine] = field(default_factory=list)
    kill_process: tuple[int, str, int] | None = None  # pre-5.1 "Kill process P (x) score N"
    group: str | None = None
    no_killable: bool = False
    tasks_state_line: bool = False  # "Tasks state (memory values in pages):" (>= 4.19)
    summary_victim: tuple[int, str] | None = None
    prefix: str | None = None

    @property
    def table_shown(self) -> bool:
        return self.header is not None


def parse_report(text: str) -> list[ReportEvent]:
    """Split a pasted kernel log into OOM events."""
    events: list[ReportEvent] = []
    event: ReportEvent | None = None
    header: list[str] | None = None  # the header `layout` and `count` were made for
    layout = _layout(["name"])
    fast = None
    for raw in text.splitlines():
        if event is not None and event.header is not None:
            if event.header is not header:
                header = event.header
                layout = _layout(header)
                fast = _timestamped_row(len(header) - 1).match if len(header) > 1 else None
                event.tasks.start(layout)
            # rows first: a row keeps its timestamp prefix, which `_ROW` skips over
            quick = fast(raw) if fast is not None else None
            if quick is not None and "invoked oom-killer" not in raw:
                event.tasks.text.append(quick)
                continue
            row = _ROW.search(raw)
            if row is not None and "invoked oom-killer" not in raw:
                cells = _row(layout, row)
                if cells is not None:
                    event.tasks.text.append(cells)
                    continue
        line = strip_prefix(raw)
        if not line:
            continue
        if "invoked oom-killer" in line:
            match = _INVOKED.search(line)
            event = ReportEvent()
            events.append(event)
            if match:
                event.trigger = match.group(1).strip()
                event.gfp_mask = match.group(2)
                event.order = int(match.group(4))
                adj = match.group(7) or match.group(6) or match.group(5)
                event.trigger_adj = int(adj) if adj is not None else None
            continue
        if "Killed process" in line:
            match = _KILLED.search(line)
            if match is None:
                continue
            killed = _killed(match)
            if event is None or (event.killed and event.group is None):
                event = ReportEvent()
                events.append(event)
            event.killed.append(killed)
            if event.prefix is None:
                event.prefix = killed.prefix
            continue
        if event is None:
            continue
        _header_line(event, line)
    return events


def _row(layout: _Layout, match: re.Match[str]) -> tuple[str, ...] | None:
    pid_text, numbers_text, name = match.groups()
    numbers = numbers_text.split()
    if len(numbers) != len(layout.header) - 1:
        return None
    return (match.string, pid_text, *numbers, name)  # laid out as `_Cells`


def _killed(match: re.Match[str]) -> KilledLine:
    def num(i: int) -> int | None:
        value = match.group(i)
        return int(value) if value is not None else None

    return KilledLine(
        pid=int(match.group(2)),
        name=match.group(3),
        prefix=(match.group(1) or "").strip(),
        total_vm_kb=int(match.group(4)),
        anon_rss_kb=int(match.group(5)),
        file_rss_kb=int(match.group(6)),
        shmem_rss_kb=num(7),
        uid=num(8),
        pgtables_kb=num(9),
        oom_score_adj=num(10),
    )


def _header_line(event: ReportEvent, line: str) -> None:
    if line.startswith("CPU: ") or "Comm:" in line:
        match = _CPU.search(line)
        if match:
            event.current_pid = int(match.group(1))
        version = _VERSION.search(line)
        if version:
            event.kernel = version.group(1)
        return
    if line.startswith("Tasks state"):
        event.tasks_state_line = True
        return
    header = _HEADER.search(line)
    if header is not None:
        event.header = header.group(1).split()
        return
    for pattern, attr in (
        (_MEM, "memory_limit_kb"),
        (_SWAP, "swap_limit_kb"),
        (_MEMSW, "memsw_limit_kb"),
    ):
        match = pattern.match(line)
        if match:
            setattr(event, attr, int(match.group(2)))
            return
    if line.startswith("oom-kill:"):
        match = _SUMMARY.search(line)
        if match:
            event.constraint = match.group(1)
            fields = dict(item.split("=", 1) for item in match.group(2).split(",") if "=" in item)
            event.oom_memcg = fields.get("oom_memcg")
            event.task_memcg = fields.get("task_memcg")
            if "pid" in fields and fields["pid"].isdigit():
                event.summary_victim = (int(fields["pid"]), fields.get("task", "?"))
        return
    match = _KILL_PROCESS.search(line)
    if match:
        event.kill_process = (int(match.group(2)), match.group(3), int(match.group(4)))
        event.prefix = (match.group(1) or "").strip()
        return
    match = _TASK_IN.search(line)
    if match:
        event.task_memcg, event.oom_memcg = match.group(1), match.group(2)
        return
    match = _GROUP.search(line)
    if match:
        event.group = match.group(1)
        return
    if "no killable processes" in line:
        event.no_killable = True
        return
    for pattern, attr in (
        (_PAGES_RAM, "pages_ram"),
        (_PAGES_RESERVED, "pages_reserved"),
        (_TOTAL_SWAP, "total_swap_kb"),
    ):
        match = pattern.match(line)
        if match:
            setattr(event, attr, int(match.group(1)))
            return


# -- explaining -------------------------------------------------------------------------


@dataclass(frozen=True)
class ExplainOptions:
    """What a report cannot show; the explainer says when it had to assume."""

    kernel: str | None = None
    ram: int | None = None  # pages (MemTotal)
    swap: int | None = None  # pages (SwapTotal)
    swappiness: int = 60
    oom_kill_allocating_task: bool = False
    page_size: int = 4096


def infer_kernel(event: ReportEvent) -> tuple[str, str]:
    if event.kernel:
        try:
            KernelVersion.parse(event.kernel)
            return event.kernel, "from the CPU/Comm line"
        except ValueError:
            pass
    header = event.header or []
    why = "guessed from the report format"
    if "rss_anon" in header:
        return "6.8", why
    if "pgtables_bytes" in header:
        if any(k.uid is not None for k in event.killed):
            return "5.4", why
        if event.kill_process is not None:
            return ("4.19" if event.tasks_state_line else "4.15"), why
        return "5.1", why
    if "nr_pmds" in header:
        return "4.0", why
    if "nr_ptes" in header:
        return "3.14", why
    if "oom_score_adj" in header:
        return "3.0", why
    if header:
        return "2.6.32", why
    return "6.8", "no version in the report; assuming >= 5.9"


def _constraint(event: ReportEvent) -> Constraint:
    memcg_seen = event.memory_limit_kb is not None or (event.prefix or "").startswith(
        "Memory cgroup"
    )
    if event.constraint:
        try:
            constraint = Constraint(event.constraint)
        except ValueError:
            constraint = Constraint.NONE
        if constraint is Constraint.NONE and memcg_seen:  # pre-2019 summary bug
            return Constraint.MEMCG
        return constraint
    return Constraint.MEMCG if memcg_seen else Constraint.NONE


def build_system(
    event: ReportEvent, options: ExplainOptions, earlier_victims: set[int]
) -> tuple[System, str, list[str]]:
    """The simulator's view of the event, the kernel to use, and the assumptions made."""
    kernel, kernel_source = (options.kernel, "given") if options.kernel else infer_kernel(event)
    rules = KernelRules.for_version(kernel)
    page_kb = options.page_size // 1024
    assumptions = [f"kernel {kernel} ({kernel_source})"]
    constraint = _constraint(event)
    swap = options.swap
    if swap is None and event.total_swap_kb is not None:
        swap = event.total_swap_kb // page_kb
    if constraint is Constraint.MEMCG:
        domain = event.oom_memcg or "/memcg"
        limit = (event.memory_limit_kb or 0) // page_kb
        v1 = event.memsw_limit_kb is not None
        cgroup = Cgroup(
            path=domain,
            memory_max=limit,
            swap_max=_limit_pages(event.swap_limit_kb, page_kb),
            memsw_max=_limit_pages(event.memsw_limit_kb, page_kb) if v1 else None,
        )
        cgroups: tuple[Cgroup, ...] = (cgroup,)
        swap_limited = (event.swap_limit_kb or 0) > 0 or (
            v1 and (event.memsw_limit_kb or 0) // page_kb > limit
        )
        if swap is None:
            swap = 0
            if swap_limited:
                assumptions.append(
                    "total swap is not in a memcg report: assumed 0 (pass the machine's "
                    "SwapTotal to count it)"
                )
        ram = options.ram or max(limit, 1)
        version = 1 if v1 else 2
    else:
        domain = None
        cgroups = ()
        version = 2
        if options.ram is not None:
            ram = options.ram
        elif event.pages_ram is not None:
            ram = event.pages_ram - (event.pages_reserved or 0)
            assumptions.append(
                "RAM taken from Mem-Info as 'pages RAM' - 'pages reserved' (close to MemTotal)"
            )
        else:
            ram = 1
            assumptions.append("RAM unknown (no Mem-Info): oom_score_adj cannot be weighed")
        if swap is None:
            swap = 0
            assumptions.append("total swap unknown: assumed 0")
    bonus = rules.era in (Era.PERMILLE, Era.PAGES_ADJ_BONUS, Era.PAGES_PCT_BONUS)
    tasks, uids = _table(event.tasks, domain or "/", bonus, earlier_victims, options.page_size)
    if bonus and 0 in uids:
        assumptions.append("uid 0 tasks assumed to hold CAP_SYS_ADMIN (root bonus)")
    pids = set(tasks.pid)
    machine = Machine(ram_pages=max(ram, 1), swap_pages=swap, page_size=options.page_size)
    oom = OomEvent(
        constraint=constraint,
        memcg=domain,
        allowed_pages=ram if constraint in (Constraint.CPUSET, Constraint.MEMORY_POLICY) else None,
        allocating_pid=event.current_pid if event.current_pid in pids else None,
        sysrq=event.order == -1,
    )
    if constraint in (Constraint.CPUSET, Constraint.MEMORY_POLICY):
        assumptions.append("the allowed nodes' size is not in the report: RAM used instead")
    if earlier_victims & pids:
        assumptions.append("tasks killed by an earlier event in this paste are treated as reaped")
    system = System(
        machine=machine,
        tasks=tasks,
        cgroups=cgroups,
        cgroup_version=version,
        sysctls=Sysctls(
            swappiness=options.swappiness,
            oom_kill_allocating_task=options.oom_kill_allocating_task,
        ),
        event=oom,
    )
    return system, kernel, assumptions


def _limit_pages(kb: int | None, page_kb: int) -> int | None:
    if kb is None or kb >= UNLIMITED_KB:
        return None
    return kb // page_kb


def _column(layout: _Layout, text: list[_Cells], name: str) -> list[int]:
    index = layout.positions.get(name)
    if index is None:
        return [0] * len(text)
    return list(map(int, map(itemgetter(index + 2), text)))


def _table(
    rows: TaskRows, cgroup: str, bonus: bool, earlier: set[int], page_size: int
) -> tuple[TaskTable, list[int]]:
    """The simulator's tasks for the table's rows (columns now, each Task when read),
    and, if root gets a bonus, every row's uid.

    Per row: rss split into anon/file/shmem (the split columns of >= 6.8, else all of
    rss as anon), page tables in bytes (or nr_ptes + nr_pmds pages), oom_score_adj (or
    the legacy oom_adj converted).
    """
    usage: list[int] = []
    pgtables: list[int] = []
    adj: list[int] = []
    uid: list[int] = []
    for layout, text in rows.segments():
        column = partial(_column, layout, text)
        # rss is the column the kernel summed; the split columns only divide it
        usage += [r + s for r, s in zip(column("rss"), column("swapents"), strict=True)]
        if "pgtables_bytes" in layout.positions:
            pgtables += column("pgtables_bytes")
        else:
            pages = zip(column("nr_ptes"), column("nr_pmds"), strict=True)
            pgtables += [(ptes + pmds) * page_size for ptes, pmds in pages]
        if "oom_score_adj" in layout.positions:
            adj += column("oom_score_adj")
        else:
            adj += [_adj_from_legacy(oom_adj) for oom_adj in column("oom_adj")]
        if bonus:
            uid += column("uid")
    pids = rows.pids()
    # the rows that are not plain (see TaskTable): init, adj -1000, earlier victims, root
    special = {i for i, value in enumerate(adj) if value == OOM_SCORE_ADJ_MIN}
    special.update(i for i, pid in enumerate(pids) if pid == 1 or pid in earlier)
    if bonus:
        special.update(i for i, value in enumerate(uid) if value == 0)

    def build(index: int) -> Task:
        return _task(rows[index], cgroup, bonus, earlier, page_size)

    return TaskTable(cgroup, pids, usage, pgtables, adj, special, build), uid


def _task(row: ReportTask, cgroup: str, bonus: bool, earlier: set[int], page_size: int) -> Task:
    pid, name, values, layout = row
    get = layout.positions.get
    rss = row.rss
    uid = row.uid
    anon_i, file_i, shmem_i = get("rss_anon"), get("rss_file"), get("rss_shmem")
    if anon_i is not None:
        file = values[file_i] if file_i is not None else 0
        shmem = values[shmem_i] if shmem_i is not None else 0
        anon = rss - file - shmem  # rss is read apart from the split: keep the sum
    else:
        anon, file, shmem = rss, 0, 0
    pgt_i, ptes_i, pmds_i = get("pgtables_bytes"), get("nr_ptes"), get("nr_pmds")
    if pgt_i is not None:
        pgtables = values[pgt_i]
    else:
        ptes = values[ptes_i] if ptes_i is not None else 0
        pmds = values[pmds_i] if pmds_i is not None else 0
        pgtables = (ptes + pmds) * page_size
    adj_i, oom_adj_i, swap_i = get("oom_score_adj"), get("oom_adj"), get("swapents")
    oom_adj = values[oom_adj_i] if oom_adj_i is not None else None
    return Task(
        pid=pid,
        name=name,
        uid=uid,
        rss_anon=anon,
        rss_file=file,
        rss_shmem=shmem,
        swapents=values[swap_i] if swap_i is not None else 0,
        pgtables_bytes=pgtables,
        oom_score_adj=values[adj_i] if adj_i is not None else _adj_from_legacy(oom_adj or 0),
        cgroup=cgroup,
        init=pid == 1,
        cap_sys_admin=bonus and uid == 0,
        oom_victim=pid in earlier,
        mm_reaped=pid in earlier,
        total_vm=row.total_vm,
        oom_adj=oom_adj,
    )


def _adj_from_legacy(oom_adj: int) -> int:
    from .legacy import oom_adj_write

    try:
        return oom_adj_write(oom_adj)
    except ValueError:
        return 0


@dataclass(frozen=True)
class EventExplanation:
    index: int
    event: ReportEvent
    kernel: str
    result: OomResult | None
    victim: dict[str, Any] | None
    kernel_victim: dict[str, Any] | None
    agrees: bool | None
    reason: str
    assumptions: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        result = self.result
        event = self.event
        tasks = []
        if result is not None:
            for s in result.scores:
                tasks.append(
                    {
                        "pid": s.pid,
                        "name": s.name,
                        "rss": s.rss,
                        "swapents": s.swapents,
                        "pgtables_bytes": s.pgtables_bytes,
                        "oom_score_adj": s.oom_score_adj,
                        "badness": s.badness,
                        "excluded": s.excluded,
                    }
                )
        return {
            "index": self.index,
            "kernel": self.kernel,
            "trigger": {"comm": event.trigger, "pid": event.current_pid, "order": event.order,
                        "gfp_mask": event.gfp_mask, "oom_score_adj": event.trigger_adj},
            "constraint": result.constraint if result else event.constraint,
            "oom_memcg": event.oom_memcg,
            "totalpages": result.totalpages if result else None,
            "totalpages_how": result.totalpages_how if result else None,
            "task_table_shown": event.table_shown,
            "victim": self.victim,
            "kernel_victim": self.kernel_victim,
            "agrees": self.agrees,
            "reason": self.reason,
            "deciding_rule": result.deciding_rule if result else None,
            "killed_by_kernel": [k.to_dict() for k in event.killed],
            "oom_group": event.group,
            "assumptions": list(self.assumptions),
            "explanation": list(result.explanation) if result else [],
            "tasks": tasks,
        }  # fmt: skip


@dataclass(frozen=True)
class ReportExplanation:
    events: tuple[EventExplanation, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"events": [e.to_dict() for e in self.events]}

    def text(self) -> str:
        return "\n\n".join(_event_text(e) for e in self.events) or "No OOM events found."


def explain_report(text: str, options: ExplainOptions | None = None) -> ReportExplanation:
    options = options or ExplainOptions()
    events = parse_report(text)
    earlier: set[int] = set()
    out = []
    for i, event in enumerate(events):
        out.append(explain_event(i, event, options, set(earlier)))
        earlier.update(k.pid for k in event.killed)
    return ReportExplanation(tuple(out))


def _kernel_victim(event: ReportEvent) -> dict[str, Any] | None:
    if event.kill_process is not None:
        pid, name, score = event.kill_process
        data: dict[str, Any] = {"pid": pid, "name": name, "score": score, "selected": True}
        if event.killed and event.killed[0].pid != pid:
            data["sacrificed_child"] = {"pid": event.killed[0].pid, "name": event.killed[0].name}
        return data
    if event.killed:
        first = event.killed[0]
        return {"pid": first.pid, "name": first.name, **first.to_dict()}
    return None


def explain_event(
    index: int, event: ReportEvent, options: ExplainOptions, earlier: set[int]
) -> EventExplanation:
    kernel_victim = _kernel_victim(event)
    if not event.tasks:
        why = (
            "the task table was not printed (rate-limited or vm.oom_dump_tasks=0), so there is "
            "nothing to predict from"
        )
        kernel = options.kernel or event.kernel or "unknown"
        return EventExplanation(index, event, kernel, None, None, kernel_victim, None, why, ())
    system, kernel, assumptions = build_system(event, options, earlier)
    result = simulate(system, kernel, proc_scores=False)
    victim = None
    if result.selected is not None:
        score = result.score_of(result.selected)
        victim = {"pid": score.pid, "name": score.name, "badness": score.badness}
    agrees: bool | None = None
    reason = result.deciding_rule
    if kernel_victim is not None:
        agrees = victim is not None and victim["pid"] == kernel_victim["pid"]
        if not agrees:
            reason = _disagreement(event, result, kernel_victim, options)
    elif event.no_killable:
        agrees = victim is None
        reason = "the kernel found no killable process" + ("" if agrees else "; the simulator did")
    return EventExplanation(
        index, event, kernel, result, victim, kernel_victim, agrees, reason, tuple(assumptions)
    )


def _disagreement(
    event: ReportEvent, result: OomResult, kernel_victim: dict[str, Any], options: ExplainOptions
) -> str:
    prefix = event.prefix or ""
    pid = kernel_victim["pid"]
    if "oom_kill_allocating_task" in prefix:
        return (
            "the kernel killed the allocating task because vm.oom_kill_allocating_task=1, "
            "without scanning; the table cannot show that sysctl (pass it as an option)"
        )
    try:
        theirs = result.score_of(pid)
    except KeyError:
        return (
            f"the kernel's victim (pid {pid}) is not in the task table: the table was cut short, "
            "or the victim shares its mm with a listed process"
        )
    if result.selected is None:
        return f"the simulator found nothing to kill; the kernel killed pid {pid}"
    ours = result.score_of(result.selected)
    if theirs.badness is not None and theirs.badness == ours.badness:
        return "a tie in the table: the scan order inside a memcg is not fully visible in a report"
    return (
        f"by the table {ours.name} (pid {ours.pid}) scores {ours.badness:,} and the kernel's "
        f"victim {theirs.name} scores {theirs.badness if theirs.badness is not None else 'ineligible'}; "
        "state the table cannot show must differ: memory changed between the dump and the kill, "
        "the predicted task was an earlier victim or in vfork, or totalpages differs "
        "(swap, RAM or the kernel version assumed)"
    )


def _event_text(e: EventExplanation) -> str:
    lines = [
        f"Event {e.index + 1}: {e.event.trigger or '?'} invoked the OOM killer (kernel {e.kernel})."
    ]
    lines += [f"Assumed: {a}." for a in e.assumptions]
    if e.result is not None:
        lines += list(e.result.explanation)
    if e.victim:
        lines.append(f"Predicted victim: {e.victim['name']} (pid {e.victim['pid']}).")
    if e.kernel_victim:
        lines.append(f"Kernel's victim: {e.kernel_victim['name']} (pid {e.kernel_victim['pid']}).")
    if e.agrees is True:
        lines.append("The prediction agrees with the kernel.")
    elif e.agrees is False:
        lines.append(f"The prediction differs: {e.reason}.")
    else:
        lines.append(f"No comparison: {e.reason}.")
    return "\n".join(lines)


def strip_verdict(lines: Iterable[str]) -> list[str]:
    """Drop the kernel's verdict lines (what the tests hide before predicting)."""
    verdict = ("Killed process", "oom-kill:constraint", "or sacrifice child", "oom_reaper:")
    return [line for line in lines if not any(v in line for v in verdict)]


__all__ = ["ExplainOptions", "explain_report", "parse_report", "replace", "strip_verdict"]

"""OOM simulator benchmark: explaining a 10,000-task report and scoring 100,000 tasks.

Every figure is a ratio against a baseline measured in the same run: merely
matching each line of the same report with one compiled regex. Targets: <= 3x
the baseline, and linear in the task count (the 1/10-size run is printed too).

"score tasks" computes every task's badness and picks the victim; the explanation
rows (`TaskScore`) are built when read, so a last row reads all 100,000 of them.

The machine is shared and noisy, so each repeat times the baseline and the work
back to back and the figures are medians: the median of the per-repeat ratios,
and the median times for the linearity check.

    .venv/bin/python bench/sim.py [--repeat 7] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import re
import statistics
import time
from collections.abc import Callable

from quizapp.core.oom import simulate
from quizapp.core.oom.model import Cgroup, Constraint, Machine, OomEvent, System, Task
from quizapp.core.oom.report import explain_report

HEADER = (
    "[  100.000000] [  pid  ]   uid  tgid total_vm      rss rss_anon rss_file rss_shmem "
    "pgtables_bytes swapents oom_score_adj name"
)
BASELINE = re.compile(r"^\[\s*\d+\.\d+\] \[\s*(\d+)\]((?:\s+-?\d+)+)\s+(\S.*)$")


def report(tasks: int, seed: int = 1) -> str:
    rng = random.Random(seed)
    lines = [
        "[  100.000000] stress invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0",
        "[  100.000001] CPU: 0 UID: 0 PID: 1000 Comm: stress Not tainted 6.8.0-45-generic #45",
        "[  100.000002] memory: usage 16777216kB, limit 16777216kB, failcnt 1",
        "[  100.000003] swap: usage 0kB, limit 0kB, failcnt 0",
        "[  100.000004] Tasks state (memory values in pages):",
        HEADER,
    ]
    for i in range(tasks):
        pid = 1000 + i
        anon, file = rng.randrange(1, 50_000), rng.randrange(0, 2_000)
        adj = rng.choice([0, 0, 0, 100, -500, 900])
        lines.append(
            f"[  100.{i:06d}] [{pid:7d}] {1000:5d} {pid:5d} {anon * 3:8d} {anon + file:8d} "
            f"{anon:8d} {file:8d} {0:9d} {rng.randrange(1, 100) * 4096:8d} {0:8d}         "
            f"{adj:5d} worker-{i}"
        )
    lines.append(
        "[  101.000000] oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,"
        "mems_allowed=0,oom_memcg=/bench,task_memcg=/bench,task=worker-0,pid=1000,uid=1000"
    )
    return "\n".join(lines) + "\n"


def system(tasks: int, seed: int = 2) -> System:
    rng = random.Random(seed)
    return System(
        machine=Machine(ram_pages=64 * 262_144, swap_pages=8 * 262_144),
        tasks=tuple(
            Task(
                pid=1000 + i,
                name=f"worker-{i}",
                rss_anon=rng.randrange(1, 50_000),
                rss_file=rng.randrange(0, 2_000),
                swapents=rng.randrange(0, 1_000),
                pgtables_bytes=rng.randrange(1, 100) * 4096,
                oom_score_adj=rng.choice([0, 0, 0, 100, -500, 900, -1000]),
                cgroup="/bench",
            )
            for i in range(tasks)
        ),
        cgroups=(Cgroup(path="/bench", memory_max=32 * 262_144),),
        event=OomEvent(constraint=Constraint.MEMCG, memcg="/bench"),
    )


def measure(
    base: Callable[[], object], work: Callable[[], object], repeat: int
) -> tuple[float, float, float]:
    """Median of work/baseline over the repeats, and the median work and baseline times.

    Each repeat times the baseline and the work back to back, so both see the same load.
    """
    ratios, times, base_times = [], [], []
    for _ in range(repeat):
        start = time.perf_counter()
        base()
        middle = time.perf_counter()
        work()
        end = time.perf_counter()
        ratios.append((end - middle) / (middle - start))
        times.append(end - middle)
        base_times.append(middle - start)
    return statistics.median(ratios), statistics.median(times), statistics.median(base_times)


def baseline(text: str) -> Callable[[], object]:
    return lambda: [BASELINE.match(line) for line in text.splitlines()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument(
        "--profile", action="store_true", help="profile explaining a 10,000-task report instead"
    )
    args = parser.parse_args()
    if args.profile:
        text = report(10_000)
        profiler = cProfile.Profile()
        profiler.runcall(explain_report, text)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(15)
        return

    rows = []
    for label, size in (("explain report", 10_000), ("explain report", 1_000)):
        text = report(size)
        ratio, work, base = measure(baseline(text), lambda t=text: explain_report(t), args.repeat)
        rows.append((label, size, ratio, work, base))
    for label, size in (("score tasks", 100_000), ("score tasks", 10_000)):
        text = report(size)
        sys_ = system(size)
        ratio, work, base = measure(baseline(text), lambda s=sys_: simulate(s, "6.8"), args.repeat)
        rows.append((label, size, ratio, work, base))

    # `simulate` builds a task's TaskScore (its explanation row) only when it is read;
    # this row reads every one, for the full cost of a complete score table.
    text, sys_ = report(100_000), system(100_000)
    ratio, work, base = measure(
        baseline(text), lambda: list(simulate(sys_, "6.8").scores), args.repeat
    )
    table_row = ("+ every TaskScore", 100_000, ratio, work, base)

    print(f"{'benchmark':<18} {'tasks':>8} {'vs regex baseline (median)':>27}")
    for label, size, ratio, *_ in [*rows, table_row]:
        print(f"{label:<18} {size:>8,} {ratio:>26.2f}x")
    for (label, size, _, big, big_base), (_, small_size, _, small, small_base) in (
        rows[0:2],
        rows[2:4],
    ):
        factor = size / small_size
        print(
            f"{label}: {factor:.0f}x the tasks took {big / small:.2f}x the time "
            f"(linear = {factor:.0f}x; the baseline took {big_base / small_base:.2f}x)"
        )


if __name__ == "__main__":
    main()

"""Long task tables: the column scan of a report's TaskTable decides and explains exactly
as the Task-by-Task scan does, and the lazily built rows and scores read as before."""

from __future__ import annotations

import random
from dataclasses import asdict, replace

import pytest

from quizapp.core.oom import simulate
from quizapp.core.oom.model import TaskTable
from quizapp.core.oom.report import ExplainOptions, build_system, explain_report, parse_report

HEADERS = {
    "6.8": "[  pid  ]   uid  tgid total_vm      rss rss_anon rss_file rss_shmem "
    "pgtables_bytes swapents oom_score_adj name",
    "5.4": "[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name",
    "4.0": "[ pid ]   uid  tgid total_vm      rss nr_ptes nr_pmds swapents oom_score_adj name",
}


def report(header: str, tasks: int, seed: int, memcg: bool) -> str:
    """A report whose table holds the awkward rows: init, root, adj -1000, ties."""
    rng = random.Random(seed)
    columns = header.split("]", 1)[1].split()[:-1]
    lines = ["[  10.000000] stress invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0"]
    if memcg:
        lines.append("[  10.000001] memory: usage 400000kB, limit 400000kB, failcnt 1")
    else:
        lines += ["[  10.000001] 2000000 pages RAM", "[  10.000001] 1000 pages reserved"]
    lines.append(f"[  10.000002] {header}")
    for i in range(tasks):
        pid = 1 if i == 5 else 100 + i
        values = []
        for column in columns:
            if column == "uid":
                values.append(rng.choice([0, 1000, 1000]))
            elif column == "tgid":
                values.append(pid)
            elif column == "oom_score_adj":
                values.append(rng.choice([0, 0, 100, -500, -1000]))
            else:
                values.append(7 if i % 9 == 0 else rng.randrange(0, 3000))
        lines.append(f"[  10.000003] [{pid:7d}] " + " ".join(f"{v:8d}" for v in values) + f" t{i}")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("header", sorted(HEADERS))
@pytest.mark.parametrize("kernel", ["6.8", "5.0", "4.19", "4.6", "3.10"])
@pytest.mark.parametrize("memcg", [True, False])
def test_column_scan_matches_the_task_by_task_scan(header: str, kernel: str, memcg: bool) -> None:
    (event,) = parse_report(report(HEADERS[header], 400, seed=len(kernel), memcg=memcg))
    system, _, _ = build_system(event, ExplainOptions(), earlier_victims={120, 130})
    assert isinstance(system.tasks, TaskTable)
    by_columns = simulate(system, kernel, proc_scores=False)
    by_tasks = simulate(replace(system, tasks=tuple(system.tasks)), kernel, proc_scores=False)
    assert by_columns.to_dict() == by_tasks.to_dict()
    assert by_columns.scores == by_tasks.scores


def test_a_long_report_explains_only_the_top_tasks_but_scores_them_all() -> None:
    (event,) = explain_report(report(HEADERS["6.8"], 1_000, seed=3, memcg=True)).events
    result = event.result
    assert result is not None and result.selected is not None
    assert len(result.scores) == 1_000
    written = [line for line in result.explanation if line.startswith("- ")]
    assert written[-1].endswith("more tasks with lower scores (see the table).")
    scored = [line for line in written[:-1] if "excluded" not in line]
    assert len(scored) == 50  # the top 50; excluded tasks say why
    assert result.score_of(result.selected).badness == event.victim["badness"]  # type: ignore[index]
    assert result.scores[-1] == list(result.scores)[-1]
    with pytest.raises(KeyError):
        result.score_of(99_999)


@pytest.mark.parametrize(
    ("name", "parsed"),
    [
        ("worker", "worker"),
        ("12ab", "12ab"),
        ("my httpd  ", "my httpd"),
        ("12 ab", None),  # the number joins the row's numbers: one too many, not a row
    ],
)
def test_row_names_that_start_with_a_number(name: str, parsed: str | None) -> None:
    header = "[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name"
    row = f"[  10.000003] [   1234]  1000  1234    50000    20000   176128      500   -50 {name}"
    text = f"x invoked oom-killer: gfp_mask=0x0, order=0\n[  10.000002] {header}\n{row}\n"
    (event,) = parse_report(text)
    assert [t.name for t in event.tasks] == ([parsed] if parsed else [])
    if parsed:
        (task,) = event.tasks
        assert task.pid == 1234 and task.values == (1000, 1234, 50000, 20000, 176128, 500, -50)


def test_scores_compare_equal_to_the_same_scores_built_eagerly() -> None:
    (event,) = explain_report(report(HEADERS["5.4"], 300, seed=1, memcg=False)).events
    assert event.result is not None
    scores = event.result.scores
    assert scores == tuple(scores)
    assert [asdict(s) for s in scores[:3]] == [asdict(s) for s in list(scores)[:3]]

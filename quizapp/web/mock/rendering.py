"""OOM scenarios' process tables for the mock-interview pages (question text: `quizapp.web.markup`)."""

from __future__ import annotations

# OOM scenario cards: the process table, columns in a fixed order, unknown ones left out.
_TASK_COLUMNS = (
    ("pid", "PID"),
    ("name", "Name"),
    ("comm", "Name"),
    ("uid", "UID"),
    ("rss", "RSS"),
    ("rss_anon", "RSS anon"),
    ("rss_file", "RSS file"),
    ("rss_shmem", "RSS shmem"),
    ("swapents", "Swap"),
    ("pgtables_bytes", "Page tables (B)"),
    ("oom_score_adj", "oom_score_adj"),
    ("cgroup", "cgroup"),
    ("pod", "Pod"),
)
_FACTS = (
    ("kernel", "Kernel"),
    ("constraint", "Constraint"),
    ("totalpages", "totalpages"),
    ("cgroup_version", "cgroup version"),
)


def _rows(value: object) -> list[dict[str, object]]:
    if not isinstance(value, list):
        return []
    return [row for row in value if isinstance(row, dict)]


def scenario_table(
    data: dict[str, object],
) -> tuple[list[tuple[str, str]], list[str], list[list[object]]]:
    """(facts, column headings, rows) of an OOM question's scenario; empty if it has none."""
    scenario = data.get("scenario")
    scenario = scenario if isinstance(scenario, dict) else {}
    tasks = _rows(scenario.get("tasks", data.get("tasks", data.get("processes"))))
    columns = [(key, label) for key, label in _TASK_COLUMNS if any(key in t for t in tasks)]
    facts = [
        (label, str(source[key]))
        for key, label in _FACTS
        for source in (scenario, data)
        if source.get(key) not in (None, "")
    ]
    return (
        list(dict.fromkeys(facts)),
        [label for _, label in columns],
        [[task.get(key, "") for key, _ in columns] for task in tasks],
    )

"""OOM-scenario questions → the Scenario and Scores fields (HTML tables).

The simulator's question generator puts the scenario, the choices and the
result into `Question.data`. This module reads the parts a card shows, and
tolerates both nestings the generator may use (`data["scenario"]["tasks"]` or
`data["tasks"]`; `data["result"]["scores"]` or `data["scores"]`). Column
order is fixed by the names below; unknown columns are left out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from quizapp.core.anki.html import escape
from quizapp.core.questions import Question

# (key, column heading, numeric?)
_TASK_COLUMNS = (
    ("pid", "PID", True),
    ("name", "Name", False),
    ("uid", "UID", True),
    ("rss", "RSS", True),
    ("rss_anon", "RSS anon", True),
    ("rss_file", "RSS file", True),
    ("rss_shmem", "RSS shmem", True),
    ("swap", "Swap", True),
    ("swapents", "Swap", True),
    ("pgtables_bytes", "Page tables (B)", True),
    ("oom_score_adj", "oom_score_adj", True),
    ("cgroup", "cgroup", False),
    ("pod", "Pod", False),
    ("flags", "Flags", False),
)
_SCORE_COLUMNS = (
    ("pid", "PID", True),
    ("name", "Name", False),
    ("oom_score_adj", "oom_score_adj", True),
    ("rss", "RSS", True),
    ("swapents", "Swap", True),
    ("badness", "Badness", True),
    ("oom_score", "oom_score", True),
    ("how", "How", False),
    ("excluded", "Excluded because", False),
)
_FACTS = (
    ("kernel", "Kernel"),
    ("constraint", "Constraint"),
    ("totalpages", "totalpages"),
    ("cgroup_version", "cgroup version"),
)


@dataclass(frozen=True, slots=True)
class OomFields:
    scenario: str  # HTML: the story's facts and the process table
    scores: str  # HTML: the score table, victim highlighted
    choices: tuple[str, ...]
    correct: int | None


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _rows(value: Any) -> list[Mapping[str, Any]]:
    if not isinstance(value, Sequence) or isinstance(value, str):
        return []
    return [row for row in value if isinstance(row, Mapping)]


def oom_fields(question: Question) -> OomFields | None:
    """The scenario parts of an OOM question, or None if it has no process table."""
    data = question.data
    scenario = _mapping(data.get("scenario"))
    result = _mapping(data.get("result"))
    tasks = _rows(scenario.get("tasks", data.get("tasks", data.get("processes"))))
    if not tasks:
        return None
    scores = _rows(result.get("scores", data.get("scores", data.get("score_table"))))
    victim = result.get("victim", data.get("victim"))
    killed = {victim} if victim is not None else set()
    facts = [
        f"<li>{label}: <code>{escape(str(source[key]))}</code></li>"
        for key, label in _FACTS
        for source in (scenario, result, data)
        if source.get(key) not in (None, "")
    ]
    facts = list(dict.fromkeys(facts))  # a fact given in two places is shown once
    scenario_html = (f'<ul class="qz-facts">{"".join(facts)}</ul>' if facts else "") + table(
        tasks, _TASK_COLUMNS
    )
    choices = data.get("choices")
    correct = data.get("correct")
    return OomFields(
        scenario=scenario_html,
        scores=table(scores, _SCORE_COLUMNS, highlight=killed) if scores else "",
        choices=tuple(str(c) for c in choices) if isinstance(choices, list) else (),
        correct=correct if isinstance(correct, int) and not isinstance(correct, bool) else None,
    )


def table(
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[tuple[str, str, bool]],
    highlight: set[Any] | None = None,
) -> str:
    """An HTML table of the columns present in any row, in the given order."""
    present = [c for c in columns if any(c[0] in row for row in rows)]
    # "swap" and "swapents" are the same column under two names
    if any(c[0] == "swap" for c in present):
        present = [c for c in present if c[0] != "swapents"]
    head = "".join(
        f'<th class="qz-num">{label}</th>' if numeric else f"<th>{label}</th>"
        for _, label, numeric in present
    )
    body = []
    for row in rows:
        cells = "".join(
            f'<td class="qz-num">{_cell(row.get(key))}</td>'
            if numeric
            else f"<td>{_cell(row.get(key))}</td>"
            for key, _, numeric in present
        )
        css = ' class="qz-victim"' if highlight and row.get("pid") in highlight else ""
        body.append(f"<tr{css}>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, list | tuple):
        return escape(", ".join(str(v) for v in value))
    return escape(str(value))

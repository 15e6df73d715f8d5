"""OOM-scenario questions → the fields of the OOM note type (HTML tables).

The simulator's question generator (`quizapp.core.oom`) puts the scenario,
the choices (`{"label": ...}`), the correct index and the simulation result
(`result.scores`, `result.killed`, `result.explanation`) into `Question.data`.
This module reads the parts a card shows. Column order is fixed by the names
below; columns no row has are left out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from quizapp.core.anki.html import FieldRenderer, escape
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
    ("pgtables_bytes", "Page tables (B)", True),
    ("badness", "Badness", True),
    ("oom_score", "oom_score", True),
    ("excluded", "Not eligible because", False),
)


@dataclass(frozen=True, slots=True)
class OomFields:
    question: str  # HTML: what is asked (the prompt's last paragraph)
    scenario: str  # HTML: the story, the machine and the process table
    choices: tuple[str, ...]  # Markdown labels
    correct: int | None
    scores: str  # HTML: the score table, victims highlighted
    explanation: str  # HTML: the simulator's reasoning, one line each


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _rows(value: Any) -> list[Mapping[str, Any]]:
    if not isinstance(value, Sequence) or isinstance(value, str):
        return []
    return [row for row in value if isinstance(row, Mapping)]


def is_scenario_question(question: Question) -> bool:
    data = question.data
    return bool(_rows(_mapping(data.get("scenario")).get("tasks")) or _rows(data.get("tasks")))


def oom_fields(question: Question, render: FieldRenderer) -> OomFields:
    """The parts of an OOM question a card shows.

    The generator's prompt is the scenario in Markdown (story, machine, task
    table) followed by the question; the two are split at the last paragraph
    so the card can show them apart. Without a scenario in the prompt, the
    task table is built from `data`.
    """
    data = question.data
    scenario = _mapping(data.get("scenario"))
    result = _mapping(data.get("result"))
    paragraphs = [p for p in re.split(r"\n[ \t]*\n", question.prompt.strip()) if p.strip()]
    if len(paragraphs) > 1:
        asked = paragraphs[-1]
        scenario_html = render.render("\n\n".join(paragraphs[:-1]))
    else:
        asked = question.prompt
        tasks = _rows(scenario.get("tasks", data.get("tasks")))
        scenario_html = table(tasks, _TASK_COLUMNS)
    killed = {k.get("pid") for k in _rows(result.get("killed"))}
    if result.get("victim") is not None:
        killed.add(result.get("victim"))
    scores = _rows(result.get("scores", data.get("scores")))
    lines = result.get("explanation")
    if isinstance(lines, Sequence) and not isinstance(lines, str) and lines:
        explanation = _lines_html([str(line) for line in lines], render)
    else:
        explanation = render.render(question.explanation)
    return OomFields(
        question=render.render(asked),
        scenario=scenario_html,
        choices=tuple(_label(c) for c in data.get("choices") or () if _label(c)),
        correct=_index(data.get("correct")),
        scores=table(scores, _SCORE_COLUMNS, highlight=killed) if scores else "",
        explanation=explanation,
    )


def _label(choice: Any) -> str:
    if isinstance(choice, Mapping):
        return str(choice.get("label") or choice.get("name") or "")
    return str(choice)


def _index(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _lines_html(lines: list[str], render: FieldRenderer) -> str:
    """Explanation lines: "- " lines become one list, the others paragraphs."""
    out: list[str] = []
    items: list[str] = []
    for line in lines:
        if line.startswith("- "):
            items.append(f"<li>{render.inline(line[2:])}</li>")
            continue
        if items:
            out.append(f"<ul>{''.join(items)}</ul>")
            items = []
        out.append(f"<p>{render.inline(line)}</p>")
    if items:
        out.append(f"<ul>{''.join(items)}</ul>")
    return "".join(out)


def table(
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[tuple[str, str, bool]],
    highlight: set[Any] | None = None,
) -> str:
    """An HTML table of the columns some row has a value for, in the given order."""
    present = [c for c in columns if any(row.get(c[0]) not in (None, "") for row in rows)]
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
            f'<td class="qz-num">{_cell(row.get(key), key)}</td>'
            if numeric
            else f"<td>{_cell(row.get(key))}</td>"
            for key, _, numeric in present
        )
        css = ' class="qz-victim"' if highlight and row.get("pid") in highlight else ""
        body.append(f"<tr{css}>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _cell(value: Any, key: str = "") -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, int) and key not in ("pid", "uid"):
        return f"{value:,}"
    if isinstance(value, list | tuple):
        return escape(", ".join(str(v) for v in value))
    return escape(str(value))

"""OOM-killer questions from the simulator (`quizapp.core.oom`), when it is installed.

When the content has a `scenarios/` folder, each `scenarios/*.yaml` is loaded with
the simulator's `parse_scenario_text`/`load_scenario` (its errors become
diagnostics with a line), then `questions_from_scenarios` makes the
`oom-scenarios` bank and `generated_questions` the fixed `oom-generated` bank.
The simulator is imported lazily: without it the build still works (a warning).
"""

from __future__ import annotations

import importlib
import re
from typing import Any

from quizapp.core.compiler.diagnostics import Diagnostics
from quizapp.core.compiler.model import SourceFile
from quizapp.core.questions import Bank, Question

GENERATED_SEED = 2024
GENERATED_PER_TIER = 10
BANKS = {
    "oom-scenarios": Bank(
        "oom-scenarios",
        "OOM killer: scenarios",
        "Which process does the kernel kill? Hand-written machines and cgroups.",
    ),
    "oom-generated": Bank(
        "oom-generated",
        "OOM killer: generated",
        "Reproducible generated scenarios, easy to hard.",
    ),
}
_YAML_LINE = re.compile(r"line (\d+)")
_PATH = re.compile(r"^([A-Za-z_][\w-]*)(?:\[(\d+)\])?[\w.\[\]-]*:")


def _line_of(message: str, text: str) -> int:
    """Best effort: the line a simulator error is about (YAML position, else its key/item)."""
    found = _YAML_LINE.search(message)
    if found:
        return int(found.group(1))
    path = _PATH.match(message)
    if not path:
        return 1
    lines = text.split("\n")
    key = re.compile(rf"^{re.escape(path.group(1))}\s*:")
    start = next((i for i, line in enumerate(lines) if key.match(line)), None)
    if start is None:
        return 1
    if path.group(2) is not None:  # the n-th "- " item under the key
        items = [i for i in range(start + 1, len(lines)) if lines[i].lstrip().startswith("- ")]
        index = int(path.group(2))
        if index < len(items):
            return items[index] + 1
    return start + 1


def scenario_questions(
    scenarios: list[SourceFile], diags: Diagnostics, *, enabled: bool
) -> tuple[list[Bank], list[Question]]:
    if not enabled:
        return [], []
    where = scenarios[0].path if scenarios else "scenarios/"
    try:
        oom: Any = importlib.import_module("quizapp.core.oom")
        oom_questions: Any = importlib.import_module("quizapp.core.oom.questions")
    except ImportError:
        diags.warning(where, 0, "the OOM simulator (quizapp.core.oom) is not installed; skipped")
        return [], []
    loaded = []
    for source in scenarios:
        if not source.path.endswith((".yaml", ".yml")):
            continue
        try:
            data = oom.parse_scenario_text(source.text, source.path)
            loaded.append(oom.load_scenario(data, source.path))
        except oom.ScenarioError as exc:
            for message in exc.errors:
                diags.error(
                    source.path,
                    _line_of(message, source.text),
                    f"scenario: {message}",
                    "see the OOM scenarios section of content/README.md",
                )
    try:
        questions: list[Question] = list(oom_questions.questions_from_scenarios(loaded))
        questions += oom_questions.generated_questions(GENERATED_SEED, GENERATED_PER_TIER)
    except Exception as exc:  # noqa: BLE001 - another package: report, never crash the build
        diags.error(where, 0, f"the OOM simulator failed: {type(exc).__name__}: {exc}")
        return [], []
    banks = [BANKS.get(slug, Bank(slug, slug)) for slug in sorted({q.bank for q in questions})]
    return banks, questions

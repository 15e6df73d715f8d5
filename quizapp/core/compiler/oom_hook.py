"""Optional: OOM-killer scenario questions, from the simulator's API when present.

`quizapp.core.oom` (another engineer's package) provides
`questions_from_scenarios(scenarios)`. This hook hands it the scenario files and
never lets a missing or failing simulator break the content build.
"""

from __future__ import annotations

import importlib
from typing import Any

from quizapp.core.compiler.diagnostics import Diagnostics
from quizapp.core.compiler.model import SourceFile
from quizapp.core.questions import Bank, Question


def scenario_questions(
    scenarios: list[SourceFile], diags: Diagnostics
) -> tuple[list[Bank], list[Question]]:
    if not scenarios:
        return [], []
    try:
        oom: Any = importlib.import_module("quizapp.core.oom")
    except ImportError:
        diags.warning(
            scenarios[0].path,
            0,
            "OOM scenarios found but the simulator (quizapp.core.oom) is not installed; skipped",
        )
        return [], []
    build = getattr(oom, "questions_from_scenarios", None)
    if build is None:
        diags.warning(
            scenarios[0].path, 0, "quizapp.core.oom has no questions_from_scenarios(); skipped"
        )
        return [], []
    return _call(build, scenarios, diags)


def _call(
    build: Any, scenarios: list[SourceFile], diags: Diagnostics
) -> tuple[list[Bank], list[Question]]:
    result = build([(s.path, s.text) for s in scenarios])
    questions = [q for q in result if isinstance(q, Question)]
    banks = {q.bank: Bank(q.bank, "OOM killer scenarios") for q in questions}
    return list(banks.values()), questions

"""Row ↔ core conversion: a stored question back into `quizapp.core.questions.Question`."""

from __future__ import annotations

from typing import Any, Protocol

from quizapp.core.questions import Level, QuestionKind
from quizapp.core.questions import Question as CoreQuestion


class QuestionRow(Protocol):
    """What a question row offers: the ORM model or a plain row with the same fields."""

    id: str
    kind: str
    prompt: str
    answer: str
    explanation: str
    entry_slug: str | None
    category: str
    level: str
    tags: list[str]
    data: dict[str, Any]


def question_to_core(row: QuestionRow) -> CoreQuestion:
    """The core question a row stores; unknown kinds and levels degrade, never raise."""
    try:
        kind = QuestionKind(row.kind)
    except ValueError:
        kind = QuestionKind.INTERVIEW  # an unknown kind is shown as free recall
    try:
        level = Level(row.level)
    except ValueError:
        level = Level.INTERMEDIATE
    return CoreQuestion(
        id=row.id,
        bank="",
        kind=kind,
        prompt=row.prompt,
        answer=row.answer,
        explanation=row.explanation,
        entry_slug=row.entry_slug,
        category=row.category,
        level=level,
        tags=tuple(row.tags or ()),
        data=dict(row.data or {}),
    )

"""Question banks inserted directly as rows, for study, progress and browser tests, and
a helper that answers the next card through the study service."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from quizapp.core.scheduler import Rating
from quizapp.data.models import Bank, Category, Question
from quizapp.services import study

T_BUILD = datetime(2026, 2, 1, 0, 0, tzinfo=UTC)


def add_bank(session: Session, slug: str, title: str) -> Bank:
    bank = Bank(slug=slug, title=title, description="")
    session.add(bank)
    session.flush()
    return bank


def add_question(
    session: Session,
    bank: Bank,
    qid: str,
    *,
    kind: str = "term_definition",
    prompt: str | None = None,
    answer: str | None = None,
    category: str = "memory",
    level: str = "intermediate",
    entry_slug: str | None = "oom-killer",
    data: dict[str, Any] | None = None,
    explanation: str = "",
) -> Question:
    question = Question(
        id=qid,
        bank_id=bank.id,
        kind=kind,
        prompt=prompt or f"Prompt of {qid}?",
        answer=answer or f"Answer of {qid}.",
        explanation=explanation,
        data=data or {},
        entry_slug=entry_slug,
        category=category,
        level=level,
        tags=[],
        content_hash="h",
        created_at=T_BUILD,
        updated_at=T_BUILD,
    )
    session.add(question)
    return question


def small_content(session: Session) -> dict[str, Bank]:
    """Two banks: 12 memory questions (4 entries x 3 kinds) and 6 process questions."""
    session.add_all(
        [
            Category(slug="memory", title="Memory", position=1),
            Category(slug="processes", title="Processes", position=2),
        ]
    )
    memory = add_bank(session, "kb-memory", "Memory")
    processes = add_bank(session, "kb-processes", "Processes")
    for entry in ("oom-killer", "page-cache", "swap", "overcommit"):
        add_question(session, memory, f"{entry}/term", entry_slug=entry)
        add_question(
            session,
            memory,
            f"{entry}/mc",
            kind="multiple_choice",
            entry_slug=entry,
            prompt=f"Which concept is {entry}?",
            answer=entry,
            data={"choices": [entry, "cgroups", "namespaces"], "correct": 0},
        )
        add_question(
            session,
            memory,
            f"{entry}/cmd",
            kind="purpose_command",
            entry_slug=entry,
            level="beginner",
            prompt=f"Type the command to show {entry}.",
            answer="`free -h`",
            data={"accepted": ["free {{[-h|--human]}}"], "template": "free {{[-h|--human]}}"},
        )
    for i in range(6):
        add_question(
            session,
            processes,
            f"proc-{i}/term",
            category="processes",
            entry_slug=f"proc-{i}",
            level="advanced" if i % 2 else "beginner",
        )
    session.flush()
    return {"memory": memory, "processes": processes}


def answer_next(session: Session, user: Any, now: datetime, rating: Any = None, **kw: Any) -> Any:
    """Answer the card the queue shows next (Good unless `rating`); returns the shown card."""
    shown = study.next_card(session, user, now)
    assert shown.card is not None
    result = study.answer(
        session,
        user,
        card_state_id=shown.card.card_state_id,
        rating=rating or Rating.GOOD,
        token=shown.card.token,
        shown_reps=shown.card.shown_reps,
        now=now,
        **kw,
    )
    assert result.status is study.AnswerStatus.RECORDED
    return shown.card

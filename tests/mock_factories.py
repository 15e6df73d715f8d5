"""Question rows for mock-interview tests: one of each kind the mock asks, in two categories."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from quizapp.data.models import Bank, Category, Question
from tests.factories import T0


def make_question(
    session: Session,
    qid: str,
    kind: str,
    *,
    category: str = "memory",
    prompt: str = "",
    answer: str = "",
    data: dict[str, Any] | None = None,
    retired: bool = False,
    entry_slug: str | None = None,
) -> Question:
    bank = session.scalar(select(Bank).where(Bank.slug == "test-bank"))
    if bank is None:
        bank = Bank(slug="test-bank", title="Test bank")
        session.add(bank)
        session.flush()
    question = Question(
        id=qid,
        bank_id=bank.id,
        kind=kind,
        prompt=prompt or f"Prompt of {qid}?",
        answer=answer or f"Answer of {qid}.",
        data=data or {},
        category=category,
        entry_slug=entry_slug,
        content_hash="h",
        retired=retired,
        created_at=T0,
        updated_at=T0,
    )
    session.add(question)
    session.flush()
    return question


def add_mock_questions(session: Session) -> dict[str, Question]:
    """mc, typed, oom (choices), oom-typed and recall in "memory"; mc and recall in "processes"."""
    session.add_all(
        [
            Category(slug="memory", title="Memory", position=1),
            Category(slug="processes", title="Processes", position=2),
        ]
    )
    questions = {
        "mc": make_question(
            session,
            "mem-mc",
            "multiple_choice",
            prompt="Which concept does this describe?\n\n> Memory the kernel can reclaim.",
            answer="Page cache",
            data={"choices": ["Slab", "Page cache", "Swap"], "correct": 1},
        ),
        "typed": make_question(
            session,
            "mem-typed",
            "purpose_command",
            prompt="**free**: type the command to show memory in human units.",
            answer="`free -h`",
            data={"accepted": ["free {{[-h|--human]}}"], "template": "free -h"},
        ),
        "oom": make_question(
            session,
            "mem-oom",
            "oom_victim",
            prompt="Which process does the OOM killer pick?",
            answer="pid 300 (java)",
            data={
                "scenario": {
                    "kernel": "6.1",
                    "constraint": "CONSTRAINT_NONE",
                    "tasks": [
                        {"pid": 100, "name": "sshd", "rss": 1000, "oom_score_adj": -1000},
                        {"pid": 300, "name": "java", "rss": 90000, "oom_score_adj": 0},
                    ],
                },
                "choices": ["sshd (pid 100)", "java (pid 300)"],
                "answer": "java (pid 300)",
            },
        ),
        "oom_typed": make_question(
            session,
            "mem-oom-score",
            "oom_score",
            prompt="What does /proc/300/oom_score show?",
            answer="667",
            data={"answer": 667},
        ),
        "recall": make_question(
            session,
            "mem-recall",
            "interview",
            prompt="Explain what happens on a page fault.",
            answer="The MMU traps; the kernel finds or allocates the page.",
        ),
        "proc_mc": make_question(
            session,
            "proc-mc",
            "multiple_choice",
            category="processes",
            prompt="Which signal cannot be caught?",
            answer="SIGKILL",
            data={"choices": ["SIGTERM", "SIGKILL", "SIGHUP"], "correct": 1},
            entry_slug="signals",
        ),
        "proc_recall": make_question(
            session,
            "proc-recall",
            "interview",
            category="processes",
            prompt="What is a zombie process?",
            answer="A child that exited but was not reaped.",
        ),
    }
    # Not asked in a mock: a retired question and a kind the mock does not use.
    make_question(
        session,
        "mem-retired",
        "multiple_choice",
        retired=True,
        data={"choices": ["a", "b"], "correct": 0},
    )
    make_question(session, "mem-cloze", "cloze", data={"cloze": "x"})
    return questions

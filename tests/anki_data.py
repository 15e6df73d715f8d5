"""A small question bank with every kind, as core values and as database rows (Anki export tests)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from quizapp.core.questions import Level, Question, QuestionKind
from quizapp.data import models

T_BUILD = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
BASE_URL = "https://quiz.example"


def _q(qid: str, kind: QuestionKind, prompt: str, answer: str, **kwargs: object) -> Question:
    defaults: dict[str, object] = {
        "bank": "kb-memory",
        "category": "memory",
        "entry_slug": "oom-killer",
        "level": Level.INTERMEDIATE,
        "tags": ("memory",),
        "explanation": "From [OOM killer](/kb/oom-killer).",
    }
    defaults.update(kwargs)
    return Question(id=qid, kind=kind, prompt=prompt, answer=answer, **defaults)  # type: ignore[arg-type]


OOM_DATA = {
    "scenario": {
        "id": "tiny",
        "tasks": [{"pid": 10, "name": "huge", "rss": 3_500_000}, {"pid": 11, "name": "tiny"}],
    },
    "choices": [{"pid": 10, "label": "huge (10)"}, {"pid": 11, "label": "tiny (11)"}],
    "correct": 1,
    "result": {
        "victim": 11,
        "killed": [{"pid": 11, "name": "tiny", "why": "selected victim"}],
        "scores": [
            {"pid": 10, "name": "huge", "oom_score_adj": 0, "rss": 3_500_000, "badness": 3_500_000},
            {"pid": 11, "name": "tiny", "oom_score_adj": 1000, "rss": 100, "badness": 4_000_100},
        ],
        "explanation": [
            "Kernel 6.8: badness = rss + swap + page tables + adj x totalpages/1000.",
            "- huge (pid 10): badness 3,500,000.",
            "- tiny (pid 11): badness 4,000,100.",
            "Killed: tiny (pid 11).",
        ],
    },
}


def sample_questions() -> list[Question]:
    """One question of each kind (a term/definition pair, a two-deletion cloze, an OOM scenario)."""
    return [
        _q(
            "oom/interview/why",
            QuestionKind.INTERVIEW,
            "Why did the kernel kill **my database** and not the `cron` job?",
            "It scores by memory use:\n\n```bash\ncat /proc/$(pidof postgres)/oom_score\n```",
        ),
        _q(
            "oom/term_definition/term",
            QuestionKind.TERM_DEFINITION,
            "What is the **OOM killer**?",
            "The kernel's last resort when memory runs out: it kills the task with the "
            "highest badness.",
        ),
        _q(
            "oom/definition_term/term",
            QuestionKind.DEFINITION_TERM,
            "Name the concept:\n\n> The kernel's last resort when memory runs out.",
            "**OOM killer**",
        ),
        _q(
            "oom/alias_term/oomk",
            QuestionKind.ALIAS_TERM,
            "Someone says **oom-killer**. What do they mean?",
            "The **OOM killer**.",
            level=Level.BEGINNER,
        ),
        _q(
            "oom/command_purpose/dmesg",
            QuestionKind.COMMAND_PURPOSE,
            "What does this command do?\n\n```bash\ndmesg -T | grep -i 'killed process'\n```",
            "Shows the kernel's OOM kill messages with readable times.",
            data={"command": "dmesg -T | grep -i 'killed process'"},
        ),
        _q(
            "oom/purpose_command/dmesg",
            QuestionKind.PURPOSE_COMMAND,
            "Type the command that shows OOM kills with readable times.",
            "`dmesg -T | grep -i 'killed process'`",
            data={
                "accepted": ["dmesg -T | grep -i 'killed process'", "journalctl -k -g oom"],
                "template": "dmesg -T | grep -i 'killed process'",
                "plain": "dmesg -T | grep -i 'killed process'",
            },
        ),
        _q(
            "oom/cloze/badness",
            QuestionKind.CLOZE,
            "**OOM killer**: fill in the blanks.\n\n[...] is scaled by [...]",
            "**badness** is scaled by **oom_score_adj**",
            data={
                "cloze": "The {{c1::badness}} of a task is shifted by {{c2::`oom_score_adj`::a "
                "/proc file}} <x>.",
                "deletions": [1, 2],
            },
        ),
        _q(
            "oom/multiple_choice/term",
            QuestionKind.MULTIPLE_CHOICE,
            "Which concept kills a process when memory runs out?",
            "OOM killer",
            data={"choices": ["Swap", "OOM killer", "Page cache", "cgroups"], "correct": 1},
        ),
        _q(
            "oom/see_also/cgroups",
            QuestionKind.SEE_ALSO,
            "How does the **OOM killer** relate to **cgroups**?",
            "A memory cgroup at its limit runs the OOM killer inside the cgroup.",
        ),
        _q(
            "processes/interview/zombie",
            QuestionKind.INTERVIEW,
            "What is a zombie process?",
            "A child that exited and was not yet reaped by its parent.",
            bank="kb-processes",
            category="processes",
            entry_slug="zombies",
            level=Level.BEGINNER,
            tags=("processes", "signals & wait"),
            explanation="",
        ),
        _q(
            "oom:tiny:victim",
            QuestionKind.OOM_VICTIM,
            "**The +1000 volunteer**\n\nA tiny helper sets oom_score_adj to 1000.\n\n"
            "| pid | name | rss |\n|---|---|---|\n| 10 | huge | 3,500,000 |\n| 11 | tiny | 100 |\n\n"
            "Which process does the OOM killer kill?",
            "tiny (11)",
            bank="oom-scenarios",
            category="oom",
            entry_slug=None,
            tags=("oom", "adj"),
            explanation="",
            data=OOM_DATA,
        ),
    ]


def insert(
    session: Session,
    questions: list[Question],
    *,
    updated_at: datetime = T_BUILD,
    categories: dict[str, str] | None = None,
) -> None:
    """Rows for `questions` (banks and categories created as needed); the caller commits."""
    for slug, title in (categories or {"memory": "Memory", "processes": "Processes"}).items():
        if session.get(models.Category, slug) is None:
            session.add(models.Category(slug=slug, title=title))
    banks = {b.slug: b for b in session.query(models.Bank).all()}
    for question in questions:
        bank = banks.get(question.bank)
        if bank is None:
            bank = banks[question.bank] = models.Bank(slug=question.bank, title=question.bank)
            session.add(bank)
            session.flush()
        session.add(
            models.Question(
                id=question.id,
                bank_id=bank.id,
                kind=question.kind.value,
                prompt=question.prompt,
                answer=question.answer,
                explanation=question.explanation,
                data=question.data,
                entry_slug=question.entry_slug,
                category=question.category,
                level=question.level.value,
                tags=list(question.tags),
                content_hash=question.content_hash,
                created_at=updated_at,
                updated_at=updated_at,
            )
        )
    session.flush()


def edit(session: Session, qid: str, *, prompt: str, at: datetime) -> None:
    """What a content rebuild does to an edited question: new wording, newer `updated_at`."""
    row = session.get(models.Question, qid)
    assert row is not None
    row.prompt = prompt
    row.updated_at = at
    session.flush()


def later(hours: int = 1) -> datetime:
    return T_BUILD + timedelta(hours=hours)


def with_times(
    questions: list[Question], at: datetime = T_BUILD
) -> list[tuple[Question, datetime]]:
    return [(q, at) for q in questions]


def reworded(question: Question, prompt: str) -> Question:
    return replace(question, prompt=prompt)

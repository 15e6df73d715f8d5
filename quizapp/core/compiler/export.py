"""The JSON export of compiled banks (`quizapp export-json`), documented in content/README.md."""

from __future__ import annotations

from typing import Any

from quizapp.core.compiler.model import CompileResult, Entry
from quizapp.core.compiler.version import COMPILER_VERSION
from quizapp.core.questions import Question

EXPORT_FORMAT = "quizapp-banks"
EXPORT_VERSION = 1


def question_json(question: Question) -> dict[str, Any]:
    return {
        "id": question.id,
        "kind": question.kind.value,
        "prompt": question.prompt,
        "answer": question.answer,
        "explanation": question.explanation,
        "entry": question.entry_slug,
        "category": question.category,
        "level": question.level.value,
        "tags": list(question.tags),
        "data": question.data,
        "content_hash": question.content_hash,
    }


def entry_json(entry: Entry) -> dict[str, Any]:
    return {
        "slug": entry.slug,
        "id": entry.identity,
        "kind": entry.kind.value,
        "path": entry.path,
        "title": entry.title,
        "category": entry.category,
        "level": entry.level.value,
        "summary": entry.summary,
        "aka": list(entry.aka),
        "see_also": list(entry.see_also),
        "lessons": list(entry.lessons),
        "tags": list(entry.tags),
        "parent": entry.parent or None,
        "sections": [{"id": s.id, "title": s.title} for s in entry.sections],
        "commands": [
            {"command": c.template, "plain": c.plain, "description": c.description, "line": c.line}
            for c in entry.commands
        ],
        "html": entry.html,
    }


def to_json(result: CompileResult) -> dict[str, Any]:
    """A JSON-serialisable document of everything a build would write."""
    by_bank: dict[str, list[dict[str, Any]]] = {}
    for question in sorted(result.questions, key=lambda q: q.id):
        by_bank.setdefault(question.bank, []).append(question_json(question))
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "compiler": COMPILER_VERSION,
        "fingerprint": result.fingerprint,
        "categories": [
            {"slug": c.slug, "title": c.title, "description": c.description}
            for c in result.categories.values()
        ],
        "lessons": [{"id": x.id, "title": x.title, "url": x.url} for x in result.lessons.values()],
        "banks": [
            {
                "slug": bank.slug,
                "title": bank.title,
                "description": bank.description,
                "questions": by_bank.get(bank.slug, []),
            }
            for bank in result.banks
        ],
        "entries": [entry_json(entry) for entry in result.entries],
    }

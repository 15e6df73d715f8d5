"""Building content into the database: compile, then write everything in one transaction.

`build_content(session, root, now=...)` reads and compiles `root`; if the
compiler reports errors (or warnings with `strict`), nothing is written. If every
content file has the hash recorded by the last build (`content_files`), the
build is a no-op (unless `strict`, which re-checks warnings). Otherwise
categories, lessons, banks, entries and questions are upserted; a question whose source disappeared is retired, never deleted, and a
question whose `content_hash` did not change is not touched. A written question
carries its prompt, answer and explanation as HTML too (the review screen shows
them as stored); its recorded hash includes the compiler version, so a compiler
that renders differently rewrites them all. The caller commits.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from quizapp.core.compiler import (
    COMPILER_VERSION,
    CompileResult,
    Entry,
    EntryKind,
    ParseCache,
    SourceFile,
    compile_content,
    read_content,
)
from quizapp.core.compiler.compile import paused_gc
from quizapp.core.compiler.diagnostics import Diagnostic
from quizapp.core.compiler.render import Renderer, question_html
from quizapp.core.questions import Question
from quizapp.data import models
from quizapp.data.base import Base

COMPILER_ROW = "@compiler"  # a content_files row holding the compiler version
_CACHE_LIMIT = 50_000
_process_cache: dict[tuple[str, str], Any] = {}


@dataclass(slots=True)
class BuildReport:
    """What a build did. `written` is False when errors (or a no-op) left the database alone."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    result: CompileResult | None = None
    noop: bool = False
    written: bool = False
    files: int = 0
    entries: int = 0
    questions_created: int = 0
    questions_updated: int = 0
    questions_unchanged: int = 0
    questions_retired: int = 0
    entries_retired: int = 0

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity.value == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity.value == "warning"]

    def summary(self) -> str:
        if self.noop:
            return f"content unchanged ({self.files} files): nothing to do"
        if not self.written:
            return f"{len(self.errors)} errors, {len(self.warnings)} warnings: nothing written"
        return (
            f"{self.files} files, {self.entries} entries; questions: "
            f"{self.questions_created} new, {self.questions_updated} updated, "
            f"{self.questions_unchanged} unchanged, {self.questions_retired} retired"
            f" ({len(self.warnings)} warnings)"
        )


def check_content(root: Path, *, cache: ParseCache | None = None) -> CompileResult:
    """Compile without writing (what `quizapp check` runs)."""
    files, problems = read_content(root)
    return compile_content(files, cache=_cache(cache), diagnostics=problems)


def _cache(cache: ParseCache | None) -> ParseCache:
    if cache is not None:
        return cache
    if len(_process_cache) > _CACHE_LIMIT:
        _process_cache.clear()
    return _process_cache


def _recorded_hashes(session: Session) -> dict[str, str]:
    rows = session.execute(select(models.ContentFile.path, models.ContentFile.content_hash))
    return {path: digest for path, digest in rows}


def build_content(
    session: Session,
    root: Path,
    *,
    now: datetime,
    strict: bool = False,
    force: bool = False,
    cache: ParseCache | None = None,
    progress: Callable[[int], AbstractContextManager[Callable[[SourceFile], None]]] | None = None,
) -> BuildReport:
    """Compile `root` and write it in the session's transaction (the caller commits)."""
    files, problems = read_content(root)
    report = BuildReport(files=len(files))
    current = {f.path: f.sha for f in files}
    # --strict always compiles: the last build may have passed with warnings.
    if not force and not strict and not problems:
        recorded = _recorded_hashes(session)
        if recorded.pop(COMPILER_ROW, None) == COMPILER_VERSION and recorded == current:
            report.noop = True
            return report
    if progress is None:
        result = compile_content(files, cache=_cache(cache), diagnostics=problems)
    else:  # progress(total) gives a callback advanced once per parsed file
        with progress(len(files)) as advance:
            result = compile_content(
                files, cache=_cache(cache), diagnostics=problems, on_file=advance
            )
    report.result = result
    report.diagnostics = result.diagnostics
    report.entries = len(result.entries)
    if not result.ok(strict=strict):
        return report
    with paused_gc():
        write_result(session, result, now=now, report=report)
    report.written = True
    return report


def write_result(
    session: Session, result: CompileResult, *, now: datetime, report: BuildReport | None = None
) -> BuildReport:
    """Upsert a compiled result; retire what disappeared. Never commits."""
    report = report or BuildReport(result=result, entries=len(result.entries))
    _write_categories(session, result)
    _write_lessons(session, result)
    bank_ids = _write_banks(session, result)
    report.entries_retired = _write_entries(session, result.entries, now)
    _write_questions(session, result.questions, bank_ids, now, report)
    _write_file_hashes(session, result.source_hashes, now)
    session.flush()
    return report


def _write_categories(session: Session, result: CompileResult) -> None:
    existing = {c.slug: c for c in session.scalars(select(models.Category))}
    for position, category in enumerate(result.categories.values()):
        row = existing.get(category.slug)
        if row is None:
            session.add(
                models.Category(
                    slug=category.slug,
                    title=category.title,
                    description=category.description,
                    position=position,
                )
            )
        else:
            row.title, row.description, row.position = (
                category.title,
                category.description,
                position,
            )


def _write_lessons(session: Session, result: CompileResult) -> None:
    existing = {x.id: x for x in session.scalars(select(models.Lesson))}
    for lesson in result.lessons.values():
        row = existing.get(lesson.id)
        if row is None:
            session.add(models.Lesson(id=lesson.id, title=lesson.title, description=lesson.url))
        else:
            row.title, row.description = lesson.title, lesson.url


def _write_banks(session: Session, result: CompileResult) -> dict[str, int]:
    existing = {b.slug: b for b in session.scalars(select(models.Bank))}
    wanted = {bank.slug for bank in result.banks}
    for bank in result.banks:
        row = existing.get(bank.slug)
        if row is None:
            row = models.Bank(slug=bank.slug, title=bank.title, description=bank.description)
            session.add(row)
            existing[bank.slug] = row
        else:
            row.title, row.description, row.retired = bank.title, bank.description, False
    for slug, row in existing.items():
        if slug not in wanted and slug.startswith(("kb-", "commands")):
            row.retired = True
    session.flush()
    return {slug: row.id for slug, row in existing.items()}


def entry_hash(entry: Entry) -> str:
    return f"{COMPILER_VERSION}:{entry.source_sha}"


def entry_row(entry: Entry, now: datetime) -> dict[str, Any]:
    see_also = list(entry.see_also) or ([entry.parent] if entry.parent else [])
    return {
        "id": entry.identity,
        "slug": entry.slug,
        "title": entry.title,
        "category": entry.category,
        "level": entry.level.value,
        "summary": entry.summary,
        "aka": list(entry.aka),
        "tags": list(entry.tags),
        "see_also": see_also,
        "lessons": list(entry.lessons),
        "commands": [
            {
                "command": c.template,
                "plain": c.plain,
                "description": c.description,
                "description_html": c.description_html,
            }
            for c in entry.commands
        ],
        "toc": [{"id": s.id, "title": s.title} for s in entry.sections],
        "body_html": entry.html,
        "markdown": entry.markdown,
        "source_path": entry.path,
        "content_hash": entry_hash(entry),
        "retired": False,
        "updated_at": now,
    }


def _write_entries(session: Session, entries: list[Entry], now: datetime) -> int:
    existing = {
        row.id: (row.slug, row.content_hash, row.retired)
        for row in session.execute(
            select(
                models.Entry.id, models.Entry.slug, models.Entry.content_hash, models.Entry.retired
            )
        )
    }
    wanted = {entry.identity: entry for entry in entries}
    claimed = {entry.slug: entry.identity for entry in entries}
    retired = 0
    frees = []
    for identity, (slug, _digest, was_retired) in existing.items():
        if identity in wanted:
            continue
        values: dict[str, Any] = {"id": identity, "retired": True}
        if slug in claimed:  # a new entry takes over this slug: free it
            values["slug"] = f"~{identity}"
        if not was_retired or "slug" in values:
            frees.append(values)
            retired += not was_retired
    if frees:
        session.execute(update(models.Entry), frees)
    # a slug may also move between two live entries: park it first
    moving = [
        {"id": identity, "slug": f"~{identity}"}
        for identity, (slug, _d, _r) in existing.items()
        if identity in wanted and wanted[identity].slug != slug
    ]
    if moving:
        session.execute(update(models.Entry), moving)
    inserts, updates = [], []
    for identity, entry in wanted.items():
        old = existing.get(identity)
        if old is None:
            inserts.append(entry_row(entry, now))
        elif old[1] != entry_hash(entry) or old[2] or old[0] != entry.slug:
            updates.append(entry_row(entry, now))
    if inserts:
        session.execute(insert(Base.metadata.tables["entries"]), inserts)
    if updates:
        session.execute(update(models.Entry), updates)
    return retired


def question_hash(question: Question) -> str:
    """What the questions table records: the compiler version too, as the stored HTML
    depends on it."""
    return f"{COMPILER_VERSION}:{question.content_hash}"


def question_row(question: Question, bank_id: int, renderer: Renderer) -> dict[str, Any]:
    return {
        "id": question.id,
        "bank_id": bank_id,
        "kind": question.kind.value,
        "prompt": question.prompt,
        "answer": question.answer,
        "explanation": question.explanation,
        "prompt_html": question_html(question.prompt, renderer),
        "answer_html": question_html(question.answer, renderer),
        "explanation_html": question_html(question.explanation, renderer),
        "data": question.data,
        "entry_slug": question.entry_slug,
        "category": question.category,
        "level": question.level.value,
        "tags": list(question.tags),
        "content_hash": question_hash(question),
        "retired": False,
    }


def _write_questions(
    session: Session,
    questions: list[Question],
    bank_ids: dict[str, int],
    now: datetime,
    report: BuildReport,
) -> None:
    existing = {
        qid: (digest, retired, bank_id)
        for qid, digest, retired, bank_id in session.execute(
            select(
                models.Question.id,
                models.Question.content_hash,
                models.Question.retired,
                models.Question.bank_id,
            )
        )
    }
    compiled_banks = {slug for slug in bank_ids}
    renderer = Renderer()
    inserts, updates = [], []
    seen: set[str] = set()
    for question in questions:
        seen.add(question.id)
        bank_id = bank_ids[question.bank]
        old = existing.get(question.id)
        if old is None:
            row = question_row(question, bank_id, renderer)
            row["created_at"] = row["updated_at"] = now
            inserts.append(row)
        elif old[0] != question_hash(question) or old[1] or old[2] != bank_id:
            row = question_row(question, bank_id, renderer)
            row["updated_at"] = now
            updates.append(row)
        else:
            report.questions_unchanged += 1
    # Only questions of banks this compiler owns are retired (OOM banks come and go with
    # the simulator's hook; a missing module must not retire them).
    owned = {bank_ids[slug] for slug in compiled_banks if slug.startswith(("kb-", "commands"))}
    owned |= {bank_ids[q.bank] for q in questions}
    retire = [
        {"id": qid, "retired": True, "updated_at": now}
        for qid, (_digest, retired, bank_id) in existing.items()
        if qid not in seen and not retired and bank_id in owned
    ]
    inserts.sort(key=lambda row: row["id"])  # in key order: cheaper B-tree inserts
    if inserts:  # Core executemany: the ORM's bulk path costs more than SQLite does
        session.execute(insert(Base.metadata.tables["questions"]), inserts)
    if updates:
        session.execute(update(models.Question), updates)
        _sync_card_categories(session)
    if retire:
        session.execute(update(models.Question), retire)
        _unselect_cards(session, [row["id"] for row in retire])
    report.questions_created += len(inserts)
    report.questions_updated += len(updates)
    report.questions_retired += len(retire)


def _unselect_cards(session: Session, question_ids: list[str]) -> None:
    """Take retired questions' cards out of every selection now (dashboards count the
    selected cards; the study service would only do it at each user's next visit)."""
    for start in range(0, len(question_ids), 500):
        session.execute(
            update(models.CardState)
            .where(models.CardState.question_id.in_(question_ids[start : start + 500]))
            .values(selected=False)
            .execution_options(synchronize_session=False)
        )


def _sync_card_categories(session: Session) -> None:
    """Copy changed question categories onto the card states (the dashboards group by it)."""
    category = (
        select(models.Question.category)
        .where(models.Question.id == models.CardState.question_id)
        .scalar_subquery()
    )
    session.execute(
        update(models.CardState)
        .where(models.CardState.category != category)
        .values(category=category)
        .execution_options(synchronize_session=False)
    )


def _write_file_hashes(session: Session, hashes: dict[str, str], now: datetime) -> None:
    session.execute(delete(models.ContentFile))
    rows = [
        {"path": path, "content_hash": digest, "built_at": now} for path, digest in hashes.items()
    ]
    rows.append({"path": COMPILER_ROW, "content_hash": COMPILER_VERSION, "built_at": now})
    session.execute(insert(models.ContentFile), rows)


def entry_kind(row: models.Entry) -> EntryKind:
    """KB entry, cheat-sheet or tldr page, from where its source lives."""
    if row.source_path.startswith("kb/"):
        return EntryKind.KB
    return EntryKind.TLDR if row.slug.startswith("tldr-") else EntryKind.CHEATSHEET

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import ColumnElement, Select, func, select, update
from sqlalchemy.orm import Session

from quizapp.core.compiler.render import Renderer, inline_html, question_html
from quizapp.data import models
from quizapp.services import kb
from quizapp.services.build import COMPILER_ROW, build_content
from tests.factories import make_user

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "content"
T0 = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
T1 = datetime(2026, 1, 6, 12, 0, tzinfo=UTC)


@pytest.fixture
def content(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(FIXTURES / "minimal", target)
    return target


def count(session: Session, model: type, *where: ColumnElement[bool]) -> int:
    query: Select[int] = select(func.count()).select_from(model).where(*where)
    return int(session.scalar(query) or 0)


def test_build_writes_banks_entries_and_questions(session: Session, content: Path) -> None:
    report = build_content(session, content, now=T0)
    session.commit()
    assert report.written and not report.errors
    assert {b.slug for b in session.scalars(select(models.Bank))} == {
        "commands",
        "kb-memory",
        "kb-processes",
    }
    assert count(session, models.Entry) == 5
    assert count(session, models.Question) == report.questions_created > 40
    row = session.get(models.Question, "oom-killer/interview/victim-choice")
    assert row is not None and row.bank.slug == "kb-processes" and row.created_at == T0
    entry = session.get(models.Entry, "oom-killer")
    assert entry is not None and entry.commands[0]["command"] == "cat /proc/$$/oom_score"
    assert entry.lessons == ["advanced-02-cgroups-v2"]


def test_rebuild_without_changes_is_a_noop(session: Session, content: Path) -> None:
    build_content(session, content, now=T0)
    session.commit()
    report = build_content(session, content, now=T1)
    assert report.noop and not report.written


def test_editing_prose_updates_only_changed_questions(session: Session, content: Path) -> None:
    build_content(session, content, now=T0)
    session.commit()
    path = content / "kb/processes/oom-killer.md"
    path.write_text(path.read_text().replace("It computes a badness score", "It scores"))
    report = build_content(session, content, now=T1)
    session.commit()
    assert report.questions_updated == 1 and report.questions_created == 0
    assert report.questions_retired == 0
    row = session.get(models.Question, "oom-killer/interview/victim-choice")
    assert row is not None and row.updated_at == T1 and row.created_at == T0
    untouched = session.get(models.Question, "oom-killer/interview/oom-group")
    assert untouched is not None and untouched.updated_at == T0


def test_questions_carry_their_html(session: Session, content: Path) -> None:
    build_content(session, content, now=T0)
    session.commit()
    renderer = Renderer()
    rows = session.scalars(select(models.Question)).all()
    for row in rows:
        assert row.prompt_html == question_html(row.prompt, renderer)
        assert row.answer_html == question_html(row.answer, renderer)
        assert row.explanation_html == question_html(row.explanation, renderer)
    # Both paths of question_html are in the fixture: one-liners and full renders.
    texts = [text for row in rows for text in (row.prompt, row.answer, row.explanation)]
    assert any("\n" in text for text in texts)
    assert any(row.prompt_html == f"<p>{inline_html(row.prompt)}</p>" for row in rows)
    # The edited question's HTML follows its Markdown.
    path = content / "kb/processes/oom-killer.md"
    path.write_text(path.read_text().replace("It computes a badness score", "It scores"))
    build_content(session, content, now=T1)
    session.commit()
    edited = session.get(models.Question, "oom-killer/interview/victim-choice")
    assert edited is not None and edited.answer_html == question_html(edited.answer, renderer)
    assert "It scores" in edited.answer_html


def test_questions_of_an_older_compiler_get_their_html(session: Session, content: Path) -> None:
    """As migration 0007 leaves them: HTML unset, hash recorded by compiler 1."""
    build_content(session, content, now=T0)
    session.commit()
    for row in session.scalars(select(models.Question)):
        row.prompt_html = row.answer_html = row.explanation_html = None
        row.content_hash = row.content_hash.split(":", 1)[1]
    session.execute(
        update(models.ContentFile)
        .where(models.ContentFile.path == COMPILER_ROW)
        .values(content_hash="1")
    )
    session.commit()
    report = build_content(session, content, now=T1)
    session.commit()
    assert report.written and report.questions_updated == count(session, models.Question)
    assert count(session, models.Question, models.Question.prompt_html.is_(None)) == 0


def test_removed_sources_retire_questions_and_entries(session: Session, content: Path) -> None:
    build_content(session, content, now=T0)
    session.commit()
    (content / "commands/ss.md").unlink()
    report = build_content(session, content, now=T1)
    session.commit()
    assert report.questions_retired == 6
    retired = session.scalars(select(models.Question).where(models.Question.retired)).all()
    assert {q.entry_slug for q in retired} == {"cmd-ss"}
    assert count(session, models.Question, models.Question.entry_slug == "cmd-ss") == 6
    entry = session.get(models.Entry, "cmd-ss")
    assert entry is not None and entry.retired
    assert kb.entry_page(session, "cmd-ss") is None


def test_a_build_with_errors_changes_nothing(session: Session, content: Path) -> None:
    build_content(session, content, now=T0)
    session.commit()
    before = session.scalars(select(models.Question.id, models.Question.content_hash)).all()
    path = content / "kb/processes/signals.md"
    path.write_text(path.read_text().replace("level: beginner", "level: expert"))
    (content / "kb/processes/oom-killer.md").unlink()
    report = build_content(session, content, now=T1)
    session.commit()
    assert not report.written and report.errors
    assert session.scalars(select(models.Question.id, models.Question.content_hash)).all() == before
    assert count(session, models.Question, models.Question.retired.is_(True)) == 0


def test_strict_refuses_warnings(session: Session, content: Path) -> None:
    (content / "notes.md").write_text("stray\n")
    report = build_content(session, content, now=T0, strict=True)
    assert not report.written and report.warnings and not report.errors
    assert count(session, models.Question) == 0


def test_restored_source_unretires_its_questions(session: Session, content: Path) -> None:
    build_content(session, content, now=T0)
    session.commit()
    saved = (content / "commands/ss.md").read_text()
    (content / "commands/ss.md").unlink()
    build_content(session, content, now=T1)
    session.commit()
    (content / "commands/ss.md").write_text(saved)
    report = build_content(session, content, now=T1)
    session.commit()
    # the six ss questions come back; multiple-choice distractors elsewhere change too
    assert report.questions_updated >= 6 and report.questions_created == 0
    assert count(session, models.Question, models.Question.retired.is_(True)) == 0


def test_kb_queries(session: Session, content: Path) -> None:
    build_content(session, content, now=T0)
    session.commit()
    assert [c.slug for c in kb.categories(session)] == ["processes", "memory"]
    assert [c.slug for c in kb.search(session, "out-of-memory")] == ["oom-killer"]
    assert [c.slug for c in kb.search(session, "", "memory")] == ["cgroups"]
    page = kb.entry_page(session, "process-and-pid")
    assert page is not None
    assert [c.slug for c in page.see_also] == ["signals", "oom-killer"]
    assert [c.slug for c in page.cheatsheets] == ["cmd-ss"]
    assert "interview" not in page.question_counts and page.question_counts["cloze"] == 1
    lesson = kb.lesson_page(session, "advanced-02-cgroups-v2")
    assert lesson is not None and [c.slug for c in lesson[1]] == ["oom-killer"]


def test_progress_hook_sees_every_parsed_file(session: Session, content: Path) -> None:
    from contextlib import contextmanager

    seen: list[str] = []
    totals: list[int] = []

    @contextmanager
    def progress(total: int):  # type: ignore[no-untyped-def]
        totals.append(total)
        yield lambda source: seen.append(source.path)

    build_content(session, content, now=T0, progress=progress)
    assert totals == [7]
    everything = [p.relative_to(content).as_posix() for p in content.rglob("*") if p.is_file()]
    assert sorted(seen) == sorted(everything)


def test_strict_build_rechecks_even_when_nothing_changed(session: Session, content: Path) -> None:
    (content / "notes.md").write_text("stray\n")
    assert build_content(session, content, now=T0).written  # warnings allowed
    session.commit()
    strict = build_content(session, content, now=T1, strict=True)
    assert not strict.noop and not strict.written and strict.warnings


def test_cards_follow_their_questions_category_and_retirement(
    session: Session, content: Path
) -> None:
    build_content(session, content, now=T0)
    user = make_user(session)
    for qid in ("oom-killer/interview/victim-choice", "oom-killer/interview/oom-group"):
        question = session.get(models.Question, qid)
        assert question is not None and question.category == "processes"
        session.add(models.CardState(user_id=user.id, question_id=qid, due=T0, created_at=T0,
                                     category=question.category))  # fmt: skip
    ss = session.scalars(select(models.Question).where(models.Question.entry_slug == "cmd-ss"))
    session.add_all(
        models.CardState(user_id=user.id, question_id=q.id, due=T0, created_at=T0,
                         category=q.category)
        for q in ss
    )  # fmt: skip
    session.commit()
    moved = content / "kb/memory/oom-killer.md"  # the folder names the category
    (content / "kb/processes/oom-killer.md").rename(moved)
    moved.write_text(moved.read_text().replace("category: processes", "category: memory", 1))
    (content / "commands/ss.md").unlink()
    report = build_content(session, content, now=T1)
    assert report.written, report.errors
    session.commit()
    cards = session.scalars(select(models.CardState)).all()
    moved = {c.category for c in cards if c.question_id.startswith("oom-killer/")}
    assert moved == {"memory"}
    assert {c.selected for c in cards if c.question_id.startswith("cmd-ss/")} == {False}
    assert {c.selected for c in cards if c.question_id.startswith("oom-killer/")} == {True}

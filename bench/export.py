"""Benchmark: the Anki export of N questions against genanki alone writing N plain notes.

Usage: .venv/bin/python bench/export.py [N]   (default: 10000)

The questions are the real compiled content (content/), cycled until there are
N, each copy with its own id and its wording changed at the start of the
prompt (so an OOM scenario's text is new in each copy too: nothing is served
from the renderer's memo that a real bank of N distinct questions would not hit).
Timed in the same process (CPU time of the process, since the machine is
shared; wall time is printed too), best of 15, alternating:

- baseline: genanki alone — one two-field model, N notes whose fields are the
  questions' escaped prompt and answer, `Package.write_to_file`;
- export: `quizapp.core.anki.build_export` (Markdown → HTML, sanitising, notes,
  decks) plus `services.anki_export.write_package` to a file;
- service: the same through `export_anki` with the questions read from SQLite
  (reported, not part of the target).

Target: export ≤ 1.5× baseline.
"""

from __future__ import annotations

import gc
import html
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import genanki
from sqlalchemy import insert
from sqlalchemy.orm import Session

import quizapp.data.models as models
from quizapp.core.anki import build_export
from quizapp.core.compiler import compile_directory
from quizapp.core.questions import Question
from quizapp.data.base import Base
from quizapp.data.engine import make_engine
from quizapp.services.anki_export import Selection, export_anki, write_package

ROOT = Path(__file__).resolve().parent.parent
T0 = datetime(2026, 1, 1, tzinfo=UTC)
TARGET = 1.5
ROUNDS = 15


def questions(n: int) -> tuple[list[tuple[Question, datetime]], dict[str, str]]:
    result = compile_directory(ROOT / "content")
    base = result.questions
    titles = {slug: c.title for slug, c in result.categories.items()}
    out = []
    for i in range(n):
        q = base[i % len(base)]
        copy = i // len(base)
        if copy:
            q = replace(
                q,
                id=f"{q.id}~{copy}",
                prompt=f"(variant {copy}) {q.prompt}",
                answer=f"{q.answer} (variant {copy})",
                explanation=f"{q.explanation} (variant {copy})",
            )
        out.append((q, T0 + timedelta(seconds=i % 977)))
    return out, titles


def baseline(items: list[tuple[Question, datetime]], path: Path) -> None:
    model = genanki.Model(
        1607392319,
        "Plain",
        fields=[{"name": "Front"}, {"name": "Back"}],
        templates=[
            {"name": "Card 1", "qfmt": "{{Front}}", "afmt": '{{FrontSide}}<hr id="answer">{{Back}}'}
        ],
    )
    deck = genanki.Deck(2059400110, "Plain")
    for q, _ in items:
        deck.add_note(
            genanki.Note(model=model, fields=[html.escape(q.prompt), html.escape(q.answer)])
        )
    genanki.Package(deck).write_to_file(str(path), timestamp=T0.timestamp())


def export(items: list[tuple[Question, datetime]], titles: dict[str, str], path: Path) -> int:
    result = build_export(items, base_url="https://quiz.example", category_titles=titles)
    with path.open("wb") as out:
        write_package(result, out)
    return len(result.exported)


def timed(fn: object, *args: object) -> tuple[float, float]:
    """(CPU seconds of this process, wall seconds): the machine is shared, so CPU decides."""
    gc.collect()
    cpu, wall = time.process_time(), time.perf_counter()
    fn(*args)  # type: ignore[operator]
    return time.process_time() - cpu, time.perf_counter() - wall


def service_seconds(
    items: list[tuple[Question, datetime]], titles: dict[str, str], tmp: str
) -> float:
    """CPU seconds of `export_anki` (select from SQLite, build, write), best of 3."""
    engine = make_engine(f"sqlite:///{tmp}/bench.sqlite3")
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        session.add_all(models.Category(slug=slug, title=title) for slug, title in titles.items())
        banks = {}
        for slug in sorted({q.bank for q, _ in items}):
            banks[slug] = models.Bank(slug=slug, title=slug)
            session.add(banks[slug])
        session.flush()
        rows = [
            {
                "id": q.id, "bank_id": banks[q.bank].id, "kind": q.kind.value,
                "prompt": q.prompt, "answer": q.answer, "explanation": q.explanation,
                "data": q.data, "entry_slug": q.entry_slug, "category": q.category,
                "level": q.level.value, "tags": list(q.tags), "content_hash": q.content_hash,
                "created_at": at, "updated_at": at,
            }
            for q, at in items
        ]  # fmt: skip
        session.execute(insert(models.Question), rows)
        session.commit()
        best = float("inf")
        for _ in range(3):
            with open(f"{tmp}/service.apkg", "wb") as out:
                gc.collect()
                start = time.process_time()
                export_anki(session, Selection(), out, base_url="https://quiz.example")
                best = min(best, time.process_time() - start)
    engine.dispose()
    return best


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    items, titles = questions(n)
    with tempfile.TemporaryDirectory() as tmp:
        base_path, export_path = Path(tmp) / "base.apkg", Path(tmp) / "export.apkg"
        export(items[:200], titles, export_path)  # warm imports (the compiler's renderer)
        base_times, export_times = [], []
        for _ in range(ROUNDS):
            base_times.append(timed(baseline, items, base_path))
            export_times.append(timed(export, items, titles, export_path))
        notes = export(items, titles, export_path)
        (b, bw), (e, ew) = min(base_times), min(export_times)
        print(f"questions: {n}, notes: {notes}; best of {ROUNDS}, CPU seconds (wall)")
        print(
            f"baseline (genanki alone, {n} plain notes): {b:.3f}s ({bw:.3f}s)"
            f"  {base_path.stat().st_size:,} B"
        )
        print(
            f"export (build + write .apkg):             {e:.3f}s ({ew:.3f}s)"
            f"  {export_path.stat().st_size:,} B"
        )
        ratio = e / b
        print(f"ratio: {ratio:.2f}x (target <= {TARGET}x) {'OK' if ratio <= TARGET else 'MISSED'}")
        service = service_seconds(items, titles, tmp)
        print(f"service (SQLite select + build + write):  {service:.3f}s CPU ({service / b:.2f}x)")


if __name__ == "__main__":
    main()

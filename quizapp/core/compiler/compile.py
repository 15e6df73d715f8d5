"""The compiler's phases: classify → parse → validate → generate.

`compile_content` takes files already read (see `reader.read_content`) and
returns a `CompileResult` with every diagnostic; it never raises on bad content.
Writing the result to the database is a service (`quizapp.services.build`).
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, MutableMapping
from contextlib import contextmanager

from quizapp.core.compiler.diagnostics import Diagnostic, Diagnostics
from quizapp.core.compiler.generate import banks_for, generate_questions
from quizapp.core.compiler.model import (
    Category,
    CompileResult,
    Entry,
    Lesson,
    ParsedFile,
    SourceFile,
)
from quizapp.core.compiler.oom_hook import scenario_questions
from quizapp.core.compiler.parse import (
    parse_categories,
    parse_cheatsheet,
    parse_kb_entry,
    parse_lessons,
)
from quizapp.core.compiler.render import Renderer

ParseCache = MutableMapping[tuple[str, str], ParsedFile]

CATEGORIES_FILE = "categories.yaml"
LESSONS_FILE = "lessons.yaml"


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic GC for a batch that only accumulates live objects.

    Entries, questions and rows stay alive until the batch ends, so every full
    collection would walk all of them again: quadratic in practice (the build
    of 10,000 entries spent its extra time there). The batch makes no garbage
    cycles worth collecting early; collection resumes afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def compile_content(
    files: Iterable[SourceFile],
    *,
    cache: ParseCache | None = None,
    diagnostics: Iterable[Diagnostic] = (),
    on_file: Callable[[SourceFile], None] | None = None,
) -> CompileResult:
    """Compile a content tree. `cache` maps (path, sha) to earlier parse results;
    `on_file` is called after each file is parsed (for a progress bar)."""
    with paused_gc():
        return _compile(files, cache, diagnostics, on_file)


def _compile(
    files: Iterable[SourceFile],
    cache: ParseCache | None,
    diagnostics: Iterable[Diagnostic],
    on_file: Callable[[SourceFile], None] | None,
) -> CompileResult:
    diags = Diagnostics()
    diags.extend(list(diagnostics))
    files = sorted(files, key=lambda f: f.path)
    categories: dict[str, Category] = {}
    lessons: dict[str, Lesson] = {}
    entries: list[Entry] = []
    scenarios: list[SourceFile] = []
    renderer: Renderer | None = None
    has_kb = any(f.path.startswith("kb/") for f in files)
    has_scenarios = any(f.path.startswith("scenarios/") for f in files)
    seen_categories = seen_lessons = False

    for source in files:
        path = source.path
        if path == CATEGORIES_FILE:
            categories, seen_categories = parse_categories(source, diags), True
        elif path == LESSONS_FILE:
            lessons, seen_lessons = parse_lessons(source, diags), True
        elif path.startswith("scenarios/"):
            scenarios.append(source)
        elif path.endswith(".md") and path.startswith(("kb/", "commands/")):
            key = (path, source.sha)
            parsed = cache.get(key) if cache is not None else None
            if parsed is None:
                renderer = renderer or Renderer()
                if path.startswith("kb/"):
                    parsed = parse_kb_entry(source, renderer)
                else:
                    parsed = parse_cheatsheet(source, renderer)
                if cache is not None:
                    cache[key] = parsed
            diags.extend(list(parsed.diagnostics))
            if parsed.entry is not None:
                entries.append(parsed.entry)
        else:
            diags.warning(
                path,
                0,
                "file is not part of the content layout; ignored",
                "see content/README.md for where files go",
            )
        if on_file is not None:
            on_file(source)
    if has_kb and not seen_categories:
        diags.error(
            CATEGORIES_FILE, 0, "categories.yaml is missing", "create it: `slug: Title` per line"
        )
    if any(e.lessons for e in entries) and not seen_lessons:
        diags.error(LESSONS_FILE, 0, "lessons.yaml is missing", "create it: `id: Title` per line")

    from quizapp.core.compiler.validate import validate_entries

    entries = validate_entries(entries, categories, lessons, diags)
    questions = generate_questions(entries, categories)
    banks = banks_for(entries, categories)
    oom_banks, oom_questions = scenario_questions(scenarios, diags, enabled=has_scenarios)
    banks.extend(oom_banks)
    questions.extend(oom_questions)
    _check_unique_ids(questions, diags)
    return CompileResult(
        categories=categories,
        lessons=lessons,
        entries=sorted(entries, key=lambda e: e.slug),
        banks=banks,
        questions=questions,
        diagnostics=diags.sorted(),
        source_hashes={f.path: f.sha for f in files},
    )


def _check_unique_ids(questions: list, diags: Diagnostics) -> None:  # type: ignore[type-arg]
    seen: set[str] = set()
    for question in questions:
        if question.id in seen:  # the parsers prevent this; a last guard
            diags.error(f"<{question.bank}>", 0, f"two questions share the id `{question.id}`")
        seen.add(question.id)

"""The content compiler: Markdown knowledge base and cheat-sheets → question banks.

Pure: no Flask, no SQLAlchemy; the only file access is `read_content(root)`.
Phases (like MkDocs): read every file → parse each → validate across entries →
generate questions. Every problem becomes a `Diagnostic`; nothing raises on bad
content. Writing to the database is `quizapp.services.build`.
"""

from __future__ import annotations

from pathlib import Path

from quizapp.core.compiler.answers import TypedAnswerResult, check_typed_answer
from quizapp.core.compiler.compile import ParseCache, compile_content
from quizapp.core.compiler.diagnostics import Diagnostic, Severity
from quizapp.core.compiler.model import (
    Category,
    Command,
    CompileResult,
    Entry,
    EntryKind,
    Lesson,
    SourceFile,
)
from quizapp.core.compiler.reader import read_content
from quizapp.core.compiler.version import COMPILER_VERSION, content_fingerprint

__all__ = [
    "COMPILER_VERSION",
    "Category",
    "Command",
    "CompileResult",
    "Diagnostic",
    "Entry",
    "EntryKind",
    "Lesson",
    "ParseCache",
    "Severity",
    "SourceFile",
    "TypedAnswerResult",
    "check_typed_answer",
    "compile_content",
    "compile_directory",
    "content_fingerprint",
    "read_content",
]


def compile_directory(root: Path, *, cache: ParseCache | None = None) -> CompileResult:
    """Read and compile a content folder."""
    files, problems = read_content(root)
    return compile_content(files, cache=cache, diagnostics=problems)

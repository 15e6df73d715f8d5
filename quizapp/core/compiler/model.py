"""The compiler's values: sources in, entries, lessons, banks and questions out."""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass, field

from quizapp.core.compiler.diagnostics import Diagnostic, Severity
from quizapp.core.compiler.version import content_fingerprint
from quizapp.core.questions import Bank, Level, Question


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One file under the content root, already read (the compiler does no I/O)."""

    path: str  # relative to the content root, forward slashes
    text: str
    sha: str = ""

    @classmethod
    def of(cls, path: str, text: str) -> SourceFile:
        return cls(path, text, hashlib.sha256(text.encode()).hexdigest()[:32])


class EntryKind(enum.StrEnum):
    KB = "kb"  # content/kb/<category>/<slug>.md
    CHEATSHEET = "cheatsheet"  # content/commands/<name>.md with front matter
    TLDR = "tldr"  # content/commands/**/<name>.md, a tldr-pages page


@dataclass(frozen=True, slots=True)
class Category:
    slug: str
    title: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class Lesson:
    id: str
    title: str
    url: str = ""


@dataclass(frozen=True, slots=True)
class Command:
    """A command with its one-line description, from any source format.

    `template` keeps tldr placeholders (`{{path/to/file}}`, `{{[-o|--output]}}`);
    `plain` is what to show or copy: option placeholders resolved to the long
    form, other placeholders to their text.
    """

    template: str
    description: str  # Markdown, one line
    line: int
    plain: str = ""
    description_html: str = ""


@dataclass(frozen=True, slots=True)
class InterviewItem:
    key: str  # the author's explicit {#key}
    question: str  # Markdown, one line
    answer: str  # Markdown
    line: int


@dataclass(frozen=True, slots=True)
class ClozeBlock:
    text: str  # Markdown with {{cN::answer::hint}} marks
    line: int
    section: str = ""


@dataclass(frozen=True, slots=True)
class Section:
    id: str  # heading anchor
    title: str
    level: int


@dataclass(frozen=True, slots=True)
class Entry:
    """A page of the knowledge base: a KB entry, a cheat-sheet or a tldr page."""

    identity: str  # explicit `id`, else the slug: what question ids hang off
    slug: str  # URL: /kb/<slug>
    kind: EntryKind
    path: str
    source_sha: str
    title: str
    category: str
    level: Level
    summary: str
    aka: tuple[str, ...] = ()
    see_also: tuple[str, ...] = ()
    lessons: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    parent: str = ""  # cheat-sheets: the KB entry they belong to (`entry:`)
    markdown: str = ""  # the file as written ("view as Markdown")
    html: str = ""  # sanitised body, without the Commands section
    summary_html: str = ""
    sections: tuple[Section, ...] = ()
    commands: tuple[Command, ...] = ()
    interview: tuple[InterviewItem, ...] = ()
    clozes: tuple[ClozeBlock, ...] = ()
    key_lines: dict[str, int] = field(default_factory=dict)  # front-matter key -> line


@dataclass(frozen=True, slots=True)
class ParsedFile:
    """What parsing one file yields: maybe an entry, and that file's diagnostics."""

    source: SourceFile
    entry: Entry | None
    diagnostics: tuple[Diagnostic, ...] = ()


@dataclass(slots=True)
class CompileResult:
    categories: dict[str, Category]
    lessons: dict[str, Lesson]
    entries: list[Entry]
    banks: list[Bank]
    questions: list[Question]
    diagnostics: list[Diagnostic]
    source_hashes: dict[str, str]  # path -> sha of every file read

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.WARNING]

    def ok(self, *, strict: bool = False) -> bool:
        return not self.errors and not (strict and self.warnings)

    @property
    def fingerprint(self) -> str:
        """One hash of every source file; equal fingerprints mean a no-op rebuild."""
        return content_fingerprint(self.source_hashes)

"""Diagnostics: every problem the compiler finds, with file and line.

The compiler never raises on bad content; it collects `Diagnostic` values and
reports them all at once, one per line, as `path:line: error|warning: message`.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True, order=True)
class Diagnostic:
    path: str  # relative to the content root, with forward slashes
    line: int  # 1-based; 0 when the problem concerns the whole file
    severity: Severity
    message: str
    hint: str = ""

    def format(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{where}: {self.severity.value}: {self.message}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text


class Diagnostics:
    """A collector handed to each phase; phases add, nobody raises."""

    def __init__(self) -> None:
        self.items: list[Diagnostic] = []

    def error(self, path: str, line: int, message: str, hint: str = "") -> None:
        self.items.append(Diagnostic(path, line, Severity.ERROR, message, hint))

    def warning(self, path: str, line: int, message: str, hint: str = "") -> None:
        self.items.append(Diagnostic(path, line, Severity.WARNING, message, hint))

    def extend(self, items: list[Diagnostic]) -> None:
        self.items.extend(items)

    def sorted(self) -> list[Diagnostic]:
        return sorted(self.items, key=lambda d: (d.path, d.line, d.severity, d.message))

"""Phase 1, the only I/O in the compiler: read every content file under a root."""

from __future__ import annotations

from pathlib import Path

from quizapp.core.compiler.diagnostics import Diagnostic, Severity
from quizapp.core.compiler.model import SourceFile

_SUFFIXES = (".md", ".yaml", ".yml")


def read_content(root: Path) -> tuple[list[SourceFile], list[Diagnostic]]:
    """Read the content tree: README files and tldr translations (`pages.xx/`) are skipped."""
    files: list[SourceFile] = []
    problems: list[Diagnostic] = []
    if not root.is_dir():
        problems.append(
            Diagnostic(
                str(root), 0, Severity.ERROR, "content directory not found", "pass --content DIR"
            )
        )
        return files, problems
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.suffix not in _SUFFIXES:
            continue
        relative = path.relative_to(root).as_posix()
        parts = relative.split("/")
        if path.name.lower() == "readme.md" or any(
            p.startswith(".") or p.startswith("pages.") for p in parts
        ):
            continue
        try:
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError as exc:
            problems.append(
                Diagnostic(
                    relative,
                    0,
                    Severity.ERROR,
                    f"not UTF-8 text ({exc.reason})",
                    "save the file as UTF-8",
                )
            )
            continue
        except OSError as exc:
            problems.append(Diagnostic(relative, 0, Severity.ERROR, f"cannot read: {exc.strerror}"))
            continue
        files.append(SourceFile.of(relative, text.replace("\r\n", "\n")))
    return files, problems

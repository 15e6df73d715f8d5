"""`quizapp check`, `quizapp build`, `quizapp export-json`: content → question banks.

Thin wrappers over `quizapp.services.build`. Diagnostics go to stderr as
`path:line: error|warning: message`; the exit code is 1 on errors (or on
warnings with --strict).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from quizapp import database
from quizapp.clock import now
from quizapp.core.compiler import CompileResult, Diagnostic, SourceFile
from quizapp.core.compiler.export import to_json
from quizapp.services.build import BuildReport, build_content, check_content

content_option = click.option(
    "--content",
    "content_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Content folder (default: the app's CONTENT_DIR).",
)
strict_option = click.option("--strict", is_flag=True, help="Treat warnings as errors.")


def _content_dir(content_dir: Path | None) -> Path:
    return content_dir or Path(current_app.config["CONTENT_DIR"])


def _print_diagnostics(diagnostics: list[Diagnostic], root: Path) -> None:
    """One `path:line: severity: message` per problem, the path as the author's editor needs it."""
    for diagnostic in diagnostics:
        shown = os.path.relpath(root / diagnostic.path) if diagnostic.path else str(root)
        click.echo(replace(diagnostic, path=shown).format(), err=True)


def _counts(diagnostics: list[Diagnostic]) -> tuple[int, int]:
    errors = sum(d.severity.value == "error" for d in diagnostics)
    return errors, len(diagnostics) - errors


def _fail_if(errors: int, warnings: int, strict: bool) -> None:
    if errors or (strict and warnings):
        raise SystemExit(1)


@click.command(help="Validate content/ and report every problem with file and line.")
@content_option
@strict_option
@with_appcontext
def check(content_dir: Path | None, strict: bool) -> None:
    root = _content_dir(content_dir)
    result = check_content(root)
    _print_diagnostics(result.diagnostics, root)
    errors, warnings = _counts(result.diagnostics)
    click.echo(
        f"{len(result.entries)} entries, {len(result.questions)} questions in "
        f"{len(result.banks)} banks; {errors} errors, {warnings} warnings"
    )
    _fail_if(errors, warnings, strict)


@contextmanager
def _progress(total: int) -> Iterator[Callable[[SourceFile], None]]:
    """A progress bar on a terminal; nothing in logs and CI (the summary says it all)."""
    if not sys.stdout.isatty():
        yield lambda _source: None
        return
    with click.progressbar(length=total, label="compiling content") as bar:
        yield lambda _source: bar.update(1)


def build_from_cli(root: Path, *, strict: bool = False, force: bool = False) -> BuildReport:
    """Build and commit (the CLI's unit of work); exit 1 if the build was refused."""
    session = database.get_session()
    report = build_content(session, root, now=now(), strict=strict, force=force, progress=_progress)
    if report.written:
        session.commit()
    else:
        session.rollback()
    _print_diagnostics(report.diagnostics, root)
    click.echo(report.summary())
    errors, warnings = _counts(report.diagnostics)
    _fail_if(errors, warnings, strict)
    return report


@click.command(help="Compile content/ and write the question banks to the database.")
@content_option
@strict_option
@click.option("--force", is_flag=True, help="Rebuild even if no content file changed.")
@click.option(
    "--json",
    "json_file",
    type=click.File("w", encoding="utf-8"),
    default=None,
    help="Also write the compiled banks as JSON to FILE ('-' for stdout).",
)
@with_appcontext
def build(content_dir: Path | None, strict: bool, force: bool, json_file: object) -> None:
    root = _content_dir(content_dir)
    report = build_from_cli(root, strict=strict, force=force)
    if json_file is not None:
        result = report.result or check_content(root)
        _write_json(result, json_file)


def _write_json(result: CompileResult, out: object) -> None:
    json.dump(to_json(result), out, ensure_ascii=False, indent=2, sort_keys=True)  # type: ignore[arg-type]
    out.write("\n")  # type: ignore[attr-defined]


@click.command("export-json", help="Compile content/ and print the banks as JSON (no database).")
@content_option
@click.option(
    "-o",
    "--output",
    type=click.File("w", encoding="utf-8"),
    default="-",
    help="File (default: stdout).",
)
@with_appcontext
def export_json(content_dir: Path | None, output: object) -> None:
    root = _content_dir(content_dir)
    result = check_content(root)
    errors, warnings = _counts(result.diagnostics)
    if errors:
        _print_diagnostics(result.diagnostics, root)
        raise SystemExit(1)
    _write_json(result, output)


def register(group: click.Group) -> None:
    for command in (check, build, export_json):
        group.add_command(command)

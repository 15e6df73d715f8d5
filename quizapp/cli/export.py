"""`quizapp export anki|csv`: a selection of questions as an Anki package or a TSV file.

Thin wrappers over `quizapp.services.anki_export`. Links on the cards point
at `--base-url` (default: the app's `PUBLIC_BASE_URL`, else
http://localhost:5000).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext

from quizapp import database
from quizapp.core.errors import UserInputError
from quizapp.services import anki_export
from quizapp.services.anki_export import ExportSummary, Selection

DEFAULT_BASE_URL = "http://localhost:5000"


def _selection_options(command: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.option(
            "--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path)
        ),
        click.option("--bank", "banks", multiple=True, help="Bank slug (repeatable)."),
        click.option("--category", "categories", multiple=True, help="Category slug (repeatable)."),
        click.option(
            "--level", "levels", multiple=True, help="beginner, intermediate or advanced."
        ),
        click.option("--kind", "kinds", multiple=True, help="Question kind, e.g. cloze."),
        click.option("--base-url", default=None, help="Site URL the cards link back to."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _prepare(
    banks: tuple[str, ...],
    categories: tuple[str, ...],
    levels: tuple[str, ...],
    kinds: tuple[str, ...],
    base_url: str | None,
) -> tuple[Selection, str]:
    try:
        selection = Selection.of(banks, categories, levels, kinds)
    except UserInputError as exc:
        raise click.UsageError(str(exc)) from exc
    url = base_url or current_app.config.get("PUBLIC_BASE_URL") or DEFAULT_BASE_URL
    return selection, str(url)


def _report(summary: ExportSummary, out: Path) -> None:
    if not summary.questions:
        click.echo("warning: no questions match the selection; the file is empty", err=True)
    click.echo(f"{out}: {summary.describe()}")
    for note_type, notes in sorted(summary.notes.items()):
        click.echo(f"  {note_type.value}: {notes} notes, {summary.cards[note_type]} cards")


@click.group(help="Export questions for Anki (.apkg) or spreadsheets (.tsv).")
def export() -> None:
    pass


@export.command("anki", help="Write an Anki package; re-importing updates notes in place.")
@_selection_options
@with_appcontext
def export_anki(
    out: Path,
    banks: tuple[str, ...],
    categories: tuple[str, ...],
    levels: tuple[str, ...],
    kinds: tuple[str, ...],
    base_url: str | None,
) -> None:
    selection, url = _prepare(banks, categories, levels, kinds, base_url)
    with out.open("wb") as stream:
        summary = anki_export.export_anki(database.get_session(), selection, stream, base_url=url)
    _report(summary, out)


@export.command("csv", help="Write a TSV with Anki's text-import headers.")
@_selection_options
@with_appcontext
def export_csv(
    out: Path,
    banks: tuple[str, ...],
    categories: tuple[str, ...],
    levels: tuple[str, ...],
    kinds: tuple[str, ...],
    base_url: str | None,
) -> None:
    selection, url = _prepare(banks, categories, levels, kinds, base_url)
    with out.open("w", encoding="utf-8", newline="") as stream:
        summary = anki_export.export_tsv(database.get_session(), selection, stream, base_url=url)
    _report(summary, out)

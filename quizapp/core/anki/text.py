"""Notes → rows for Anki's text import (TSV), using Anki's built-in note types.

A spreadsheet wants few columns, and a text import can only use note types
that already exist in the collection; so each note becomes two fields of a
stock note type every Anki install has: "Basic", "Basic (and reversed card)",
"Basic (type in the answer)" or "Cloze" (English names). The GUID is the same
as in the .apkg. Header lines follow Anki's text-import format
(`#separator`, `#html`, `#guid column`, `#notetype column`, ...).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from quizapp.core.anki.build import AnkiExport, ExportedNote
from quizapp.core.anki.models import NoteType
from quizapp.core.anki.notes import note_guid

HEADER = (
    "#separator:tab",
    "#html:true",
    "#guid column:1",
    "#notetype column:2",
    "#deck column:3",
    "#tags column:6",
)
COLUMNS = ("GUID", "Note type", "Deck", "Front", "Back", "Tags")


def _section(css_class: str, html: str) -> str:
    return f'<div class="{css_class}">{html}</div>' if html else ""


def _back(note: ExportedNote, *names: str) -> str:
    content = note.content
    return "".join(_section(f"qz-{name.lower()}", content.field(name)) for name in names)


Row = tuple[str, str, str, str, str, str]


def note_rows(note: ExportedNote) -> list[Row]:
    """(guid, note type, deck, front, back, tags) rows for one note.

    A term/definition pair is one .apkg note with a reverse card; "Basic (and
    reversed card)" would show the plain Back as the reverse prompt and give the
    term away, so here the reverse is a second row with its own question's GUID.
    """
    content = note.content
    rows_ = [_row(note)]
    if content.note_type is NoteType.BASIC and content.field("Reverse Front"):
        reverse = content.questions[-1]
        rows_.append(
            (
                note_guid(reverse.id),
                "Basic",
                note.deck,
                content.field("Reverse Front"),
                content.field("Reverse Back") + _back(note, "Source"),
                " ".join(content.tags),
            )
        )
    return rows_


def _row(note: ExportedNote) -> Row:
    content = note.content
    kind = content.note_type
    if kind is NoteType.BASIC:
        notetype, front = "Basic", content.field("Front")
        back = _back(note, "Back", "Explanation", "Source")
    elif kind is NoteType.TYPED:
        notetype, front = "Basic (type in the answer)", content.field("Prompt")
        back = content.field("Answer")
    elif kind is NoteType.CLOZE:
        notetype, front = "Cloze", content.field("Text")
        back = _back(note, "Extra", "Source")
    elif kind is NoteType.CHOICE:
        notetype = "Basic"
        front = content.field("Question") + content.field("Choices")
        back = f"<div>{content.field('Correct')}. {content.field('Answer')}</div>" + _back(
            note, "Explanation", "Source"
        )
    else:
        notetype = "Basic"
        front = content.field("Question") + content.field("Scenario") + content.field("Choices")
        answer = content.field("Answer")
        if content.field("Correct"):
            answer = f"{content.field('Correct')}. {answer}"
        back = f"<div>{answer}</div>" + _back(note, "Scores", "Explanation", "Source")
    return (content.guid, notetype, note.deck, front, back, " ".join(content.tags))


def rows(export: AnkiExport) -> Iterator[Row]:
    for note in export.exported:
        yield from note_rows(note)


def tsv_lines(export: AnkiExport) -> Iterable[str]:
    """The whole file, line by line; tabs and newlines inside fields are flattened."""
    yield from (line + "\n" for line in HEADER)
    yield "#columns:" + "\t".join(COLUMNS) + "\n"
    for values in rows(export):
        yield "\t".join(_cell(value) for value in values) + "\n"


def _cell(value: str) -> str:
    # Fields are HTML: a newline is only meaningful inside <pre>, where <br> is not needed
    # because Anki keeps the HTML as is; quoting would be the alternative, but spreadsheet
    # tools handle one-line cells best.
    return value.replace("\t", "&#9;").replace("\r", "").replace("\n", "&#10;")

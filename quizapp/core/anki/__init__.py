"""Question banks → Anki notes, note types and decks (pure: writing the file is a service).

`build_export(questions_with_times, base_url=...)` returns genanki decks ready
for `genanki.Package`; `quizapp.services.anki_export` selects the questions
and writes the .apkg. The design follows the re-import rules tested in
`docs/research/srs-anchors.md` §2: fixed note type ids and names, GUIDs from
question ids, per-note modification times from `updated_at`.
"""

from __future__ import annotations

from quizapp.core.anki import text
from quizapp.core.anki.build import (
    ROOT_DECK,
    AnkiExport,
    ExportedNote,
    QuizDeck,
    build_export,
    deck_id,
    deck_name,
    required_fields_missing,
)
from quizapp.core.anki.models import MODELS, SPECS, TEMPLATES_REVISED, NoteType, NoteTypeSpec
from quizapp.core.anki.notes import NoteContent, build_note, note_guid, note_type_for, tag

__all__ = [
    "MODELS",
    "ROOT_DECK",
    "SPECS",
    "TEMPLATES_REVISED",
    "AnkiExport",
    "ExportedNote",
    "NoteContent",
    "NoteType",
    "NoteTypeSpec",
    "QuizDeck",
    "build_export",
    "build_note",
    "deck_id",
    "deck_name",
    "note_guid",
    "note_type_for",
    "required_fields_missing",
    "tag",
    "text",
]

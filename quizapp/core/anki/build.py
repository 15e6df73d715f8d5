"""A question bank → genanki decks, notes and a package timestamp (no file I/O).

Re-import behaviour (srs-anchors §2.2) decides the design:

- GUID: `notes.note_guid(question.id)`; never the text.
- Each note's modification time is its question's `updated_at`, so after an
  edit only the edited notes are newer than the copies in Anki ("updated",
  cards and scheduling kept) and the others stay "duplicate". genanki stamps
  every note with the package timestamp, so `QuizDeck` writes each note's own `mod`.
- The package timestamp — the note types' `mod`, and the base of note and
  card ids — is the newest of all note times and `models.TEMPLATES_REVISED`:
  the same selection of unchanged questions always gives the same package.
- Decks are matched by name in Anki, so names are stable:
  `Interview Prep::<category title>`, ids derived from the name.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import genanki

from quizapp.core.anki.html import FieldRenderer
from quizapp.core.anki.models import MODELS, SPECS, TEMPLATES_REVISED, NoteType
from quizapp.core.anki.notes import NoteContent, build_note
from quizapp.core.questions import Question, QuestionKind

ROOT_DECK = "Interview Prep"
OTHER_DECK = "Other"

_KIND_ORDER = {kind: index for index, kind in enumerate(QuestionKind)}


def deck_name(title: str) -> str:
    """`Interview Prep::<title>`; `::` inside a title would nest, so it is replaced."""
    clean = " ".join(title.replace("::", ":").split()) or OTHER_DECK
    return f"{ROOT_DECK}::{clean}"


def deck_id(name: str) -> int:
    """A fixed id from the deck's name, in genanki's suggested range [2**30, 2**31)."""
    digest = hashlib.sha256(f"quizapp:deck:{name}".encode()).digest()
    return (1 << 30) + int.from_bytes(digest[:8], "big") % (1 << 30)


@dataclass(slots=True)
class ExportedNote:
    content: NoteContent
    deck: str
    mod: int  # the note's modification time, seconds
    due: int = 0  # position among new cards


_NOTE_INSERT = "INSERT INTO notes VALUES(?,?,?,?,?,?,?,?,?,?,?);"
_CARD_INSERT = "INSERT INTO cards VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?);"
_CARD_TAIL = (
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    "",
)  # ivl, factor, reps, lapses, left, odue, odid, flags, data


class QuizDeck(genanki.Deck):  # type: ignore[misc]
    """A genanki deck that writes its notes with their own modification times.

    genanki writes the deck and the note types (its JSON, its schema); the
    notes and cards are then inserted in two batches, in the row layout of
    `genanki.Note.write_to_db` (usn -1, checksum 0 for Anki to fill, the first
    field as sort field, ids from the package's id generator in the same
    order) except that `mod` is each note's own time — genanki would stamp
    every note with the package timestamp. Holding `ExportedNote`s instead of
    `genanki.Note` objects also spares a second copy of every field.
    """

    deck_id: int

    def __init__(self, deck_id: int, name: str) -> None:
        super().__init__(deck_id, name)
        self.exported: list[ExportedNote] = []

    def add(self, note: ExportedNote) -> None:
        self.exported.append(note)
        self.add_model(MODELS[note.content.note_type])

    def rows(
        self, timestamp: int, id_gen: Iterator[int]
    ) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        """The `notes` and `cards` rows, ids drawn from `id_gen` as genanki would."""
        ids: list[int] = []
        notes = list(self._note_rows(id_gen, ids))
        return notes, list(self._card_rows(timestamp, ids))

    def _note_rows(self, id_gen: Iterator[int], ids: list[int]) -> Iterator[tuple[Any, ...]]:
        """Rows of `notes`; `ids` receives each note's id followed by its cards' ids."""
        model_ids = {t: MODELS[t].model_id for t in NoteType}
        for exported in self.exported:
            content = exported.content
            note_id = next(id_gen)
            ids.append(note_id)
            ids.extend(next(id_gen) for _ in content.card_ords)
            fields = content.fields
            yield (
                note_id,
                content.guid,
                model_ids[content.note_type],
                exported.mod,
                -1,
                f" {' '.join(content.tags)} ",
                "\x1f".join(fields),
                fields[0],
                0,
                0,
                "",
            )

    def _card_rows(self, timestamp: int, ids: list[int]) -> Iterator[tuple[Any, ...]]:
        position = 0
        for exported in self.exported:
            note_id = ids[position]
            for ord_ in exported.content.card_ords:
                position += 1
                yield (ids[position], note_id, self.deck_id, ord_, timestamp, -1, 0, 0) + (
                    exported.due,
                    *_CARD_TAIL,
                )
            position += 1

    def write_to_db(self, cursor: Any, timestamp: float, id_gen: Any) -> None:
        """Stream the rows into SQLite: no list of every row stays alive (less GC work)."""
        super().write_to_db(cursor, timestamp, id_gen)  # deck and note type JSON
        ids: list[int] = []
        cursor.executemany(_NOTE_INSERT, self._note_rows(id_gen, ids))
        cursor.executemany(_CARD_INSERT, self._card_rows(int(timestamp), ids))


@dataclass(slots=True)
class AnkiExport:
    """Everything the service needs to write the .apkg, plus counts for reports and tests."""

    decks: list[QuizDeck]
    timestamp: int
    exported: list[ExportedNote] = field(default_factory=list)

    @property
    def notes(self) -> list[NoteContent]:
        return [e.content for e in self.exported]

    @property
    def note_counts(self) -> Counter[NoteType]:
        return Counter(note.note_type for note in self.notes)

    @property
    def card_counts(self) -> Counter[NoteType]:
        counts: Counter[NoteType] = Counter()
        for note in self.notes:
            counts[note.note_type] += note.card_count
        return counts

    @property
    def question_count(self) -> int:
        return sum(len(note.questions) for note in self.notes)

    def package(self) -> genanki.Package:
        return genanki.Package(self.decks)


def mod_time(updated_at: datetime) -> int:
    """Whole seconds since the epoch; `updated_at` must be timezone-aware."""
    if updated_at.tzinfo is None:
        raise ValueError("updated_at must be timezone-aware (UTC)")
    return int(updated_at.timestamp())


def pair_reverse_cards(questions: list[Question]) -> dict[str, Question]:
    """term→definition question id → its entry's definition→term question.

    The two are one Anki note with a forward and a reverse card. Pairs are
    made within the entry (one of each kind), so the note's GUID is the
    term→definition question's.
    """
    by_entry: dict[tuple[str, str], dict[QuestionKind, list[Question]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for q in questions:
        if q.entry_slug and q.kind in (QuestionKind.TERM_DEFINITION, QuestionKind.DEFINITION_TERM):
            by_entry[(q.bank, q.entry_slug)][q.kind].append(q)
    pairs: dict[str, Question] = {}
    for kinds in by_entry.values():
        forward, backward = kinds[QuestionKind.TERM_DEFINITION], kinds[QuestionKind.DEFINITION_TERM]
        if len(forward) == 1 and len(backward) == 1:
            pairs[forward[0].id] = backward[0]
    return pairs


def build_export(
    questions: Iterable[tuple[Question, datetime]],
    *,
    base_url: str,
    category_titles: Mapping[str, str] | None = None,
    bank_titles: Mapping[str, str] | None = None,
    full_renderer: Callable[[str], str] | None = None,
) -> AnkiExport:
    """Build decks and notes for `(question, updated_at)` pairs.

    The deck of a question is its category's title, else its bank's title,
    else "Other". Notes are ordered by deck, entry and kind, so new cards come
    entry by entry.
    """
    category_titles = category_titles or {}
    bank_titles = bank_titles or {}
    given = list(questions)
    mods = {q.id: mod_time(updated_at) for q, updated_at in given}
    items = list({q.id: q for q, _ in given}.values())
    render = FieldRenderer(base_url, full_renderer)

    deck_names: dict[tuple[str, str], str] = {}

    def deck_of(q: Question) -> str:
        key = (q.category, q.bank)
        name = deck_names.get(key)
        if name is None:
            title = category_titles.get(q.category) or bank_titles.get(q.bank) or q.category
            name = deck_names[key] = deck_name(title or OTHER_DECK)
        return name

    pairs = pair_reverse_cards(items)
    folded = {reverse.id for reverse in pairs.values()}
    names = {q.id: deck_of(q) for q in items}
    ordered = sorted(
        (q for q in items if q.id not in folded),
        key=lambda q: (names[q.id], q.entry_slug or "", _KIND_ORDER[q.kind], q.id),
    )
    decks: dict[str, QuizDeck] = {}
    export = AnkiExport(decks=[], timestamp=TEMPLATES_REVISED)
    for position, question in enumerate(ordered):
        reverse = pairs.get(question.id)
        content = build_note(question, render, reverse)
        mod = mods[question.id] if reverse is None else max(mods[question.id], mods[reverse.id])
        name = names[question.id]
        deck = decks.get(name)
        if deck is None:
            deck = decks[name] = QuizDeck(deck_id(name), name)
        exported = ExportedNote(content, name, mod, position)
        deck.add(exported)
        export.exported.append(exported)
        export.timestamp = max(export.timestamp, mod)
    export.decks = [decks[name] for name in sorted(decks)]
    return export


def required_fields_missing(note: NoteContent) -> list[str]:
    """Names of the note type's required fields that this note leaves empty."""
    spec = SPECS[note.note_type]
    return [name for name in spec.required if not note.field(name).strip()]

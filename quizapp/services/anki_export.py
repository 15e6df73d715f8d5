"""Export a selection of questions as an Anki package (.apkg) or a TSV for Anki's text import.

The notes come from `quizapp.core.anki`; this module selects the questions
(never retired ones), and writes the files deterministically: the same
questions give byte-identical output, so a re-import of an unchanged export
reports duplicates only, and an edited question (newer `updated_at`) is the
only note Anki reports as updated.
"""

from __future__ import annotations

import itertools
import re
import sqlite3
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import IO, Any

from genanki.apkg_col import APKG_COL
from genanki.apkg_schema import APKG_SCHEMA
from sqlalchemy import select
from sqlalchemy.orm import Session

from quizapp.core.anki import AnkiExport, NoteType, build_export, text
from quizapp.core.errors import UserInputError
from quizapp.core.questions import Level, Question, QuestionKind
from quizapp.data import models

# The two directions of a term are one Anki note: selecting either exports both.
_PARTNER_KINDS = {
    QuestionKind.TERM_DEFINITION.value: QuestionKind.DEFINITION_TERM.value,
    QuestionKind.DEFINITION_TERM.value: QuestionKind.TERM_DEFINITION.value,
}


@dataclass(frozen=True, slots=True)
class Selection:
    """Which questions to export; an empty tuple means "any"."""

    banks: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        problems = []
        bad_levels = sorted(set(self.levels) - {level.value for level in Level})
        if bad_levels:
            problems.append(f"unknown level(s): {', '.join(bad_levels)}")
        bad_kinds = sorted(set(self.kinds) - {kind.value for kind in QuestionKind})
        if bad_kinds:
            problems.append(f"unknown question kind(s): {', '.join(bad_kinds)}")
        if problems:
            raise UserInputError("; ".join(problems))

    @classmethod
    def of(
        cls,
        banks: Iterable[str] = (),
        categories: Iterable[str] = (),
        levels: Iterable[str] = (),
        kinds: Iterable[str] = (),
    ) -> Selection:
        def clean(values: Iterable[str]) -> tuple[str, ...]:
            return tuple(sorted({v.strip() for v in values if v and v.strip()}))

        return cls(clean(banks), clean(categories), clean(levels), clean(kinds))

    @classmethod
    def from_study(cls, study_selection: Mapping[str, Any] | None) -> Selection:
        """A user's `study_selection` ({"banks": [...], "categories": [...], ...}).

        Unknown keys are ignored, and so are values that are no longer valid
        (a level or kind that was renamed), so an old selection still exports.
        """
        data = study_selection or {}

        def strings(key: str, allowed: set[str] | None = None) -> list[str]:
            value = data.get(key)
            if not isinstance(value, list):
                return []
            return [v for v in value if isinstance(v, str) and (allowed is None or v in allowed)]

        return cls.of(
            strings("banks"),
            strings("categories"),
            strings("levels", {level.value for level in Level}),
            strings("kinds", {kind.value for kind in QuestionKind}),
        )

    @property
    def is_everything(self) -> bool:
        return not (self.banks or self.categories or self.levels or self.kinds)


@dataclass(slots=True)
class ExportSummary:
    questions: int
    notes: Counter[NoteType] = field(default_factory=Counter)
    cards: Counter[NoteType] = field(default_factory=Counter)
    decks: list[str] = field(default_factory=list)

    @property
    def note_total(self) -> int:
        return sum(self.notes.values())

    @property
    def card_total(self) -> int:
        return sum(self.cards.values())

    def describe(self) -> str:
        return (
            f"{self.questions} questions → {self.note_total} notes, {self.card_total} cards "
            f"in {len(self.decks)} deck(s)"
        )


_COLUMNS = (
    models.Question.id,
    models.Bank.slug,
    models.Question.kind,
    models.Question.prompt,
    models.Question.answer,
    models.Question.explanation,
    models.Question.entry_slug,
    models.Question.category,
    models.Question.level,
    models.Question.tags,
    models.Question.data,
    models.Question.updated_at,
)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def select_questions(session: Session, selection: Selection) -> list[tuple[Question, datetime]]:
    """The live (not retired) questions matching `selection`, each with its `updated_at`.

    Plain columns rather than ORM objects: an export reads thousands of rows once.
    """
    stmt = (
        select(*_COLUMNS)
        .join(models.Bank, models.Question.bank_id == models.Bank.id)
        .where(~models.Question.retired, ~models.Bank.retired)
        .order_by(models.Question.id)
    )
    if selection.banks:
        stmt = stmt.where(models.Bank.slug.in_(selection.banks))
    if selection.categories:
        stmt = stmt.where(models.Question.category.in_(selection.categories))
    if selection.levels:
        stmt = stmt.where(models.Question.level.in_(selection.levels))
    if selection.kinds:
        kinds = set(selection.kinds) | {
            _PARTNER_KINDS[k] for k in selection.kinds if k in _PARTNER_KINDS
        }
        stmt = stmt.where(models.Question.kind.in_(sorted(kinds)))
    result = []
    for (
        qid,
        bank,
        kind,
        prompt,
        answer,
        explanation,
        slug,
        category,
        level,
        tags,
        data,
        at,
    ) in session.execute(stmt):
        question = Question(
            id=qid,
            bank=bank,
            kind=QuestionKind(kind),
            prompt=prompt,
            answer=answer,
            explanation=explanation,
            entry_slug=slug,
            category=category,
            level=Level(level),
            tags=tuple(tags or ()),
            data=dict(data or {}),
        )
        result.append((question, _aware(at)))
    return result


def titles(session: Session) -> tuple[dict[str, str], dict[str, str]]:
    """Category slug → title and bank slug → title, for deck names."""
    categories = dict(session.execute(select(models.Category.slug, models.Category.title)).all())
    banks = dict(session.execute(select(models.Bank.slug, models.Bank.title)).all())
    return categories, banks


def build(session: Session, selection: Selection, *, base_url: str) -> AnkiExport:
    category_titles, bank_titles = titles(session)
    return build_export(
        select_questions(session, selection),
        base_url=base_url,
        category_titles=category_titles,
        bank_titles=bank_titles,
    )


def summary(export: AnkiExport) -> ExportSummary:
    return ExportSummary(
        questions=export.question_count,
        notes=export.note_counts,
        cards=export.card_counts,
        decks=[deck.name for deck in export.decks],
    )


def export_anki(
    session: Session, selection: Selection, out: IO[bytes], *, base_url: str
) -> ExportSummary:
    export = build(session, selection, base_url=base_url)
    write_package(export, out)
    return summary(export)


def export_tsv(
    session: Session, selection: Selection, out: IO[str], *, base_url: str
) -> ExportSummary:
    export = build(session, selection, base_url=base_url)
    write_tsv(export, out)
    return summary(export)


# -- writing -------------------------------------------------------------------------------


def _zip_time(timestamp: int) -> tuple[int, int, int, int, int, int]:
    moment = datetime.fromtimestamp(max(timestamp, 315532800), UTC)  # zip dates start in 1980
    return (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)


def write_package(export: AnkiExport, out: IO[bytes]) -> None:
    """Write the .apkg: genanki's collection, zipped with fixed entry dates.

    The collection is written as `genanki.Package.write_to_db` writes it (its
    schema, its collection row, its deck and note type JSON) at
    `export.timestamp`, except that the indexes are built after the rows are
    in; into an in-memory SQLite database that is then serialised (no temp file). genanki's
    own `write_to_file` would date the zip entries with the current time; here
    they carry the package timestamp, so unchanged questions give the same
    bytes. Entries are stored uncompressed, as genanki does (deflate would add
    ~10% to the export time; see bench/export.py).
    """
    connection = sqlite3.connect(":memory:")
    try:
        connection.execute("PRAGMA page_size=16384")  # fewer overflow pages for long notes
        connection.execute("PRAGMA journal_mode=OFF")
        cursor = connection.cursor()
        # `genanki.Package.write_to_db`, with the indexes built after the rows are in.
        cursor.executescript(_TABLES)
        cursor.executescript(APKG_COL)
        cursor.execute("BEGIN")
        ids = _id_gen(export.timestamp)
        for deck in export.decks:
            deck.write_to_db(cursor, export.timestamp, ids)
        for index in _INDEXES:
            cursor.execute(index)
        connection.commit()
        collection = connection.serialize()
    finally:
        connection.close()
    stamp = _zip_time(export.timestamp)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr(zipfile.ZipInfo("collection.anki2", stamp), collection)
        archive.writestr(zipfile.ZipInfo("media", stamp), "{}")


_INDEXES = re.findall(r"CREATE INDEX [^;]*;", APKG_SCHEMA)
_TABLES = re.sub(r"CREATE INDEX [^;]*;", "", APKG_SCHEMA)


def _id_gen(timestamp: int) -> Iterator[int]:
    """Note and card ids, as genanki makes them: milliseconds from the package timestamp."""
    return itertools.count(timestamp * 1000)


def write_tsv(export: AnkiExport, out: IO[str]) -> None:
    """Anki's text-import format (see `quizapp.core.anki.text`)."""
    out.writelines(text.tsv_lines(export))

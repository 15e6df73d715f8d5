"""The .apkg and TSV exports, checked by importing them into a real Anki collection.

The re-import rules under test are those of srs-anchors §2.2: notes are matched
by GUID; an existing note is updated only when the incoming modification time
is newer; note types by id and field/template names.
"""

from __future__ import annotations

import io
import zipfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from anki.collection import Collection
from anki.import_export_pb2 import (
    ImportAnkiPackageOptions,
    ImportAnkiPackageRequest,
    ImportCsvRequest,
)
from anki.scheduler.v3 import CardAnswer
from sqlalchemy.orm import Session

from quizapp.core.anki import SPECS, NoteType, note_guid
from quizapp.core.errors import UserInputError
from quizapp.core.questions import QuestionKind
from quizapp.data import models
from quizapp.services import anki_export
from quizapp.services.anki_export import Selection
from tests.anki_data import BASE_URL, edit, insert, later, sample_questions

MODEL_NAMES = {SPECS[t].name: t for t in NoteType}


@pytest.fixture
def bank(session: Session) -> Session:
    insert(session, sample_questions())
    session.commit()
    return session


@pytest.fixture
def collections(tmp_path: Path) -> Iterator[Any]:
    opened: list[Collection] = []

    def make(name: str = "anki") -> Collection:
        folder = tmp_path / name
        folder.mkdir()
        col = Collection(str(folder / "collection.anki2"))
        opened.append(col)
        return col

    yield make
    for col in opened:
        col.close()


def write(session: Session, path: Path, selection: Selection | None = None) -> Any:
    with path.open("wb") as out:
        return anki_export.export_anki(session, selection or Selection(), out, base_url=BASE_URL)


def import_apkg(col: Collection, path: Path) -> Any:
    request = ImportAnkiPackageRequest(
        package_path=str(path), options=ImportAnkiPackageOptions(with_scheduling=False)
    )
    return col.import_anki_package(request).log


def by_guid(col: Collection, question_id: str) -> Any:
    """The note of a question (GUIDs hold characters Anki's search syntax treats specially)."""
    nid = col.db.scalar("select id from notes where guid = ?", note_guid(question_id))
    return col.get_note(nid)


def notes_by_type(col: Collection) -> tuple[Counter[NoteType], Counter[NoteType]]:
    notes: Counter[NoteType] = Counter()
    cards: Counter[NoteType] = Counter()
    for model in col.models.all():
        if model["name"] in MODEL_NAMES:
            note_type = MODEL_NAMES[model["name"]]
            notes[note_type] = len(col.find_notes(f'"note:{model["name"]}"'))
            cards[note_type] = len(col.find_cards(f'"note:{model["name"]}"'))
    return +notes, +cards


def test_import_into_a_fresh_collection_matches_what_was_exported(
    bank: Session, tmp_path: Path, collections: Any
) -> None:
    summary = write(bank, tmp_path / "deck.apkg")
    col = collections()
    log = import_apkg(col, tmp_path / "deck.apkg")

    assert len(log.new) == summary.note_total == len(sample_questions()) - 1  # one pair
    assert not (log.updated or log.duplicate or log.conflicting)
    assert col.note_count() == summary.note_total
    assert col.card_count() == summary.card_total
    assert notes_by_type(col) == (+summary.notes, +summary.cards)
    assert summary.cards[NoteType.CLOZE] == 2  # c1 and c2
    assert summary.cards[NoteType.BASIC] == summary.notes[NoteType.BASIC] + 1  # the reverse

    decks = {d.name for d in col.decks.all_names_and_ids()}
    assert {
        "Interview Prep",
        "Interview Prep::Memory",
        "Interview Prep::Processes",
        "Interview Prep::oom-scenarios",
    } <= decks
    for nid in col.find_notes(""):
        note = col.get_note(nid)
        spec = SPECS[MODEL_NAMES[note.note_type()["name"]]]
        for field in spec.required:
            assert note[field].strip(), (note.guid, field)
        assert all(" " not in tag for tag in note.tags)
    assert len(col.find_notes("tag:quizapp::kind::cloze")) == 1
    assert len(col.find_notes("tag:quizapp::entry::oom-killer")) == 8
    assert len(col.find_notes("tag:quizapp::level::beginner")) == 2
    assert len(col.find_notes('"deck:Interview Prep::Processes"')) == 1
    zombie = by_guid(col, "processes/interview/zombie")
    assert zombie["Front"] == "What is a zombie process?"
    cloze_cards = col.find_cards("tag:quizapp::kind::cloze")
    assert sorted(col.get_card(c).ord for c in cloze_cards) == [0, 1]


def test_an_edited_question_reimports_as_updated_and_nothing_else_changes(
    bank: Session, tmp_path: Path, collections: Any
) -> None:
    write(bank, tmp_path / "v1.apkg")
    col = collections()
    import_apkg(col, tmp_path / "v1.apkg")
    count = col.note_count()

    edit(bank, "oom/interview/why", prompt="Why was **postgres** killed?", at=later())
    bank.commit()
    write(bank, tmp_path / "v2.apkg")
    log = import_apkg(col, tmp_path / "v2.apkg")

    edited = note_guid("oom/interview/why")
    assert [col.get_note(e.id.nid).guid for e in log.updated] == [edited]
    assert not log.new and not log.conflicting
    assert len(log.duplicate) == count - 1
    assert col.note_count() == count
    note = col.get_note(col.db.scalar("select id from notes where guid = ?", edited))
    assert note["Front"] == "Why was <strong>postgres</strong> killed?"
    assert len(col.models.all_names_and_ids()) == 6 + len(NoteType)  # no "Name+" copies


def test_an_unchanged_export_is_byte_identical_and_reimports_as_duplicates(
    bank: Session, tmp_path: Path, collections: Any
) -> None:
    write(bank, tmp_path / "a.apkg")
    write(bank, tmp_path / "b.apkg")
    assert (tmp_path / "a.apkg").read_bytes() == (tmp_path / "b.apkg").read_bytes()
    col = collections()
    first = import_apkg(col, tmp_path / "a.apkg")
    again = import_apkg(col, tmp_path / "b.apkg")
    assert len(again.duplicate) == len(first.new)
    assert not (again.new or again.updated or again.conflicting)


def test_a_reviewed_card_keeps_its_scheduling_when_the_updated_deck_is_imported(
    bank: Session, tmp_path: Path, collections: Any
) -> None:
    write(bank, tmp_path / "v1.apkg")
    col = collections()
    import_apkg(col, tmp_path / "v1.apkg")
    deck = col.decks.id_for_name("Interview Prep::Processes")
    col.decks.select(deck)
    queued = col.sched.get_queued_cards()
    card = col.get_card(queued.cards[0].card.id)
    for _ in range(3):  # out of learning into review
        queued = col.sched.get_queued_cards()
        if not queued.cards:
            break
        top = queued.cards[0]
        shown = col.get_card(top.card.id)
        shown.start_timer()
        col.sched.answer_card(
            col.sched.build_answer(card=shown, states=top.states, rating=CardAnswer.EASY)
        )
    card = col.get_card(card.id)
    before = (card.due, card.ivl, card.reps, card.queue, card.type)
    assert card.reps >= 1 and card.ivl >= 1

    edit(bank, "processes/interview/zombie", prompt="What is a *zombie*?", at=later())
    bank.commit()
    write(bank, tmp_path / "v2.apkg")
    log = import_apkg(col, tmp_path / "v2.apkg")

    assert [col.get_note(e.id.nid).guid for e in log.updated] == [
        note_guid("processes/interview/zombie")
    ]
    card = col.get_card(card.id)
    assert (card.due, card.ivl, card.reps, card.queue, card.type) == before
    assert card.note()["Front"] == "What is a <em>zombie</em>?"


def test_retired_questions_are_not_exported(bank: Session) -> None:
    row = bank.get(models.Question, "oom/see_also/cgroups")
    assert row is not None
    row.retired = True
    bank.flush()
    ids = {q.id for q, _ in anki_export.select_questions(bank, Selection())}
    assert "oom/see_also/cgroups" not in ids
    assert len(ids) == len(sample_questions()) - 1


@pytest.mark.parametrize(
    ("selection", "expected"),
    [
        (Selection.of(banks=["kb-processes"]), {"processes/interview/zombie"}),
        (Selection.of(categories=["oom"]), {"oom:tiny:victim"}),
        (
            Selection.of(levels=["beginner"]),
            {"processes/interview/zombie", "oom/alias_term/oomk"},
        ),
        (Selection.of(kinds=["cloze", "oom_victim"]), {"oom/cloze/badness", "oom:tiny:victim"}),
        # the two directions of a term are one Anki note: either kind brings both
        (
            Selection.of(kinds=["definition_term"]),
            {"oom/term_definition/term", "oom/definition_term/term"},
        ),
        (
            Selection.of(categories=["memory"], kinds=["interview"]),
            {"oom/interview/why"},
        ),
    ],
)
def test_selection_filters(bank: Session, selection: Selection, expected: set[str]) -> None:
    assert {q.id for q, _ in anki_export.select_questions(bank, selection)} == expected


def test_a_study_selection_reads_the_users_choice_and_ignores_stale_values() -> None:
    selection = Selection.from_study(
        {"categories": ["memory"], "levels": ["beginner", "expert"], "kinds": "cloze", "x": 1}
    )
    assert selection == Selection(categories=("memory",), levels=("beginner",))
    assert Selection.from_study(None).is_everything


def test_unknown_levels_and_kinds_are_reported_together() -> None:
    with pytest.raises(UserInputError, match="level.*expert.*kind.*flashcard"):
        Selection.of(levels=["expert"], kinds=["flashcard"])


def test_the_tsv_has_anki_headers_and_imports_with_stock_note_types(
    bank: Session, tmp_path: Path, collections: Any
) -> None:
    path = tmp_path / "deck.tsv"
    with path.open("w", encoding="utf-8", newline="") as out:
        summary = anki_export.export_tsv(bank, Selection(), out, base_url=BASE_URL)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[:6] == [
        "#separator:tab",
        "#html:true",
        "#guid column:1",
        "#notetype column:2",
        "#deck column:3",
        "#tags column:6",
    ]
    rows = [line.split("\t") for line in lines[7:]]
    assert len(rows) == summary.questions  # the pair is two rows here
    assert all(len(row) == 6 for row in rows)

    col = collections()
    metadata = col.get_csv_metadata(str(path), None)
    log = col.import_csv(ImportCsvRequest(path=str(path), metadata=metadata)).log
    assert len(log.new) == len(rows) and not log.conflicting
    assert col.card_count() == len(rows) + 1  # the cloze has two deletions
    cloze = col.get_note(col.find_notes("tag:quizapp::kind::cloze")[0])
    assert cloze.note_type()["name"] == "Cloze"
    assert "{{c2::<code>oom_score_adj</code>::a /proc file}}" in cloze["Text"]
    typed = by_guid(col, "oom/purpose_command/dmesg")
    assert typed.note_type()["name"] == "Basic (type in the answer)"
    assert typed["Back"] == "dmesg -T | grep -i 'killed process'"
    code = by_guid(col, "oom/interview/why")
    assert "cat /proc/$(pidof postgres)/oom_score" in code["Back"]
    assert col.decks.id_for_name("Interview Prep::Memory")
    # re-importing the same file changes nothing
    again = col.import_csv(
        ImportCsvRequest(path=str(path), metadata=col.get_csv_metadata(str(path), None))
    ).log
    assert not again.new


def test_package_layout_is_a_genanki_collection_with_fixed_zip_dates(
    bank: Session, tmp_path: Path
) -> None:
    buffer = io.BytesIO()
    anki_export.export_anki(bank, Selection(), buffer, base_url=BASE_URL)
    with zipfile.ZipFile(buffer) as archive:
        assert archive.namelist() == ["collection.anki2", "media"]
        assert archive.read("media") == b"{}"
        assert {info.date_time for info in archive.infolist()} == {(2026, 11, 26, 0, 0, 0)}


def test_kinds_of_the_sample_cover_every_note_type() -> None:
    kinds = {q.kind for q in sample_questions()}
    assert QuestionKind.OOM_VICTIM in kinds and QuestionKind.PURPOSE_COMMAND in kinds


def test_cards_render_in_anki_as_designed(bank: Session, tmp_path: Path, collections: Any) -> None:
    """Anki's own template engine: what each card type shows on the front and the back."""
    write(bank, tmp_path / "deck.apkg")
    col = collections()
    import_apkg(col, tmp_path / "deck.apkg")

    def card(question_id: str, ord_: int = 0) -> Any:
        return next(c for c in by_guid(col, question_id).cards() if c.ord == ord_)

    typed = card("oom/purpose_command/dmesg")
    assert "[[type:Answer]]" in typed.question()  # the reviewer puts the text box here
    assert "journalctl -k -g oom" in typed.answer()

    choice = card("oom/multiple_choice/term")
    assert '<ol type="A"><li>Swap</li><li>OOM killer</li>' in choice.question()
    highlighted = '<div class="qz-choices qz-correct-B">'
    assert highlighted in choice.answer() and highlighted not in choice.question()

    cloze_1, cloze_2 = card("oom/cloze/badness", 0), card("oom/cloze/badness", 1)
    assert "[...]" in cloze_1.question() and "oom_score_adj" in cloze_1.question()
    assert "badness" in cloze_2.question() and "a /proc file" in cloze_2.question()
    assert '<span class="cloze" data-ordinal="1">badness</span>' in cloze_1.answer()

    forward, reverse = card("oom/term_definition/term", 0), card("oom/term_definition/term", 1)
    assert "What is the <strong>OOM killer</strong>?" in forward.question()
    assert "Name the concept" in reverse.question() and "last resort" not in forward.question()

    oom = card("oom:tiny:victim")
    assert "<th>pid</th>" in oom.question() and '<tr class="qz-victim">' not in oom.question()
    assert '<tr class="qz-victim">' in oom.answer()
    assert ".nightMode" in oom.css()


def test_the_collection_has_genankis_schema(bank: Session, tmp_path: Path) -> None:
    import sqlite3

    import genanki

    buffer = io.BytesIO()
    anki_export.export_anki(bank, Selection(), buffer, base_url=BASE_URL)
    ours = tmp_path / "ours.anki2"
    ours.write_bytes(zipfile.ZipFile(buffer).read("collection.anki2"))
    reference = sqlite3.connect(":memory:")
    genanki.Package([]).write_to_db(reference.cursor(), 0, iter(range(1)))
    mine = sqlite3.connect(ours)
    try:
        query = "select type, name, tbl_name, sql from sqlite_master order by name"
        assert mine.execute(query).fetchall() == reference.execute(query).fetchall()
        assert mine.execute("select ver from col").fetchone() == (11,)
    finally:
        mine.close()
        reference.close()

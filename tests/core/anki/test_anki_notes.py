"""Question banks → Anki notes: note types, GUIDs, tags, decks, times (no Anki needed)."""

from __future__ import annotations

import itertools
import re
from dataclasses import replace
from datetime import datetime, timedelta

import genanki
import pytest

from quizapp.core.anki import (
    MODELS,
    SPECS,
    TEMPLATES_REVISED,
    AnkiExport,
    NoteContent,
    NoteType,
    build_export,
    deck_id,
    deck_name,
    note_guid,
    required_fields_missing,
    tag,
)
from quizapp.core.anki.build import mod_time
from quizapp.core.anki.models import TEMPLATES_DIGEST, templates_digest
from quizapp.core.questions import Question, QuestionKind
from tests.anki_data import BASE_URL, T_BUILD, sample_questions, with_times


def export(questions: list[Question] | None = None, at: datetime = T_BUILD) -> AnkiExport:
    return build_export(
        with_times(sample_questions() if questions is None else questions, at),
        base_url=BASE_URL,
        category_titles={"memory": "Memory", "processes": "Processes & signals"},
        bank_titles={"oom-scenarios": "OOM killer scenarios"},
    )


def by_kind(result: AnkiExport) -> dict[QuestionKind, NoteContent]:
    return {q.kind: note for note in result.notes for q in note.questions}


def test_note_type_ids_names_and_fields_never_change() -> None:
    # Anki matches note types by id + field/template names: changing any of these makes
    # every existing note "conflicting" on the next import (srs-anchors §2.2).
    expected = {
        NoteType.BASIC: (2057525166, ["Card 1", "Card 2 (reverse)"]),
        NoteType.TYPED: (1448198233, ["Type the command"]),
        NoteType.CLOZE: (1386324992, ["Cloze"]),
        NoteType.CHOICE: (1158871869, ["Choose"]),
        NoteType.OOM: (1738619728, ["Scenario"]),
    }
    for note_type, (model_id, templates) in expected.items():
        model = MODELS[note_type]
        assert model.model_id == model_id
        assert [t["name"] for t in model.templates] == templates
        assert [f["name"] for f in model.fields] == list(SPECS[note_type].fields)
    assert SPECS[NoteType.BASIC].fields == (
        "Front", "Back", "Explanation", "Source", "Reverse Front", "Reverse Back",
    )  # fmt: skip
    assert MODELS[NoteType.CLOZE].model_type == MODELS[NoteType.CLOZE].CLOZE
    assert "{{type:Answer}}" in MODELS[NoteType.TYPED].templates[0]["qfmt"]
    assert "{{cloze:Text}}" in MODELS[NoteType.CLOZE].templates[0]["qfmt"]
    assert ".nightMode" in MODELS[NoteType.BASIC].css


def test_changed_css_or_templates_come_with_a_newer_revision_date() -> None:
    # Anki only takes a note type's new CSS and markup if the package's note type is newer
    # than its copy: a change without a bump of TEMPLATES_REVISED would never reach users.
    assert templates_digest() == TEMPLATES_DIGEST, (
        "CSS or templates changed: set TEMPLATES_REVISED to now and TEMPLATES_DIGEST to "
        f"{templates_digest()!r} in quizapp/core/anki/models.py"
    )


@pytest.mark.parametrize(
    ("kind", "note_type"),
    [
        (QuestionKind.INTERVIEW, NoteType.BASIC),
        (QuestionKind.TERM_DEFINITION, NoteType.BASIC),
        (QuestionKind.ALIAS_TERM, NoteType.BASIC),
        (QuestionKind.COMMAND_PURPOSE, NoteType.BASIC),
        (QuestionKind.SEE_ALSO, NoteType.BASIC),
        (QuestionKind.PURPOSE_COMMAND, NoteType.TYPED),
        (QuestionKind.CLOZE, NoteType.CLOZE),
        (QuestionKind.MULTIPLE_CHOICE, NoteType.CHOICE),
        (QuestionKind.OOM_VICTIM, NoteType.OOM),
    ],
)
def test_each_kind_gets_its_note_type_and_fills_the_required_fields(
    kind: QuestionKind, note_type: NoteType
) -> None:
    note = by_kind(export())[kind]
    assert note.note_type is note_type
    assert required_fields_missing(note) == []


def test_guid_is_the_question_id_transformed_never_the_wording() -> None:
    questions = sample_questions()
    first = export(questions)
    edited = export([replace(q, prompt=q.prompt + " Edited.") for q in questions])
    assert [n.guid for n in first.notes] == [n.guid for n in edited.notes]
    assert {n.guid for n in first.notes} == {note_guid(n.questions[0].id) for n in first.notes}
    assert note_guid("a/interview/x") != note_guid("a/cloze/x")
    assert re.fullmatch(r"\S{1,10}", note_guid("a/interview/x"))


@pytest.mark.parametrize("question_id", ["", "a", "kb-memory/oom-killer/cloze/x", "é/ü" * 40])
def test_the_guid_transform_is_genankis_guid_for(question_id: str) -> None:
    assert note_guid(question_id) == genanki.guid_for("quizapp:question", question_id)


def test_term_and_definition_are_one_note_with_a_reverse_card() -> None:
    result = export()
    pair = by_kind(result)[QuestionKind.TERM_DEFINITION]
    assert by_kind(result)[QuestionKind.DEFINITION_TERM] is pair
    assert pair.guid == note_guid("oom/term_definition/term")
    assert "Name the concept" in pair.field("Reverse Front")
    assert "<strong>OOM killer</strong>" in pair.field("Reverse Back")
    assert pair.card_count == 2
    assert len(result.notes) == len(sample_questions()) - 1
    assert result.question_count == len(sample_questions())


def test_a_lone_definition_question_is_a_plain_basic_note() -> None:
    lone = [q for q in sample_questions() if q.kind is QuestionKind.DEFINITION_TERM]
    (note,) = export(lone).notes
    assert note.guid == note_guid("oom/definition_term/term")
    assert note.card_count == 1 and note.field("Reverse Front") == ""


def test_cloze_keeps_anki_marks_and_renders_the_rest() -> None:
    note = by_kind(export())[QuestionKind.CLOZE]
    text = note.field("Text")
    assert "{{c1::badness}}" in text
    assert "{{c2::<code>oom_score_adj</code>::a /proc file}}" in text
    assert "&lt;x&gt;" in text  # author text escaped
    assert '<div class="qz-context"><strong>OOM killer</strong>: fill in the blanks.</div>' in text
    assert note.card_count == 2


def test_multiple_choice_lists_choices_and_names_the_correct_letter() -> None:
    note = by_kind(export())[QuestionKind.MULTIPLE_CHOICE]
    assert note.field("Choices") == (
        '<ol type="A"><li>Swap</li><li>OOM killer</li><li>Page cache</li><li>cgroups</li></ol>'
    )
    assert note.field("Correct") == "B"
    assert ".qz-correct-B li:nth-child(2)" in MODELS[NoteType.CHOICE].css


def test_typed_answer_is_the_plain_command_and_lists_the_alternatives() -> None:
    note = by_kind(export())[QuestionKind.PURPOSE_COMMAND]
    assert note.field("Answer") == "dmesg -T | grep -i 'killed process'"
    assert note.field("Also accepted") == "<ul><li><code>journalctl -k -g oom</code></li></ul>"


def test_oom_note_shows_the_process_table_and_the_scores_with_the_victim() -> None:
    note = by_kind(export())[QuestionKind.OOM_VICTIM]
    assert note.field("Question") == "Which process does the OOM killer kill?"
    assert "<table><thead><tr><th>pid</th>" in note.field("Scenario")
    assert "<td>huge</td>" in note.field("Scenario")
    assert note.field("Choices") == '<ol type="A"><li>huge (10)</li><li>tiny (11)</li></ol>'
    assert note.field("Correct") == "B"
    scores = note.field("Scores")
    assert '<tr class="qz-victim"><td class="qz-num">11</td><td>tiny</td>' in scores
    assert '<td class="qz-num">4,000,100</td>' in scores
    assert "<ul><li>huge (pid 10): badness 3,500,000.</li>" in note.field("Explanation")
    assert note.field("Source") == (
        f'<a href="{BASE_URL}/sim/scenario/tiny">OOM simulator: tiny</a>'
    )


def test_code_blocks_keep_their_lines_and_links_become_absolute() -> None:
    (note,) = [n for n in export().notes if n.questions[0].id == "oom/interview/why"]
    assert (
        '<pre><code class="language-bash">cat /proc/$(pidof postgres)/oom_score</code></pre>'
        in (note.field("Back"))
    )
    assert note.field("Front") == (
        "Why did the kernel kill <strong>my database</strong> and not the <code>cron</code> job?"
    )
    assert f'href="{BASE_URL}/kb/oom-killer"' in note.field("Explanation")
    assert note.field("Source") == (
        f'<a href="{BASE_URL}/kb/oom-killer">Knowledge base: oom-killer</a>'
    )


def test_tags_name_kind_level_category_and_entry_without_spaces() -> None:
    notes = {q.id: n for n in export().notes for q in n.questions}
    assert notes["processes/interview/zombie"].tags == (
        "quizapp::kind::interview",
        "quizapp::level::beginner",
        "quizapp::category::processes",
        "quizapp::entry::zombies",
    )
    assert notes["oom:tiny:victim"].tags == (
        "quizapp::kind::oom_victim",
        "quizapp::level::intermediate",
        "quizapp::category::oom",
    )
    assert tag("category", 'file systems & "io"') == "quizapp::category::file_systems_&_io_"
    assert all(" " not in t for n in notes.values() for t in n.tags)
    pair = notes["oom/term_definition/term"]
    assert {"quizapp::kind::term_definition", "quizapp::kind::definition_term"} <= set(pair.tags)


def test_decks_are_named_by_category_title_with_ids_from_the_name() -> None:
    result = export()
    assert [d.name for d in result.decks] == [
        "Interview Prep::Memory",
        "Interview Prep::OOM killer scenarios",
        "Interview Prep::Processes & signals",
    ]
    assert [d.deck_id for d in result.decks] == [deck_id(d.name) for d in result.decks]
    assert deck_id("Interview Prep::Memory") == deck_id("Interview Prep::Memory")
    assert deck_id("Interview Prep::Memory") != deck_id("Interview Prep::Processes")
    assert 1 << 30 <= deck_id("Interview Prep::Memory") < 1 << 31
    assert deck_name("Kernel :: VM") == "Interview Prep::Kernel : VM"
    assert deck_name("  ") == "Interview Prep::Other"


def test_each_note_carries_its_own_time_and_the_package_the_newest() -> None:
    questions = sample_questions()
    edited_at = T_BUILD + timedelta(days=3)
    times = [(q, edited_at if q.kind is QuestionKind.CLOZE else T_BUILD) for q in questions]
    result = build_export(times, base_url=BASE_URL)
    mods = {n.content.questions[0].kind: n.mod for n in result.exported}
    assert mods[QuestionKind.CLOZE] == mod_time(edited_at)
    assert mods[QuestionKind.INTERVIEW] == mod_time(T_BUILD)
    written = {  # the notes rows as written: (id, guid, mid, mod, ...)
        row[1]: row[3] for deck in result.decks for row in deck.rows(0, itertools.count())[0]
    }
    assert written[note_guid("oom/cloze/badness")] == mod_time(edited_at)
    assert result.timestamp == max(mod_time(edited_at), TEMPLATES_REVISED)


def test_a_pair_is_as_new_as_its_newer_half() -> None:
    questions = sample_questions()
    later = T_BUILD + timedelta(days=1)
    times = [(q, later if q.kind is QuestionKind.DEFINITION_TERM else T_BUILD) for q in questions]
    result = build_export(times, base_url=BASE_URL)
    (pair,) = [
        n for n in result.exported if n.content.guid == note_guid("oom/term_definition/term")
    ]
    assert pair.mod == mod_time(later)


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        naive = datetime(2026, 1, 1)  # noqa: DTZ001 (the point of the test)
        build_export([(sample_questions()[0], naive)], base_url=BASE_URL)


def test_building_twice_gives_the_same_notes_in_the_same_order() -> None:
    a, b = export(), export()
    assert [(n.guid, n.fields, n.tags) for n in a.notes] == [
        (n.guid, n.fields, n.tags) for n in b.notes
    ]
    assert a.timestamp == b.timestamp

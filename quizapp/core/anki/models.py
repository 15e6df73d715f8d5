"""The note types (Anki "models"): fixed ids, stable field and template names.

Anki matches an imported note type by id plus a hash of its field names and
template names (srs-anchors §2.2). Changing an id, or adding, renaming or
reordering a field or template, makes Anki create a second note type (`Name+`)
and report every existing note as "conflicting". So:

- the ids below were picked once at random in [2**30, 2**31) and never change;
- field and template names never change; a new field means a new schema
  version, added at the end, with users told to import with "Merge note types";
- CSS and the template *markup* may change freely — they reach Anki when the
  package's model timestamp is newer, which `TEMPLATES_REVISED` guarantees.
"""

from __future__ import annotations

import enum
import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime

import genanki

from quizapp.core.anki.css import CSS

# Bump to "now" whenever CSS or template markup changes, so that the note
# types' modification time in the next export is newer than the copy in Anki;
# then update TEMPLATES_DIGEST (a test compares it with `templates_digest()`).
TEMPLATES_REVISED = int(datetime(2026, 11, 26, tzinfo=UTC).timestamp())
TEMPLATES_DIGEST = "dfbb75c73d6896d9"


class NoteType(enum.StrEnum):
    BASIC = "basic"
    TYPED = "typed"
    CLOZE = "cloze"
    CHOICE = "choice"
    OOM = "oom"


@dataclass(frozen=True, slots=True)
class NoteTypeSpec:
    model_id: int
    name: str
    fields: tuple[str, ...]
    required: tuple[str, ...]  # fields a note of this type must not leave empty
    cloze: bool = False


_SOURCE = '{{#Source}}<div class="qz-source">{{Source}}</div>{{/Source}}'
_EXPLANATION = '{{#Explanation}}<div class="qz-explanation">{{Explanation}}</div>{{/Explanation}}'

SPECS: dict[NoteType, NoteTypeSpec] = {
    NoteType.BASIC: NoteTypeSpec(
        2057525166,
        "Interview Prep: Basic (optional reverse)",
        ("Front", "Back", "Explanation", "Source", "Reverse Front", "Reverse Back"),
        ("Front", "Back"),
    ),
    NoteType.TYPED: NoteTypeSpec(
        1448198233,
        "Interview Prep: Type the command",
        ("Prompt", "Answer", "Also accepted", "Explanation", "Source"),
        ("Prompt", "Answer"),
    ),
    NoteType.CLOZE: NoteTypeSpec(
        1386324992,
        "Interview Prep: Cloze",
        ("Text", "Extra", "Source"),
        ("Text",),
        cloze=True,
    ),
    NoteType.CHOICE: NoteTypeSpec(
        1158871869,
        "Interview Prep: Multiple choice",
        ("Question", "Choices", "Correct", "Answer", "Explanation", "Source"),
        ("Question", "Choices", "Correct", "Answer"),
    ),
    NoteType.OOM: NoteTypeSpec(
        1738619728,
        "Interview Prep: OOM scenario",
        (
            "Question",
            "Scenario",
            "Choices",
            "Correct",
            "Answer",
            "Scores",
            "Explanation",
            "Source",
        ),
        ("Question", "Scenario", "Answer"),
    ),
}

_TEMPLATES: dict[NoteType, list[dict[str, str]]] = {
    NoteType.BASIC: [
        {
            "name": "Card 1",
            "qfmt": '<div class="qz-prompt">{{Front}}</div>',
            "afmt": '{{FrontSide}}<hr id="answer"><div class="qz-answer">{{Back}}</div>'
            + _EXPLANATION
            + _SOURCE,
        },
        {
            "name": "Card 2 (reverse)",
            "qfmt": '{{#Reverse Front}}<div class="qz-prompt">{{Reverse Front}}</div>'
            "{{/Reverse Front}}",
            "afmt": '{{FrontSide}}<hr id="answer"><div class="qz-answer">{{Reverse Back}}</div>'
            + _SOURCE,
        },
    ],
    NoteType.TYPED: [
        {
            "name": "Type the command",
            "qfmt": '<div class="qz-prompt">{{Prompt}}</div>\n{{type:Answer}}',
            "afmt": '<div class="qz-prompt">{{Prompt}}</div><hr id="answer">\n{{type:Answer}}'
            '{{#Also accepted}}<div class="qz-also"><span class="qz-label">Also accepted'
            "</span>{{Also accepted}}</div>{{/Also accepted}}" + _EXPLANATION + _SOURCE,
        }
    ],
    NoteType.CLOZE: [
        {
            "name": "Cloze",
            "qfmt": '<div class="qz-cloze">{{cloze:Text}}</div>',
            "afmt": '<div class="qz-cloze">{{cloze:Text}}</div>'
            '{{#Extra}}<hr id="answer"><div class="qz-explanation">{{Extra}}</div>{{/Extra}}'
            + _SOURCE,
        }
    ],
    # The correct choice is highlighted by CSS alone (`.qz-correct-B li:nth-child(2)`),
    # so the card works in every Anki client without JavaScript.
    NoteType.CHOICE: [
        {
            "name": "Choose",
            "qfmt": '<div class="qz-prompt">{{Question}}</div>'
            '<div class="qz-choices">{{Choices}}</div>',
            "afmt": '<div class="qz-prompt">{{Question}}</div>'
            '<div class="qz-choices qz-correct-{{Correct}}">{{Choices}}</div>'
            '<hr id="answer"><div class="qz-answer"><span class="qz-label">Answer</span>'
            "{{Correct}}. {{Answer}}</div>" + _EXPLANATION + _SOURCE,
        }
    ],
    NoteType.OOM: [
        {
            "name": "Scenario",
            "qfmt": '<div class="qz-scenario">{{Scenario}}</div>'
            '<div class="qz-prompt">{{Question}}</div>'
            '{{#Choices}}<div class="qz-choices">{{Choices}}</div>{{/Choices}}',
            "afmt": '<div class="qz-scenario">{{Scenario}}</div>'
            '<div class="qz-prompt">{{Question}}</div>'
            '{{#Choices}}<div class="qz-choices qz-correct-{{Correct}}">{{Choices}}</div>'
            "{{/Choices}}"
            '<hr id="answer"><div class="qz-answer"><span class="qz-label">Answer</span>'
            "{{Answer}}</div>"
            '{{#Scores}}<div class="qz-scores">{{Scores}}</div>{{/Scores}}'
            + _EXPLANATION
            + _SOURCE,
        }
    ],
}


def _build(note_type: NoteType) -> genanki.Model:
    spec = SPECS[note_type]
    model = genanki.Model(
        spec.model_id,
        spec.name,
        fields=[{"name": name} for name in spec.fields],
        templates=[dict(t) for t in _TEMPLATES[note_type]],
        css=CSS,
        model_type=genanki.Model.CLOZE if spec.cloze else genanki.Model.FRONT_BACK,
        sort_field_index=0,
    )
    return model


MODELS: dict[NoteType, genanki.Model] = {t: _build(t) for t in NoteType}


def templates_digest() -> str:
    """A hash of every note type's CSS and template markup."""
    payload = [
        (t.value, MODELS[t].css, [(x["name"], x["qfmt"], x["afmt"]) for x in MODELS[t].templates])
        for t in NoteType
    ]
    return hashlib.sha256(json.dumps(payload).encode()).hexdigest()[:16]

"""One question (or a term/definition pair) → the fields, tags and GUID of one Anki note."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import quote

from quizapp.core.anki.html import FieldRenderer, escape
from quizapp.core.anki.models import SPECS, NoteType
from quizapp.core.anki.oom import is_scenario_question, oom_fields
from quizapp.core.questions import Question, QuestionKind

GUID_NAMESPACE = "quizapp:question"
TAG_ROOT = "quizapp"
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

_CLOZE = re.compile(r"\{\{c(\d+)::(.+?)(?:::([^{}]*?))?\}\}", re.S)
_CLOZE_NUMBER = re.compile(r"\{\{c(\d+)::.+?\}\}", re.S)
_TAG_UNSAFE = re.compile(r"[\s\"]+")

_BASIC_KINDS = frozenset(
    {
        QuestionKind.INTERVIEW,
        QuestionKind.TERM_DEFINITION,
        QuestionKind.DEFINITION_TERM,
        QuestionKind.ALIAS_TERM,
        QuestionKind.COMMAND_PURPOSE,
        QuestionKind.SEE_ALSO,
    }
)
_OOM_KINDS = frozenset({QuestionKind.OOM_VICTIM, QuestionKind.OOM_SCORE, QuestionKind.OOM_KERNEL})


def note_guid(question_id: str) -> str:
    """The note's GUID: a fixed transform of the question's stable id.

    Anki's own GUIDs are short base91 strings. This is exactly
    `genanki.guid_for(GUID_NAMESPACE, question_id)` — the first 64 bits of
    SHA-256, in Anki's base91 — computed two digits at a time (genanki's
    digit loop costs more than the rest of a note). The GUID never depends on
    the wording, and the namespace keeps it apart from GUIDs other tools
    derive from the same ids.
    """
    digest = hashlib.sha256(f"{GUID_NAMESPACE}__{question_id}".encode()).digest()
    number = int.from_bytes(digest[:8], "big")  # < 2**64 < 91**10: five digit pairs
    number, p5 = divmod(number, 8281)
    number, p4 = divmod(number, 8281)
    number, p3 = divmod(number, 8281)
    p1, p2 = divmod(number, 8281)
    pairs = _BASE91_PAIRS
    return (pairs[p1] + pairs[p2] + pairs[p3] + pairs[p4] + pairs[p5]).lstrip("a") or "a"


_BASE91 = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&()*+,-./:;<=>?@[]^_`{|}~"
)
_BASE91_PAIRS = tuple(high + low for high in _BASE91 for low in _BASE91)  # 91 * 91 = 8281


@lru_cache(maxsize=8192)
def tag(*parts: str) -> str:
    """`quizapp::kind::cloze` — Anki tags cannot contain spaces."""
    return "::".join(_TAG_UNSAFE.sub("_", part.strip()) for part in (TAG_ROOT, *parts) if part)


def question_tags(question: Question) -> list[str]:
    """`quizapp::kind::…`, `::level::…`, `::category::…`, `::entry::…` (hierarchical in Anki)."""
    return list(_tags_of(question))


def _tags_of(question: Question) -> tuple[str, ...]:
    # the enums are StrEnums: their text is their value, and `.value` is a slow property
    return _tags(question.kind, question.level, question.category, question.entry_slug or "")


@lru_cache(maxsize=8192)
def _tags(kind: str, level: str, category: str, entry_slug: str) -> tuple[str, ...]:
    tags = [tag("kind", str(kind)), tag("level", str(level))]
    if category:
        tags.append(tag("category", category))
    if entry_slug:
        tags.append(tag("entry", entry_slug))
    return tuple(tags)


def source_link(question: Question, render: FieldRenderer) -> str:
    """A link to the KB entry, or for an OOM scenario to its page in the simulator."""
    if question.entry_slug:
        return _source_link(render.base_url, question.entry_slug)
    scenario = question.data.get("scenario")
    if isinstance(scenario, dict) and isinstance(scenario.get("id"), str) and scenario["id"]:
        path = quote(scenario["id"], safe="")
        url = escape(f"{render.base_url}/sim/scenario/{path}").replace('"', "&quot;")
        title = escape(str(scenario.get("title") or scenario["id"]))
        return f'<a href="{url}">OOM simulator: {title}</a>'
    return ""


@lru_cache(maxsize=8192)
def _source_link(base_url: str, slug: str) -> str:
    url = escape(f"{base_url}/kb/{slug}").replace('"', "&quot;")
    return f'<a href="{url}">Knowledge base: {escape(slug)}</a>'


@dataclass(slots=True)
class NoteContent:
    """What one Anki note holds before it becomes a `genanki.Note`."""

    note_type: NoteType
    guid: str
    fields: tuple[str, ...]  # sanitised HTML, in the note type's field order
    tags: tuple[str, ...]
    questions: tuple[Question, ...]  # usually one; a term/definition pair gives two

    def field(self, name: str) -> str:
        return self.fields[SPECS[self.note_type].fields.index(name)]

    @property
    def card_ords(self) -> tuple[int, ...]:
        """The cards Anki makes: template numbers, or cloze numbers - 1 (as genanki counts)."""
        if self.note_type is NoteType.CLOZE:
            numbers = {int(m.group(1)) for m in _CLOZE_NUMBER.finditer(self.fields[0])}
            return tuple(sorted(n - 1 for n in numbers if n > 0)) or (0,)
        if self.note_type is NoteType.BASIC and self.fields[4]:  # Reverse Front
            return (0, 1)
        return (0,)

    @property
    def card_count(self) -> int:
        return len(self.card_ords)


def note_type_for(question: Question) -> NoteType:
    kind, data = question.kind, question.data
    if kind in _BASIC_KINDS:
        return NoteType.BASIC
    if kind is QuestionKind.PURPOSE_COMMAND:
        return NoteType.TYPED
    if kind is QuestionKind.CLOZE:
        return NoteType.CLOZE if _CLOZE.search(str(data.get("cloze", ""))) else NoteType.BASIC
    if kind in _OOM_KINDS and is_scenario_question(question):
        return NoteType.OOM
    return NoteType.CHOICE if _choices(data) is not None else NoteType.BASIC


def build_note(
    question: Question, render: FieldRenderer, reverse: Question | None = None
) -> NoteContent:
    """The note for `question`; `reverse` (a definition→term question) becomes card 2."""
    note_type = note_type_for(question)
    source = source_link(question, render)
    md = render.render
    fields: list[str]
    if note_type is NoteType.BASIC:
        fields = [md(question.prompt), md(question.answer), md(question.explanation), source]
        if reverse is None:
            fields += ["", ""]
        else:
            back = md(reverse.answer)
            if reverse.explanation:
                back += f'<div class="qz-explanation">{md(reverse.explanation)}</div>'
            fields += [md(reverse.prompt), back]
    elif note_type is NoteType.TYPED:
        expected, others = _typed_answers(question)
        also = "".join(f"<li><code>{escape(o)}</code></li>" for o in others)
        fields = [
            md(question.prompt),
            escape(expected),
            f"<ul>{also}</ul>" if also else "",
            md(question.explanation),
            source,
        ]
    elif note_type is NoteType.CLOZE:
        fields = [_cloze_text(question, render), md(question.explanation), source]
    elif note_type is NoteType.CHOICE:
        choices, correct = _choices(question.data) or ([], 0)
        fields = [
            md(question.prompt),
            _choice_list(tuple(choices), bool(question.data.get("code")), render),
            LETTERS[correct],
            md(question.answer),
            md(question.explanation),
            source,
        ]
    else:
        oom = oom_fields(question, render)
        letter = ""
        if oom.correct is not None and 0 <= oom.correct < min(len(oom.choices), len(LETTERS)):
            letter = LETTERS[oom.correct]
        fields = [
            oom.question,
            oom.scenario,
            _choice_list(oom.choices, False, render) if oom.choices else "",
            letter,
            md(question.answer),
            oom.scores,
            oom.explanation,
            source,
        ]
    if reverse is None:
        return NoteContent(
            note_type, note_guid(question.id), tuple(fields), _tags_of(question), (question,)
        )
    tags = _tags_of(question)
    tags += tuple(t for t in _tags_of(reverse) if t not in tags)
    return NoteContent(note_type, note_guid(question.id), tuple(fields), tags, (question, reverse))


def _typed_answers(question: Question) -> tuple[str, list[str]]:
    data = question.data
    accepted = [str(a) for a in data.get("accepted", []) if str(a).strip()]
    expected = str(data.get("plain") or (accepted[0] if accepted else "")).strip()
    if not expected:
        expected = question.answer.strip().strip("`").strip()
    # the tldr template ({{placeholders}}) is what the app's checker matches, not a typing
    shown = {expected, str(data.get("template", ""))}
    others = [a for a in dict.fromkeys(accepted) if a not in shown]
    return expected, others


def _choices(data: dict[str, Any]) -> tuple[list[str], int] | None:
    choices = data.get("choices")
    correct = data.get("correct")
    if not isinstance(choices, list) or not choices or not isinstance(correct, int):
        return None
    if not 0 <= correct < min(len(choices), len(LETTERS)):
        return None
    return [str(c) for c in choices], correct


def _choice_list(choices: tuple[str, ...], code: bool, render: FieldRenderer) -> str:
    if code:
        items = "".join(f"<li><code>{escape(c)}</code></li>" for c in choices)
    else:
        items = "".join(f"<li>{render.inline(c)}</li>" for c in choices)
    return f'<ol type="A">{items}</ol>'


def _cloze_text(question: Question, render: FieldRenderer) -> str:
    """The cloze text as HTML with Anki's `{{cN::answer::hint}}` marks kept intact.

    Marks are swapped for placeholder words while the Markdown is rendered, then
    put back with their answers rendered inline.
    """
    text = str(question.data["cloze"])
    marks: list[str] = []

    def hide(match: re.Match[str]) -> str:
        hint = f"::{escape(match.group(3))}" if match.group(3) else ""
        marks.append(f"{{{{c{match.group(1)}::{render.inline(match.group(2))}{hint}}}}}")
        return f"qzcloze{len(marks) - 1}qz"

    body = render.render(_CLOZE.sub(hide, text))
    for index in range(len(marks) - 1, -1, -1):
        body = body.replace(f"qzcloze{index}qz", marks[index])
    context = ""
    paragraphs = question.prompt.strip().split("\n\n")
    if len(paragraphs) > 1:
        context = f'<div class="qz-context">{render.render(paragraphs[0])}</div>'
    return context + body

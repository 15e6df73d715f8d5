"""The compiled question: what every bank is made of, whatever its source.

The compiler (KB entries, cheat-sheets, tldr pages) and the OOM question
generator both produce `Question` values; the data layer stores them, the
scheduler schedules them, the web app renders them and the Anki exporter turns
them into notes. Text fields hold Markdown (rendered and sanitised at the edge
by `quizapp.core.markdown`).
"""

from __future__ import annotations

import enum
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any


class QuestionKind(enum.StrEnum):
    """What a question asks; each kind has its own card layout and Anki note type."""

    INTERVIEW = "interview"  # the author's interview question, free recall, self-graded
    TERM_DEFINITION = "term_definition"  # term -> summary
    DEFINITION_TERM = "definition_term"  # summary -> term
    ALIAS_TERM = "alias_term"  # alias -> term
    COMMAND_PURPOSE = "command_purpose"  # command -> what it does
    PURPOSE_COMMAND = "purpose_command"  # task -> command (typed answer)
    CLOZE = "cloze"  # cloze deletion of a marked fact
    MULTIPLE_CHOICE = "multiple_choice"  # pick the right one of several
    SEE_ALSO = "see_also"  # relation between two entries
    OOM_VICTIM = "oom_victim"  # which process gets killed?
    OOM_SCORE = "oom_score"  # what will /proc/<pid>/oom_score show?
    OOM_KERNEL = "oom_kernel"  # kernel-version questions about the OOM killer

    @property
    def auto_graded(self) -> bool:
        """True where the app can check the answer itself (typed, choices, OOM)."""
        return self in _AUTO_GRADED


_AUTO_GRADED = frozenset(
    {
        QuestionKind.PURPOSE_COMMAND,
        QuestionKind.MULTIPLE_CHOICE,
        QuestionKind.OOM_VICTIM,
        QuestionKind.OOM_SCORE,
        QuestionKind.OOM_KERNEL,
    }
)


class Level(enum.StrEnum):
    BEGINNER = "beginner"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"


@dataclass(frozen=True, slots=True)
class Question:
    """One question with a stable id.

    `id` comes from the source's identity, the kind and a stable key inside the
    source — never from the wording — so editing prose keeps progress and Anki
    notes. `data` holds what a kind needs beyond prompt/answer (choices and the
    correct index for multiple choice, accepted answers for typed commands, the
    scenario and its result for OOM questions, the cloze text, ...); it must be
    JSON-serialisable.
    """

    id: str
    bank: str  # bank slug, e.g. "kb-memory", "commands", "oom-scenarios"
    kind: QuestionKind
    prompt: str
    answer: str
    explanation: str = ""
    entry_slug: str | None = None  # KB entry the question links back to
    category: str = ""
    level: Level = Level.INTERMEDIATE
    tags: tuple[str, ...] = ()
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def content_hash(self) -> str:
        """Hash of everything a user sees; changes when the wording changes."""
        payload = json.dumps(
            [
                self.kind.value,
                self.prompt,
                self.answer,
                self.explanation,
                self.entry_slug,
                self.category,
                self.level.value,
                list(self.tags),
                self.data,
            ],
            sort_keys=True,
            ensure_ascii=False,
        )
        return hashlib.sha256(payload.encode()).hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class Bank:
    """A named group of questions, e.g. one KB category or the OOM scenarios."""

    slug: str
    title: str
    description: str = ""

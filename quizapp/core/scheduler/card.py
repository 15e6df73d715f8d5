"""A card's scheduling state as a plain value, and its JSON snapshot for the review log."""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any


class Rating(enum.IntEnum):
    """Anki's four answer buttons (and keys 1-4)."""

    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4

    @property
    def label(self) -> str:
        return self.name.capitalize()


class Phase(enum.StrEnum):
    """Where a card is in its life; py-fsrs has no NEW, Anki does."""

    NEW = "new"
    LEARNING = "learning"
    REVIEW = "review"
    RELEARNING = "relearning"


@dataclass(frozen=True, slots=True)
class CardSnapshot:
    """Everything the scheduler knows about one user's card.

    For a NEW card `due` is its position in the new-card order (as in Anki),
    not a time the card becomes due.
    """

    phase: Phase
    due: datetime
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    last_review: datetime | None = None
    reps: int = 0
    lapses: int = 0
    suspended: bool = False
    buried_until: datetime | None = None
    leech: bool = False

    def with_(self, **changes: Any) -> CardSnapshot:
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready; what the review log stores as state_before / state_after."""
        return {
            "state": self.phase.value,
            "due": self.due.isoformat(),
            "step": self.step,
            "stability": self.stability,
            "difficulty": self.difficulty,
            "last_review": self.last_review.isoformat() if self.last_review else None,
            "reps": self.reps,
            "lapses": self.lapses,
            "suspended": self.suspended,
            "buried_until": self.buried_until.isoformat() if self.buried_until else None,
            "leech": self.leech,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CardSnapshot:
        def when(value: Any) -> datetime | None:
            return datetime.fromisoformat(value) if value else None

        due = when(data["due"])
        assert due is not None
        return cls(
            phase=Phase(data["state"]),
            due=due,
            step=data.get("step"),
            stability=data.get("stability"),
            difficulty=data.get("difficulty"),
            last_review=when(data.get("last_review")),
            reps=int(data.get("reps", 0)),
            lapses=int(data.get("lapses", 0)),
            suspended=bool(data.get("suspended", False)),
            buried_until=when(data.get("buried_until")),
            leech=bool(data.get("leech", False)),
        )

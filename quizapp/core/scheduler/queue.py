"""The daily queue: what to show next, within the day's limits (Anki's v3 order).

1. Learning and relearning cards whose step is due now come first.
2. Then due reviews (up to the review limit) mixed evenly with new cards (up
   to the new limit, minus new cards already introduced today).
3. When nothing else is left, a learning card due within the learn-ahead
   limit (20 minutes) is shown early rather than making the user wait.
4. Otherwise the day is done (maybe with learning cards due later today).

The caller counts what is available (capped by `remaining_limits`) and what
was already answered today; this module decides.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from quizapp.core.scheduler.settings import SchedulerSettings


@dataclass(frozen=True, slots=True)
class DailyCounts:
    """Answers given in the current study day (undone answers excluded)."""

    new_done: int = 0  # cards introduced today (first answer of a new card)
    reviews_done: int = 0  # answers to cards that were in review


@dataclass(frozen=True, slots=True)
class Limits:
    new: int
    reviews: int


@dataclass(frozen=True, slots=True)
class QueueCounts:
    """What is left today, as shown at the top of the review screen."""

    new: int = 0
    learning: int = 0  # learning/relearning cards due before the day ends
    review: int = 0

    @property
    def total(self) -> int:
        return self.new + self.learning + self.review


class QueueChoice(enum.StrEnum):
    LEARNING = "learning"  # a learning card that is due now
    REVIEW = "review"
    NEW = "new"
    LEARN_AHEAD = "learn_ahead"  # nothing else left: a learning card due soon
    DONE = "done"


def remaining_limits(settings: SchedulerSettings, done: DailyCounts) -> Limits:
    return Limits(
        new=max(0, settings.new_per_day - done.new_done),
        reviews=max(0, settings.reviews_per_day - done.reviews_done),
    )


def choose_next(
    counts: QueueCounts,
    done: DailyCounts,
    *,
    learning_due_now: bool,
    learning_due_soon: bool,
) -> QueueChoice:
    """Pick the queue the next card comes from; `counts` already respect the limits."""
    if learning_due_now:
        return QueueChoice.LEARNING
    if counts.new or counts.review:
        return QueueChoice.NEW if _new_turn(counts, done) else QueueChoice.REVIEW
    if learning_due_soon:
        return QueueChoice.LEARN_AHEAD
    return QueueChoice.DONE


def _new_turn(counts: QueueCounts, done: DailyCounts) -> bool:
    """Spread the day's new cards evenly among its reviews (Anki's default mix)."""
    if not counts.new:
        return False
    if not counts.review:
        return True
    new_total = done.new_done + counts.new
    answered = done.new_done + done.reviews_done
    day_total = answered + counts.new + counts.review
    # Show a new card when the new cards shown so far fall behind their share.
    return (done.new_done + 0.5) * day_total <= new_total * (answered + 1)

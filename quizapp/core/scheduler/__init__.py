"""Spaced-repetition scheduling: FSRS (py-fsrs) plus what Anki adds around it.

py-fsrs schedules one card at a time. This package adds, as pure functions of
values passed in (time included): the "new" state and Anki's counters
(`card`), validated per-user settings (`settings`), study days with a rollover
hour in the user's time zone (`days`), answering and interval previews with
leeches (`review`), and the daily queue with its limits (`queue`).
"""

from quizapp.core.scheduler.card import CardSnapshot, Phase, Rating
from quizapp.core.scheduler.days import StudyDay, study_day
from quizapp.core.scheduler.queue import (
    DailyCounts,
    Limits,
    QueueChoice,
    QueueCounts,
    choose_next,
    remaining_limits,
)
from quizapp.core.scheduler.review import (
    ReviewOutcome,
    bury,
    format_interval,
    preview_intervals,
    review_card,
    set_suspended,
)
from quizapp.core.scheduler.settings import InvalidSettings, SchedulerSettings

__all__ = [
    "CardSnapshot",
    "DailyCounts",
    "InvalidSettings",
    "Limits",
    "Phase",
    "QueueChoice",
    "QueueCounts",
    "Rating",
    "ReviewOutcome",
    "SchedulerSettings",
    "StudyDay",
    "bury",
    "choose_next",
    "format_interval",
    "preview_intervals",
    "remaining_limits",
    "review_card",
    "set_suspended",
    "study_day",
]

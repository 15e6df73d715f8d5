"""Answering a card: py-fsrs for the memory model, plus counters, leeches and fuzz.

py-fsrs is used with its own fuzz switched off (it draws from the global
`random`); the same fuzz ranges are applied here from a seed the caller passes,
so the interval a button shows is exactly the interval it gives.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from fsrs import Card as FsrsCard
from fsrs import Rating as FsrsRating
from fsrs import Scheduler as FsrsScheduler
from fsrs import State as FsrsState

from quizapp.core.scheduler.card import CardSnapshot, Phase, Rating
from quizapp.core.scheduler.days import study_day
from quizapp.core.scheduler.settings import SchedulerSettings

# py-fsrs's fuzz ranges (FSRS-6): (start day, end day, factor).
FUZZ_RANGES = ((2.5, 7.0, 0.15), (7.0, 20.0, 0.10), (20.0, float("inf"), 0.05))
FUZZ_MIN_DAYS = 2.5

_TO_FSRS = {
    Phase.NEW: FsrsState.Learning,
    Phase.LEARNING: FsrsState.Learning,
    Phase.REVIEW: FsrsState.Review,
    Phase.RELEARNING: FsrsState.Relearning,
}
_FROM_FSRS = {
    FsrsState.Learning: Phase.LEARNING,
    FsrsState.Review: Phase.REVIEW,
    FsrsState.Relearning: Phase.RELEARNING,
}


@dataclass(frozen=True, slots=True)
class ReviewOutcome:
    card: CardSnapshot  # the state after the answer
    rating: Rating
    reviewed_at: datetime
    interval: timedelta  # card.due - reviewed_at
    lapse: bool  # a review card was forgotten
    became_leech: bool  # this answer reached the leech threshold (card suspended)


@lru_cache(maxsize=64)
def _scheduler(
    desired_retention: float,
    learning_steps: tuple[int, ...],
    relearning_steps: tuple[int, ...],
    maximum_interval: int,
) -> FsrsScheduler:
    return FsrsScheduler(
        desired_retention=desired_retention,
        learning_steps=tuple(timedelta(seconds=s) for s in learning_steps),
        relearning_steps=tuple(timedelta(seconds=s) for s in relearning_steps),
        maximum_interval=maximum_interval,
        enable_fuzzing=False,
    )


def fsrs_scheduler(settings: SchedulerSettings) -> FsrsScheduler:
    return _scheduler(
        settings.desired_retention,
        settings.learning_steps,
        settings.relearning_steps,
        settings.maximum_interval,
    )


def _utc(now: datetime) -> datetime:
    if now.tzinfo is None:
        raise ValueError("pass an aware UTC datetime, not a naive one")
    return now.astimezone(UTC)


def to_fsrs(card: CardSnapshot, now: datetime) -> FsrsCard:
    if card.phase is Phase.NEW:
        return FsrsCard(card_id=0, state=FsrsState.Learning, step=0, due=now)
    return FsrsCard(
        card_id=0,
        state=_TO_FSRS[card.phase],
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=_utc(card.due),
        last_review=_utc(card.last_review) if card.last_review else None,
    )


def fuzz_range(interval_days: int, maximum_interval: int) -> tuple[int, int]:
    delta = 1.0
    for start, end, factor in FUZZ_RANGES:
        delta += factor * max(min(float(interval_days), end) - start, 0.0)
    low = max(2, round(interval_days - delta))
    high = min(round(interval_days + delta), maximum_interval)
    return min(low, high), high


def _schedule(
    card: FsrsCard,
    rating: Rating,
    now: datetime,
    settings: SchedulerSettings,
    fuzz_seed: int | None,
) -> tuple[FsrsCard, datetime]:
    """py-fsrs's next state for `card` (it copies, never changes, its input), and the
    due time after our fuzz."""
    scheduled, _log = fsrs_scheduler(settings).review_card(card, FsrsRating(int(rating)), now)
    due: datetime = scheduled.due
    if settings.fuzz and fuzz_seed is not None and scheduled.state is FsrsState.Review:
        days = (due - now).days
        if days >= FUZZ_MIN_DAYS:
            low, high = fuzz_range(days, settings.maximum_interval)
            due = now + timedelta(days=random.Random(fuzz_seed).randint(low, high))
    return scheduled, due


def review_card(
    card: CardSnapshot,
    rating: Rating,
    now: datetime,
    settings: SchedulerSettings,
    *,
    fuzz_seed: int | None = None,
) -> ReviewOutcome:
    """Answer `card` with `rating` at `now`; returns the new state (the input is untouched).

    `fuzz_seed` makes the fuzz reproducible (the caller derives it from the card
    and its review count); without it, or with `settings.fuzz` off, no fuzz.
    """
    now = _utc(now)
    scheduled, due = _schedule(to_fsrs(card, now), rating, now, settings, fuzz_seed)

    lapse = card.phase is Phase.REVIEW and rating is Rating.AGAIN
    lapses = card.lapses + (1 if lapse else 0)
    became_leech = lapse and _reaches_leech(lapses, settings.leech_threshold)
    new_card = CardSnapshot(
        phase=_FROM_FSRS[scheduled.state],
        due=due,
        step=scheduled.step,
        stability=scheduled.stability,
        difficulty=scheduled.difficulty,
        last_review=now,
        reps=card.reps + 1,
        lapses=lapses,
        suspended=card.suspended or became_leech,
        buried_until=None,
        leech=card.leech or became_leech,
    )
    return ReviewOutcome(new_card, rating, now, due - now, lapse, became_leech)


def _reaches_leech(lapses: int, threshold: int) -> bool:
    """Anki: at the threshold, then again every half-threshold."""
    if lapses < threshold:
        return False
    return (lapses - threshold) % max(1, threshold // 2) == 0


def preview_intervals(
    card: CardSnapshot,
    now: datetime,
    settings: SchedulerSettings,
    *,
    fuzz_seed: int | None = None,
) -> dict[Rating, timedelta]:
    """The interval each button would give, for the labels on the buttons: what
    `review_card` would give, from one conversion for the four ratings."""
    now = _utc(now)
    card_now = to_fsrs(card, now)
    return {
        rating: _schedule(card_now, rating, now, settings, fuzz_seed)[1] - now for rating in Rating
    }


def format_interval(interval: timedelta) -> str:
    """Anki-style short labels: 45s, 10m, 3h, 12d, 2.5mo, 1.2y."""
    seconds = max(0, round(interval.total_seconds()))
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{round(seconds / 60)}m"
    if seconds < 86400:
        return f"{round(seconds / 3600)}h"
    days = seconds / 86400
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        return f"{days / 30:.1f}mo".replace(".0mo", "mo")
    return f"{days / 365:.1f}y".replace(".0y", "y")


def bury(card: CardSnapshot, now: datetime, settings: SchedulerSettings) -> CardSnapshot:
    """Hide the card until the next study day starts."""
    day = study_day(_utc(now), settings.zone, settings.day_rollover_hour)
    return card.with_(buried_until=day.end)


def set_suspended(card: CardSnapshot, suspended: bool) -> CardSnapshot:
    """Suspend or unsuspend; a suspended card is never also buried (Anki)."""
    return card.with_(suspended=suspended, buried_until=None if suspended else card.buried_until)


def retrievability(card: CardSnapshot, when: datetime, settings: SchedulerSettings) -> float:
    """FSRS's predicted probability of recall at `when` (0 for a card never reviewed)."""
    if card.phase is Phase.NEW or card.stability is None or card.last_review is None:
        return 0.0
    return float(fsrs_scheduler(settings).get_card_retrievability(to_fsrs(card, when), _utc(when)))


def forgetting_curve(settings: SchedulerSettings) -> tuple[float, float]:
    """(decay, factor) of FSRS's curve R(t) = (1 + factor * t / S) ** decay, t in days.

    For aggregating retrievability in SQL over many cards at once.
    """
    decay = -fsrs_scheduler(settings).parameters[20]
    return decay, 0.9 ** (1 / decay) - 1

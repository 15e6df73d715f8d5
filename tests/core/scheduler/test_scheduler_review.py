from datetime import UTC, datetime, timedelta

import pytest

from quizapp.core.scheduler import (
    CardSnapshot,
    Phase,
    Rating,
    SchedulerSettings,
    bury,
    format_interval,
    preview_intervals,
    review_card,
    set_suspended,
)
from quizapp.core.scheduler.review import retrievability

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
SETTINGS = SchedulerSettings(fuzz=False)


def new_card() -> CardSnapshot:
    return CardSnapshot(phase=Phase.NEW, due=T0)


def answer(card, rating, at, settings=SETTINGS, **kw):
    return review_card(card, rating, at, settings, **kw)


def test_new_card_walks_the_learning_steps_then_graduates():
    first = answer(new_card(), Rating.GOOD, T0)
    assert first.card.phase is Phase.LEARNING and first.interval == timedelta(minutes=10)
    second = answer(first.card, Rating.GOOD, T0 + timedelta(minutes=10))
    assert second.card.phase is Phase.REVIEW
    assert second.interval >= timedelta(days=1)
    assert second.card.reps == 2 and second.card.lapses == 0


def test_again_returns_to_the_first_step_and_easy_graduates_at_once():
    again = answer(new_card(), Rating.AGAIN, T0)
    assert again.card.phase is Phase.LEARNING and again.interval == timedelta(minutes=1)
    easy = answer(new_card(), Rating.EASY, T0)
    assert easy.card.phase is Phase.REVIEW and easy.interval >= timedelta(days=1)


def test_review_does_not_change_the_input_card():
    card = new_card()
    answer(card, Rating.GOOD, T0)
    assert card == new_card()


def test_forgetting_a_review_card_is_a_lapse_and_goes_to_relearning():
    card = answer(new_card(), Rating.EASY, T0).card
    lapse = answer(card, Rating.AGAIN, card.due)
    assert lapse.lapse and lapse.card.lapses == 1
    assert lapse.card.phase is Phase.RELEARNING and lapse.interval == timedelta(minutes=10)


def _reviewed_card(lapses: int) -> CardSnapshot:
    card = answer(new_card(), Rating.EASY, T0).card
    return card.with_(lapses=lapses)


def test_eighth_lapse_tags_the_card_leech_and_suspends_it():
    card = _reviewed_card(lapses=6)
    seventh = answer(card, Rating.AGAIN, card.due)
    assert not seventh.became_leech and not seventh.card.suspended
    relearnt = answer(seventh.card, Rating.GOOD, seventh.card.due).card
    eighth = answer(relearnt, Rating.AGAIN, relearnt.due)
    assert eighth.card.lapses == 8
    assert eighth.became_leech and eighth.card.leech and eighth.card.suspended


@pytest.mark.parametrize(
    ("lapses_after", "leech"),
    [(3, False), (4, True), (5, False), (6, True), (8, True)],
)
def test_leech_threshold_is_configurable_and_repeats_every_half_threshold(lapses_after, leech):
    settings = SchedulerSettings(fuzz=False, leech_threshold=4)
    card = _reviewed_card(lapses=lapses_after - 1)
    assert answer(card, Rating.AGAIN, card.due, settings).became_leech is leech


def test_hard_good_easy_on_a_review_card_are_not_lapses():
    card = _reviewed_card(lapses=0)
    for rating in (Rating.HARD, Rating.GOOD, Rating.EASY):
        assert answer(card, rating, card.due).card.lapses == 0


def _card_in(phase: Phase) -> CardSnapshot:
    learning = answer(new_card(), Rating.GOOD, T0).card
    review = answer(new_card(), Rating.EASY, T0).card
    return {
        Phase.NEW: new_card(),
        Phase.LEARNING: learning,
        Phase.REVIEW: review,
        Phase.RELEARNING: answer(review, Rating.AGAIN, review.due).card,
    }[phase]


@pytest.mark.parametrize("phase", list(Phase))
@pytest.mark.parametrize("late_days", [0, 3, 40])
def test_preview_matches_what_each_button_gives(phase, late_days):
    card = _card_in(phase)
    assert card.phase is phase
    later = card.due + timedelta(days=late_days)
    settings = SchedulerSettings(fuzz=True)
    preview = preview_intervals(card, later, settings, fuzz_seed=42)
    for rating in Rating:
        assert preview[rating] == answer(card, rating, later, settings, fuzz_seed=42).interval
    assert preview[Rating.AGAIN] < preview[Rating.HARD] <= preview[Rating.GOOD]
    assert preview[Rating.GOOD] <= preview[Rating.EASY]


def test_fuzz_is_reproducible_from_the_seed_and_stays_in_range():
    card = _reviewed_card(0)
    when = card.due + timedelta(days=20)
    plain = answer(card, Rating.GOOD, when).interval.days
    settings = SchedulerSettings(fuzz=True)
    fuzzed = {
        answer(card, Rating.GOOD, when, settings, fuzz_seed=s).interval.days for s in range(40)
    }
    assert len(fuzzed) > 1
    assert all(abs(days - plain) <= max(2, plain * 0.2) for days in fuzzed)
    assert answer(card, Rating.GOOD, when, settings, fuzz_seed=7) == answer(
        card, Rating.GOOD, when, settings, fuzz_seed=7
    )


def test_maximum_interval_caps_review_intervals():
    settings = SchedulerSettings(fuzz=False, maximum_interval=5)
    card = _reviewed_card(0)
    for _ in range(5):
        card = answer(card, Rating.EASY, card.due, settings).card
    assert answer(card, Rating.EASY, card.due, settings).interval <= timedelta(days=5)


def test_without_learning_steps_fsrs_schedules_new_cards_in_days():
    settings = SchedulerSettings(fuzz=False, learning_steps=())
    assert answer(new_card(), Rating.GOOD, T0, settings).card.phase is Phase.REVIEW


def test_naive_time_is_refused():
    with pytest.raises(ValueError, match="UTC"):
        answer(new_card(), Rating.GOOD, datetime(2026, 3, 1))  # noqa: DTZ001


def test_bury_hides_until_the_next_study_day_in_the_users_zone():
    settings = SchedulerSettings(timezone="Europe/Berlin")
    buried = bury(new_card(), T0, settings)  # 13:00 CET
    assert buried.buried_until == datetime(2026, 3, 2, 3, 0, tzinfo=UTC)  # 04:00 CET


def test_suspending_clears_a_bury():
    buried = bury(new_card(), T0, SETTINGS)
    suspended = set_suspended(buried, True)
    assert suspended.suspended and suspended.buried_until is None
    assert not set_suspended(suspended, False).suspended


def test_answering_clears_a_bury():
    buried = bury(new_card(), T0, SETTINGS)
    assert answer(buried, Rating.GOOD, T0).card.buried_until is None


def test_snapshot_round_trips_through_json():
    card = answer(new_card(), Rating.GOOD, T0).card
    assert CardSnapshot.from_dict(card.to_dict()) == card


def test_retrievability_is_desired_retention_at_the_due_date():
    card = _reviewed_card(0)
    assert retrievability(card, card.due, SETTINGS) == pytest.approx(0.9, abs=0.01)
    assert retrievability(new_card(), T0, SETTINGS) == 0.0


@pytest.mark.parametrize(
    ("interval", "label"),
    [
        (timedelta(seconds=30), "30s"),
        (timedelta(minutes=1), "1m"),
        (timedelta(minutes=10), "10m"),
        (timedelta(hours=5), "5h"),
        (timedelta(days=2), "2d"),
        (timedelta(days=45), "1.5mo"),
        (timedelta(days=730), "2y"),
    ],
)
def test_interval_labels(interval, label):
    assert format_interval(interval) == label


def test_forgetting_curve_constants_reproduce_fsrs_retrievability():
    from quizapp.core.scheduler.review import forgetting_curve

    card = _reviewed_card(0)
    decay, factor = forgetting_curve(SETTINGS)
    when = card.last_review + timedelta(days=30)
    expected = (1 + factor * 30 / card.stability) ** decay
    assert retrievability(card, when, SETTINGS) == pytest.approx(expected)

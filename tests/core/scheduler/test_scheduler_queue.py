import pytest

from quizapp.core.scheduler import (
    DailyCounts,
    QueueChoice,
    QueueCounts,
    SchedulerSettings,
    choose_next,
    remaining_limits,
)


def test_limits_subtract_what_was_done_today():
    settings = SchedulerSettings(new_per_day=20, reviews_per_day=200)
    limits = remaining_limits(settings, DailyCounts(new_done=5, reviews_done=190))
    assert (limits.new, limits.reviews) == (15, 10)
    assert remaining_limits(settings, DailyCounts(new_done=25, reviews_done=250)).new == 0


def test_learning_card_due_now_comes_first():
    counts = QueueCounts(new=5, learning=1, review=5)
    choice = choose_next(counts, DailyCounts(), learning_due_now=True, learning_due_soon=True)
    assert choice is QueueChoice.LEARNING


def test_learning_card_due_later_waits_behind_reviews_and_new():
    counts = QueueCounts(new=0, learning=1, review=3)
    choice = choose_next(counts, DailyCounts(), learning_due_now=False, learning_due_soon=True)
    assert choice is QueueChoice.REVIEW


def test_learn_ahead_when_nothing_else_is_left():
    counts = QueueCounts(learning=1)
    assert (
        choose_next(counts, DailyCounts(), learning_due_now=False, learning_due_soon=True)
        is QueueChoice.LEARN_AHEAD
    )
    assert (
        choose_next(counts, DailyCounts(), learning_due_now=False, learning_due_soon=False)
        is QueueChoice.DONE
    )


def simulate(new: int, review: int) -> list[QueueChoice]:
    """Answer every card once; return the order of queues."""
    done = DailyCounts()
    order = []
    while new or review:
        choice = choose_next(
            QueueCounts(new=new, review=review),
            done,
            learning_due_now=False,
            learning_due_soon=False,
        )
        order.append(choice)
        if choice is QueueChoice.NEW:
            new -= 1
            done = DailyCounts(done.new_done + 1, done.reviews_done)
        else:
            review -= 1
            done = DailyCounts(done.new_done, done.reviews_done + 1)
    return order


def test_new_cards_are_spread_evenly_among_reviews():
    order = simulate(new=2, review=10)
    positions = [i for i, c in enumerate(order) if c is QueueChoice.NEW]
    assert positions == [2, 8]


@pytest.mark.parametrize(("new", "review"), [(0, 5), (5, 0), (3, 3), (20, 200), (1, 1)])
def test_every_available_card_is_shown_exactly_once(new, review):
    order = simulate(new, review)
    assert order.count(QueueChoice.NEW) == new and order.count(QueueChoice.REVIEW) == review


def test_no_gap_longer_than_needed_between_new_cards():
    order = simulate(new=20, review=200)
    positions = [i for i, c in enumerate(order) if c is QueueChoice.NEW]
    gaps = [b - a for a, b in zip(positions, positions[1:], strict=False)]
    assert max(gaps) - min(gaps) <= 1

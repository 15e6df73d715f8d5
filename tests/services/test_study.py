from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from quizapp.core.errors import UserInputError
from quizapp.core.scheduler import Phase, QueueChoice, Rating
from quizapp.data.models import Bank, CardState, Question, ReviewLog
from quizapp.services import study
from quizapp.services.study import AnswerStatus, Selection
from tests.factories import make_user
from tests.study_data import add_question, answer_next, small_content

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)  # 13:00 in Berlin


@pytest.fixture
def user(session):
    small_content(session)
    user = make_user(session)
    user.timezone = "Europe/Berlin"
    study.save_selection(session, user, Selection(banks=("kb-memory",)), NOW)
    session.flush()
    return user


def count_logs(session):
    return session.scalar(select(func.count(ReviewLog.id)))


def test_selection_creates_new_cards_with_siblings_spread(session, user):
    assert session.scalar(select(func.count(CardState.id))) == 12
    first_four = []
    now = NOW
    for _ in range(4):
        card = answer_next(session, user, now)
        first_four.append(card.question.entry_slug)
        now += timedelta(seconds=5)
    assert len(set(first_four)) == 4  # one question from each entry before any sibling


def test_selection_is_saved_and_validated(session, user):
    assert user.study_selection["banks"] == ["kb-memory"]
    with pytest.raises(UserInputError) as info:
        study.save_selection(session, user, Selection(kinds=("bogus",)), NOW)
    assert info.value.field == "kinds"


def test_selection_filters_by_level_and_kind(session, user):
    study.save_selection(session, user, Selection(levels=("beginner",)), NOW)
    status = study.queue_status(session, user, NOW)
    # 4 beginner typed-command cards in memory + 3 beginner process cards.
    assert status.counts.new == 7
    study.save_selection(session, user, Selection(kinds=("multiple_choice",)), NOW)
    assert study.queue_status(session, user, NOW).counts.new == 4


def test_new_cards_stop_at_the_daily_limit_minus_those_introduced_today(session, user):
    user.new_per_day = 3
    now = NOW
    for _ in range(2):
        answer_next(session, user, now, Rating.EASY)
        now += timedelta(minutes=1)
    assert study.queue_status(session, user, now).counts.new == 1
    answer_next(session, user, now, Rating.EASY)
    shown = study.next_card(session, user, now + timedelta(minutes=1))
    assert shown.card is None and shown.choice is QueueChoice.DONE
    # The next study day starts at 04:00 Berlin (03:00 UTC): three more.
    tomorrow = datetime(2026, 3, 3, 3, 0, tzinfo=UTC)
    assert study.queue_status(session, user, tomorrow).counts.new == 3
    assert study.queue_status(session, user, tomorrow - timedelta(seconds=1)).counts.new == 0


def test_rollover_follows_the_users_time_zone(session, user):
    user.new_per_day = 1
    answer_next(session, user, NOW, Rating.EASY)
    at_3_utc = datetime(2026, 3, 3, 3, 30, tzinfo=UTC)  # 04:30 Berlin, 22:30 New York
    assert study.queue_status(session, user, at_3_utc).counts.new == 1
    user.timezone = "America/New_York"
    assert study.queue_status(session, user, at_3_utc).counts.new == 0


def test_learning_card_comes_back_within_the_session_when_due(session, user):
    first = answer_next(session, user, NOW, Rating.AGAIN)  # due again in 1 minute
    shown = study.next_card(session, user, NOW + timedelta(seconds=10))
    assert shown.card.card_state_id != first.card_state_id  # not yet due: a new card
    assert shown.status.counts.learning == 1
    again = study.next_card(session, user, NOW + timedelta(minutes=1, seconds=1))
    assert again.card.card_state_id == first.card_state_id
    assert again.choice is QueueChoice.LEARNING


def test_learning_card_is_shown_early_when_nothing_else_is_left(session, user):
    user.new_per_day = 1
    first = answer_next(session, user, NOW, Rating.GOOD)  # due in 10 minutes
    shown = study.next_card(session, user, NOW + timedelta(minutes=1))
    assert shown.choice is QueueChoice.LEARN_AHEAD
    assert shown.card.card_state_id == first.card_state_id


def test_review_limit_caps_due_reviews(session, user):
    user.new_per_day = 12
    now = NOW
    for _ in range(12):
        answer_next(session, user, now, Rating.EASY)
    user.reviews_per_day = 5
    later = NOW + timedelta(days=60)
    status = study.queue_status(session, user, later)
    assert status.counts.review == 5
    for _ in range(5):
        answer_next(session, user, later, Rating.GOOD)
        later += timedelta(seconds=1)
    status = study.queue_status(session, user, later)
    assert status.counts.review == 0 and status.done.reviews_done == 5


@pytest.mark.parametrize(("limit", "shown"), [(1, 1), (11, 11), (12, 12), (13, 12), (500, 12)])
def test_due_count_is_the_smaller_of_the_limit_and_the_due_cards(session, user, limit, shown):
    user.new_per_day = 12
    for _ in range(12):
        answer_next(session, user, NOW, Rating.EASY)
    user.reviews_per_day = limit
    assert study.queue_status(session, user, NOW + timedelta(days=60)).counts.review == shown


def test_double_submit_is_recorded_once(session, user):
    shown = study.next_card(session, user, NOW).card
    kwargs = dict(
        card_state_id=shown.card_state_id,
        rating=Rating.GOOD,
        token=shown.token,
        shown_reps=shown.shown_reps,
        now=NOW,
    )
    assert study.answer(session, user, **kwargs).status is AnswerStatus.RECORDED
    assert study.answer(session, user, **kwargs).status is AnswerStatus.DUPLICATE
    assert count_logs(session) == 1


def test_second_tab_gets_a_clear_message_not_a_second_log(session, user):
    tab_one = study.next_card(session, user, NOW).card
    tab_two = study.next_card(session, user, NOW).card
    assert tab_one.card_state_id == tab_two.card_state_id and tab_one.token != tab_two.token
    common = dict(card_state_id=tab_one.card_state_id, rating=Rating.GOOD, now=NOW)
    first = study.answer(
        session, user, token=tab_one.token, shown_reps=tab_one.shown_reps, **common
    )
    second = study.answer(
        session, user, token=tab_two.token, shown_reps=tab_two.shown_reps, **common
    )
    assert first.status is AnswerStatus.RECORDED
    assert second.status is AnswerStatus.STALE and "another tab" in second.message
    assert count_logs(session) == 1


def test_undo_restores_the_card_and_marks_the_log(session, user):
    shown = answer_next(session, user, NOW, Rating.GOOD)
    row = session.get(CardState, shown.card_state_id)
    session.refresh(row)
    assert row.state == "learning" and row.reps == 1
    undone = study.undo_last_answer(session, user)
    assert undone.card_state_id == shown.card_state_id
    session.refresh(row)
    assert (row.state, row.reps, row.due) == ("new", 0, shown.card.due)
    log = session.scalar(select(ReviewLog))
    assert log.undone
    assert study.queue_status(session, user, NOW).done.new_done == 0
    again = study.next_card(session, user, NOW, prefer=undone.card_state_id)
    assert again.card.card_state_id == shown.card_state_id
    # Undo again: the log is already undone, so nothing earlier to undo.
    assert study.undo_last_answer(session, user) is None


def test_undo_restores_a_leech_suspension(session, user):
    user.leech_threshold = 1
    card = answer_next(session, user, NOW, Rating.EASY)
    later = NOW + timedelta(days=30)
    shown = study.next_card(session, user, later, prefer=card.card_state_id).card
    result = study.answer(
        session,
        user,
        card_state_id=shown.card_state_id,
        rating=Rating.AGAIN,
        token=shown.token,
        shown_reps=shown.shown_reps,
        now=later,
    )
    assert result.became_leech
    row = session.get(CardState, shown.card_state_id)
    session.refresh(row)
    assert row.leech and row.suspended and row.lapses == 1
    study.undo_last_answer(session, user)
    session.refresh(row)
    assert not row.leech and not row.suspended and row.lapses == 0


def test_eight_lapses_make_a_leech_that_leaves_the_queue(session, user):
    card = answer_next(session, user, NOW, Rating.EASY)
    now = NOW
    for _lapse in range(8):
        now += timedelta(days=40)
        shown = study.next_card(session, user, now, prefer=card.card_state_id).card
        result = study.answer(
            session,
            user,
            card_state_id=shown.card_state_id,
            rating=Rating.AGAIN,
            token=shown.token,
            shown_reps=shown.shown_reps,
            now=now,
        )
        if result.became_leech:
            break
        shown = study.next_card(session, user, now, prefer=card.card_state_id).card
        study.answer(
            session,
            user,
            card_state_id=shown.card_state_id,
            rating=Rating.EASY,
            token=shown.token,
            shown_reps=shown.shown_reps,
            now=now + timedelta(minutes=10),
        )
    row = session.get(CardState, card.card_state_id)
    session.refresh(row)
    assert row.lapses == 8 and row.leech and row.suspended
    assert [c.card_state_id for c in study.suspended_cards(session, user)] == [row.id]
    status = study.queue_status(session, user, now + timedelta(days=400))
    assert status.counts.review == 0


def test_bury_hides_the_card_until_the_next_study_day(session, user):
    shown = study.next_card(session, user, NOW).card
    until = study.bury_card(session, user, shown.card_state_id, NOW)
    assert until == datetime(2026, 3, 3, 3, 0, tzinfo=UTC)
    assert study.queue_status(session, user, NOW).counts.new == 11
    assert study.next_card(session, user, NOW).card.card_state_id != shown.card_state_id
    assert study.queue_status(session, user, until).counts.new == 12


def test_suspend_removes_the_card_until_unsuspended(session, user):
    shown = study.next_card(session, user, NOW).card
    study.suspend_card(session, user, shown.card_state_id)
    assert study.queue_status(session, user, NOW + timedelta(days=9)).counts.new == 11
    study.suspend_card(session, user, shown.card_state_id, suspended=False)
    assert study.queue_status(session, user, NOW).counts.new == 12


def test_other_users_cards_cannot_be_touched(session, user):
    other = make_user(session, "other@example.com")
    shown = study.next_card(session, user, NOW).card
    with pytest.raises(UserInputError):
        study.bury_card(session, other, shown.card_state_id, NOW)
    with pytest.raises(UserInputError):
        study.answer(
            session,
            other,
            card_state_id=shown.card_state_id,
            rating=Rating.GOOD,
            token="t" * 20,
            shown_reps=0,
            now=NOW,
        )


def test_typed_and_chosen_answers_are_checked_and_logged(session, user):
    study.save_selection(session, user, Selection(kinds=("purpose_command",)), NOW)
    shown = study.next_card(session, user, NOW).card
    grading = study.grade(shown.question, "free --human -x", None)
    assert grading.correct is False and any(p.op != "same" for p in grading.diff)
    assert study.grade(shown.question, "free  -h", None).correct is True
    study.answer(
        session,
        user,
        card_state_id=shown.card_state_id,
        rating=Rating.GOOD,
        token=shown.token,
        shown_reps=0,
        now=NOW,
        typed="free -h",
    )
    log = session.scalar(select(ReviewLog))
    assert (log.typed_answer, log.correct, log.phase) == ("free -h", True, Phase.NEW.value)
    study.save_selection(session, user, Selection(kinds=("multiple_choice",)), NOW)
    mc = study.next_card(session, user, NOW).card
    assert study.grade(mc.question, None, 0).correct is True
    assert study.grade(mc.question, None, 2).suggested is Rating.AGAIN


def test_button_intervals_match_what_the_answer_gives(session, user):
    shown = study.next_card(session, user, NOW).card
    assert shown.intervals == {
        Rating.AGAIN: "1m",
        Rating.HARD: "6m",
        Rating.GOOD: "10m",
        Rating.EASY: shown.intervals[Rating.EASY],
    }
    result = study.answer(
        session,
        user,
        card_state_id=shown.card_state_id,
        rating=Rating.EASY,
        token=shown.token,
        shown_reps=0,
        now=NOW,
    )
    assert result.interval == shown.intervals[Rating.EASY]


def test_new_questions_added_by_a_build_join_the_selection(session, user):
    memory = session.scalar(select(Bank).where(Bank.slug == "kb-memory"))
    add_question(session, memory, "zram/term", entry_slug="zram")
    session.flush()
    assert study.ensure_cards(session, user, NOW) == 1
    assert study.ensure_cards(session, user, NOW) == 0


def test_retired_questions_leave_the_queue_after_a_build(session, user):
    question = session.get(Question, "swap/term")
    question.retired = True
    session.flush()
    study.ensure_cards(session, user, NOW)
    status = study.queue_status(session, user, NOW)
    assert status.counts.new == 11
    shown = [answer_next(session, user, NOW, Rating.EASY).question.id for _ in range(11)]
    assert "swap/term" not in shown

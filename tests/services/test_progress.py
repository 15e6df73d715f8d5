from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from quizapp.core.scheduler import Rating
from quizapp.data.models import Bank, CardState, SimAttempt
from quizapp.services import progress, study
from quizapp.services.study import Selection
from tests.factories import make_user
from tests.study_data import add_question, small_content

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def answer(session, user, now, rating=Rating.GOOD, prefer=None, **kw):
    shown = study.next_card(session, user, now, prefer=prefer).card
    assert shown is not None
    result = study.answer(
        session,
        user,
        card_state_id=shown.card_state_id,
        rating=rating,
        token=shown.token,
        shown_reps=shown.shown_reps,
        now=now,
        **kw,
    )
    assert result.status is study.AnswerStatus.RECORDED
    return shown


@pytest.fixture
def users(session):
    small_content(session)
    alice = make_user(session, "alice@example.com")
    alice.timezone = "Europe/Berlin"
    bob = make_user(session, "bob@example.com")
    bob.timezone = "America/New_York"
    for user in (alice, bob):
        study.save_selection(session, user, Selection(banks=("kb-memory",)), NOW)
    session.flush()
    return alice, bob


def test_reviews_are_bucketed_by_each_users_study_day(session, users):
    alice, bob = users
    # 02:30 UTC on the 5th: 03:30 in Berlin (still the 4th's study day),
    # 21:30 on the 4th in New York.
    at = datetime(2026, 3, 5, 2, 30, tzinfo=UTC)
    answer(session, alice, at, Rating.EASY)
    answer(session, bob, at, Rating.EASY)
    answer(session, alice, at + timedelta(hours=1), Rating.EASY)  # 04:30 Berlin: the 5th
    per_user = progress.reviews_by_day(session, [alice, bob], date(2026, 3, 1), date(2026, 3, 10))
    assert per_user[alice.id] == {date(2026, 3, 4): 1, date(2026, 3, 5): 1}
    assert per_user[bob.id] == {date(2026, 3, 4): 1}


def test_streak_counts_consecutive_days_ending_today_or_yesterday(session, users):
    alice, _ = users
    for days_ago in (1, 2, 3, 5):
        answer(session, alice, NOW - timedelta(days=days_ago), Rating.EASY)
    assert progress.progress_page(session, alice, NOW).streak == 3
    answer(session, alice, NOW, Rating.EASY)
    assert progress.progress_page(session, alice, NOW).streak == 4
    assert progress.streak({}, date(2026, 1, 1)) == 0


def test_undone_answers_do_not_count(session, users):
    alice, _ = users
    answer(session, alice, NOW)
    study.undo_last_answer(session, alice)
    assert progress.reviews_by_day(session, [alice], date(2026, 3, 1), date(2026, 3, 10)) == {}


def graduate(session, user, count, at):
    cards = []
    for i in range(count):
        cards.append(answer(session, user, at + timedelta(seconds=i), Rating.EASY).card_state_id)
    return cards


def test_true_retention_counts_review_answers_only(session, users):
    alice, bob = users
    cards = graduate(session, alice, 4, NOW - timedelta(days=20))
    at = NOW - timedelta(days=5)
    for card, rating in zip(
        cards, (Rating.AGAIN, Rating.HARD, Rating.GOOD, Rating.EASY), strict=True
    ):
        answer(session, alice, at, rating, prefer=card)
    result = progress.true_retention(session, [alice.id, bob.id], date(2026, 2, 9))
    assert (result[alice.id].passed, result[alice.id].failed) == (3, 1)
    assert result[alice.id].rate == 0.75
    assert bob.id not in result


def test_card_counts_by_state(session, users):
    alice, bob = users
    graduate(session, alice, 2, NOW)
    answer(session, alice, NOW, Rating.AGAIN)
    shown = study.next_card(session, alice, NOW).card
    study.suspend_card(session, alice, shown.card_state_id)
    counts = progress.card_counts(session, [alice.id, bob.id])
    assert counts[alice.id] == progress.CardCounts(
        new=8, learning=1, young=2, mature=0, suspended=1, leeches=0
    )
    assert counts[bob.id].new == 12 and counts[bob.id].total == 12


def test_forecast_puts_overdue_cards_today_and_the_rest_on_their_days(session, users):
    alice, _ = users
    graduate(session, alice, 3, NOW - timedelta(days=40))
    answer(session, alice, NOW, Rating.AGAIN)  # a learning card due in a minute
    result = progress.forecast(session, [alice], NOW)[alice.id]
    assert result[date(2026, 3, 10)] == 4  # three overdue plus the learning card
    assert sum(result.values()) == 4
    # Only the review queue counts: not suspended cards, nor those left out of the selection.
    overdue = session.scalars(
        select(CardState).where(CardState.user_id == alice.id, CardState.state == "review")
    ).all()
    overdue[0].suspended = True
    overdue[1].selected = False
    session.flush()
    assert progress.forecast(session, [alice], NOW)[alice.id] == {date(2026, 3, 10): 2}


def test_mastery_counts_every_selected_question_unseen_ones_as_zero(session, users):
    from fsrs import Card, Scheduler, State

    from quizapp.data.models import CardState

    alice, _ = users  # selection: the 12 memory questions; processes are not in it
    cards = graduate(session, alice, 3, NOW - timedelta(days=1, hours=6))
    recalls = []
    for card_id in cards:  # py-fsrs's own figure for each card (whole elapsed days)
        row = session.get(CardState, card_id)
        session.refresh(row)
        card = Card(state=State.Review, stability=row.stability, difficulty=row.difficulty,
                    last_review=row.last_review)  # fmt: skip
        recalls.append(Scheduler().get_card_retrievability(card, NOW))
    today = progress.mastery(session, [alice.id], NOW)[alice.id]
    assert [m.category for m in today] == ["memory"]
    assert today[0].cards == 3 and today[0].total == 12
    assert today[0].coverage == pytest.approx(3 / 12)
    assert today[0].retrievability == pytest.approx(sum(recalls) / 12, abs=1e-6)
    later = progress.mastery(session, [alice.id], NOW + timedelta(days=60))[alice.id]
    assert later[0].retrievability < today[0].retrievability


def test_mastery_of_half_a_category_at_90_percent_is_45_percent(session):
    from tests.mentor_factories import make_card, make_question

    user = make_user(session, "half@example.com")
    for i in range(10):
        question = make_question(session, f"m{i}", category="memory")
        if i < 5:  # reviewed 10 days ago with a stability of 10 days: R = 0.9
            make_card(session, user, question, stability=10.0,
                      last_review=NOW - timedelta(days=10))  # fmt: skip
    (memory,) = progress.mastery(session, [user.id], NOW)[user.id]
    assert (memory.cards, memory.total) == (5, 10)
    assert memory.retrievability == pytest.approx(0.45, abs=1e-3)


def test_mastery_follows_the_study_selection_and_titles_non_kb_categories(session, users):
    from tests.mentor_factories import make_bank

    alice, bob = users
    oom = make_bank(session, "oom")
    add_question(session, oom, "oom/1", category="oom", kind="oom_victim")
    commands = make_bank(session, "commands")
    add_question(session, commands, "cmd/1", category="commands")
    alice.study_selection = {}  # everything
    result = progress.mastery(session, [alice.id, bob.id], NOW)
    assert {m.category: (m.title, m.total) for m in result[alice.id]} == {
        "memory": ("Memory", 12),
        "processes": ("Processes", 6),
        "oom": ("OOM killer (simulator)", 1),
        "commands": ("Commands", 1),
    }
    assert all(m.retrievability == 0 for m in result[alice.id])
    assert [(m.category, m.total) for m in result[bob.id]] == [("memory", 12)]


def test_interview_recall_predicts_the_interview_day(session, users):
    alice, bob = users
    graduate(session, alice, 2, NOW)
    alice.interview_date = date(2026, 6, 1)
    result = progress.interview_recall(session, [alice, bob])
    assert list(result) == [alice.id]
    now_mastery = progress.mastery(session, [alice.id], NOW)[alice.id][0]
    assert result[alice.id][0].retrievability < now_mastery.retrievability


def test_simulator_accuracy_by_tier_from_practice_and_study(session, users):
    alice, bob = users
    oom = Bank(slug="oom", title="OOM")
    session.add(oom)
    session.flush()
    add_question(
        session,
        oom,
        "oom/1",
        kind="oom_victim",
        level="advanced",
        data={"choices": ["a", "b"], "correct": 1},
    )
    add_question(session, oom, "oom/2", kind="oom_victim", level="beginner")
    session.add_all(
        [
            SimAttempt(user_id=alice.id, tier="easy", correct=True, created_at=NOW),
            SimAttempt(user_id=alice.id, tier="easy", correct=False, created_at=NOW),
            SimAttempt(user_id=bob.id, tier="medium", correct=True, created_at=NOW),
        ]
    )
    study.save_selection(session, alice, Selection(banks=("oom",)), NOW)
    answer(session, alice, NOW, Rating.AGAIN, prefer=_card_of(session, alice, "oom/1"), choice=1)
    # Self-graded (no pick): Again fails.
    answer(session, alice, NOW, Rating.AGAIN, prefer=_card_of(session, alice, "oom/2"))
    result = progress.simulator_accuracy(session, [alice.id, bob.id])
    assert result[alice.id]["easy"] == progress.Accuracy(1, 3)  # two practice, one study
    assert result[alice.id]["hard"] == progress.Accuracy(1, 1)  # picked right, rated Again
    assert result[bob.id] == {"medium": progress.Accuracy(1, 1)}


def _card_of(session, user, question_id):
    from sqlalchemy import select

    from quizapp.data.models import CardState

    return session.scalar(
        select(CardState.id).where(
            CardState.user_id == user.id, CardState.question_id == question_id
        )
    )


def test_progress_page_for_a_new_user_is_empty_not_an_error(session, users):
    alice, _ = users
    page = progress.progress_page(session, alice, NOW)
    assert page.streak == 0 and page.retention.rate is None and page.cards.new == 12
    assert page.forecast == {}

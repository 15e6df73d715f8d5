"""The cohort dashboard's numbers, checked on small hand-made histories."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest
from fsrs import Card, Scheduler, State
from sqlalchemy import event
from sqlalchemy.orm import Session

from quizapp import database
from quizapp.data.models import MockInterview, SimAttempt
from quizapp.services import cohorts, dashboard
from tests.factories import make_user
from tests.mentor_factories import (
    join,
    make_card,
    make_cohort,
    make_mentor,
    make_question,
    make_review,
)

NOW = datetime(2026, 4, 1, 12, 0, tzinfo=UTC)


def fsrs_recall(stability: float, last_review: datetime, at: datetime) -> float:
    card = Card(card_id=1, state=State.Review, stability=stability, last_review=last_review)
    return Scheduler().get_card_retrievability(card, at)


@pytest.fixture
def cohort_with(session: Session):  # type: ignore[no-untyped-def]
    mentor = make_mentor(session)
    cohort = make_cohort(session, mentor, inactive_days=5)

    def add(email: str = "casey@example.com", name: str = "Casey", **kw):  # type: ignore[no-untyped-def]
        user = make_user(session, email, display_name=name, **kw)
        join(session, cohort, user)
        return user

    return cohort, add


def row_of(session: Session, cohort, user):  # type: ignore[no-untyped-def]
    board = dashboard.cohort_dashboard(session, cohort, now=NOW)
    return next(r for r in board.rows if r.user_id == user.id)


def test_reviews_in_7_and_30_days_and_true_retention(session: Session, cohort_with) -> None:
    cohort, add = cohort_with
    user = add()
    q = make_question(session, "q1")
    for days, rating, phase in [
        (1, 3, "review"),
        (2, 1, "review"),
        (6, 4, "learning"),  # counted as a review, not in retention
        (10, 3, "review"),
        (20, 2, "review"),
        (29, 1, "relearning"),
        (31, 3, "review"),  # too old
    ]:
        make_review(session, user, q, NOW - timedelta(days=days), rating=rating, phase=phase)
    make_review(session, user, q, NOW - timedelta(days=1), rating=1, undone=True)
    row = row_of(session, cohort, user)
    assert (row.reviews_7d, row.reviews_30d) == (3, 6)
    assert (row.retention_passed, row.retention_total) == (3, 4)
    assert row.retention == pytest.approx(0.75)
    assert row.last_active == NOW - timedelta(days=1)


def test_mastery_is_mean_retrievability_over_all_questions_unseen_as_zero(
    session: Session, cohort_with
) -> None:
    cohort, add = cohort_with
    user = add()
    cards = [
        ("p1", "processes", 3.0, 2.5),
        ("p2", "processes", 30.0, 10.2),
        ("n1", "networking", 1.5, 9.9),
        ("n2", "networking", 100.0, 0.3),
    ]
    for qid, category, stability, days_ago in cards:
        question = make_question(session, qid, category=category)
        make_card(session, user, question, stability=stability,
                  last_review=NOW - timedelta(days=days_ago))  # fmt: skip
    make_card(session, user, make_question(session, "new1", category="networking"),
              stability=None, last_review=None, state="new")  # fmt: skip
    make_question(session, "unseen1", category="networking")  # no card at all
    make_question(session, "m1", category="memory")  # a category not started
    make_question(session, "gone", category="memory", retired=True)
    row = row_of(session, cohort, user)
    recall = {
        qid: fsrs_recall(stability, NOW - timedelta(days=days_ago), NOW)
        for qid, _category, stability, days_ago in cards
    }
    got = {c.slug: (c.cards, c.total, c.mastery) for c in row.categories}
    assert got == {
        "processes": (2, 2, pytest.approx((recall["p1"] + recall["p2"]) / 2, rel=1e-9)),
        "networking": (2, 4, pytest.approx((recall["n1"] + recall["n2"]) / 4, rel=1e-9)),
        "memory": (0, 1, 0.0),
    }
    assert (row.studied, row.total_questions) == (4, 7)
    assert row.mastery == pytest.approx(sum(recall.values()) / 7, rel=1e-9)
    assert row.coverage == pytest.approx(4 / 7)
    assert [c.slug for c in row.weakest()] == ["memory", "networking"]


def test_half_a_category_studied_at_90_percent_recall_is_45_percent_mastery(
    session: Session, cohort_with
) -> None:
    cohort, add = cohort_with
    user = add()
    for i in range(10):
        question = make_question(session, f"m{i}", category="memory")
        if i < 5:  # FSRS stability is the interval at which recall falls to 90%
            make_card(session, user, question, stability=10.0,
                      last_review=NOW - timedelta(days=10))  # fmt: skip
    row = row_of(session, cohort, user)
    (memory,) = row.categories
    assert (memory.cards, memory.total, memory.coverage) == (5, 10, 0.5)
    assert memory.mastery == pytest.approx(0.45, abs=1e-3)
    assert row.mastery == pytest.approx(0.45, abs=1e-3)


def test_mastery_counts_only_the_study_selection(session: Session, cohort_with) -> None:
    cohort, add = cohort_with
    user = add()
    user.study_selection = {"categories": ["memory", "oom"]}
    for i in range(4):
        make_question(session, f"m{i}", category="memory")
        make_question(session, f"p{i}", category="processes")
    oom = make_question(session, "oom1", category="oom", kind="oom_victim")
    make_card(session, user, oom, stability=10.0, last_review=NOW - timedelta(days=10))
    row = row_of(session, cohort, user)
    got = {c.slug: (c.title, c.cards, c.total) for c in row.categories}
    assert got == {"memory": ("Memory", 0, 4), "oom": ("OOM killer (simulator)", 1, 1)}
    assert row.total_questions == 5
    assert row.mastery == pytest.approx(0.9 / 5, abs=1e-3)


def test_backlog_counts_overdue_active_cards_only(session: Session, cohort_with) -> None:
    cohort, add = cohort_with
    user = add()
    for i in range(12):  # overdue for 1..12 days: 6 of them became due this week
        make_card(session, user, make_question(session, f"o{i}"), due=NOW - timedelta(days=i + 1))
    make_card(session, user, make_question(session, "later"), due=NOW + timedelta(days=1))
    make_card(session, user, make_question(session, "susp"), due=NOW - timedelta(days=1),
              suspended=True)  # fmt: skip
    make_card(session, user, make_question(session, "new"), due=NOW - timedelta(days=1),
              state="new", stability=None, last_review=None)  # fmt: skip
    row = row_of(session, cohort, user)
    assert row.backlog == 12
    assert row.backlog_recent == 6
    assert row.backlog_growing  # 6 of 12 are new this week

    for i in range(12, 30):  # an old pile: no longer "growing"
        make_card(session, user, make_question(session, f"o{i}"), due=NOW - timedelta(days=i + 1))
    row = row_of(session, cohort, user)
    assert (row.backlog, row.backlog_growing) == (30, False)


def test_streak_counts_study_days_in_the_users_zone(session: Session, cohort_with) -> None:
    cohort, add = cohort_with
    # New York, day starts 04:00 local (08:00 UTC in April, EDT).
    user = add()
    user.timezone = "America/New_York"
    q = make_question(session, "q")
    day_start = datetime(2026, 4, 1, 8, 0, tzinfo=UTC)  # today's study day began here
    for at in [
        day_start + timedelta(hours=1),  # today
        day_start - timedelta(hours=1),  # yesterday (03:00 local counts for the day before)
        day_start - timedelta(days=1, hours=5),  # two days ago
        day_start - timedelta(days=3, hours=2),  # after a gap: not counted
    ]:
        make_review(session, user, q, at)
    make_review(session, user, q, day_start - timedelta(days=2, hours=3), undone=True)
    assert row_of(session, cohort, user).streak == 3


def test_streak_alive_from_yesterday_and_zero_without_reviews(
    session: Session, cohort_with
) -> None:
    cohort, add = cohort_with
    idle = add("idle@example.com", "Idle")
    yesterday = add("y@example.com", "Yesterday")
    q = make_question(session, "q")
    day_start = datetime(2026, 4, 1, 4, 0, tzinfo=UTC)
    for k in range(1, 6):
        make_review(session, yesterday, q, day_start - timedelta(days=k) + timedelta(hours=2))
    board = dashboard.cohort_dashboard(session, cohort, now=NOW)
    streaks = {r.name: r.streak for r in board.rows}
    assert streaks == {"Idle": 0, "Yesterday": 5}
    assert idle.id in {r.user_id for r in board.rows}


def test_simulator_accuracy_by_tier_from_practice_and_oom_reviews(
    session: Session, cohort_with
) -> None:
    cohort, add = cohort_with
    user = add()
    for tier, correct in [("easy", True), ("easy", True), ("hard", False), ("hard", True)]:
        session.add(SimAttempt(user_id=user.id, tier=tier, correct=correct, created_at=NOW))
    oom_easy = make_question(session, "oom1", kind="oom_victim", level="beginner")
    oom_hard = make_question(session, "oom2", kind="oom_score", level="advanced")
    plain = make_question(session, "kb1")
    make_review(session, user, oom_easy, NOW - timedelta(days=1), rating=3, correct=False)
    make_review(session, user, oom_hard, NOW - timedelta(days=1), rating=1)
    make_review(session, user, oom_hard, NOW - timedelta(days=2), rating=3)
    make_review(session, user, plain, NOW - timedelta(days=1), rating=1)  # not a simulator question
    row = row_of(session, cohort, user)
    assert row.sim == {
        "easy": dashboard.Accuracy(2, 3),
        "hard": dashboard.Accuracy(2, 4),
    }
    assert row.sim_accuracy == pytest.approx(4 / 7)


def test_mock_scores_newest_first(session: Session, cohort_with) -> None:
    cohort, add = cohort_with
    user = add()
    for days, score in [(10, 0.5), (5, 0.6), (3, 0.7), (1, 0.9)]:
        at = NOW - timedelta(days=days)
        session.add(MockInterview(user_id=user.id, started_at=at, finished_at=at,
                                  time_limit_seconds=600, score=score))  # fmt: skip
    session.add(MockInterview(user_id=user.id, started_at=NOW, time_limit_seconds=600))
    row = row_of(session, cohort, user)
    assert row.mock_scores == [0.9, 0.7, 0.6]
    assert row.mock_count == 4


def test_readiness_is_the_share_still_recalled_on_the_interview_date(
    session: Session, cohort_with
) -> None:
    cohort, add = cohort_with
    user = add()
    user.interview_date = date(2026, 4, 21)
    for i, due_days in enumerate((25, 20, 19, 5)):  # due after, on, before, before the date
        make_card(session, user, make_question(session, f"s{i}"),
                  due=NOW + timedelta(days=due_days))  # fmt: skip
    make_card(session, user, make_question(session, "susp"), due=NOW + timedelta(days=30),
              suspended=True)  # fmt: skip
    make_question(session, "unseen")
    make_question(session, "gone", retired=True)
    row = row_of(session, cohort, user)
    assert row.total_questions == 6
    assert row.ready_cards == 2  # due on 26 April and on 21 April itself
    assert row.readiness == pytest.approx(2 / 6)
    assert row.readiness_label() == "at risk"
    assert row.days_to_interview(NOW.date()) == 20
    user.interview_date = None
    assert row_of(session, cohort, user).readiness is None


def test_inactive_flag_uses_the_cohorts_threshold(session: Session, cohort_with) -> None:
    cohort, add = cohort_with  # inactive after 5 days
    quiet = add("quiet@example.com", "Quiet")
    busy = add("busy@example.com", "Busy")
    q = make_question(session, "q")
    make_review(session, quiet, q, NOW - timedelta(days=6))
    make_review(session, busy, q, NOW - timedelta(days=4))
    flags = {r.name: r.inactive for r in dashboard.cohort_dashboard(session, cohort, now=NOW).rows}
    assert flags == {"Quiet": True, "Busy": False}


def test_only_accepted_and_remaining_members_are_rows(session: Session, cohort_with) -> None:
    cohort, add = cohort_with
    stays = add("stays@example.com", "Stays")
    leaves = add("leaves@example.com", "Leaves")
    make_user(session, "never@example.com", display_name="Never")  # invited, never accepted
    cohorts.leave_cohort(session, leaves, cohort.id, now=NOW)
    rows = dashboard.cohort_dashboard(session, cohort, now=NOW).rows
    assert [r.user_id for r in rows] == [stays.id]


def test_summary_names_strengths_weaknesses_and_backlog(session: Session, cohort_with) -> None:
    cohort, add = cohort_with
    user = add(name="Casey")
    for i in range(5):
        strong = make_question(session, f"p{i}", category="processes")
        weak = make_question(session, f"n{i}", category="networking")
        make_card(session, user, strong, stability=200.0, last_review=NOW - timedelta(days=1))
        make_card(session, user, weak, stability=1.0, last_review=NOW - timedelta(days=20),
                  due=NOW - timedelta(days=19))  # fmt: skip
    row = row_of(session, cohort, user)
    weak = row.categories[0]
    assert weak.slug == "networking"
    assert row.summary.startswith(
        f"Mastery {round(row.mastery * 100)}%, 10 of 10 questions studied. "
        f"Strong on Processes; weakest Networking ({round(weak.mastery * 100)}%). "
    )
    assert "5 reviews behind." in row.summary
    assert [c.slug for c in row.weakest()] == ["networking", "processes"]


def test_summary_names_the_weakest_topics_of_a_half_studied_selection(
    session: Session, cohort_with
) -> None:
    cohort, add = cohort_with
    user = add(name="Casey")
    for i in range(4):  # memory: all recalled well; networking: half; processes: nothing
        make_card(session, user, make_question(session, f"m{i}", category="memory"),
                  stability=200.0, last_review=NOW - timedelta(days=1))  # fmt: skip
        question = make_question(session, f"n{i}", category="networking")
        if i < 2:
            make_card(session, user, question, stability=200.0,
                      last_review=NOW - timedelta(days=1))  # fmt: skip
        make_question(session, f"p{i}", category="processes")
    row = row_of(session, cohort, user)
    assert row.summary.startswith(
        "Mastery 50%, 6 of 12 questions studied. "
        "Strong on Memory; weakest Processes (0%) and Networking (50%)."
    )
    assert [c.slug for c in row.weakest()] == ["processes", "networking"]


def test_no_weak_topic_only_when_every_category_reaches_80_percent(
    session: Session, cohort_with
) -> None:
    cohort, add = cohort_with
    user = add(name="Casey")
    for i in range(5):
        for category in ("memory", "networking"):
            make_card(session, user, make_question(session, f"{category}{i}", category=category),
                      stability=200.0, last_review=NOW - timedelta(days=1))  # fmt: skip
    row = row_of(session, cohort, user)
    assert "Strong on Memory and Networking; no weak topic." in row.summary
    make_question(session, "unseen", category="processes")
    row = row_of(session, cohort, user)
    assert "Strong on Memory and Networking; weakest Processes (0%)." in row.summary


def test_sorting_puts_missing_values_last(session: Session, cohort_with) -> None:
    cohort, add = cohort_with
    a = add("a@example.com", "Ann")
    b = add("b@example.com", "Bob")
    add("c@example.com", "Cy")  # no reviews: retention unknown
    q = make_question(session, "q")
    make_review(session, a, q, NOW - timedelta(days=1), rating=1)
    make_review(session, b, q, NOW - timedelta(days=1), rating=3)
    rows = dashboard.cohort_dashboard(session, cohort, now=NOW).rows
    by = lambda key, desc: [r.name for r in dashboard.sort_rows(rows, key, desc)]  # noqa: E731
    assert by("retention", False) == ["Ann", "Bob", "Cy"]
    assert by("retention", True) == ["Bob", "Ann", "Cy"]
    assert by("bogus", False) == ["Ann", "Bob", "Cy"]
    assert by("name", True) == ["Cy", "Bob", "Ann"]


def test_csv_has_one_row_per_candidate_and_defuses_formulas(session: Session, cohort_with) -> None:
    cohort, add = cohort_with
    add("x@example.com", '=HYPERLINK("http://evil")')
    add("y@example.com", "Plain")
    text = dashboard.to_csv(dashboard.cohort_dashboard(session, cohort, now=NOW))
    records = list(csv.DictReader(io.StringIO(text)))
    assert [r["name"] for r in records] == ['\'=HYPERLINK("http://evil")', "Plain"]
    assert records[1]["email"] == "y@example.com"
    assert records[1]["reviews_30d"] == "0"


def test_query_count_does_not_grow_with_the_cohort(session: Session, cohort_with) -> None:
    cohort, add = cohort_with
    questions = [
        make_question(
            session,
            f"q{i}",
            category=("memory", "networking")[i % 2],
            kind="oom_victim" if i == 0 else "term_definition",
        )  # fmt: skip
        for i in range(6)
    ]

    def count_queries() -> int:
        statements: list[str] = []

        def before(*args: object) -> None:
            statements.append(str(args[2]))

        engine = database.get_engine()
        event.listen(engine, "before_cursor_execute", before)
        try:
            board = dashboard.cohort_dashboard(session, cohort, now=NOW)
        finally:
            event.remove(engine, "before_cursor_execute", before)
        assert len(board.rows) == members
        return len(statements)

    members = 0
    for n in (1, 50):
        while members < n:
            user = add(f"c{members}@example.com", f"Candidate {members}")
            for i, q in enumerate(questions):
                make_card(session, user, q, stability=5.0 + i, last_review=NOW - timedelta(days=i))
                make_review(session, user, q, NOW - timedelta(days=i, hours=1))
            session.add(SimAttempt(user_id=user.id, tier="easy", correct=True, created_at=NOW))
            session.add(MockInterview(user_id=user.id, started_at=NOW, finished_at=NOW,
                                      time_limit_seconds=60, score=0.5))  # fmt: skip
            members += 1
        session.flush()
        if n == 1:
            small = count_queries()
    assert count_queries() == small
    assert small <= 10


def test_candidate_detail_heatmap_failed_questions_and_history(
    session: Session, cohort_with
) -> None:
    cohort, add = cohort_with
    user = add()
    leech = make_question(session, "leech", category="memory")
    lapsed = make_question(session, "lapsed", category="memory")
    fine = make_question(session, "fine", category="processes")
    make_card(session, user, leech, lapses=8, leech=True, suspended=True)
    make_card(session, user, lapsed, lapses=2)
    make_card(session, user, fine)
    for days in (1, 1, 3):
        make_review(session, user, lapsed, NOW - timedelta(days=days), rating=1)
    make_review(session, user, fine, NOW - timedelta(days=3), rating=3, stability_after=40.0)
    make_review(session, user, fine, NOW - timedelta(days=400), rating=3)  # outside the heatmap
    detail = dashboard.candidate_detail(session, cohort, user, now=NOW)
    assert detail.heatmap == {date(2026, 3, 31): 2, date(2026, 3, 29): 2}
    assert [f.question_id for f in detail.most_failed] == ["leech", "lapsed"]
    assert detail.most_failed[1].agains == 3
    assert len(detail.history_weeks) == dashboard.HISTORY_WEEKS
    last = detail.history["Processes"][-1]
    assert last == pytest.approx(fsrs_recall(40.0, NOW - timedelta(days=3), NOW))
    assert detail.history["Processes"][0] == pytest.approx(
        fsrs_recall(10.0, NOW - timedelta(days=400), NOW - timedelta(weeks=11))
    )


def test_mastery_history_counts_the_whole_selection_and_titles_categories(
    session: Session, cohort_with
) -> None:
    cohort, add = cohort_with
    user = add()
    questions = [make_question(session, f"m{i}", category="memory") for i in range(4)]
    oom = make_question(session, "oom1", category="oom", kind="oom_victim")
    make_card(session, user, questions[0], stability=40.0, last_review=NOW - timedelta(days=3))
    make_review(session, user, questions[0], NOW - timedelta(days=3), stability_after=40.0)
    detail = dashboard.candidate_detail(session, cohort, user, now=NOW)
    assert set(detail.history) == {"Memory", "OOM killer (simulator)"}
    memory = detail.history["Memory"]
    assert memory[0] == 0.0  # nothing reviewed 11 weeks ago
    assert memory[-1] == pytest.approx(fsrs_recall(40.0, NOW - timedelta(days=3), NOW) / 4)
    assert detail.history["OOM killer (simulator)"] == [0.0] * dashboard.HISTORY_WEEKS
    assert oom.category == "oom"

"""Progress figures, aggregated in the database: the candidate's progress page.

Queries take a list of user ids (or users) and return results keyed by user id,
in one statement for all of them (the mentor dashboard shares the question counts
of study selections). Functions take a session and never commit.

Days are the users' study days (their time zone and rollover hour). Answers
per day, retention and OOM accuracy are read from `study_days` (one row per
user per day, kept in step with the review log). The forecast computes future
day boundaries in Python (DST-correct) and joins them as a VALUES table, so each
day is a range read on the review-queue index (user_id, due).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import (
    Date,
    Integer,
    String,
    and_,
    case,
    column,
    false,
    func,
    select,
    text,
    true,
    values,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import Values

from quizapp.core.scheduler import Phase, StudyDay
from quizapp.core.scheduler.days import local_day_start
from quizapp.data.base import UTCDateTime, epoch_days
from quizapp.data.models import (
    QUEUED_CARD,
    Bank,
    CardState,
    Category,
    Question,
    SimAttempt,
    User,
)
from quizapp.data.models import StudyDay as StudyDayRow
from quizapp.services.dashboard_sql import STUDIED_BY_CATEGORY
from quizapp.services.kb import category_titles, title_of
from quizapp.services.study import (
    Selection,
    queue_status,
    scheduler_settings,
)
from quizapp.services.study_days import TIERS

MATURE_DAYS = 21  # Anki: a card is mature once its interval reaches 21 days
RETENTION_WINDOW_DAYS = 30  # study days, today included
FORECAST_DAYS = 30
HEATMAP_WEEKS = 53
INTERVIEW_TIME = time(9)  # local time assumed for "recall on the interview day"


# -- study days as a VALUES table ----------------------------------------------------


def study_days(user: User, first: date, last: date) -> list[StudyDay]:
    """The user's study days from `first` to `last` inclusive, with UTC boundaries."""
    settings = scheduler_settings(user)
    days = []
    day = first
    start = local_day_start(day, settings.zone, settings.day_rollover_hour)
    while day <= last:
        following = day + timedelta(days=1)
        end = local_day_start(following, settings.zone, settings.day_rollover_hour)
        days.append(StudyDay(day, start, end))
        day, start = following, end
    return days


def _days_table(days_by_user: dict[int, list[StudyDay]]) -> Values:
    rows = [
        (user_id, d.day, d.start, d.end) for user_id, days in days_by_user.items() for d in days
    ]
    return values(
        column("user_id", Integer),
        column("day", Date),
        column("start", UTCDateTime()),
        column("end", UTCDateTime()),
        name="study_days",
    ).data(rows)


def _batch_size(days: int) -> int:
    """Users per statement: 4 bound values per user-day, well under SQLite's 32766."""
    return max(1, 30000 // (4 * max(1, days)))


def _today(user: User, now: datetime) -> date:
    from quizapp.services.study import today

    return today(user, now).day


# -- reviews per day, streaks, heatmap -----------------------------------------------


def reviews_by_day(
    session: Session, users: Sequence[User], first: date, last: date
) -> dict[int, dict[date, int]]:
    """Answers (undone excluded) per user per study day, days without answers omitted.

    Read from `study_days` (kept in step with the log by every answer and undo).
    """
    if not users:
        return {}
    rows = session.execute(
        select(StudyDayRow.user_id, StudyDayRow.day, StudyDayRow.answers).where(
            StudyDayRow.user_id.in_([u.id for u in users]),
            StudyDayRow.day >= first,
            StudyDayRow.day <= last,
            StudyDayRow.answers > 0,
        )
    ).all()
    result: dict[int, dict[date, int]] = defaultdict(dict)
    for user_id, day, count in rows:
        result[user_id][day] = count
    return dict(result)


def streak(per_day: dict[date, int], today: date) -> int:
    """Consecutive study days with answers, ending today (or yesterday, if today has none yet)."""
    day = today if per_day.get(today) else today - timedelta(days=1)
    count = 0
    while per_day.get(day):
        count += 1
        day -= timedelta(days=1)
    return count


# -- retention -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Retention:
    passed: int
    failed: int

    @property
    def total(self) -> int:
        return self.passed + self.failed

    @property
    def rate(self) -> float | None:
        return self.passed / self.total if self.total else None


def true_retention(session: Session, user_ids: Iterable[int], first: date) -> dict[int, Retention]:
    """Anki's true retention since the study day `first`: answers to cards in review;
    Again fails, Hard/Good/Easy pass."""
    passed = func.sum(StudyDayRow.review_passed)
    rows = session.execute(
        select(StudyDayRow.user_id, passed, func.sum(StudyDayRow.review_answers) - passed)
        .where(
            StudyDayRow.user_id.in_(list(user_ids)),
            StudyDayRow.day >= first,
            StudyDayRow.review_answers > 0,
        )
        .group_by(StudyDayRow.user_id)
    ).all()
    return {uid: Retention(int(ok), int(failed)) for uid, ok, failed in rows}


# -- cards ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CardCounts:
    new: int = 0
    learning: int = 0
    young: int = 0  # in review, stability below 21 days
    mature: int = 0
    suspended: int = 0
    leeches: int = 0

    @property
    def total(self) -> int:
        return self.new + self.learning + self.young + self.mature + self.suspended


def card_counts(session: Session, user_ids: Iterable[int]) -> dict[int, CardCounts]:
    """Cards per state (Anki's Card Counts), suspended cards counted apart."""
    active = CardState.suspended == false()
    state = CardState.state
    rows = session.execute(
        select(
            CardState.user_id,
            func.count(case((and_(active, state == Phase.NEW.value), 1))),
            func.count(case((and_(active, state.in_(("learning", "relearning"))), 1))),
            func.count(
                case((and_(active, state == "review", CardState.stability < MATURE_DAYS), 1))
            ),
            func.count(
                case((and_(active, state == "review", CardState.stability >= MATURE_DAYS), 1))
            ),
            func.count(case((CardState.suspended == true(), 1))),
            func.count(case((CardState.leech == true(), 1))),
        )
        .where(CardState.user_id.in_(list(user_ids)))
        .group_by(CardState.user_id)
    ).all()
    return {row[0]: CardCounts(*row[1:]) for row in rows}


def forecast(
    session: Session, users: Sequence[User], now: datetime, days: int = FORECAST_DAYS
) -> dict[int, dict[date, int]]:
    """Cards falling due on each of the next `days` study days (overdue ones count today)."""
    if not users:
        return {}
    batch = _batch_size(days)
    if len(users) > batch:
        merged: dict[int, dict[date, int]] = {}
        for i in range(0, len(users), batch):
            merged.update(forecast(session, users[i : i + batch], now, days))
        return merged
    tables: dict[int, list[StudyDay]] = {}
    for user in users:
        today = _today(user, now)
        span = study_days(user, today, today + timedelta(days=days - 1))
        span[0] = StudyDay(span[0].day, datetime(1970, 1, 1, tzinfo=UTC), span[0].end)
        tables[user.id] = span
    table = _days_table(tables).cte("d")
    rows = session.execute(
        select(table.c.user_id, table.c.day, func.count(CardState.id))
        .select_from(table)
        .join(
            CardState,
            and_(
                CardState.user_id == table.c.user_id,
                CardState.due >= table.c.start,
                CardState.due < table.c.end,
                text(QUEUED_CARD),  # cards of the review queue, as the dashboard's backlog
            ),
        )
        .group_by(table.c.user_id, table.c.day)
        .with_hint(CardState, "INDEXED BY ix_card_states_backlog", "sqlite")
    ).all()
    result: dict[int, dict[date, int]] = {u.id: {} for u in users}
    for user_id, day, count in rows:
        if isinstance(day, str):
            day = date.fromisoformat(day)
        result[user_id][day] = count
    return result


# -- mastery (FSRS retrievability) ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class Mastery:
    """Mastery of one category: the chance of recalling a random question of it.

    The mean FSRS retrievability over every active question of the category in
    the user's study selection, new and never-reviewed ones counting as 0.
    """

    category: str
    title: str
    cards: int  # questions reviewed at least once
    retrievability: float  # mastery: mean predicted recall at the given moment, 0..1
    total: int = 0  # active questions of the category in the selection

    @property
    def coverage(self) -> float:
        return min(1.0, self.cards / self.total) if self.total else 0.0


@dataclass(frozen=True, slots=True)
class QuestionGroup:
    """Active questions sharing what a study selection can choose by, with their count."""

    category: str
    category_title: str | None  # from the categories table (KB categories only)
    bank: str
    level: str
    kind: str
    count: int


def question_groups(session: Session) -> list[QuestionGroup]:
    """Active questions counted per (category, bank, level, kind): a few hundred rows."""
    rows = session.execute(
        select(
            Question.category,
            Category.title,
            Bank.slug,
            Question.level,
            Question.kind,
            func.count(),
        )
        .join(Bank, Bank.id == Question.bank_id)
        .outerjoin(Category, Category.slug == Question.category)
        .where(Question.retired == false())
        .group_by(Question.category, Category.title, Bank.slug, Question.level, Question.kind)
    ).all()
    return [QuestionGroup(*row) for row in rows]


def selection_totals(
    session: Session,
    selections: Mapping[int, dict[str, Any] | None],
    groups: Sequence[QuestionGroup] | None = None,
) -> dict[int, dict[str, int]]:
    """Active questions per category in each user's study selection (empty: everything).

    One query whatever the number of users (none if `groups` is given): each
    selection is matched against `question_groups` here, with the rules of
    `study.question_filter`.
    """
    if not selections:
        return {}
    if groups is None:
        groups = question_groups(session)
    by_selection: dict[Selection, dict[str, int]] = {}
    result: dict[int, dict[str, int]] = {}
    for user_id, data in selections.items():
        chosen = Selection.from_json(data)
        if chosen not in by_selection:
            totals: dict[str, int] = defaultdict(int)
            for g in groups:
                if (
                    (not chosen.banks or g.bank in chosen.banks)
                    and (not chosen.categories or g.category in chosen.categories)
                    and (not chosen.levels or g.level in chosen.levels)
                    and (not chosen.kinds or g.kind in chosen.kinds)
                ):
                    totals[g.category] += g.count
            by_selection[chosen] = dict(totals)
        result[user_id] = by_selection[chosen]
    return result


def mastery(session: Session, user_ids: Iterable[int], when: datetime) -> dict[int, list[Mastery]]:
    """Mastery per category at `when`, per user, weakest first (see `Mastery`).

    Counts every active question in the user's selection; suspended cards keep
    their (decaying) recall. With `when` in the future (an interview date) this is
    the predicted recall on that day if the user stopped studying today. Recall is
    py-fsrs's (`Scheduler.get_card_retrievability`: whole elapsed days), as on the
    mentor dashboard.
    """
    ids = list(user_ids)
    if not ids:
        return {}
    rows = session.execute(STUDIED_BY_CATEGORY, {"ids": ids, "now_days": epoch_days(when)}).all()
    selections: dict[int, dict[str, Any] | None] = {
        uid: data
        for uid, data in session.execute(
            select(User.id, User.study_selection).where(User.id.in_(ids))
        )
    }
    studied: dict[int, dict[str, tuple[int, float]]] = defaultdict(dict)
    for user_id, category, cards, recall_sum in rows:
        studied[user_id][category] = (cards, float(recall_sum or 0.0))
    totals = selection_totals(session, selections)
    titles = category_titles(session)
    return {
        user_id: category_mastery(totals.get(user_id, {}), studied.get(user_id, {}), titles)
        for user_id in selections
    }


def category_mastery(
    totals: Mapping[str, int],
    studied: Mapping[str, tuple[int, float]],
    titles: Mapping[str, str],
) -> list[Mastery]:
    """Mastery per category from the selection's question counts and, per category,
    the number of studied cards and the sum of their recall; weakest first."""
    items = []
    for category in set(totals) | set(studied):
        cards, recall_sum = studied.get(category, (0, 0.0))
        total = max(totals.get(category, 0), cards)
        if total:
            share = min(1.0, recall_sum / total)
            items.append(Mastery(category, title_of(category, titles), cards, share, total))
    items.sort(key=lambda m: (m.retrievability, m.title))
    return items


def interview_recall(session: Session, users: Sequence[User]) -> dict[int, list[Mastery]]:
    """Predicted recall per category on the morning of each user's interview date."""
    result: dict[int, list[Mastery]] = {}
    for user in users:  # one query per distinct moment; users rarely share a date
        if user.interview_date is None:
            continue
        settings = scheduler_settings(user)
        moment = datetime.combine(user.interview_date, INTERVIEW_TIME, tzinfo=settings.zone)
        result.update(mastery(session, [user.id], moment.astimezone(UTC)))
    return result


# -- simulator ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Accuracy:
    correct: int
    total: int

    @property
    def rate(self) -> float | None:
        return self.correct / self.total if self.total else None


def simulator_accuracy(session: Session, user_ids: Iterable[int]) -> dict[int, dict[str, Accuracy]]:
    """OOM accuracy by tier: simulator practice (`SimAttempt`) plus OOM cards answered
    in study, all time.

    Study answers are counted in `study_days`, as the mentor dashboard counts them:
    the tier follows the question's level (beginner = easy, advanced = hard, otherwise
    medium); an answer passed if auto-graded right, otherwise if rated Hard or better.
    """
    ids = list(user_ids)
    sums = [
        func.sum(getattr(StudyDayRow, f"oom_{tier}{suffix}"))
        for tier in TIERS
        for suffix in ("_passed", "")
    ]
    result: dict[int, dict[str, Accuracy]] = defaultdict(dict)
    for user_id, *counts in session.execute(
        select(StudyDayRow.user_id, *sums)
        .where(StudyDayRow.user_id.in_(ids))
        .group_by(StudyDayRow.user_id)
    ):
        for i, tier in enumerate(TIERS):
            if counts[2 * i + 1]:
                result[user_id][tier] = Accuracy(int(counts[2 * i]), int(counts[2 * i + 1]))
    practice = session.execute(
        select(
            SimAttempt.user_id,
            SimAttempt.tier.cast(String),
            func.sum(case((SimAttempt.correct == true(), 1), else_=0)),
            func.count(),
        )
        .where(SimAttempt.user_id.in_(ids))
        .group_by(SimAttempt.user_id, SimAttempt.tier)
    )
    for user_id, tier, correct, total in practice:
        before = result[user_id].get(str(tier), Accuracy(0, 0))
        result[user_id][str(tier)] = Accuracy(
            before.correct + int(correct or 0), before.total + total
        )
    return dict(result)


# -- the progress page ---------------------------------------------------------------


@dataclass(slots=True)
class ProgressPage:
    today: date
    new_today: int
    reviews_today: int
    answers_today: int
    left_today: int
    streak: int
    per_day: dict[date, int]
    heatmap_first: date
    retention: Retention
    forecast: dict[date, int]
    cards: CardCounts
    mastery: list[Mastery]
    interview_date: date | None
    interview_recall: list[Mastery] = field(default_factory=list)
    simulator: dict[str, Accuracy] = field(default_factory=dict)


def progress_page(session: Session, user: User, now: datetime) -> ProgressPage:
    settings = scheduler_settings(user)
    status = queue_status(session, user, now, settings)
    today = status.day.day
    first = today - timedelta(days=today.weekday() + 7 * (HEATMAP_WEEKS - 1))
    per_day = reviews_by_day(session, [user], first, today).get(user.id, {})
    retention_from = today - timedelta(days=RETENTION_WINDOW_DAYS - 1)
    return ProgressPage(
        today=today,
        new_today=status.done.new_done,
        reviews_today=status.done.reviews_done,
        answers_today=per_day.get(today, 0),
        left_today=status.counts.total,
        streak=streak(per_day, today),
        per_day=per_day,
        heatmap_first=first,
        retention=true_retention(session, [user.id], retention_from).get(user.id, Retention(0, 0)),
        forecast=forecast(session, [user], now)[user.id],
        cards=card_counts(session, [user.id]).get(user.id, CardCounts()),
        mastery=mastery(session, [user.id], now).get(user.id, []),
        interview_date=user.interview_date,
        interview_recall=interview_recall(session, [user]).get(user.id, []),
        simulator=simulator_accuracy(session, [user.id]).get(user.id, {}),
    )


__all__ = [
    "Accuracy",
    "CardCounts",
    "Mastery",
    "ProgressPage",
    "QuestionGroup",
    "Retention",
    "card_counts",
    "forecast",
    "interview_recall",
    "mastery",
    "progress_page",
    "question_groups",
    "reviews_by_day",
    "selection_totals",
    "simulator_accuracy",
    "streak",
    "study_days",
    "true_retention",
]

"""The mentor's cohort dashboard and candidate drill-down.

`cohort_dashboard` runs a fixed number of aggregate queries whatever the size
of the cohort (no per-candidate loop): members, activity and streaks (from the
per-day counts in `StudyDay`), card memory (mastery, backlog, readiness, from
partial indexes over card states), simulator practice, mock interviews and the
category list. The rest (flags, weakest topics, summaries, sorting) is plain
Python over those few result sets.

Definitions, as the page explains them (days are the candidate's study days):

- reviews: answers not undone, last 7 and 30 days; true retention: share of
  Hard/Good/Easy among answers to cards in the review phase (Anki's "true
  retention"), last 30 days; streak: consecutive days with answers up to today
  (or yesterday, until they study today);
- backlog: cards of the review queue past due (in the study selection, not new,
  suspended or buried); growing when at least `BACKLOG_MIN` are overdue and at
  least half of them became overdue in the last 7 days;
- mastery of a category: the chance of recalling a random question of it now, the
  mean FSRS retrievability over every active question of the category in the
  candidate's study selection, never-reviewed ones counting as 0 (coverage:
  the share of those questions reviewed at least once);
- readiness: share of all active questions whose card will still be at or
  above the desired retention on the interview date with no further study
  (its next review is due on or after that date).
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from operator import itemgetter
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fsrs import Card as FsrsCard
from fsrs import Scheduler as FsrsScheduler
from fsrs import State as FsrsState
from sqlalchemy import (
    Date,
    Integer,
    and_,
    bindparam,
    case,
    func,
    or_,
    select,
    text,
)
from sqlalchemy.orm import Session

from quizapp.core.scheduler.days import day_of
from quizapp.data.base import UTCDateTime, epoch_days
from quizapp.data.models import (
    QUEUED_CARD,
    CardState,
    Cohort,
    CohortMember,
    MockInterview,
    Question,
    ReviewLog,
    SimAttempt,
    StudyDay,
    User,
)
from quizapp.services.dashboard_sql import STUDIED_BY_CATEGORY
from quizapp.services.kb import EXTRA_CATEGORY_TITLES, category_titles, title_of
from quizapp.services.progress import question_groups, selection_totals
from quizapp.services.study_days import TIERS

RETENTION_DAYS = 30  # activity, true retention and simulator accuracy: last 30 study days
BACKLOG_MIN = 10
NO_WEAK_FROM = 0.80  # "no weak topic" only when every category reaches this mastery
STRONG_FROM = 0.85
WEAKEST_SHOWN = 2
MOCKS_SHOWN = 3
READY_FROM = 0.75  # readiness bands
ON_TRACK_FROM = 0.5


class CategoryMastery(NamedTuple):  # a tuple: a cohort has thousands of them
    slug: str
    title: str
    cards: int  # questions reviewed at least once
    mastery: float  # mean retrievability now over all `total` questions, 0..1
    total: int = 0  # active questions of the category in the study selection

    @property
    def coverage(self) -> float:
        return min(1.0, self.cards / self.total) if self.total else 0.0


@dataclass(frozen=True, slots=True)
class Accuracy:
    correct: int
    total: int

    @property
    def rate(self) -> float | None:
        return self.correct / self.total if self.total else None


@dataclass(slots=True)
class CandidateRow:
    user_id: int
    name: str
    email: str
    joined_at: datetime
    last_active: datetime | None = None
    reviews_7d: int = 0
    reviews_30d: int = 0
    retention_passed: int = 0
    retention_total: int = 0
    backlog: int = 0
    backlog_recent: int = 0  # of the backlog, cards that became due in the last 7 days
    streak: int = 0
    studied: int = 0
    mastery_sum: float = 0.0
    categories: list[CategoryMastery] = field(default_factory=list)
    sim: dict[str, Accuracy] = field(default_factory=dict)
    mock_scores: list[float] = field(default_factory=list)  # newest first
    mock_count: int = 0
    interview_date: date | None = None
    ready_cards: int = 0  # cards predicted above desired retention on the interview date
    total_questions: int = 0  # active questions in the study selection
    selection: dict[str, Any] | None = None  # User.study_selection
    today: date | None = None  # the candidate's current study day
    inactive: bool = False
    backlog_growing: bool = False
    summary: str = ""

    @property
    def retention(self) -> float | None:
        return self.retention_passed / self.retention_total if self.retention_total else None

    @property
    def mastery(self) -> float | None:
        """Mean retrievability over all the questions in the selection, unseen ones as 0."""
        if not self.total_questions:
            return None
        return min(1.0, self.mastery_sum / self.total_questions)

    @property
    def coverage(self) -> float:
        return min(1.0, self.studied / self.total_questions) if self.total_questions else 0.0

    @property
    def readiness(self) -> float | None:
        """Share of all active questions still recalled at the desired retention on the
        interview date with no further study (None without a date)."""
        if self.interview_date is None or not self.total_questions:
            return None
        return min(1.0, self.ready_cards / self.total_questions)

    @property
    def sim_accuracy(self) -> float | None:
        correct = sum(a.correct for a in self.sim.values())
        total = sum(a.total for a in self.sim.values())
        return correct / total if total else None

    @property
    def mock_average(self) -> float | None:
        return sum(self.mock_scores) / len(self.mock_scores) if self.mock_scores else None

    def weakest(self, n: int = WEAKEST_SHOWN) -> list[CategoryMastery]:
        """The lowest-mastery categories of the selection (unstudied ones included)."""
        return sorted(self.categories, key=lambda c: (c.mastery, c.title, c.slug))[:n]

    def strongest(self, n: int = 2) -> list[CategoryMastery]:
        return sorted(self.categories, key=lambda c: (-c.mastery, c.title, c.slug))[:n]

    def days_to_interview(self, today: date) -> int | None:
        return None if self.interview_date is None else (self.interview_date - today).days

    def readiness_label(self) -> str:
        value = self.readiness
        if value is None:
            return "no date"
        if value >= READY_FROM:
            return "ready"
        if value >= ON_TRACK_FROM:
            return "on track"
        return "at risk"


@dataclass(frozen=True, slots=True)
class Dashboard:
    cohort: Cohort
    rows: list[CandidateRow]
    categories: list[tuple[str, str]]  # (slug, title) of categories in anyone's selection
    now: datetime


# --- the cohort table -------------------------------------------------------------------------


def cohort_dashboard(
    session: Session, cohort: Cohort, *, now: datetime, user_ids: Sequence[int] | None = None
) -> Dashboard:
    """One row per accepted, remaining member (or only `user_ids` among them)."""
    session.flush()  # the queries below run on the connection, without autoflush
    rows = {row.user_id: row for row in _members(session, cohort, user_ids, now)}
    if rows:
        _add_activity(session, rows)
        _add_cards(session, rows, now)
        _add_simulator(session, rows, now)
        _add_mocks(session, rows, list(rows))
        for row in rows.values():
            row.inactive = _inactive(row, cohort, now)
            row.backlog_growing = (
                row.backlog >= BACKLOG_MIN and 2 * row.backlog_recent >= row.backlog
            )
            row.summary = summarize(row, now)
    seen = sorted({(c.slug, c.title) for row in rows.values() for c in row.categories})
    return Dashboard(cohort, list(rows.values()), seen, now)


def _members_statement() -> Any:
    last_answer = (
        select(StudyDay.last_answer_at)
        .where(StudyDay.user_id == User.id)
        .order_by(StudyDay.day.desc())
        .limit(1)
        .correlate(User)
        .scalar_subquery()
    )
    return (
        select(
            User.id,
            User.display_name,
            User.email,
            User.last_active_at,
            User.interview_date,
            CohortMember.joined_at,
            last_answer,
            User.study_selection,
            User.timezone,
            User.day_rollover_hour,
        )
        .join(CohortMember, CohortMember.user_id == User.id)
        .where(
            CohortMember.cohort_id == bindparam("cohort_id", type_=Integer),
            CohortMember.left_at.is_(None),
        )
        .order_by(User.display_name, User.id)
    )


# Built once: SQLAlchemy then reuses the compiled SQL (a cohort's ids are a parameter).
_MEMBERS = _members_statement()
_SOME_MEMBERS = _MEMBERS.where(User.id.in_(bindparam("ids", expanding=True)))


def _members(
    session: Session, cohort: Cohort, user_ids: Sequence[int] | None, now: datetime
) -> list[CandidateRow]:
    if user_ids is None:
        result = session.connection().execute(_MEMBERS, {"cohort_id": cohort.id}).all()
    else:
        params = {"cohort_id": cohort.id, "ids": list(user_ids)}
        result = session.connection().execute(_SOME_MEMBERS, params).all()
    rows = []
    today: dict[tuple[str, int], date] = {}  # per zone and rollover hour
    for (
        uid, name, email, last_active, interview, joined, answered, selection, tz, hour
    ) in result:  # fmt: skip
        active = max((t for t in (last_active, answered) if t is not None), default=None)
        if (tz, hour) not in today:
            today[tz, hour] = day_of(now, _zone(tz), hour)
        rows.append(
            CandidateRow(
                user_id=uid,
                name=name,
                email=email,
                joined_at=joined,
                last_active=active,
                interview_date=interview,
                selection=selection,
                today=today[tz, hour],
            )
        )
    return rows


def _by_today(rows: dict[int, CandidateRow]) -> dict[date, list[int]]:
    """Members grouped by their current study day: one to three groups whatever the
    cohort's size (time zones put the world on at most three dates at once)."""
    groups: dict[date, list[int]] = defaultdict(list)
    for uid, row in rows.items():
        if row.today is not None:
            groups[row.today].append(uid)
    return groups


def _since(first: str, counted: Any) -> Any:
    return func.sum(case((StudyDay.day >= bindparam(first, type_=Date), counted), else_=0))


def _run_on(day: str) -> Any:
    on_day = and_(StudyDay.day == bindparam(day, type_=Date), StudyDay.answers > 0)
    return func.max(case((on_day, StudyDay.streak), else_=0))


# Per group of members sharing today's date: answers of the last 7 and 30 study days,
# true retention, simulator answers by tier and the streak (today's if they studied
# today, else yesterday's). Reads only the members' study-day rows of those days.
_ACTIVITY = (
    select(
        StudyDay.user_id,
        func.sum(StudyDay.answers),
        _since("from_7", StudyDay.answers),
        func.sum(StudyDay.review_answers),
        func.sum(StudyDay.review_passed),
        _run_on("today"),
        _run_on("yesterday"),
        *(
            func.sum(getattr(StudyDay, f"oom_{tier}{suffix}"))
            for tier in TIERS
            for suffix in ("_passed", "")
        ),
    )
    .where(
        StudyDay.user_id.in_(bindparam("ids", expanding=True)),
        StudyDay.day >= bindparam("from_30", type_=Date),
        StudyDay.day <= bindparam("today", type_=Date),
    )
    .group_by(StudyDay.user_id)
)


def _add_activity(session: Session, rows: dict[int, CandidateRow]) -> None:
    db = session.connection()
    for today, ids in _by_today(rows).items():
        window = {
            "ids": ids,
            "today": today,
            "yesterday": today - timedelta(days=1),
            "from_7": today - timedelta(days=6),
            "from_30": today - timedelta(days=RETENTION_DAYS - 1),
        }
        for uid, n30, n7, r_total, r_passed, run_today, run_before, *tiers in db.execute(
            _ACTIVITY, window
        ).all():
            row = rows[uid]
            row.reviews_30d, row.reviews_7d = n30 or 0, n7 or 0
            row.retention_total, row.retention_passed = r_total or 0, r_passed or 0
            row.streak = run_today or run_before or 0
            for tier, correct, total in zip(TIERS, tiers[0::2], tiers[1::2], strict=True):
                if total:
                    row.sim[tier] = Accuracy(correct or 0, total)


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _card_statements() -> tuple[Any, Any, Any, Any]:
    """Mastery (per member and category: studied cards of the selection and their summed
    recall now), backlog (cards of the review queue past due), its part that fell due
    in the last week, and cards ready for the interview date. Each reads a partial
    index holding just the cards it counts (the WHERE text must match the index's)."""
    now = bindparam("now", type_=UTCDateTime())
    ids = bindparam("ids", expanding=True)
    mastery = STUDIED_BY_CATEGORY
    unburied = or_(CardState.buried_until.is_(None), CardState.buried_until <= now)

    def overdue(*since: Any) -> Any:
        return (
            select(CardState.user_id, func.count())
            .where(
                CardState.user_id.in_(ids),
                text(QUEUED_CARD),
                CardState.due <= now,
                *since,
                unburied,
            )  # fmt: skip
            .group_by(CardState.user_id)
            .with_hint(CardState, "INDEXED BY ix_card_states_backlog", "sqlite")
        )

    backlog = overdue()
    this_week = overdue(CardState.due > bindparam("week_ago", type_=UTCDateTime()))
    # A card due on or after the interview still has at least the desired retention
    # then: FSRS schedules each review for the moment recall drops to that target.
    ready = (
        select(User.id, func.count())
        .join(
            CardState,
            and_(
                CardState.user_id == User.id,
                text(QUEUED_CARD),
                CardState.due >= User.interview_date,
            ),
        )  # fmt: skip
        .where(User.id.in_(ids), User.interview_date.is_not(None))
        .group_by(User.id)
        .with_hint(CardState, "INDEXED BY ix_card_states_backlog", "sqlite")
    )
    return mastery, backlog, this_week, ready


_MASTERY, _BACKLOG, _BACKLOG_THIS_WEEK, _READY = _card_statements()


def _add_cards(session: Session, rows: dict[int, CandidateRow], now: datetime) -> None:
    """Mastery per category, backlog and readiness, plus the question counts of each
    selection (one query over question groups, any cohort)."""
    params = {
        "ids": list(rows),
        "now": now,
        "now_days": epoch_days(now),
        "week_ago": now - timedelta(days=7),
    }
    db = session.connection()  # plain rows: thousands of them, no ORM entities
    studied: dict[int, dict[str, tuple[int, float]]] = defaultdict(dict)
    for uid, category, n, r_now in db.execute(_MASTERY, params).all():
        studied[uid][category] = (n, r_now or 0.0)
    for uid, overdue in db.execute(_BACKLOG, params).all():
        rows[uid].backlog = overdue
    for uid, overdue in db.execute(_BACKLOG_THIS_WEEK, params).all():
        rows[uid].backlog_recent = overdue
    for uid, n in db.execute(_READY, params).all():
        rows[uid].ready_cards = n
    groups = question_groups(session)
    known = {g.category: g.category_title for g in groups if g.category_title}
    titles = known | EXTRA_CATEGORY_TITLES
    selections = {uid: row.selection for uid, row in rows.items()}
    totals = selection_totals(session, selections, groups)
    for uid, row in rows.items():
        row.categories = _category_mastery(totals.get(uid, {}), studied.get(uid, {}), titles)
        for c in row.categories:
            row.studied += c.cards
            row.mastery_sum += c.mastery * c.total
            row.total_questions += c.total


def _category_mastery(
    totals: dict[str, int], studied: dict[str, tuple[int, float]], titles: dict[str, str]
) -> list[CategoryMastery]:
    """As `progress.category_mastery` (the same definition), sorted by title for the table."""
    categories = []
    for category in totals.keys() | studied.keys():
        cards, recall = studied.get(category, (0, 0.0))
        total = max(totals.get(category, 0), cards)
        if total:
            title = titles.get(category) or title_of(category, titles)
            categories.append(
                CategoryMastery(category, title, cards, min(1.0, recall / total), total)
            )
    categories.sort(key=itemgetter(1, 0))  # by title, then slug
    return categories


_PRACTICE = (
    select(
        SimAttempt.user_id,
        SimAttempt.tier,
        func.sum(case((SimAttempt.correct.is_(True), 1), else_=0)),
        func.count(),
    )
    .where(
        SimAttempt.user_id.in_(bindparam("ids", expanding=True)),
        SimAttempt.created_at > bindparam("since", type_=UTCDateTime()),
    )
    .group_by(SimAttempt.user_id, SimAttempt.tier)
)


def _add_simulator(session: Session, rows: dict[int, CandidateRow], now: datetime) -> None:
    """Practice answers (SimAttempt) of the last `RETENTION_DAYS` days on top of the OOM
    reviews `_add_activity` counted."""
    params = {"ids": list(rows), "since": now - timedelta(days=RETENTION_DAYS)}
    for uid, tier, correct, total in session.connection().execute(_PRACTICE, params).all():
        if tier not in TIERS:
            continue
        row = rows[uid]
        before = row.sim.get(tier, Accuracy(0, 0))
        row.sim[tier] = Accuracy(before.correct + (correct or 0), before.total + total)
    for row in rows.values():
        row.sim = {tier: row.sim[tier] for tier in TIERS if tier in row.sim}


def _mocks_statement() -> Any:
    ids = bindparam("ids", expanding=True)
    finished = and_(MockInterview.user_id.in_(ids), MockInterview.score.is_not(None))
    rank = (
        func.row_number()
        .over(partition_by=MockInterview.user_id, order_by=MockInterview.finished_at.desc())
        .label("rank")
    )
    total = func.count().over(partition_by=MockInterview.user_id).label("total")
    ranked = select(MockInterview.user_id, MockInterview.score, rank, total).where(finished)
    ranked = ranked.subquery()
    return (
        select(ranked.c.user_id, ranked.c.score, ranked.c.total)
        .where(ranked.c.rank <= MOCKS_SHOWN)
        .order_by(ranked.c.user_id, ranked.c.rank)
    )


_MOCKS = _mocks_statement()


def _add_mocks(session: Session, rows: dict[int, CandidateRow], ids: list[int]) -> None:
    for uid, score, total_n in session.connection().execute(_MOCKS, {"ids": ids}).all():
        rows[uid].mock_scores.append(float(score))
        rows[uid].mock_count = total_n


def _inactive(row: CandidateRow, cohort: Cohort, now: datetime) -> bool:
    since = row.last_active or row.joined_at
    return now - since >= timedelta(days=cohort.inactive_days)


# --- words for people ---------------------------------------------------------------------


def _pct(value: float) -> str:
    return f"{round(value * 100)}%"


def _join(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def summarize(row: CandidateRow, now: datetime) -> str:
    """A few sentences a mentor can paste into a message or a review note."""
    parts: list[str] = []
    if not row.studied:
        parts.append(f"{row.name} has not studied any cards yet.")
    else:
        parts.append(
            f"Mastery {_pct(row.mastery or 0)}, {row.studied} of {row.total_questions}"
            " questions studied."
        )
        strong = [c.title for c in row.strongest(3) if c.mastery >= STRONG_FROM]
        if all(c.mastery >= NO_WEAK_FROM for c in row.categories):
            weak_words = "no weak topic"
        else:
            weakest = [c for c in row.weakest() if c.title not in strong]
            weak_words = "weakest " + _join([f"{c.title} ({_pct(c.mastery)})" for c in weakest])
        if strong:
            parts.append(f"Strong on {_join(strong)}; {weak_words}.")
        else:
            parts.append(weak_words[0].upper() + weak_words[1:] + ".")
    if row.backlog:
        growing = ", growing" if row.backlog_growing else ""
        parts.append(f"{row.backlog} reviews behind{growing}.")
    if row.retention is not None:
        parts.append(f"True retention {_pct(row.retention)} over {RETENTION_DAYS} days.")
    if row.last_active is None:
        parts.append("Never active.")
    elif row.inactive:
        parts.append(f"Inactive for {(now - row.last_active).days} days.")
    elif row.streak >= 3:
        parts.append(f"{row.streak}-day streak.")
    days = row.days_to_interview(now.date())
    if days is not None and days >= 0 and row.readiness is not None:
        parts.append(
            f"Interview in {days} days: {row.readiness_label()} ({_pct(row.readiness)} ready)."
        )
    elif days is not None and days >= 0:
        parts.append(f"Interview in {days} days.")
    if row.mock_scores:
        parts.append(f"Last mock interview {_pct(row.mock_scores[0])}.")
    return " ".join(parts)


# --- sorting and export ---------------------------------------------------------------------

SortKey = Callable[[CandidateRow], object]
SORTS: dict[str, tuple[str, SortKey]] = {
    "name": ("Name", lambda r: r.name.casefold()),
    "last_active": ("Last active", lambda r: r.last_active),
    "reviews_7d": ("Reviews 7d", lambda r: r.reviews_7d),
    "reviews_30d": ("Reviews 30d", lambda r: r.reviews_30d),
    "retention": ("True retention", lambda r: r.retention),
    "backlog": ("Backlog", lambda r: r.backlog),
    "streak": ("Streak", lambda r: r.streak),
    "mastery": ("Mastery", lambda r: r.mastery),
    "sim": ("Simulator", lambda r: r.sim_accuracy),
    "mock": ("Mock", lambda r: r.mock_average),
    "readiness": ("Readiness", lambda r: r.readiness),
    "interview": ("Interview", lambda r: r.interview_date),
}
DEFAULT_SORT = "name"


def sort_rows(rows: Iterable[CandidateRow], key: str, descending: bool) -> list[CandidateRow]:
    """Sort by a known key (unknown keys sort by name); missing values always last."""
    _label, get = SORTS.get(key, SORTS[DEFAULT_SORT])
    present = [r for r in rows if get(r) is not None]
    missing = [r for r in rows if get(r) is None]
    present.sort(key=lambda r: (get(r), r.name.casefold(), r.user_id), reverse=descending)  # type: ignore[arg-type, return-value]
    missing.sort(key=lambda r: (r.name.casefold(), r.user_id))
    return present + missing


def _csv_pct(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.1f}"


def _csv_safe(text: str) -> str:
    """Spreadsheets run cells starting with = + - @ as formulas: prefix them."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def to_csv(dashboard: Dashboard) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    categories = dashboard.categories
    writer.writerow(
        [
            "name", "email", "joined", "last_active", "reviews_7d", "reviews_30d",
            "true_retention_pct", "backlog", "backlog_growing", "streak_days",
            "mastery_pct", "weakest", "sim_easy_pct", "sim_medium_pct", "sim_hard_pct",
            "mock_last_pct", "mock_avg_pct", "interview_date", "readiness_pct", "inactive",
            *[f"mastery_{slug}_pct" for slug, _ in categories],
            "summary",
        ]
    )  # fmt: skip
    for row in dashboard.rows:
        by_slug = {c.slug: c.mastery for c in row.categories}
        writer.writerow(
            [
                _csv_safe(row.name), _csv_safe(row.email), row.joined_at.date().isoformat(),
                row.last_active.isoformat(timespec="minutes") if row.last_active else "",
                row.reviews_7d, row.reviews_30d, _csv_pct(row.retention), row.backlog,
                "yes" if row.backlog_growing else "no", row.streak, _csv_pct(row.mastery),
                "; ".join(c.title for c in row.weakest()),
                *[_csv_pct(row.sim[t].rate) if t in row.sim else "" for t in TIERS],
                _csv_pct(row.mock_scores[0] if row.mock_scores else None),
                _csv_pct(row.mock_average),
                row.interview_date.isoformat() if row.interview_date else "",
                _csv_pct(row.readiness), "yes" if row.inactive else "no",
                *[_csv_pct(by_slug.get(slug)) for slug, _ in categories],
                _csv_safe(row.summary),
            ]
        )  # fmt: skip
    return out.getvalue()


# --- one candidate ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FailedQuestion:
    question_id: str
    prompt: str
    category: str
    entry_slug: str | None
    lapses: int
    agains: int
    leech: bool
    suspended: bool
    category_title: str = ""


@dataclass(frozen=True, slots=True)
class MockSummary:
    started_at: datetime
    finished_at: datetime | None
    score: float | None
    categories: list[str]
    questions: int


@dataclass(frozen=True, slots=True)
class CandidateDetail:
    row: CandidateRow
    heatmap: dict[date, int]  # reviews per study day, last year
    today: date
    history_weeks: list[date]  # week-end dates for the mastery-over-time chart
    history: dict[str, list[float | None]]  # category title -> mastery at each week
    most_failed: list[FailedQuestion]
    mocks: list[MockSummary]


HEATMAP_DAYS = 371
HISTORY_WEEKS = 12
FAILED_SHOWN = 10
MOCKS_LISTED = 5


def candidate_detail(
    session: Session, cohort: Cohort, user: User, *, now: datetime
) -> CandidateDetail:
    """The drill-down for one member (the caller has checked they are a member)."""
    dashboard = cohort_dashboard(session, cohort, now=now, user_ids=[user.id])
    row = dashboard.rows[0]
    zone = _zone(user.timezone)
    today = day_of(now, zone, user.day_rollover_hour)
    heatmap = _heatmap(session, user, today)
    titles = category_titles(session)
    weeks, history = _mastery_history(session, user, now, titles)
    return CandidateDetail(
        row=row,
        heatmap=heatmap,
        today=today,
        history_weeks=weeks,
        history=history,
        most_failed=_most_failed(session, user, titles),
        mocks=_recent_mocks(session, user, titles),
    )


def _heatmap(session: Session, user: User, today: date) -> dict[date, int]:
    """Answers per study day over the last year (days as the candidate lived them)."""
    rows = session.execute(
        select(StudyDay.day, StudyDay.answers).where(
            StudyDay.user_id == user.id,
            StudyDay.day > today - timedelta(days=HEATMAP_DAYS),
            StudyDay.day <= today,
            StudyDay.answers > 0,
        )
    )
    return {day: answers for day, answers in rows}


_FSRS = FsrsScheduler()


def _recall(stability: float, last_review: datetime, at: datetime) -> float:
    card = FsrsCard(
        card_id=1, state=FsrsState.Review, stability=stability, last_review=last_review, due=at
    )
    return float(_FSRS.get_card_retrievability(card, at))


def _mastery_history(
    session: Session, user: User, now: datetime, titles: dict[str, str]
) -> tuple[list[date], dict[str, list[float | None]]]:
    """Mastery per category (as now: over every question in the current selection, unseen
    ones as 0) at the end of each of the last weeks.

    Replays the review log of the selected, active questions (state after each
    answer) in time order; each point uses, for every card reviewed by then, its
    stability and last review as of that moment, and py-fsrs's forgetting curve.
    """
    weeks = [now - timedelta(weeks=HISTORY_WEEKS - 1 - i) for i in range(HISTORY_WEEKS)]
    totals = selection_totals(session, {user.id: user.study_selection})[user.id]
    logs = session.execute(
        select(
            ReviewLog.question_id, ReviewLog.reviewed_at, ReviewLog.state_after, Question.category
        )
        .join(Question, Question.id == ReviewLog.question_id)
        .join(
            CardState,
            and_(CardState.user_id == ReviewLog.user_id, CardState.question_id == Question.id),
        )
        .where(
            ReviewLog.user_id == user.id,
            ReviewLog.reviewed_at <= now,
            ReviewLog.undone.is_(False),
            Question.retired.is_(False),
            CardState.selected.is_(True),
        )
        .order_by(ReviewLog.reviewed_at, ReviewLog.id)
    ).all()
    cards: dict[str, tuple[str, float, datetime]] = {}
    sums: list[dict[str, float]] = []
    position = 0
    for checkpoint in weeks:
        while position < len(logs) and logs[position][1] <= checkpoint:
            qid, reviewed_at, after, category = logs[position]
            stability = (after or {}).get("stability")
            if stability:
                cards[qid] = (category, float(stability), reviewed_at)
            position += 1
        week: dict[str, float] = defaultdict(float)
        for category, stability, last in cards.values():
            week[category] += _recall(stability, last, checkpoint)
        sums.append(week)
    reviewed = Counter(category for category, _s, _l in cards.values())
    series: dict[str, list[float | None]] = {}
    for category in set(totals) | set(reviewed):
        total = max(totals.get(category, 0), reviewed[category])
        series[title_of(category, titles)] = [min(1.0, week[category] / total) for week in sums]
    return [w.date() for w in weeks], dict(sorted(series.items()))


def _most_failed(session: Session, user: User, titles: dict[str, str]) -> list[FailedQuestion]:
    agains = (
        select(ReviewLog.question_id, func.count().label("agains"))
        .where(ReviewLog.user_id == user.id, ReviewLog.rating == 1, ReviewLog.undone.is_(False))
        .group_by(ReviewLog.question_id)
        .subquery()
    )
    again_n = func.coalesce(agains.c.agains, 0)
    query = (
        select(
            Question.id,
            Question.prompt,
            Question.category,
            Question.entry_slug,
            CardState.lapses,
            again_n,
            CardState.leech,
            CardState.suspended,
        )  # fmt: skip
        .join(Question, Question.id == CardState.question_id)
        .outerjoin(agains, agains.c.question_id == CardState.question_id)
        .where(CardState.user_id == user.id, or_(CardState.lapses > 0, again_n > 0))
        .order_by(CardState.leech.desc(), CardState.lapses.desc(), again_n.desc(), Question.id)
        .limit(FAILED_SHOWN)
    )
    return [
        FailedQuestion(*row, category_title=title_of(row.category, titles))
        for row in session.execute(query)
    ]


def _recent_mocks(session: Session, user: User, titles: dict[str, str]) -> list[MockSummary]:
    mocks = session.scalars(
        select(MockInterview)
        .where(MockInterview.user_id == user.id)
        .order_by(MockInterview.started_at.desc(), MockInterview.id.desc())
        .limit(MOCKS_LISTED)
    )
    return [
        MockSummary(
            m.started_at,
            m.finished_at,
            m.score,
            [title_of(c, titles) for c in m.categories],
            len(m.question_ids),
        )
        for m in mocks
    ]

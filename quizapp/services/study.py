"""Studying: what to study, the next card, answering (once per shown card), undo, bury, suspend.

Functions take a session and `now` (aware UTC) and never commit. The scheduling
rules live in `quizapp.core.scheduler`; this module reads and writes the rows.

Card states exist for every question in the user's selection (`ensure_cards`).
A NEW card's `due` is its position in the new-card order, as in Anki, so the
three queues are each one range read on the (user_id, state, due) index.

Each card shown carries a token and the card's review count at that moment.
Answering records the token in the review log (unique): the same token again
is a double submit and is ignored; a different token for a card whose count
has moved on was answered elsewhere (another tab) and is refused.
"""

from __future__ import annotations

import enum
import secrets
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any, cast

from sqlalchemy import (
    Connection,
    Date,
    Integer,
    String,
    Table,
    bindparam,
    case,
    exists,
    false,
    func,
    insert,
    or_,
    select,
    true,
    update,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from quizapp.core.errors import UserInputError
from quizapp.core.questions import Question as CoreQuestion
from quizapp.core.questions import QuestionKind
from quizapp.core.scheduler import (
    CardSnapshot,
    DailyCounts,
    Phase,
    QueueChoice,
    QueueCounts,
    Rating,
    SchedulerSettings,
    StudyDay,
    bury,
    choose_next,
    format_interval,
    preview_intervals,
    remaining_limits,
    review_card,
    set_suspended,
    study_day,
)
from quizapp.core.scheduler.settings import LEARN_AHEAD_SECONDS
from quizapp.data.base import UTCDateTime, epoch_days
from quizapp.data.convert import question_to_core
from quizapp.data.models import Bank, CardState, Category, Question, ReviewLog, User
from quizapp.data.models import StudyDay as StudyDayRow
from quizapp.data.prepared import Prepared
from quizapp.data.users import SignedInUser
from quizapp.services import study_days
from quizapp.services.kb import category_titles

LEARNING_PHASES = (Phase.LEARNING.value, Phase.RELEARNING.value)
OOM_KINDS = frozenset({QuestionKind.OOM_VICTIM, QuestionKind.OOM_SCORE, QuestionKind.OOM_KERNEL})
CHOICE_KINDS = frozenset({QuestionKind.MULTIPLE_CHOICE, *OOM_KINDS})
SELECTION_FIELDS = ("banks", "categories", "levels", "kinds")
# Reading a user's settings needs no ORM object: the request's SignedInUser will do.
StudyUser = User | SignedInUser


# -- settings and selection ----------------------------------------------------------


def scheduler_settings(user: StudyUser) -> SchedulerSettings:
    return _settings(
        user.new_per_day,
        user.reviews_per_day,
        user.desired_retention,
        tuple(user.learning_steps or ()),
        tuple(user.relearning_steps or ()),
        user.maximum_interval,
        user.leech_threshold,
        user.timezone,
        user.day_rollover_hour,
    )


@lru_cache(maxsize=1024)
def _settings(
    new_per_day: int,
    reviews_per_day: int,
    desired_retention: float,
    learning_steps: tuple[int, ...],
    relearning_steps: tuple[int, ...],
    maximum_interval: int,
    leech_threshold: int,
    timezone: str,
    day_rollover_hour: int,
) -> SchedulerSettings:
    """Settings are immutable values: validate each distinct combination once."""
    return SchedulerSettings(
        new_per_day=new_per_day,
        reviews_per_day=reviews_per_day,
        desired_retention=desired_retention,
        learning_steps=learning_steps,
        relearning_steps=relearning_steps,
        maximum_interval=maximum_interval,
        leech_threshold=leech_threshold,
        timezone=timezone,
        day_rollover_hour=day_rollover_hour,
    )


def today(user: StudyUser, now: datetime, settings: SchedulerSettings | None = None) -> StudyDay:
    settings = settings or scheduler_settings(user)
    return study_day(now, settings.zone, settings.day_rollover_hour)


@dataclass(frozen=True, slots=True)
class Selection:
    """What to study; an empty field means "all"."""

    banks: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> Selection:
        data = data or {}
        return cls(
            **{f: tuple(sorted({str(v) for v in data.get(f) or ()})) for f in SELECTION_FIELDS}
        )

    def to_json(self) -> dict[str, list[str]]:
        return {f: list(getattr(self, f)) for f in SELECTION_FIELDS}

    @property
    def is_empty(self) -> bool:
        return not any(getattr(self, f) for f in SELECTION_FIELDS)


@dataclass(frozen=True, slots=True)
class Option:
    value: str
    label: str
    count: int


@dataclass(frozen=True, slots=True)
class SelectionOptions:
    banks: list[Option]
    categories: list[Option]
    levels: list[Option]
    kinds: list[Option]

    def values(self, name: str) -> set[str]:
        options: list[Option] = getattr(self, name)
        return {o.value for o in options}


KIND_LABELS = {
    QuestionKind.INTERVIEW: "Interview questions",
    QuestionKind.TERM_DEFINITION: "Term → definition",
    QuestionKind.DEFINITION_TERM: "Definition → term",
    QuestionKind.ALIAS_TERM: "Alias → term",
    QuestionKind.COMMAND_PURPOSE: "Command → purpose",
    QuestionKind.PURPOSE_COMMAND: "Purpose → command (typed)",
    QuestionKind.CLOZE: "Cloze",
    QuestionKind.MULTIPLE_CHOICE: "Multiple choice",
    QuestionKind.SEE_ALSO: "Related entries",
    QuestionKind.OOM_VICTIM: "OOM: which process is killed?",
    QuestionKind.OOM_SCORE: "OOM: what is the score?",
    QuestionKind.OOM_KERNEL: "OOM: kernel versions",
}
LEVEL_ORDER = ("beginner", "intermediate", "advanced")


def selection_options(session: Session) -> SelectionOptions:
    """Everything a user can choose from, with the number of live questions in each."""
    live = Question.retired == false()
    banks = session.execute(
        select(Bank.slug, Bank.title, func.count(Question.id))
        .join(Question, Question.bank_id == Bank.id)
        .where(live, Bank.retired == false())
        .group_by(Bank.slug, Bank.title)
        .order_by(Bank.title)
    ).all()
    titles = category_titles(session)
    positions = dict(session.execute(select(Category.slug, Category.position)).all())
    categories = session.execute(
        select(Question.category, func.count()).where(live).group_by(Question.category)
    ).all()
    levels = dict(
        session.execute(
            select(Question.level, func.count()).where(live).group_by(Question.level)
        ).all()
    )
    kinds = dict(
        session.execute(
            select(Question.kind, func.count()).where(live).group_by(Question.kind)
        ).all()
    )
    return SelectionOptions(
        banks=[Option(slug, title, count) for slug, title, count in banks],
        categories=sorted(
            (Option(slug, titles.get(slug, slug or "Uncategorised"), n) for slug, n in categories),
            key=lambda o: (positions.get(o.value, 1 << 30), o.label),
        ),
        levels=[
            Option(level, level.capitalize(), levels[level])
            for level in sorted(levels, key=lambda v: (LEVEL_ORDER + (v,)).index(v))
        ],
        kinds=[
            Option(kind, KIND_LABELS.get(QuestionKind(kind), kind), kinds[kind])
            for kind in sorted(kinds, key=lambda k: list(QuestionKind).index(QuestionKind(k)))
            if kind in QuestionKind._value2member_map_
        ],
    )


def question_filter(selection: Selection) -> list[ColumnElement[bool]]:
    clauses: list[ColumnElement[bool]] = [Question.retired == false()]
    if selection.banks:
        clauses.append(Question.bank_id.in_(select(Bank.id).where(Bank.slug.in_(selection.banks))))
    if selection.categories:
        clauses.append(Question.category.in_(selection.categories))
    if selection.levels:
        clauses.append(Question.level.in_(selection.levels))
    if selection.kinds:
        clauses.append(Question.kind.in_(selection.kinds))
    return clauses


def save_selection(session: Session, user: User, selection: Selection, now: datetime) -> int:
    """Validate and store the selection; create card states for new questions in it."""
    options = selection_options(session)
    for name in SELECTION_FIELDS:
        unknown = set(getattr(selection, name)) - options.values(name)
        if unknown:
            raise UserInputError(f"Unknown choice: {', '.join(sorted(unknown))}", field=name)
    user.study_selection = selection.to_json()
    added = ensure_cards(session, user, now)
    if not selection.is_empty and not _selected_count(session, user, selection):
        raise UserInputError("Nothing matches that choice; widen it.", field="banks")
    return added


def _selected_count(session: Session, user: StudyUser, selection: Selection) -> int:
    return session.scalar(select(func.count(Question.id)).where(*question_filter(selection))) or 0


def sync_selection(session: Session, user: StudyUser) -> None:
    """Mark each of the user's cards as in or out of the selection (retired ones: out)."""
    selection = Selection.from_json(user.study_selection)
    wanted = select(Question.id).where(*question_filter(selection))
    in_selection = CardState.question_id.in_(wanted)
    session.execute(
        update(CardState)
        .where(CardState.user_id == user.id, CardState.selected != in_selection)
        .values(selected=in_selection)
        .execution_options(synchronize_session=False)
    )


def ensure_cards(session: Session, user: StudyUser, now: datetime) -> int:
    """Give every selected question a card state (NEW); returns how many were added.

    Also brings `CardState.selected` in step with the selection and with
    questions retired by a content build. New cards are ordered so that
    siblings (questions from the same KB entry) are spread out: first one
    question of every entry, then a second, and so on.
    """
    sync_selection(session, user)
    selection = Selection.from_json(user.study_selection)
    has_card = exists().where(CardState.user_id == user.id, CardState.question_id == Question.id)
    rows = session.execute(
        select(Question.id, Question.entry_slug, Question.category)
        .where(*question_filter(selection), ~has_card)
        .order_by(Question.bank_id, Question.entry_slug, Question.id)
    ).all()
    if not rows:
        return 0
    rank_in_entry: dict[str | None, int] = defaultdict(int)
    entry_order: dict[str | None, int] = {}
    keyed = []
    for question_id, entry_slug, category in rows:
        group = entry_slug if entry_slug is not None else question_id
        rank = rank_in_entry[group]
        rank_in_entry[group] += 1
        entry_order.setdefault(group, len(entry_order))
        keyed.append((rank, entry_order[group], question_id, category))
    keyed.sort()
    base = max(now, _last_new_position(session, user) + timedelta(microseconds=1))
    session.execute(
        insert(CardState),
        [
            {
                "user_id": user.id,
                "question_id": question_id,
                "state": Phase.NEW.value,
                "due": base + timedelta(microseconds=position),
                "reps": 0,
                "lapses": 0,
                "suspended": False,
                "leech": False,
                "selected": True,
                "category": category,
                "created_at": now,
            }
            for position, (_rank, _entry, question_id, category) in enumerate(keyed)
        ],
    )
    return len(keyed)


def _last_new_position(session: Session, user: StudyUser) -> datetime:
    last = session.scalar(
        select(func.max(CardState.due)).where(
            CardState.user_id == user.id, CardState.state == Phase.NEW.value
        )
    )
    return _aware(last) or datetime.min.replace(tzinfo=UTC)


def _aware(value: datetime | str | None) -> datetime | None:
    """Aggregates over UTC columns, as some drivers return them, made aware UTC."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value is not None and value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


def _connection(db: Session | Connection) -> Connection:
    """The review loop runs Core statements: on the request's connection, or a session's."""
    return db.connection() if isinstance(db, Session) else db


# -- the queue -----------------------------------------------------------------------


def _available() -> list[ColumnElement[bool]]:
    """Cards that can be studied now; parameters :user_id and :now.

    Selection and retirement are read from `CardState.selected` (see
    `sync_selection`), so counting needs nothing but the queue index.
    """
    return [
        CardState.user_id == bindparam("user_id", type_=Integer),
        CardState.selected == true(),
        CardState.suspended == false(),
        or_(
            CardState.buried_until.is_(None),
            CardState.buried_until <= bindparam("now", type_=UTCDateTime()),
        ),
    ]


@dataclass(frozen=True, slots=True)
class QuestionView:
    """The question of a shown card: the columns of its row, without an ORM object."""

    id: str
    bank_id: int
    kind: str
    prompt: str
    answer: str
    explanation: str
    prompt_html: str | None  # the build's HTML of the three above
    answer_html: str | None
    explanation_html: str | None
    data: dict[str, Any]
    entry_slug: str | None
    category: str
    level: str
    tags: list[str]
    content_hash: str
    retired: bool


_QUESTION_FIELDS = tuple(QuestionView.__dataclass_fields__)
_CARD_FIELDS = (
    "id", "state", "due", "step", "stability", "difficulty", "last_review", "reps", "lapses",
    "suspended", "buried_until", "leech",
)  # fmt: skip
# A card and its question as one Core row (ORM objects cost more than the query here).
_CARD_AND_QUESTION = select(
    *(getattr(CardState, name) for name in _CARD_FIELDS),
    *(getattr(Question, name).label(f"q_{name}") for name in _QUESTION_FIELDS),
).join_from(CardState, Question, Question.id == CardState.question_id)


def _question_view(row: Any) -> QuestionView:
    start = len(_CARD_FIELDS)
    return QuestionView(*row[start : start + len(_QUESTION_FIELDS)])


@dataclass(frozen=True, slots=True)
class _QueueStatements:
    """The queue's statements for one selection, built once and reused (parameters bound late)."""

    status: Prepared
    by_choice: dict[QueueChoice, Prepared]
    by_id: Prepared


@lru_cache(maxsize=1)
def _queue_statements() -> _QueueStatements:
    available = _available()
    day_end = bindparam("day_end", type_=UTCDateTime())

    # What was done today: the day's row in study_days (kept in step by answer and undo).
    def done_today(column: Any) -> Any:
        return func.coalesce(
            select(column)
            .where(
                StudyDayRow.user_id == bindparam("user_id", type_=Integer),
                StudyDayRow.day == bindparam("day", type_=Date()),
            )
            .scalar_subquery(),
            0,
        )

    def left_today(limit: str, done: Any) -> Any:
        return bindparam(limit, type_=Integer) - done_today(done)

    def capped(*where: ColumnElement[bool], cap: Any = None) -> Any:
        """How many cards match, counting no further than `cap` (when given).

        With at least `cap` cards, the `cap`-th one is found by skipping index
        entries, which costs SQLite about a third of counting them one by one.
        """
        count = select(func.count(CardState.id)).where(*available, *where).scalar_subquery()
        if cap is None:
            return count
        probe = select(CardState.id).where(*available, *where).limit(1).offset(cap - 1)
        return case((cap <= 0, 0), (probe.exists(), cap), else_=count)

    # Not `state.in_(...)`: an IN list is expanded on every execution (a "postcompile"
    # parameter); SQLite turns these ORs into the same IN over the index.
    learning_phase = or_(*(CardState.state == phase for phase in LEARNING_PHASES))
    learning = (learning_phase, CardState.due < day_end)
    review = (CardState.state == Phase.REVIEW.value, CardState.due < day_end)
    new = (CardState.state == Phase.NEW.value,)

    def first(*where: ColumnElement[bool], column: Any = CardState.id) -> Any:
        return (
            select(column).where(*available, *where).order_by(CardState.due).limit(1)
        ).scalar_subquery()

    # One statement: what was done today, what is left, and the head of each queue.
    status = select(
        done_today(StudyDayRow.new_answers),
        done_today(StudyDayRow.review_answers),
        capped(*learning),
        # Counting stops at what the daily limits leave for today.
        capped(*review, cap=left_today("review_cap", StudyDayRow.review_answers)),
        capped(*new, cap=left_today("new_cap", StudyDayRow.new_answers)),
        first(*review),
        first(*new),
        # Learning and relearning apart: each is then one step down the queue index
        # (with `state IN (...)` SQLite would walk all of the user's cards by due).
        *(
            first(CardState.state == phase, CardState.due < day_end, column=column)
            for phase in LEARNING_PHASES
            for column in (CardState.id, CardState.due)
        ),
    )
    # Ordered by due alone, so the queue index also gives the order (equal due times
    # fall back to the index's own order, which is stable).
    base = _CARD_AND_QUESTION.where(*available, Question.retired == false())
    learning_card = Prepared(base.where(*learning).order_by(CardState.due).limit(1))
    return _QueueStatements(
        status=Prepared(status),
        by_choice={
            QueueChoice.LEARNING: learning_card,
            QueueChoice.LEARN_AHEAD: learning_card,
            QueueChoice.REVIEW: Prepared(base.where(*review).order_by(CardState.due).limit(1)),
            QueueChoice.NEW: Prepared(base.where(*new).order_by(CardState.due).limit(1)),
        },
        by_id=Prepared(base.where(CardState.id == bindparam("card_id", type_=Integer))),
    )


@dataclass(frozen=True, slots=True)
class QueueStatus:
    day: StudyDay
    done: DailyCounts
    counts: QueueCounts
    next_learning_due: datetime | None  # the earliest learning card today, if any


def queue_status(
    db: Session | Connection,
    user: StudyUser,
    now: datetime,
    settings: SchedulerSettings | None = None,
) -> QueueStatus:
    """Today's counts (within the limits) and what was done, in one statement."""
    return _queue_status(_connection(db), user, now, settings or scheduler_settings(user))[0]


def _queue_status(
    connection: Connection, user: StudyUser, now: datetime, settings: SchedulerSettings
) -> tuple[QueueStatus, _QueueStatements, dict[str, Any], dict[QueueChoice, int | None]]:
    day = today(user, now, settings)
    statements = _queue_statements()
    params: dict[str, Any] = {
        "user_id": user.id,
        "now": now,
        "day": day.day,
        "day_end": day.end,
        # The daily limits; what was done today is subtracted in the statement.
        "review_cap": settings.reviews_per_day,
        "new_cap": settings.new_per_day,
    }
    row = statements.status.first(connection, params)
    assert row is not None  # one row of aggregates
    new_done, reviews_done, learning, review, new, review_head, new_head = row[:7]
    learning_heads = [(_aware(due), id_) for id_, due in (row[7:9], row[9:11]) if id_ is not None]
    first_learning, learning_head = min(learning_heads, default=(None, None))
    done = DailyCounts(new_done=new_done, reviews_done=reviews_done)
    limits = remaining_limits(settings, done)
    counts = QueueCounts(
        new=min(new, limits.new), learning=learning, review=min(review, limits.reviews)
    )
    heads = {
        QueueChoice.LEARNING: learning_head,
        QueueChoice.LEARN_AHEAD: learning_head,
        QueueChoice.REVIEW: review_head,
        QueueChoice.NEW: new_head,
    }
    return QueueStatus(day, done, counts, first_learning), statements, params, heads


@dataclass(slots=True)
class StudyCard:
    """A card to show, with what the answer buttons will do."""

    card_state_id: int
    question: QuestionView
    card: CardSnapshot
    token: str
    queue: QueueChoice
    kind: QuestionKind
    now: datetime
    settings: SchedulerSettings
    _intervals: dict[Rating, str] | None = None

    @property
    def shown_reps(self) -> int:
        return self.card.reps

    @property
    def intervals(self) -> dict[Rating, str]:
        """Each button's next interval; computed when the answer side needs it."""
        if self._intervals is None:
            previews = preview_intervals(
                self.card,
                self.now,
                self.settings,
                fuzz_seed=fuzz_seed(self.card_state_id, self.card.reps),
            )
            self._intervals = {r: format_interval(interval) for r, interval in previews.items()}
        return self._intervals


@dataclass(slots=True)
class NextCard:
    status: QueueStatus
    card: StudyCard | None
    choice: QueueChoice


def snapshot_of(row: Any) -> CardSnapshot:
    """From a CardState, or any row with its columns."""
    return CardSnapshot(
        phase=Phase(row.state),
        due=row.due,
        step=row.step,
        stability=row.stability,
        difficulty=row.difficulty,
        last_review=row.last_review,
        reps=row.reps,
        lapses=row.lapses,
        suspended=row.suspended,
        buried_until=row.buried_until,
        leech=row.leech,
    )


def _columns(card: CardSnapshot) -> dict[str, Any]:
    return {
        "state": card.phase.value,
        "due": card.due,
        "step": card.step,
        "stability": card.stability,
        "difficulty": card.difficulty,
        "last_review": card.last_review,
        "last_review_days": epoch_days(card.last_review) if card.last_review else None,
        "reps": card.reps,
        "lapses": card.lapses,
        "suspended": card.suspended,
        "buried_until": card.buried_until,
        "leech": card.leech,
    }


def fuzz_seed(card_state_id: int, reps: int) -> int:
    return card_state_id * 1_000_003 + reps


def new_token() -> str:
    return secrets.token_urlsafe(18)


def _study_card(
    row: Any,
    now: datetime,
    settings: SchedulerSettings,
    queue: QueueChoice,
    token: str,
) -> StudyCard:
    """From a `_CARD_AND_QUESTION` row."""
    question = _question_view(row)
    return StudyCard(
        card_state_id=row.id,
        question=question,
        card=snapshot_of(row),
        token=token,
        queue=queue,
        kind=_kind(question.kind),
        now=now,
        settings=settings,
    )


def _kind(value: str) -> QuestionKind:
    try:
        return QuestionKind(value)
    except ValueError:
        return QuestionKind.INTERVIEW  # an unknown kind is shown as free recall


def next_card(
    db: Session | Connection,
    user: StudyUser,
    now: datetime,
    *,
    prefer: int | None = None,
    make_token: Callable[[], str] = new_token,
) -> NextCard:
    """The card to show now (or none), and the counts for the top of the screen.

    `prefer` is a card state id to show first if it can be studied (after an undo).
    """
    settings = scheduler_settings(user)
    connection = _connection(db)
    status, statements, params, heads = _queue_status(connection, user, now, settings)
    if prefer is not None:
        found = statements.by_id.first(connection, {**params, "card_id": prefer})
        if found is not None:
            choice = _PHASE_QUEUE.get(found.state, QueueChoice.LEARNING)
            card = _study_card(found, now, settings, choice, make_token())
            return NextCard(status, card, choice)

    learning_due = status.next_learning_due
    choice = choose_next(
        status.counts,
        status.done,
        learning_due_now=learning_due is not None and learning_due <= now,
        learning_due_soon=learning_due is not None
        and learning_due <= now + timedelta(seconds=LEARN_AHEAD_SECONDS),
    )
    if choice is QueueChoice.DONE:
        return NextCard(status, None, choice)
    found = None
    if heads[choice] is not None:  # the head of the queue, unless its question was retired
        found = statements.by_id.first(connection, {**params, "card_id": heads[choice]})
    if found is None:
        found = statements.by_choice[choice].first(connection, params)
    if found is None:  # the counts said otherwise: a concurrent change
        return NextCard(status, None, QueueChoice.DONE)
    card = _study_card(found, now, settings, choice, make_token())
    return NextCard(status, card, choice)


_PHASE_QUEUE = {Phase.NEW.value: QueueChoice.NEW, Phase.REVIEW.value: QueueChoice.REVIEW}


def shown_card(
    db: Session | Connection, user: StudyUser, card_state_id: int, token: str, now: datetime
) -> StudyCard | None:
    """The card a form refers to (for the answer side), or None if it is not the user's."""
    found = _SHOWN_CARD.first(_connection(db), {"card_id": card_state_id, "user_id": user.id})
    if found is None:
        return None
    queue = QueueChoice.NEW if found.state == Phase.NEW.value else QueueChoice.REVIEW
    return _study_card(found, now, scheduler_settings(user), queue, token)


_SHOWN_CARD = Prepared(
    _CARD_AND_QUESTION.where(
        CardState.id == bindparam("card_id", type_=Integer),
        CardState.user_id == bindparam("user_id", type_=Integer),
    )
)
# An answered card's question, to grade what was typed or picked.
_QUESTION = Prepared(
    select(*(getattr(Question, name) for name in _QUESTION_FIELDS)).where(
        Question.id == bindparam("question_id", type_=String)
    )
)


# -- grading what was typed or picked ------------------------------------------------


@dataclass(frozen=True, slots=True)
class Grading:
    """The app's own check of an auto-graded answer (None where the user self-grades)."""

    correct: bool | None
    typed: str | None = None
    choice: int | None = None
    diff: tuple[Any, ...] = ()  # compiler DiffParts for typed commands
    expected: str = ""
    suggested: Rating | None = None


NO_GRADING = Grading(None)


def core_question(question: Question | QuestionView) -> CoreQuestion:
    return question_to_core(question)


def correct_choice(question: Question | QuestionView) -> int | None:
    value = (question.data or {}).get("correct")
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def grade(question: Question | QuestionView, typed: str | None, choice: int | None) -> Grading:
    kind = _kind(question.kind)
    if kind is QuestionKind.PURPOSE_COMMAND and typed is not None and typed.strip():
        from quizapp.core.compiler.answers import check_typed_answer

        result = check_typed_answer(core_question(question), typed)
        return Grading(
            result.correct,
            typed=typed,
            diff=tuple(result.diff),
            expected=result.expected,
            suggested=Rating.GOOD if result.correct else Rating.AGAIN,
        )
    if kind is QuestionKind.PURPOSE_COMMAND:
        return Grading(False if typed is not None else None, typed=typed or "")
    if kind in CHOICE_KINDS and choice is not None:
        right = correct_choice(question)
        if right is None:
            return Grading(None, choice=choice)
        ok = choice == right
        return Grading(ok, choice=choice, suggested=Rating.GOOD if ok else Rating.AGAIN)
    return Grading(None, typed=typed, choice=choice)


# -- answering -----------------------------------------------------------------------


class AnswerStatus(enum.StrEnum):
    RECORDED = "recorded"
    DUPLICATE = "duplicate"  # same token again: a double submit, nothing new recorded
    STALE = "stale"  # the card changed since it was shown (answered in another tab)


@dataclass(frozen=True, slots=True)
class AnswerResult:
    status: AnswerStatus
    card_state_id: int
    became_leech: bool = False
    correct: bool | None = None
    interval: str = ""

    @property
    def message(self) -> str | None:
        if self.status is AnswerStatus.STALE:
            return (
                "That card was already answered (in another tab or window), so this answer "
                "was not recorded. Here is the next card."
            )
        if self.became_leech:
            return "That card is a leech (forgotten many times): it is tagged and suspended."
        return None


_TOKEN_USED = select(ReviewLog.id).where(ReviewLog.answer_token == bindparam("token", type_=String))
_ANSWERED_CARD = Prepared(
    select(
        CardState.id,
        CardState.question_id,
        CardState.state,
        CardState.due,
        CardState.step,
        CardState.stability,
        CardState.difficulty,
        CardState.last_review,
        CardState.reps,
        CardState.lapses,
        CardState.suspended,
        CardState.buried_until,
        CardState.leech,
        Question.kind,
        Question.level,
        _TOKEN_USED.exists(),
    )
    .join(Question, Question.id == CardState.question_id)
    .where(
        CardState.id == bindparam("card_id", type_=Integer),
        CardState.user_id == bindparam("user_id", type_=Integer),
    )
)
_CARD_COLUMNS = (
    "state", "due", "step", "stability", "difficulty", "last_review", "last_review_days",
    "reps", "lapses", "suspended", "buried_until", "leech",
)  # fmt: skip
# Optimistic lock: the update applies only if nobody answered the card since it was shown.
_UPDATE_CARD = Prepared(
    update(cast(Table, CardState.__table__))
    .where(
        CardState.id == bindparam("card_id", type_=Integer),
        CardState.reps == bindparam("shown_reps", type_=Integer),
    )
    .values({name: bindparam(f"new_{name}") for name in _CARD_COLUMNS})
)
_LOG_COLUMNS = (
    "user_id", "question_id", "rating", "phase", "reviewed_at", "study_day", "duration_ms",
    "state_before", "state_after", "typed_answer", "correct", "answer_token", "undone",
)  # fmt: skip
_INSERT_LOG = Prepared(
    insert(cast(Table, ReviewLog.__table__)).values(
        {name: bindparam(name) for name in _LOG_COLUMNS}
    )
)


def _token_used(connection: Connection, token: str) -> bool:
    return connection.scalar(_TOKEN_USED, {"token": token}) is not None


def answer(
    db: Session | Connection,
    user: StudyUser,
    *,
    card_state_id: int,
    rating: Rating,
    token: str,
    shown_reps: int,
    now: datetime,
    typed: str | None = None,
    choice: int | None = None,
    duration_ms: int = 0,
) -> AnswerResult:
    """Record one answer, once per token; refuse an answer to a card that moved on."""
    if not token or len(token) > 64:
        raise UserInputError("This answer form has expired; reload the page.", field="token")
    connection = _connection(db)  # Core rows: no ORM objects on the hot path
    row = _ANSWERED_CARD.first(
        connection, {"card_id": card_state_id, "user_id": user.id, "token": token}
    )
    if row is None:
        raise UserInputError("That card does not exist.", field="card")
    if row[-1]:  # the token was used: this answer is already recorded
        return AnswerResult(AnswerStatus.DUPLICATE, card_state_id)
    if row.reps != shown_reps or row.suspended:
        return AnswerResult(AnswerStatus.STALE, card_state_id)

    settings = scheduler_settings(user)
    before = snapshot_of(row)
    outcome = review_card(before, rating, now, settings, fuzz_seed=fuzz_seed(row.id, row.reps))
    grading = NO_GRADING
    if typed is not None or choice is not None:
        question = _QUESTION.first(connection, {"question_id": row.question_id})
        grading = grade(QuestionView(*question), typed, choice) if question else NO_GRADING
    after = _columns(outcome.card)
    updated = _UPDATE_CARD.run(
        connection,
        {
            "card_id": row.id,
            "shown_reps": shown_reps,
            **{f"new_{name}": after[name] for name in _CARD_COLUMNS},
        },
    )
    if not updated:
        status = AnswerStatus.DUPLICATE if _token_used(connection, token) else AnswerStatus.STALE
        return AnswerResult(status, card_state_id)
    if isinstance(db, Session) and db.identity_map:  # an ORM copy loaded earlier is now stale
        cached = db.identity_map.get(db.identity_key(CardState, row.id))
        if cached is not None:
            db.expire(cached)
    day = today(user, now, settings).day
    _INSERT_LOG.run(
        connection,
        {
            "user_id": user.id,
            "question_id": row.question_id,
            "rating": int(rating),
            "phase": before.phase.value,
            "reviewed_at": now,
            "study_day": day,
            "duration_ms": max(0, min(duration_ms, 3_600_000)),
            "state_before": before.to_dict(),
            "state_after": outcome.card.to_dict(),
            "typed_answer": typed if typed else None,
            "correct": grading.correct,
            "answer_token": token,
            "undone": False,
        },
    )
    study_days.count_answer(
        connection,
        user_id=user.id,
        day=day,
        at=now,
        phase=before.phase.value,
        rating=int(rating),
        correct=grading.correct,
        tier=study_days.oom_tier(row.kind, row.level),
    )
    return AnswerResult(
        AnswerStatus.RECORDED,
        card_state_id,
        became_leech=outcome.became_leech,
        correct=grading.correct,
        interval=format_interval(outcome.interval),
    )


@dataclass(frozen=True, slots=True)
class Undone:
    card_state_id: int
    question_id: str


def undo_last_answer(session: Session, user: StudyUser) -> Undone | None:
    """Put the most recently answered card back as it was; the log row is kept, marked undone."""
    log = session.scalar(
        select(ReviewLog)
        .where(ReviewLog.user_id == user.id, ReviewLog.undone == false())
        .order_by(ReviewLog.id.desc())
        .limit(1)
    )
    if log is None:
        return None
    row = session.scalar(
        select(CardState).where(
            CardState.user_id == user.id, CardState.question_id == log.question_id
        )
    )
    if row is None:
        return None
    before = CardSnapshot.from_dict(log.state_before)
    for name, value in _columns(before).items():
        setattr(row, name, value)
    log.undone = True
    session.flush()
    question = session.get(Question, log.question_id)
    kind, level = (question.kind, question.level) if question is not None else ("", "")
    study_days.uncount_answer(session.connection(), log, kind, level)
    return Undone(row.id, log.question_id)


def _own_card(session: Session, user: StudyUser, card_state_id: int) -> CardState:
    row = session.scalar(
        select(CardState).where(CardState.id == card_state_id, CardState.user_id == user.id)
    )
    if row is None:
        raise UserInputError("That card does not exist.", field="card")
    return row


def bury_card(session: Session, user: StudyUser, card_state_id: int, now: datetime) -> datetime:
    """Hide the card until the next study day; returns when it comes back."""
    row = _own_card(session, user, card_state_id)
    buried = bury(snapshot_of(row), now, scheduler_settings(user))
    row.buried_until = buried.buried_until
    session.flush()
    assert buried.buried_until is not None
    return buried.buried_until


def suspend_card(
    session: Session, user: StudyUser, card_state_id: int, suspended: bool = True
) -> None:
    row = _own_card(session, user, card_state_id)
    changed = set_suspended(snapshot_of(row), suspended)
    row.suspended, row.buried_until = changed.suspended, changed.buried_until
    session.flush()


@dataclass(frozen=True, slots=True)
class SuspendedCard:
    card_state_id: int
    question_id: str
    prompt: str
    leech: bool
    lapses: int


def suspended_cards(session: Session, user: StudyUser, limit: int = 200) -> list[SuspendedCard]:
    rows = session.execute(
        select(CardState.id, Question.id, Question.prompt, CardState.leech, CardState.lapses)
        .join(Question, Question.id == CardState.question_id)
        .where(CardState.user_id == user.id, CardState.suspended == true())
        .order_by(CardState.leech.desc(), CardState.lapses.desc(), CardState.id)
        .limit(limit)
    ).all()
    return [SuspendedCard(*r) for r in rows]


__all__ = [
    "AnswerResult",
    "AnswerStatus",
    "Grading",
    "NextCard",
    "QuestionView",
    "QueueStatus",
    "Selection",
    "SelectionOptions",
    "StudyCard",
    "Undone",
    "answer",
    "bury_card",
    "ensure_cards",
    "grade",
    "next_card",
    "queue_status",
    "save_selection",
    "scheduler_settings",
    "selection_options",
    "shown_card",
    "suspend_card",
    "suspended_cards",
    "undo_last_answer",
]

"""Mock interviews: a timed set of mixed questions, graded, scored by category.

A mock interview is practice under interview conditions. It reads questions and
writes one `MockInterview` row; it never touches `CardState` or `ReviewLog`, so
it does not change the spaced-repetition schedule. Mentors see its scores.

Grading:
- multiple choice and OOM questions with choices: the chosen index against
  `data["correct"]` (or, when the generator gave no index, the choice equal to
  `data["answer"]` / `data["victim"]`);
- typed commands (`purpose_command`): `quizapp.core.compiler.answers.check_typed_answer`;
- OOM questions without choices: the typed value against the answer, numbers
  compared as numbers;
- free-recall interview questions: the candidate's own verdict.

Answers arriving after the time limit (plus a short grace for the network) are
not counted; unanswered questions count as wrong.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from quizapp.core.compiler.answers import check_typed_answer
from quizapp.core.errors import UserInputError
from quizapp.core.questions import QuestionKind
from quizapp.data.convert import question_to_core
from quizapp.data.models import Category, MockInterview, Question, User
from quizapp.services.kb import category_titles

MIN_QUESTIONS, MAX_QUESTIONS = 1, 50
MIN_MINUTES, MAX_MINUTES = 1, 180
DEFAULT_QUESTIONS, DEFAULT_MINUTES = 10, 15
GRACE = timedelta(seconds=10)
MAX_RESPONSE_LENGTH = 2000

CHOICE_KINDS = frozenset({QuestionKind.MULTIPLE_CHOICE.value})
TYPED_KINDS = frozenset({QuestionKind.PURPOSE_COMMAND.value})
OOM_KINDS = frozenset(
    {QuestionKind.OOM_VICTIM.value, QuestionKind.OOM_SCORE.value, QuestionKind.OOM_KERNEL.value}
)
RECALL_KINDS = frozenset({QuestionKind.INTERVIEW.value})
MOCK_KINDS = sorted(CHOICE_KINDS | TYPED_KINDS | OOM_KINDS | RECALL_KINDS)


def kind_family(kind: str) -> str:
    """How a question is answered on the page: choice, typed, oom or recall."""
    if kind in CHOICE_KINDS:
        return "choice"
    if kind in TYPED_KINDS:
        return "typed"
    if kind in OOM_KINDS:
        return "oom"
    return "recall"


# -- choosing questions -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CategoryOption:
    slug: str
    title: str
    count: int


def category_options(session: Session) -> list[CategoryOption]:
    """Categories that have questions a mock interview can ask, with their counts."""
    rows = session.execute(
        select(Question.category, func.count())
        .where(~Question.retired, Question.kind.in_(MOCK_KINDS), Question.category != "")
        .group_by(Question.category)
    ).all()
    titles = category_titles(session)
    positions = dict(session.execute(select(Category.slug, Category.position)).all())
    options = [CategoryOption(slug, titles.get(slug, slug), count) for slug, count in rows]
    return sorted(options, key=lambda o: (positions.get(o.slug, 10**6), o.title.lower()))


def choose_mixed(
    candidates: Sequence[tuple[str, str, str]], count: int, rng: random.Random
) -> list[str]:
    """Pick `count` ids from (id, category, kind) rows, spread over categories and kinds.

    Buckets per (category, kind family) are shuffled and drained round-robin, so a
    short mock still mixes categories and question types; the result is shuffled.
    """
    buckets: dict[tuple[str, str], list[str]] = defaultdict(list)
    for qid, category, kind in sorted(candidates):
        buckets[(category, kind_family(kind))].append(qid)
    order = sorted(buckets)
    rng.shuffle(order)
    for key in order:
        rng.shuffle(buckets[key])
    chosen: list[str] = []
    while len(chosen) < count and any(buckets[key] for key in order):
        for key in order:
            if buckets[key] and len(chosen) < count:
                chosen.append(buckets[key].pop())
    rng.shuffle(chosen)
    return chosen


def start_mock(
    session: Session,
    user: User,
    *,
    categories: Sequence[str],
    count: int,
    minutes: int,
    now: datetime,
    rng: random.Random,
) -> MockInterview:
    if not categories:
        raise UserInputError("Choose at least one category.", field="categories")
    if not MIN_QUESTIONS <= count <= MAX_QUESTIONS:
        raise UserInputError(
            f"Choose from {MIN_QUESTIONS} to {MAX_QUESTIONS} questions.", field="count"
        )
    if not MIN_MINUTES <= minutes <= MAX_MINUTES:
        raise UserInputError(
            f"Choose from {MIN_MINUTES} to {MAX_MINUTES} minutes.", field="minutes"
        )
    candidates = session.execute(
        select(Question.id, Question.category, Question.kind).where(
            ~Question.retired,
            Question.kind.in_(MOCK_KINDS),
            Question.category.in_(list(categories)),
        )
    )
    chosen = choose_mixed(list(candidates), count, rng)
    if not chosen:
        raise UserInputError("There are no questions in those categories yet.", field="categories")
    mock = MockInterview(
        user_id=user.id,
        started_at=now,
        time_limit_seconds=minutes * 60,
        categories=sorted(set(categories)),
        question_ids=chosen,
        answers={},
        by_category={},
    )
    session.add(mock)
    session.flush()
    return mock


# -- progress through a mock ---------------------------------------------------------


def deadline(mock: MockInterview) -> datetime:
    return mock.started_at + timedelta(seconds=mock.time_limit_seconds)


def seconds_left(mock: MockInterview, now: datetime) -> int:
    return max(0, int((deadline(mock) - now).total_seconds()))


def next_question_id(mock: MockInterview) -> str | None:
    return next((qid for qid in mock.question_ids if qid not in mock.answers), None)


def get_mock(session: Session, user: User, mock_id: int) -> MockInterview | None:
    """The user's own mock interview (someone else's is as good as missing)."""
    mock = session.get(MockInterview, mock_id)
    return mock if mock is not None and mock.user_id == user.id else None


def in_progress(session: Session, user: User) -> MockInterview | None:
    return session.scalar(
        select(MockInterview)
        .where(MockInterview.user_id == user.id, MockInterview.finished_at.is_(None))
        .order_by(MockInterview.started_at.desc())
        .limit(1)
    )


def history(session: Session, user_id: int, limit: int = 50) -> list[MockInterview]:
    """Finished mock interviews, newest first (also what a mentor sees)."""
    return list(
        session.scalars(
            select(MockInterview)
            .where(MockInterview.user_id == user_id, MockInterview.finished_at.is_not(None))
            .order_by(MockInterview.finished_at.desc())
            .limit(limit)
        )
    )


def expire_if_due(session: Session, mock: MockInterview, now: datetime) -> bool:
    """Finish a mock whose time ran out; True if it is (now) finished."""
    if mock.finished_at is None and now > deadline(mock) + GRACE:
        finish_mock(session, mock, deadline(mock))
    return mock.finished_at is not None


# -- grading --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Response:
    """What the candidate sent for one question (only the part its kind uses)."""

    choice: str = ""
    typed: str = ""
    self_grade: str = ""  # "knew" or "missed"
    skip: bool = False


def choice_label(choice: Any) -> str:
    if isinstance(choice, dict):
        for key in ("label", "text", "name"):
            if key in choice:
                label = str(choice[key])
                return f"{label} (pid {choice['pid']})" if "pid" in choice else label
        if "pid" in choice:
            return f"pid {choice['pid']}"
    return str(choice)


def choices_of(row: Question) -> list[str]:
    choices = (row.data or {}).get("choices")
    return [choice_label(c) for c in choices] if isinstance(choices, list) else []


def correct_choice(row: Question) -> int | None:
    """The index of the right choice, or None if the data does not say."""
    data = row.data or {}
    choices = data.get("choices")
    if not isinstance(choices, list):
        return None
    correct = data.get("correct")
    if isinstance(correct, int) and not isinstance(correct, bool) and 0 <= correct < len(choices):
        return correct
    for key in ("answer", "victim"):
        wanted = data.get(key)
        if wanted is None:
            continue
        for index, choice in enumerate(choices):
            values = [choice]
            if isinstance(choice, dict):
                values += [choice.get("pid"), choice.get("name"), choice.get("label")]
            if any(v is not None and str(v) == str(wanted) for v in values):
                return index
    return None


def _plain(text: str) -> str:
    return " ".join(text.replace("`", " ").split()).lower()


def _numbers_equal(a: str, b: str) -> bool | None:
    try:
        return float(a.replace(",", "")) == float(b.replace(",", ""))
    except ValueError:
        return None


def grade(row: Question, response: Response) -> dict[str, Any]:
    """Grade one response; the dict is stored in `MockInterview.answers`."""
    if response.skip:
        return {"graded": "skipped", "correct": False, "response": None}
    family = kind_family(row.kind)
    choices = choices_of(row)
    if family == "choice" or (family == "oom" and choices):
        try:
            index = int(response.choice)
        except ValueError:
            raise UserInputError("Choose one of the answers.", field="choice") from None
        if not 0 <= index < len(choices):
            raise UserInputError("Choose one of the answers.", field="choice")
        right = correct_choice(row)
        return {
            "graded": "auto",
            "correct": right is not None and index == right,
            "response": choices[index],
            "choice": index,
        }
    if family in ("typed", "oom"):
        typed = response.typed.strip()
        if not typed:
            raise UserInputError("Type your answer, or skip the question.", field="typed")
        if len(typed) > MAX_RESPONSE_LENGTH:
            raise UserInputError(
                f"Keep the answer under {MAX_RESPONSE_LENGTH} characters.", field="typed"
            )
        if family == "typed":
            result = check_typed_answer(question_to_core(row), typed)
            return {
                "graded": "auto",
                "correct": result.correct,
                "response": typed,
                "expected": result.expected,
            }
        expected = str((row.data or {}).get("answer", row.answer))
        same = _numbers_equal(typed, _plain(expected))
        return {
            "graded": "auto",
            "correct": same if same is not None else _plain(typed) == _plain(expected),
            "response": typed,
            "expected": expected,
        }
    if response.self_grade not in ("knew", "missed"):
        raise UserInputError(
            "Say whether you knew the answer: “I knew it” or “I missed it”.", field="self_grade"
        )
    typed = response.typed.strip()[:MAX_RESPONSE_LENGTH]
    return {"graded": "self", "correct": response.self_grade == "knew", "response": typed or None}


def answer_question(
    session: Session, mock: MockInterview, question_id: str, response: Response, now: datetime
) -> bool:
    """Record the answer to the current question; False if it no longer counts.

    A resubmitted answer (double click, back button) and an answer after the time
    limit are not recorded; the mock is finished when the last question is
    answered or the time is up.
    """
    if expire_if_due(session, mock, now):
        return False
    if question_id not in mock.question_ids or question_id in mock.answers:
        return False
    row = session.get(Question, question_id)
    if row is None:
        raise UserInputError("That question no longer exists.")
    graded = grade(row, response)
    graded["answered_at"] = now.isoformat()
    mock.answers = {**mock.answers, question_id: graded}
    if next_question_id(mock) is None:
        finish_mock(session, mock, now)
    return True


def finish_mock(session: Session, mock: MockInterview, now: datetime) -> None:
    """Close the mock and compute its score (unanswered questions count as wrong)."""
    if mock.finished_at is not None:
        return
    categories = _categories_of(session, mock)
    by_category: dict[str, dict[str, int]] = {}
    correct_total = 0
    for qid in mock.question_ids:
        answer = mock.answers.get(qid)
        correct = bool(answer and answer.get("correct"))
        correct_total += correct
        key = categories.get(qid) or "other"
        bucket = by_category.setdefault(key, {"correct": 0, "total": 0})
        bucket["total"] += 1
        bucket["correct"] += correct
    mock.by_category = by_category
    mock.score = correct_total / len(mock.question_ids) if mock.question_ids else 0.0
    mock.finished_at = now


def _categories_of(session: Session, mock: MockInterview) -> dict[str, str]:
    rows = session.execute(
        select(Question.id, Question.category).where(Question.id.in_(mock.question_ids))
    )
    return dict(rows.all())


def finish(session: Session, mock: MockInterview, now: datetime) -> None:
    """Finish early, from the page's "Finish now" button."""
    if not expire_if_due(session, mock, now):
        finish_mock(session, mock, now)


# -- the report ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReportItem:
    number: int
    question: Question
    family: str
    answer: dict[str, Any] | None
    correct: bool
    right_answer: str


@dataclass(frozen=True, slots=True)
class CategoryScore:
    slug: str
    title: str
    correct: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.correct / self.total) if self.total else 0


@dataclass(frozen=True, slots=True)
class Report:
    mock: MockInterview
    items: list[ReportItem]
    categories: list[CategoryScore]
    correct: int
    total: int
    duration: timedelta

    @property
    def percent(self) -> int:
        return round(100 * self.correct / self.total) if self.total else 0


def _right_answer(row: Question) -> str:
    index = correct_choice(row)
    choices = choices_of(row)
    if index is not None and choices:
        return choices[index]
    return row.answer


def report(session: Session, mock: MockInterview) -> Report:
    rows = {
        q.id: q for q in session.scalars(select(Question).where(Question.id.in_(mock.question_ids)))
    }
    titles = category_titles(session)
    items = []
    for number, qid in enumerate(mock.question_ids, start=1):
        row = rows.get(qid)
        if row is None:
            continue
        answer = mock.answers.get(qid)
        items.append(
            ReportItem(
                number=number,
                question=row,
                family=kind_family(row.kind),
                answer=answer,
                correct=bool(answer and answer.get("correct")),
                right_answer=_right_answer(row),
            )
        )
    categories = [
        CategoryScore(slug, titles.get(slug, slug), score["correct"], score["total"])
        for slug, score in sorted(mock.by_category.items())
    ]
    finished = mock.finished_at or mock.started_at
    return Report(
        mock=mock,
        items=items,
        categories=categories,
        correct=sum(s.correct for s in categories),
        total=len(mock.question_ids),
        duration=max(timedelta(0), finished - mock.started_at),
    )

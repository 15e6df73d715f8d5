import random
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from quizapp.core.errors import UserInputError
from quizapp.data.models import CardState, MockInterview, Question, ReviewLog, User
from quizapp.services import mock as mocks
from quizapp.services.mock import Response
from tests.factories import T0, make_user
from tests.mock_factories import add_mock_questions, make_question


@pytest.fixture
def user(session: Session) -> User:
    return make_user(session)


@pytest.fixture
def questions(session: Session) -> dict[str, Question]:
    return add_mock_questions(session)


def _start(
    session: Session,
    user: User,
    count: int = 7,
    categories: tuple[str, ...] = ("memory", "processes"),
    minutes: int = 10,
) -> MockInterview:
    return mocks.start_mock(
        session,
        user,
        categories=list(categories),
        count=count,
        minutes=minutes,
        now=T0,
        rng=random.Random(7),
    )


def test_category_options_count_only_askable_questions(
    session: Session, questions: dict[str, Question]
) -> None:
    options = mocks.category_options(session)
    assert [(o.slug, o.title, o.count) for o in options] == [
        ("memory", "Memory", 5),
        ("processes", "Processes", 2),
    ]


def test_start_picks_from_the_chosen_categories_only(
    session: Session, user: User, questions: dict[str, Question]
) -> None:
    mock = _start(session, user, count=10, categories=("processes",))
    assert sorted(mock.question_ids) == ["proc-mc", "proc-recall"]
    assert mock.categories == ["processes"]
    assert mock.time_limit_seconds == 600
    assert mock.finished_at is None


def test_start_never_picks_retired_or_unasked_kinds(
    session: Session, user: User, questions: dict[str, Question]
) -> None:
    mock = _start(session, user, count=50)
    assert len(mock.question_ids) == 7
    assert "mem-retired" not in mock.question_ids and "mem-cloze" not in mock.question_ids


def test_choose_mixed_spreads_over_categories_and_kinds() -> None:
    candidates = [(f"a{i}", "a", "multiple_choice") for i in range(20)]
    candidates += [(f"b{i}", "b", "interview") for i in range(20)]
    candidates += [(f"c{i}", "a", "purpose_command") for i in range(20)]
    chosen = mocks.choose_mixed(candidates, 6, random.Random(1))
    assert len(chosen) == len(set(chosen)) == 6
    assert sum(q.startswith("a") for q in chosen) == 2
    assert sum(q.startswith("b") for q in chosen) == 2
    assert sum(q.startswith("c") for q in chosen) == 2


def test_choose_mixed_is_deterministic_for_a_seed() -> None:
    candidates = [(f"q{i}", "x" if i % 2 else "y", "interview") for i in range(30)]
    assert mocks.choose_mixed(candidates, 5, random.Random(3)) == mocks.choose_mixed(
        candidates, 5, random.Random(3)
    )


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"categories": []}, "categories"),
        ({"categories": ["nope"]}, "categories"),
        ({"count": 0}, "count"),
        ({"count": 51}, "count"),
        ({"minutes": 0}, "minutes"),
        ({"minutes": 181}, "minutes"),
    ],
)
def test_start_rejects_bad_requests(
    session: Session,
    user: User,
    questions: dict[str, Question],
    kwargs: dict[str, object],
    field: str,
) -> None:
    values: dict[str, object] = {"categories": ["memory"], "count": 5, "minutes": 10}
    values.update(kwargs)
    with pytest.raises(UserInputError) as error:
        mocks.start_mock(session, user, now=T0, rng=random.Random(1), **values)  # type: ignore[arg-type]
    assert error.value.field == field


@pytest.mark.parametrize(
    ("key", "response", "correct"),
    [
        ("mc", Response(choice="1"), True),
        ("mc", Response(choice="0"), False),
        ("typed", Response(typed="free -h"), True),
        ("typed", Response(typed="free  --human"), True),
        ("typed", Response(typed="free -m"), False),
        ("oom", Response(choice="1"), True),
        ("oom", Response(choice="0"), False),
        ("oom_typed", Response(typed=" 667 "), True),
        ("oom_typed", Response(typed="667.0"), True),
        ("oom_typed", Response(typed="666"), False),
        ("recall", Response(self_grade="knew"), True),
        ("recall", Response(self_grade="missed", typed="no idea"), False),
        ("mc", Response(skip=True), False),
    ],
)
def test_grading(
    questions: dict[str, Question], key: str, response: Response, correct: bool
) -> None:
    assert mocks.grade(questions[key], response)["correct"] is correct


@pytest.mark.parametrize(
    ("key", "response", "field"),
    [
        ("mc", Response(choice=""), "choice"),
        ("mc", Response(choice="3"), "choice"),
        ("mc", Response(choice="-1"), "choice"),
        ("mc", Response(choice="1.0"), "choice"),
        ("oom", Response(typed="java"), "choice"),
        ("typed", Response(typed="   "), "typed"),
        ("typed", Response(typed="x" * 2001), "typed"),
        ("oom_typed", Response(), "typed"),
        ("recall", Response(self_grade="maybe"), "self_grade"),
    ],
)
def test_grading_rejects_unusable_responses(
    questions: dict[str, Question], key: str, response: Response, field: str
) -> None:
    with pytest.raises(UserInputError) as error:
        mocks.grade(questions[key], response)
    assert error.value.field == field


def test_oom_choice_index_from_data_correct_or_answer(session: Session) -> None:
    by_index = make_question(
        session, "o1", "oom_victim", data={"choices": ["a", "b"], "correct": 0}
    )
    by_pid = make_question(
        session,
        "o2",
        "oom_victim",
        data={"choices": [{"pid": 1, "name": "a"}, {"pid": 2, "name": "b"}], "victim": 2},
    )
    unknown = make_question(session, "o3", "oom_victim", data={"choices": ["a", "b"]})
    assert mocks.correct_choice(by_index) == 0
    assert mocks.correct_choice(by_pid) == 1
    assert mocks.choices_of(by_pid) == ["a (pid 1)", "b (pid 2)"]
    assert mocks.correct_choice(unknown) is None
    assert mocks.grade(unknown, Response(choice="0"))["correct"] is False


def _answer_all(
    session: Session, mock: MockInterview, questions: dict[str, Question], right: set[str]
) -> None:
    by_id = {q.id: key for key, q in questions.items()}
    good = {
        "mc": Response(choice="1"),
        "typed": Response(typed="free -h"),
        "oom": Response(choice="1"),
        "oom_typed": Response(typed="667"),
        "recall": Response(self_grade="knew"),
        "proc_mc": Response(choice="1"),
        "proc_recall": Response(self_grade="knew"),
    }
    bad = {
        "mc": Response(choice="0"),
        "typed": Response(typed="top"),
        "oom": Response(choice="0"),
        "oom_typed": Response(typed="1"),
        "recall": Response(self_grade="missed"),
        "proc_mc": Response(choice="0"),
        "proc_recall": Response(self_grade="missed"),
    }
    for minute, qid in enumerate(list(mock.question_ids)):
        key = by_id[qid]
        assert mocks.next_question_id(mock) == qid
        response = good[key] if key in right else bad[key]
        assert mocks.answer_question(session, mock, qid, response, T0 + timedelta(minutes=minute))


def test_a_full_mock_is_scored_by_category(
    session: Session, user: User, questions: dict[str, Question]
) -> None:
    mock = _start(session, user)
    _answer_all(session, mock, questions, right={"mc", "typed", "oom", "proc_recall"})
    assert mock.finished_at == T0 + timedelta(minutes=6)
    assert mock.score == pytest.approx(4 / 7)
    assert mock.by_category == {
        "memory": {"correct": 3, "total": 5},
        "processes": {"correct": 1, "total": 2},
    }
    report = mocks.report(session, mock)
    assert (report.correct, report.total, report.percent) == (4, 7, 57)
    assert [(c.slug, c.percent) for c in report.categories] == [("memory", 60), ("processes", 50)]
    assert report.duration == timedelta(minutes=6)
    assert {i.question.id: i.right_answer for i in report.items}["mem-oom"] == "java (pid 300)"
    assert mocks.history(session, user.id) == [mock]


def test_a_mock_never_touches_the_schedule(
    session: Session, user: User, questions: dict[str, Question]
) -> None:
    mock = _start(session, user)
    _answer_all(session, mock, questions, right=set(questions))
    assert mock.score == 1.0
    assert session.scalar(select(func.count()).select_from(CardState)) == 0
    assert session.scalar(select(func.count()).select_from(ReviewLog)) == 0


def test_an_answer_is_recorded_once(
    session: Session, user: User, questions: dict[str, Question]
) -> None:
    mock = _start(session, user)
    first = mock.question_ids[0]
    key = {q.id: k for k, q in questions.items()}[first]
    response = {
        "mc": Response(choice="1"),
        "proc_mc": Response(choice="1"),
        "oom": Response(choice="1"),
        "typed": Response(typed="free -h"),
        "oom_typed": Response(typed="667"),
        "recall": Response(self_grade="knew"),
        "proc_recall": Response(self_grade="knew"),
    }[key]
    assert mocks.answer_question(session, mock, first, response, T0)
    stored = dict(mock.answers)
    assert not mocks.answer_question(session, mock, first, Response(skip=True), T0)
    assert mock.answers == stored
    assert not mocks.answer_question(session, mock, "not-in-this-mock", Response(skip=True), T0)


def test_time_limit(session: Session, user: User, questions: dict[str, Question]) -> None:
    mock = _start(session, user, minutes=1)
    first = mock.question_ids[0]
    assert mocks.seconds_left(mock, T0 + timedelta(seconds=20)) == 40
    assert mocks.answer_question(
        session, mock, first, Response(skip=True), T0 + timedelta(seconds=65)
    )  # grace
    late = T0 + timedelta(seconds=60) + mocks.GRACE + timedelta(seconds=1)
    assert not mocks.answer_question(session, mock, mock.question_ids[1], Response(skip=True), late)
    assert mock.finished_at == mocks.deadline(mock)
    assert mock.score == 0.0
    assert sum(v["total"] for v in mock.by_category.values()) == 7


def test_finish_early_counts_unanswered_as_wrong(
    session: Session, user: User, questions: dict[str, Question]
) -> None:
    mock = _start(session, user)
    mocks.finish(session, mock, T0 + timedelta(minutes=2))
    assert mock.finished_at == T0 + timedelta(minutes=2)
    assert mock.score == 0.0
    assert mocks.in_progress(session, user) is None


def test_get_mock_hides_other_users_mocks(
    session: Session, user: User, questions: dict[str, Question]
) -> None:
    other = make_user(session, "other@example.com")
    mock = _start(session, user)
    assert mocks.get_mock(session, user, mock.id) is mock
    assert mocks.get_mock(session, other, mock.id) is None

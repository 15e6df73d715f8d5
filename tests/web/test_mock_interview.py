import re
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from quizapp import database
from quizapp.data.models import CardState, MockInterview, Question, ReviewLog
from tests.conftest import AuthActions
from tests.factories import DEFAULT_PASSWORD, make_user
from tests.mock_factories import add_mock_questions

START = {"categories": ["memory", "processes"], "count": "7", "minutes": "10"}
# The right answer for each question id, as the form sends it.
RIGHT = {
    "mem-mc": {"choice": "1"},
    "mem-typed": {"typed": "free -h"},
    "mem-oom": {"choice": "1"},
    "mem-oom-score": {"typed": "667"},
    "mem-recall": {"self_grade": "knew"},
    "proc-mc": {"choice": "1"},
    "proc-recall": {"self_grade": "knew"},
}


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock(app: Flask) -> Clock:
    clock = Clock()
    app.config["CLOCK"] = clock
    return clock


@pytest.fixture
def candidate(app: Flask, client: FlaskClient, auth: AuthActions) -> FlaskClient:
    with app.app_context():
        make_user(database.get_session())
        add_mock_questions(database.get_session())
        database.get_session().commit()
    auth.login()
    return client


def _current_question(client: FlaskClient, mock_id: int) -> str:
    page = client.get(f"/mock/{mock_id}").get_data(as_text=True)
    match = re.search(r'name="question_id" type="hidden" value="([^"]+)"', page)
    assert match, page
    return match.group(1)


def _start(client: FlaskClient, data: dict[str, object] = START) -> int:
    response = client.post("/mock/", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    match = re.fullmatch(r"/mock/(\d+)", response.headers["Location"])
    assert match
    return int(match.group(1))


def _mock(app: Flask, mock_id: int) -> MockInterview:
    with app.app_context():
        found = database.get_session().get(MockInterview, mock_id)
        assert found is not None
        return found


def test_mock_needs_login(client: FlaskClient) -> None:
    assert client.get("/mock/").status_code == 302
    assert client.get("/mock/").headers["Location"].startswith("/login")


def test_index_lists_categories_and_says_the_schedule_is_untouched(candidate: FlaskClient) -> None:
    page = candidate.get("/mock/").get_data(as_text=True)
    assert "Memory (5)" in page and "Processes (2)" in page
    assert "do not change your spaced-repetition" in page
    assert "None yet." in page


def test_index_without_questions_explains_why(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    with app.app_context():
        make_user(database.get_session())
        database.get_session().commit()
    auth.login()
    page = client.get("/mock/").get_data(as_text=True)
    assert "quizapp build" in page


def test_a_whole_mock_interview(app: Flask, candidate: FlaskClient, clock: Clock) -> None:
    mock_id = _start(candidate)
    wrong = {"mem-typed", "proc-mc"}
    for number in range(1, 8):
        qid = _current_question(candidate, mock_id)
        page = candidate.get(f"/mock/{mock_id}").get_data(as_text=True)
        assert f"Question <strong>{number}</strong> of 7" in page
        answer = dict(RIGHT[qid])
        if qid in wrong:
            answer = {"typed": "top"} if "typed" in answer else {"choice": "0"}
        clock.now += timedelta(seconds=30)
        response = candidate.post(f"/mock/{mock_id}/answer", data={"question_id": qid, **answer})
        assert response.status_code == 302
    assert response.headers["Location"] == f"/mock/{mock_id}/report"
    report = candidate.get(f"/mock/{mock_id}/report").get_data(as_text=True)
    assert "71%" in report  # 5 of 7
    assert "5 of 7 correct in 3 min 30 s" in report
    assert re.search(r"<td>Memory</td>\s*<td>4 / 5</td>", report)
    assert re.search(r"<td>Processes</td>\s*<td>1 / 2</td>", report)
    assert "java (pid 300)" in report
    assert "schedule is unchanged" in report
    mock = _mock(app, mock_id)
    assert mock.score == pytest.approx(5 / 7)
    with app.app_context():
        db = database.get_session()
        assert db.scalar(select(func.count()).select_from(ReviewLog)) == 0
        assert db.scalar(select(func.count()).select_from(CardState)) == 0
    # The question page now leads to the report; the history lists it.
    assert candidate.get(f"/mock/{mock_id}").headers["Location"] == f"/mock/{mock_id}/report"
    index = candidate.get("/mock/").get_data(as_text=True)
    assert f"/mock/{mock_id}/report" in index and "71%" in index


def test_question_page_renders_each_kind(candidate: FlaskClient) -> None:
    mock_id = _start(candidate)
    seen = set()
    for _ in range(7):
        qid = _current_question(candidate, mock_id)
        page = candidate.get(f"/mock/{mock_id}").get_data(as_text=True)
        if qid in ("mem-mc", "proc-mc", "mem-oom"):
            assert 'type="radio" name="choice"' in page
        if qid == "mem-oom":
            assert "<td>java</td>" in page and "CONSTRAINT_NONE" in page
        if qid in ("mem-typed", "mem-oom-score"):
            assert 'name="typed"' in page and 'spellcheck="false"' in page
        if qid in ("mem-recall", "proc-recall"):
            assert "Show the model answer" in page and 'value="knew"' in page
        if qid == "mem-typed":
            assert "<strong>free</strong>" in page  # Markdown rendered
        assert "style=" not in page
        assert not re.search(r"<script(?![^>]*\bsrc=)", page)
        assert "js/mock.js" in page and "data-seconds-left=" in page
        seen.add(qid)
        candidate.post(f"/mock/{mock_id}/answer", data={"question_id": qid, "skip": "1"})
    assert seen == set(RIGHT)


def test_questions_show_the_html_the_build_stored(app: Flask, candidate: FlaskClient) -> None:
    with app.app_context():
        session = database.get_session()
        for question in session.scalars(select(Question)):
            question.prompt_html = f"<p>stored prompt of {question.id}</p>"
        session.commit()
    mock_id = _start(candidate)
    qid = _current_question(candidate, mock_id)
    page = candidate.get(f"/mock/{mock_id}").get_data(as_text=True)
    assert f"<p>stored prompt of {qid}</p>" in page


def test_a_bad_answer_shows_an_error_next_to_it(candidate: FlaskClient) -> None:
    mock_id = _start(candidate, {**START, "categories": ["processes"], "count": "2"})
    qid = _current_question(candidate, mock_id)
    data = (
        {"question_id": qid, "choice": "7"}
        if qid == "proc-mc"
        else {"question_id": qid, "self_grade": "maybe"}
    )
    response = candidate.post(f"/mock/{mock_id}/answer", data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert re.search(r'class="field-error" id="(choice|self_grade)-error"><li>', page)
    assert _current_question(candidate, mock_id) == qid  # nothing recorded


def test_double_submit_is_recorded_once(app: Flask, candidate: FlaskClient) -> None:
    mock_id = _start(candidate)
    qid = _current_question(candidate, mock_id)
    candidate.post(f"/mock/{mock_id}/answer", data={"question_id": qid, **RIGHT[qid]})
    again = candidate.post(f"/mock/{mock_id}/answer", data={"question_id": qid, "skip": "1"})
    assert again.status_code == 302
    assert _mock(app, mock_id).answers[qid]["correct"] is True


def test_time_limit_is_enforced_by_the_server(
    app: Flask, candidate: FlaskClient, clock: Clock
) -> None:
    mock_id = _start(candidate, {**START, "minutes": "1"})
    qid = _current_question(candidate, mock_id)
    clock.now += timedelta(minutes=5)
    response = candidate.post(f"/mock/{mock_id}/answer", data={"question_id": qid, **RIGHT[qid]})
    assert response.headers["Location"] == f"/mock/{mock_id}/report"
    report = candidate.get(f"/mock/{mock_id}/report").get_data(as_text=True)
    assert "not counted" in report
    mock = _mock(app, mock_id)
    assert mock.answers == {} and mock.score == 0.0


def test_finish_now(app: Flask, candidate: FlaskClient) -> None:
    mock_id = _start(candidate)
    assert candidate.get(f"/mock/{mock_id}/report").headers["Location"] == f"/mock/{mock_id}"
    assert (
        candidate.post(f"/mock/{mock_id}/finish").headers["Location"] == f"/mock/{mock_id}/report"
    )
    assert "0 of 7 correct" in candidate.get(f"/mock/{mock_id}/report").get_data(as_text=True)


def test_an_unfinished_mock_can_be_resumed(candidate: FlaskClient) -> None:
    mock_id = _start(candidate)
    page = candidate.get("/mock/").get_data(as_text=True)
    assert "In progress" in page and f'href="/mock/{mock_id}"' in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"categories": []}, "categories", "at least one category"),
        ({"categories": ["../etc"]}, "categories", "not a valid choice"),
        ({"count": "0"}, "count", "between 1 and 50"),
        ({"count": "lots"}, "count", "integer"),
        ({"minutes": "500"}, "minutes", "between 1 and 180"),
        ({"minutes": ""}, "minutes", "time limit"),
    ],
)
def test_start_form_errors_name_the_field(
    candidate: FlaskClient, changes: dict[str, object], field: str, message: str
) -> None:
    response = candidate.post("/mock/", data={**START, **changes})
    assert response.status_code == 422
    match = re.search(rf'id="{field}-error">(.*?)</ul>', response.get_data(as_text=True), re.S)
    assert match and message in match.group(1)


def test_other_users_mocks_are_not_found(app: Flask, candidate: FlaskClient) -> None:
    mock_id = _start(candidate)
    with app.app_context():
        make_user(database.get_session(), "other@example.com")
        database.get_session().commit()
    other = app.test_client()
    AuthActions(other).login(email="other@example.com")
    assert other.get(f"/mock/{mock_id}").status_code == 404
    assert other.get(f"/mock/{mock_id}/report").status_code == 404
    assert (
        other.post(
            f"/mock/{mock_id}/answer", data={"question_id": "mem-mc", "choice": "1"}
        ).status_code
        == 404
    )
    assert other.post(f"/mock/{mock_id}/finish").status_code == 404
    assert candidate.get("/mock/999999").status_code == 404


def _scrape(client: FlaskClient, path: str) -> str:
    page = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'name="csrf_token" value="([^"]+)"', page
    )
    assert match, page
    return match.group(1)


def test_every_mock_form_works_with_csrf(app: Flask, candidate: FlaskClient) -> None:
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    token = _scrape(client, "/login")
    client.post(
        "/login",
        data={"email": "candidate@example.com", "password": DEFAULT_PASSWORD, "csrf_token": token},
    )
    assert client.post("/mock/", data=START).status_code == 400
    token = _scrape(client, "/mock/")
    response = client.post("/mock/", data={**START, "csrf_token": token})
    assert response.status_code == 302
    mock_id = int(response.headers["Location"].rsplit("/", 1)[1])
    qid = _current_question(client, mock_id)
    assert (
        client.post(f"/mock/{mock_id}/answer", data={"question_id": qid, **RIGHT[qid]}).status_code
        == 400
    )
    token = _scrape(client, f"/mock/{mock_id}")
    answered = client.post(
        f"/mock/{mock_id}/answer", data={"question_id": qid, **RIGHT[qid], "csrf_token": token}
    )
    assert answered.status_code == 302
    assert client.post(f"/mock/{mock_id}/finish").status_code == 400
    finished = client.post(f"/mock/{mock_id}/finish", data={"csrf_token": token})
    assert finished.headers["Location"] == f"/mock/{mock_id}/report"
    assert "1 of 7 correct" in client.get(f"/mock/{mock_id}/report").get_data(as_text=True)


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"question_id": "", "choice": "\x00"},
        {"question_id": "mem-mc", "choice": "99999999999999999999"},
        {"question_id": "x" * 5000, "typed": "y" * 100_000},
        {"question_id": ["a", "b"], "self_grade": ["knew", "missed"]},
        {"question_id": "mem-typed", "typed": "'unbalanced \"quotes"},
    ],
)
def test_no_500_for_odd_answers(candidate: FlaskClient, data: dict[str, object]) -> None:
    mock_id = _start(candidate)
    assert candidate.post(f"/mock/{mock_id}/answer", data=data).status_code < 500
    qid = _current_question(candidate, mock_id)
    assert (
        candidate.post(f"/mock/{mock_id}/answer", data={**data, "question_id": qid}).status_code
        < 500
    )


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"count": "1e9", "minutes": "-0"},
        {"categories": "\x00", "count": "99999999999999999999999"},
    ],
)
def test_no_500_for_odd_start_requests(candidate: FlaskClient, data: dict[str, object]) -> None:
    assert candidate.post("/mock/", data=data).status_code < 500


def test_nav_links_to_mock(candidate: FlaskClient) -> None:
    assert 'href="/mock/"' in candidate.get("/").get_data(as_text=True)

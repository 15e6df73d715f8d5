import http.client
import random
import re
import threading
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select
from werkzeug.serving import make_server

from quizapp import database
from quizapp.core.compiler.render import Renderer
from quizapp.core.oom.questions import practice_question
from quizapp.data.models import Bank, CardState, Question, ReviewLog, User
from quizapp.services.build import question_row
from quizapp.services.progress import Accuracy, simulator_accuracy
from tests.study_data import T_BUILD, add_question, small_content

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


class Clock:
    def __init__(self, now):
        self.now = now

    def __call__(self):
        return self.now


@pytest.fixture
def clock(app):
    clock = Clock(NOW)
    app.config["CLOCK"] = clock
    return clock


@pytest.fixture
def content(app):
    with app.app_context():
        session = database.get_session()
        banks = small_content(session)
        oom = Bank(slug="oom-scenarios", title="OOM scenarios")
        session.add(oom)
        session.flush()
        add_question(
            session,
            oom,
            "oom/victim-1",
            kind="oom_victim",
            category="memory",
            entry_slug="oom-killer",
            prompt="The machine ran out of memory. Which process does the kernel kill?",
            answer="**java** (pid 200)",
            data={
                "tier": "easy",
                "machine": {"memory": "4 GiB", "swap": "0"},
                "sysctls": {"vm.overcommit_memory": 0, "vm.panic_on_oom": 0},
                "processes": [
                    {"pid": 100, "name": "sshd", "rss": "8 MiB", "oom_score_adj": -1000},
                    {"pid": 200, "name": "java", "rss": "3 GiB", "oom_score_adj": 0},
                ],
                "choices": ["sshd (100)", "java (200)"],
                "correct": 1,
                "scores": [
                    {"pid": 100, "name": "sshd", "points": 0},
                    {"pid": 200, "name": "java", "points": 786432},
                ],
                "explanation": "sshd has oom_score_adj -1000, so it is never chosen.",
            },
        )
        add_question(
            session,
            banks["memory"],
            "swap/cloze",
            kind="cloze",
            entry_slug="swap",
            prompt="**Swap**: fill in the blanks.\n\nSwap moves [...] pages to disk.",
            answer="Swap moves **anonymous** pages to disk.",
        )
        session.commit()


@pytest.fixture
def candidate(client, auth, content, clock):
    auth.register()
    return client


def study(client, **selection):
    response = client.post("/study/selection", data=selection)
    assert response.status_code == 302


def fields(html):
    return dict(re.findall(r'name="(card|token|reps|shown_at)" value="([^"]*)"', html))


def show(client, url="/study/review"):
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def reveal(client, html, **extra):
    response = client.post("/study/reveal", data={**fields(html), **extra})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def grade(client, html, rating=3, **extra):
    return client.post("/study/answer", data={**fields(html), "rating": rating, **extra})


def logs(app):
    with app.app_context():
        return database.get_session().scalar(select(func.count(ReviewLog.id)))


def test_study_pages_need_a_login(client):
    response = client.get("/study/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.post("/study/answer").status_code == 302


def test_index_shows_counts_and_the_choices(candidate):
    html = show(candidate, "/study/")
    assert "What to study" in html
    for label in ("Memory", "Processes", "OOM scenarios", "Multiple choice", "Beginner"):
        assert label in html
    study(candidate, banks=["kb-processes"])
    html = show(candidate, "/study/")
    assert re.search(r'class="count-new">6<', html)
    assert 'value="kb-processes" checked' in html


def test_unknown_choice_is_reported_not_a_500(candidate):
    response = candidate.post("/study/selection", data={"kinds": ["nope"]}, follow_redirects=True)
    assert response.status_code == 200 and "Unknown choice: nope" in response.get_data(True)


def test_review_flow_prompt_reveal_grade(app, candidate):
    study(candidate, banks=["kb-processes"])
    html = show(candidate)
    assert "Show answer" in html and "Prompt of proc-" in html
    assert 'href="/kb/proc-' in html
    answer_side = reveal(candidate, html)
    assert "Answer of proc-" in answer_side
    for label, interval in (("Again", "1m"), ("Hard", "6m"), ("Good", "10m")):
        assert re.search(rf">{interval}</span>\s*<span class=\"grade-label\">{label}", answer_side)
    response = grade(candidate, answer_side, 3)
    assert response.status_code == 302 and response.headers["Location"].endswith("/study/review")
    assert logs(app) == 1
    assert re.search(r'count-new current" title="New">5<', show(candidate))


def test_double_submit_records_once(app, candidate):
    study(candidate, banks=["kb-processes"])
    answer_side = reveal(candidate, show(candidate))
    assert grade(candidate, answer_side).status_code == 302
    assert grade(candidate, answer_side).status_code == 302
    assert logs(app) == 1


def test_simultaneous_submits_of_one_answer_record_it_once(app, candidate):
    """A double click or a resubmit racing the first: the same form, four times at once,
    through a threaded server, each request on its own connection."""
    study(candidate, banks=["kb-processes"])
    page = candidate.get("/study/review")
    form = urlencode({**fields(page.get_data(as_text=True)), "rating": "3"})
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"session={candidate.get_cookie('session').value}",
        # Flask-Login's session protection ties the session to the browser's agent.
        "User-Agent": page.request.headers["User-Agent"],
    }
    server = make_server("127.0.0.1", 0, app, threaded=True)
    serving = threading.Thread(target=server.serve_forever, daemon=True)
    serving.start()
    start, statuses = threading.Barrier(4), []

    def submit():
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        start.wait()
        connection.request("POST", "/study/answer", form, headers)
        response = connection.getresponse()
        statuses.append((response.status, response.getheader("Location")))
        connection.close()

    submitters = [threading.Thread(target=submit) for _ in range(4)]
    try:
        for thread in submitters:
            thread.start()
        for thread in submitters:
            thread.join(timeout=60)
    finally:
        server.shutdown()
        serving.join(timeout=5)
    assert [status for status, _ in statuses] == [302] * 4
    assert all(location.endswith("/study/review") for _, location in statuses)
    assert logs(app) == 1
    with app.app_context():
        card = database.get_session().get(
            CardState, int(dict(fields(page.get_data(as_text=True)))["card"])
        )
        assert card.reps == 1


def test_second_tab_gets_a_message(app, candidate):
    study(candidate, banks=["kb-processes"])
    tab_one, tab_two = show(candidate), show(candidate)
    grade(candidate, reveal(candidate, tab_one))
    response = grade(candidate, tab_two, 1)
    assert logs(app) == 1
    follow = show(candidate)
    assert "already answered (in another tab or window)" in follow
    assert response.status_code == 302


def test_undo_shows_the_card_again(app, candidate):
    study(candidate, banks=["kb-processes"])
    first = show(candidate)
    grade(candidate, reveal(candidate, first), 4)
    response = candidate.post("/study/undo")
    assert response.status_code == 302
    again = show(candidate, response.headers["Location"])
    assert fields(again)["card"] == fields(first)["card"]
    assert "Undone" in again
    with app.app_context():
        assert database.get_session().scalar(select(ReviewLog.undone))


def test_bury_and_suspend(app, candidate, clock):
    study(candidate, banks=["kb-processes"])
    first = fields(show(candidate))["card"]
    candidate.post("/study/bury", data={"card": first})
    second = fields(show(candidate))["card"]
    assert second != first
    candidate.post("/study/suspend", data={"card": second})
    html = show(candidate, "/study/")
    assert re.search(r'class="count-new">4<', html) and "Suspended cards" in html
    candidate.post("/study/suspend", data={"card": second, "unsuspend": "1"})
    clock.now = NOW + timedelta(days=1)
    assert re.search(r'class="count-new">6<', show(candidate, "/study/"))


def test_typed_answer_shows_what_differed(app, candidate):
    study(candidate, kinds=["purpose_command"])
    html = show(candidate)
    assert 'name="typed"' in html and "Check" in html
    wrong = reveal(candidate, html, typed="free -x")
    assert "Not quite" in wrong and 'class="diff-wrong"' in wrong
    assert re.search(r"grade grade-again suggested", wrong)
    right = reveal(candidate, html, typed="free --human")
    assert "Correct" in right
    grade(candidate, right, 3, typed="free --human")
    with app.app_context():
        log = database.get_session().scalar(select(ReviewLog))
        assert (log.typed_answer, log.correct) == ("free --human", True)


def test_multiple_choice_by_number(app, candidate):
    study(candidate, kinds=["multiple_choice"])
    html = show(candidate)
    assert 'data-choice="1"' in html and 'data-choice="3"' in html
    answer_side = reveal(candidate, html, choice="2")
    assert "choice-wrong" in answer_side and "choice-right" in answer_side
    grade(candidate, answer_side, 1, choice="2")
    with app.app_context():
        assert database.get_session().scalar(select(ReviewLog.correct)) is False


def test_oom_card_shows_the_table_then_the_kernels_choice(app, candidate):
    study(candidate, banks=["oom-scenarios"])
    html = show(candidate)
    assert "Processes" in html and "oom_score_adj" in html and "vm.overcommit_memory" in html
    assert "786432" not in html  # the scores come with the answer
    answer_side = reveal(candidate, html, choice="1")
    assert "the kernel's choice" in answer_side and "786432" in answer_side
    assert "never chosen" in answer_side and "Right." in answer_side


def test_cloze_shows_the_blank_then_the_filled_text(candidate):
    study(candidate, kinds=["cloze"])
    html = show(candidate)
    # A self-graded card brings its answer side, hidden (study.js shows it on Space).
    question_side, hidden_answer = html.split("<div data-answer-side hidden>")
    assert "[...]" in question_side and "anonymous" not in question_side
    assert "<strong>anonymous</strong>" in hidden_answer and 'data-rating="3"' in hidden_answer
    assert "<strong>anonymous</strong>" in reveal(candidate, html)  # and without JavaScript


def test_the_review_screen_shows_the_html_the_build_stored(app, candidate):
    # The cloze question above has none (as after migration 0007): rendered when shown.
    with app.app_context():
        session = database.get_session()
        question = session.get(Question, "swap/cloze")
        question.prompt_html = "<p>stored <em>prompt</em></p>"
        question.answer_html = "<p>stored <em>answer</em></p>"
        session.commit()
    study(candidate, kinds=["cloze"])
    html = show(candidate)
    question_side, hidden_answer = html.split("<div data-answer-side hidden>")
    assert "<p>stored <em>prompt</em></p>" in question_side and "[...]" not in question_side
    assert "<p>stored <em>answer</em></p>" in hidden_answer
    assert "anonymous" not in html
    assert "<p>stored <em>answer</em></p>" in reveal(candidate, html)


def test_done_screen_when_nothing_is_left(app, candidate):
    study(candidate, banks=["kb-processes"])
    with app.app_context():
        session = database.get_session()
        user = session.scalar(select(User))
        user.new_per_day = 1
        session.commit()
    grade(candidate, reveal(candidate, show(candidate)), 4)
    html = show(candidate)
    assert "Congratulations" in html


def test_no_inline_script_or_style(candidate):
    study(candidate)
    for url in ("/study/", "/study/review"):
        html = show(candidate, url)
        assert "<script>" not in html and "style=" not in html and "<style" not in html
        assert re.search(r"<script src=\"/static/js/study.js\"", html) or url == "/study/"


def test_forged_card_ids_are_refused(app, candidate):
    study(candidate, banks=["kb-processes"])
    html = show(candidate)
    data = {**fields(html), "card": "999999", "rating": "3"}
    assert candidate.post("/study/answer", data=data).status_code == 302
    assert candidate.post("/study/reveal", data=data).status_code == 404
    assert candidate.post("/study/answer", data={"rating": "9"}).status_code == 400
    assert logs(app) == 0
    with app.app_context():
        assert database.get_session().scalar(select(func.count(CardState.id))) == 6


def test_a_simulator_generated_oom_question_renders_and_grades(app, candidate):
    generated = practice_question(random.Random(7), "easy")
    with app.app_context():
        session = database.get_session()
        bank = Bank(slug="oom-practice", title="OOM practice")
        session.add(bank)
        session.flush()
        row = question_row(generated, bank.id, Renderer())
        session.add(Question(**row, created_at=T_BUILD, updated_at=T_BUILD))
        session.commit()
    study(candidate, banks=["oom-practice"])
    html = show(candidate)
    labels = [c["label"] for c in generated.data["choices"]]
    assert all(f"<kbd>{i + 1}</kbd> {label}" in html for i, label in enumerate(labels))
    assert "<table>" in html  # the task table from the scenario's Markdown
    right = generated.data["correct"]
    answer_side = reveal(candidate, html, choice=str(right))
    assert "Right." in answer_side and "the kernel's choice" in answer_side
    assert "oom_score" in answer_side  # the score table in the explanation
    grade(candidate, answer_side, 3, choice=str(right))
    with app.app_context():
        session = database.get_session()
        user = session.scalar(select(User))
        assert simulator_accuracy(session, [user.id])[user.id] == {"easy": Accuracy(1, 1)}

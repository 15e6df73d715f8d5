import re
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from quizapp import database
from quizapp.data.models import User
from tests.study_data import small_content

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def setup(app, client, auth):
    app.config["CLOCK"] = lambda: NOW
    with app.app_context():
        small_content(database.get_session())
        database.get_session().commit()
    auth.register()
    client.post("/study/selection", data={"banks": ["kb-memory"]})


def fields(html):
    return dict(re.findall(r'name="(card|token|reps|shown_at)" value="([^"]*)"', html))


def study_one(client, rating="4"):
    html = client.get("/study/review").get_data(as_text=True)
    shown = fields(html)
    revealed = client.post("/study/reveal", data=shown).get_data(as_text=True)
    assert (
        client.post("/study/answer", data={**fields(revealed), "rating": rating}).status_code == 302
    )


def test_progress_needs_a_login(client):
    assert client.get("/progress/").status_code == 302


def test_progress_page_for_a_new_user(app, client, auth):
    setup(app, client, auth)
    html = client.get("/progress/").get_data(as_text=True)
    assert "Progress" in html and 'data-stat="streak">0<' in html
    assert "Nothing scheduled yet" in html and "Set its date" in html


def test_progress_shows_todays_answers_heatmap_forecast_and_mastery(app, client, auth):
    setup(app, client, auth)
    for _ in range(3):
        study_one(client)
    html = client.get("/progress/").get_data(as_text=True)
    assert 'data-stat="answers-today">3<' in html
    assert 'data-stat="streak">1<' in html
    assert re.search(r'class="heat-1"><title>2026-03-02: 3 answers</title>', html)
    assert "<title>2026-03-02: 0 due</title>" in html  # the three are due in days
    assert re.search(r"<td>9</td><td>0</td><td>3</td>", html)  # new, learning, young
    # Mastery: three of the twelve selected memory questions, each recalled for sure
    # right after an Easy answer, the nine unseen ones counting as 0: 3/12.
    assert re.search(r'<td>Memory</td>\s*<td><meter [^>]*value="0.250"></meter> 25%</td>'
                     r"\s*<td>3 / 12</td>", html)  # fmt: skip
    assert "style=" not in html and "<script>" not in html


def test_interview_date_adds_predicted_recall(app, client, auth):
    setup(app, client, auth)
    study_one(client)
    with app.app_context():
        session = database.get_session()
        user = session.scalar(select(User))
        user.interview_date = date(2026, 5, 1)
        session.commit()
    html = client.get("/progress/").get_data(as_text=True)
    assert "On 2026-05-01" in html


def test_streak_in_the_users_days(app, client, auth):
    setup(app, client, auth)
    study_one(client)
    app.config["CLOCK"] = lambda: NOW + timedelta(days=1)
    study_one(client)
    html = client.get("/progress/").get_data(as_text=True)
    assert 'data-stat="streak">2<' in html

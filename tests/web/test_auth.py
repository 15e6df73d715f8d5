import html
import json
import os
import re
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from quizapp import database
from quizapp.data.models import CardState, MockInterview, ReviewLog, Role, User
from tests.conftest import AuthActions, make_test_app
from tests.factories import DEFAULT_PASSWORD, T0, make_user

GOOD_REGISTRATION = {
    "email": "new@example.com",
    "display_name": "New Person",
    "password": DEFAULT_PASSWORD,
    "confirm": DEFAULT_PASSWORD,
    "timezone": "Europe/Berlin",
}
GOOD_SETTINGS = {
    "display_name": "Casey C.",
    "timezone": "America/New_York",
    "day_rollover_hour": "5",
    "new_per_day": "15",
    "reviews_per_day": "150",
    "desired_retention": "0.85",
    "learning_steps": "1m 10m 1h",
    "relearning_steps": "10m",
    "maximum_interval": "3650",
    "interview_date": "2026-06-01",
}


def csrf_token(client: FlaskClient, path: str) -> str:
    page = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'<meta name="csrf-token" content="([^"]+)"', page
    )
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def field_error(page: str, field_id: str) -> str:
    """The error text shown right under one field (empty if none)."""
    match = re.search(
        rf'<ul class="field-error" id="{re.escape(field_id)}-error">(.*?)</ul>', page, re.S
    )
    return html.unescape(re.sub(r"<[^>]+>", " ", match.group(1))).strip() if match else ""


def user_by_email(app: Flask, email: str) -> User | None:
    with app.app_context():
        return database.get_session().scalar(select(User).where(User.email == email))


@pytest.fixture
def registered(app: Flask) -> User:
    with app.app_context():
        user = make_user(database.get_session())
        database.get_session().commit()
        return user


# -- registration ------------------------------------------------------------------------


def test_register_creates_an_account_and_logs_in(app: Flask, client: FlaskClient) -> None:
    response = client.post("/register", data=GOOD_REGISTRATION)
    assert response.status_code == 302
    user = user_by_email(app, "new@example.com")
    assert user is not None
    assert user.timezone == "Europe/Berlin"
    assert user.role == Role.CANDIDATE
    assert user.password_hash.startswith("pbkdf2:sha256:1$")
    assert DEFAULT_PASSWORD not in user.password_hash
    page = client.get("/settings")
    assert page.status_code == 200
    assert b"new@example.com" in page.data


def test_register_page_defaults_the_time_zone_to_utc(client: FlaskClient) -> None:
    page = client.get("/register").get_data(as_text=True)
    assert re.search(r'<option selected value="UTC">UTC</option>', page)
    assert "data-detect-timezone" in page
    assert "js/timezone.js" in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"email": ""}, "email", "Enter your email address"),
        ({"email": "not-an-email"}, "email", "valid email address"),
        ({"email": "a b@example.com"}, "email", "valid email address"),
        ({"email": "x" * 250 + "@example.com"}, "email", "valid email address"),
        ({"display_name": "   "}, "display_name", "Enter a display name"),
        ({"display_name": "n" * 101}, "display_name", "at most 100"),
        ({"password": "short", "confirm": "short"}, "password", "at least 8"),
        ({"password": "p" * 257, "confirm": "p" * 257}, "password", "at most 256"),
        ({"confirm": "something else"}, "confirm", "passwords differ"),
        ({"timezone": "Mars/Olympus_Mons"}, "timezone", "Not a valid choice"),
        ({"timezone": ""}, "timezone", "Not a valid choice"),
    ],
)
def test_register_rejects_bad_input_next_to_the_field(
    app: Flask, client: FlaskClient, changes: dict[str, str], field: str, message: str
) -> None:
    response = client.post("/register", data={**GOOD_REGISTRATION, **changes})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in field_error(page, field)
    assert user_by_email(app, "new@example.com") is None


def test_register_rejects_a_taken_email_case_insensitively(
    client: FlaskClient, registered: User
) -> None:
    response = client.post(
        "/register", data={**GOOD_REGISTRATION, "email": "Candidate@Example.COM"}
    )
    assert response.status_code == 422
    assert "already exists" in field_error(response.get_data(as_text=True), "email")


# -- login and logout --------------------------------------------------------------------


def test_login_and_logout(client: FlaskClient, auth: AuthActions, registered: User) -> None:
    assert client.get("/settings").status_code == 302
    response = auth.login()
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client.get("/settings").status_code == 200
    assert auth.logout().status_code == 302
    assert client.get("/settings").status_code == 302


def test_login_records_last_activity(app: Flask, auth: AuthActions, registered: User) -> None:
    auth.login()
    user = user_by_email(app, "candidate@example.com")
    assert user is not None and user.last_active_at is not None


@pytest.mark.parametrize(
    ("email", "password"),
    [
        ("candidate@example.com", "wrong password"),
        ("nobody@example.com", DEFAULT_PASSWORD),
    ],
)
def test_login_failure_names_no_account_and_shows_the_error_at_the_password(
    client: FlaskClient, auth: AuthActions, registered: User, email: str, password: str
) -> None:
    response = auth.login(email=email, password=password)
    assert response.status_code == 422
    assert "Email or password is incorrect" in field_error(
        response.get_data(as_text=True), "password"
    )
    assert client.get("/settings").status_code == 302


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"email": "", "password": "x"}, "email", "Enter your email address"),
        ({"email": "a@b.c", "password": ""}, "password", "Enter your password"),
    ],
)
def test_login_validation_errors_name_the_field(
    client: FlaskClient, data: dict[str, str], field: str, message: str
) -> None:
    response = client.post("/login", data=data)
    assert response.status_code == 422
    assert message in field_error(response.get_data(as_text=True), field)


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [
        ("/settings", "/settings"),
        ("/settings?tab=1", "/settings?tab=1"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("settings", "/"),
    ],
)
def test_login_follows_only_same_site_next(
    client: FlaskClient, registered: User, next_url: str, expected: str
) -> None:
    response = client.post(
        "/login",
        query_string={"next": next_url},
        data={"email": "candidate@example.com", "password": DEFAULT_PASSWORD},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == expected


def test_login_required_pages_send_next(client: FlaskClient) -> None:
    response = client.get("/settings")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_login_starts_a_fresh_session(
    client: FlaskClient, auth: AuthActions, registered: User
) -> None:
    with client.session_transaction() as sess:
        sess["planted"] = "by someone else"
    auth.login()
    with client.session_transaction() as sess:
        assert "planted" not in sess
        assert "_user_id" in sess


def test_logout_needs_post(client: FlaskClient, auth: AuthActions, registered: User) -> None:
    auth.login()
    assert client.get("/logout").status_code == 405
    assert client.get("/settings").status_code == 200


def test_logout_clears_the_remember_me_cookie(
    client: FlaskClient, auth: AuthActions, registered: User
) -> None:
    auth.login(remember=True)
    assert client.get_cookie("remember_token") is not None
    auth.logout()
    assert client.get_cookie("remember_token") is None
    assert client.get("/settings").status_code == 302


# -- remember-me and password change -----------------------------------------------------


def test_password_change_invalidates_other_sessions_and_remember_cookies(
    app: Flask, registered: User
) -> None:
    here, elsewhere = app.test_client(), app.test_client()
    AuthActions(here).login(remember=True)
    AuthActions(elsewhere).login(remember=True)
    stolen = elsewhere.get_cookie("remember_token")
    assert stolen is not None

    # The stolen remember-me cookie works on its own before the change...
    thief = app.test_client()
    thief.set_cookie("remember_token", stolen.value)
    assert thief.get("/settings").status_code == 200

    new_password = "a brand new passphrase"
    response = here.post(
        "/settings/password",
        data={
            "current_password": DEFAULT_PASSWORD,
            "new_password": new_password,
            "confirm": new_password,
        },
    )
    assert response.status_code == 302

    # ...and not after: nor does the other browser's session.
    thief = app.test_client()
    thief.set_cookie("remember_token", stolen.value)
    assert thief.get("/settings").status_code == 302
    assert elsewhere.get("/settings").status_code == 302
    # This browser stays logged in, with a fresh remember-me cookie that works.
    assert here.get("/settings").status_code == 200
    fresh = here.get_cookie("remember_token")
    assert fresh is not None and fresh.value != stolen.value
    third = app.test_client()
    third.set_cookie("remember_token", fresh.value)
    assert third.get("/settings").status_code == 200
    # The new password logs in; the old one does not.
    assert AuthActions(app.test_client()).login(password=new_password).status_code == 302
    assert AuthActions(app.test_client()).login().status_code == 422


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {
                "current_password": "wrong",
                "new_password": "new passphrase",
                "confirm": "new passphrase",
            },
            "current_password",
            "not your current password",
        ),
        (
            {"current_password": DEFAULT_PASSWORD, "new_password": "short", "confirm": "short"},
            "new_password",
            "at least 8",
        ),
        (
            {
                "current_password": DEFAULT_PASSWORD,
                "new_password": "new passphrase",
                "confirm": "other",
            },
            "confirm",
            "passwords differ",
        ),
        ({"current_password": "", "new_password": "", "confirm": ""}, "current_password", "Enter"),
    ],
)
def test_password_change_errors_name_the_field(
    app: Flask,
    client: FlaskClient,
    auth: AuthActions,
    registered: User,
    data: dict[str, str],
    field: str,
    message: str,
) -> None:
    auth.login()
    token_before = user_by_email(app, "candidate@example.com").session_token  # type: ignore[union-attr]
    response = client.post("/settings/password", data=data)
    assert response.status_code == 422
    assert message in field_error(response.get_data(as_text=True), field)
    assert user_by_email(app, "candidate@example.com").session_token == token_before  # type: ignore[union-attr]


# -- settings ----------------------------------------------------------------------------


def test_settings_page_shows_the_current_values(
    client: FlaskClient, auth: AuthActions, registered: User
) -> None:
    auth.login()
    page = client.get("/settings").get_data(as_text=True)
    assert 'value="1m 10m"' in page
    assert 'value="10m"' in page
    assert 'value="0.9"' in page
    assert 'value="20"' in page and 'value="200"' in page


def test_settings_are_saved(
    app: Flask, client: FlaskClient, auth: AuthActions, registered: User
) -> None:
    auth.login()
    response = client.post("/settings", data=GOOD_SETTINGS)
    assert response.status_code == 302
    user = user_by_email(app, "candidate@example.com")
    assert user is not None
    assert user.display_name == "Casey C."
    assert user.timezone == "America/New_York"
    assert user.day_rollover_hour == 5
    assert (user.new_per_day, user.reviews_per_day) == (15, 150)
    assert user.desired_retention == pytest.approx(0.85)
    assert user.learning_steps == [60, 600, 3600]
    assert user.relearning_steps == [600]
    assert user.maximum_interval == 3650
    assert str(user.interview_date) == "2026-06-01"
    assert 'value="1m 10m 1h"' in client.get("/settings").get_data(as_text=True)


def test_settings_interview_date_is_optional(
    app: Flask, client: FlaskClient, auth: AuthActions, registered: User
) -> None:
    auth.login()
    client.post("/settings", data={**GOOD_SETTINGS, "interview_date": ""})
    user = user_by_email(app, "candidate@example.com")
    assert user is not None and user.interview_date is None


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"display_name": ""}, "display_name", "Enter a display name"),
        ({"timezone": "Nowhere/Land"}, "timezone", "Not a valid choice"),
        ({"day_rollover_hour": "24"}, "day_rollover_hour", "from 0 to 23"),
        ({"day_rollover_hour": "-1"}, "day_rollover_hour", "from 0 to 23"),
        ({"day_rollover_hour": "four"}, "day_rollover_hour", "integer"),
        ({"day_rollover_hour": ""}, "day_rollover_hour", "whole number"),
        ({"new_per_day": "1e3"}, "new_per_day", "integer"),
        ({"new_per_day": "10000"}, "new_per_day", "from 0 to 9999"),
        ({"reviews_per_day": "9" * 5000}, "reviews_per_day", "integer"),
        ({"desired_retention": "0.5"}, "desired_retention", "from 0.7 to 0.99"),
        ({"desired_retention": "1"}, "desired_retention", "from 0.7 to 0.99"),
        ({"desired_retention": "nan"}, "desired_retention", "from 0.7 to 0.99"),
        ({"desired_retention": "inf"}, "desired_retention", "from 0.7 to 0.99"),
        ({"desired_retention": "ninety"}, "desired_retention", "float"),
        ({"learning_steps": "1m ten"}, "learning_steps", "'ten' is not a step"),
        ({"learning_steps": "1m 2d"}, "learning_steps", "within one day"),
        ({"learning_steps": "0m"}, "learning_steps", "longer than zero"),
        ({"learning_steps": "1m " * 11}, "learning_steps", "at most 10 steps"),
        ({"relearning_steps": "10 minutes"}, "relearning_steps", "is not a step"),
        ({"maximum_interval": "0"}, "maximum_interval", "from 1 to 36500"),
        ({"interview_date": "next tuesday"}, "interview_date", "date"),
        ({"interview_date": "2026-02-30"}, "interview_date", "date"),
    ],
)
def test_settings_errors_name_the_field(
    app: Flask,
    client: FlaskClient,
    auth: AuthActions,
    registered: User,
    changes: dict[str, str],
    field: str,
    message: str,
) -> None:
    auth.login()
    response = client.post("/settings", data={**GOOD_SETTINGS, **changes})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in field_error(page, field), page
    user = user_by_email(app, "candidate@example.com")
    assert user is not None and user.display_name == "Casey Candidate"  # nothing saved


def test_settings_accept_empty_steps(
    app: Flask, client: FlaskClient, auth: AuthActions, registered: User
) -> None:
    auth.login()
    assert client.post("/settings", data={**GOOD_SETTINGS, "learning_steps": ""}).status_code == 302
    user = user_by_email(app, "candidate@example.com")
    assert user is not None and user.learning_steps == []


# -- delete account and data export ------------------------------------------------------


def _add_study_data(app: Flask, email: str = "candidate@example.com") -> None:
    from quizapp.data.models import Bank, Question

    with app.app_context():
        db = database.get_session()
        user = db.scalar(select(User).where(User.email == email))
        assert user is not None
        if db.get(Question, "q1") is None:
            bank = Bank(slug="b", title="B")
            db.add(bank)
            db.flush()
            db.add(
                Question(
                    id="q1",
                    bank_id=bank.id,
                    kind="interview",
                    prompt="P?",
                    answer="A.",
                    content_hash="h",
                    created_at=T0,
                    updated_at=T0,
                    category="memory",
                )
            )
            db.flush()
        db.add(CardState(user_id=user.id, question_id="q1", due=T0, created_at=T0))
        db.add(
            ReviewLog(
                user_id=user.id,
                question_id="q1",
                rating=3,
                reviewed_at=T0,
                study_day=T0.date(),
                state_before={"state": "new"},
                state_after={"state": "learning"},
            )
        )
        db.add(
            MockInterview(
                user_id=user.id,
                started_at=T0,
                time_limit_seconds=600,
                categories=["memory"],
                question_ids=["q1"],
                score=1.0,
            )
        )
        db.commit()


def _count(app: Flask, model: type) -> int:
    with app.app_context():
        return database.get_session().scalar(select(func.count()).select_from(model)) or 0


def test_delete_account_removes_the_user_and_their_data(
    app: Flask, client: FlaskClient, auth: AuthActions, registered: User
) -> None:
    with app.app_context():
        make_user(database.get_session(), "other@example.com")
        database.get_session().commit()
    _add_study_data(app)
    _add_study_data(app, "other@example.com")
    auth.login(remember=True)
    response = client.post("/settings/delete", data={"password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert user_by_email(app, "candidate@example.com") is None
    assert (_count(app, CardState), _count(app, ReviewLog), _count(app, MockInterview)) == (1, 1, 1)
    assert user_by_email(app, "other@example.com") is not None
    assert client.get("/settings").status_code == 302
    assert client.get_cookie("remember_token") is None


@pytest.mark.parametrize(
    ("password", "message"), [("wrong", "not your password"), ("", "Enter your password")]
)
def test_delete_account_needs_the_password(
    app: Flask,
    client: FlaskClient,
    auth: AuthActions,
    registered: User,
    password: str,
    message: str,
) -> None:
    auth.login()
    response = client.post("/settings/delete", data={"password": password})
    assert response.status_code == 422
    assert message in field_error(response.get_data(as_text=True), "password")
    assert user_by_email(app, "candidate@example.com") is not None


def test_download_my_data(
    app: Flask, client: FlaskClient, auth: AuthActions, registered: User
) -> None:
    _add_study_data(app)
    auth.login()
    response = client.get("/settings/my-data.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.data)
    assert data["profile"]["email"] == "candidate@example.com"
    assert data["settings"]["learning_steps"] == "1m 10m"
    assert data["settings"]["desired_retention"] == 0.9
    assert [c["question_id"] for c in data["card_states"]] == ["q1"]
    assert data["review_logs"][0]["rating"] == 3
    assert data["mock_interviews"][0]["score"] == 1.0
    assert "password_hash" not in response.get_data(as_text=True)
    assert "session_token" not in response.get_data(as_text=True)


def test_download_my_data_needs_login(client: FlaskClient) -> None:
    assert client.get("/settings/my-data.json").status_code == 302


# -- rate limits, CSRF, bad input --------------------------------------------------------


def test_login_is_rate_limited_with_a_friendly_page(tmp_path: Path) -> None:
    app = make_test_app(tmp_path, None, RATELIMIT_ENABLED=True, AUTH_RATE_LIMIT="3/minute")
    client = app.test_client()
    bad = {"email": "x@example.com", "password": "wrong"}
    for _ in range(3):
        assert client.post("/login", data=bad).status_code == 422
    assert client.get("/login").status_code == 200  # showing the form is not counted
    response = client.post("/login", data=bad)
    assert response.status_code == 429
    assert b"Too many attempts" in response.data
    assert b"Traceback" not in response.data
    assert client.post("/register", data=GOOD_REGISTRATION).status_code == 302  # separate limit
    app.extensions["quizapp.engine"].dispose()


def test_default_auth_rate_limit_is_ten_a_minute(tmp_path: Path) -> None:
    app = make_test_app(tmp_path, None, RATELIMIT_ENABLED=True)
    client = app.test_client()
    statuses = [
        client.post("/register", data={**GOOD_REGISTRATION, "email": "bad"}).status_code
        for _ in range(11)
    ]
    assert statuses == [422] * 10 + [429]
    app.extensions["quizapp.engine"].dispose()


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """QUIZAPP_TEST_REDIS_URL, else the machine's Redis on 6379, else a redis-server
    started for these tests on a free port."""
    import redis

    url = os.environ.get("QUIZAPP_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.ConnectionError:
        if "QUIZAPP_TEST_REDIS_URL" in os.environ:
            raise
        if not shutil.which("redis-server"):
            pytest.fail("no Redis on 127.0.0.1:6379 and no redis-server: install redis-server")
    else:
        yield url
        return
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    folder = tmp_path_factory.mktemp("redis")
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(folder)],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"redis://127.0.0.1:{port}/0"
    try:
        for _ in range(100):
            try:
                redis.Redis.from_url(url).ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)
        yield url
    finally:
        server.terminate()
        server.wait(10)


def test_rate_limits_are_shared_through_redis_when_configured(
    tmp_path: Path, redis_url: str
) -> None:
    """Several workers share one count: a second app (another worker, or the same one
    after a restart) on the same Redis still refuses the fourth attempt."""
    import uuid

    import redis

    prefix = f"quizapp-test-{uuid.uuid4().hex}"
    config = {
        "RATELIMIT_ENABLED": True,
        "AUTH_RATE_LIMIT": "3/minute",
        "RATELIMIT_STORAGE_URI": redis_url,
        "RATELIMIT_KEY_PREFIX": prefix,
    }
    bad = {"email": "x@example.com", "password": "wrong"}
    server = redis.Redis.from_url(redis_url)
    try:
        (tmp_path / "a").mkdir()
        (tmp_path / "b").mkdir()
        first = make_test_app(tmp_path / "a", None, **config)
        for _ in range(3):
            assert first.test_client().post("/login", data=bad).status_code == 422
        assert server.keys(f"*{prefix}*"), "the counts are kept in Redis"
        second = make_test_app(tmp_path / "b", None, **config)
        response = second.test_client().post("/login", data=bad)
        assert response.status_code == 429
        assert b"Too many attempts" in response.data
        for app in (first, second):
            app.extensions["quizapp.engine"].dispose()
    finally:
        keys = server.keys(f"*{prefix}*")
        if keys:
            server.delete(*keys)
        server.close()


@pytest.fixture
def csrf_app(app: Flask) -> Flask:
    app.config["WTF_CSRF_ENABLED"] = True
    return app


def test_register_with_csrf(csrf_app: Flask) -> None:
    client = csrf_app.test_client()
    assert client.post("/register", data=GOOD_REGISTRATION).status_code == 400
    token = csrf_token(client, "/register")
    response = client.post("/register", data={**GOOD_REGISTRATION, "csrf_token": token})
    assert response.status_code == 302


def test_login_and_logout_with_csrf(csrf_app: Flask, registered: User) -> None:
    client = csrf_app.test_client()
    login = {"email": "candidate@example.com", "password": DEFAULT_PASSWORD}
    assert client.post("/login", data=login).status_code == 400
    token = csrf_token(client, "/login")
    assert client.post("/login", data={**login, "csrf_token": token}).status_code == 302
    assert client.post("/logout").status_code == 400
    token = csrf_token(client, "/settings")
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/settings").status_code == 302


def _logged_in_csrf_client(app: Flask) -> tuple[FlaskClient, str]:
    client = app.test_client()
    token = csrf_token(client, "/login")
    client.post(
        "/login",
        data={"email": "candidate@example.com", "password": DEFAULT_PASSWORD, "csrf_token": token},
    )
    return client, csrf_token(client, "/settings")


def test_settings_with_csrf(csrf_app: Flask, registered: User) -> None:
    client, token = _logged_in_csrf_client(csrf_app)
    assert client.post("/settings", data=GOOD_SETTINGS).status_code == 400
    assert client.post("/settings", data={**GOOD_SETTINGS, "csrf_token": token}).status_code == 302


def test_change_password_with_csrf(csrf_app: Flask, registered: User) -> None:
    client, token = _logged_in_csrf_client(csrf_app)
    data = {
        "current_password": DEFAULT_PASSWORD,
        "new_password": "new passphrase",
        "confirm": "new passphrase",
    }
    assert client.post("/settings/password", data=data).status_code == 400
    assert client.post("/settings/password", data={**data, "csrf_token": token}).status_code == 302
    # The session was renewed: the page still works and carries a new token.
    assert client.get("/settings").status_code == 200


def test_delete_account_with_csrf(csrf_app: Flask, registered: User) -> None:
    client, token = _logged_in_csrf_client(csrf_app)
    data = {"password": DEFAULT_PASSWORD}
    assert client.post("/settings/delete", data=data).status_code == 400
    assert client.post("/settings/delete", data={**data, "csrf_token": token}).status_code == 302
    assert user_by_email(csrf_app, "candidate@example.com") is None


@pytest.mark.parametrize(
    "path", ["/register", "/login", "/settings", "/settings/password", "/settings/delete"]
)
@pytest.mark.parametrize(
    "data",
    [
        {},
        {"email": "\x00", "password": "\x00", "timezone": "\x00"},
        {"email": ["a@b.c", "d@e.f"], "display_name": "x" * 100_000},
        {
            "desired_retention": "1e400",
            "day_rollover_hour": "0x10",
            "interview_date": "99999-01-01",
        },
        {"learning_steps": "9999999999m", "new_per_day": "-0", "remember": "maybe"},
    ],
)
def test_no_500_for_anything_a_browser_can_send(
    client: FlaskClient, auth: AuthActions, registered: User, path: str, data: dict[str, object]
) -> None:
    if path.startswith("/settings"):
        auth.login()
    response = client.post(path, data=data)
    assert response.status_code < 500, response.get_data(as_text=True)


def test_pages_render_without_inline_script_or_style(
    client: FlaskClient, auth: AuthActions, registered: User
) -> None:
    pages = [client.get("/register"), client.get("/login")]
    auth.login()
    pages.append(client.get("/settings"))
    for page in pages:
        text = page.get_data(as_text=True)
        assert page.status_code == 200
        assert "style=" not in text
        assert not re.search(r"<script(?![^>]*\bsrc=)", text)

import pytest
from flask import Flask
from flask.testing import FlaskClient

from quizapp import database
from quizapp.data.models import Role
from quizapp.web.access import role_required
from tests.conftest import AuthActions
from tests.factories import make_user


@pytest.fixture
def guarded(app: Flask) -> Flask:
    @app.get("/mentors-only")
    @role_required(Role.MENTOR, "admin")
    def mentors_only() -> str:
        return "secret cohort"

    with app.app_context():
        make_user(database.get_session(), "cand@example.com")
        make_user(database.get_session(), "mentor@example.com", role=Role.MENTOR)
        make_user(database.get_session(), "admin@example.com", role=Role.ADMIN)
        database.get_session().commit()
    return app


def test_anonymous_is_sent_to_login(guarded: Flask, client: FlaskClient) -> None:
    response = client.get("/mentors-only")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


@pytest.mark.parametrize(
    ("email", "status"),
    [("cand@example.com", 403), ("mentor@example.com", 200), ("admin@example.com", 200)],
)
def test_roles(
    guarded: Flask, client: FlaskClient, auth: AuthActions, email: str, status: int
) -> None:
    auth.login(email=email)
    response = client.get("/mentors-only")
    assert response.status_code == status
    assert (b"secret cohort" in response.data) == (status == 200)


def test_unknown_role_fails_at_decoration() -> None:
    with pytest.raises(ValueError):
        role_required("superuser")
    with pytest.raises(ValueError):
        role_required()

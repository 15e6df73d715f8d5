from flask import Flask
from flask.testing import FlaskClient


def test_home_page_renders(client: FlaskClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert b"quizapp" in response.data


def test_health_checks_the_database(client: FlaskClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_health_reports_an_unreachable_database(app: Flask, client: FlaskClient) -> None:
    app.extensions["quizapp.engine"].dispose()
    from quizapp.data.engine import make_engine

    app.extensions["quizapp.engine"] = make_engine("sqlite:////nonexistent/dir/db.sqlite3")
    response = client.get("/health")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"


def test_security_headers_on_every_response(client: FlaskClient) -> None:
    for path in ("/", "/health", "/no-such-page"):
        headers = client.get(path).headers
        csp = headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_404_is_a_friendly_page(client: FlaskClient) -> None:
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert b"There is nothing at this address" in response.data
    assert b"Traceback" not in response.data


def test_404_is_json_for_json_clients(client: FlaskClient) -> None:
    response = client.get("/no-such-page", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.get_json()["error"]["status"] == 404


def test_unhandled_error_is_a_500_page_and_rolls_back(app: Flask) -> None:
    from sqlalchemy import func, select

    from quizapp import database
    from quizapp.data.models import Bank

    @app.get("/boom")
    def boom() -> str:
        database.get_session().add(Bank(slug="half-done", title="x"))
        database.get_session().flush()
        raise RuntimeError("kaboom")

    app.testing = False  # let the error handler run as in production
    response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert b"kaboom" not in response.data and b"Traceback" not in response.data
    with app.app_context():
        assert database.get_session().scalar(select(func.count()).select_from(Bank)) == 0


def test_csrf_is_enforced_when_enabled(app: Flask) -> None:
    app.config["WTF_CSRF_ENABLED"] = True

    @app.post("/echo")
    def echo() -> str:
        return "ok"

    response = app.test_client().post("/echo", data={"x": "1"})
    assert response.status_code == 400
    assert b"Reload the page" in response.data


def test_nul_bytes_in_a_form_are_a_clear_400(client: FlaskClient) -> None:
    response = client.post("/", data={"email": "a\x00b"})
    assert response.status_code == 400
    assert b"invalid character" in response.data
    response = client.get("/kb/?q=%00")
    assert response.status_code == 400

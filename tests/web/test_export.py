"""The export page: a logged-in candidate downloads their selection as .apkg or .tsv."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from quizapp import database
from quizapp.data.models import User
from tests.anki_data import insert, sample_questions
from tests.conftest import AuthActions, make_test_app
from tests.factories import make_user


@pytest.fixture
def candidate(app: Flask) -> None:
    with app.app_context():
        session = database.get_session()
        insert(session, sample_questions())
        user = make_user(session)
        user.study_selection = {"categories": ["memory"], "levels": [], "kinds": [], "banks": []}
        session.commit()


def note_count(data: bytes) -> int:
    import sqlite3
    import tempfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive, tempfile.NamedTemporaryFile() as db:
        db.write(archive.read("collection.anki2"))
        db.flush()
        connection = sqlite3.connect(db.name)
        try:
            return int(connection.execute("select count(*) from notes").fetchone()[0])
        finally:
            connection.close()


def test_the_page_and_the_download_need_a_login(client: FlaskClient) -> None:
    for url in ("/export/", "/export/download?format=apkg"):
        response = client.get(url)
        assert response.status_code in (302, 401)
        if response.status_code == 302:
            assert "/login" in response.headers["Location"]


def test_the_page_preselects_what_the_candidate_studies(
    client: FlaskClient, auth: AuthActions, candidate: None
) -> None:
    auth.login()
    page = client.get("/export/").get_data(as_text=True)
    assert 'name="categories" value="memory" checked' in page
    assert 'name="categories" value="processes">' in page
    assert 'value="apkg"' in page and 'value="tsv"' in page


def test_posting_the_form_downloads_an_apkg_of_the_selection(
    client: FlaskClient, auth: AuthActions, candidate: None
) -> None:
    auth.login()
    response = client.post("/export/download", data={"format": "apkg", "categories": ["memory"]})
    assert response.status_code == 200
    assert response.mimetype == "application/apkg"
    assert "filename=interview-prep.apkg" in response.headers["Content-Disposition"]
    assert note_count(response.data) == 8  # 9 memory questions, the term pair is one note
    assert b"http://localhost/kb/oom-killer" in zipfile.ZipFile(io.BytesIO(response.data)).read(
        "collection.anki2"
    )


def test_a_get_with_query_parameters_downloads_a_tsv(
    client: FlaskClient, auth: AuthActions, candidate: None
) -> None:
    auth.login()
    response = client.get("/export/download?format=tsv&levels=beginner")
    assert response.status_code == 200
    assert response.mimetype == "text/tab-separated-values"
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0] == "#separator:tab"
    assert len(lines) == 7 + 2


def test_an_empty_or_invalid_selection_returns_to_the_page_with_a_message(
    client: FlaskClient, auth: AuthActions, candidate: None
) -> None:
    auth.login()
    response = client.get("/export/download?format=apkg&banks=nope", follow_redirects=True)
    assert "No questions match that selection." in response.get_data(as_text=True)
    response = client.get("/export/download?levels=expert", follow_redirects=True)
    assert "unknown level(s): expert" in response.get_data(as_text=True)
    response = client.get("/export/download?format=pdf", follow_redirects=True)
    assert "Choose .apkg or .tsv." in response.get_data(as_text=True)


def test_the_form_post_is_csrf_protected(tmp_path: Path) -> None:
    app = make_test_app(tmp_path, None, WTF_CSRF_ENABLED=True)
    try:
        with app.app_context():
            session = database.get_session()
            insert(session, sample_questions())
            user: User = make_user(session)
            session.commit()
            token = user.session_token
        client = app.test_client()
        with client.session_transaction() as flask_session:
            flask_session["_user_id"] = token
            flask_session["_fresh"] = True
        response = client.post("/export/download", data={"format": "apkg"})
        assert response.status_code == 400
    finally:
        app.extensions["quizapp.engine"].dispose()

"""Session cookies and CSRF tokens: what the per-cookie and per-token caches must not change."""

from __future__ import annotations

import re
import time

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import AuthActions

LIFETIME = 14 * 24 * 3600  # PERMANENT_SESSION_LIFETIME


def _signed_in(client: FlaskClient) -> bool:
    return client.get("/study/").status_code == 200


def test_a_verified_cookie_still_expires(
    client: FlaskClient, auth: AuthActions, monkeypatch: pytest.MonkeyPatch
) -> None:
    auth.register()
    auth.login()
    assert _signed_in(client) and _signed_in(client)  # the second one reads the kept cookie
    later = time.time() + LIFETIME + 60
    monkeypatch.setattr(time, "time", lambda: later)
    assert not _signed_in(client)


def test_a_tampered_cookie_is_refused(client: FlaskClient, auth: AuthActions) -> None:
    auth.register()
    auth.login()
    assert _signed_in(client)
    cookie = client.get_cookie("session")
    assert cookie is not None
    payload, timestamp, signature = cookie.value.rsplit(".", 2)
    forged = f"{payload}.{timestamp}.{signature[:-2]}{'AA' if signature[-2:] != 'AA' else 'BB'}"
    client.set_cookie("session", forged)
    assert not _signed_in(client)


def test_a_new_secret_key_refuses_kept_cookies(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    auth.register()
    auth.login()
    assert _signed_in(client)
    app.secret_key = "another-secret-key"
    assert not _signed_in(client)


def test_csrf_token_is_reused_and_accepted(app: Flask, client: FlaskClient) -> None:
    app.config["WTF_CSRF_ENABLED"] = True
    token_pattern = r'<meta name="csrf-token" content="([^"]+)"'
    first = re.search(token_pattern, client.get("/login").get_data(as_text=True))
    time.sleep(1.01)  # a new signature would differ now: one-second timestamps
    second = re.search(token_pattern, client.get("/login").get_data(as_text=True))
    assert first and second and first.group(1) == second.group(1)
    # The login form's own hidden field carries the same token.
    form = client.get("/login").get_data(as_text=True)
    assert f'name="csrf_token" type="hidden" value="{first.group(1)}"' in form
    refused = client.post("/login", data={"email": "x@example.com", "password": "p"})
    assert refused.status_code == 400
    accepted = client.post(
        "/login", data={"email": "x@example.com", "password": "p", "csrf_token": first.group(1)}
    )
    assert accepted.status_code != 400


def test_csrf_tokens_are_signed_afresh_with_a_time_limit(app: Flask, client: FlaskClient) -> None:
    app.config.update(WTF_CSRF_ENABLED=True, WTF_CSRF_TIME_LIMIT=3600)
    token_pattern = r'<meta name="csrf-token" content="([^"]+)"'
    first = re.search(token_pattern, client.get("/login").get_data(as_text=True))
    time.sleep(1.01)  # the signature's timestamp has one-second resolution
    second = re.search(token_pattern, client.get("/login").get_data(as_text=True))
    assert first and second and first.group(1) != second.group(1)


TOKEN = r'<meta name="csrf-token" content="([^"]+)"'
WRONG_LOGIN = {"email": "x@example.com", "password": "p"}  # past CSRF: 422, not 400


def _page_token(client: FlaskClient) -> str:
    found = re.search(TOKEN, client.get("/login").get_data(as_text=True))
    assert found is not None
    return found.group(1)


def test_only_the_sessions_own_kept_token_passes(app: Flask, client: FlaskClient) -> None:
    app.config["WTF_CSRF_ENABLED"] = True
    mine, theirs = _page_token(client), _page_token(app.test_client())
    assert mine != theirs
    assert client.post("/login", data={**WRONG_LOGIN, "csrf_token": theirs}).status_code == 400
    # Not the last character: its low bits are padding that base64 decoding ignores.
    payload, stamp, signature = mine.rsplit(".", 2)
    altered = f"{payload}.{stamp}.{'A' if signature[0] != 'A' else 'B'}{signature[1:]}"
    assert client.post("/login", data={**WRONG_LOGIN, "csrf_token": altered}).status_code == 400
    assert client.post("/login", data={**WRONG_LOGIN, "csrf_token": mine}).status_code == 422
    # The header Flask-WTF reads for scripts works the same way.
    assert client.post("/login", data=WRONG_LOGIN, headers={"X-CSRFToken": mine}).status_code == 422


def test_over_https_the_kept_token_still_needs_a_same_origin_referrer(
    app: Flask, client: FlaskClient
) -> None:
    app.config["WTF_CSRF_ENABLED"] = True
    data = {**WRONG_LOGIN, "csrf_token": _page_token(client)}
    https = "https://localhost"
    assert client.post("/login", data=data, base_url=https).status_code == 400
    elsewhere = {"Referer": "https://elsewhere.example/login"}
    assert client.post("/login", data=data, base_url=https, headers=elsewhere).status_code == 400
    same = {"Referer": "https://localhost/login"}
    assert client.post("/login", data=data, base_url=https, headers=same).status_code == 422

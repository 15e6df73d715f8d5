"""Who may open every mentor and cohort URL, and what the others learn (nothing).

The world: mentor A owns cohort A (one remaining candidate, one who left,
invitations valid/expired/revoked); mentor B owns cohort B with its own
candidate; an outsider candidate belongs nowhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from quizapp import database
from quizapp.data.models import CohortMember, Invitation, Role
from quizapp.services import cohorts
from tests.conftest import make_test_app
from tests.factories import DEFAULT_PASSWORD, T0, make_user
from tests.mentor_factories import join, make_card, make_cohort, make_question, make_review

SECRETS = (
    "Alice Remaining",
    "alice-remaining@example.com",
    "Leah Left",
    "leah-left@example.com",
    "Cohort Alpha",
    "Mentor Anna",
    "anna-mentor@example.com",
)


@dataclass
class World:
    cohort_a: int
    cohort_b: int
    alice: int  # in A
    leah: int  # left A
    bob: int  # in B
    valid_code: str
    expired_code: str
    revoked_code: str
    valid_invitation: int
    b_invitation: int


def build_world(app: Flask) -> World:
    with app.app_context():
        session = database.get_session()
        anna = make_user(session, "anna-mentor@example.com", display_name="Mentor Anna",
                         role=Role.MENTOR)  # fmt: skip
        boris = make_user(session, "boris-mentor@example.com", display_name="Mentor Boris",
                          role=Role.MENTOR)  # fmt: skip
        alice = make_user(session, "alice-remaining@example.com", display_name="Alice Remaining")
        leah = make_user(session, "leah-left@example.com", display_name="Leah Left")
        bob = make_user(session, "bob-b@example.com", display_name="Bob Bee")
        make_user(session, "outsider@example.com", display_name="Otto Outsider")
        a = make_cohort(session, anna, "Cohort Alpha")
        b = make_cohort(session, boris, "Cohort Beta")
        join(session, a, alice)
        join(session, a, leah)
        cohorts.leave_cohort(session, leah, a.id, now=T0)
        join(session, b, bob)
        q = make_question(session, "q1")
        for user in (alice, leah, bob):
            make_card(session, user, q)
            make_review(session, user, q, T0)
        valid = cohorts.create_invitation(session, a, now=T0, days=90)
        expired = cohorts.create_invitation(session, a, now=T0 - timedelta(days=30), days=1)
        revoked = cohorts.create_invitation(session, a, now=T0, days=90)
        cohorts.revoke_invitation(revoked, now=T0)
        b_inv = cohorts.create_invitation(session, b, now=T0, days=90)
        session.commit()
        return World(a.id, b.id, alice.id, leah.id, bob.id, valid.code, expired.code,
                     revoked.code, valid.id, b_inv.id)  # fmt: skip


@pytest.fixture
def world(app: Flask) -> World:
    app.config["CLOCK"] = lambda: T0 + timedelta(days=1)
    return build_world(app)


def login(client: FlaskClient, email: str) -> None:
    response = client.post("/login", data={"email": email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302, response.data[:500]


def mentor_urls(w: World) -> list[tuple[str, str]]:
    """Every mentor URL, pointed at cohort A and its remaining candidate."""
    a = w.cohort_a
    return [
        ("GET", f"/mentor/cohorts/{a}"),
        ("GET", f"/mentor/cohorts/{a}?sort=backlog&dir=desc"),
        ("GET", f"/mentor/cohorts/{a}/export.csv"),
        ("GET", f"/mentor/cohorts/{a}/candidates/{w.alice}"),
        ("GET", f"/mentor/cohorts/{a}/invitations"),
        ("POST", f"/mentor/cohorts/{a}/settings"),
        ("POST", f"/mentor/cohorts/{a}/invitations"),
        ("POST", f"/mentor/cohorts/{a}/invitations/{w.valid_invitation}/revoke"),
        ("POST", f"/mentor/cohorts/{a}/candidates/{w.alice}/remove"),
    ]


MENTOR_HOME = [("GET", "/mentor/"), ("POST", "/mentor/cohorts")]


def candidate_urls(w: World) -> list[tuple[str, str]]:
    return [
        ("GET", "/cohorts"),
        ("POST", "/cohorts/code"),
        ("GET", f"/join/{w.valid_code}"),
        ("POST", f"/join/{w.valid_code}"),
        ("POST", f"/cohorts/{w.cohort_a}/leave"),
    ]


def call(client: FlaskClient, method: str, url: str, data: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    if method == "GET":
        return client.get(url)
    return client.post(url, data=data or {"name": "Hijack", "inactive_days": "3", "days": "5"})


def assert_learns_nothing(body: bytes) -> None:
    text = body.decode()
    for secret in SECRETS:
        assert secret not in text, secret


def state_snapshot(app: Flask) -> tuple[object, ...]:
    with app.app_context():
        session = database.get_session()
        members = session.execute(
            select(CohortMember.cohort_id, CohortMember.user_id, CohortMember.left_at)
        ).all()
        invitations = session.execute(select(Invitation.id, Invitation.revoked_at)).all()
        from quizapp.data.models import Cohort

        cohort_rows = session.execute(select(Cohort.id, Cohort.name, Cohort.inactive_days)).all()
        return (sorted(members), sorted(invitations), sorted(cohort_rows))


def test_anonymous_visitors_are_sent_to_log_in(client: FlaskClient, world: World) -> None:
    for method, url in [*MENTOR_HOME, *mentor_urls(world), *candidate_urls(world)]:
        response = call(client, method, url)
        assert response.status_code == 302, (method, url)
        assert "/login" in response.headers["Location"]
        assert_learns_nothing(response.data)


@pytest.mark.parametrize(
    "email", ["alice-remaining@example.com", "leah-left@example.com", "outsider@example.com",
              "bob-b@example.com"],
)  # fmt: skip
def test_candidates_get_403_on_every_mentor_url(
    app: Flask, client: FlaskClient, world: World, email: str
) -> None:
    before = state_snapshot(app)
    login(client, email)
    for method, url in [*MENTOR_HOME, *mentor_urls(world)]:
        response = call(client, method, url)
        assert response.status_code == 403, (method, url)
        assert_learns_nothing(response.data)
    assert state_snapshot(app) == before


def test_another_mentor_gets_404_on_every_url_of_the_cohort(
    app: Flask, client: FlaskClient, world: World
) -> None:
    before = state_snapshot(app)
    login(client, "boris-mentor@example.com")
    for method, url in mentor_urls(world):
        response = call(client, method, url)
        assert response.status_code == 404, (method, url)
        assert_learns_nothing(response.data)
    # ... and his own cohort's URLs cannot reach into cohort A either.
    b = world.cohort_b
    for url in (
        f"/mentor/cohorts/{b}/candidates/{world.alice}",
        f"/mentor/cohorts/{b}/candidates/{world.leah}",
    ):
        response = client.get(url)
        assert response.status_code == 404
        assert_learns_nothing(response.data)
    response = client.post(f"/mentor/cohorts/{b}/invitations/{world.valid_invitation}/revoke")
    assert response.status_code == 404
    response = client.post(f"/mentor/cohorts/{b}/candidates/{world.alice}/remove")
    assert response.status_code == 404
    # His own list shows only his cohort.
    assert_learns_nothing(client.get("/mentor/").data)
    assert state_snapshot(app) == before


def test_mentor_cannot_see_candidates_of_other_cohorts_or_who_left(
    app: Flask, client: FlaskClient, world: World
) -> None:
    login(client, "anna-mentor@example.com")
    a = world.cohort_a
    for url in (
        f"/mentor/cohorts/{a}/candidates/{world.bob}",  # another mentor's candidate
        f"/mentor/cohorts/{a}/candidates/{world.leah}",  # left
        f"/mentor/cohorts/{a}/candidates/999999",  # tampered
        f"/mentor/cohorts/{world.cohort_b}",
        f"/mentor/cohorts/{world.cohort_b}/export.csv",
        f"/mentor/cohorts/{world.cohort_b}/invitations",
        "/mentor/cohorts/999999",
        f"/mentor/cohorts/{a}/candidates/not-a-number",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert b"Bob Bee" not in response.data and b"Leah Left" not in response.data
        assert b"bob-b@example.com" not in response.data
    for url in (
        f"/mentor/cohorts/{a}/invitations/{world.b_invitation}/revoke",
        f"/mentor/cohorts/{a}/invitations/999999/revoke",
        f"/mentor/cohorts/{a}/candidates/{world.bob}/remove",
        f"/mentor/cohorts/{a}/candidates/{world.leah}/remove",
    ):
        assert client.post(url).status_code == 404, url
    # The left candidate is in neither the table nor the CSV.
    for url in (f"/mentor/cohorts/{a}", f"/mentor/cohorts/{a}/export.csv"):
        body = client.get(url).data
        assert b"Alice Remaining" in body
        assert b"Leah Left" not in body and b"leah-left@example.com" not in body


@pytest.mark.parametrize("which", ["expired_code", "revoked_code", "unknown", "junk"])
def test_dead_invitations_show_nothing_and_cannot_be_accepted(
    app: Flask, client: FlaskClient, world: World, which: str
) -> None:
    code = {"unknown": "ABCDEFGHJK", "junk": "<script>"}.get(which) or getattr(world, which)
    login(client, "outsider@example.com")
    before = state_snapshot(app)
    for method in ("GET", "POST"):
        response = call(client, method, f"/join/{code}")
        assert response.status_code == 404
        assert_learns_nothing(response.data)
    response = client.post("/cohorts/code", data={"code": code}, follow_redirects=True)
    assert response.status_code in (400, 404)
    assert_learns_nothing(response.data)
    assert state_snapshot(app) == before


def test_the_mentor_cannot_accept_their_own_invitation(
    app: Flask, client: FlaskClient, world: World
) -> None:
    login(client, "anna-mentor@example.com")
    before = state_snapshot(app)
    assert client.get(f"/join/{world.valid_code}").status_code == 404
    assert client.post(f"/join/{world.valid_code}").status_code == 404
    assert state_snapshot(app) == before


def test_leaving_a_cohort_one_is_not_in_is_404(
    app: Flask, client: FlaskClient, world: World
) -> None:
    before = state_snapshot(app)
    for email, cohort_id in [
        ("outsider@example.com", world.cohort_a),
        ("bob-b@example.com", world.cohort_a),
        ("leah-left@example.com", world.cohort_a),  # already left
        ("alice-remaining@example.com", 999999),
    ]:
        login(client, email)
        response = client.post(f"/cohorts/{cohort_id}/leave")
        assert response.status_code == 404, email
        assert_learns_nothing(response.data)
        client.post("/logout")
    assert state_snapshot(app) == before


def test_candidate_pages_show_only_own_memberships(client: FlaskClient, world: World) -> None:
    login(client, "bob-b@example.com")
    body = client.get("/cohorts").data
    assert b"Cohort Beta" in body
    assert_learns_nothing(body)


# --- CSRF ----------------------------------------------------------------------------------


@pytest.fixture
def csrf_app(tmp_path: Path) -> Iterator[Flask]:
    app = make_test_app(tmp_path, None, WTF_CSRF_ENABLED=True)
    app.config["CLOCK"] = lambda: T0 + timedelta(days=1)
    yield app
    app.extensions["quizapp.engine"].dispose()


def csrf_login(client: FlaskClient, email: str) -> None:
    page = client.get("/login").data.decode()
    token = re.search(r'name="csrf-token" content="([^"]+)"', page)
    assert token is not None
    response = client.post(
        "/login", data={"email": email, "password": DEFAULT_PASSWORD, "csrf_token": token[1]}
    )
    assert response.status_code == 302


def test_every_state_change_needs_a_csrf_token(csrf_app: Flask) -> None:
    w = build_world(csrf_app)
    before = state_snapshot(csrf_app)
    mentor = csrf_app.test_client()
    csrf_login(mentor, "anna-mentor@example.com")
    posts = [url for method, url in [*MENTOR_HOME, *mentor_urls(w)] if method == "POST"]
    for url in posts:
        assert call(mentor, "POST", url).status_code == 400, url
    candidate = csrf_app.test_client()
    csrf_login(candidate, "outsider@example.com")
    for method, url in candidate_urls(w):
        if method == "POST":
            assert call(candidate, "POST", url, {"code": w.valid_code}).status_code == 400, url
    alice = csrf_app.test_client()
    csrf_login(alice, "alice-remaining@example.com")
    assert alice.post(f"/cohorts/{w.cohort_a}/leave").status_code == 400
    assert state_snapshot(csrf_app) == before
    # With the token, the same request works (the check is the token, not the route).
    page = alice.get("/cohorts").data.decode()
    token = re.search(r'name="csrf-token" content="([^"]+)"', page)
    assert token is not None
    response = alice.post(f"/cohorts/{w.cohort_a}/leave", data={"csrf_token": token[1]})
    assert response.status_code == 302

"""Small builders for test data (plain functions, no magic)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from quizapp.data.models import Role, User
from quizapp.services.accounts import create_user

DEFAULT_PASSWORD = "correct horse battery staple"
T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def make_user(
    session: Session,
    email: str = "candidate@example.com",
    *,
    display_name: str = "Casey Candidate",
    password: str = DEFAULT_PASSWORD,
    role: Role = Role.CANDIDATE,
    now: datetime = T0,
) -> User:
    return create_user(
        session,
        email=email,
        display_name=display_name,
        password=password,
        role=role,
        now=now,
        hash_method="pbkdf2:sha256:1",
    )

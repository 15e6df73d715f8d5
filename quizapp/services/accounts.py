"""Accounts: creating users, checking passwords, rotating session tokens."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from quizapp.core.errors import UserInputError
from quizapp.data.models import Role, User


def normalise_email(email: str) -> str:
    return email.strip().lower()


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


def find_by_email(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def create_user(
    session: Session,
    *,
    email: str,
    display_name: str,
    password: str,
    now: datetime,
    role: Role = Role.CANDIDATE,
    hash_method: str = "scrypt",
    timezone: str = "UTC",
) -> User:
    if find_by_email(session, email) is not None:
        raise UserInputError("An account with this email already exists.", field="email")
    user = User(
        email=normalise_email(email),
        display_name=display_name.strip(),
        password_hash=generate_password_hash(password, method=hash_method),
        role=role,
        session_token=new_session_token(),
        timezone=timezone,
        created_at=now,
    )
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, email: str, password: str) -> User | None:
    user = find_by_email(session, email)
    if user is None or not check_password_hash(user.password_hash, password):
        return None
    return user

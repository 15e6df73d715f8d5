"""Accounts: creating users, checking passwords, settings, rotating session tokens.

Functions take a session and never commit; the request or CLI command does.
Every rejected value raises `UserInputError` naming the form field it belongs to.
"""

from __future__ import annotations

import math
import re
import secrets
import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from quizapp.core.errors import UserInputError
from quizapp.data.models import (
    CardState,
    CohortMember,
    MockInterview,
    ReviewLog,
    Role,
    SimAttempt,
    StudyDay,
    User,
)

PASSWORD_MIN_LENGTH = 8
PASSWORD_MAX_LENGTH = 256
DISPLAY_NAME_MAX_LENGTH = 100
EMAIL_MAX_LENGTH = 255
# Deliberately loose, like a browser's type=email: one @, something on each side, no spaces.
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+$")

# Bounds of the study settings: (minimum, maximum), both inclusive.
SETTING_BOUNDS: dict[str, tuple[float, float]] = {
    "day_rollover_hour": (0, 23),
    "new_per_day": (0, 9999),
    "reviews_per_day": (0, 99999),
    "desired_retention": (0.70, 0.99),
    "maximum_interval": (1, 36500),
}
MAX_STEPS = 10
MAX_STEP_SECONDS = 24 * 3600  # Anki: keep (re)learning steps within a day
_STEP_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_STEP = re.compile(r"^([0-9]{1,6})([smhd])$")

EXPORT_FORMAT_VERSION = 1


# -- small helpers -------------------------------------------------------------------


def normalise_email(email: str) -> str:
    return email.strip().lower()


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


@cache
def time_zones() -> tuple[str, ...]:
    """IANA time zone names, sorted, for the select boxes."""
    return tuple(sorted(zoneinfo.available_timezones()))


def is_time_zone(name: str) -> bool:
    return name in time_zones()


def validate_email(email: str) -> str:
    email = normalise_email(email)
    if not email:
        raise UserInputError("Enter your email address.", field="email")
    if len(email) > EMAIL_MAX_LENGTH or not EMAIL_PATTERN.match(email):
        raise UserInputError("Enter a valid email address, like name@example.com.", field="email")
    return email


def validate_password(password: str, field: str = "password") -> str:
    if len(password) < PASSWORD_MIN_LENGTH:
        raise UserInputError(
            f"Use at least {PASSWORD_MIN_LENGTH} characters for the password.", field=field
        )
    if len(password) > PASSWORD_MAX_LENGTH:
        raise UserInputError(
            f"Use at most {PASSWORD_MAX_LENGTH} characters for the password.", field=field
        )
    return password


def validate_display_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise UserInputError("Enter a display name.", field="display_name")
    if len(name) > DISPLAY_NAME_MAX_LENGTH:
        raise UserInputError(
            f"Use at most {DISPLAY_NAME_MAX_LENGTH} characters for the display name.",
            field="display_name",
        )
    return name


def validate_time_zone(name: str, field: str = "timezone") -> str:
    if not is_time_zone(name):
        raise UserInputError("Choose a time zone from the list.", field=field)
    return name


# -- learning steps -------------------------------------------------------------------


def parse_steps(text: str, field: str = "learning_steps") -> list[int]:
    """`"1m 10m"` → `[60, 600]` (seconds). Empty means no steps (FSRS decides)."""
    words = text.replace(",", " ").split()
    if len(words) > MAX_STEPS:
        raise UserInputError(f"Use at most {MAX_STEPS} steps.", field=field)
    steps = []
    for word in words:
        match = _STEP.match(word.lower())
        if match is None:
            raise UserInputError(
                f"{word!r} is not a step: write a number and a unit (s, m, h or d), "
                "separated by spaces, like 1m 10m.",
                field=field,
            )
        seconds = int(match.group(1)) * _STEP_UNITS[match.group(2)]
        if seconds <= 0:
            raise UserInputError(f"{word!r}: a step must be longer than zero.", field=field)
        if seconds > MAX_STEP_SECONDS:
            raise UserInputError(
                f"{word!r}: keep every step within one day (1d), so it can be finished "
                "on the day it is shown.",
                field=field,
            )
        steps.append(seconds)
    return steps


def format_steps(steps: list[int]) -> str:
    """`[60, 600]` → `"1m 10m"`: the largest unit that divides each step exactly."""
    words = []
    for seconds in steps:
        for unit in ("d", "h", "m", "s"):
            size = _STEP_UNITS[unit]
            if seconds % size == 0:
                words.append(f"{seconds // size}{unit}")
                break
    return " ".join(words)


# -- users ----------------------------------------------------------------------------


def find_by_email(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def require_by_email(session: Session, email: str) -> User:
    user = find_by_email(session, email)
    if user is None:
        raise UserInputError(f"No account has the email {normalise_email(email)}.", field="email")
    return user


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
    email = validate_email(email)
    display_name = validate_display_name(display_name)
    validate_password(password)
    validate_time_zone(timezone)
    if find_by_email(session, email) is not None:
        raise UserInputError("An account with this email already exists.", field="email")
    user = User(
        email=email,
        display_name=display_name,
        password_hash=generate_password_hash(password, method=hash_method),
        role=role,
        session_token=new_session_token(),
        timezone=timezone,
        created_at=now,
    )
    session.add(user)
    session.flush()
    return user


def authenticate(
    session: Session, email: str, password: str, *, hash_method: str = "scrypt"
) -> User | None:
    user = find_by_email(session, email)
    if user is None:
        # Spend the same time as a real check, so timing does not reveal who has an account.
        check_password_hash(_dummy_hash(hash_method), password)
        return None
    if not check_password_hash(user.password_hash, password):
        return None
    return user


@cache
def _dummy_hash(hash_method: str) -> str:
    return generate_password_hash(secrets.token_hex(8), method=hash_method)


def record_login(user: User, now: datetime) -> None:
    user.last_active_at = now


def rotate_session_token(user: User) -> str:
    """Sign out every other session and remember-me cookie of `user`."""
    user.session_token = new_session_token()
    return user.session_token


def set_password(user: User, password: str, *, hash_method: str = "scrypt") -> None:
    """Set a new password and end every existing session (the caller may log in again)."""
    validate_password(password, field="new_password")
    user.password_hash = generate_password_hash(password, method=hash_method)
    rotate_session_token(user)


def change_password(
    user: User, current_password: str, new_password: str, *, hash_method: str = "scrypt"
) -> None:
    if not check_password_hash(user.password_hash, current_password):
        raise UserInputError("That is not your current password.", field="current_password")
    set_password(user, new_password, hash_method=hash_method)


def set_role(session: Session, email: str, role: Role | str) -> User:
    try:
        role = Role(role)
    except ValueError:
        choices = ", ".join(r.value for r in Role)
        raise UserInputError(
            f"Unknown role {role!r}; choose one of {choices}.", field="role"
        ) from None
    user = require_by_email(session, email)
    user.role = role
    return user


def delete_account(session: Session, user: User, password: str) -> None:
    """Delete the user and everything that belongs to them (after checking the password)."""
    if not check_password_hash(user.password_hash, password):
        raise UserInputError("That is not your password.", field="password")
    user_id = user.id
    # The foreign keys cascade too; deleting explicitly keeps it true on any backend.
    for model in (ReviewLog, StudyDay, CardState, MockInterview, SimAttempt, CohortMember):
        session.execute(delete(model).where(model.user_id == user_id))
    session.delete(user)
    session.flush()


# -- settings -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the settings page edits."""

    display_name: str
    timezone: str
    day_rollover_hour: int
    new_per_day: int
    reviews_per_day: int
    desired_retention: float
    learning_steps: list[int]
    relearning_steps: list[int]
    maximum_interval: int
    interview_date: date | None


def settings_of(user: User) -> Settings:
    return Settings(
        display_name=user.display_name,
        timezone=user.timezone,
        day_rollover_hour=user.day_rollover_hour,
        new_per_day=user.new_per_day,
        reviews_per_day=user.reviews_per_day,
        desired_retention=user.desired_retention,
        learning_steps=list(user.learning_steps),
        relearning_steps=list(user.relearning_steps),
        maximum_interval=user.maximum_interval,
        interview_date=user.interview_date,
    )


def check_bounds(name: str, value: float) -> None:
    low, high = SETTING_BOUNDS[name]
    if not math.isfinite(value) or not low <= value <= high:
        shown = (f"{low:g}", f"{high:g}")
        raise UserInputError(f"Choose a value from {shown[0]} to {shown[1]}.", field=name)


def update_settings(user: User, settings: Settings) -> None:
    display_name = validate_display_name(settings.display_name)
    validate_time_zone(settings.timezone)
    for name in SETTING_BOUNDS:
        check_bounds(name, getattr(settings, name))
    for name in ("learning_steps", "relearning_steps"):
        steps = getattr(settings, name)
        if len(steps) > MAX_STEPS or any(not 0 < s <= MAX_STEP_SECONDS for s in steps):
            raise UserInputError("Steps must be between 1s and 1d.", field=name)
    user.display_name = display_name
    user.timezone = settings.timezone
    user.day_rollover_hour = int(settings.day_rollover_hour)
    user.new_per_day = int(settings.new_per_day)
    user.reviews_per_day = int(settings.reviews_per_day)
    user.desired_retention = float(settings.desired_retention)
    user.learning_steps = list(settings.learning_steps)
    user.relearning_steps = list(settings.relearning_steps)
    user.maximum_interval = int(settings.maximum_interval)
    user.interview_date = settings.interview_date


# -- data export ----------------------------------------------------------------------


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def export_user_data(session: Session, user: User, now: datetime) -> dict[str, Any]:
    """Everything stored about `user`, as JSON-ready data ("download my data")."""
    card_states = session.scalars(
        select(CardState).where(CardState.user_id == user.id).order_by(CardState.id)
    )
    review_logs = session.scalars(
        select(ReviewLog).where(ReviewLog.user_id == user.id).order_by(ReviewLog.id)
    )
    mocks = session.scalars(
        select(MockInterview).where(MockInterview.user_id == user.id).order_by(MockInterview.id)
    )
    attempts = session.scalars(
        select(SimAttempt).where(SimAttempt.user_id == user.id).order_by(SimAttempt.id)
    )
    memberships = session.scalars(
        select(CohortMember).where(CohortMember.user_id == user.id).order_by(CohortMember.id)
    )
    return {
        "format": "quizapp-user-export",
        "version": EXPORT_FORMAT_VERSION,
        "exported_at": _iso(now),
        "profile": {
            "email": user.email,
            "display_name": user.display_name,
            "role": Role(user.role).value,
            "created_at": _iso(user.created_at),
            "last_active_at": _iso(user.last_active_at),
        },
        "settings": {
            "timezone": user.timezone,
            "day_rollover_hour": user.day_rollover_hour,
            "new_per_day": user.new_per_day,
            "reviews_per_day": user.reviews_per_day,
            "desired_retention": user.desired_retention,
            "learning_steps": format_steps(user.learning_steps),
            "relearning_steps": format_steps(user.relearning_steps),
            "maximum_interval": user.maximum_interval,
            "leech_threshold": user.leech_threshold,
            "interview_date": _iso(user.interview_date),
            "study_selection": user.study_selection,
        },
        "card_states": [
            {
                "question_id": c.question_id,
                "state": c.state,
                "step": c.step,
                "stability": c.stability,
                "difficulty": c.difficulty,
                "due": _iso(c.due),
                "last_review": _iso(c.last_review),
                "reps": c.reps,
                "lapses": c.lapses,
                "suspended": c.suspended,
                "buried_until": _iso(c.buried_until),
                "leech": c.leech,
                "created_at": _iso(c.created_at),
            }
            for c in card_states
        ],
        "review_logs": [
            {
                "question_id": r.question_id,
                "rating": r.rating,
                "reviewed_at": _iso(r.reviewed_at),
                "duration_ms": r.duration_ms,
                "state_before": r.state_before,
                "state_after": r.state_after,
                "typed_answer": r.typed_answer,
                "correct": r.correct,
                "undone": r.undone,
            }
            for r in review_logs
        ],
        "mock_interviews": [
            {
                "started_at": _iso(m.started_at),
                "finished_at": _iso(m.finished_at),
                "time_limit_seconds": m.time_limit_seconds,
                "categories": m.categories,
                "question_ids": m.question_ids,
                "answers": m.answers,
                "score": m.score,
                "by_category": m.by_category,
            }
            for m in mocks
        ],
        "simulator_attempts": [
            {"tier": a.tier, "correct": a.correct, "created_at": _iso(a.created_at)}
            for a in attempts
        ],
        "cohort_memberships": [
            {
                "cohort_id": m.cohort_id,
                "joined_at": _iso(m.joined_at),
                "left_at": _iso(m.left_at),
            }
            for m in memberships
        ],
    }

"""The signed-in user as every request loads it: one indexed Core select, no ORM object.

Loading a `User` through the ORM costs about as much again as the query; most
requests only read the user (its id, role and study settings), so they get this
read-only copy. A view that changes the user, or hands it to a service that
does, loads the `User` row by id (see `quizapp.web.access.account`).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, String, bindparam, select

from quizapp.data.models import Role, User
from quizapp.data.prepared import Prepared


@dataclass(frozen=True, slots=True)
class SignedInUser:
    """A users row without its password hash; what Flask-Login asks of a user, too."""

    id: int
    email: str
    display_name: str
    role: Role
    session_token: str
    timezone: str
    day_rollover_hour: int
    created_at: datetime
    last_active_at: datetime | None
    new_per_day: int
    reviews_per_day: int
    desired_retention: float
    learning_steps: list[int]
    relearning_steps: list[int]
    maximum_interval: int
    leech_threshold: int
    study_selection: dict[str, Any]
    interview_date: date | None

    is_authenticated = True
    is_active = True
    is_anonymous = False

    def get_id(self) -> str:
        return self.session_token


# session_token is a unique index.
_BY_SESSION_TOKEN = Prepared(
    select(*(getattr(User, field.name) for field in fields(SignedInUser))).where(
        User.session_token == bindparam("token", type_=String)
    )
)


def signed_in_user(connection: Connection, session_token: str) -> SignedInUser | None:
    row = _BY_SESSION_TOKEN.first(connection, {"token": session_token})
    return SignedInUser(*row) if row is not None else None

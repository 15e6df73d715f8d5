from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash

from quizapp.core.errors import UserInputError
from quizapp.data.models import Role, User
from quizapp.services import accounts
from tests.factories import DEFAULT_PASSWORD, T0, make_user

FAST = "pbkdf2:sha256:1"


def test_create_user_normalises_and_hashes(session: Session) -> None:
    user = accounts.create_user(
        session,
        email="  Ada@Example.COM ",
        display_name="  Ada   L. ",
        password=DEFAULT_PASSWORD,
        now=T0,
        hash_method=FAST,
        timezone="Europe/London",
    )
    assert (user.email, user.display_name, user.timezone) == (
        "ada@example.com",
        "Ada L.",
        "Europe/London",
    )
    assert check_password_hash(user.password_hash, DEFAULT_PASSWORD)
    assert len(user.session_token) >= 32
    assert user.role == Role.CANDIDATE


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"email": "nope"}, "email"),
        ({"display_name": ""}, "display_name"),
        ({"password": "1234567"}, "password"),
        ({"timezone": "Not/AZone"}, "timezone"),
    ],
)
def test_create_user_rejects_bad_values_naming_the_field(
    session: Session, changes: dict[str, str], field: str
) -> None:
    values = {
        "email": "a@example.com",
        "display_name": "A",
        "password": DEFAULT_PASSWORD,
        "timezone": "UTC",
    }
    with pytest.raises(UserInputError) as error:
        accounts.create_user(session, **{**values, **changes}, now=T0, hash_method=FAST)  # type: ignore[arg-type]
    assert error.value.field == field
    assert session.scalar(select(func.count()).select_from(User)) == 0


def test_duplicate_email_is_rejected(session: Session) -> None:
    make_user(session)
    with pytest.raises(UserInputError, match="already exists"):
        make_user(session, "CANDIDATE@example.com")


def test_authenticate(session: Session) -> None:
    user = make_user(session)
    assert (
        accounts.authenticate(session, "Candidate@Example.com", DEFAULT_PASSWORD, hash_method=FAST)
        is user
    )
    assert (
        accounts.authenticate(session, "candidate@example.com", "wrong", hash_method=FAST) is None
    )
    assert (
        accounts.authenticate(session, "ghost@example.com", DEFAULT_PASSWORD, hash_method=FAST)
        is None
    )


def test_change_password_rotates_the_session_token(session: Session) -> None:
    user = make_user(session)
    before = user.session_token
    accounts.change_password(user, DEFAULT_PASSWORD, "another passphrase", hash_method=FAST)
    assert user.session_token != before
    assert check_password_hash(user.password_hash, "another passphrase")


def test_change_password_checks_the_current_one(session: Session) -> None:
    user = make_user(session)
    before = (user.session_token, user.password_hash)
    with pytest.raises(UserInputError) as error:
        accounts.change_password(user, "wrong", "another passphrase", hash_method=FAST)
    assert error.value.field == "current_password"
    assert (user.session_token, user.password_hash) == before


def test_set_role(session: Session) -> None:
    make_user(session)
    assert accounts.set_role(session, "candidate@example.com", "mentor").role == Role.MENTOR
    with pytest.raises(UserInputError, match="Unknown role"):
        accounts.set_role(session, "candidate@example.com", "root")
    with pytest.raises(UserInputError, match="No account"):
        accounts.set_role(session, "ghost@example.com", "admin")


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("1m 10m", [60, 600]), ("", []), ("  30s,1h ", [30, 3600]), ("1d", [86400]), ("10M", [600])],
)
def test_parse_steps(text: str, seconds: list[int]) -> None:
    assert accounts.parse_steps(text) == seconds


@pytest.mark.parametrize(
    "text", ["1", "m", "1x", "1.5m", "-1m", "0s", "25h", "2d", "1m " * 11, "１m"]
)
def test_parse_steps_rejects(text: str) -> None:
    with pytest.raises(UserInputError) as error:
        accounts.parse_steps(text, "relearning_steps")
    assert error.value.field == "relearning_steps"


@pytest.mark.parametrize(
    ("seconds", "text"), [([60, 600], "1m 10m"), ([90, 3600, 86400], "90s 1h 1d"), ([], "")]
)
def test_format_steps_round_trips(seconds: list[int], text: str) -> None:
    assert accounts.format_steps(seconds) == text
    assert accounts.parse_steps(text) == seconds


def _settings(**changes: object) -> accounts.Settings:
    values: dict[str, object] = {
        "display_name": "Casey",
        "timezone": "Asia/Tokyo",
        "day_rollover_hour": 3,
        "new_per_day": 10,
        "reviews_per_day": 100,
        "desired_retention": 0.93,
        "learning_steps": [60],
        "relearning_steps": [],
        "maximum_interval": 365,
        "interview_date": date(2026, 5, 1),
    }
    values.update(changes)
    return accounts.Settings(**values)  # type: ignore[arg-type]


def test_update_settings(session: Session) -> None:
    user = make_user(session)
    accounts.update_settings(user, _settings())
    assert accounts.settings_of(user) == _settings()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"desired_retention": 0.995}, "desired_retention"),
        ({"desired_retention": float("nan")}, "desired_retention"),
        ({"day_rollover_hour": 24}, "day_rollover_hour"),
        ({"new_per_day": -1}, "new_per_day"),
        ({"maximum_interval": 0}, "maximum_interval"),
        ({"timezone": "UTC+3"}, "timezone"),
        ({"learning_steps": [0]}, "learning_steps"),
        ({"relearning_steps": [86401]}, "relearning_steps"),
    ],
)
def test_update_settings_rejects_out_of_bounds(
    session: Session, changes: dict[str, object], field: str
) -> None:
    user = make_user(session)
    before = accounts.settings_of(user)
    with pytest.raises(UserInputError) as error:
        accounts.update_settings(user, _settings(**changes))
    assert error.value.field == field
    assert accounts.settings_of(user) == before


def test_delete_account_checks_the_password(session: Session) -> None:
    user = make_user(session)
    with pytest.raises(UserInputError):
        accounts.delete_account(session, user, "wrong")
    accounts.delete_account(session, user, DEFAULT_PASSWORD)
    assert session.scalar(select(func.count()).select_from(User)) == 0


def test_export_has_no_secrets(session: Session) -> None:
    user = make_user(session)
    data = accounts.export_user_data(session, user, T0)
    assert data["profile"]["email"] == "candidate@example.com"
    assert data["exported_at"] == T0.isoformat()
    assert data["card_states"] == data["review_logs"] == data["mock_interviews"] == []
    flat = repr(data)
    assert user.password_hash not in flat and user.session_token not in flat


def test_deleting_a_mentor_removes_their_cohorts_but_not_their_candidates(session: Session) -> None:
    from datetime import timedelta

    from quizapp.data.models import Cohort, CohortMember, Invitation

    mentor = make_user(session, "mentor@example.com", role=Role.MENTOR)
    candidate = make_user(session)
    cohort = Cohort(mentor_id=mentor.id, name="Spring", created_at=T0)
    session.add(cohort)
    session.flush()
    invitation = Invitation(
        cohort_id=cohort.id, code="abc", created_at=T0, expires_at=T0 + timedelta(days=7)
    )
    session.add(invitation)
    session.flush()
    session.add(
        CohortMember(
            cohort_id=cohort.id, user_id=candidate.id, invitation_id=invitation.id, joined_at=T0
        )
    )
    session.flush()
    accounts.delete_account(session, mentor, DEFAULT_PASSWORD)
    session.expire_all()
    for model in (Cohort, Invitation, CohortMember):
        assert session.scalar(select(func.count()).select_from(model)) == 0
    assert session.scalar(select(func.count()).select_from(User)) == 1

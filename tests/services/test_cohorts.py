"""Cohorts and consent: invitations, accepting, leaving, and who sees whom."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from quizapp.core.errors import UserInputError
from quizapp.services import cohorts
from tests.factories import T0, make_user
from tests.mentor_factories import make_cohort, make_mentor


@pytest.mark.parametrize(
    ("name", "inactive_days", "field"),
    [("", 7, "name"), ("   ", 7, "name"), ("x" * 201, 7, "name"), ("ok", 0, "inactive_days"),
     ("ok", 366, "inactive_days")],
)  # fmt: skip
def test_cohort_validation_names_the_field(
    session: Session, name: str, inactive_days: int, field: str
) -> None:
    mentor = make_mentor(session)
    with pytest.raises(UserInputError) as caught:
        cohorts.create_cohort(session, mentor, name, now=T0, inactive_days=inactive_days)
    assert caught.value.field == field


def test_only_mentors_and_admins_create_cohorts(session: Session) -> None:
    candidate = make_user(session)
    with pytest.raises(UserInputError):
        cohorts.create_cohort(session, candidate, "Mine", now=T0)


def test_codes_are_short_typeable_and_normalised(session: Session) -> None:
    cohort = make_cohort(session, make_mentor(session))
    invitation = cohorts.create_invitation(session, cohort, now=T0)
    code = invitation.code
    assert len(code) == cohorts.CODE_LENGTH and set(code) <= set(cohorts.CODE_ALPHABET)
    assert cohorts.normalise_code(f" {cohorts.format_code(code).lower()} ") == code
    assert cohorts.normalise_code("O0I1-abc") == ""
    assert invitation.expires_at == T0 + timedelta(days=cohorts.DEFAULT_INVITATION_DAYS)
    with pytest.raises(UserInputError):
        cohorts.create_invitation(session, cohort, now=T0, days=0)


def test_candidate_sees_mentor_and_cohort_before_accepting(session: Session) -> None:
    mentor = make_mentor(session)
    cohort = make_cohort(session, mentor, "Night shift")
    candidate = make_user(session)
    invitation = cohorts.create_invitation(session, cohort, now=T0)
    view = cohorts.open_invitation(session, invitation.code, candidate, now=T0)
    assert view is not None
    assert (view.mentor.id, view.cohort.name, view.already_member) == (
        mentor.id,
        "Night shift",
        False,
    )
    assert cohorts.active_members(session, cohort) == []  # nothing shared until accepted


def test_expired_revoked_unknown_and_own_invitations_open_nothing(session: Session) -> None:
    mentor = make_mentor(session)
    cohort = make_cohort(session, mentor)
    candidate = make_user(session)
    expired = cohorts.create_invitation(session, cohort, now=T0, days=1)
    revoked = cohorts.create_invitation(session, cohort, now=T0)
    cohorts.revoke_invitation(revoked, now=T0)
    later = T0 + timedelta(days=1)
    assert cohorts.invitation_status(expired, later) is cohorts.InvitationStatus.EXPIRED
    assert cohorts.invitation_status(revoked, later) is cohorts.InvitationStatus.REVOKED
    for code in (expired.code, revoked.code, "ABCDEFGHJK", ""):
        assert cohorts.open_invitation(session, code, candidate, now=later) is None
        with pytest.raises(UserInputError):
            cohorts.accept_invitation(session, code, candidate, now=later)
    valid = cohorts.create_invitation(session, cohort, now=later)
    assert cohorts.open_invitation(session, valid.code, mentor, now=later) is None
    assert cohorts.active_members(session, cohort) == []


def test_accept_leave_and_rejoin(session: Session) -> None:
    mentor = make_mentor(session)
    cohort = make_cohort(session, mentor)
    candidate = make_user(session)
    invitation = cohorts.create_invitation(session, cohort, now=T0)
    member = cohorts.accept_invitation(session, invitation.code, candidate, now=T0)
    assert cohorts.shared_candidate(session, cohort, candidate.id) == candidate
    assert [m.cohort.id for m in cohorts.my_memberships(session, candidate)] == [cohort.id]
    # Accepting twice changes nothing.
    assert cohorts.accept_invitation(session, invitation.code, candidate, now=T0).id == member.id

    assert cohorts.leave_cohort(session, candidate, cohort.id, now=T0 + timedelta(hours=1))
    assert cohorts.shared_candidate(session, cohort, candidate.id) is None
    assert cohorts.my_memberships(session, candidate) == []
    assert not cohorts.leave_cohort(session, candidate, cohort.id, now=T0)  # already left

    later = T0 + timedelta(days=2)
    again = cohorts.accept_invitation(session, invitation.code, candidate, now=later)
    assert (again.id, again.left_at, again.joined_at) == (member.id, None, later)


def test_mentor_sees_only_own_cohorts_and_remaining_members(session: Session) -> None:
    anna, boris = (
        make_mentor(session, "anna@example.com"),
        make_mentor(session, "boris@example.com"),
    )
    a, b = make_cohort(session, anna, "A"), make_cohort(session, boris, "B")
    stays, leaves = make_user(session, "s@example.com"), make_user(session, "l@example.com")
    for user in (stays, leaves):
        code = cohorts.create_invitation(session, a, now=T0).code
        cohorts.accept_invitation(session, code, user, now=T0)
    cohorts.leave_cohort(session, leaves, a.id, now=T0)
    assert cohorts.mentor_cohort(session, boris, a.id) is None
    assert cohorts.mentor_cohort(session, anna, b.id) is None
    assert cohorts.shared_candidate(session, b, stays.id) is None
    assert [u.id for _, u in cohorts.active_members(session, a)] == [stays.id]
    summaries = cohorts.mentor_cohorts(session, anna, now=T0)
    assert [(s.cohort.name, s.members, s.open_invitations) for s in summaries] == [("A", 1, 2)]
    assert cohorts.remove_member(session, a, stays.id, now=T0)
    assert cohorts.active_members(session, a) == []

"""Cohorts and consent: mentors invite, candidates accept and may leave at any time.

Sharing is a grant from the candidate: it exists only while a `CohortMember`
row has no `left_at`. Every mentor-side lookup goes through `mentor_cohort` and
`shared_candidate`, which return nothing (rather than raising "forbidden") for
anything the mentor may not see, so the web layer answers 404 and a guessed id
learns nothing.
"""

from __future__ import annotations

import enum
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from quizapp.core.errors import UserInputError
from quizapp.data.models import Cohort, CohortMember, Invitation, Role, User

# What a mentor sees, shown to the candidate before they accept (and on "my cohorts").
SHARED_ITEMS = (
    "your name and email address",
    "when you last studied, how many reviews you did and your daily streak",
    "your true retention, due backlog and mastery per category",
    "your most-failed questions and leeches (question text, not your typed answers)",
    "your OOM-simulator accuracy and mock-interview scores",
    "your interview date and how ready you look for it",
)
NOT_SHARED = (
    "your password and account settings",
    "what you typed in answers",
    "anything at all once you leave the cohort: sharing stops at once",
)
# Shown with SHARED_ITEMS: the mentor sees the whole history, not only from the day you join.
HISTORY_NOTE = "The mentor sees your study history from before you joined, as long as you remain."

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: easy to type
CODE_LENGTH = 10
INVITATION_DAYS_BOUNDS = (1, 90)
DEFAULT_INVITATION_DAYS = 14
INACTIVE_DAYS_BOUNDS = (1, 365)
NAME_MAX = 200


class InvitationStatus(enum.StrEnum):
    VALID = "valid"
    EXPIRED = "expired"
    REVOKED = "revoked"


def may_mentor(user: User) -> bool:
    return Role(user.role) in (Role.MENTOR, Role.ADMIN)


# --- mentor side ------------------------------------------------------------------------------


def create_cohort(
    session: Session, mentor: User, name: str, *, now: datetime, inactive_days: int = 7
) -> Cohort:
    name = name.strip()
    if not name:
        raise UserInputError("Give the cohort a name.", field="name")
    if len(name) > NAME_MAX:
        raise UserInputError(f"Keep the name under {NAME_MAX} characters.", field="name")
    low, high = INACTIVE_DAYS_BOUNDS
    if not low <= inactive_days <= high:
        raise UserInputError(
            f"Inactive after must be between {low} and {high} days.", field="inactive_days"
        )
    if not may_mentor(mentor):
        raise UserInputError("Only mentors can create cohorts.")
    cohort = Cohort(mentor_id=mentor.id, name=name, inactive_days=inactive_days, created_at=now)
    session.add(cohort)
    session.flush()
    return cohort


def update_cohort(session: Session, cohort: Cohort, *, name: str, inactive_days: int) -> Cohort:
    name = name.strip()
    if not name or len(name) > NAME_MAX:
        raise UserInputError("Give the cohort a name (up to 200 characters).", field="name")
    low, high = INACTIVE_DAYS_BOUNDS
    if not low <= inactive_days <= high:
        raise UserInputError(
            f"Inactive after must be between {low} and {high} days.", field="inactive_days"
        )
    cohort.name = name
    cohort.inactive_days = inactive_days
    session.flush()
    return cohort


@dataclass(frozen=True, slots=True)
class CohortSummary:
    cohort: Cohort
    members: int
    open_invitations: int


def mentor_cohorts(session: Session, mentor: User, *, now: datetime) -> list[CohortSummary]:
    """The mentor's cohorts with their active member and open invitation counts (2 queries)."""
    members = (
        select(func.count(CohortMember.id))
        .where(CohortMember.cohort_id == Cohort.id, CohortMember.left_at.is_(None))
        .scalar_subquery()
    )
    invitations = (
        select(func.count(Invitation.id))
        .where(
            Invitation.cohort_id == Cohort.id,
            Invitation.revoked_at.is_(None),
            Invitation.expires_at > now,
        )
        .scalar_subquery()
    )
    rows = session.execute(
        select(Cohort, members, invitations)
        .where(Cohort.mentor_id == mentor.id)
        .order_by(Cohort.created_at.desc(), Cohort.id.desc())
    ).all()
    return [CohortSummary(cohort, n_members, n_open) for cohort, n_members, n_open in rows]


def mentor_cohort(session: Session, mentor: User, cohort_id: int) -> Cohort | None:
    """The cohort if this mentor owns it, else None (whether it exists or not)."""
    return session.scalar(
        select(Cohort).where(Cohort.id == cohort_id, Cohort.mentor_id == mentor.id)
    )


def active_members(session: Session, cohort: Cohort) -> list[tuple[CohortMember, User]]:
    rows = session.execute(
        select(CohortMember, User)
        .join(User, User.id == CohortMember.user_id)
        .where(CohortMember.cohort_id == cohort.id, CohortMember.left_at.is_(None))
        .order_by(User.display_name, User.id)
    ).all()
    return [(member, user) for member, user in rows]


def shared_candidate(session: Session, cohort: Cohort, user_id: int) -> User | None:
    """The candidate if they are, right now, an accepted member of `cohort`."""
    return session.scalar(
        select(User)
        .join(CohortMember, CohortMember.user_id == User.id)
        .where(
            CohortMember.cohort_id == cohort.id,
            CohortMember.user_id == user_id,
            CohortMember.left_at.is_(None),
        )
    )


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(raw: str) -> str:
    """What a person types: any case, with spaces or dashes. Returns '' for junk."""
    code = "".join(ch for ch in raw.upper() if ch not in " -\t")
    if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
        return ""
    return code


def format_code(code: str) -> str:
    """ABCDE-FGHJK: easier to read aloud or type from a chat message."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"


def create_invitation(
    session: Session, cohort: Cohort, *, now: datetime, days: int = DEFAULT_INVITATION_DAYS
) -> Invitation:
    low, high = INVITATION_DAYS_BOUNDS
    if not low <= days <= high:
        raise UserInputError(f"Expiry must be between {low} and {high} days.", field="days")
    while True:
        code = new_code()
        if session.scalar(select(Invitation.id).where(Invitation.code == code)) is None:
            break
    invitation = Invitation(
        cohort_id=cohort.id, code=code, created_at=now, expires_at=now + timedelta(days=days)
    )
    session.add(invitation)
    session.flush()
    return invitation


def cohort_invitations(session: Session, cohort: Cohort) -> list[Invitation]:
    return list(
        session.scalars(
            select(Invitation)
            .where(Invitation.cohort_id == cohort.id)
            .order_by(Invitation.created_at.desc(), Invitation.id.desc())
        )
    )


def cohort_invitation(session: Session, cohort: Cohort, invitation_id: int) -> Invitation | None:
    return session.scalar(
        select(Invitation).where(Invitation.id == invitation_id, Invitation.cohort_id == cohort.id)
    )


def revoke_invitation(invitation: Invitation, *, now: datetime) -> None:
    """No one can accept it any more; people who already joined stay (they can leave)."""
    if invitation.revoked_at is None:
        invitation.revoked_at = now


def invitation_status(invitation: Invitation, now: datetime) -> InvitationStatus:
    if invitation.revoked_at is not None:
        return InvitationStatus.REVOKED
    if invitation.expires_at <= now:
        return InvitationStatus.EXPIRED
    return InvitationStatus.VALID


def remove_member(session: Session, cohort: Cohort, user_id: int, *, now: datetime) -> bool:
    """A mentor may also stop following someone; it ends sharing like leaving does."""
    member = session.scalar(
        select(CohortMember).where(
            CohortMember.cohort_id == cohort.id,
            CohortMember.user_id == user_id,
            CohortMember.left_at.is_(None),
        )
    )
    if member is None:
        return False
    member.left_at = now
    session.flush()
    return True


# --- candidate side ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class InvitationView:
    """What a candidate sees before accepting: who invites them, to what, and what is shared."""

    invitation: Invitation
    cohort: Cohort
    mentor: User
    already_member: bool


def open_invitation(
    session: Session, code: str, user: User, *, now: datetime
) -> InvitationView | None:
    """The invitation behind `code` if it can be accepted now by `user`; else None.

    Unknown, expired and revoked codes look the same from outside, and so does
    the mentor's own invitation: nothing about the cohort or mentor leaks.
    """
    code = normalise_code(code)
    if not code:
        return None
    row = session.execute(
        select(Invitation, Cohort, User)
        .join(Cohort, Cohort.id == Invitation.cohort_id)
        .join(User, User.id == Cohort.mentor_id)
        .where(Invitation.code == code)
    ).first()
    if row is None:
        return None
    invitation, cohort, mentor = row
    if invitation_status(invitation, now) is not InvitationStatus.VALID or mentor.id == user.id:
        return None
    member = _membership(session, cohort.id, user.id)
    return InvitationView(invitation, cohort, mentor, member is not None and member.left_at is None)


def _membership(session: Session, cohort_id: int, user_id: int) -> CohortMember | None:
    return session.scalar(
        select(CohortMember).where(
            CohortMember.cohort_id == cohort_id, CohortMember.user_id == user_id
        )
    )


def accept_invitation(session: Session, code: str, user: User, *, now: datetime) -> CohortMember:
    view = open_invitation(session, code, user, now=now)
    if view is None:
        raise UserInputError("This invitation is not valid. Ask your mentor for a new one.")
    member = _membership(session, view.cohort.id, user.id)
    if member is None:
        member = CohortMember(
            cohort_id=view.cohort.id,
            user_id=user.id,
            invitation_id=view.invitation.id,
            joined_at=now,
        )
        session.add(member)
    elif member.left_at is not None:  # rejoining after leaving: a fresh grant
        member.left_at = None
        member.joined_at = now
        member.invitation_id = view.invitation.id
    session.flush()
    return member


@dataclass(frozen=True, slots=True)
class Membership:
    member: CohortMember
    cohort: Cohort
    mentor: User


def my_memberships(session: Session, user: User) -> list[Membership]:
    """Cohorts the user currently shares with (active grants only)."""
    rows = session.execute(
        select(CohortMember, Cohort, User)
        .join(Cohort, Cohort.id == CohortMember.cohort_id)
        .join(User, User.id == Cohort.mentor_id)
        .where(CohortMember.user_id == user.id, CohortMember.left_at.is_(None))
        .order_by(CohortMember.joined_at.desc())
    ).all()
    return [Membership(member, cohort, mentor) for member, cohort, mentor in rows]


def leave_cohort(session: Session, user: User, cohort_id: int, *, now: datetime) -> bool:
    """Stop sharing with the cohort's mentor, at once. False if not a member."""
    member = _membership(session, cohort_id, user.id)
    if member is None or member.left_at is not None:
        return False
    member.left_at = now
    session.flush()
    return True

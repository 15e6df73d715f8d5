"""Mentor and cohort forms. Bounds come from `quizapp.services.cohorts`."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from quizapp.services import cohorts


class CohortForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=cohorts.NAME_MAX)])
    inactive_days = IntegerField(
        "Flag as inactive after (days)",
        default=7,
        validators=[InputRequired(), NumberRange(*cohorts.INACTIVE_DAYS_BOUNDS)],
        description="Candidates with no activity for this many days are flagged.",
    )


class InvitationForm(FlaskForm):
    days = IntegerField(
        "Valid for (days)",
        default=cohorts.DEFAULT_INVITATION_DAYS,
        validators=[InputRequired(), NumberRange(*cohorts.INVITATION_DAYS_BOUNDS)],
    )


class CodeForm(FlaskForm):
    code = StringField(
        "Invitation code",
        validators=[DataRequired(), Length(max=40)],
        description="The code your mentor gave you, e.g. ABCDE-FGH23.",
    )


class ConfirmForm(FlaskForm):
    """A button: only the CSRF token (accept, leave, revoke, remove)."""

"""Account forms. Field-level rules come from `quizapp.services.accounts`, so the
form and the service (and the CLI) reject the same values with the same words."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    Field,
    FloatField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, EqualTo, InputRequired, Optional, ValidationError
from wtforms.widgets import NumberInput

from quizapp.core.errors import UserInputError
from quizapp.services import accounts


def checked_by(check: Callable[..., Any]) -> Callable[[FlaskForm, Field], None]:
    """A WTForms validator that runs a service check and shows its message."""

    def validator(form: FlaskForm, field: Field) -> None:
        try:
            check(field.data or "")
        except UserInputError as error:
            raise ValidationError(str(error)) from None

    return validator


def within_bounds(name: str) -> Callable[[FlaskForm, Field], None]:
    def validator(form: FlaskForm, field: Field) -> None:
        if field.data is None:
            return
        try:
            accounts.check_bounds(name, field.data)
        except UserInputError as error:
            raise ValidationError(str(error)) from None

    return validator


def show_error(form: FlaskForm, error: UserInputError) -> bool:
    """Attach a service error to its field; False if the form has no such field."""
    field = getattr(form, error.field, None) if error.field else None
    if not isinstance(field, Field):
        return False
    field.errors = [*field.errors, str(error)]
    return True


def _time_zone_field(*, detect: bool = False) -> SelectField:
    render_kw = {"autocomplete": "off"}
    if detect:  # static/js/timezone.js preselects the browser's zone
        render_kw["data-detect-timezone"] = ""
    return SelectField(
        "Time zone",
        default="UTC",
        description="Your study day starts at the rollover hour in this time zone.",
        render_kw=render_kw,
    )


class RegisterForm(FlaskForm):
    email = EmailField(
        "Email",
        validators=[DataRequired("Enter your email address."), checked_by(accounts.validate_email)],
        render_kw={"autocomplete": "email"},
    )
    display_name = StringField(
        "Display name",
        validators=[
            DataRequired("Enter a display name."),
            checked_by(accounts.validate_display_name),
        ],
        description="Shown to mentors you share your progress with.",
        render_kw={"autocomplete": "nickname"},
    )
    password = PasswordField(
        "Password",
        validators=[InputRequired("Choose a password."), checked_by(accounts.validate_password)],
        description=f"At least {accounts.PASSWORD_MIN_LENGTH} characters.",
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        "Repeat the password",
        validators=[
            InputRequired("Repeat the password."),
            EqualTo("password", "The two passwords differ."),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    timezone = _time_zone_field(detect=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.timezone.choices = list(accounts.time_zones())


class LoginForm(FlaskForm):
    email = EmailField(
        "Email",
        validators=[DataRequired("Enter your email address.")],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        "Password",
        validators=[InputRequired("Enter your password.")],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField("Keep me logged in on this device")


def _int_field(label: str, name: str, description: str = "") -> IntegerField:
    low, high = accounts.SETTING_BOUNDS[name]
    return IntegerField(
        label,
        validators=[InputRequired("Enter a whole number."), within_bounds(name)],
        description=description,
        render_kw={"min": int(low), "max": int(high), "inputmode": "numeric"},
    )


class SettingsForm(FlaskForm):
    display_name = StringField(
        "Display name",
        validators=[
            DataRequired("Enter a display name."),
            checked_by(accounts.validate_display_name),
        ],
    )
    timezone = _time_zone_field()
    day_rollover_hour = _int_field(
        "Next day starts at (hour)", "day_rollover_hour", "0–23, local time. Anki's default is 4."
    )
    new_per_day = _int_field("New cards per day", "new_per_day", "Anki's default is 20.")
    reviews_per_day = _int_field(
        "Maximum reviews per day", "reviews_per_day", "Anki's default is 200."
    )
    desired_retention = FloatField(
        "Desired retention",
        validators=[InputRequired("Enter a number like 0.90."), within_bounds("desired_retention")],
        description="From 0.70 to 0.99. Higher means more reviews; 0.90 is the default.",
        widget=NumberInput(step="0.01", min="0.70", max="0.99"),
    )
    learning_steps = StringField(
        "Learning steps",
        validators=[checked_by(lambda text: accounts.parse_steps(text, "learning_steps"))],
        description="Delays for new cards, like 1m 10m (units s, m, h, d; at most 1d).",
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )
    relearning_steps = StringField(
        "Relearning steps",
        validators=[checked_by(lambda text: accounts.parse_steps(text, "relearning_steps"))],
        description="Delays after a lapse, like 10m.",
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )
    maximum_interval = _int_field(
        "Maximum interval (days)", "maximum_interval", "36500 (100 years) is Anki's default."
    )
    interview_date = DateField(
        "Interview date",
        validators=[Optional()],
        description="Optional. The progress page predicts your recall on that day.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.timezone.choices = list(accounts.time_zones())

    def to_settings(self) -> accounts.Settings:
        return accounts.Settings(
            display_name=self.display_name.data or "",
            timezone=self.timezone.data or "",
            day_rollover_hour=self.day_rollover_hour.data or 0,
            new_per_day=self.new_per_day.data or 0,
            reviews_per_day=self.reviews_per_day.data or 0,
            desired_retention=self.desired_retention.data or 0.0,
            learning_steps=accounts.parse_steps(self.learning_steps.data or ""),
            relearning_steps=accounts.parse_steps(
                self.relearning_steps.data or "", "relearning_steps"
            ),
            maximum_interval=self.maximum_interval.data or 0,
            interview_date=self.interview_date.data,
        )


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        "Current password",
        validators=[InputRequired("Enter your current password.")],
        render_kw={"autocomplete": "current-password"},
    )
    new_password = PasswordField(
        "New password",
        validators=[
            InputRequired("Choose a new password."),
            checked_by(accounts.validate_password),
        ],
        description="Logs out your other devices.",
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        "Repeat the new password",
        validators=[
            InputRequired("Repeat the new password."),
            EqualTo("new_password", "The two passwords differ."),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class DeleteAccountForm(FlaskForm):
    password = PasswordField(
        "Your password",
        validators=[InputRequired("Enter your password to confirm.")],
        render_kw={"autocomplete": "current-password"},
    )

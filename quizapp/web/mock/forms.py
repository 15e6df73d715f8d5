"""Mock-interview forms: starting one, and answering one question."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectMultipleField, StringField
from wtforms.validators import InputRequired, NumberRange
from wtforms.widgets import CheckboxInput, ListWidget

from quizapp.services import mock


class StartForm(FlaskForm):
    categories = SelectMultipleField(
        "Categories",
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    count = IntegerField(
        "Number of questions",
        default=mock.DEFAULT_QUESTIONS,
        validators=[
            InputRequired("Enter a number of questions."),
            NumberRange(mock.MIN_QUESTIONS, mock.MAX_QUESTIONS),
        ],
        render_kw={"min": mock.MIN_QUESTIONS, "max": mock.MAX_QUESTIONS, "inputmode": "numeric"},
    )
    minutes = IntegerField(
        "Time limit (minutes)",
        default=mock.DEFAULT_MINUTES,
        validators=[
            InputRequired("Enter a time limit in minutes."),
            NumberRange(mock.MIN_MINUTES, mock.MAX_MINUTES),
        ],
        render_kw={"min": mock.MIN_MINUTES, "max": mock.MAX_MINUTES, "inputmode": "numeric"},
    )

    def __init__(self, options: list[mock.CategoryOption], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.categories.choices = [(o.slug, f"{o.title} ({o.count})") for o in options]
        if self.categories.data is None:
            self.categories.data = [o.slug for o in options]

    def validate_categories(self, field: SelectMultipleField) -> None:
        from wtforms.validators import ValidationError

        if not field.data:
            raise ValidationError("Choose at least one category.")


class AnswerForm(FlaskForm):
    """Only CSRF and the question id are fields; the rest is read per kind by the view."""

    question_id = HiddenField()
    choice = StringField()
    typed = StringField()
    self_grade = StringField()

"""Mock interviews: start one, answer one question per page, see the report and history.

Mock interviews never change the spaced-repetition schedule (see services/mock.py).
"""

from __future__ import annotations

import random
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required

from quizapp import database
from quizapp.clock import now
from quizapp.core.errors import UserInputError
from quizapp.data.models import MockInterview, Question, User
from quizapp.services import mock as mocks
from quizapp.web.access import account
from quizapp.web.markup import markdown_html
from quizapp.web.mock.forms import AnswerForm, StartForm
from quizapp.web.mock.rendering import scenario_table

bp = Blueprint("mock", __name__, url_prefix="/mock")


def _user() -> User:
    return account()


def _local(moment: datetime | None) -> str:
    """A stored UTC time in the user's time zone, for tables."""
    if moment is None:
        return ""
    return moment.astimezone(ZoneInfo(_user().timezone)).strftime("%Y-%m-%d %H:%M")


def _own_mock(mock_id: int) -> MockInterview:
    found = mocks.get_mock(database.get_session(), _user(), mock_id)
    if found is None:
        abort(404)
    return found


@bp.route("/", methods=["GET", "POST"])
@login_required
def index() -> ResponseReturnValue:
    db = database.get_session()
    options = mocks.category_options(db)
    form = StartForm(options)
    if form.validate_on_submit():
        try:
            started = mocks.start_mock(
                db,
                _user(),
                categories=form.categories.data or [],
                count=form.count.data or 0,
                minutes=form.minutes.data or 0,
                now=now(),
                rng=random.Random(),
            )
        except UserInputError as error:
            db.rollback()
            field = getattr(form, error.field or "", None)
            if field is not None:
                field.errors = [*field.errors, str(error)]
            else:
                flash(str(error), "error")
        else:
            db.commit()
            if len(started.question_ids) < (form.count.data or 0):
                flash(
                    f"Only {len(started.question_ids)} questions match those categories; "
                    "the mock has all of them.",
                    "info",
                )
            return redirect(url_for("mock.question", mock_id=started.id))
    status = 422 if request.method == "POST" else 200
    current = mocks.in_progress(db, _user())
    if current is not None and mocks.expire_if_due(db, current, now()):
        db.commit()
        current = None
    return (
        render_template(
            "mock/index.html",
            form=form,
            options=options,
            current=current,
            history=mocks.history(db, _user().id),
            local=_local,
        ),
        status,
    )


@bp.get("/<int:mock_id>")
@login_required
def question(mock_id: int) -> ResponseReturnValue:
    db = database.get_session()
    mock = _own_mock(mock_id)
    if mocks.expire_if_due(db, mock, now()):
        db.commit()
        return redirect(url_for("mock.report", mock_id=mock.id))
    return _question_page(mock, AnswerForm(formdata=None))


def _question_page(mock: MockInterview, form: AnswerForm, status: int = 200) -> ResponseReturnValue:
    qid = mocks.next_question_id(mock)
    if qid is None:  # every question answered but not closed (should not happen): close it
        mocks.finish(database.get_session(), mock, now())
        database.get_session().commit()
        return redirect(url_for("mock.report", mock_id=mock.id))
    row = database.get_session().get(Question, qid)
    if row is None:
        abort(404)
    form.question_id.data = qid
    return (
        render_template(
            "mock/question.html",
            mock=mock,
            form=form,
            question=row,
            family=mocks.kind_family(row.kind),
            choices=mocks.choices_of(row),
            number=mock.question_ids.index(qid) + 1,
            total=len(mock.question_ids),
            seconds_left=mocks.seconds_left(mock, now()),
            deadline=mocks.deadline(mock),
            md=markdown_html,
            scenario=scenario_table,
        ),
        status,
    )


@bp.post("/<int:mock_id>/answer")
@login_required
def answer(mock_id: int) -> ResponseReturnValue:
    db = database.get_session()
    mock = _own_mock(mock_id)
    form = AnswerForm()
    if not form.validate_on_submit():
        return _question_page(mock, form, 422)
    response = mocks.Response(
        choice=request.form.get("choice", ""),
        typed=request.form.get("typed", ""),
        self_grade=request.form.get("self_grade", ""),
        skip="skip" in request.form,
    )
    try:
        counted = mocks.answer_question(db, mock, form.question_id.data or "", response, now())
    except UserInputError as error:
        db.rollback()
        field = getattr(form, error.field or "", None)
        if field is not None:
            field.errors = [*field.errors, str(error)]
        else:
            flash(str(error), "error")
        return _question_page(mock, form, 422)
    db.commit()
    if mock.finished_at is not None:
        if not counted:
            flash("Time was up: that answer was not counted.", "warning")
        return redirect(url_for("mock.report", mock_id=mock.id))
    return redirect(url_for("mock.question", mock_id=mock.id))


@bp.post("/<int:mock_id>/finish")
@login_required
def finish(mock_id: int) -> ResponseReturnValue:
    db = database.get_session()
    mock = _own_mock(mock_id)
    form = AnswerForm()  # CSRF only
    if form.validate_on_submit():
        mocks.finish(db, mock, now())
        db.commit()
    return redirect(url_for("mock.report", mock_id=mock.id))


@bp.get("/<int:mock_id>/report")
@login_required
def report(mock_id: int) -> ResponseReturnValue:
    db = database.get_session()
    mock = _own_mock(mock_id)
    if mock.finished_at is None and not mocks.expire_if_due(db, mock, now()):
        return redirect(url_for("mock.question", mock_id=mock.id))
    db.commit()
    return render_template("mock/report.html", report=mocks.report(db, mock), md=markdown_html)

"""Studying: choose what to study, then the review screen (prompt → reveal → grade).

Every step is a plain form POST, so the basic flow needs no JavaScript;
static/js/study.js adds Anki's keys on top.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from quizapp import clock, database
from quizapp.core.errors import UserInputError
from quizapp.core.scheduler import Rating
from quizapp.data.users import SignedInUser
from quizapp.extensions import login_manager
from quizapp.services import study
from quizapp.web.access import account
from quizapp.web.markup import markdown_html

bp = Blueprint("study", __name__, url_prefix="/study")

MAX_TYPED = 2000


@bp.before_request
def _require_login() -> ResponseReturnValue | None:
    if not current_user.is_authenticated:
        response: ResponseReturnValue = login_manager.unauthorized()
        return response
    return None


def _user() -> SignedInUser:
    user: SignedInUser = current_user._get_current_object()
    return user


@bp.app_template_filter("markdown")
def _markdown_filter(text: str | None, rendered: str | None = None) -> Any:
    return markdown_html(text, rendered)


@bp.get("/")
def index() -> ResponseReturnValue:
    session = database.get_session()
    user, now = _user(), clock.now()
    study.ensure_cards(session, user, now)  # questions added or retired by a content build
    session.commit()
    return render_template(
        "study/index.html",
        status=study.queue_status(session, user, now),
        options=study.selection_options(session),
        selection=study.Selection.from_json(user.study_selection),
        suspended=study.suspended_cards(session, user),
    )


@bp.post("/selection")
def save_selection() -> ResponseReturnValue:
    session = database.get_session()
    form = request.form
    selection = study.Selection.from_json(
        {name: form.getlist(name) for name in study.SELECTION_FIELDS}
    )
    try:
        added = study.save_selection(session, account(), selection, clock.now())
    except UserInputError as error:
        session.rollback()
        flash(str(error), "error")
        return redirect(url_for("study.index"))
    session.commit()
    flash(f"Saved. {added} new cards added to your collection." if added else "Saved.", "success")
    if form.get("start"):
        return redirect(url_for("study.review"))
    return redirect(url_for("study.index"))


# The review loop (review, reveal, answer) runs on the request's connection, no ORM
# session: see quizapp.database.


@bp.get("/review")
def review() -> ResponseReturnValue:
    connection = database.get_connection()
    user, now = _user(), clock.now()
    prefer = request.args.get("card", type=int)
    shown = study.next_card(connection, user, now, prefer=prefer)
    if shown.card is None:
        wait = None
        if shown.status.next_learning_due is not None:
            wait = shown.status.next_learning_due - now
        return render_template("study/done.html", status=shown.status, wait=wait)
    return render_template(
        "study/review.html",
        status=shown.status,
        card=shown.card,
        revealed=False,
        grading=None,
        shown_at=int(now.timestamp() * 1000),
    )


def _int(name: str) -> int:
    value = request.form.get(name, type=int)
    if value is None:
        abort(400)
    return value


def _typed() -> str | None:
    typed = request.form.get("typed")
    return typed[:MAX_TYPED] if typed is not None else None


def _choice() -> int | None:
    return request.form.get("choice", type=int)


@bp.post("/reveal")
def reveal() -> ResponseReturnValue:
    connection = database.get_connection()
    user, now = _user(), clock.now()
    token = request.form.get("token", "")[:64]
    card = study.shown_card(connection, user, _int("card"), token, now)
    if card is None:
        abort(404)
    if card.shown_reps != _int("reps"):
        flash("That card was already answered in another tab or window.", "warning")
        return redirect(url_for("study.review"))
    grading = study.grade(card.question, _typed(), _choice())
    return render_template(
        "study/review.html",
        status=study.queue_status(connection, user, now),
        card=card,
        revealed=True,
        grading=grading,
        shown_at=request.form.get("shown_at", type=int) or int(now.timestamp() * 1000),
    )


@bp.post("/answer")
def answer() -> ResponseReturnValue:
    connection = database.get_connection()
    user, now = _user(), clock.now()
    try:
        rating = Rating(request.form.get("rating", 0, type=int))
    except ValueError:
        abort(400)
    shown_at = request.form.get("shown_at", type=int)
    duration = int(now.timestamp() * 1000) - shown_at if shown_at else 0
    try:
        result = study.answer(
            connection,
            user,
            card_state_id=_int("card"),
            rating=rating,
            token=request.form.get("token", ""),
            shown_reps=_int("reps"),
            now=now,
            typed=_typed(),
            choice=_choice(),
            duration_ms=duration,
        )
        connection.commit()
    except IntegrityError:  # the same token committed concurrently: a double submit
        connection.rollback()
        return redirect(url_for("study.review"))
    except UserInputError as error:
        connection.rollback()
        flash(str(error), "error")
        return redirect(url_for("study.review"))
    if result.message:
        flash(result.message, "warning")
    return redirect(url_for("study.review"))


@bp.post("/undo")
def undo() -> ResponseReturnValue:
    session = database.get_session()
    undone = study.undo_last_answer(session, _user())
    if undone is None:
        flash("Nothing to undo.", "info")
        return redirect(url_for("study.review"))
    session.commit()
    flash("Undone: here is that card again.", "info")
    return redirect(url_for("study.review", card=undone.card_state_id))


@bp.post("/bury")
def bury() -> ResponseReturnValue:
    session = database.get_session()
    try:
        study.bury_card(session, _user(), _int("card"), clock.now())
    except UserInputError as error:
        flash(str(error), "error")
        return redirect(url_for("study.review"))
    session.commit()
    flash("Buried until tomorrow.", "info")
    return redirect(url_for("study.review"))


@bp.post("/suspend")
def suspend() -> ResponseReturnValue:
    session = database.get_session()
    suspended = request.form.get("unsuspend") is None
    try:
        study.suspend_card(session, _user(), _int("card"), suspended=suspended)
    except UserInputError as error:
        flash(str(error), "error")
        return redirect(url_for("study.index"))
    session.commit()
    if suspended:
        flash("Suspended. Unsuspend it from the Study page.", "info")
        return redirect(url_for("study.review"))
    flash("Unsuspended.", "success")
    return redirect(url_for("study.index"))


@bp.app_template_filter("wait")
def _wait(delta: timedelta | None) -> str:
    from quizapp.core.scheduler import format_interval

    return format_interval(delta) if delta is not None else ""

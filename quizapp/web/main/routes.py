"""Home page and health check."""

from __future__ import annotations

import logging

from flask import Blueprint, jsonify, render_template
from flask.typing import ResponseReturnValue
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from quizapp import database
from quizapp.data.models import Entry, Question

bp = Blueprint("main", __name__)
log = logging.getLogger(__name__)


@bp.get("/")
def index() -> ResponseReturnValue:
    session = database.get_session()
    counts = {
        "entries": session.scalar(select(func.count()).select_from(Entry).where(~Entry.retired)),
        "questions": session.scalar(
            select(func.count()).select_from(Question).where(~Question.retired)
        ),
    }
    return render_template("main/index.html", counts=counts)


@bp.get("/health")
def health() -> ResponseReturnValue:
    try:
        database.ping()
    except SQLAlchemyError:
        log.exception("health check: database unreachable")
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok")

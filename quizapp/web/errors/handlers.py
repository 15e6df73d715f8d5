"""Friendly error pages (JSON for JSON clients); the session is rolled back on 500."""

from __future__ import annotations

import logging

from flask import Blueprint, g, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

bp = Blueprint("errors", __name__)
log = logging.getLogger(__name__)

MESSAGES = {
    400: "The request could not be understood.",
    403: "You do not have access to this page.",
    404: "There is nothing at this address.",
    405: "This address does not accept that kind of request.",
    413: "What you sent is too large.",
    429: "Too many attempts. Wait a minute and try again.",
    500: "Something went wrong on our side. Nothing you entered was lost; try again.",
}


def wants_json() -> bool:
    if request.is_json:
        return True
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return (
        best == "application/json"
        and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
    )


def error_response(status: int, message: str | None = None) -> ResponseReturnValue:
    message = message or MESSAGES.get(status, "Something went wrong.")
    if wants_json():
        return jsonify(error={"status": status, "message": message}), status
    return render_template("errors/error.html", status=status, message=message), status


@bp.app_errorhandler(CSRFError)
def csrf_error(error: CSRFError) -> ResponseReturnValue:
    return error_response(
        400, "Your form expired or was sent from elsewhere. Reload the page and try again."
    )


@bp.app_errorhandler(HTTPException)
def http_error(error: HTTPException) -> ResponseReturnValue:
    status = error.code or 500
    if status >= 500:
        _rollback()
    # A 400 raised with its own description (abort(400, "...")) says what was wrong;
    # otherwise, and always for 5xx, the friendly generic message.
    custom = error.description != type(error).description
    if status == 400 and custom and error.description:
        return error_response(status, error.description)
    return error_response(status, MESSAGES.get(status, "Something went wrong."))


@bp.app_errorhandler(Exception)
def unhandled_error(error: Exception) -> ResponseReturnValue:
    log.exception("unhandled error on %s %s", request.method, request.path)
    _rollback()
    return error_response(InternalServerError.code)


def _rollback() -> None:
    session = g.get("db_session")
    if session is not None:
        session.rollback()

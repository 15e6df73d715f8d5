"""Download your selection as an Anki package (.apkg) or a TSV for Anki's text import.

The page pre-selects what the candidate studies. The download is a GET with
the selection in the query string (it changes nothing, so it can be
bookmarked) or a POST from the page's form (CSRF-checked like every POST).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import ParamSpec, TypeVar, cast

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from quizapp import database
from quizapp.core.errors import UserInputError
from quizapp.services import anki_export, study
from quizapp.services.anki_export import Selection

bp = Blueprint("export", __name__, url_prefix="/export")
P = ParamSpec("P")
R = TypeVar("R")

FIELDS = ("banks", "categories", "levels", "kinds")
FORMATS = {
    "apkg": ("interview-prep.apkg", "application/apkg"),
    "tsv": ("interview-prep.tsv", "text/tab-separated-values; charset=utf-8"),
}


def _login_required(view: Callable[P, R]) -> Callable[P, R]:
    """`flask_login.login_required`, typed."""
    return cast(Callable[P, R], login_required(view))


def _base_url() -> str:
    return str(current_app.config.get("PUBLIC_BASE_URL") or request.url_root).rstrip("/")


@bp.get("/")
@_login_required
def index() -> ResponseReturnValue:
    session = database.get_session()
    selection = Selection.from_study(current_user.study_selection)
    return render_template(
        "export/index.html",
        options=study.selection_options(session),
        selection=selection,
        fields=FIELDS,
    )


@bp.route("/download", methods=["GET", "POST"])
@_login_required
def download() -> ResponseReturnValue:
    values = request.form if request.method == "POST" else request.args
    fmt = values.get("format", "apkg")
    if fmt not in FORMATS:
        flash("Choose .apkg or .tsv.", "error")
        return redirect(url_for("export.index"))
    try:
        selection = Selection.of(*(values.getlist(name) for name in FIELDS))
    except UserInputError as error:
        flash(str(error), "error")
        return redirect(url_for("export.index"))
    session = database.get_session()
    export = anki_export.build(session, selection, base_url=_base_url())
    if not export.exported:
        flash("No questions match that selection.", "info")
        return redirect(url_for("export.index"))
    filename, mimetype = FORMATS[fmt]
    if fmt == "apkg":
        buffer = io.BytesIO()
        anki_export.write_package(export, buffer)
    else:
        text = io.StringIO()
        anki_export.write_tsv(export, text)
        buffer = io.BytesIO(text.getvalue().encode("utf-8"))
    buffer.seek(0)
    response = send_file(buffer, mimetype=mimetype, as_attachment=True, download_name=filename)
    response.headers["Cache-Control"] = "private, no-store"
    return response

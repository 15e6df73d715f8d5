"""The knowledge base: /kb (categories, A–Z, search) and one page per entry."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, render_template, request
from flask.typing import ResponseReturnValue

from quizapp import database
from quizapp.services import kb

bp = Blueprint("kb", __name__, url_prefix="/kb")

LEVELS = ("beginner", "intermediate", "advanced")
MAX_QUERY = 200


@bp.get("/")
def index() -> ResponseReturnValue:
    session = database.get_session()
    query = request.args.get("q", "", type=str)[:MAX_QUERY].strip()
    entries = kb.search(session, query)
    return render_template(
        "kb/index.html",
        categories=kb.categories(session),
        entries=entries,
        query=query,
        letters=_by_letter(entries),
    )


@bp.get("/category/<slug>")
def category(slug: str) -> ResponseReturnValue:
    session = database.get_session()
    title = kb.category_title(session, slug)
    if title is None:
        abort(404)
    entries = kb.search(session, "", slug)
    by_level = {level: [e for e in entries if e.level == level] for level in LEVELS}
    return render_template("kb/category.html", slug=slug, title=title, by_level=by_level)


@bp.get("/<slug>.md")
def markdown(slug: str) -> ResponseReturnValue:
    text = kb.entry_markdown(database.get_session(), slug)
    if text is None:
        abort(404)
    response = Response(text, mimetype="text/plain")
    response.headers["Content-Disposition"] = f'inline; filename="{slug}.md"'
    return response


@bp.get("/<slug>")
def entry(slug: str) -> ResponseReturnValue:
    page = kb.entry_page(database.get_session(), slug)
    if page is None:
        abort(404)
    study = "study.index" in current_app.view_functions
    return render_template("kb/entry.html", page=page, entry=page.entry, study=study)


@bp.get("/lessons/<lesson_id>")
def lesson(lesson_id: str) -> ResponseReturnValue:
    found = kb.lesson_page(database.get_session(), lesson_id)
    if found is None:
        abort(404)
    lesson_row, entries = found
    return render_template("kb/lesson.html", lesson=lesson_row, entries=entries)


def _by_letter(entries: list[kb.EntryCard]) -> list[tuple[str, list[kb.EntryCard]]]:
    groups: dict[str, list[kb.EntryCard]] = {}
    for card in entries:
        first = card.title[:1].upper()
        letter = first if first.isalpha() else "#"
        groups.setdefault(letter, []).append(card)
    return list(groups.items())

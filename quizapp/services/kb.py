"""Knowledge-base queries for the /kb pages (read-only)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from quizapp.core.compiler.render import inline_html
from quizapp.data import models
from quizapp.services.build import entry_kind


@dataclass(frozen=True, slots=True)
class EntryCard:
    """One entry in a list: enough for the index, search results and see-also."""

    slug: str
    title: str
    summary: str
    summary_html: str
    category: str
    level: str
    aka: tuple[str, ...] = ()
    kind: str = "kb"


@dataclass(frozen=True, slots=True)
class CategoryCard:
    slug: str
    title: str
    description: str
    count: int


@dataclass(slots=True)
class EntryPage:
    entry: models.Entry
    kind: str
    category_title: str
    summary_html: str
    see_also: list[EntryCard]
    missing_see_also: list[str]
    lessons: list[tuple[str, str]]  # (id, title)
    cheatsheets: list[EntryCard]  # cheat-sheets that say `entry: <this slug>`
    question_counts: dict[str, int] = field(default_factory=dict)


_summary_html = lru_cache(maxsize=16384)(inline_html)

# The columns a list needs: never load every body to draw an index.
_CARD_COLUMNS = (
    models.Entry.slug,
    models.Entry.title,
    models.Entry.summary,
    models.Entry.category,
    models.Entry.level,
    models.Entry.aka,
    models.Entry.see_also,
    models.Entry.lessons,
    models.Entry.source_path,
)


def _card(row: Any) -> EntryCard:
    return EntryCard(
        row.slug,
        row.title,
        row.summary,
        _summary_html(row.summary),
        row.category,
        row.level,
        tuple(row.aka or ()),
        entry_kind(row).value,
    )


def _live_entries(session: Session, *where: ColumnElement[bool]) -> list[Any]:
    rows = session.execute(
        select(*_CARD_COLUMNS).where(models.Entry.retired.is_(False), *where)
    ).all()
    return sorted(rows, key=lambda r: (r.title.casefold(), r.slug))


def categories(session: Session) -> list[CategoryCard]:
    counts = Counter(
        session.scalars(select(models.Entry.category).where(models.Entry.retired.is_(False)))
    )
    rows = session.scalars(select(models.Category).order_by(models.Category.position))
    cards = [CategoryCard(c.slug, c.title, c.description, counts[c.slug]) for c in rows]
    if counts.get("commands") and not any(c.slug == "commands" for c in cards):
        cards.append(CategoryCard("commands", "Commands (tldr pages)", "", counts["commands"]))
    return [c for c in cards if c.count]


# Question categories that are not KB categories (the categories table holds only those).
EXTRA_CATEGORY_TITLES = {"oom": "OOM killer (simulator)", "commands": "Commands"}


def category_titles(session: Session) -> dict[str, str]:
    """Display title of every question category: the KB's, plus the simulator's and
    the cheat-sheets' own (these win). Look a slug up with `title_of`."""
    titles = dict(session.execute(select(models.Category.slug, models.Category.title)).all())
    return titles | EXTRA_CATEGORY_TITLES


def title_of(slug: str | None, titles: Mapping[str, str]) -> str:
    """A category's title from `category_titles`, or its slug made readable."""
    if slug and slug in titles:
        return titles[slug]
    return (slug or "other").replace("-", " ").capitalize()


def category_title(session: Session, slug: str) -> str | None:
    row = session.get(models.Category, slug)
    if row is not None:
        return row.title
    return "Commands (tldr pages)" if slug == "commands" else None


def search(session: Session, query: str = "", category: str | None = None) -> list[EntryCard]:
    """Entries A–Z whose title, aliases or summary contain every word of `query`."""
    words = query.casefold().split()
    cards = []
    for row in _live_entries(session):
        if category and row.category != category:
            continue
        haystack = " ".join([row.title, row.summary, *(row.aka or [])]).casefold()
        if all(word in haystack for word in words):
            cards.append(_card(row))
    return cards


def entry_page(session: Session, slug: str) -> EntryPage | None:
    row = session.scalar(
        select(models.Entry).where(models.Entry.slug == slug, models.Entry.retired.is_(False))
    )
    if row is None:
        return None
    linked = {r.slug: r for r in _live_entries(session, models.Entry.slug.in_(row.see_also or []))}
    lesson_titles = {
        lesson.id: lesson.title
        for lesson in session.scalars(
            select(models.Lesson).where(models.Lesson.id.in_(row.lessons or []))
        )
    }
    sheets = [
        _card(r)
        for r in _live_entries(session, models.Entry.source_path.startswith("commands/"))
        if slug in (r.see_also or [])
    ]
    counts = dict(
        session.execute(
            select(models.Question.kind, func.count())
            .where(models.Question.entry_slug == slug, models.Question.retired.is_(False))
            .group_by(models.Question.kind)
        ).all()
    )
    return EntryPage(
        entry=row,
        kind=entry_kind(row).value,
        category_title=category_title(session, row.category) or row.category,
        summary_html=_summary_html(row.summary),
        see_also=[_card(linked[s]) for s in row.see_also or [] if s in linked],
        missing_see_also=[s for s in row.see_also or [] if s not in linked],
        lessons=[(lid, lesson_titles.get(lid, lid)) for lid in row.lessons or []],
        cheatsheets=sheets,
        question_counts={str(k): int(v) for k, v in counts.items()},
    )


def entry_markdown(session: Session, slug: str) -> str | None:
    return session.scalar(
        select(models.Entry.markdown).where(
            models.Entry.slug == slug, models.Entry.retired.is_(False)
        )
    )


def lesson_page(session: Session, lesson_id: str) -> tuple[models.Lesson, list[EntryCard]] | None:
    lesson = session.get(models.Lesson, lesson_id)
    if lesson is None:
        return None
    return lesson, [_card(r) for r in _live_entries(session) if lesson_id in (r.lessons or [])]

"""Phase 3: checks across entries (categories, duplicates, links, orphans)."""

from __future__ import annotations

import difflib

from quizapp.core.compiler.diagnostics import Diagnostics
from quizapp.core.compiler.model import Category, Entry, EntryKind, Lesson


def _suggest(value: str, options: list[str], fallback: str) -> str:
    close = difflib.get_close_matches(value, options, n=1)
    return f"did you mean `{close[0]}`?" if close else fallback


def validate_entries(
    entries: list[Entry],
    categories: dict[str, Category],
    lessons: dict[str, Lesson],
    diags: Diagnostics,
) -> list[Entry]:
    """Report cross-entry problems; return the entries that may be compiled (no duplicates)."""
    by_slug: dict[str, Entry] = {}
    by_identity: dict[str, Entry] = {}
    kept: list[Entry] = []
    for entry in sorted(entries, key=lambda e: e.path):
        if entry.slug in by_slug:
            diags.error(
                entry.path,
                1,
                f"duplicate slug `{entry.slug}` (also {by_slug[entry.slug].path})",
                "every entry needs its own file name",
            )
            continue
        if entry.identity in by_identity:
            diags.error(
                entry.path,
                entry.key_lines.get("id", 1),
                f"duplicate id `{entry.identity}` (also {by_identity[entry.identity].path})",
                "ids must be unique: they keep question progress",
            )
            continue
        by_slug[entry.slug] = entry
        by_identity[entry.identity] = entry
        kept.append(entry)

    known_categories = sorted(categories)
    linked: set[str] = set()
    for entry in kept:
        line = entry.key_lines.get
        if entry.kind is not EntryKind.TLDR and entry.category:
            if entry.category not in categories:
                diags.error(
                    entry.path,
                    line("category", 1),
                    f"unknown category `{entry.category}`",
                    _suggest(
                        entry.category,
                        known_categories,
                        "add it to categories.yaml"
                        if known_categories
                        else "create categories.yaml",
                    ),
                )
            if entry.kind is EntryKind.KB:
                folder = entry.path.split("/")[-2] if entry.path.count("/") >= 2 else ""
                if folder != entry.category:
                    diags.error(
                        entry.path,
                        line("category", 1),
                        f"category `{entry.category}` does not match the folder `{folder}`",
                        f"move the file to kb/{entry.category}/ or fix the category",
                    )
        for target in entry.see_also:
            if target == entry.slug:
                diags.warning(entry.path, line("see_also", 1), "entry lists itself in see_also")
            elif target not in by_slug:
                diags.error(
                    entry.path,
                    line("see_also", 1),
                    f"see_also `{target}` does not resolve to an entry",
                    _suggest(target, sorted(by_slug), "check the slug (the file name)"),
                )
            else:
                linked.add(target)
        for lesson in entry.lessons:
            if lesson not in lessons:
                diags.error(
                    entry.path,
                    line("lessons", 1),
                    f"lesson `{lesson}` is not in lessons.yaml",
                    _suggest(lesson, sorted(lessons), "add it to lessons.yaml"),
                )
        if entry.parent:
            parent = by_slug.get(entry.parent)
            if parent is None or parent.kind is not EntryKind.KB:
                diags.error(
                    entry.path,
                    line("entry", 1),
                    f"entry `{entry.parent}` does not resolve to a knowledge-base entry",
                    _suggest(entry.parent, sorted(by_slug), "check the slug (the file name)"),
                )
            else:
                linked.add(entry.parent)
    for entry in kept:
        if entry.kind is EntryKind.KB and entry.slug not in linked:
            diags.warning(
                entry.path,
                1,
                f"no other entry links to `{entry.slug}`",
                "add it to the see_also of a related entry",
            )
    return kept

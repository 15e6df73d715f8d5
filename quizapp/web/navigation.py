"""Navigation links, shown only for the features that are registered."""

from __future__ import annotations

from flask import Flask, current_app
from flask_login import current_user

MAIN_LINKS = [
    ("kb.index", "Knowledge base"),
    ("study.index", "Study"),
    ("sim.index", "Simulator"),
    ("mock.index", "Mock interview"),
]
USER_LINKS = [
    ("progress.index", "Progress"),
    ("export.index", "Export"),
    ("mentor.index", "Cohorts"),
    ("mentor.my_cohorts", "My cohorts"),
    ("auth.settings", "Settings"),
]
HERO_LINKS = [
    ("study.index", "Start studying"),
    ("kb.index", "Browse the knowledge base"),
    ("sim.index", "Try the OOM simulator"),
]


def _available(links: list[tuple[str, str]]) -> list[tuple[str, str]]:
    endpoints = current_app.view_functions
    return [(endpoint, label) for endpoint, label in links if endpoint in endpoints]


def _user_links() -> list[tuple[str, str]]:
    links = _available(USER_LINKS)
    role = getattr(current_user, "role", None)
    if role not in ("mentor", "admin"):
        links = [link for link in links if link[0] != "mentor.index"]
    return links


def init_app(app: Flask) -> None:
    @app.context_processor
    def _navigation() -> dict[str, object]:
        return {
            "nav_links": lambda: _available(MAIN_LINKS),
            "user_links": _user_links,
            "hero_links": lambda: _available(HERO_LINKS),
            "endpoints": lambda: current_app.view_functions,
        }

"""Navigation links, shown only for the features that are registered."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, current_app, g, has_request_context, request
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

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


def _csrf_token() -> str:
    """Flask-WTF's `csrf_token()` for templates, minus its config look-ups after the first
    call in a request (a page calls it once per form). Same token, same session entry."""
    token: str | None = g.get("csrf_token")
    return token if token is not None else generate_csrf()


def _memoized_url_for(app: Flask) -> Callable[..., str]:
    """Pages build the same few URLs on every request: build each once per script root.

    The URL map is fixed once the app serves requests and the app sets no URL
    defaults, so a relative URL depends only on the endpoint, its values and the
    script root. Anything else (`_external`, `_anchor`, ".endpoint", no request,
    unhashable values) is built as usual.
    """
    build = app.url_for
    cache: dict[tuple[Any, ...], str] = {}

    def url_for(endpoint: str, **values: Any) -> str:
        if (
            not has_request_context()
            or endpoint.startswith(".")
            or any(name.startswith("_") for name in values)
        ):
            return build(endpoint, **values)
        key = (request.script_root, endpoint, *sorted(values.items()))
        try:
            url = cache.get(key)
        except TypeError:  # an unhashable value
            return build(endpoint, **values)
        if url is None:
            url = build(endpoint, **values)
            if len(cache) < 4096:
                cache[key] = url
        return url

    return url_for


def init_app(app: Flask) -> None:
    app.jinja_env.globals["url_for"] = _memoized_url_for(app)

    # After CSRFProtect's own context processor, so this one's `csrf_token` wins.
    app.jinja_env.globals["csrf_token"] = _csrf_token

    @app.context_processor
    def _navigation() -> dict[str, object]:
        return {
            "csrf_token": _csrf_token,
            "nav_links": lambda: _available(MAIN_LINKS),
            "user_links": _user_links,
            "hero_links": lambda: _available(HERO_LINKS),
            "endpoints": lambda: current_app.view_functions,
        }

"""Navigation links, shown only for the features that are registered."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, current_app, render_template
from flask.globals import _cv_request
from flask_login import current_user
from markupsafe import Markup

from quizapp.extensions import csrf

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


def _site_header() -> Markup:
    """The site header, rendered once per distinct look and then reused.

    It is the same on every page of a section for everyone with the same role,
    but for the logout form's CSRF token, which is fixed per session without a
    time limit (see `KeptTokenCSRF`): the key holds all of these, so a cached header
    is always the one the template would render.
    """
    request = _cv_request.get().request
    endpoint = request.endpoint or ""
    signed_in = bool(current_user.is_authenticated)
    key = (
        request.root_path,
        endpoint.partition(".")[0],
        signed_in,
        getattr(current_user, "role", None),
        csrf.token() if signed_in else None,
    )
    cache: dict[tuple[Any, ...], Markup] = current_app.extensions["quizapp.site_headers"]
    header = cache.get(key)
    if header is None:
        header = Markup(  # noqa: S704  (a rendered, autoescaped template)
            render_template("_site_header.html", section=key[1], signed_in=signed_in)
        )
        if len(cache) >= 4096:
            cache.clear()
        cache[key] = header
    return header


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
        context = _cv_request.get(None)
        if context is None or endpoint[:1] == ".":
            return build(endpoint, **values)
        if values:
            if any(name[:1] == "_" for name in values):
                return build(endpoint, **values)
            key: tuple[Any, ...] = (context.request.root_path, endpoint, *sorted(values.items()))
        else:
            key = (context.request.root_path, endpoint)
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
    # Globals, not a context processor: nothing to build on each render.
    app.extensions["quizapp.site_headers"] = {}
    app.jinja_env.globals.update(
        site_header=_site_header,
        url_for=_memoized_url_for(app),
        nav_links=lambda: _available(MAIN_LINKS),
        user_links=_user_links,
        hero_links=lambda: _available(HERO_LINKS),
        endpoints=lambda: current_app.view_functions,
    )

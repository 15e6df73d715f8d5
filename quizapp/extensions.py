"""Flask extensions: CSRF, login sessions, rate limits. Created unbound, bound in init_app."""

from __future__ import annotations

import time
from typing import Any

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect
from itsdangerous import BadSignature

from quizapp.data.users import SignedInUser, signed_in_user

csrf = CSRFProtect()
login_manager = LoginManager()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


class SessionCookies(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions; each distinct cookie's signature is checked once.

    A browser sends the same cookie until its session changes, so the last few
    verified cookies are kept with the time they were signed: `max_age` still
    applies, a changed secret key misses, and only payloads of plain values are
    kept (each request gets its own dict; nothing mutable is shared).
    """

    MAX_KEPT = 4096

    def __init__(self) -> None:
        self._serializers: dict[tuple[Any, ...], Any] = {}
        self._verified: dict[tuple[Any, ...], tuple[int, dict[str, Any]]] = {}

    def get_signing_serializer(self, app: Flask) -> Any:
        keys = self._keys(app)
        serializer = self._serializers.get(keys)
        if serializer is None:
            serializer = super().get_signing_serializer(app)
            if serializer is not None:
                self._serializers = {keys: serializer}  # only the current keys
        return serializer

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        serializer = self.get_signing_serializer(app)
        value = request.cookies.get(self.get_cookie_name(app))
        if serializer is None or not value:
            return super().open_session(app, request)
        key = (self._keys(app), value)
        max_age = int(app.permanent_session_lifetime.total_seconds())
        kept = self._verified.get(key)
        if kept is not None and 0 <= int(time.time()) - kept[0] <= max_age:
            return self.session_class(kept[1])
        try:
            data, signed_at = serializer.loads(value, max_age=max_age, return_timestamp=True)
        except BadSignature:
            return self.session_class()
        if isinstance(data, dict) and all(type(v) in _PLAIN for v in data.values()):
            if len(self._verified) >= self.MAX_KEPT:
                self._verified.clear()
            self._verified[key] = (int(signed_at.timestamp()), dict(data))
        return self.session_class(data)

    @staticmethod
    def _keys(app: Flask) -> tuple[Any, ...]:
        return (app.secret_key, *(app.config["SECRET_KEY_FALLBACKS"] or ()))


_PLAIN = frozenset({str, int, float, bool, type(None)})


def init_app(app: Flask) -> None:
    app.session_interface = SessionCookies()
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to see that page."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
    limiter.init_app(app)


@login_manager.user_loader
def _load_user(session_token: str) -> SignedInUser | None:
    """Every request's user: a read-only row (views that change it use `access.account`)."""
    from quizapp.database import get_session

    return signed_in_user(get_session(), session_token)

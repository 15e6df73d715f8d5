"""Flask extensions: CSRF, login sessions, rate limits. Created unbound, bound in init_app."""

from __future__ import annotations

import hmac
import time
from typing import Any

from flask import Flask, Request, current_app, g, request, session
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect, generate_csrf, same_origin
from itsdangerous import BadSignature

from quizapp.data.users import SignedInUser, signed_in_user


class KeptTokenCSRF(CSRFProtect):
    """Flask-WTF's CSRF protection, each session's token signed and checked once.

    Flask-WTF signs the session's token afresh on every request, and verifies the
    signature of every form it receives. Without a time limit (the default here:
    `WTF_CSRF_TIME_LIMIT` None) a signature never expires, so the first one made
    for a session's token serves all of that session's pages:

    - `token()`, the templates' `csrf_token()`, keeps it per secret key and session
      token, and works it out once per request (a page asks several times);
    - before each view it goes in `g`, where Flask-WTF's forms look first;
    - a form (or `X-CSRFToken` header) that sends back exactly the kept signature
      passes without a second verification, as `validate_csrf` would let it pass.

    Anything else (another token, a time limit, an HTTPS request without a
    same-origin referrer) goes through Flask-WTF's own checks and error responses.
    """

    MAX_KEPT = 4096
    _REQUEST_TOKEN = "_quizapp_csrf_token"

    def __init__(self) -> None:
        super().__init__()
        self._kept: dict[tuple[Any, Any], str] = {}

    def init_app(self, app: Flask) -> None:
        super().init_app(app)
        app.before_request(self._reuse_kept_token)
        app.jinja_env.globals["csrf_token"] = self.token
        # Flask-WTF puts its own `csrf_token` in every template context; this one,
        # registered after it, replaces it.
        app.context_processor(lambda: {"csrf_token": self.token})

    def token(self) -> str:
        token: str | None = g.get(self._REQUEST_TOKEN)
        if token is not None:
            return token
        token = generate_csrf()  # g's token, else a new signature (and session token)
        if current_app.config["WTF_CSRF_TIME_LIMIT"] is None:
            key = self._key()
            if self._kept.get(key) != token:
                if len(self._kept) >= self.MAX_KEPT:
                    self._kept.clear()
                self._kept[key] = token
        setattr(g, self._REQUEST_TOKEN, token)
        return token

    def protect(self, apply_exemptions: bool = False) -> None:
        if self._kept_token_sent():
            g.csrf_valid = True  # as Flask-WTF marks a request it validated
            return
        super().protect(apply_exemptions)

    def _key(self) -> tuple[Any, Any]:
        config = current_app.config
        secret = config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key
        return secret, session.get(config["WTF_CSRF_FIELD_NAME"])

    def _kept_token(self) -> str | None:
        if current_app.config["WTF_CSRF_TIME_LIMIT"] is not None:
            return None
        key = self._key()
        return self._kept.get(key) if key[1] is not None else None

    def _reuse_kept_token(self) -> None:
        field = current_app.config["WTF_CSRF_FIELD_NAME"]
        if field not in g:
            token = self._kept_token()
            if token is not None:
                setattr(g, field, token)

    def _kept_token_sent(self) -> bool:
        config = current_app.config
        if request.method not in config["WTF_CSRF_METHODS"]:
            return False
        kept = self._kept_token()
        if kept is None:
            return False
        sent = request.form.get(config["WTF_CSRF_FIELD_NAME"]) or next(
            (
                request.headers[name]
                for name in config["WTF_CSRF_HEADERS"]
                if name in request.headers
            ),
            None,
        )
        if not sent or not hmac.compare_digest(sent, kept):
            return False
        if request.is_secure and config["WTF_CSRF_SSL_STRICT"]:
            referrer = request.referrer
            return bool(referrer) and same_origin(referrer, f"https://{request.host}/")
        return True


csrf = KeptTokenCSRF()
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
    from quizapp.database import get_connection

    return signed_in_user(get_connection(), session_token)

"""Flask extensions: CSRF, login sessions, rate limits. Created unbound, bound in init_app."""

from __future__ import annotations

from flask import Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import String, bindparam, select

from quizapp.data.models import User

csrf = CSRFProtect()
login_manager = LoginManager()
limiter = Limiter(key_func=get_remote_address, default_limits=[])

# Built once: every request loads its user by the session token (a unique index),
# so the statement's cache key and compiled form are reused rather than rebuilt.
_USER_BY_TOKEN = select(User).where(User.session_token == bindparam("token", type_=String))


def init_app(app: Flask) -> None:
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to see that page."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
    limiter.init_app(app)


@login_manager.user_loader
def _load_user(session_token: str) -> User | None:
    from quizapp.database import get_session

    return get_session().scalar(_USER_BY_TOKEN, {"token": session_token})

"""Flask extensions: CSRF, login sessions, rate limits. Created unbound, bound in init_app."""

from __future__ import annotations

from flask import Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

from quizapp.data.users import SignedInUser, signed_in_user

csrf = CSRFProtect()
login_manager = LoginManager()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


def init_app(app: Flask) -> None:
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

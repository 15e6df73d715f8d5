"""Who may see a page: `@role_required("mentor", "admin")` on a view.

Anonymous visitors go to the login page (with `next`), like `login_required`;
a logged-in user without one of the roles gets a 403 page.

`current_user` is a read-only `SignedInUser`; `account()` is the `User` row,
for views that change it or hand it to services that take one.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from flask import abort
from flask.typing import ResponseReturnValue
from flask_login import current_user

from quizapp import database
from quizapp.data.models import Role, User
from quizapp.extensions import login_manager

P = ParamSpec("P")
R = TypeVar("R", bound=ResponseReturnValue)


def account() -> User:
    """The signed-in user's row (a logged-in view only)."""
    user = database.get_session().get(User, current_user.id)
    if user is None:  # deleted since this request loaded it
        abort(401)
    return user


def role_required(
    *roles: Role | str,
) -> Callable[[Callable[P, R]], Callable[P, R | ResponseReturnValue]]:
    if not roles:
        raise ValueError("role_required needs at least one role")
    allowed = frozenset(Role(role) for role in roles)  # a typo fails at import, not at request

    def decorator(view: Callable[P, R]) -> Callable[P, R | ResponseReturnValue]:
        @wraps(view)
        def wrapped(*args: P.args, **kwargs: P.kwargs) -> R | ResponseReturnValue:
            if not current_user.is_authenticated:
                response: ResponseReturnValue = login_manager.unauthorized()
                return response
            if Role(current_user.role) not in allowed:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
